package dev.apartment;

/**
 * The argument of an unhandled-exception handler. A handler can only set {@link #handled()}: if any handler sets
 * it, the loop goes on; if none does, the exception leaves {@link Dispatcher#run()}, the dispatcher shuts down and
 * the thread's uncaught-exception handler sees it.
 */
public final class DispatcherUnhandledExceptionEventArgs {
    private final Dispatcher dispatcher;
    private final Throwable exception;
    private boolean handled;

    DispatcherUnhandledExceptionEventArgs(Dispatcher dispatcher, Throwable exception) {
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

    /** {@return true once a handler has marked the exception handled} */
    public boolean handled() {
        return handled;
    }

    /**
     * Marks the exception handled; {@code false} is ignored once a handler has set {@code true}.
     *
     * @param value true if the exception is handled and the loop may go on
     */
    public void setHandled(boolean value) {
        if (value) {
            handled = true;
        }
    }
}
