package dev.apartment.internal;

/**
 * The owner-side queue of a dispatcher: one intrusive FIFO lane per (priority level, operation kind), so that the
 * owner picks the next operation in O(1) both for the full loop and for a wait that admits only calls.
 *
 * <p>Lane {@code level * 2 + (call ? 1 : 0)}; bit {@code lane} of {@link #nonEmpty} is set while the lane holds a
 * node. Within a lane nodes are in posting order ({@code seq}); the two lanes of one level are merged by
 * {@code seq}, so a level is FIFO across kinds. Level 0 (INACTIVE) is never selected by the masks below.
 *
 * <p>Owner thread only: no field is shared, nothing is volatile, nothing locks.
 */
public final class OperationQueue {
    /** Whether {@code node} is queued in a lane. Owner thread only. */
    public static boolean isInLane(QueueNode node) {
        return node.lane >= 0;
    }

    /** The priority level of the lane {@code node} is in; meaningful only while {@link #isInLane}. Owner only. */
    public static int laneLevel(QueueNode node) {
        return node.lane >> 1;
    }

    /** Number of priority levels that can hold operations: INACTIVE (0) .. SEND (10). */
    public static final int LEVELS = 11;

    /** Every lane of every runnable level (1..10), both kinds. */
    public static final int ALL_RUNNABLE = laneMask(1, LEVELS - 1, true, true);
    /** The call lanes of every runnable level. */
    public static final int CALLS_ONLY = laneMask(1, LEVELS - 1, true, false);

    private final QueueNode[] heads = new QueueNode[LEVELS * 2];
    private final QueueNode[] tails = new QueueNode[LEVELS * 2];
    private final int[] counts = new int[LEVELS];
    private int nonEmpty;
    private int nextSeq;

    /** The mask of the lanes of levels {@code from..to}, of calls and/or messages. */
    public static int laneMask(int fromLevel, int toLevel, boolean calls, boolean messages) {
        int mask = 0;
        for (int level = fromLevel; level <= toLevel; level++) {
            if (messages) {
                mask |= 1 << (level * 2);
            }
            if (calls) {
                mask |= 1 << (level * 2 + 1);
            }
        }
        return mask;
    }

    /** Appends {@code node} to the lane of {@code level} and kind, as the newest posting. */
    public void add(QueueNode node, int level, boolean call) {
        node.seq = nextSeq++;
        append(node, level * 2 + (call ? 1 : 0));
    }

    /**
     * Gives a node its place in posting order without queueing it: for a node the owner holds aside (a frame-scoped
     * operation met inside a deeper frame) and {@link #requeue requeues} later.
     */
    public void stamp(QueueNode node) {
        node.seq = nextSeq++;
    }

    /**
     * Moves a queued node to {@code level}, keeping its posting order among the nodes already there (WPF's
     * priority change).
     */
    public void move(QueueNode node, int level) {
        int lane = level * 2 + (node.lane & 1);
        if (lane == node.lane) {
            return;
        }
        remove(node);
        insertBySeq(node, lane);
    }

    /** Puts back a node taken out by the owner, in its original posting order: for a start that lost a race. */
    public void requeue(QueueNode node, int level, boolean call) {
        insertBySeq(node, level * 2 + (call ? 1 : 0));
    }

    /** O(1) when the node is the newest of the lane, else a walk back from the lane's tail. */
    private void insertBySeq(QueueNode node, int lane) {
        QueueNode after = tails[lane];
        while (after != null && after.seq - node.seq > 0) {
            after = after.prev;
        }
        if (after == tails[lane]) {
            append(node, lane);
            return;
        }
        QueueNode before = after == null ? heads[lane] : after.next;
        node.prev = after;
        node.next = before;
        before.prev = node;
        if (after == null) {
            heads[lane] = node;
            nonEmpty |= 1 << lane;
        } else {
            after.next = node;
        }
        node.lane = (byte) lane;
        counts[lane >> 1]++;
    }

    /** Unlinks a queued node; a node in no lane is left alone. */
    public void remove(QueueNode node) {
        int lane = node.lane;
        if (lane < 0) {
            return;
        }
        QueueNode p = node.prev;
        QueueNode n = node.next;
        if (p == null) {
            heads[lane] = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tails[lane] = p;
        } else {
            n.prev = p;
        }
        if (heads[lane] == null) {
            nonEmpty &= ~(1 << lane);
        }
        node.prev = null;
        node.next = null;
        node.lane = -1;
        counts[lane >> 1]--;
    }

    /**
     * The oldest node of the highest level that has a node in a lane of {@code laneMask}, or null. Does not remove.
     */
    public QueueNode peek(int laneMask) {
        int lanes = nonEmpty & laneMask;
        if (lanes == 0) {
            return null;
        }
        int lane = 31 - Integer.numberOfLeadingZeros(lanes);
        QueueNode best = heads[lane];
        int sibling = lane ^ 1;
        if ((lanes & (1 << sibling)) != 0) {
            QueueNode other = heads[sibling];
            if (other.seq - best.seq < 0) {
                best = other;
            }
        }
        return best;
    }

    /** Removes and returns any queued node, INACTIVE ones included, or null when empty: for shutdown. */
    public QueueNode pollAny() {
        if (nonEmpty == 0) {
            return null;
        }
        QueueNode node = heads[31 - Integer.numberOfLeadingZeros(nonEmpty)];
        remove(node);
        return node;
    }

    /** True if some lane in {@code laneMask} holds a node. */
    public boolean hasAny(int laneMask) {
        return (nonEmpty & laneMask) != 0;
    }

    /** The number of queued nodes at {@code level}, both kinds. */
    public int count(int level) {
        return counts[level];
    }

    private void append(QueueNode node, int lane) {
        QueueNode t = tails[lane];
        node.prev = t;
        node.next = null;
        if (t == null) {
            heads[lane] = node;
            nonEmpty |= 1 << lane;
        } else {
            t.next = node;
        }
        tails[lane] = node;
        node.lane = (byte) lane;
        counts[lane >> 1]++;
    }
}
