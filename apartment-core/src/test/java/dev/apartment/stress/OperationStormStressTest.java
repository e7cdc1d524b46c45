package dev.apartment.stress;

import static dev.apartment.stress.StressSupport.RUNNABLE;
import static dev.apartment.stress.StressSupport.n;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherMetrics;
import dev.apartment.DispatcherOperation;
import dev.apartment.DispatcherPriority;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Suite 1: 4 producers × 250,000 operations at random priorities (every runnable level), random aborts (by the
 * producer and by a separate aborter thread) and random priority changes. Every operation must end COMPLETED or
 * ABORTED exactly once (run count, listener counts and future outcome per operation id), nothing lost or run
 * twice, and operations that never had their priority changed run FIFO per producer within each level.
 */
@Tag("stress")
class OperationStormStressTest {
    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 250_000;
    private static final int TOTAL = PRODUCERS * PER_PRODUCER;
    /** Operations in flight at most (backpressure, so the queue does not hold a million items). */
    private static final int IN_FLIGHT = 20_000;
    private static final int RING = 1 << 12;

    @Test
    @Timeout(120)
    void fourProducersAMillionOperationsRandomPrioritiesAbortsAndPriorityChanges() throws Exception {
        Dispatcher d = Dispatcher.start("stress-storm");
        try {
            run(d);
        } finally {
            StressSupport.shutDownAndJoin(d);
        }
    }

