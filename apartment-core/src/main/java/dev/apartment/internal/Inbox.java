package dev.apartment.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The lock-free multi-producer, single-consumer inbox of a dispatcher: Dmitry Vyukov's intrusive MPSC queue.
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
 *   <li>A node returned by {@link #poll()} is never touched by the inbox again.</li>
 * </ul>
 */
public final class Inbox {
    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(Inbox.class, "tail", QueueNode.class);
            NEXT = l.findVarHandle(QueueNode.class, "next", QueueNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Stub extends QueueNode {
    }

    private final QueueNode stub = new Stub();

    // Owner-written; kept apart from the producer-written tail (see PaddedTail) to avoid false sharing.
    private QueueNode head = stub;

    @SuppressWarnings("unused") // accessed through TAIL
    private volatile QueueNode tail = stub;

    /** Appends {@code node}. Any thread; wait-free (one atomic swap). */
    public void push(QueueNode node) {
        NEXT.set(node, (QueueNode) null);
        QueueNode prev = (QueueNode) TAIL.getAndSet(this, node);
        NEXT.setRelease(prev, node);
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
            head = next;
            h = next;
            next = (QueueNode) NEXT.getAcquire(next);
        }
        if (next != null) {
            head = next;
            return h;
        }
        if (h != (QueueNode) TAIL.getVolatile(this)) {
            return null; // a producer is linking after h
        }
        push(stub);
        next = (QueueNode) NEXT.getAcquire(h);
        if (next != null) {
            head = next;
            return h;
        }
        return null;
    }

    /**
     * True if nothing has been pushed that {@link #poll()} has not returned. Owner thread only. Reads the swapped
     * tail, so a push that completed its swap is always seen: this is the owner's last check before parking.
     */
    public boolean isEmpty() {
        return head == stub && TAIL.getVolatile(this) == stub;
    }
}
