package dev.apartment.samples;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherDeadlockException;
import dev.apartment.DispatcherOperation;
import dev.apartment.DispatcherPriority;
import dev.apartment.WaitPolicy;
import dev.apartment.webview.CookieManager;
import dev.apartment.webview.WebView;
import dev.apartment.webview.WebViewController;
import dev.apartment.webview.WebViewCookie;
import dev.apartment.webview.WebViewEnvironment;
import dev.apartment.webview.WebViewEnvironmentOptions;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The seed's scenario with a real web view: {@code apartment-webview} over a Chromium child process, driven from a
 * {@code ui} dispatcher thread. The same story as {@link SynchronousWrappers}, with the real thing:
 *
 * <ol>
 *   <li>a click handler (INPUT) creates the environment and a controller with the synchronous wrappers, which wait
 *       under {@link WaitPolicy#CALLS} (a key press queued before them runs only after the handler returned), and
 *       navigates to the app's own page;</li>
 *   <li>the page is served by {@link AppSite}: a {@code WebResourceRequested} handler takes a deferral and a
 *       {@code resource-server} thread answers later;</li>
 *   <li>when the page posts {@code ready}, the {@code WebMessageReceived} handler creates a second controller
 *       synchronously, runs scripts in both pages and reads a cookie back, every wait inside that handler (the
 *       wry deadlock, issue #583, was exactly this);</li>
 *   <li>a second click uses the naive wrapper, which blocks the UI thread until an operation queued on that very
 *       thread has run; Apartment diagnoses it with a {@link DispatcherDeadlockException} instead of hanging.</li>
 * </ol>
 */
public final class RealWebView {

    /** The scripts the handlers run. */
    static final String TITLE_SCRIPT = "document.title";
    static final String ANSWER_SCRIPT = "6 * 7";
    static final String COOKIE_NAME = "session";

    /** Chromium could not be found or started: the tour shows the simulated section instead. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * What happened. The {@code *Order} fields are numbers in the {@link #timeline()}.
     *
     * @param uiThread              the thread that ran every handler and completion
     * @param browserPid            the browser's process id
     * @param ownerThreads          the owner thread of the environment, the first and the second controller
     * @param title                 {@code document.title} of the first page, run inside the message handler
     * @param answer                {@code 6 * 7} in the second page, run inside the message handler
     * @param cookies               what {@code getCookies} returned inside the message handler
     * @param keyPressQueuedOrder   when the key press was queued, before the first wait
     * @param clickReturnedOrder    when the first click handler returned
     * @param keyPressOrder         when the key press ran
     * @param deferralOrder         when the page request's deferral was taken
     * @param renderedOrder         when the server thread had rendered the page
     * @param respondedOrder        when its response was set and the deferral completed
     * @param secondCreatedOrder    when the second controller was created inside the message handler
     * @param deadlock              what the naive wrapper threw, or null if it returned (it must not)
     * @param blockedOrder          when the naive wrapper blocked
     * @param diagnosedOrder        when the handler caught the exception
     * @param lateCallOrder         when the call the naive wrapper had waited for finally ran
     * @param browserEnded          whether the browser process had exited once the section was over
     * @param timeline              every event, in order
     */
    public record Result(String uiThread, long browserPid, List<String> ownerThreads, String title, String answer,
            String cookies, int keyPressQueuedOrder, int clickReturnedOrder, int keyPressOrder, int deferralOrder,
            int renderedOrder, int respondedOrder, int secondCreatedOrder, DispatcherDeadlockException deadlock, int blockedOrder,
            int diagnosedOrder, int lateCallOrder, boolean browserEnded, List<EventLog.Event> timeline) {

        /** From the naive wrapper's blocking until the handler caught the exception. */
        public long diagnosisNanos() {
            return timeline.get(diagnosedOrder - 1).atNanos() - timeline.get(blockedOrder - 1).atNanos();
        }

        void print(Report report) {
            int threadWidth = timeline.stream().mapToInt(e -> e.thread().length()).max().orElse(0);
            report.row(String.format(Locale.ROOT, "%-3s %-9s %-" + threadWidth + "s  %s", "#", "at", "thread",
                    "what"));
            String continuation = " ".repeat(3 + 1 + 9 + 1 + threadWidth + 2);
            for (EventLog.Event e : timeline) {
                String head = String.format(Locale.ROOT, "%-3d %-9s %-" + threadWidth + "s  ", e.number(),
                        "+" + Report.wholeMs(e.atNanos()), e.thread());
                String indent = e.what().startsWith("  ") ? "  " : ""; // the steps inside a handler
                Report.lines(head + indent, continuation + indent + "  ", e.what().strip()).forEach(report::row);
            }
            report.blank();
            report.fact("browser", "Chromium, pid " + browserPid + (browserEnded ? ", ended with the section"
                    : ", STILL RUNNING"));
            report.fact("environment, controllers owned by", ownerThreads.stream().map(t -> "'" + t + "'")
                    .collect(Collectors.joining(", ")));
            report.fact("first page, in the handler", "executeScript(\"" + TITLE_SCRIPT + "\") = " + title);
            report.fact("second page, in the handler", "executeScript(\"" + ANSWER_SCRIPT + "\") = " + answer);
            report.fact("getCookies in the handler", cookies);
            report.fact("key press", "queued #" + keyPressQueuedOrder + ", click handler returned #"
                    + clickReturnedOrder + ", key press ran #" + keyPressOrder);
            report.fact("deferred page request", "deferral taken #" + deferralOrder + ", rendered on"
                    + " 'resource-server' #" + renderedOrder + ", response set on '" + uiThread + "' #" + respondedOrder);
            report.fact("second controller", "created synchronously inside WebMessageReceived, #"
                    + secondCreatedOrder);
            if (deadlock == null) {
                report.fact("naive executeScript", "returned: the deadlock was not diagnosed");
            } else {
                report.fact("naive executeScript", deadlock.getClass().getSimpleName() + ", "
                        + Report.wholeMs(diagnosisNanos()) + " after it blocked (#" + blockedOrder + "):");
                report.factLines("", deadlock.getMessage());
                report.fact("the call it waited for", "ran late on '" + uiThread + "' as #" + lateCallOrder
                        + ", after the handler had given up (#" + diagnosedOrder + ")");
            }
            report.conclusion("A real Chromium, and every completion and event came back to '" + uiThread + "' as"
                    + " a call. The synchronous wrappers waited under CALLS inside a click handler and inside a"
                    + " WebMessageReceived handler, ran exactly the completions they needed, and left the key press"
                    + " queued. The naive wrapper blocked on work only '" + uiThread + "' could do; instead of"
                    + " hanging, the wait threw after " + Report.wholeMs(diagnosisNanos()) + ".");
        }
    }

    /** Thrown on {@code ui} when the environment cannot be created; becomes {@link Unavailable}. */
    private static final class NoBrowser extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoBrowser(IllegalStateException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private RealWebView() {
    }

    /**
     * Runs the scenario on a new {@code ui} dispatcher thread; every thread and the browser have ended when this
     * returns.
     *
     * @throws Unavailable if no Chromium is found or it does not start; its message says what to install
     */
    public static Result run() throws InterruptedException, Unavailable {
        EventLog log = new EventLog();
        try (AppSite site = new AppSite(); DispatcherThread uiThread = new DispatcherThread("ui")) {
            Dispatcher ui = uiThread.dispatcher();
            CompletableFuture<Handled> handled = new CompletableFuture<>();
            DispatcherOperation<Opened> click = ui.invokeAsync(() -> openClicked(ui, site, log, handled),
                    DispatcherPriority.INPUT);
            Opened opened;
            try {
                opened = Await.result(click.toCompletableFuture(), "the click handler to open the page");
            } catch (NoBrowser e) {
                throw new Unavailable(e.getMessage(), e.getCause());
            }
            try {
                int keyPressOrder = Await.result(opened.keyPress.toCompletableFuture(), "the key press to run");
                Handled h = Await.result(handled, "the web message handler to finish");

                DispatcherOperation<Naive> naiveClick = ui.invokeAsync(() -> naiveClicked(ui, opened.web, log),
                        DispatcherPriority.INPUT);
                Naive naive = Await.result(naiveClick.toCompletableFuture(), "the naive click handler to end");
                Await.result(naive.late.toCompletableFuture(), "the late call to run");
                int lateOrder = Await.result(naive.lateOrder, "the late call's script");

                int deferral = first(log, "WebResourceRequested " + AppSite.HOME + ":");
                int rendered = after(log, deferral, "rendered " + AppSite.HOME + " ");
                int responded = after(log, rendered, "response 200 set");
                return new Result(uiThread.threadName(), opened.pid,
                        List.of(opened.envOwner, opened.controllerOwner, h.secondOwner), h.title, h.answer,
                        h.cookies, opened.keyPressQueued, opened.returned, keyPressOrder, deferral, rendered, responded,
                        h.secondCreated, naive.deadlock, naive.blocked, naive.diagnosed, lateOrder,
                        close(ui, opened.env, opened.pid), log.events());
            } finally {
                ui.invoke(opened.env::close); // idempotent: after a failure above, the browser must not outlive us
            }
        }
    }

    private static int first(EventLog log, String prefix) {
        return after(log, 0, prefix);
    }

    /** The number of the first event after {@code order} whose text starts with {@code prefix}, or 0. */
    private static int after(EventLog log, int order, String prefix) {
        return log.events().stream().filter(e -> e.number() > order && e.what().startsWith(prefix))
                .mapToInt(EventLog.Event::number).findFirst().orElse(0);
    }

    /** Closes the environment on {@code ui} and reports whether its browser process is gone. */
    private static boolean close(Dispatcher ui, WebViewEnvironment env, long pid) {
        ui.invoke(env::close); // returns once the browser has exited
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /** What the first click handler leaves behind; built on {@code ui}. */
    private record Opened(WebViewEnvironment env, WebView web, long pid, String envOwner, String controllerOwner,
            DispatcherOperation<Integer> keyPress, int keyPressQueued, int returned) {
    }

    /** What the web message handler found. */
    private record Handled(String title, String answer, String cookies, String secondOwner, int secondCreated) {
    }

    /** What the naive click handler saw, and the late call. */
    private record Naive(DispatcherDeadlockException deadlock, int blocked, int diagnosed,
            DispatcherOperation<CompletableFuture<String>> late, CompletableFuture<Integer> lateOrder) {
    }

    /** The "Open page" click handler: creates everything synchronously, then navigates. On {@code ui}. */
    private static Opened openClicked(Dispatcher ui, AppSite site, EventLog log, CompletableFuture<Handled> handled) {
        log.add("click handler starts (INPUT)");
        DispatcherOperation<Integer> keyPress = ui.invokeAsync(() -> log.add("key press handled"),
                DispatcherPriority.INPUT);
        int keyPressQueued = log.add("a key press arrives, queued at INPUT");

        log.add("WebViewEnvironment.create(): waiting under CALLS");
        WebViewEnvironment env;
        try {
            env = WebViewEnvironment.create(WebViewEnvironmentOptions.defaults());
        } catch (IllegalStateException e) {
            if (e instanceof DispatcherDeadlockException) {
                throw e;
            }
            throw new NoBrowser(e); // not found, or it did not start: the message says why and what to install
        }
        long pid = env.browserProcessId();
        log.add("create() returned: Chromium started, pid " + pid);
        env.processFailed().addHandler(a -> log.add("ProcessFailed: " + a.processFailedKind()));

        log.add("createController(): waiting under CALLS");
        WebViewController controller = env.createController();
        log.add("createController() returned");
        WebView web = controller.webView();

        site.serve(web, log::add);
        web.navigationStarting().addHandler(a -> log.add("NavigationStarting " + a.uri()));
        web.navigationCompleted().addHandler(a -> log.add("NavigationCompleted success=" + a.isSuccess()
                + ", HTTP " + a.httpStatusCode()));
        web.documentTitleChanged().addHandler(a -> log.add("DocumentTitleChanged \"" + a.title() + "\""));
        web.webMessageReceived().addHandler(a -> {
            log.add("WebMessageReceived " + a.webMessageAsJson());
            if (a.webMessageAsJson().contains("\"ready\"") && !handled.isDone()) {
                try {
                    handled.complete(messageHandled(env, web, log));
                } catch (RuntimeException e) {
                    handled.completeExceptionally(e);
                }
            }
        });
        log.add("navigate(\"" + AppSite.HOME + "\")");
        web.navigate(AppSite.HOME);
        int returned = log.add("click handler returns");
        return new Opened(env, web, pid, env.dispatcher().thread().getName(),
                controller.dispatcher().thread().getName(), keyPress, keyPressQueued, returned);
    }

    /** Inside the WebMessageReceived handler: a second controller, scripts and cookies, all synchronous. */
    private static Handled messageHandled(WebViewEnvironment env, WebView web, EventLog log) {
        log.add("  in the handler: createController(): waiting under CALLS");
        WebViewController second = env.createController();
        int created = log.add("  second controller created");
        String answer = second.webView().executeScript(ANSWER_SCRIPT);
        log.add("  second page: executeScript(\"" + ANSWER_SCRIPT + "\") returned " + answer);
        String title = web.executeScript(TITLE_SCRIPT);
        log.add("  first page: executeScript(\"" + TITLE_SCRIPT + "\") returned " + title);
        CookieManager cookies = web.cookieManager();
        WebViewCookie cookie = cookies.createCookie(COOKIE_NAME, "42", "apartment.example", "/");
        cookies.addOrUpdateCookie(cookie);
        log.add("  addOrUpdateCookie(" + COOKIE_NAME + "=42); getCookies(): waiting under CALLS");
        String got = cookies.getCookies(AppSite.HOME).stream().map(c -> c.name() + "=" + c.value())
                .collect(Collectors.joining(", ", "[", "]"));
        log.add("  getCookies returned " + got);
        second.close();
        log.add("  second controller closed; the handler returns");
        return new Handled(title, answer, got, second.dispatcher().thread().getName(), created);
    }

    /**
     * The second click handler: the wrapper not to write. "Web view calls belong on the UI thread", so it hands the
     * call to the UI thread as an ordinary operation and blocks until that has run, dispatching nothing. It is
     * already on the UI thread: only it could run the operation. Apartment sees the cycle and throws.
     */
    private static Naive naiveClicked(Dispatcher ui, WebView web, EventLog log) {
        log.add("click handler starts: naive executeScript(\"" + TITLE_SCRIPT + "\")");
        CompletableFuture<Integer> lateOrder = new CompletableFuture<>();
        DispatcherOperation<CompletableFuture<String>> call = ui.invokeAsync(() -> {
            lateOrder.complete(log.add("the queued call runs at last: executeScriptAsync"));
            return web.executeScriptAsync(TITLE_SCRIPT);
        });
        int blocked = log.add("call queued on '" + ui.thread().getName() + "' as " + call.kind()
                + "; blocking on its future with join(), dispatching nothing");
        DispatcherDeadlockException deadlock = null;
        int ended;
        try {
            call.toCompletableFuture().join().join();
            ended = log.add("naive executeScript returned (unexpected)");
        } catch (DispatcherDeadlockException e) {
            deadlock = e;
            ended = log.add("DispatcherDeadlockException; the handler gives up and returns");
        }
        return new Naive(deadlock, blocked, ended, call, lateOrder);
    }
}
