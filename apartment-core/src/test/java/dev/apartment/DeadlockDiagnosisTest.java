package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Waits that can never end throw {@link DispatcherDeadlockException} within a second, naming every thread and
 * operation involved, instead of hanging; waits that can end are never diagnosed.
 */
@Timeout(10)
class DeadlockDiagnosisTest {
    /** The bound: diagnosed within 1 s of the wait that closes the cycle. */
    private static final long WITHIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    /** What a wait ended with, and after how long. */
    private record Outcome(Throwable thrown, long nanos) {
    }

    /** Runs {@code waitingCode} as an operation of {@code d} and reports how it ended. */
    private static CompletableFuture<Outcome> onOwner(Dispatcher d, Supplier<Object> waitingCode) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        d.post(() -> {
            long start = System.nanoTime();
            try {
                waitingCode.get();
                outcome.complete(new Outcome(null, System.nanoTime() - start));
            } catch (Throwable t) {
                outcome.complete(new Outcome(t, System.nanoTime() - start));
            }
        });
        return outcome;
    }

    private static void assertDiagnosed(Outcome o, String... names) {
        assertThat(o.thrown()).isInstanceOf(DispatcherDeadlockException.class);
        assertThat(o.nanos()).as("diagnosed within 1 s").isLessThan(WITHIN_NANOS);
        for (String name : names) {
            assertThat(o.thrown().getMessage()).contains("'" + name + "'");
        }
    }

    @Test
    void waitingUnderNoneForYourOwnQueuedOperation() {
        Dispatcher d = dispatchers.start("self-none");
        Outcome o = onOwner(d, () -> {
            DispatcherOperation<String> own = d.invokeAsync(() -> "x");
            return d.waitFor(own, WaitPolicy.NONE);
        }).join();
        assertDiagnosed(o, "self-none");
        assertThat(o.thrown().getMessage()).contains("DispatcherOperation[PENDING, NORMAL")
                .contains("only this thread could run");
    }

    @Test
    void thePlainFutureGetOnTheOwnerThreadForItsOwnQueuedOperation() {
        Dispatcher d = dispatchers.start("classic");
        Outcome get = onOwner(d, () -> {
            try {
                return d.invokeAsync(() -> "x").toCompletableFuture().get();
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new AssertionError(e);
            }
        }).join();
        assertDiagnosed(get, "classic");
        Outcome join = onOwner(d, () -> d.invokeAsync(() -> "y").toCompletableFuture().join()).join();
        assertDiagnosed(join, "classic");
        // the loop survived, and the operations it held ran afterwards
        assertThat(d.invoke(() -> "alive", DispatcherPriority.SYSTEM_IDLE)).isEqualTo("alive");
    }

    @Test
    void aCycleOfTwoWhereOneSideDispatchesNothing() {
        Dispatcher a = dispatchers.start("cycle-a");
        Dispatcher b = dispatchers.start("cycle-b");
        // a invokes into b with processing disabled (so it waits under NONE); b's operation invokes back into a.
        CompletableFuture<String> bSide = new CompletableFuture<>();
        Outcome o = onOwner(a, () -> {
            try (DispatcherProcessingDisabled off = a.disableProcessing()) {
                return b.invoke(() -> {
                    try {
                        String r = a.invoke(() -> "back in a");
                        bSide.complete(r);
                        return r;
                    } catch (RuntimeException e) {
                        bSide.completeExceptionally(e);
                        throw e;
                    }
                });
            }
        }).join();
        assertDiagnosed(o, "cycle-a", "cycle-b");
        assertThat(o.thrown().getMessage()).contains("processing disabled").contains("CALLS");
        // Only the side that dispatches nothing throws: once it did, a ran b's call, and b's invoke completed.
        assertThat(bSide.join()).isEqualTo("back in a");
    }

    @Test
    void aCycleOfFourClosedByAWaitUnderNone() {
        Dispatcher[] ds = new Dispatcher[4];
        for (int i = 0; i < 4; i++) {
            ds[i] = dispatchers.start("ring-" + i);
        }
        // ring-0 waits under NONE for an operation on ring-1, which invokes ring-2, which invokes ring-3, which
        // invokes ring-0: ring-0 would have to run that call, but it dispatches nothing.
        Outcome o = onOwner(ds[0], () -> {
            DispatcherOperation<String> first = ds[1].invokeAsync(() -> ds[2].invoke(
                    () -> ds[3].invoke(() -> ds[0].invoke(() -> "closed"))));
            return ds[0].waitFor(first, WaitPolicy.NONE);
        }).join();
        assertDiagnosed(o, "ring-0", "ring-1", "ring-2", "ring-3");
    }

    @Test
    void aCycleWhereEveryWaitDispatchesOnlyCallsButWaitsForMessages() throws Exception {
        Dispatcher a = dispatchers.start("msg-a");
        Dispatcher b = dispatchers.start("msg-b");
        CountDownLatch aBusy = new CountDownLatch(1);
        CountDownLatch bWaiting = new CountDownLatch(1);
        // a is busy first, so the message b queues on a cannot run before a's own wait begins.
        CompletableFuture<Outcome> aOutcome = onOwner(a, () -> {
            aBusy.countDown();
            await(bWaiting);
            DispatcherOperation<String> bMessage = b.invokeAsync(() -> "b's message"); // held by b's wait
            return a.waitFor(bMessage, WaitPolicy.CALLS);
        });
        await(aBusy);
        CompletableFuture<Outcome> bOutcome = onOwner(b, () -> {
            DispatcherOperation<String> aMessage = a.invokeAsync(() -> "a's message"); // a MESSAGE: held by a
            bWaiting.countDown();
            return b.waitFor(aMessage, WaitPolicy.CALLS);
        });
        Outcome ao = aOutcome.get(5, TimeUnit.SECONDS);
        Outcome bo = bOutcome.get(5, TimeUnit.SECONDS);
        // Every wait in the cycle dispatches something, so each may be told; the first one that is breaks the cycle
        // (its operation returns, its thread runs the other's message) and the other one may then end normally.
        Outcome first = ao.thrown() != null ? ao : bo;
        assertThat(first.thrown()).as("at least one of the two waits is diagnosed")
                .isInstanceOf(DispatcherDeadlockException.class);
        assertThat(first.thrown().getMessage()).contains("'msg-a'", "'msg-b'");
        assertThat(bo.thrown() == null || bo.nanos() < WITHIN_NANOS).isTrue();
        assertThat(bo.thrown() == null ? bo : ao).as("the other one").satisfies(o -> {
            if (o.thrown() != null) {
                assertThat(o.thrown()).isInstanceOf(DispatcherDeadlockException.class);
            }
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void waitsThatCanEndAreNeverDiagnosed() throws Exception {
        Dispatcher a = dispatchers.start("fine-a");
        Dispatcher b = dispatchers.start("fine-b");
        // a waits under NONE for b's operation, which runs for longer than several checks (but needs nothing of a).
        CountDownLatch release = new CountDownLatch(1);
        Thread releaser = new Thread(() -> {
            try {
                // hold b's operation for a few deadlock-check intervals, then let it finish
                assertThat(release.await(400, TimeUnit.MILLISECONDS)).isFalse();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        }, "releaser");
        Outcome o = onOwner(a, () -> {
            DispatcherOperation<String> slow = b.invokeAsync(() -> {
                release.await(5, TimeUnit.SECONDS);
                return "slow";
            });
            releaser.start();
            return a.waitFor(slow, WaitPolicy.NONE);
        }).join();
        assertThat(o.thrown()).isNull();
        // a wait with a timeout ends by itself: not a deadlock, whatever the graph says
        Outcome timed = onOwner(a, () -> a.waitForAll(WaitPolicy.NONE, Duration.ofMillis(300),
                a.invokeAsync(() -> "own"))).join();
        assertThat(timed.thrown()).isNull();
    }

    @Test
    void anInactiveOperationIsNotADeadlock() throws Exception {
        Dispatcher d = dispatchers.start("inactive-wait");
        CompletableFuture<DispatcherOperation<String>> parked = new CompletableFuture<>();
        CompletableFuture<Outcome> o = onOwner(d, () -> {
            DispatcherOperation<String> op = d.invokeAsync(() -> "raised", DispatcherPriority.INACTIVE);
            parked.complete(op);
            return d.waitFor(op, WaitPolicy.CALLS);
        });
        DispatcherOperation<String> op = parked.get(5, TimeUnit.SECONDS);
        // someone may raise it: the wait is not diagnosed; raise it after a few check intervals
        assertThat(o.completeOnTimeout(null, 300, TimeUnit.MILLISECONDS).get()).isNull();
        op.setPriority(DispatcherPriority.NORMAL);
        assertThat(onOwner(d, () -> "after").get(5, TimeUnit.SECONDS).thrown()).isNull();
        assertThat(op.await(Duration.ofSeconds(5))).isEqualTo(DispatcherOperationStatus.COMPLETED);
    }
}
