package dev.apartment.stress;

import static dev.apartment.stress.StressSupport.n;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherFrame;
import dev.apartment.DispatcherOperation;
import dev.apartment.DispatcherOperationStatus;
import dev.apartment.DispatcherPriority;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Suite 5: 500 nested frames, each pushed by an operation running in the frame below; then two foreign threads
 * exit the frames in random order (setContinue(false) on random levels) while a third keeps invoking into the
 * dispatcher. Everything unwinds innermost first, every frame returns exactly once, and the dispatcher still works.
 * Several rounds on the same dispatcher.
 */
@Tag("stress")
class NestedFramesStressTest {
    private static final int DEPTH = 500;
    private static final int ROUNDS = 5;

    @Test
    @Timeout(60)
    void fiveHundredNestedFramesExitedFromForeignThreadsAtRandom() throws Exception {
        Dispatcher d = Dispatcher.start("stress-frames");
        long start = System.nanoTime();
        long invokesDuringUnwind = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                invokesDuringUnwind += round(d, round);
            }
            assertThat(d.invoke(() -> 3, DispatcherPriority.BACKGROUND)).isEqualTo(3);
        } finally {
            StressSupport.shutDownAndJoin(d);
        }
        StressSupport.summary("nested frames: " + ROUNDS + " rounds × " + DEPTH + " frames = " + n(ROUNDS * DEPTH)
                + " frames pushed and returned once each, innermost first, exited by 2 foreign threads at random, "
                + n(invokesDuringUnwind) + " invokes served during the unwinding, dispatcher works after, in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }

    private long round(Dispatcher d, int round) throws Exception {
        DispatcherFrame[] frames = new DispatcherFrame[DEPTH];
        AtomicIntegerArray returned = new AtomicIntegerArray(DEPTH);
        List<Integer> returnOrder = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch deepest = new CountDownLatch(1);
        AtomicInteger maxDepth = new AtomicInteger();

        DispatcherOperation<Void> outermost = d.invokeAsync(() -> level(d, 0, frames, returned, returnOrder,
                failures, deepest, maxDepth), DispatcherPriority.NORMAL);
        assertThat(deepest.await(30, TimeUnit.SECONDS)).as("round %d: %d frames deep", round, DEPTH).isTrue();
        assertThat(maxDepth.get()).isEqualTo(DEPTH);

        // the dispatcher works at depth 500
        assertThat(d.invoke(() -> "deep", DispatcherPriority.BACKGROUND)).isEqualTo("deep");

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < DEPTH; i++) {
            order.add(i);
        }
        Collections.shuffle(order);
        List<Integer> first = order.subList(0, DEPTH / 2);
        List<Integer> second = order.subList(DEPTH / 2, DEPTH);
        AtomicBoolean unwinding = new AtomicBoolean(true);
        AtomicLong invokes = new AtomicLong();
        Thread exiter1 = exiter(frames, first, failures, "stress-frame-exiter-1");
        Thread exiter2 = exiter(frames, second, failures, "stress-frame-exiter-2");
        Thread invoker = new Thread(() -> {
            try {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (unwinding.get()) {
                    int v = rnd.nextInt();
                    int got = d.invoke(() -> v, StressSupport.RUNNABLE[rnd.nextInt(StressSupport.RUNNABLE.length)]);
                    if (got != v) {
                        failures.add(new AssertionError("invoke returned " + got + ", expected " + v));
                    }
                    invokes.incrementAndGet();
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }, "stress-frame-invoker");
        invoker.start();
        exiter1.start();
        exiter2.start();
        exiter1.join(10_000);
        exiter2.join(10_000);
        assertThat(outermost.await(Duration.ofSeconds(30))).as("round %d: the outermost level returned", round)
                .isEqualTo(DispatcherOperationStatus.COMPLETED);
        unwinding.set(false);
        invoker.join(10_000);
        assertThat(invoker.isAlive()).isFalse();
        assertThat(failures).as("round %d: failures", round).isEmpty();

        for (int i = 0; i < DEPTH; i++) {
            assertThat(returned.get(i)).as("round %d: returns of frame %d", round, i).isEqualTo(1);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = DEPTH - 1; i >= 0; i--) {
            expected.add(i);
        }
        assertThat(returnOrder).as("frames return innermost first").isEqualTo(expected);
        return invokes.get();
    }

    private static Thread exiter(DispatcherFrame[] frames, List<Integer> levels, List<Throwable> failures,
            String name) {
        List<Integer> mine = new ArrayList<>(levels);
        return new Thread(() -> {
            try {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int level : mine) {
                    for (int spin = rnd.nextInt(2_000); spin > 0; spin--) {
                        Thread.onSpinWait(); // a random moment, not a synchronization
                    }
                    frames[level].setContinue(false);
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }, name);
    }

    /** Runs on the owner thread inside the frame of level - 1: pushes the frame of {@code level}. */
    private static void level(Dispatcher d, int level, DispatcherFrame[] frames, AtomicIntegerArray returned,
            List<Integer> returnOrder, List<Throwable> failures, CountDownLatch deepest, AtomicInteger maxDepth) {
        try {
            DispatcherFrame frame = new DispatcherFrame();
            frames[level] = frame;
            maxDepth.accumulateAndGet(level + 1, Math::max);
            if (level + 1 < DEPTH) {
                d.post(() -> level(d, level + 1, frames, returned, returnOrder, failures, deepest, maxDepth),
                        DispatcherPriority.NORMAL);
            } else {
                deepest.countDown();
            }
            d.pushFrame(frame);
            returned.incrementAndGet(level);
            returnOrder.add(level);
        } catch (Throwable t) {
            failures.add(t);
        }
    }
}
