package dev.apartment;

/**
 * Thrown by {@link Dispatcher#invoke(java.util.concurrent.Callable, DispatcherPriority, java.time.Duration) invoke}
 * with a timeout when the operation did not <em>start</em> in time: it was aborted and will never run.
 * (An operation that started in time always runs to its end, and {@code invoke} waits for it.)
 */
public class DispatcherTimeoutException extends OperationAbortedException {
    private static final long serialVersionUID = 1L;

    /** @param message what timed out, and after how long */
    public DispatcherTimeoutException(String message) {
        super(message);
    }
}
