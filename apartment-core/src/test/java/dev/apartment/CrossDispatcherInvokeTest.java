package dev.apartment;

import dev.apartment.stress.InvokeTree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Synchronous invokes among dispatchers: a dispatcher thread that invokes into another one waits under
 * {@link WaitPolicy#CALLS}, so calls back into it (cross-thread invokes, {@link Dispatcher#callbacks()} tasks) run
 * during the wait, its messages do not, and any cycle of synchronous invokes completes. With a plain blocking wait
 * every test here would deadlock; the timeouts turn that into a failure within seconds. None of these scenarios is
 * a deadlock, so none may end in a {@link DispatcherDeadlockException}.
 */
@Timeout(30)
class CrossDispatcherInvokeTest {

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private Dispatcher start(String name) {
        return dispatchers.start(name);
    }

    /** Lets wall-clock time pass until {@code nanoTime}: work that takes time, not synchronization. */
    private static void passTimeUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    @Test
    @Timeout(5)
    void aIntoBIntoAReturnsTheValueComputedOnA() {
        Dispatcher a = start("cross-a");
        Dispatcher b = start("cross-b");
        AtomicReference<Thread> outer = new AtomicReference<>();
        AtomicReference<Thread> middle = new AtomicReference<>();
        AtomicReference<Thread> inner = new AtomicReference<>();

        String result = a.invoke(() -> {
            outer.set(Thread.currentThread());
            return b.invoke(() -> {
                middle.set(Thread.currentThread());
                return a.invoke(() -> {
                    inner.set(Thread.currentThread());
                    return "x";
                });
            });
        });

        assertThat(result).isEqualTo("x");
        assertThat(outer.get()).isSameAs(a.thread());
        assertThat(middle.get()).isSameAs(b.thread());
        assertThat(inner.get()).as("the call back into A ran on A's thread, during A's wait").isSameAs(a.thread());
    }

    @Test
    @Timeout(5)
    void aCycleOfFourDispatchersCompletes() {
        Dispatcher a = start("cycle-a");
        Dispatcher b = start("cycle-b");
        Dispatcher c = start("cycle-c");
        Dispatcher d = start("cycle-d");
        List<Thread> hops = new CopyOnWriteArrayList<>();

        int result = a.invoke(() -> {
            hops.add(Thread.currentThread());
            return b.invoke(() -> {
                hops.add(Thread.currentThread());
                return c.invoke(() -> {
                    hops.add(Thread.currentThread());
                    return d.invoke(() -> {
                        hops.add(Thread.currentThread());
                        return a.invoke(() -> {
                            hops.add(Thread.currentThread());
                            return 4;
                        });
                    });
                });
            });
        });

        assertThat(result).isEqualTo(4);
        assertThat(hops).containsExactly(a.thread(), b.thread(), c.thread(), d.thread(), a.thread());
    }

    @Test
    @Timeout(10)
    void aThousandRoundsOfPingPongInsideOneOperation() {
        Dispatcher a = start("pingpong-a");
        Dispatcher b = start("pingpong-b");
        int rounds = 1_000;
        AtomicLong wrongThread = new AtomicLong();

        long sum = a.invoke(() -> {
            long s = 0;
            for (int i = 0; i < rounds; i++) {
                int value = i;
                s += b.invoke(() -> {
                    if (!b.checkAccess()) {
                        wrongThread.incrementAndGet();
                    }
                    return a.invoke(() -> {
                        if (!a.checkAccess()) {
                            wrongThread.incrementAndGet();
                        }
                        return value;
                    });
                });
            }
            return s;
        });

        assertThat(sum).isEqualTo((long) rounds * (rounds - 1) / 2);
        assertThat(wrongThread.get()).as("hops that ran on the wrong thread").isZero();
    }

    @Test
    @Timeout(10)
    void deepPingPongToDepthOneHundred() {
        Dispatcher a = start("deep-a");
        Dispatcher b = start("deep-b");
        int depth = 100;
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicLong wrongThread = new AtomicLong();

        int result = a.invoke(() -> hop(a, b, 1, depth, failures, wrongThread));

        assertThat(result).isEqualTo(depth);
        assertThat(failures).as("exceptions thrown by any hop").isEmpty();
        assertThat(wrongThread.get()).as("hops that ran on the wrong thread").isZero();
    }

    /** Runs on {@code here} at level {@code level}; invokes the other dispatcher until {@code depth} is reached. */
    private static int hop(Dispatcher here, Dispatcher other, int level, int depth, List<Throwable> failures,
            AtomicLong wrongThread) {
        if (!here.checkAccess()) {
            wrongThread.incrementAndGet();
        }
        if (level == depth) {
            return level;
        }
        try {
            return other.invoke(() -> hop(other, here, level + 1, depth, failures, wrongThread));
        } catch (Throwable t) {
            failures.add(t);
            throw t;
        }
    }

    @Test
    @Timeout(5)
    void whileAWaitsForBOnlyCallsRunOnANotItsPosts() throws Exception {
        Dispatcher a = start("calls-only-a");
        Dispatcher b = start("calls-only-b");
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> postRan = new CompletableFuture<>();

        a.invoke(() -> {
            String r = b.invoke(() -> {
                // a message to A at the highest priority, posted before the call: under CALLS it must still wait
                a.post(() -> {
                    log.add("post to a ran");
                    postRan.complete(null);
                }, DispatcherPriority.SEND);
                // the call back into A, at a low priority: it runs during A's wait all the same
                a.invoke(() -> log.add(a.checkAccess() ? "call from b ran on a" : "call from b ran elsewhere"),
                        DispatcherPriority.BACKGROUND);
                log.add("b returns");
                return "from b";
            });
            log.add("a's invoke returned " + r);
        });
        postRan.get(5, TimeUnit.SECONDS);

        assertThat(log).containsExactly(
                "call from b ran on a", "b returns", "a's invoke returned from b", "post to a ran");
    }

    @Test
    @Timeout(5)
    void callbacksOfAWaitingDispatcherRunDuringItsWait() throws Exception {
        Dispatcher a = start("callbacks-a");
        Dispatcher b = start("callbacks-b");
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicBoolean aWaiting = new AtomicBoolean();
        AtomicReference<Thread> callbackThread = new AtomicReference<>();
        AtomicBoolean callbackSawAWaiting = new AtomicBoolean();
        CompletableFuture<Void> postRan = new CompletableFuture<>();

        a.invoke(() -> {
            aWaiting.set(true);
            String r = b.invoke(() -> {
                // posted first, at the callbacks' priority: FIFO alone would run it before the callback
                a.post(() -> {
                    log.add("post to a ran");
                    postRan.complete(null);
                });
                CompletableFuture<String> delivered = new CompletableFuture<>();
                a.callbacks().execute(() -> {
                    callbackThread.set(Thread.currentThread());
                    callbackSawAWaiting.set(aWaiting.get());
                    log.add("callback ran");
                    delivered.complete("delivered");
                });
                // B dispatches nothing meanwhile: only A's wait can run the callback. Bounded, because the deadlock
                // diagnosis assumes a plain future completes: if A did not run calls, this would hang, not throw.
                if (!b.waitForAll(WaitPolicy.NONE, Duration.ofSeconds(3), delivered)) {
                    log.add("b timed out waiting for the callback");
                    return "timed out";
                }
                String v = delivered.join();
                log.add("b got " + v);
                return v;
            });
            aWaiting.set(false);
            log.add("a's invoke returned " + r);
        });
        postRan.get(5, TimeUnit.SECONDS);

        assertThat(callbackThread.get()).as("the callback ran on A's thread").isSameAs(a.thread());
        assertThat(callbackSawAWaiting.get()).as("the callback ran while A waited in its invoke").isTrue();
        assertThat(log).containsExactly(
                "callback ran", "b got delivered", "a's invoke returned delivered", "post to a ran");
    }

    /**
     * A call that the waiting dispatcher runs for a while (here: work taking over half a second, several deadlock
     * checks of the other thread) is progress, not a deadlock: B waits for a call that is executing on A, and A's
     * wait is only the frame it runs in.
     */
    @Test
    @Timeout(10)
    void aLongCallBackIntoTheWaitingDispatcherIsNotDiagnosedAsADeadlock() {
        Dispatcher a = start("slow-call-a");
        Dispatcher b = start("slow-call-b");
        long work = TimeUnit.MILLISECONDS.toNanos(600);

        String result = a.invoke(() -> b.invoke(() -> a.invoke(() -> {
            passTimeUntil(System.nanoTime() + work);
            return "slow";
        })));

        assertThat(result).isEqualTo("slow");
    }

    /**
     * The counterpart of the test above, so that it cannot pass by a diagnosis that never fires: B waits under
     * {@link WaitPolicy#NONE} for a message to A (an {@code invokeAsync} is not a call), while A waits for B under
     * CALLS, which does not admit messages. That is a real deadlock and must be reported, not hang.
     */
    @Test
    @Timeout(10)
    void aRealCycleThroughAWaitThatDispatchesNothingIsStillDiagnosed() {
        Dispatcher a = start("real-deadlock-a");
        Dispatcher b = start("real-deadlock-b");

        Throwable thrown = catchThrowable(() -> a.invoke(() -> b.invoke(() -> {
            DispatcherOperation<Integer> message = a.invokeAsync(() -> 1);
            return b.waitFor(message, WaitPolicy.NONE);
        })));

        assertThat(thrown).isInstanceOf(DispatcherDeadlockException.class)
                .hasMessageContaining("real-deadlock-a").hasMessageContaining("real-deadlock-b");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Randomized storm
    // ---------------------------------------------------------------------------------------------------------

    private static final DispatcherPriority[] STORM_PRIORITIES = {
        DispatcherPriority.NORMAL, DispatcherPriority.SEND, DispatcherPriority.BACKGROUND,
    };
    private static final int STORM_DISPATCHERS = 8;
    private static final int STORM_DRIVERS = 4;
    private static final int STORM_MAX_DEPTH = 4;

    /**
     * Drivers invoke random trees of invokes into 8 dispatchers, at random priorities, self-invokes included (inline
     * at SEND, a nested frame otherwise). Every invoke must return exactly the size of its tree, and the tasks that
     * ran must be exactly those generated. {@code -Dapartment.storm.seconds=N} sets the length of the storm (2 s by
     * default; for more than about 20 s also pass {@code -Djunit.jupiter.execution.timeout.mode=disabled}).
     */
    @Test
    void randomizedStormOfNestedInvokesAmongEightDispatchers() throws Exception {
        double seconds = Double.parseDouble(System.getProperty("apartment.storm.seconds", "2"));
        long stormNanos = (long) (seconds * 1e9);
        Dispatcher[] ds = new Dispatcher[STORM_DISPATCHERS];
        for (int i = 0; i < ds.length; i++) {
            ds[i] = start("storm-" + i);
        }
        AtomicLong executed = new AtomicLong();
        AtomicLong wrongThread = new AtomicLong();
        AtomicLong expectedTotal = new AtomicLong();
        AtomicLong invokes = new AtomicLong();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<String> wrongResults = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        long baseSeed = System.nanoTime();

        Thread[] drivers = new Thread[STORM_DRIVERS];
        for (int k = 0; k < drivers.length; k++) {
            long seed = baseSeed + k;
            drivers[k] = new Thread(() -> {
                Random rnd = new Random(seed);
                try {
                    go.await();
                    long end = System.nanoTime() + stormNanos;
                    while (System.nanoTime() - end < 0 && failures.isEmpty()) {
                        InvokeTree root = InvokeTree.random(rnd, STORM_DISPATCHERS, STORM_PRIORITIES, STORM_MAX_DEPTH);
                        expectedTotal.addAndGet(root.size());
                        long got = root.invoke(ds, executed, wrongThread);
                        invokes.incrementAndGet();
                        if (got != root.size()) {
                            wrongResults.add("seed " + seed + ": expected " + root.size() + ", got " + got);
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "storm-driver-" + k);
            drivers[k].start();
        }
        go.countDown();
        long joinBy = System.nanoTime() + stormNanos + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : drivers) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinBy - System.nanoTime())));
            assertThat(t.isAlive()).as("%s finished within 10 s of the end of the storm (seed base %d)", t.getName(),
                    baseSeed).isFalse();
        }

        assertThat(failures).as("exceptions in the storm (seed base %d)", baseSeed).isEmpty();
        assertThat(wrongResults).as("invokes that returned a wrong value").isEmpty();
        assertThat(wrongThread.get()).as("tasks that ran on the wrong thread").isZero();
        assertThat(invokes.get()).as("the storm did something").isPositive();
        assertThat(executed.get()).as("tasks executed = tasks generated").isEqualTo(expectedTotal.get());
    }
}