    private void run(Dispatcher d) throws Exception {
        AtomicIntegerArray runs = new AtomicIntegerArray(TOTAL);
        AtomicIntegerArray completedListener = new AtomicIntegerArray(TOTAL);
        AtomicIntegerArray abortedListener = new AtomicIntegerArray(TOTAL);
        AtomicIntegerArray futureOutcome = new AtomicIntegerArray(TOTAL); // 1 normal, 2 cancelled, +10 per extra
        int[] runIndex = new int[TOTAL]; // owner thread only; read after every future completed
        int[] runCounter = {0};
        int[] levelAtPost = new int[TOTAL];
        boolean[] priorityTouched = new boolean[TOTAL];
        AtomicLong abortWinsProducer = new AtomicLong();
        AtomicLong abortWinsAborter = new AtomicLong();
        AtomicLong priorityChanges = new AtomicLong();
        AtomicLong priorityChangeRefused = new AtomicLong();
        AtomicReferenceArray<DispatcherOperation<?>> ring = new AtomicReferenceArray<>(RING);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        CountDownLatch allFuturesDone = new CountDownLatch(TOTAL);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        long start = System.nanoTime();

        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(new Thread(() -> {
                try {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    for (int seq = 0; seq < PER_PRODUCER; seq++) {
                        int id = producer * PER_PRODUCER + seq;
                        DispatcherPriority priority = RUNNABLE[rnd.nextInt(RUNNABLE.length)];
                        levelAtPost[id] = priority.value();
                        inFlight.acquire();
                        Runnable task = () -> {
                            runs.incrementAndGet(id);
                            runIndex[id] = runCounter[0]++;
                        };
                        DispatcherOperation<Void> op = rnd.nextBoolean() ? d.invokeAsync(task, priority)
                                : d.post(task, priority);
                        op.addCompletedListener(() -> completedListener.incrementAndGet(id));
                        op.addAbortedListener(() -> abortedListener.incrementAndGet(id));
                        op.toCompletableFuture().whenComplete((v, t) -> {
                            futureOutcome.addAndGet(id, futureOutcome.get(id) == 0 ? (t == null ? 1 : 2) : 10);
                            inFlight.release();
                            allFuturesDone.countDown();
                        });
                        ring.set(rnd.nextInt(RING), op);
                        int dice = rnd.nextInt(100);
                        if (dice < 5) {
                            if (op.abort()) {
                                abortWinsProducer.incrementAndGet();
                            }
                        } else if (dice < 10) {
                            priorityTouched[id] = true;
                            if (op.setPriority(RUNNABLE[rnd.nextInt(RUNNABLE.length)])) {
                                priorityChanges.incrementAndGet();
                            } else {
                                priorityChangeRefused.incrementAndGet();
                            }
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "stress-producer-" + p));
        }
        Thread aborter = new Thread(() -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (producing.get()) {
                DispatcherOperation<?> op = ring.get(rnd.nextInt(RING));
                if (op != null && op.abort()) {
                    abortWinsAborter.incrementAndGet();
                }
            }
        }, "stress-aborter");
        aborter.start();
        producers.forEach(Thread::start);
        for (Thread t : producers) {
            t.join(100_000);
            assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
        }
        producing.set(false);
        aborter.join(10_000);
        assertThat(aborter.isAlive()).isFalse();
        assertThat(failures).as("producer failures").isEmpty();
        assertThat(allFuturesDone.await(60, TimeUnit.SECONDS)).as("every future completed").isTrue();
        // a barrier through the owner thread: every listener of every operation has run before this returns
        d.invoke(() -> { }, DispatcherPriority.SYSTEM_IDLE);
        long elapsed = System.nanoTime() - start;

        long completed = 0;
        long aborted = 0;
        long lost = 0;
        long duplicated = 0;
        List<String> problems = new ArrayList<>();
        for (int id = 0; id < TOTAL; id++) {
            int r = runs.get(id);
            int c = completedListener.get(id);
            int a = abortedListener.get(id);
            int f = futureOutcome.get(id);
            if (r > 1) {
                duplicated++;
            }
            if (r + a == 0) {
                lost++;
            }
            if (r == 1 && c == 1 && a == 0 && f == 1) {
                completed++;
            } else if (r == 0 && c == 0 && a == 1 && f == 2) {
                aborted++;
            } else if (problems.size() < 20) {
                problems.add("op " + id + ": runs=" + r + " completedListener=" + c + " abortedListener=" + a
                        + " future=" + f);
            }
        }
        assertThat(problems).as("operations that did not end exactly once").isEmpty();
        assertThat(lost).isZero();
        assertThat(duplicated).isZero();
        assertThat(completed + aborted).isEqualTo(TOTAL);
        assertThat(aborted).as("aborted = abort() calls that returned true")
                .isEqualTo(abortWinsProducer.get() + abortWinsAborter.get());
        assertThat(runCounter[0]).isEqualTo((int) completed);
        // the dispatcher's own counters agree (+1: the barrier invoke)
        DispatcherMetrics m = d.metrics();
        assertThat(m.posted()).isEqualTo(TOTAL + 1);
        assertThat(m.aborted()).isEqualTo(aborted);
        assertThat(m.started()).isEqualTo(completed + 1);
        assertThat(m.completed()).isEqualTo(completed + 1);
        assertThat(m.queueDepth()).isZero();

        // FIFO per producer within each level, among operations whose priority was never touched
        long fifoChecked = 0;
        long fifoViolations = 0;
        for (int p = 0; p < PRODUCERS; p++) {
            int[] lastRunAt = new int[DispatcherPriority.SEND.value() + 1];
            java.util.Arrays.fill(lastRunAt, -1);
            for (int seq = 0; seq < PER_PRODUCER; seq++) {
                int id = p * PER_PRODUCER + seq;
                if (priorityTouched[id] || runs.get(id) != 1) {
                    continue;
                }
                int level = levelAtPost[id];
                if (runIndex[id] <= lastRunAt[level]) {
                    fifoViolations++;
                }
                lastRunAt[level] = runIndex[id];
                fifoChecked++;
            }
        }
        assertThat(fifoViolations).as("FIFO violations per producer within a level").isZero();

        StressSupport.summary(n(TOTAL) + " operations (" + PRODUCERS + " producers), " + n(completed) + " completed, "
                + n(aborted) + " aborted (" + n(abortWinsProducer.get()) + " by producers, "
                + n(abortWinsAborter.get()) + " by the aborter), " + n(priorityChanges.get())
                + " priority changes (" + n(priorityChangeRefused.get()) + " refused), 0 lost, 0 duplicated, "
                + n(fifoChecked) + " FIFO-checked, 0 FIFO violations, metrics agree, in "
                + TimeUnit.NANOSECONDS.toMillis(elapsed) + " ms");
    }
}
