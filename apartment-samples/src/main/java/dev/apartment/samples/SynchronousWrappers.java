package dev.apartment.samples;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherDeadlockException;
import dev.apartment.DispatcherOperation;
import dev.apartment.DispatcherPriority;
import dev.apartment.WaitPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Demonstrates synchronous wrappers over an asynchronous, thread-affine component: a {@link SimulatedWebView} whose
 * creation and scripts complete on a background browser process and come back to the UI thread through
 * {@link Dispatcher#callbacks()}. A click handler on {@code ui} creates the webview and runs two scripts through
 * the synchronous wrappers, which wait under {@link WaitPolicy#CALLS}: each completion runs inside the wait, while a
 * key press queued before the first wait runs only after the handler has returned.
 *
 * <p>A second click uses the naive wrapper, which blocks the UI thread on a delivery only the UI thread can run.
 * That is the deadlock a webview library once shipped; here the wait ends within about a second with a
 * {@link DispatcherDeadlockException} that names the thread and the operation, and the late delivery runs once the
 * handler has given up.
 */
public final class SynchronousWrappers {

    /** The scripts the click handler runs through {@link SimulatedWebView#executeScript}. */
    static final String TITLE_SCRIPT = "document.title";
    static final String ANSWER_SCRIPT = "6 * 7";

    /** @param browserLatency how long the simulated browser process takes for each request */
    public record Settings(Duration browserLatency) {
        public Settings {
            Objects.requireNonNull(browserLatency, "browserLatency");
            if (browserLatency.isNegative()) {
                throw new IllegalArgumentException("invalid settings: " + browserLatency);
            }
        }

        /** 40 ms per request: long enough to see in the timeline, short enough for a quick tour. */
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(40));
        }
    }

    /**
     * What happened. The {@code *Order} fields are numbers in the {@link #timeline()}, one sequence shared by every
     * thread of the sample.
     *
     * @param uiThread              the thread that runs the handlers
     * @param browserThread         the simulated browser process's thread
     * @param webViewOwner          the thread the webview belongs to
     * @param title                 what {@code executeScript("document.title")} returned inside the handler
     * @param answer                what {@code executeScript("6 * 7")} returned inside the handler
     * @param completionThreads     the thread each completion handler ran on, in order (create, scripts, late one)
     * @param completionsDuringWait how many completions ran inside the safe wrappers' waits, before the handler
     *                              returned
     * @param keyPressQueuedOrder   when the key press was posted at INPUT, before the first wait
     * @param lastWaitReturnedOrder when the last synchronous wrapper returned
     * @param handlerReturnedOrder  when the click handler returned
     * @param keyPressOrder         when the key press ran
     * @param deadlock              what the naive wrapper threw, or null if it returned (it must not)
     * @param blockedOrder          when the naive wrapper blocked on the delivery's future
     * @param diagnosedOrder        when the handler caught the exception (or the wrapper returned)
     * @param lateCompletionOrder   when the delivery the naive wrapper had waited for finally ran
     * @param timeline              every event, in order
     */
    public record Result(String uiThread, String browserThread, String webViewOwner, String title, String answer,
            List<String> completionThreads, int completionsDuringWait, int keyPressQueuedOrder,
            int lastWaitReturnedOrder, int handlerReturnedOrder, int keyPressOrder,
            DispatcherDeadlockException deadlock, int blockedOrder, int diagnosedOrder, int lateCompletionOrder,
            List<EventLog.Event> timeline) {

        /** From the naive wrapper's blocking until the handler caught the exception: the diagnosis's delay. */
        public long diagnosisNanos() {
            return timeline.get(diagnosedOrder - 1).atNanos() - timeline.get(blockedOrder - 1).atNanos();
        }

        void print(Report report) {
            int threadWidth = timeline.stream().mapToInt(e -> e.thread().length()).max().orElse(0);
            report.row(String.format(Locale.ROOT, "%-3s %-8s %-" + threadWidth + "s  %s", "#", "at", "thread",
                    "what"));
            for (EventLog.Event e : timeline) {
                report.row(String.format(Locale.ROOT, "%-3d %-8s %-" + threadWidth + "s  %s", e.number(),
                        "+" + Report.wholeMs(e.atNanos()), e.thread(), e.what()));
            }
            report.blank();
            report.fact("webview belongs to", "'" + webViewOwner + "'");
            report.fact("executeScript(\"" + TITLE_SCRIPT + "\")", title);
            report.fact("executeScript(\"" + ANSWER_SCRIPT + "\")", answer);
            report.fact("completion handlers ran on", String.join(", ", completionThreads) + " ("
                    + completionsDuringWait + " of them inside the handler's waits)");
            report.fact("key press", "queued #" + keyPressQueuedOrder + ", last wait returned #"
                    + lastWaitReturnedOrder + ", handler returned #" + handlerReturnedOrder + ", key press ran #"
                    + keyPressOrder);
            if (deadlock == null) {
                report.fact("naive executeScript", "returned: the deadlock was not diagnosed");
            } else {
                report.fact("naive executeScript", deadlock.getClass().getSimpleName() + ", "
                        + Report.wholeMs(diagnosisNanos()) + " after it blocked (#" + blockedOrder + "):");
                report.factLines("", deadlock.getMessage());
            }
            report.fact("its delivery", "ran late on '" + uiThread + "' as #" + lateCompletionOrder
                    + ", after the handler had given up (#" + diagnosedOrder + ")");
            report.conclusion("Waiting under CALLS, '" + uiThread + "' ran the completions it waited for and"
                    + " nothing else: the key press queued before the wait ran only after the handler returned."
                    + " The naive wrapper blocked on a delivery only '" + uiThread + "' could run; instead of"
                    + " hanging the UI thread for good, the wait threw after " + Report.wholeMs(diagnosisNanos())
                    + ", naming the thread and the operation.");
        }
    }

    private SynchronousWrappers() {
    }

    /**
     * Runs the sample on a new {@code ui} dispatcher thread and a {@code browser-process} thread, both of which have
     * ended when this returns.
     */
    public static Result run(Settings settings) throws InterruptedException {
        Objects.requireNonNull(settings, "settings");
        EventLog log = new EventLog();
        try (BrowserProcess browser = new BrowserProcess(settings.browserLatency(), log);
                DispatcherThread uiThread = new DispatcherThread("ui")) {
            Dispatcher ui = uiThread.dispatcher();

            // A click is input: its handler runs at INPUT, and so does the key press it will find queued behind it.
            DispatcherOperation<Opened> click = ui.invokeAsync(() -> openPageClicked(ui, browser, log),
                    DispatcherPriority.INPUT);
            Opened opened = Await.result(click.toCompletableFuture(), "the click handler to open the page");
            int keyPressOrder = Await.result(opened.keyPress.toCompletableFuture(), "the key press to run");

            DispatcherOperation<Naive> naiveClick = ui.invokeAsync(() -> naiveClicked(opened.view, log),
                    DispatcherPriority.INPUT);
            Naive naive = Await.result(naiveClick.toCompletableFuture(), "the naive click handler to end");
            // The late delivery is a NORMAL operation, queued before the naive wait blocked; this BACKGROUND invoke
            // runs after it, so the webview's list of completions includes it.
            List<SimulatedWebView.Completion> completions = ui.invoke(opened.view::completions,
                    DispatcherPriority.BACKGROUND);

            int lateCompletionOrder = completions.size() > opened.completionsDuringWait
                    ? completions.get(completions.size() - 1).order() : 0;
            return new Result(uiThread.threadName(), browser.threadName(), opened.owner, opened.title, opened.answer,
                    completions.stream().map(SimulatedWebView.Completion::thread).collect(Collectors.toList()),
                    opened.completionsDuringWait, opened.keyPressQueuedOrder, opened.lastWaitReturnedOrder,
                    opened.handlerReturnedOrder, keyPressOrder, naive.deadlock, naive.blockedOrder,
                    naive.diagnosedOrder, lateCompletionOrder, log.events());
        }
    }

    /** What the first click handler leaves behind for the report; built on {@code ui}, read after its future. */
    private record Opened(SimulatedWebView view, String owner, String title, String answer,
            int completionsDuringWait, DispatcherOperation<Integer> keyPress, int keyPressQueuedOrder,
            int lastWaitReturnedOrder, int handlerReturnedOrder) {
    }

    /** What the naive click handler saw. */
    private record Naive(DispatcherDeadlockException deadlock, int blockedOrder, int diagnosedOrder) {
    }

    /** The "Open page" click handler: an ordinary operation on {@code ui} that calls the synchronous wrappers. */
    private static Opened openPageClicked(Dispatcher ui, BrowserProcess browser, EventLog log) {
        log.add("click handler starts (INPUT)");
        // The user presses a key while the handler runs: the key press is queued behind the handler, before any
        // wait begins. A wait that dispatched messages would run it inside the handler; CALLS leaves it queued.
        DispatcherOperation<Integer> keyPress = ui.invokeAsync(() -> log.add("key press handled"),
                DispatcherPriority.INPUT);
        int keyPressQueued = log.add("a key press arrives, queued at INPUT");

        log.add("create(): waiting under CALLS");
        SimulatedWebView view = SimulatedWebView.create(browser, ui);
        log.add("create() returned");

        log.add("executeScript(\"" + TITLE_SCRIPT + "\"): waiting under CALLS");
        String title = view.executeScript(TITLE_SCRIPT);
        log.add("executeScript returned " + title);

        log.add("executeScript(\"" + ANSWER_SCRIPT + "\"): waiting under CALLS");
        String answer = view.executeScript(ANSWER_SCRIPT);
        int lastWaitReturned = log.add("executeScript returned " + answer);

        int completionsDuringWait = view.completions().size();
        String owner = view.dispatcher().thread().getName();
        int handlerReturned = log.add("click handler returns");
        return new Opened(view, owner, title, answer, completionsDuringWait, keyPress, keyPressQueued,
                lastWaitReturned, handlerReturned);
    }

    /** The second click handler: the same request through the wrapper not to write. */
    private static Naive naiveClicked(SimulatedWebView view, EventLog log) {
        int started = log.add("click handler starts: naive executeScript(\"" + TITLE_SCRIPT + "\")");
        DispatcherDeadlockException deadlock = null;
        int ended;
        try {
            view.executeScriptNaively(TITLE_SCRIPT);
            ended = log.add("naive executeScript returned (unexpected)");
        } catch (DispatcherDeadlockException e) {
            deadlock = e;
            ended = log.add("DispatcherDeadlockException; the handler gives up and returns");
        }
        // The one event this thread logged in between is the wrapper's, just before it blocked.
        String ui = Thread.currentThread().getName();
        int end = ended;
        int blocked = log.events().stream()
                .filter(e -> e.number() > started && e.number() < end && e.thread().equals(ui))
                .mapToInt(EventLog.Event::number).findFirst().orElse(ended);
        return new Naive(deadlock, blocked, ended);
    }
}
