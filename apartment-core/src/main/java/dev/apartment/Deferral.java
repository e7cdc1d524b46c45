package dev.apartment;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A promise, taken by an event handler with {@link DeferrableEventArgs#getDeferral()}, to finish its part of a
 * {@link DispatcherEvent} raise later. The raise's stage completes once every handler returned and every deferral
 * of the raise was completed; when a deferral is the last to complete, that completion is posted to the owner
 * thread as a {@link OperationKind#CALL call} at {@link DispatcherPriority#NORMAL} (as {@link Dispatcher#callbacks()}
 * does), so a wait under {@link WaitPolicy#CALLS} still receives it.
 *
 * <p>{@link #complete()} works from any thread, exactly once. Everything the completing thread did before it
 * happens-before the raise's stage completes. After the dispatcher shut down, completing is still allowed and
 * changes nothing: the raise's stage has already completed exceptionally (see {@link DispatcherEvent}). A deferral
 * that is never completed keeps its raise unfinished until the dispatcher shuts down.
 */
public final class Deferral {

    private static final VarHandle COMPLETED;

    static {
        try {
            COMPLETED = MethodHandles.lookup().findVarHandle(Deferral.class, "completed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DispatcherEvent.Raise<?> raise;
    private volatile boolean completed;

    Deferral(DispatcherEvent.Raise<?> raise) {
        this.raise = raise;
    }

    /**
     * Marks this part of the raise done. If it is the last deferral and the handlers have returned, the raise's
     * stage completes later on the owner thread, never inside this call, even when called there: the code after
     * {@code complete()} is not interrupted by the stage's dependents. Any thread.
     *
     * @throws IllegalStateException if this deferral was already completed
     */
    public void complete() {
        // One CAS decides: a second complete() racing with the first must not count twice.
        if (!COMPLETED.compareAndSet(this, false, true)) {
            throw new IllegalStateException("this deferral is already completed: complete() may be called only once");
        }
        raise.deferralCompleted();
    }

    /** {@return true once {@link #complete()} was called} Any thread. */
    public boolean isCompleted() {
        return completed;
    }
}
