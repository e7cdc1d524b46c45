package dev.apartment;

/**
 * Where a {@link DispatcherOperation} is in its life: it starts {@link #PENDING} and ends {@link #COMPLETED} or
 * {@link #ABORTED}, exactly once.
 */
public enum DispatcherOperationStatus {
    /** Queued, not started: its priority can still change and it can be aborted. */
    PENDING,
    /** Running on the owner thread. It will end {@link #COMPLETED}, whatever its callback does. */
    EXECUTING,
    /** Ran to the end, with a result or an exception. */
    COMPLETED,
    /** Never ran: aborted by {@link DispatcherOperation#abort()}, a timeout, an interrupt or shutdown. */
    ABORTED;

    /** {@return true for {@link #COMPLETED} and {@link #ABORTED}} */
    public boolean isDone() {
        return this == COMPLETED || this == ABORTED;
    }
}
