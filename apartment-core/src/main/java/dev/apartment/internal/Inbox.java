package dev.apartment.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The lock-free multi-producer, single-consumer inbox of a dispatcher: Dmitry Vyukov's intrusive MPSC queue, plus a
 * summary of the lanes its nodes may belong to.
 *
 * <p>Invariants and happens-before edges:
 * <ul>
 *   <li>{@code tail} is the last node pushed; producers swap it atomically, so the swap order is the posting order.
 *       Everything a producer wrote before {@link #push} happens-before the owner's {@link #poll} that returns the
 *       node (release store of {@code prev.next}, acquire load by the owner).</li>
 *   <li>{@code head} is owner-only: the next node to hand out, or the stub.</li>
 *   <li>A producer links {@code prev.next} after its swap; in between the queue looks "busy": {@link #poll()}
 *       returns null although {@link #isEmpty()} is false. The owner must not park then, and it never does,
 *       because its last check before parking is {@link #isEmpty()}, which reads the swapped {@code tail}, never a
 *       {@code next} link (a lost wake-up otherwise).</li>
 *   <li>A node returned by {@link #poll()} is never touched by the inbox again, and its {@code next} link is
 *       already cleared, as is the stub's once the owner has moved past it. A handed-out node refers to no other
 *       node, so one that outlives its turn (a handle the caller keeps, or a node already promoted to the old
 *       generation) keeps nothing else alive. Otherwise one dead node in the old generation would be a root
 *       for every young collection and keep the whole stream of later posts reachable ("nepotism"): under a
 *       sustained backlog the heap then fills with finished operations.</li>
 *   <li>Lane summary: a producer sets its node's lane bit in {@code lanes} <em>after</em> its push; the owner clears
 *       {@code lanes} only through {@link #clearLanes()} and then polls until {@link #isEmpty()}. So every node that
 *       is in the inbox after such a drain has its bit set: {@link #pendingLanes()} is a superset of the lanes in the
 *       inbox, which lets the owner run a node straight from the inbox when nothing of a higher level can be in it.</li>
 * </ul>
 *
 * <p>Layout: {@code tail} (swapped by producers), {@code lanes} (read by the owner per operation) and {@code head}
 * (owner-written) are on different cache lines, by byte padding in a class hierarchy ({@link InboxLayout}).
 * {@code InboxLayoutTest} checks the offsets.
 */
public final class Inbox extends InboxLayout.ConsumerSide {
    private static final VarHandle TAIL;
    private static final VarHandle LANES;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(InboxLayout.TailSide.class, "tail", QueueNode.class);
            LANES = l.findVarHandle(InboxLayout.LaneSummary.class, "lanes", int.class);
            NEXT = l.findVarHandle(QueueNode.class, "next", QueueNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Stub extends QueueNode {
    }

    public Inbox() {
        QueueNode s = new Stub();
        stub = s;
        head = s;
        TAIL.setRelease(this, s);
    }

    /** Appends {@code node}. Any thread; wait-free (one atomic swap). */
    public void push(QueueNode node) {
        NEXT.set(node, (QueueNode) null);
        QueueNode prev = (QueueNode) TAIL.getAndSet(this, node);
        NEXT.setRelease(prev, node);
    }

    /** Appends {@code node} and records that a node of lane {@code lane} may be in the inbox. Any thread. */
    public void push(QueueNode node, int lane) {
        push(node);
        markLane(lane);
    }

    /** Records that a node of lane {@code lane} may be in the inbox (after a priority change, for instance). */
    public void markLane(int lane) {
        int bit = 1 << lane;
        if (((int) LANES.getVolatile(this) & bit) == 0) {
            LANES.getAndBitwiseOr(this, bit);
        }
    }

    /** A superset of the lanes of the nodes in the inbox (see the class comment). Owner thread. */
    public int pendingLanes() {
        return (int) LANES.getVolatile(this);
    }

    /** Forgets the lane summary. The owner must then poll until {@link #isEmpty()} before trusting it again. */
    public void clearLanes() {
        LANES.setVolatile(this, 0);
    }

    /**
     * Removes and returns the oldest node, or null if the inbox is empty or a producer is between its swap and its
     * link (then {@link #isEmpty()} is false). Owner thread only.
     */
    public QueueNode poll() {
        QueueNode h = head;
        QueueNode next = (QueueNode) NEXT.getAcquire(h);
        if (h == stub) {
            if (next == null) {
                return null;
            }
            h.next = null; // the stub lives as long as the inbox: it must not hold on to what followed it
            head = next;
            h = next;
            next = (QueueNode) NEXT.getAcquire(next);
        }
        if (next != null) {
            return handOut(h, next);
        }
        if (h != (QueueNode) TAIL.getVolatile(this)) {
            return null; // a producer is linking after h
        }
        push(stub);
        next = (QueueNode) NEXT.getAcquire(h);
        if (next != null) {
            return handOut(h, next);
        }
        return null;
    }

    /**
     * Advances past {@code h} and cuts its link: once its successor is linked no producer writes it again, and a
     * node handed out must not keep the nodes after it reachable (see the class comment).
     */
    private QueueNode handOut(QueueNode h, QueueNode next) {
        head = next;
        h.next = null;
        return h;
    }

    /**
     * True if nothing has been pushed that {@link #poll()} has not returned. Owner thread only. Reads the swapped
     * tail, so a push that completed its swap is always seen: this is the owner's last check before parking.
     */
    public boolean isEmpty() {
        return head == stub && TAIL.getVolatile(this) == stub;
    }
}
