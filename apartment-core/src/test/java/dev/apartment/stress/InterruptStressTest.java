package dev.apartment.stress;

import static dev.apartment.stress.StressSupport.isWaiting;
import static dev.apartment.stress.StressSupport.n;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;
import dev.apartment.OperationAbortedException;
import dev.apartment.WaitPolicy;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Suite 4: interrupts of threads blocked in {@code invoke} (on a blocked dispatcher: before and after the operation
 * started; from a plain thread and from another dispatcher's thread) and in {@code waitFor} (plain thread and
 * dispatcher thread). They return promptly (bounded by the @Timeout), keep their interrupt status, and the
 * operation's state is well defined afterwards. Each scenario is repeated.
 */
@Tag("stress")
class InterruptStressTest {
    private static final int ROUNDS = 100;
    private static final Duration LIMIT = Duration.ofSeconds(10);

    /** What the interrupted thread saw. */
    private static final class Outcome {
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final AtomicBoolean interruptKept = new AtomicBoolean();
        final AtomicBoolean returned = new AtomicBoolean();
    }

    /** Interrupts {@code t} once it is waiting, and joins it. */
    private static void interruptWhenWaiting(Thread t, AtomicBoolean entered) throws InterruptedException {
        StressSupport.spinUntil(() -> entered.get() && isWaiting(t), LIMIT, t.getName() + " is waiting");
        t.interrupt();
        t.join(LIMIT.toMillis());
        assertThat(t.isAlive()).as("%s returned after the interrupt", t.getName()).isFalse();
    }

    @Test
    @Timeout(60)
    void interruptingAPlainThreadBlockedInInvokeAbortsTheOperationIfItHadNotStarted() throws Exception {
        Dispatcher d = Dispatcher.start("stress-interrupt-invoke");
        long start = System.nanoTime();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch release = StressSupport.block(d);
                AtomicInteger runs = new AtomicInteger();
                Outcome o = new Outcome();
                AtomicBoolean entered = new AtomicBoolean();
                Thread caller = new Thread(() -> {
                    try {
                        entered.set(true);
                        d.invoke(runs::incrementAndGet, DispatcherPriority.NORMAL);
                        o.returned.set(true);
                    } catch (Throwable t) {
                        o.thrown.set(t);
                    }
                    o.interruptKept.set(Thread.currentThread().isInterrupted());
                }, "stress-invoke-caller-" + round);
                caller.start();
                interruptWhenWaiting(caller, entered);
                release.countDown();
                d.invoke(() -> { }, DispatcherPriority.SYSTEM_IDLE); // everything queued before has run or ended
                assertThat(o.returned).isFalse();
                assertThat(o.thrown.get()).as("round %d", round).isInstanceOf(OperationAbortedException.class);
                assertThat(o.interruptKept).as("interrupt status kept").isTrue();
                assertThat(runs.get()).as("round %d: the aborted operation never ran", round).isZero();
            }

