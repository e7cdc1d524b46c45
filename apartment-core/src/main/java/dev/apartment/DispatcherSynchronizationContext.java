package dev.apartment;

import java.util.Objects;

/**
 * The {@link SynchronizationContext} of a dispatcher at one priority: {@code post} queues on the dispatcher (an
 * exception goes to its unhandled-exception events), {@code send} invokes there and waits (inline on the owner
 * thread). Obtain one with {@link Dispatcher#synchronizationContext(DispatcherPriority)}; a dispatcher installs its
 * own while it runs an operation.
 */
public final class DispatcherSynchronizationContext extends SynchronizationContext {
    private final Dispatcher dispatcher;
    private final DispatcherPriority priority;

    DispatcherSynchronizationContext(Dispatcher dispatcher, DispatcherPriority priority) {
        this.dispatcher = dispatcher;
        this.priority = priority;
    }

    /** {@return the dispatcher it posts to} */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** {@return the priority it posts at} */
    public DispatcherPriority priority() {
        return priority;
    }

    @Override
    public void post(Runnable action) {
        dispatcher.post(action, priority);
    }

    @Override
    public void send(Runnable action) {
        Objects.requireNonNull(action, "action");
        dispatcher.invoke(action, dispatcher.checkAccess() ? DispatcherPriority.SEND : priority);
    }

    @Override
    public String toString() {
        return "DispatcherSynchronizationContext[" + dispatcher + ", " + priority + "]";
    }
}
