package dev.apartment;

import java.util.concurrent.CancellationException;

/**
 * Thrown by the waiting methods of an operation that ended {@link DispatcherOperationStatus#ABORTED}: it never ran.
 * It is a {@link CancellationException}, which is also how the operation's {@code CompletableFuture} reports an abort.
 */
public class OperationAbortedException extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** @param message why the operation was aborted */
    public OperationAbortedException(String message) {
        super(message);
    }
}
