package dev.apartment;

/**
 * A base class for event args whose handlers may finish their work later: a handler takes a {@link Deferral} with
 * {@link #getDeferral()}, returns, and completes the deferral from any thread when it is done; the raise of the
 * {@link DispatcherEvent} is not finished, and its stage not complete, until every deferral is. Nothing blocks
 * meanwhile: the owner thread goes on running other work. This is WebView2's {@code GetDeferral} pattern.
 *
 * <pre>{@code
 * final class ClosingArgs extends DeferrableEventArgs {
 *     volatile boolean cancel;
 * }
 * closing.addHandler(args -> {
 *     Deferral d = args.getDeferral();
 *     confirmAsync().thenAccept(ok -> { args.cancel = !ok; d.complete(); });
 * });
 * }</pre>
 *
 * <p>Threads: {@link #getDeferral()} belongs to the owner thread of the raising event, inside one of the raise's
 * handlers (or a nested loop under one). An args object may be raised again, even by another source inside a
 * nested loop of the same thread, but by one dispatcher at a time: the link to the running raise is owner-thread
 * state.
 */
public class DeferrableEventArgs {

    /** The raise whose handlers are on the stack now, or null. Owner thread only (see {@link DispatcherEvent}). */
    DispatcherEvent.Raise<?> raising;

    /** For subclasses. */
    protected DeferrableEventArgs() {
    }

    /**
     * Takes a new deferral of the raise whose handler is running: the raise stays unfinished until it (and every
     * other deferral taken) is {@link Deferral#complete() completed}. Each call returns a new deferral.
     *
     * @return the new deferral, to complete once the handler's work is done
     * @throws IllegalStateException unless called on the owner thread of the raising event while one of the raise's
     *                               handlers runs
     */
    public final Deferral getDeferral() {
        DispatcherEvent.Raise<?> r = raising;
        Thread current = Thread.currentThread();
        if (r == null) {
            // A foreign thread may also land here (the field is owner-thread state): same answer, same rule.
            throw new IllegalStateException("getDeferral() called on thread \"" + current.getName()
                    + "\" while no handler of a raise of these args runs: a deferral can only be taken on the "
                    + "dispatcher's thread, inside a handler of the raise");
        }
        Dispatcher d = r.dispatcher();
        if (!d.checkAccess()) {
            throw new IllegalStateException("getDeferral() called on thread \"" + current.getName()
                    + "\": a deferral can only be taken on the owner thread \"" + d.thread().getName() + "\" of "
                    + d + ", inside a handler of the raise");
        }
        return r.takeDeferral();
    }
}
