package dev.apartment;

import dev.apartment.internal.Inbox;
import dev.apartment.internal.OperationQueue;
import dev.apartment.internal.QueueNode;

import java.util.ArrayList;

/**
 * The owner side of one dispatcher's queue: which operation runs next. It owns the per-priority lanes
 * ({@link OperationQueue}), the frame-scoped operations held back while a deeper frame runs, and it
 * applies the {@link ControlNode} requests that other threads send through the inbox. Both loops (the built-in one in
 * {@link Loop} and {@link ToolkitLoop}) pick their operations with {@link #next(int)}.
 *
 * <p>Threads: owner thread only, no locks, no volatiles of its own. What producers publish reaches it only through
 * the lock-free {@link Inbox} (the dispatcher's, read here). Selection is exact: an operation whose post returned
 * before the owner picks the next one is considered; the inbox's lane summary says when the owner must look further
 * into the inbox than its lanes.
 */
final class Selection {
    /** Spins on an unlinked inbox node before the owner yields its core to the producer that must link it. */
    private static final int LINK_SPINS_BEFORE_YIELD = 64;

    private final Dispatcher d;
    /*
     * The dispatcher's inbox, and below the Loop's copies of the dispatcher's final fields: read through a final field
     * of this object, not through d, so that the owner's per-operation path loads each once, as when it was written
     * in Dispatcher (the JIT does not treat instance finals as constants, and every volatile read in between would
     * make it load d.inbox again).
     */
    private final Inbox inbox;
    final OperationQueue queue = new OperationQueue();
    private final Timers timers;
    /** Frame-scoped operations met inside a frame deeper than their scope, in posting order (see FrameScope). */
    final ArrayList<DispatcherOperation<?>> heldForFrame = new ArrayList<>(0);
    /** Spins on unlinked inbox nodes since the owner last yielded (see {@link #awaitLink()}). */
    private int linkSpins;

    Selection(Dispatcher d) {
        this.d = d;
        this.inbox = d.inbox;
        this.timers = d.timers;
    }

    /** Whether anything may still run (queued, or in the inbox). */
    boolean workRemains() {
        return !inbox.isEmpty() || queue.hasAny(OperationQueue.ALL_RUNNABLE);
    }

    /** Puts back into the lanes, in posting order, the held operations whose frame is running again. */
    void releaseHeldForFrame() {
        int kept = 0;
        for (int i = 0; i < heldForFrame.size(); i++) {
            DispatcherOperation<?> op = heldForFrame.get(i);
            int s = op.stateWord();
            if (!DispatcherOperation.isPending(s)) {
                continue; // aborted meanwhile
            }
            if (DispatcherOperation.frameDepth(s) >= d.frameDepth) {
                queue.requeue(op, DispatcherOperation.level(s), DispatcherOperation.isCall(s));
            } else {
                heldForFrame.set(kept++, op);
            }
        }
        heldForFrame.subList(kept, heldForFrame.size()).clear();
    }


    /**
     * Takes the next operation to run among the lanes in {@code laneMask}, or returns null. Owner only.
     *
     * <p>The inbox is drained only as far as needed to know the highest pending level: while nothing in it can be
     * of a higher level than the best queued operation, the queue is served as it is; when something may be
     * ({@link Inbox#pendingLanes()}), nodes are pulled in posting order, and the first one of that level runs
     * straight from the inbox. Steady single-priority traffic thus never touches the lanes, and a burst stays in
     * the inbox (cache-friendly) instead of being copied into the lanes first. Priority order is exact across
     * everything posted before the decision.
     */
    DispatcherOperation<?> next(int laneMask) {
        timers.fireDueEvery64th();
        for (;;) {
            // 1. The best queued operation, and the highest level the inbox may hold (control nodes count as above
            //    every level: they are applied before anything is picked).
            int inboxLevel = highestLevel(inbox.pendingLanes() & (laneMask | (1 << ControlNode.LANE)));
            QueueNode best = queue.peek(laneMask);
            int queued = best == null ? -1 : OperationQueue.laneLevel(best);
            DispatcherOperation<?> op;
            if (inboxLevel > queued) {
                // 2. The inbox may hold something better: pull one node from it, in posting order.
                op = pullFromInbox(inboxLevel, best, laneMask);
            } else if (best != null) {
                // 3. Nothing in the inbox can beat the queue: start the best queued operation.
                op = take(best, laneMask);
            } else if (inbox.isEmpty() || !drainedSomethingAdmitted(laneMask)) {
                // 4. Nothing admitted anywhere.
                return null;
            } else {
                continue;
            }
            if (op != null) {
                return op;
            }
            // a node was tidied away, applied or moved to its lane, or a race was lost: look again
        }
    }

    /**
     * The highest level of the lanes set in {@code lanes}, or -1 if none is. Lane {@code 2 * level + call} holds
     * the operations of one level and kind (see {@link DispatcherOperation#lane}), so the level is the highest set
     * bit divided by two.
     */
    private static int highestLevel(int lanes) {
        return (31 - Integer.numberOfLeadingZeros(lanes)) >> 1; // lanes == 0: (31 - 32) >> 1 == -1
    }

    /**
     * Only INACTIVE or filtered-out nodes may be left in the inbox: parks them in their lanes and tells whether that
     * brought an admitted operation.
     */
    private boolean drainedSomethingAdmitted(int laneMask) {
        drainAll();
        return queue.peek(laneMask) != null;
    }

