package dev.apartment;

/**
 * Observes what a {@link Dispatcher} does with its operations: for profilers, tracing and tests. Every method has
 * an empty default; implement those you need and register with {@link Dispatcher#addHooks(DispatcherHooks)}.
 *
 * <p>Hooks run on the thread where the event happens (named on each method), never while the dispatcher holds an
 * internal lock (it has none on these paths). They must be quick and must not throw: an exception from a hook is
 * reported to the thread's uncaught-exception handler and otherwise ignored. Posts from other threads race with
 * the owner, so a hook may see {@code operationStarted} before the posting thread's {@code operationPosted}.
 * {@link Dispatcher#invoke} at {@link DispatcherPriority#SEND} on the owner thread runs inline and raises no hooks.
 */
public interface DispatcherHooks {
    /**
     * An operation was queued. Runs on the posting thread.
     *
     * @param operation the queued operation
     */
    default void operationPosted(DispatcherOperation<?> operation) {
    }

    /**
     * An operation is about to run. Owner thread.
     *
     * @param operation the operation about to run
     */
    default void operationStarted(DispatcherOperation<?> operation) {
    }

    /**
     * An operation ran to its end (with or without an exception). Owner thread.
     *
     * @param operation the operation that ran
     */
    default void operationCompleted(DispatcherOperation<?> operation) {
    }

    /**
     * A pending operation was aborted. Runs on the aborting thread.
     *
     * @param operation the aborted operation
     */
    default void operationAborted(DispatcherOperation<?> operation) {
    }

    /**
     * A pending operation's priority changed from {@code previous}. Runs on the changing thread.
     *
     * @param operation the operation, at its new priority
     * @param previous  its priority before
     */
    default void operationPriorityChanged(DispatcherOperation<?> operation, DispatcherPriority previous) {
    }

    /**
     * A cleanup action registered with {@link Dispatcher#registerCleanup} will never run: its object became
     * unreachable (or it was cleaned explicitly) after the dispatcher shut down, or its post was aborted at shutdown.
     * Whatever the action would have released is leaked unless the hook releases it. Runs on the thread that found
     * out: the cleaner thread, or the owner thread at shutdown.
     *
     * @param dispatcher the dispatcher the action was registered with
     * @param action     the action that will never run
     */
    default void cleanupDropped(Dispatcher dispatcher, Runnable action) {
    }

    /**
     * The dispatcher found nothing to run and is about to wait. Owner thread.
     *
     * @param dispatcher the idle dispatcher
     */
    default void dispatcherInactive(Dispatcher dispatcher) {
    }
}
