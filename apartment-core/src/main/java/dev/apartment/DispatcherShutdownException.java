package dev.apartment;

/**
 * Thrown by the methods that cannot work once a {@link Dispatcher} has shut down (or is shutting down), such as
 * {@link Dispatcher#invoke(java.util.concurrent.Callable) invoke} and {@link Dispatcher#pushFrame(DispatcherFrame)
 * pushFrame}. Posting never throws it: a post to a shut-down dispatcher returns an already-aborted operation.
 */
public class DispatcherShutdownException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message what was attempted, and on which dispatcher */
    public DispatcherShutdownException(String message) {
        super(message);
    }
}