    /**
     * Step 2 of {@link #next}: pulls one node from the inbox, where a node of level {@code wanted} may be. Returns
     * the operation to run (the oldest node of the highest level anywhere, started straight from the inbox, or
     * {@code best} when the node being linked has not arrived yet), or null after it dealt with the node: a control
     * node applied, an aborted one dropped, a frame-scoped one held, any other put into its lane.
     */
    private DispatcherOperation<?> pullFromInbox(int wanted, QueueNode best, int laneMask) {
        QueueNode n = inbox.poll();
        if (n == null) {
            if (inbox.isEmpty()) {
                // Restart the summary. Clearing must come before the final emptiness check (drainAll does both, in
                // that order): a push between a check and a later clear would lose its bit.
                drainAll();
                return null;
            }
            if (best == null) {
                awaitLink(); // a producer is between its swap and its link
                return null;
            }
            return take(best, laneMask); // the node being linked has not arrived yet; serve what has
        }
        if (!(n instanceof DispatcherOperation)) {
            applyControl((ControlNode) n);
            return null;
        }
        DispatcherOperation<?> op = (DispatcherOperation<?>) n;
        int s = op.stateWord();
        if (!DispatcherOperation.isPending(s)) {
            return null; // aborted while in the inbox
        }
        if (isHeldByFrame(s)) {
            queue.stamp(op);
            heldForFrame.add(op); // bound to a shallower frame: runs once the deeper ones have exited
            return null;
        }
        if (DispatcherOperation.level(s) >= wanted && (laneMask & (1 << DispatcherOperation.lane(s))) != 0) {
            if (op.tryStart(s)) {
                return op; // the oldest node of the highest level anywhere: run it from the inbox
            }
            s = op.stateWord();
            if (!DispatcherOperation.isPending(s)) {
                return null;
            }
        }
        queue.add(op, DispatcherOperation.level(s), DispatcherOperation.isCall(s));
        return null;
    }

    /** Whether an operation with state {@code s} is bound to a frame shallower than the one running now. */
    private boolean isHeldByFrame(int s) {
        return DispatcherOperation.isFrameScoped(s) && DispatcherOperation.frameDepth(s) < d.frameDepth;
    }

    /**
     * {@link #next(int)} for a wait that also lets in some of its own operations which {@code laneMask} holds back:
     * the highest of them runs when nothing admitted has a higher priority. Waits are not the hot path, so the
     * inbox is drained first to see every candidate.
     */
    DispatcherOperation<?> nextForWait(DispatcherOperation<?>[] own, int laneMask) {
        drainAll();
        DispatcherOperation<?> pick = null;
        int pickLevel = 0;
        for (DispatcherOperation<?> op : own) {
            int s = op.stateWord();
            int level = DispatcherOperation.level(s);
            if (DispatcherOperation.isPending(s) && level > pickLevel && OperationQueue.isInLane(op)) {
                pick = op;
                pickLevel = level;
            }
        }
        if (pick != null) {
            QueueNode best = queue.peek(laneMask);
            if (best == null || pickLevel >= OperationQueue.laneLevel(best)) {
                DispatcherOperation<?> op = take(pick, laneMask);
                if (op != null) {
                    return op;
                }
            }
        }
        return next(laneMask);
    }


    /** Starts the queued operation {@code best}, or returns null after tidying it away (aborted, moved, raced). */
    private DispatcherOperation<?> take(QueueNode best, int laneMask) {
        DispatcherOperation<?> op = (DispatcherOperation<?>) best;
        int s = op.stateWord();
        if (!DispatcherOperation.isPending(s)) {
            queue.remove(op); // aborted by another thread: dropped lazily here
            return null;
        }
        int level = DispatcherOperation.level(s);
        if (level != OperationQueue.laneLevel(op)) {
            queue.move(op, level); // its priority changed and the RELOCATE request is still in the inbox
            return null;
        }
        queue.remove(op);
        if (isHeldByFrame(s)) {
            heldForFrame.add(op); // keeps its seq: requeued in posting order when the deeper frames exit
            return null;
        }
        if (op.tryStart(s)) {
            return op;
        }
        s = op.stateWord(); // lost a race with abort or a priority change
        if (DispatcherOperation.isPending(s)) {
            queue.requeue(op, DispatcherOperation.level(s), DispatcherOperation.isCall(s));
        }
        return null;
    }


    /** Moves everything from the inbox into the lanes and resets the lane summary (see {@link Inbox}). */
    void drainAll() {
        do {
            inbox.clearLanes();
            QueueNode n;
            while ((n = inbox.poll()) != null) {
                if (n instanceof DispatcherOperation) {
                    DispatcherOperation<?> op = (DispatcherOperation<?>) n;
                    int s = op.stateWord();
                    if (DispatcherOperation.isPending(s)) {
                        queue.add(op, DispatcherOperation.level(s), DispatcherOperation.isCall(s));
                    }
                } else {
                    applyControl((ControlNode) n);
                }
            }
        } while (!inbox.isEmpty());
    }


    private void applyControl(ControlNode c) {
        switch (c.kind) {
            case ControlNode.RELOCATE:
                if (OperationQueue.isInLane(c.operation)) {
                    if (DispatcherOperation.isPending(c.operation.stateWord())) {
                        queue.move(c.operation, DispatcherOperation.level(c.operation.stateWord()));
                    } else {
                        queue.remove(c.operation); // raised out of INACTIVE, then aborted: it must not linger there
                    }
                }
                break;
            case ControlNode.UNLINK:
                queue.remove(c.operation);
                break;
            default:
                c.action.run();
                break;
        }
    }


    /**
     * Waits for a producer that swapped the inbox tail but has not linked its node yet. Usually that takes
     * nanoseconds; but a producer descheduled in between (more runnable threads than cores) would leave the owner
     * spinning for a whole time slice, so every so many spins (counted since the last yield, not per node: cheap,
     * and a yield now and then costs nothing) the owner yields its core.
     */
    void awaitLink() {
        if (++linkSpins < LINK_SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            linkSpins = 0;
            Thread.yield();
        }
    }
}
