package dev.apartment;

import dev.apartment.internal.OperationQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters behind {@link Dispatcher#metrics()}. Each counter has one kind of writer, chosen so that the
 * hot paths pay almost nothing:
 * <ul>
 *   <li>posts from foreign threads: the first foreign thread to post claims a padded array of its own and counts
 *       there with plain release stores, like the owner; every other foreign thread counts in a {@link LongAdder}
 *       per priority level (one uncontended CAS per post; contending producers get cells of their own instead of
 *       fighting over one line). The claim is for the common case of one producer thread feeding a UI thread: a
 *       locked instruction per post there cost posts spread over the priority levels a fifth to a third of their
 *       throughput (measured with JMH, {@code MixedPriority.allLevels}), though not posts at one level. The
 *       dispatcher keeps that {@code Thread} object for its lifetime;</li>
 *   <li>everything the owner thread does (self-posts, timer ticks, starts, ends, frames): single-writer {@code long}s
 *       written with release stores, which are plain moves on x86, and read with acquire loads;</li>
 *   <li>the rare events of any thread (aborts, priority changes, deadlock diagnoses, stalls): atomic adds.</li>
 * </ul>
 *
 * <p>Queue depth of a level = operations that entered it (posted at it or moved to it) minus those that left it
 * (started, aborted, moved away). Every PENDING operation is counted at exactly one level once the dispatcher is
 * quiet: the transitions that move it are single CASes of its state word, and the winner of each does the counting.
 * While it runs, a snapshot races with those transitions; {@link #snapshot()} reads the counters in happens-before
 * order, so its sums are never inconsistent in the direction that matters (nothing ends that was not started, nothing
 * starts that was not posted); a level is clamped at zero for the moment between a priority change's CAS and its
 * counting.
 */
final class DispatcherCounters {
    private static final int LEVELS = OperationQueue.LEVELS;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    // The owner's counters are one array padded inside (a line at each end), so wherever the GC puts it no neighbour
    // written by producers (these adders, the operations) shares a cache line with what the owner writes per run.

    // posts of foreign threads: the claiming thread's own array (single writer), and adders for every other thread
    private static final VarHandle CLAIMANT;
    /** The foreign thread that counts its posts in {@link #claimed}; set once, never changed. */
    private volatile Thread claimant;
    private final long[] claimed = new long[PAD + LEVELS + PAD];
    private final LongAdder[] posted = newAdders();

    static {
        try {
            CLAIMANT = MethodHandles.lookup().findVarHandle(DispatcherCounters.class, "claimant", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // any thread
    private final AtomicLongArray movedIn = new AtomicLongArray(LEVELS);
    private final AtomicLongArray movedOut = new AtomicLongArray(LEVELS);
    private final AtomicLongArray aborted = new AtomicLongArray(LEVELS);
    /** [0] deadlock diagnoses, [1] stalls reported. */
    private final AtomicLongArray diagnoses = new AtomicLongArray(2);

    // owner thread only (single writer): release stores, acquire loads; one array, padded at both ends
    private static final int PAD = 8; // longs: one 64-byte line
    private static final int OWNER_POSTED = PAD;
    private static final int STARTED = OWNER_POSTED + LEVELS;
    private static final int COMPLETED = STARTED + LEVELS;
    private static final int FAILED = COMPLETED + 1;
    private static final int FRAMES = FAILED + 1;
    private final long[] owner = new long[FRAMES + 1 + PAD];

    private static LongAdder[] newAdders() {
        LongAdder[] a = new LongAdder[LEVELS];
        for (int i = 0; i < LEVELS; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    // --- writers -----------------------------------------------------------------------------------------------

    /** The owner thread queued an operation at {@code level} (single writer). */
    void postedByOwner(int level) {
        bump(OWNER_POSTED + level);
    }

    /** {@code poster}, a thread other than the owner, queued an operation at {@code level}. */
    void postedByForeign(int level, Thread poster) {
        if (claimant == poster || (claimant == null && CLAIMANT.compareAndSet(this, null, poster))) {
            LONGS.setRelease(claimed, PAD + level, (long) LONGS.get(claimed, PAD + level) + 1);
        } else {
            posted[level].increment();
        }
    }

    /** Owner: an operation left the queue and started. */
    void started(int level) {
        bump(STARTED + level);
    }

    /** Owner: an operation ended, {@code failed} if it threw. */
    void completed(boolean failed) {
        bump(COMPLETED);
        if (failed) {
            bump(FAILED);
        }
    }

    /** Owner: a frame was pushed. */
    void framePushed() {
        bump(FRAMES);
    }

    /** The thread that won the abort CAS: a pending operation at {@code level} was aborted. */
    void aborted(int level) {
        aborted.getAndIncrement(level);
    }

    /** The thread that won the priority-change CAS. Entry first: see the class comment. */
    void moved(int from, int to) {
        movedIn.getAndIncrement(to);
        movedOut.getAndIncrement(from);
    }

    void deadlockDiagnosed() {
        diagnoses.getAndIncrement(0);
    }

    void stallReported() {
        diagnoses.getAndIncrement(1);
    }

    private void bump(int i) {
        LONGS.setRelease(owner, i, (long) LONGS.get(owner, i) + 1);
    }

    private long read(int i) {
        return (long) LONGS.getAcquire(owner, i);
    }

    // --- snapshot (any thread) ---------------------------------------------------------------------------------

    /**
     * Reads every counter in the order of the happens-before edges that connect them, later stages first: failures,
     * completions, then what left the levels, then what entered them. Each thing counted in an earlier read was
     * counted before (in happens-before order) what a later read covers, so any snapshot has
     * {@code failed <= completed <= started} and {@code started + aborted <= posted}, and no depth goes negative for
     * an operation it never held.
     */
    DispatcherMetrics snapshot() {
        long failed = read(FAILED);
        long completed = read(COMPLETED);
        long frames = read(FRAMES);
        long[] left = new long[LEVELS];
        long startedTotal = 0;
        long abortedTotal = 0;
        for (int i = 0; i < LEVELS; i++) {
            long s = read(STARTED + i);
            long a = aborted.get(i);
            startedTotal += s;
            abortedTotal += a;
            left[i] = s + a + movedOut.get(i);
        }
        long[] depth = new long[LEVELS];
        long postedTotal = 0;
        for (int i = 0; i < LEVELS; i++) {
            long p = read(OWNER_POSTED + i) + (long) LONGS.getAcquire(claimed, PAD + i) + posted[i].sum();
            postedTotal += p;
            depth[i] = Math.max(0L, p + movedIn.get(i) - left[i]);
        }
        return new DispatcherMetrics(postedTotal, startedTotal, completed, failed, abortedTotal, depth, frames,
                diagnoses.get(0), diagnoses.get(1));
    }
}
