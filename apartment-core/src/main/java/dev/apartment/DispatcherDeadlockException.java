package dev.apartment;

/**
 * Thrown by a wait that can never end: it waits, directly or through a cycle of dispatcher threads waiting on each
 * other, for an operation that only a thread which dispatches nothing (a wait under {@link WaitPolicy#NONE}, or
 * processing disabled) could run. The message names every thread, its wait and the operation it waits for.
 */
public class DispatcherDeadlockException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message naming every thread involved, its wait and the operation it waits for */
    public DispatcherDeadlockException(String message) {
        super(message);
    }
}
