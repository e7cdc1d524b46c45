package dev.apartment.samples;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherDeadlockException;
import dev.apartment.DispatcherOperation;
import dev.apartment.DispatcherPriority;
import dev.apartment.WaitPolicy;
import dev.apartment.WrongDispatcherException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class SynchronousWrappersTest {

    private static final String UI = "ui";
    private static final String BROWSER = BrowserProcess.THREAD_NAME;
    private static final Duration LATENCY = Duration.ofMillis(10);

    private static SynchronousWrappers.Result result;

    @BeforeAll
    static void runOnce() throws InterruptedException {
        result = SynchronousWrappers.run(new SynchronousWrappers.Settings(LATENCY));
    }

    @AfterEach
    void nothingIsLeftRunning() {
        assertThat(Threads.alive(UI, BROWSER)).isEmpty();
    }

    // --- the sample -----------------------------------------------------------------------------------------

    @Test
    void safeWrappersReturnTheRightValuesFromInsideTheClickHandler() {
        assertThat(result.uiThread()).isEqualTo(UI);
        assertThat(result.browserThread()).isEqualTo(BROWSER);
        assertThat(result.webViewOwner()).isEqualTo(UI);
        assertThat(result.title()).isEqualTo("\"" + BrowserProcess.PAGE_TITLE + "\"");
        assertThat(result.answer()).isEqualTo("42");
    }

    @Test
    void everyCompletionRanOnTheUiThreadAndTheSafeOnesInsideTheHandlersWaits() {
        // create, the two scripts, and the naive wrapper's delivery that ran late
        assertThat(result.completionThreads()).containsExactly(UI, UI, UI, UI);
        assertThat(result.completionsDuringWait()).isEqualTo(3);
        assertThat(result.timeline()).filteredOn(e -> e.what().startsWith("completion handler"))
                .extracting(EventLog.Event::thread).containsOnly(UI);
        assertThat(result.timeline()).filteredOn(e -> e.what().startsWith("evaluated")
                        || e.what().startsWith("environment"))
                .extracting(EventLog.Event::thread).containsOnly(BROWSER);
    }

    @Test
    void theKeyPressQueuedBeforeTheWaitsRanOnlyAfterThem() {
        assertThat(result.keyPressQueuedOrder()).isLessThan(result.lastWaitReturnedOrder());
        assertThat(result.lastWaitReturnedOrder()).isLessThan(result.handlerReturnedOrder());
        assertThat(result.handlerReturnedOrder()).isLessThan(result.keyPressOrder());
        assertThat(result.timeline().get(result.keyPressOrder() - 1).thread()).isEqualTo(UI);
    }

    @Test
    void theNaiveWrapperIsDiagnosedWithinASecondNamingTheUiThreadAndTheDelivery() {
        assertThat(result.deadlock()).isNotNull();
        assertThat(result.deadlock().getMessage())
                .contains("thread '" + UI + "'", "DispatcherOperation[", "on Dispatcher[" + UI + "]",
                        "only this thread could run");
        assertThat(result.blockedOrder()).isLessThan(result.diagnosedOrder());
        assertThat(result.diagnosisNanos()).isPositive().isLessThan(TimeUnit.SECONDS.toNanos(1));
        // the delivery it had waited for ran once the handler gave up
        assertThat(result.lateCompletionOrder()).isGreaterThan(result.diagnosedOrder());
    }

    @Test
    void timelineIsNumberedInOrder() {
        List<EventLog.Event> timeline = result.timeline();
        assertThat(timeline).extracting(EventLog.Event::number)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, timeline.size()).boxed()
                        .collect(Collectors.toList()));
        assertThat(timeline).extracting(EventLog.Event::atNanos).isSorted();
    }

    // --- the component on its own ---------------------------------------------------------------------------

    @Test
    void syncWrappersWorkInsideAnInvokeFromAnotherThread() throws InterruptedException {
        try (BrowserProcess browser = new BrowserProcess(LATENCY, new EventLog());
                DispatcherThread uiThread = new DispatcherThread(UI)) {
            Dispatcher ui = uiThread.dispatcher();
            String answer = ui.invoke(() -> SimulatedWebView.create(browser, ui).executeScript("20 + 22"));
            assertThat(answer).isEqualTo("42");
        }
    }

    @Test
    void asyncCreationFromAnotherThreadMakesAWebViewThatBelongsToTheUiThread() throws InterruptedException {
        try (BrowserProcess browser = new BrowserProcess(LATENCY, new EventLog());
                DispatcherThread uiThread = new DispatcherThread(UI)) {
            Dispatcher ui = uiThread.dispatcher();
            SimulatedWebView view = Await.result(SimulatedWebView.createAsync(browser, ui), "the webview");

            assertThat(view.dispatcher()).isSameAs(ui);
            assertThatThrownBy(() -> view.executeScript("1 + 1")).isInstanceOf(WrongDispatcherException.class);
            assertThat(ui.invoke(view::completions)).extracting(SimulatedWebView.Completion::thread)
                    .containsExactly(UI);
        }
    }

    @Test
    void aScriptErrorComesBackThroughTheSyncWrapper() throws InterruptedException {
        try (BrowserProcess browser = new BrowserProcess(LATENCY, new EventLog());
                DispatcherThread uiThread = new DispatcherThread(UI)) {
            Dispatcher ui = uiThread.dispatcher();
            Throwable thrown = ui.invoke(() -> {
                SimulatedWebView view = SimulatedWebView.create(browser, ui);
                try {
                    view.executeScript("window.close(");
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SyntaxError");
        }
    }

    @Test
    void underCallsAndMessagesTheKeyPressWouldRunInsideTheWait() throws InterruptedException {
        // The contrast to CALLS: a nested loop that dispatches messages runs the queued key press re-entrantly.
        EventLog log = new EventLog();
        try (BrowserProcess browser = new BrowserProcess(LATENCY, log);
                DispatcherThread uiThread = new DispatcherThread(UI)) {
            Dispatcher ui = uiThread.dispatcher();
            DispatcherOperation<int[]> handler = ui.invokeAsync(() -> {
                SimulatedWebView view = SimulatedWebView.create(browser, ui);
                DispatcherOperation<Integer> keyPress = ui.invokeAsync(() -> log.add("key press"),
                        DispatcherPriority.INPUT);
                CompletableFuture<String> script = view.executeScriptAsync("6 * 7");
                ui.waitFor(script, WaitPolicy.CALLS_AND_MESSAGES);
                int returned = log.add("wait returned");
                return new int[] {keyPress.isDone() ? keyPress.get() : Integer.MAX_VALUE, returned};
            }, DispatcherPriority.INPUT);
            int[] orders = Await.result(handler.toCompletableFuture(), "the handler");
            assertThat(orders[0]).isLessThan(orders[1]);
        }
    }

    @Test
    void naiveWrapperThrowsWithinASecondOnItsOwn() throws InterruptedException {
        try (BrowserProcess browser = new BrowserProcess(LATENCY, new EventLog());
                DispatcherThread uiThread = new DispatcherThread(UI)) {
            Dispatcher ui = uiThread.dispatcher();
            SimulatedWebView view = ui.invoke(() -> SimulatedWebView.create(browser, ui));
            long[] nanos = new long[1];
            RuntimeException thrown = ui.invoke(() -> {
                long start = System.nanoTime();
                try {
                    view.executeScriptNaively("document.title");
                    return null;
                } catch (RuntimeException e) {
                    return e;
                } finally {
                    nanos[0] = System.nanoTime() - start;
                }
            });
            assertThat(thrown).isInstanceOf(DispatcherDeadlockException.class)
                    .hasMessageContaining("thread '" + UI + "'");
            // latency of the browser (10 ms) plus the diagnosis (about two checks 100 ms apart)
            assertThat(nanos[0]).isLessThan(TimeUnit.SECONDS.toNanos(1));
        }
    }
}
