package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stall watchdog: one report per operation that runs past the budget, with the owner's stack at that moment. */
@Timeout(10)
class StallWatchdogTest {
    private static final Duration BUDGET = Duration.ofMillis(50);

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    /** Blocks the owner thread in a method whose name the report's stack must show. */
    private static void stallHere(CountDownLatch release) {
        try {
            release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anOperationThatRunsPastTheBudgetIsReportedOnceWithTheOwnersStack() throws Exception {
        Dispatcher d = dispatchers.start("stall-ui");
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        CompletableFuture<StallReport> first = new CompletableFuture<>();
        d.setStallWatchdog(BUDGET, r -> {
            reports.add(r);
            first.complete(r);
        });
        CountDownLatch release = new CountDownLatch(1);
        DispatcherOperation<Void> stall = d.post(() -> stallHere(release), DispatcherPriority.INPUT);
        StallReport r = first.get(5, TimeUnit.SECONDS);
        // the stall goes on for several more looks of the watchdog: still one report
        CountDownLatch moreLooks = new CountDownLatch(1);
        assertThat(moreLooks.await(4 * BUDGET.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
        release.countDown();
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);

        assertThat(reports).hasSize(1);
        assertThat(r.operation()).isSameAs(stall);
        assertThat(r.dispatcher()).isSameAs(d);
        assertThat(r.priority()).isEqualTo(DispatcherPriority.INPUT);
        assertThat(r.kind()).isEqualTo(OperationKind.MESSAGE);
        assertThat(r.runningFor()).isGreaterThan(BUDGET);
        assertThat(r.budget()).isEqualTo(BUDGET);
        assertThat(r.ownerStack()).anySatisfy(e -> assertThat(e.getMethodName()).isEqualTo("stallHere"));
        assertThat(r.toString()).startsWith("stall: Dispatcher[stall-ui] has been running")
                .contains("budget 50 ms", "thread 'stall-ui' is at:", "stallHere");
    }

    @Test
    void shortOperationsAndIdleTimeAreNotStalls() throws Exception {
        Dispatcher d = dispatchers.start("stall-quiet");
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        d.setStallWatchdog(BUDGET, reports::add);
        for (int i = 0; i < 10_000; i++) {
            d.post(() -> { });
        }
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        CountDownLatch idle = new CountDownLatch(1); // the dispatcher now idles for several budgets
        assertThat(idle.await(4 * BUDGET.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
        assertThat(reports).isEmpty();
    }

    @Test
    void anOperationPumpingANestedFrameIsNotStalledButAWaitThatDispatchesNothingIs() throws Exception {
        Dispatcher d = dispatchers.start("stall-nested");
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        d.setStallWatchdog(BUDGET, reports::add);
        // a modal loop open for several budgets, with short work in it: the thread is responsive throughout
        d.invoke(() -> {
            DispatcherFrame modal = new DispatcherFrame();
            DispatcherTimer ticker = new DispatcherTimer(Duration.ofMillis(5), DispatcherPriority.INPUT, t -> { }, d);
            DispatcherTimer closer = new DispatcherTimer(BUDGET.multipliedBy(4), DispatcherPriority.NORMAL, t -> {
                t.stop();
                modal.setContinue(false);
            }, d);
            d.pushFrame(modal);
            ticker.stop();
            closer.stop();
        }, DispatcherPriority.NORMAL);
        assertThat(reports).as("pumping a nested frame is not a stall").isEmpty();

        // a wait that dispatches nothing freezes the thread: reported
        CompletableFuture<StallReport> frozen = new CompletableFuture<>();
        d.setStallWatchdog(BUDGET, frozen::complete);
        CompletableFuture<String> never = new CompletableFuture<>();
        d.post(() -> d.waitForAll(WaitPolicy.NONE, BUDGET.multipliedBy(6), never));
        StallReport r = frozen.get(5, TimeUnit.SECONDS);
        assertThat(r.ownerStack()).anySatisfy(e -> assertThat(e.getMethodName()).isEqualTo("waitForAll"));
    }

    /**
     * Captures what reaches the java.util.logging logger behind {@code System.getLogger(name)}, through a JUL
     * {@code Filter} set by reflection (core's module does not read java.logging; reflection needs no read edge).
     * Returns "LEVEL message" of the first record.
     */
    private static CompletableFuture<String> captureLog(String name) throws Exception {
        Class<?> loggerClass = Class.forName("java.util.logging.Logger");
        Class<?> filterClass = Class.forName("java.util.logging.Filter");
        Object jul = loggerClass.getMethod("getLogger", String.class).invoke(null, name);
        CompletableFuture<String> first = new CompletableFuture<>();
        Object filter = java.lang.reflect.Proxy.newProxyInstance(filterClass.getClassLoader(),
                new Class<?>[] {filterClass}, (proxy, method, args) -> {
                    if (!method.getName().equals("isLoggable")) {
                        return method.getName().equals("hashCode") ? 0 : method.getName().equals("equals") ? false
                                : "capture";
                    }
                    Object record = args[0];
                    Object level = record.getClass().getMethod("getLevel").invoke(record);
                    Object message = record.getClass().getMethod("getMessage").invoke(record);
                    first.complete(level + " " + message);
                    return false; // captured, not printed
                });
        loggerClass.getMethod("setFilter", filterClass).invoke(jul, filter);
        first.whenComplete((v, e) -> {
            try {
                loggerClass.getMethod("setFilter", filterClass).invoke(jul, (Object) null);
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        });
        return first;
    }

    @Test
    void theDefaultHandlerLogsAWarningAndTheWatchdogCanBeTurnedOff() throws Exception {
        Dispatcher d = dispatchers.start("stall-log");
        CompletableFuture<String> logged = captureLog(Dispatcher.class.getName());
        d.setStallWatchdog(BUDGET);
        CountDownLatch stalled = new CountDownLatch(1);
        d.post(() -> stallHere(stalled));
        String record = logged.get(5, TimeUnit.SECONDS);
        stalled.countDown();
        assertThat(record).startsWith("WARNING stall: Dispatcher[stall-log]").contains("stallHere");

        List<StallReport> after = new CopyOnWriteArrayList<>();
        d.setStallWatchdog(BUDGET, after::add);
        d.disableStallWatchdog();
        CountDownLatch release = new CountDownLatch(1);
        d.post(() -> stallHere(release));
        CountDownLatch wait = new CountDownLatch(1);
        assertThat(wait.await(4 * BUDGET.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
        release.countDown();
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(after).isEmpty();
    }

    @Test
    void badBudgetsAreRejected() {
        Dispatcher d = dispatchers.start("stall-args");
        assertThatThrownBy(() -> d.setStallWatchdog(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budget");
        assertThatThrownBy(() -> d.setStallWatchdog(Duration.ofMillis(-1), r -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.setStallWatchdog(null)).hasMessageContaining("budget");
        assertThatThrownBy(() -> d.setStallWatchdog(BUDGET, null)).hasMessageContaining("handler");
    }
}
