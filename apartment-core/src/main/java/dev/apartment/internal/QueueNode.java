package dev.apartment.internal;

/**
 * A node of the {@link Inbox} and then of the {@link OperationQueue}: operations are intrusive, so one post
 * allocates one object and nothing else.
 *
 * <p>The {@code next} link serves both structures in turn. While the node is in the inbox, producers write it
 * (release) and the owner reads it (acquire). {@link Inbox#poll()} hands a node out only once no producer will
 * write its link again, and from then on {@code next}, {@code prev}, {@code seq} and {@code lane} belong to the
 * owner thread alone and are accessed plainly.
 *
 * <p>This class is public only so that {@code dev.apartment} can extend it; its package is not exported.
 */
public abstract class QueueNode {
    /** Inbox successor (accessed with release/acquire through {@link Inbox}), then lane successor (plain). */
    QueueNode next;
    /** Lane predecessor (owner only). */
    QueueNode prev;
    /** Posting order, assigned by the owner when the node enters a lane; compared wrap-around safe. */
    int seq;
    /** The lane the node is in, or -1 while it is in no lane (owner only). */
    byte lane = -1;

    // No public methods: dev.apartment.DispatcherOperation, a public API type, extends this class, and a public method
    // here would be callable on every operation. What dev.apartment needs is in OperationQueue (isInLane, laneLevel).
}
