package dev.apartment;

/**
 * Held while a {@link Dispatcher}'s processing is disabled; see {@link Dispatcher#disableProcessing()}. Close it on
 * the owner thread, in a try-with-resources block. Closing it twice does nothing the second time.
 */
public final class DispatcherProcessingDisabled implements AutoCloseable {
    private final Dispatcher dispatcher;
    private boolean closed;

    DispatcherProcessingDisabled(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * Enables processing again (unless an enclosing holder is still open).
     *
     * @throws WrongDispatcherException if called from a thread other than the owner
     */
    @Override
    public void close() {
        dispatcher.verifyAccess();
        if (!closed) {
            closed = true;
            dispatcher.enableProcessing();
        }
    }
}
