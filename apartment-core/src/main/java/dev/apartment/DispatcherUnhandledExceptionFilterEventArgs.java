package dev.apartment;

/**
 * The argument of an unhandled-exception <em>filter</em>: raised first, for an exception thrown by a
 * {@link Dispatcher#post post}, a {@link SynchronizationContext#post sync-context post} or a timer tick. A filter can
 * only lower {@link #requestCatch()}: when any filter lowers it, the handlers are not raised and the exception
 * leaves the dispatcher loop.
 */
public final class DispatcherUnhandledExceptionFilterEventArgs {
    private final Dispatcher dispatcher;
    private final Throwable exception;
    private boolean requestCatch = true;

    DispatcherUnhandledExceptionFilterEventArgs(Dispatcher dispatcher, Throwable exception) {
        this.dispatcher = dispatcher;
        this.exception = exception;
    }

    /** {@return the dispatcher whose loop the exception came from} */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** {@return the exception} */
    public Throwable exception() {
        return exception;
    }

    /**
     * {@return whether the exception will be offered to the unhandled-exception handlers; true unless a filter
     * lowered it}
     */
    public boolean requestCatch() {
        return requestCatch;
    }

    /**
     * Lowers the request to catch; {@code true} is ignored once a filter has set {@code false}.
     *
     * @param value false to let the exception leave the loop without asking the handlers
     */
    public void setRequestCatch(boolean value) {
        if (!value) {
            requestCatch = false;
        }
    }
}
