package dev.apartment;

/**
 * A snapshot of a dispatcher's counters and queue depths, from {@link Dispatcher#metrics()}; any thread may take
 * one at any time, at the cost of a few dozen reads and one small allocation. The counters are always on; a post
 * pays a plain store (from the owner thread and from the first foreign thread that posts) or one uncontended atomic
 * add (from any other thread).
 *
 * <pre>{@code
 * DispatcherMetrics m = ui.metrics();
 * if (m.queueDepth(DispatcherPriority.INPUT) > 100) {
 *     log.warn("input is piling up on {}: {}", ui, m);
 * }
 * }</pre>
 *
 * <p>Counts are since the dispatcher was created and never go down. The counters are read one after another while
 * the dispatcher runs, so a snapshot of a busy dispatcher is not one instant, but it is read in causal order: every
 * snapshot has {@code failed() <= completed() <= started()} and {@code started() + aborted() <= posted()}; once the
 * dispatcher is quiet, {@code posted() == started() + aborted() + queueDepth()}, and {@code completed() == started()}
 * outside a running operation.
 * An {@link Dispatcher#invoke invoke} at {@link DispatcherPriority#SEND} on the owner thread runs inline, is not
 * queued and is not counted.
 */
public final class DispatcherMetrics {
    private final long posted;
    private final long started;
    private final long completed;
    private final long failed;
    private final long aborted;
    private final long[] depth;
    private final long framesPushed;
    private final long deadlocksDiagnosed;
    private final long stallsReported;

    DispatcherMetrics(long posted, long started, long completed, long failed, long aborted, long[] depth,
            long framesPushed, long deadlocksDiagnosed, long stallsReported) {
        this.posted = posted;
        this.started = started;
        this.completed = completed;
        this.failed = failed;
        this.aborted = aborted;
        this.depth = depth;
        this.framesPushed = framesPushed;
        this.deadlocksDiagnosed = deadlocksDiagnosed;
        this.stallsReported = stallsReported;
    }

    /** {@return the operations queued: posts, invokes that queued, {@code invokeAsync}, callbacks, timer ticks} */
    public long posted() {
        return posted;
    }

    /** {@return the operations that started running on the owner thread} */
    public long started() {
        return started;
    }

    /** {@return the operations that ran to their end, including those that threw ({@link #failed()})} */
    public long completed() {
        return completed;
    }

    /** {@return the operations that ended with an exception (part of {@link #completed()})} */
    public long failed() {
        return failed;
    }

    /**
     * {@return the operations aborted before they started (by {@code abort()}, a timeout, an interrupt or shutdown)}
     */
    public long aborted() {
        return aborted;
    }

    /** {@return the operations waiting to run, at every priority (INACTIVE ones included)} */
    public long queueDepth() {
        long sum = 0;
        for (long d : depth) {
            sum += d;
        }
        return sum;
    }

    /**
     * {@return the operations waiting to run at {@code priority}}
     *
     * @param priority the priority; not {@link DispatcherPriority#INVALID}
     * @throws IllegalArgumentException if {@code priority} is {@link DispatcherPriority#INVALID}
     */
    public long queueDepth(DispatcherPriority priority) {
        DispatcherPriority.checkValid(priority, "priority");
        return depth[priority.value()];
    }

    /**
     * {@return the frames pushed on the owner thread: {@code run()}, {@code pushFrame}, and the nested loops of waits}
     */
    public long framesPushed() {
        return framesPushed;
    }

    /** {@return the waits of the owner thread that ended with a {@link DispatcherDeadlockException}} */
    public long deadlocksDiagnosed() {
        return deadlocksDiagnosed;
    }

    /** {@return the stalls the stall watchdog reported ({@link Dispatcher#setStallWatchdog})} */
    public long stallsReported() {
        return stallsReported;
    }

    /** For example {@code DispatcherMetrics[posted=120, started=118, ..., queued={NORMAL=2}]}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("DispatcherMetrics[posted=").append(posted)
                .append(", started=").append(started)
                .append(", completed=").append(completed)
                .append(", failed=").append(failed)
                .append(", aborted=").append(aborted)
                .append(", framesPushed=").append(framesPushed)
                .append(", deadlocksDiagnosed=").append(deadlocksDiagnosed)
                .append(", stallsReported=").append(stallsReported)
                .append(", queued={");
        boolean first = true;
        for (int i = depth.length - 1; i >= 0; i--) {
            if (depth[i] != 0) {
                b.append(first ? "" : ", ").append(DispatcherPriority.fromValue(i)).append('=').append(depth[i]);
                first = false;
            }
        }
        return b.append("}]").toString();
    }
}
