package dev.apartment;

import static dev.apartment.DispatcherPriority.APPLICATION_IDLE;
import static dev.apartment.DispatcherPriority.BACKGROUND;
import static dev.apartment.DispatcherPriority.CONTEXT_IDLE;
import static dev.apartment.DispatcherPriority.DATA_BIND;
import static dev.apartment.DispatcherPriority.INACTIVE;
import static dev.apartment.DispatcherPriority.INPUT;
import static dev.apartment.DispatcherPriority.INVALID;
import static dev.apartment.DispatcherPriority.LOADED;
import static dev.apartment.DispatcherPriority.NORMAL;
import static dev.apartment.DispatcherPriority.RENDER;
import static dev.apartment.DispatcherPriority.SEND;
import static dev.apartment.DispatcherPriority.SYSTEM_IDLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DispatcherPriorityTest {

    private Dispatcher dispatcher;
    private final AtomicInteger posted = new AtomicInteger();

    @BeforeEach
    void startDispatcher() {
        dispatcher = Dispatcher.start("priority-test");
        dispatcher.addHooks(new DispatcherHooks() {
            @Override
            public void operationPosted(DispatcherOperation<?> operation) {
                posted.incrementAndGet();
            }
        });
    }

    @AfterEach
    void shutDown() throws InterruptedException {
        dispatcher.invokeShutdown();
        assertThat(dispatcher.awaitShutdown(Duration.ofSeconds(5))).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Values and groups
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void valuesAreThoseOfWpf() {
        Map<DispatcherPriority, Integer> expected = new LinkedHashMap<>();
        expected.put(INVALID, -1);
        expected.put(INACTIVE, 0);
        expected.put(SYSTEM_IDLE, 1);
        expected.put(APPLICATION_IDLE, 2);
        expected.put(CONTEXT_IDLE, 3);
        expected.put(BACKGROUND, 4);
        expected.put(INPUT, 5);
        expected.put(LOADED, 6);
        expected.put(RENDER, 7);
        expected.put(DATA_BIND, 8);
        expected.put(NORMAL, 9);
        expected.put(SEND, 10);

        assertThat(DispatcherPriority.values()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((p, v) -> assertThat(p.value()).as(p.name()).isEqualTo(v));
    }

    @Test
    void declarationOrderIsValueOrderSoCompareToRanksPriorities() {
        DispatcherPriority[] all = DispatcherPriority.values();
        for (int i = 1; i < all.length; i++) {
            assertThat(all[i].value()).isGreaterThan(all[i - 1].value());
            assertThat(all[i]).isGreaterThan(all[i - 1]);
        }
    }

    @Test
    void fromValueRoundTripsEveryPriority() {
        for (DispatcherPriority p : DispatcherPriority.values()) {
            assertThat(DispatcherPriority.fromValue(p.value())).isSameAs(p);
        }
    }

    @Test
    void fromValueRejectsValuesOutsideMinusOneToTen() {
        for (int bad : new int[] {-2, 11, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> DispatcherPriority.fromValue(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(bad));
        }
    }

    @Test
    void groupsAreWpfsForegroundBackgroundAndIdle() {
        EnumSet<DispatcherPriority> foreground = EnumSet.noneOf(DispatcherPriority.class);
        EnumSet<DispatcherPriority> background = EnumSet.noneOf(DispatcherPriority.class);
        EnumSet<DispatcherPriority> idle = EnumSet.noneOf(DispatcherPriority.class);
        for (DispatcherPriority p : DispatcherPriority.values()) {
            if (p.isForeground()) {
                foreground.add(p);
            }
            if (p.isBackground()) {
                background.add(p);
            }
            if (p.isIdle()) {
                idle.add(p);
            }
        }
        assertThat(foreground).containsExactly(LOADED, RENDER, DATA_BIND, NORMAL, SEND);
        assertThat(background).containsExactly(BACKGROUND, INPUT);
        assertThat(idle).containsExactly(SYSTEM_IDLE, APPLICATION_IDLE, CONTEXT_IDLE);
    }

    @Test
    void inactiveAndInvalidBelongToNoGroup() {
        for (DispatcherPriority p : List.of(INACTIVE, INVALID)) {
            assertThat(p.isForeground()).as(p + " foreground").isFalse();
            assertThat(p.isBackground()).as(p + " background").isFalse();
            assertThat(p.isIdle()).as(p + " idle").isFalse();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Every API that takes a priority rejects INVALID and null, before it queues anything
    // ---------------------------------------------------------------------------------------------------------

    /** Reached through an invoke, which itself is queued: the one entry allowed to post (its carrier). */
    private static final String TIMER_ON_OWNER = "new DispatcherTimer(priority) on the owner thread";

    /** Each entry calls one public API with the given priority; the name says which. */
    private Map<String, Consumer<DispatcherPriority>> apisTakingAPriority() throws InterruptedException {
        // A pending operation to call setPriority on; INACTIVE so it can never start under the test's feet.
        DispatcherOperation<Void> pending = dispatcher.invokeAsync(() -> { }, INACTIVE);
        DispatcherTimer timer = new DispatcherTimer(BACKGROUND, dispatcher);

        Map<String, Consumer<DispatcherPriority>> apis = new LinkedHashMap<>();
        apis.put("post(Runnable, priority)", p -> dispatcher.post(() -> { }, p));
        apis.put("invokeAsync(Callable, priority)", p -> dispatcher.invokeAsync(() -> 1, p));
        apis.put("invokeAsync(Runnable, priority)", p -> dispatcher.invokeAsync((Runnable) () -> { }, p));
        apis.put("invoke(Callable, priority)", p -> dispatcher.invoke(() -> 1, p));
        apis.put("invoke(Callable, priority, timeout)", p -> dispatcher.invoke(() -> 1, p, Duration.ofSeconds(5)));
        apis.put("invoke(Runnable, priority)", p -> dispatcher.invoke((Runnable) () -> { }, p));
        apis.put("invoke(Runnable, priority, timeout)",
                p -> dispatcher.invoke((Runnable) () -> { }, p, Duration.ofSeconds(5)));
        apis.put("DispatcherOperation.setPriority", pending::setPriority);
        apis.put("executor(priority)", dispatcher::executor);
        apis.put("yield(priority)", dispatcher::yield);
        apis.put("synchronizationContext(priority)", dispatcher::synchronizationContext);
        apis.put("beginInvokeShutdown(priority)", dispatcher::beginInvokeShutdown);
        apis.put("new DispatcherTimer(priority, dispatcher)", p -> new DispatcherTimer(p, dispatcher));
        apis.put("new DispatcherTimer(interval, priority, handler, dispatcher)",
                p -> new DispatcherTimer(Duration.ofHours(1), p, t -> { }, dispatcher));
        // The one-argument constructor binds to Dispatcher.current(): build it on the owner thread, never here.
        apis.put(TIMER_ON_OWNER, p -> dispatcher.invoke(() -> new DispatcherTimer(p)));
        apis.put("DispatcherTimer.setPriority", timer::setPriority);
        return apis;
    }

    @TestFactory
    Stream<DynamicTest> everyApiRejectsInvalidWithIllegalArgumentExceptionNamingTheArgument()
            throws InterruptedException {
        Map<String, Consumer<DispatcherPriority>> apis = apisTakingAPriority();
        List<DynamicTest> tests = new ArrayList<>();
        apis.forEach((name, api) -> tests.add(DynamicTest.dynamicTest(name, () -> {
            int expectedPosted = posted.get() + (name.equals(TIMER_ON_OWNER) ? 1 : 0);
            assertThatThrownBy(() -> api.accept(INVALID))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("priority")
                    .hasMessageContaining("INVALID");
            assertThat(posted.get()).as("a rejected call must not queue anything").isEqualTo(expectedPosted);
            assertThat(dispatcher.hasShutdownStarted()).isFalse();
        })));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyApiRejectsNullPriorityWithNullPointerExceptionNamingTheArgument()
            throws InterruptedException {
        Map<String, Consumer<DispatcherPriority>> apis = apisTakingAPriority();
        List<DynamicTest> tests = new ArrayList<>();
        apis.forEach((name, api) -> tests.add(DynamicTest.dynamicTest(name, () -> {
            int expectedPosted = posted.get() + (name.equals(TIMER_ON_OWNER) ? 1 : 0);
            assertThatThrownBy(() -> api.accept(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("priority");
            assertThat(posted.get()).as("a rejected call must not queue anything").isEqualTo(expectedPosted);
            assertThat(dispatcher.hasShutdownStarted()).isFalse();
        })));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyApiAcceptsEachValidPriority() throws InterruptedException {
        Map<String, Consumer<DispatcherPriority>> apis = apisTakingAPriority();
        apis.remove("beginInvokeShutdown(priority)"); // accepted means the dispatcher goes away; see its own test
        List<DynamicTest> tests = new ArrayList<>();
        apis.forEach((name, api) -> tests.add(DynamicTest.dynamicTest(name, () -> {
            for (DispatcherPriority p : DispatcherPriority.values()) {
                if (p == INVALID || (p == INACTIVE && name.startsWith("invoke("))) {
                    continue; // an INACTIVE invoke would wait for ever, by design
                }
                assertThatCode(() -> api.accept(p)).as(name + " at " + p).doesNotThrowAnyException();
            }
        })));
        return tests.stream();
    }

    @Test
    void beginInvokeShutdownAcceptsAValidPriority() throws InterruptedException {
        dispatcher.beginInvokeShutdown(BACKGROUND);
        assertThat(dispatcher.awaitShutdown(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void rejectedSetPriorityLeavesTheOperationAsItWas() throws Exception {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 7, INACTIVE);

        assertThatThrownBy(() -> op.setPriority(INVALID)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> op.setPriority(null)).isInstanceOf(NullPointerException.class);

        assertThat(op.priority()).isEqualTo(INACTIVE);
        assertThat(op.status()).isEqualTo(DispatcherOperationStatus.PENDING);
        assertThat(op.setPriority(NORMAL)).isTrue();
        assertThat(op.get(5, TimeUnit.SECONDS)).isEqualTo(7);
    }

    @Test
    void rejectedTimerSetPriorityKeepsThePreviousPriority() {
        DispatcherTimer timer = new DispatcherTimer(RENDER, dispatcher);

        assertThatThrownBy(() -> timer.setPriority(INVALID)).isInstanceOf(IllegalArgumentException.class);

        assertThat(timer.priority()).isEqualTo(RENDER);
    }

    @Test
    void operationsReportThePriorityTheyWereQueuedAt() {
        for (DispatcherPriority p : Arrays.asList(INACTIVE, SYSTEM_IDLE, BACKGROUND, INPUT, NORMAL, SEND)) {
            DispatcherOperation<Void> op = dispatcher.post(() -> { }, p);
            assertThat(op.priority()).as("posted at " + p).isEqualTo(p);
            op.abort();
        }
    }
}
