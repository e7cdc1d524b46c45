package dev.apartment.stress;

import static dev.apartment.stress.StressSupport.RUNNABLE;
import static dev.apartment.stress.StressSupport.n;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherOperation;
import dev.apartment.DispatcherOperationStatus;
import dev.apartment.DispatcherPriority;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Suite 3: 10% of the posted operations throw. With an unhandled-exception handler that handles them the loop
 * survives and every operation completes; without one the first exception ends the loop and shuts the dispatcher
 * down cleanly, and every other operation ends ABORTED or COMPLETED.
 */
@Tag("stress")
class ThrowingOperationsStressTest {
    private static final int PRODUCERS = 4;

    /** An exception thrown on purpose by operation {@code id}. */
    static final class Planted extends RuntimeException {
        final int id;

        Planted(int id) {
            super("planted failure of operation " + id, null, false, false);
            this.id = id;
        }
    }

    private record Item(int id, boolean throwing, DispatcherOperation<Void> op, AtomicInteger runs) {
    }

    /** Posts {@code perProducer} operations from each of {@link #PRODUCERS} threads; 10% of them throw. */
    private static List<Item> postAll(Dispatcher d, int perProducer) throws InterruptedException {
        List<Item> all = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(new Thread(() -> {
                try {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    List<Item> mine = new ArrayList<>();
                    for (int i = 0; i < perProducer; i++) {
                        int id = producer * perProducer + i;
                        boolean throwing = rnd.nextInt(10) == 0;
                        AtomicInteger runs = new AtomicInteger();
                        DispatcherOperation<Void> op = d.post(() -> {
                            runs.incrementAndGet();
                            if (throwing) {
                                throw new Planted(id);
                            }
                        }, RUNNABLE[rnd.nextInt(RUNNABLE.length)]);
                        mine.add(new Item(id, throwing, op, runs));
                    }
                    all.addAll(mine);
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "stress-throwing-producer-" + p));
        }
        producers.forEach(Thread::start);
        for (Thread t : producers) {
            t.join(30_000);
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(failures).isEmpty();
        return all;
    }

    @Test
    @Timeout(60)
    void withAHandlerTheLoopSurvivesEveryThrowingOperation() throws Exception {
        int perProducer = 50_000;
        Dispatcher d = Dispatcher.start("stress-throwing-handled");
        AtomicLong handled = new AtomicLong();
        AtomicLong notPlanted = new AtomicLong();
        d.addUnhandledExceptionHandler(e -> {
            if (e.exception() instanceof Planted) {
                handled.incrementAndGet();
            } else {
                notPlanted.incrementAndGet();
            }
            e.setHandled(true);
        });
        long start = System.nanoTime();
        try {
            List<Item> all = postAll(d, perProducer);
            long throwing = 0;
            for (Item it : all) {
                assertThat(it.op().await(Duration.ofSeconds(30))).as("op %d", it.id())
                        .isEqualTo(DispatcherOperationStatus.COMPLETED);
                assertThat(it.runs().get()).as("runs of op %d", it.id()).isEqualTo(1);
                if (it.throwing()) {
                    throwing++;
                }
            }
            // the handler runs on the owner thread before the next operation: a barrier makes its count final
            assertThat(d.invoke(() -> 42, DispatcherPriority.SYSTEM_IDLE)).as("the loop still works").isEqualTo(42);
            assertThat(d.hasShutdownStarted()).isFalse();
            assertThat(handled.get()).as("handled exceptions").isEqualTo(throwing);
            assertThat(notPlanted.get()).isZero();
            StressSupport.summary("throwing ops, handled: " + n(all.size()) + " operations, " + n(throwing)
                    + " threw and were handled, " + n(all.size() - throwing) + " others completed, 0 aborted, "
                    + "loop alive, in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        } finally {
            StressSupport.shutDownAndJoin(d);
        }
    }

    @Test
    @Timeout(60)
    void withoutAHandlerTheFirstThrowingOperationEndsTheLoopAndShutsDownCleanly() throws Exception {
        int rounds = 10;
        int perProducer = 2_500;
        long total = 0;
        long completed = 0;
        long aborted = 0;
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            Dispatcher d = Dispatcher.start("stress-throwing-unhandled-" + round);
            List<Throwable> uncaught = new CopyOnWriteArrayList<>();
            d.thread().setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
            List<Item> all = postAll(d, perProducer);
            assertThat(d.awaitShutdown(Duration.ofSeconds(30))).as("round %d: shut down", round).isTrue();
            d.thread().join(10_000);
            assertThat(d.thread().isAlive()).as("round %d: thread ended", round).isFalse();

            assertThat(uncaught).as("round %d: the thread's uncaught-exception handler", round).hasSize(1)
                    .first().isInstanceOf(Planted.class);
            int culprit = ((Planted) uncaught.get(0)).id;
            int throwersThatRan = 0;
            for (Item it : all) {
                DispatcherOperationStatus s = it.op().status();
                assertThat(s).as("round %d: op %d", round, it.id()).isIn(DispatcherOperationStatus.COMPLETED,
                        DispatcherOperationStatus.ABORTED);
                assertThat(it.op().toCompletableFuture()).isDone();
                assertThat(it.runs().get()).as("round %d: runs of op %d (%s)", round, it.id(), s)
                        .isEqualTo(s == DispatcherOperationStatus.COMPLETED ? 1 : 0);
                if (it.throwing() && it.runs().get() == 1) {
                    throwersThatRan++;
                    assertThat(it.id()).isEqualTo(culprit);
                }
                total++;
                if (s == DispatcherOperationStatus.COMPLETED) {
                    completed++;
                } else {
                    aborted++;
                }
            }
            assertThat(throwersThatRan).as("round %d: throwing operations that ran", round).isEqualTo(1);
        }
        StressSupport.summary("throwing ops, unhandled: " + rounds + " rounds, " + n(total) + " operations, "
                + n(completed) + " completed, " + n(aborted) + " aborted, exactly 1 thrower ran per round, "
                + rounds + " clean shutdowns, " + rounds + " threads joined, in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }
}
