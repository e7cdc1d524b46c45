package dev.apartment.bench;

import dev.apartment.bench.peers.EventLoopAdapter;

import java.util.concurrent.TimeUnit;

/**
 * One producer's completion check. The producer announces how many tasks it will post ({@link #expect(int)}), posts
 * the preallocated {@link #task} that many times (the same task instance for every peer, so no peer pays for the
 * benchmark's allocation), then {@link #await(EventLoopAdapter) waits}: the task that brings the loop-side count to
 * the announced total signals. Order does not matter, so it works across priorities too.
 *
 * <p>Failing loudly: a lost task makes {@code await} time out and throw; a task run twice (or a stray one) is caught
 * by {@link #verify(EventLoopAdapter)}, which the benchmarks call after every iteration (or, with several producers,
 * once before the loop stops): it sends a fence through the loop and then compares the exact counts.
 *
 * <p>Threads: {@code ran} is written by the loop thread only. {@code target} is written by the producer between
 * rounds, while no task of this counter is queued; posting publishes it to the loop thread, the signal publishes
 * {@code ran} back.
 */
public final class TaskCounter {
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final long timeoutNanos;
    private final Completion done = new Completion();
    private final Completion fence = new Completion();
    private long ran;       // loop thread
    private long target;    // producer, published by the post
    private long rounds;

    /** The task the benchmarks post: counts one run on the loop thread and signals when the round is complete. */
    public final Runnable task = this::runOne;

    private final Runnable fenceTask = fence::signal;

    public TaskCounter() {
        this(TIMEOUT_NANOS);
    }

    TaskCounter(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    private void runOne() {
        if (++ran == target) {
            done.signal();
        }
    }

    /** Announces {@code n} more posts of {@link #task}. Producer thread, before posting them. */
    public void expect(int n) {
        target += n;
        rounds++;
        done.reset();
    }

    /** Waits until every announced task has run; throws if that takes more than 60 s. */
    public void await(EventLoopAdapter loop) {
        if (!done.await(timeoutNanos)) {
            throw new IllegalStateException(loop.name() + ": lost tasks: " + ran + " of " + target
                    + " ran within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (round " + rounds + ")");
        }
    }

    /**
     * Checks that exactly the announced number of tasks ran, no more and no fewer: posts a fence through the loop,
     * waits for it, then compares. Call between rounds (e.g. in an iteration tear-down).
     */
    public void verify(EventLoopAdapter loop) {
        fence.reset();
        loop.post(fenceTask);
        if (!fence.await(timeoutNanos)) {
            throw new IllegalStateException(loop.name() + ": a fence posted after the benchmark did not run within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        }
        long r = ran;
        if (r != target) {
            throw new IllegalStateException(loop.name() + ": task count mismatch: " + r + " tasks ran, "
                    + target + " were posted (" + rounds + " rounds)");
        }
    }

    public long posted() {
        return target;
    }
}
