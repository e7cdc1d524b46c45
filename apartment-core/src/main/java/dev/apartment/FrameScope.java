package dev.apartment;

/**
 * A frame of a dispatcher's loop, captured to bind posts to it: an operation posted with a scope does not run inside
 * any frame pushed deeper than the captured one (a modal loop, a dispatching wait), and runs once those have exited.
 * This is the answer to the WPF stale-event problem: work queued by a handler must not run inside a modal dialog that
 * some other code opens before the work's turn comes, where the state it expects no longer holds. IntelliJ's
 * {@code ModalityState} is the same idea.
 *
 * <pre>{@code
 * // in an event handler on the dispatcher thread:
 * FrameScope here = dispatcher.currentFrameScope();
 * worker.submit(() -> {
 *     Result r = compute();
 *     dispatcher.post(() -> show(r), DispatcherPriority.NORMAL, here); // never inside a dialog opened meanwhile
 * });
 * }</pre>
 *
 * <p>Scopes are compared by depth: a scope captured in the outermost loop admits every operation once all nested
 * frames have exited; a scope captured inside a nested frame admits operations in that frame and, after it has
 * exited, in any frame of the same depth or less. Immutable; any thread may use it.
 */
public final class FrameScope {
    private final Dispatcher dispatcher;
    private final int depth;

    FrameScope(Dispatcher dispatcher, int depth) {
        this.dispatcher = dispatcher;
        this.depth = Math.max(1, depth); // before the loop runs, the scope is the outermost frame
    }

    /** {@return the dispatcher whose frame this is} */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /**
     * {@return the depth of the frame: 1 for the outermost loop ({@link Dispatcher#run()}), 2 for a frame nested in
     * it, …}
     */
    public int depth() {
        return depth;
    }

    @Override
    public String toString() {
        return "FrameScope[depth " + depth + " of " + dispatcher + "]";
    }
}
