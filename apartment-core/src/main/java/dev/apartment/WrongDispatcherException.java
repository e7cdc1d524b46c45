package dev.apartment;

/**
 * Thrown when a thread touches a thread-affine object, or calls an owner-thread-only method of a
 * {@link Dispatcher}, from a thread other than the owner. The message names both threads.
 */
public class WrongDispatcherException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Thread owner;
    private final transient Thread caller;

    /**
     * @param what   what was touched, e.g. {@code "Label"} or {@code "Dispatcher.run()"}
     * @param owner  the owner thread
     * @param caller the thread that tried
     */
    public WrongDispatcherException(String what, Thread owner, Thread caller) {
        super(what + " belongs to thread '" + owner.getName() + "' but was accessed from thread '"
                + caller.getName() + "'");
        this.owner = owner;
        this.caller = caller;
    }

    /** {@return the thread that owns the object} */
    public Thread ownerThread() {
        return owner;
    }

    /** {@return the thread that tried to use it} */
    public Thread callingThread() {
        return caller;
    }
}
