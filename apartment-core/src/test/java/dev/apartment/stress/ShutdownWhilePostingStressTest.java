package dev.apartment.stress;

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
 * Suite 2: shutdown (from a foreign thread, at a random moment, by invokeShutdown or beginInvokeShutdown at a random
 * priority) while producers are posting at every level, INACTIVE included. Every operation ends COMPLETED or
 * ABORTED, its task ran iff it COMPLETED, every future completes, and the dispatcher thread ends. Several rounds.
 */
@Tag("stress")
class ShutdownWhilePostingStressTest {
    private static final int ROUNDS = 12;
    private static final int PRODUCERS = 3;
    /** A producer stops after this many operations, or 200 after it saw the shutdown finish. */
    private static final int MAX_PER_PRODUCER = 6_000;
    private static final DispatcherPriority[] PRIORITIES = {
        DispatcherPriority.INACTIVE, DispatcherPriority.SYSTEM_IDLE, DispatcherPriority.APPLICATION_IDLE,
        DispatcherPriority.CONTEXT_IDLE, DispatcherPriority.BACKGROUND, DispatcherPriority.INPUT,
        DispatcherPriority.LOADED, DispatcherPriority.RENDER, DispatcherPriority.DATA_BIND, DispatcherPriority.NORMAL,
        DispatcherPriority.SEND,
    };

    private record Posted(DispatcherOperation<?> op, AtomicInteger runs) {
    }

    @Test
    @Timeout(90)
    void shutdownWhileProducersPostEndsEveryOperationAndReleasesTheThread() throws Exception {
        long total = 0;
        long completed = 0;
        long aborted = 0;
        long start = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            Dispatcher d = Dispatcher.start("stress-shutdown-" + round);
            List<List<Posted>> perProducer = new ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicLong posted = new AtomicLong();
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                List<Posted> mine = new ArrayList<>();
                perProducer.add(mine);
                producers.add(new Thread(() -> {
                    try {
                        ThreadLocalRandom rnd = ThreadLocalRandom.current();
                        int extra = 200;
                        for (int i = 0; i < MAX_PER_PRODUCER && extra > 0; i++) {
                            if (d.hasShutdownFinished()) {
                                extra--;
                            }
                            AtomicInteger runs = new AtomicInteger();
                            DispatcherPriority priority = PRIORITIES[rnd.nextInt(PRIORITIES.length)];
                            DispatcherOperation<?> op = rnd.nextBoolean()
                                    ? d.post(runs::incrementAndGet, priority)
                                    : d.invokeAsync(runs::incrementAndGet, priority);
                            if (rnd.nextInt(20) == 0) {
                                op.abort();
                            }
                            mine.add(new Posted(op, runs));
                            posted.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }, "stress-shutdown-producer-" + round + "-" + p));
            }
            producers.forEach(Thread::start);
            long shutdownAfter = ThreadLocalRandom.current().nextLong(1, 12_000);
            StressSupport.spinUntil(() -> posted.get() >= shutdownAfter, Duration.ofSeconds(30),
                    shutdownAfter + " operations posted");
            if (round % 2 == 0) {
                d.invokeShutdown();
            } else {
                d.beginInvokeShutdown(PRIORITIES[1 + ThreadLocalRandom.current().nextInt(PRIORITIES.length - 1)]);
            }
            for (Thread t : producers) {
                t.join(30_000);
                assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
            }
            assertThat(failures).as("producer failures in round %d", round).isEmpty();
            assertThat(d.awaitShutdown(Duration.ofSeconds(10))).as("round %d: shutdown finished", round).isTrue();
            d.thread().join(10_000);
            assertThat(d.thread().isAlive()).as("round %d: the dispatcher thread ended", round).isFalse();

            for (List<Posted> mine : perProducer) {
                for (Posted p : mine) {
                    DispatcherOperationStatus s = p.op().status();
                    assertThat(s).as("round %d: %s", round, p.op()).isIn(DispatcherOperationStatus.COMPLETED,
                            DispatcherOperationStatus.ABORTED);
                    assertThat(p.op().toCompletableFuture()).as("its future").isDone();
                    assertThat(p.runs().get()).as("round %d: runs of %s", round, p.op())
                            .isEqualTo(s == DispatcherOperationStatus.COMPLETED ? 1 : 0);
                    assertThat(p.op().toCompletableFuture().isCompletedExceptionally())
                            .isEqualTo(s == DispatcherOperationStatus.ABORTED);
                    total++;
                    if (s == DispatcherOperationStatus.COMPLETED) {
                        completed++;
                    } else {
                        aborted++;
                    }
                }
            }
        }
        assertThat(completed + aborted).isEqualTo(total);
        StressSupport.summary("shutdown while posting: " + ROUNDS + " rounds, " + n(total) + " operations, "
                + n(completed) + " completed, " + n(aborted) + " aborted, 0 unfinished, 0 futures pending, "
                + ROUNDS + " dispatcher threads joined, 0 left behind, in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }
}
