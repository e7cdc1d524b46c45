package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PumpingLock}: an acquire on a dispatcher thread runs calls while it waits. */
@Timeout(10)
class PumpingLockTest {

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    /**
     * A worker holds the lock and invokes into the dispatcher thread, which is acquiring the same lock: the
     * worker's call runs during the acquire, the worker unlocks, and the dispatcher thread gets the lock.
     */
    @Test
    void theClassicLockAndInvokeDeadlockCompletes() throws Exception {
        Dispatcher d = dispatchers.start("lock-classic");
        PumpingLock lock = new PumpingLock();
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch workerHolds = new CountDownLatch(1);
        CountDownLatch ownerAcquiring = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            lock.lock();
            try {
                workerHolds.countDown();
                await(ownerAcquiring);
                d.invoke(() -> log.add("worker's call ran on " + Thread.currentThread().getName()));
                log.add("worker unlocks");
            } finally {
                lock.unlock();
            }
        }, "lock-worker");
        worker.start();
        await(workerHolds);
        DispatcherOperation<Void> owner = d.invokeAsync(() -> {
            ownerAcquiring.countDown();
            lock.lock();
            try {
                log.add("owner has the lock");
            } finally {
                lock.unlock();
            }
            return null;
        });
        owner.toCompletableFuture().get(5, TimeUnit.SECONDS);
        worker.join(5_000);
        assertThat(log).containsExactly("worker's call ran on lock-classic", "worker unlocks", "owner has the lock");
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void theSameScenarioWithAPlainLockWouldDeadlock() throws Exception {
        // The control experiment: ReentrantLock blocks the dispatcher thread, so the worker's invoke cannot run.
        Dispatcher d = dispatchers.start("lock-plain");
        ReentrantLock plain = new ReentrantLock();
        CountDownLatch workerHolds = new CountDownLatch(1);
        CountDownLatch ownerLocking = new CountDownLatch(1);
        CompletableFuture<String> workerResult = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            plain.lock();
            try {
                workerHolds.countDown();
                await(ownerLocking); // the owner is inside its operation: nothing else runs until it returns
                // bounded, so the test ends: the call cannot start while the owner is blocked on the lock
                d.invoke(() -> "ran", DispatcherPriority.NORMAL, java.time.Duration.ofMillis(300));
                workerResult.complete("ran");
            } catch (DispatcherTimeoutException e) {
                workerResult.complete("timed out");
            } finally {
                plain.unlock();
            }
        }, "plain-worker");
        worker.start();
        await(workerHolds);
        d.post(() -> {
            ownerLocking.countDown();
            plain.lock();
            plain.unlock();
        });
        assertThat(workerResult.get(5, TimeUnit.SECONDS)).isEqualTo("timed out");
        worker.join(5_000);
    }

    @Test
    void messagesDoNotRunDuringTheAcquire() throws Exception {
        Dispatcher d = dispatchers.start("lock-messages");
        PumpingLock lock = new PumpingLock();
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch workerHolds = new CountDownLatch(1);
        CountDownLatch ownerAcquiring = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            lock.lock();
            try {
                workerHolds.countDown();
                await(ownerAcquiring);
                d.invoke(() -> log.add("call")); // a call: runs in the acquire; the earlier post does not
            } finally {
                lock.unlock();
            }
        }, "lock-worker");
        worker.start();
        await(workerHolds);
        d.invoke(() -> {
            d.post(() -> log.add("post"));
            ownerAcquiring.countDown();
            lock.lock();
            log.add("acquired");
            lock.unlock();
        }, DispatcherPriority.NORMAL);
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        worker.join(5_000);
        assertThat(log).containsExactly("call", "acquired", "post");
    }

    @Test
    void withProcessingDisabledTheAcquireDoesNotPump() throws Exception {
        Dispatcher d = dispatchers.start("lock-disabled");
        PumpingLock lock = new PumpingLock();
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch workerHolds = new CountDownLatch(1);
        CountDownLatch ownerAcquiring = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            lock.lock();
            try {
                workerHolds.countDown();
                await(ownerAcquiring);
                d.callbacks().execute(() -> log.add("callback")); // a call, but the owner must not run it now
                log.add("worker unlocks");
            } finally {
                lock.unlock();
            }
        }, "lock-worker");
        worker.start();
        await(workerHolds);
        d.invoke(() -> {
            try (DispatcherProcessingDisabled off = d.disableProcessing()) {
                ownerAcquiring.countDown();
                lock.lock();
                log.add("acquired");
                lock.unlock();
            }
        }, DispatcherPriority.NORMAL);
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        worker.join(5_000);
        assertThat(log).containsExactly("worker unlocks", "acquired", "callback");
    }

    @Test
    void reentrantTryLockWithTimeoutAndInterruptibleAcquire() throws Exception {
        Dispatcher d = dispatchers.start("lock-variants");
        PumpingLock lock = new PumpingLock(true);
        assertThat(lock.tryLock()).isTrue();
        assertThat(lock.tryLock()).isTrue(); // reentrant
        assertThat(lock.isHeldByCurrentThread()).isTrue();
        // held by the test thread: the dispatcher thread times out, pumping meanwhile, and can be interrupted
        boolean[] results = new boolean[2];
        d.invoke(() -> {
            try {
                results[0] = lock.tryLock(50, TimeUnit.MILLISECONDS);
                Thread.currentThread().interrupt();
                lock.lockInterruptibly();
                results[1] = true;
            } catch (InterruptedException e) {
                results[1] = false;
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
            }
        }, DispatcherPriority.NORMAL);
        assertThat(results).containsExactly(false, false);
        lock.unlock();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
        assertThat(d.invoke(() -> {
            boolean got = lock.tryLock(1, TimeUnit.SECONDS);
            lock.unlock();
            return got;
        }, DispatcherPriority.NORMAL)).isTrue();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
    }

    @Test
    void anInterruptEndsAPumpingAcquire() throws Exception {
        Dispatcher d = dispatchers.start("lock-interrupt");
        PumpingLock lock = new PumpingLock();
        lock.lock(); // held by the test thread for the whole test
        try {
            CountDownLatch acquiring = new CountDownLatch(1);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            d.post(() -> {
                try {
                    acquiring.countDown();
                    lock.lockInterruptibly();
                    outcome.complete(null);
                } catch (InterruptedException e) {
                    outcome.complete(e);
                }
            });
            await(acquiring);
            d.thread().interrupt();
            assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        } finally {
            lock.unlock();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
