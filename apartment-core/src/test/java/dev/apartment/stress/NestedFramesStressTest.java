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

    /**
     * The frames are exited at random while the stack is still being built: a frame may be exited before the level
     * above it is pushed, so that level runs in a lower frame, and the depth goes up and down. Every level still
     * runs exactly once, every pushFrame returns exactly once, pushes and returns nest like a stack, and the
     * dispatcher works afterwards.
     */
    @Test
    @Timeout(60)
    void framesExitedAtRandomWhileTheStackIsBuilt() throws Exception {
        Dispatcher d = Dispatcher.start("stress-frames-racing");
        long start = System.nanoTime();
        long maxDepthSum = 0;
        int minMax = Integer.MAX_VALUE;
        int maxMax = 0;
        try {
            for (int round = 0; round < ROUNDS * 4; round++) {
                java.util.concurrent.atomic.AtomicReferenceArray<DispatcherFrame> frames =
                        new java.util.concurrent.atomic.AtomicReferenceArray<>(DEPTH);
                AtomicIntegerArray runs = new AtomicIntegerArray(DEPTH);
                AtomicIntegerArray returned = new AtomicIntegerArray(DEPTH);
                List<Integer> events = new ArrayList<>(); // owner thread only: +level+1 pushed, -(level+1) returned
                int[] depth = {0, 0};
                List<Throwable> failures = new CopyOnWriteArrayList<>();
                DispatcherOperation<Void> first = d.invokeAsync(() -> racingLevel(d, 0, frames, runs, returned,
                        events, depth, failures), DispatcherPriority.NORMAL);
                AtomicInteger exited = new AtomicInteger();
                AtomicIntegerArray exitedFlags = new AtomicIntegerArray(DEPTH);
                Runnable exit = () -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (exited.get() < DEPTH && System.nanoTime() - end < 0) {
                        int level = rnd.nextInt(DEPTH);
                        DispatcherFrame f = frames.get(level);
                        if (f != null && exitedFlags.compareAndSet(level, 0, 1)) {
                            f.setContinue(false);
                            exited.incrementAndGet();
                        }
                    }
                };
                Thread e1 = new Thread(exit, "stress-racing-exiter-1");
                Thread e2 = new Thread(exit, "stress-racing-exiter-2");
                e1.start();
                e2.start();
                e1.join(40_000);
                e2.join(40_000);
                assertThat(exited.get()).as("round %d: every frame was exited", round).isEqualTo(DEPTH);
                // the last level is posted from inside the frames: wait for the whole chain through the owner
                assertThat(first.await(Duration.ofSeconds(30))).isEqualTo(DispatcherOperationStatus.COMPLETED);
                List<Integer> log = d.invoke(() -> new ArrayList<>(events), DispatcherPriority.SYSTEM_IDLE);
                int maxDepth = d.invoke(() -> depth[1]);
                assertThat(failures).as("round %d: failures", round).isEmpty();
                for (int i = 0; i < DEPTH; i++) {
                    assertThat(runs.get(i)).as("round %d: runs of level %d", round, i).isEqualTo(1);
                    assertThat(returned.get(i)).as("round %d: returns of frame %d", round, i).isEqualTo(1);
                }
                java.util.ArrayDeque<Integer> stack = new java.util.ArrayDeque<>();
                for (int ev : log) {
                    if (ev > 0) {
                        stack.push(ev);
                    } else {
                        assertThat(stack.pop()).as("round %d: frames return innermost first", round).isEqualTo(-ev);
                    }
                }
                assertThat(stack).isEmpty();
                maxDepthSum += maxDepth;
                minMax = Math.min(minMax, maxDepth);
                maxMax = Math.max(maxMax, maxDepth);
            }
            assertThat(d.invoke(() -> 4, DispatcherPriority.BACKGROUND)).isEqualTo(4);
        } finally {
            StressSupport.shutDownAndJoin(d);
        }
        StressSupport.summary("nested frames exited while being built: " + (ROUNDS * 4) + " rounds × " + DEPTH
                + " levels = " + n(ROUNDS * 4 * DEPTH) + " frames pushed and returned once each, well nested, "
                + "maximum depth per round " + minMax + ".." + maxMax + ", dispatcher works after, in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }

    private static void racingLevel(Dispatcher d, int level,
            java.util.concurrent.atomic.AtomicReferenceArray<DispatcherFrame> frames, AtomicIntegerArray runs,
            AtomicIntegerArray returned, List<Integer> events, int[] depth, List<Throwable> failures) {
        try {
            runs.incrementAndGet(level);
            DispatcherFrame frame = new DispatcherFrame();
            if (level + 1 < DEPTH) {
                d.post(() -> racingLevel(d, level + 1, frames, runs, returned, events, depth, failures),
                        DispatcherPriority.NORMAL);
            }
            frames.set(level, frame);
            events.add(level + 1);
            depth[0]++;
            depth[1] = Math.max(depth[1], depth[0]);
            d.pushFrame(frame);
            depth[0]--;
            events.add(-(level + 1));
            returned.incrementAndGet(level);
        } catch (Throwable t) {
            failures.add(t);
        }
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
