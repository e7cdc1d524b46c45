package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Timers are about time, so some tests let time pass (parking until a {@link System#nanoTime()} target); every
 * assertion is about order and counts, or a lower bound on an interval, never an upper bound.
 */
@Timeout(10)
class DispatcherTimerTest {

    private static final Duration SHUTDOWN = TestDispatchers.SHUTDOWN;
    private static final Duration SHORT = Duration.ofMillis(1);

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private Dispatcher start(String name) {
        return dispatchers.start(name);
    }

    private static void passTimeUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * Watches a dispatcher's ticks: a tick is an operation the owner thread posts to itself at the timer's priority
     * (the tests post their own owner-side work at {@link DispatcherPriority#NORMAL} only). Also knows which
     * operation is running, so a tick handler can see its own operation.
     */
    private static final class TickSpy implements DispatcherHooks {
        final Dispatcher dispatcher;
        final DispatcherPriority tickPriority;
        final AtomicInteger tickPosts = new AtomicInteger();
        final AtomicLong firstTickPostedAt = new AtomicLong();
        volatile DispatcherOperation<?> lastTick;
        volatile DispatcherOperation<?> running;

        TickSpy(Dispatcher dispatcher, DispatcherPriority tickPriority) {
            this.dispatcher = dispatcher;
            this.tickPriority = tickPriority;
            dispatcher.addHooks(this);
        }

        @Override
        public void operationPosted(DispatcherOperation<?> operation) {
            if (dispatcher.checkAccess() && operation.priority() == tickPriority) {
                lastTick = operation;
                if (tickPosts.getAndIncrement() == 0) {
                    firstTickPostedAt.set(System.nanoTime());
                }
            }
        }

        @Override
        public void operationStarted(DispatcherOperation<?> operation) {
            running = operation;
        }
    }

    /**
     * Runs {@code startTimer} on the owner and keeps the owner busy with a chain of NORMAL posts, so a
     * lower-priority tick can be queued but cannot run, until a tick has been posted and {@code keepBusyAfter}
     * more has passed; then parks the owner inside an operation until the returned latch is released. The timer is
     * started inside the chain so that no tick can slip in before it.
     */
    private static CountDownLatch holdWithPendingTick(Dispatcher d, TickSpy spy, Duration keepBusyAfter,
            Runnable startTimer) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long cap = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Runnable[] step = new Runnable[1];
        boolean[] first = {true};
        step[0] = () -> {
            if (first[0]) {
                first[0] = false;
                startTimer.run();
            }
            boolean waiting = spy.tickPosts.get() == 0
                    || System.nanoTime() - spy.firstTickPostedAt.get() < keepBusyAfter.toNanos();
            if (waiting && System.nanoTime() - cap < 0) {
                d.post(step[0]);
                return;
            }
            held.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        d.post(step[0]);
        assertThat(held.await(6, TimeUnit.SECONDS)).isTrue();
        assertThat(spy.lastTick).as("a tick was queued while the owner was busy").isNotNull();
        return release;
    }

    @Test
    void aTimerMadeOnTheOwnerTicksThereAtBackgroundByDefault() throws Exception {
        Dispatcher d = start("timer-default");
        TickSpy spy = new TickSpy(d, DispatcherPriority.BACKGROUND);
        DispatcherTimer timer = d.invoke(() -> new DispatcherTimer());
        assertThat(timer.dispatcher()).isSameAs(d);
        assertThat(timer.priority()).isEqualTo(DispatcherPriority.BACKGROUND);
        assertThat(timer.isEnabled()).isFalse();
        assertThat(d.invoke(() -> new DispatcherTimer(DispatcherPriority.INPUT).dispatcher())).isSameAs(d);

        AtomicReference<Thread> tickThread = new AtomicReference<>();
        AtomicReference<DispatcherOperation<?>> tickOp = new AtomicReference<>();
        AtomicReference<DispatcherTimer> sender = new AtomicReference<>();
        CountDownLatch ticked = new CountDownLatch(1);
        timer.addTickHandler(t -> {
            if (ticked.getCount() > 0) {
                tickThread.set(Thread.currentThread());
                tickOp.set(spy.running);
                sender.set(t);
                ticked.countDown();
            }
        });
        timer.setInterval(SHORT);
        timer.start();
        assertThat(timer.isEnabled()).isTrue();
        assertThat(ticked.await(5, TimeUnit.SECONDS)).isTrue();
        timer.stop();

        assertThat(tickThread.get()).isSameAs(d.thread());
        assertThat(sender.get()).isSameAs(timer);
        assertThat(tickOp.get().priority()).isEqualTo(DispatcherPriority.BACKGROUND);
        assertThat(tickOp.get().kind()).isEqualTo(OperationKind.MESSAGE);
    }

    @Test
    void ticksRunAtTheirPriorityRelativeToOtherWork() throws Exception {
        Dispatcher d = start("timer-priority-order");
        TickSpy spy = new TickSpy(d, DispatcherPriority.BACKGROUND);
        List<String> log = new CopyOnWriteArrayList<>();
        DispatcherTimer timer = new DispatcherTimer(DispatcherPriority.BACKGROUND, d);
        timer.setInterval(SHORT);
        timer.addTickHandler(t -> {
            log.add("tick");
            t.stop();
        });
        CountDownLatch release = holdWithPendingTick(d, spy, Duration.ZERO, timer::start);
        try {
            d.post(() -> log.add("idle"), DispatcherPriority.SYSTEM_IDLE);
            d.post(() -> log.add("input"), DispatcherPriority.INPUT);
        } finally {
            release.countDown();
        }
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(log).containsExactly("input", "tick", "idle");
    }

    @Test
    void ticksCoalesceWhileTheOwnerIsBusyAndThenResume() throws Exception {
        Dispatcher d = start("timer-coalesce");
        TickSpy spy = new TickSpy(d, DispatcherPriority.BACKGROUND);
        AtomicInteger ticks = new AtomicInteger();
        List<Integer> postsSeenAtTick = new CopyOnWriteArrayList<>();
        CountDownLatch threeTicks = new CountDownLatch(3);
        DispatcherTimer timer = new DispatcherTimer(DispatcherPriority.BACKGROUND, d);
        timer.setInterval(SHORT);
        timer.addTickHandler(t -> {
            postsSeenAtTick.add(spy.tickPosts.get());
            ticks.incrementAndGet();
            threeTicks.countDown();
        });
        // busy for 100 intervals after the first tick was queued: a timer that did not coalesce would queue ~100
        CountDownLatch release = holdWithPendingTick(d, spy, Duration.ofMillis(100), timer::start);
        int postsWhileBusy;
        try {
            postsWhileBusy = spy.tickPosts.get();
            assertThat(ticks.get()).isZero();
        } finally {
            release.countDown();
        }
        assertThat(postsWhileBusy).as("one pending tick at a time").isEqualTo(1);
        assertThat(threeTicks.await(5, TimeUnit.SECONDS)).as("ticks resume").isTrue();
        timer.stop();
        assertThat(postsSeenAtTick.get(0)).as("the first tick to run is the one queued while busy").isEqualTo(1);
        assertThat(postsSeenAtTick).as("each tick is queued only after the previous one ran").startsWith(1, 2, 3);
    }

    @Test
    void theNextTickIsDueOneIntervalAfterTheTickReturns() throws Exception {
        Dispatcher d = start("timer-after-return");
        Duration interval = Duration.ofMillis(30);
        long slowTick = 3 * interval.toNanos();
        List<long[]> spans = new CopyOnWriteArrayList<>();
        CountDownLatch twoTicks = new CountDownLatch(2);
        DispatcherTimer timer = new DispatcherTimer(DispatcherPriority.NORMAL, d);
        timer.setInterval(interval);
        timer.addTickHandler(t -> {
            long start = System.nanoTime();
            if (spans.isEmpty()) {
                passTimeUntil(start + slowTick); // longer than the interval: a fixed-rate timer would be overdue
            }
            spans.add(new long[] {start, System.nanoTime()});
            twoTicks.countDown();
            if (spans.size() == 2) {
                t.stop();
            }
        });
        timer.start();
        assertThat(twoTicks.await(5, TimeUnit.SECONDS)).isTrue();
        long firstEnd = spans.get(0)[1];
        long secondStart = spans.get(1)[0];
        assertThat(secondStart - firstEnd).as("gap between the end of a tick and the next one")
                .isGreaterThanOrEqualTo(interval.toNanos());
    }

    @Test
    void stopFromAnotherThreadAbortsThePendingTickAndStartResumes() throws Exception {
        Dispatcher d = start("timer-stop-foreign");
        TickSpy spy = new TickSpy(d, DispatcherPriority.BACKGROUND);
        AtomicInteger ticks = new AtomicInteger();
        CountDownLatch resumed = new CountDownLatch(1);
        DispatcherTimer timer = new DispatcherTimer(DispatcherPriority.BACKGROUND, d);
        timer.setInterval(SHORT);
        timer.addTickHandler(t -> {
            ticks.incrementAndGet();
            resumed.countDown();
        });
        DispatcherOperation<?> pending;
        CountDownLatch release = holdWithPendingTick(d, spy, Duration.ZERO, timer::start);
        try {
            pending = spy.lastTick;
            assertThat(pending.status()).isEqualTo(DispatcherOperationStatus.PENDING);
            timer.stop();
            assertThat(timer.isEnabled()).isFalse();
            assertThat(pending.status()).as("stop() aborts the pending tick at once").isEqualTo(
                    DispatcherOperationStatus.ABORTED);
        } finally {
            release.countDown();
        }
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE); // a BACKGROUND tick would have run before this
        assertThat(ticks.get()).as("the aborted tick never runs").isZero();

        timer.start(); // stop, then start again, from a foreign thread
        assertThat(timer.isEnabled()).isTrue();
        assertThat(resumed.await(5, TimeUnit.SECONDS)).isTrue();
        timer.stop();
    }

    @Test
    void stopOnTheOwnerAbortsThePendingTick() throws Exception {
        Dispatcher d = start("timer-stop-owner");
        TickSpy spy = new TickSpy(d, DispatcherPriority.BACKGROUND);
        AtomicInteger ticks = new AtomicInteger();
        DispatcherTimer timer = new DispatcherTimer(DispatcherPriority.BACKGROUND, d);
        timer.setInterval(SHORT);
        timer.addTickHandler(t -> ticks.incrementAndGet());
        CountDownLatch release = holdWithPendingTick(d, spy, Duration.ZERO, timer::start);
        DispatcherOperation<?> pending = spy.lastTick;
        DispatcherOperationStatus[] afterStop = new DispatcherOperationStatus[1];
        d.post(() -> {
            timer.stop();
            afterStop[0] = pending.status();
        }, DispatcherPriority.SEND);
        release.countDown();
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(afterStop[0]).isEqualTo(DispatcherOperationStatus.ABORTED);
        assertThat(ticks.get()).isZero();
        assertThat(timer.isEnabled()).isFalse();
    }

    @Test
    void aStoppedTimerTicksNoMore() throws Exception {
        Dispatcher d = start("timer-stopped");
        AtomicInteger ticks = new AtomicInteger();
        CountDownLatch some = new CountDownLatch(3);
        DispatcherTimer timer = new DispatcherTimer(SHORT, DispatcherPriority.BACKGROUND, t -> {
            ticks.incrementAndGet();
            some.countDown();
        }, d);
        assertThat(some.await(5, TimeUnit.SECONDS)).isTrue();
        timer.stop();
        timer.stop(); // twice: nothing more happens
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE); // the stop request has reached the owner
        int atStop = ticks.get();
        passTimeUntil(System.nanoTime() + 20 * SHORT.toNanos());
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(ticks.get()).isEqualTo(atStop);
        assertThat(timer.isEnabled()).isFalse();
    }

    @Test
    void setIntervalRestartsTheCountOfARunningTimer() throws Exception {
        Dispatcher d = start("timer-interval");
        CountDownLatch ticked = new CountDownLatch(1);
        DispatcherTimer timer = new DispatcherTimer(Duration.ofHours(1), DispatcherPriority.BACKGROUND,
                t -> ticked.countDown(), d);
        assertThat(timer.interval()).isEqualTo(Duration.ofHours(1));
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE); // scheduled an hour from now
        timer.setInterval(SHORT);
        assertThat(timer.interval()).isEqualTo(SHORT);
        assertThat(ticked.await(5, TimeUnit.SECONDS)).as("the new interval counts from now").isTrue();
        timer.stop();

        DispatcherTimer stopped = new DispatcherTimer(DispatcherPriority.BACKGROUND, d);
        stopped.setInterval(SHORT);
        assertThat(stopped.isEnabled()).as("setInterval does not start a timer").isFalse();
    }

    @Test
    void setPriorityAppliesToThePendingTickAndLaterTicks() throws Exception {
        Dispatcher d = start("timer-set-priority");
        TickSpy spy = new TickSpy(d, DispatcherPriority.BACKGROUND);
        List<String> log = new CopyOnWriteArrayList<>();
        List<DispatcherPriority> tickPriorities = new CopyOnWriteArrayList<>();
        CountDownLatch twoTicks = new CountDownLatch(2);
        DispatcherTimer timer = new DispatcherTimer(DispatcherPriority.BACKGROUND, d);
        timer.setInterval(SHORT);
        timer.addTickHandler(t -> {
            tickPriorities.add(spy.running.priority());
            log.add("tick");
            twoTicks.countDown();
        });
        DispatcherOperation<?> pending;
        CountDownLatch release = holdWithPendingTick(d, spy, Duration.ZERO, timer::start);
        try {
            d.post(() -> log.add("normal"));
            pending = spy.lastTick;
            timer.setPriority(DispatcherPriority.SEND);
            assertThat(timer.priority()).isEqualTo(DispatcherPriority.SEND);
            assertThat(pending.priority()).isEqualTo(DispatcherPriority.SEND);
        } finally {
            release.countDown();
        }
        assertThat(twoTicks.await(5, TimeUnit.SECONDS)).isTrue();
        timer.stop();
        assertThat(log).startsWith("tick", "normal");
        assertThat(tickPriorities).startsWith(DispatcherPriority.SEND, DispatcherPriority.SEND);
    }

    @Test
    void theFourArgumentConstructorStartsTheTimer() throws Exception {
        Dispatcher d = start("timer-four-args");
        CountDownLatch ticked = new CountDownLatch(2);
        DispatcherTimer timer = new DispatcherTimer(SHORT, DispatcherPriority.INPUT, t -> ticked.countDown(), d);
        assertThat(timer.isEnabled()).isTrue();
        assertThat(timer.interval()).isEqualTo(SHORT);
        assertThat(timer.priority()).isEqualTo(DispatcherPriority.INPUT);
        assertThat(timer.dispatcher()).isSameAs(d);
        assertThat(ticked.await(5, TimeUnit.SECONDS)).isTrue();
        timer.stop();
    }

    @Test
    void invalidArgumentsAreRejected() {
        Dispatcher d = start("timer-invalid");
        DispatcherTimer timer = new DispatcherTimer(DispatcherPriority.BACKGROUND, d);
        assertThatThrownBy(() -> timer.setInterval(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> timer.setInterval(null)).isInstanceOf(NullPointerException.class);
        assertThat(timer.interval()).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> timer.setPriority(DispatcherPriority.INVALID))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(timer.priority()).isEqualTo(DispatcherPriority.BACKGROUND);
        assertThatThrownBy(() -> new DispatcherTimer(Duration.ofMillis(-5), DispatcherPriority.NORMAL, t -> { }, d))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DispatcherTimer(DispatcherPriority.INVALID, d))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DispatcherTimer(DispatcherPriority.NORMAL, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> timer.addTickHandler(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aScheduledTimerStopsAtShutdown() throws Exception {
        Dispatcher d = start("timer-shutdown-idle");
        DispatcherTimer timer = new DispatcherTimer(Duration.ofHours(1), DispatcherPriority.BACKGROUND, t -> { }, d);
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        d.invokeShutdown();
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        assertThat(timer.isEnabled()).isFalse();
        timer.start(); // after shutdown: does nothing
        assertThat(timer.isEnabled()).isFalse();
    }

    @Test
    void aTimerWithAPendingTickStopsAtShutdown() throws Exception {
        Dispatcher d = start("timer-shutdown-pending");
        TickSpy spy = new TickSpy(d, DispatcherPriority.BACKGROUND);
        AtomicInteger ticks = new AtomicInteger();
        AtomicReference<DispatcherTimer> made = new AtomicReference<>();
        DispatcherOperation<?> pending;
        CountDownLatch release = holdWithPendingTick(d, spy, Duration.ZERO, () -> made.set(
                new DispatcherTimer(SHORT, DispatcherPriority.BACKGROUND, t -> ticks.incrementAndGet(), d)));
        DispatcherTimer timer = made.get();
        try {
            pending = spy.lastTick;
            d.beginInvokeShutdown(DispatcherPriority.SEND);
        } finally {
            release.countDown();
        }
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        assertThat(pending.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
        assertThat(ticks.get()).isZero();
        assertThat(timer.isEnabled()).as("timers stop at shutdown").isFalse();
    }

    @Test
    void aTimerWhoseTickShutsTheDispatcherDownStops() throws Exception {
        Dispatcher d = start("timer-shutdown-in-tick");
        DispatcherTimer timer = new DispatcherTimer(SHORT, DispatcherPriority.BACKGROUND,
                t -> t.dispatcher().invokeShutdown(), d);
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        assertThat(timer.isEnabled()).isFalse();
    }
}