            // the operation had started: invoke gives up waiting (CancellationException), the operation runs on
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch started = new CountDownLatch(1);
                CountDownLatch finish = new CountDownLatch(1);
                AtomicInteger runs = new AtomicInteger();
                CompletableFuture<Void> ended = new CompletableFuture<>();
                Outcome o = new Outcome();
                AtomicBoolean entered = new AtomicBoolean();
                Thread caller = new Thread(() -> {
                    try {
                        entered.set(true);
                        d.invoke(() -> {
                            started.countDown();
                            try {
                                finish.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            runs.incrementAndGet();
                            ended.complete(null);
                        }, DispatcherPriority.NORMAL);
                        o.returned.set(true);
                    } catch (Throwable t) {
                        o.thrown.set(t);
                    }
                    o.interruptKept.set(Thread.currentThread().isInterrupted());
                }, "stress-invoke-started-caller-" + round);
                caller.start();
                assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                interruptWhenWaiting(caller, entered);
                assertThat(o.thrown.get()).as("round %d", round).isInstanceOf(CancellationException.class)
                        .isNotInstanceOf(OperationAbortedException.class);
                assertThat(o.interruptKept).isTrue();
                finish.countDown();
                ended.get(10, TimeUnit.SECONDS);
                assertThat(runs.get()).as("the started operation ran to its end, once").isEqualTo(1);
            }
            assertThat(d.invoke(() -> 7)).as("the dispatcher still works").isEqualTo(7);
            StressSupport.summary("interrupts, plain thread in invoke: " + n(ROUNDS) + " before start ("
                    + n(ROUNDS) + " OperationAbortedException, 0 ran) + " + n(ROUNDS) + " after start (" + n(ROUNDS)
                    + " CancellationException, " + n(ROUNDS) + " ran once), interrupt kept " + n(2 * ROUNDS) + "/"
                    + n(2 * ROUNDS) + ", in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        } finally {
            StressSupport.shutDownAndJoin(d);
        }
    }

    @Test
    @Timeout(60)
    void interruptingADispatcherThreadBlockedInInvokeIntoABlockedDispatcher() throws Exception {
        Dispatcher a = Dispatcher.start("stress-interrupt-a");
        Dispatcher b = Dispatcher.start("stress-interrupt-b");
        long start = System.nanoTime();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch release = StressSupport.block(b);
                AtomicInteger runs = new AtomicInteger();
                Outcome o = new Outcome();
                AtomicBoolean entered = new AtomicBoolean();
                CompletableFuture<Void> done = new CompletableFuture<>();
                a.post(() -> {
                    try {
                        entered.set(true);
                        b.invoke(runs::incrementAndGet, DispatcherPriority.NORMAL);
                        o.returned.set(true);
                    } catch (Throwable t) {
                        o.thrown.set(t);
                    }
                    o.interruptKept.set(Thread.interrupted()); // and clear it: the loop of a goes on
                    done.complete(null);
                });
                StressSupport.spinUntil(() -> entered.get() && isWaiting(a.thread()), LIMIT, "a waits in invoke");
                a.thread().interrupt();
                done.get(10, TimeUnit.SECONDS);
                release.countDown();
                b.invoke(() -> { }, DispatcherPriority.SYSTEM_IDLE);
                assertThat(o.thrown.get()).as("round %d", round).isInstanceOf(OperationAbortedException.class);
                assertThat(o.interruptKept).isTrue();
                assertThat(runs.get()).isZero();
            }
            assertThat(a.invoke(() -> b.invoke(() -> 5))).as("both still work").isEqualTo(5);
            StressSupport.summary("interrupts, dispatcher thread in invoke: " + n(ROUNDS) + " rounds, " + n(ROUNDS)
                    + " OperationAbortedException, interrupt kept " + n(ROUNDS) + "/" + n(ROUNDS) + ", 0 ran, in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        } finally {
            StressSupport.shutDownAndJoin(a);
            StressSupport.shutDownAndJoin(b);
        }
    }

    @Test
    @Timeout(60)
    void interruptingWaitForOnAPlainThreadAndOnADispatcherThread() throws Exception {
        Dispatcher d = Dispatcher.start("stress-interrupt-waitfor");
        WaitPolicy[] policies = WaitPolicy.values();
        long start = System.nanoTime();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CompletableFuture<String> never = new CompletableFuture<>();
                Outcome o = new Outcome();
                AtomicBoolean entered = new AtomicBoolean();
                WaitPolicy policy = policies[round % policies.length];
                Thread waiter = new Thread(() -> {
                    try {
                        entered.set(true);
                        d.waitFor(never, policy);
                        o.returned.set(true);
                    } catch (Throwable t) {
                        o.thrown.set(t);
                    }
                    o.interruptKept.set(Thread.currentThread().isInterrupted());
                }, "stress-waitfor-plain-" + round);
                waiter.start();
                interruptWhenWaiting(waiter, entered);
                assertThat(o.thrown.get()).as("round %d (%s)", round, policy)
                        .isInstanceOf(CancellationException.class);
                assertThat(o.interruptKept).isTrue();
                assertThat(never).as("the future is left alone").isNotDone();
            }
            for (int round = 0; round < ROUNDS; round++) {
                CompletableFuture<String> never = new CompletableFuture<>();
                Outcome o = new Outcome();
                AtomicBoolean entered = new AtomicBoolean();
                CompletableFuture<Void> done = new CompletableFuture<>();
                // CALLS and CALLS_AND_MESSAGES only: NONE on a plain future the owner would wait for without
                // dispatching is legal too, but a deadlock diagnosis may fire first; that is suite-of-its-own work
                WaitPolicy policy = round % 2 == 0 ? WaitPolicy.CALLS : WaitPolicy.CALLS_AND_MESSAGES;
                d.post(() -> {
                    try {
                        entered.set(true);
                        d.waitFor(never, policy);
                        o.returned.set(true);
                    } catch (Throwable t) {
                        o.thrown.set(t);
                    }
                    o.interruptKept.set(Thread.interrupted());
                    done.complete(null);
                });
                StressSupport.spinUntil(() -> entered.get() && isWaiting(d.thread()), LIMIT,
                        "the owner waits in waitFor");
                d.thread().interrupt();
                done.get(10, TimeUnit.SECONDS);
                assertThat(o.thrown.get()).as("round %d (%s)", round, policy)
                        .isInstanceOf(CancellationException.class);
                assertThat(o.interruptKept).isTrue();
                assertThat(never).isNotDone();
            }
            assertThat(d.invoke(() -> 9, DispatcherPriority.BACKGROUND)).as("the dispatcher still works")
                    .isEqualTo(9);
            StressSupport.summary("interrupts, waitFor: " + n(ROUNDS) + " plain-thread waits + " + n(ROUNDS)
                    + " dispatcher-thread waits interrupted, " + n(2 * ROUNDS) + " CancellationException, interrupt "
                    + "kept " + n(2 * ROUNDS) + "/" + n(2 * ROUNDS) + ", futures untouched, in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        } finally {
            StressSupport.shutDownAndJoin(d);
        }
    }
}
