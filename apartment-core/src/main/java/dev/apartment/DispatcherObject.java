package dev.apartment;

/**
 * Base class of thread-affine objects: it belongs to the dispatcher of the thread that constructed it.
 * Call {@link #verifyAccess()} at the start of every method that touches thread-affine state.
 *
 * <pre>{@code
 * final class Label extends DispatcherObject {
 *     private String text = "";
 *     String text() { verifyAccess(); return text; }
 *     void setText(String t) { verifyAccess(); text = t; }
 * }
 * // from another thread: label.dispatcher().invoke(() -> label.setText("hi"));
 * }</pre>
 *
 * <p>A subclass may {@link #detachFromDispatcher() detach} itself, which makes it free-threaded: every access
 * check then passes and {@link #dispatcher()} returns null.
 */
public abstract class DispatcherObject {
    private volatile Dispatcher dispatcher;

    /** Binds the object to {@link Dispatcher#current()}. */
    protected DispatcherObject() {
        this.dispatcher = Dispatcher.current();
    }

    /** {@return the owning dispatcher, or null once detached} */
    public final Dispatcher dispatcher() {
        return dispatcher;
    }

    /** {@return true if the calling thread may use this object: it is the owner thread, or the object is detached} */
    public final boolean checkAccess() {
        Dispatcher d = dispatcher;
        return d == null || d.checkAccess();
    }

    /**
     * Throws unless {@link #checkAccess()}.
     *
     * @throws WrongDispatcherException naming this object, the owner thread and the calling thread
     */
    public final void verifyAccess() {
        Dispatcher d = dispatcher;
        if (d != null && !d.checkAccess()) {
            String name = getClass().getSimpleName();
            throw new WrongDispatcherException(name.isEmpty() ? getClass().getName() : name, d.thread(),
                    Thread.currentThread());
        }
    }

    /**
     * Registers {@code action} to run on this object's dispatcher thread once the object is unreachable: see
     * {@link Dispatcher#registerCleanup(Object, Runnable)}. Call it from the constructor with an action that holds
     * the resources, never {@code this}.
     *
     * @param action the cleanup, run on the owner thread
     * @return the cleanable, whose {@code clean()} posts the action now
     * @throws IllegalStateException if the object is detached (it has no thread to clean up on)
     */
    protected final java.lang.ref.Cleaner.Cleanable registerCleanup(Runnable action) {
        Dispatcher d = dispatcher;
        if (d == null) {
            throw new IllegalStateException("a detached object has no dispatcher to clean up on");
        }
        return d.registerCleanup(this, action);
    }

    /** Makes the object free-threaded. Owner thread only (or already detached). */
    protected final void detachFromDispatcher() {
        verifyAccess();
        dispatcher = null;
    }
}
