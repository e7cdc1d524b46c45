package dev.apartment;

import dev.apartment.internal.QueueNode;

/**
 * A request from a foreign thread for something that only the owner may do to its queue or timer heap. It travels
 * through the inbox, so it is applied in order with the posts around it and before the owner's next selection.
 */
final class ControlNode extends QueueNode {
    /** Move the operation to the lane of its current priority. */
    static final int RELOCATE = 0;
    /** Take the (aborted) operation out of its lane: used for INACTIVE operations, which are never reached. */
    static final int UNLINK = 1;
    /** Run {@link #action} on the owner thread, now. */
    static final int RUN = 2;

    /**
     * The inbox lane bit every control request is pushed with. It ranks above every priority level, so the owner
     * polls up to the request (parking the operations before it in their lanes) before it picks anything.
     */
    static final int LANE = 30;

    final int kind;
    final DispatcherOperation<?> operation;
    final Runnable action;

    ControlNode(int kind, DispatcherOperation<?> operation, Runnable action) {
        this.kind = kind;
        this.operation = operation;
        this.action = action;
    }
}
