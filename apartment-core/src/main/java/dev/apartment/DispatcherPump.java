package dev.apartment;

/**
 * The service-provider interface for hosting a {@link Dispatcher} on a thread whose loop belongs to someone else: a
 * UI toolkit's event thread (AWT, JavaFX, SWT, GLFW, a native webview's UI thread). After Avalonia's platform
 * threading interface. {@link Dispatcher#start(String)} and {@link Dispatcher#current()} do not use it: they run a
 * built-in pump that parks and unparks the dispatcher's own thread.
 *
 * <p>A pump lends the dispatcher four things, and the dispatcher does the rest (priorities, frames, waits, timers):
 * <ol>
 *   <li>a <b>signal</b> from any thread that makes the toolkit thread call the dispatcher's {@code dispatch} callback
 *       soon (AWT: one {@code EventQueue.invokeLater}; JavaFX: one {@code Platform.runLater});</li>
 *   <li>a <b>one-shot timer</b> that calls {@code dispatch} after a delay, for timers and wait deadlines;</li>
 *   <li><b>nested loops</b>: run the toolkit's loop until told to stop, for {@link DispatcherFrame frames} and waits
 *       that dispatch messages (AWT: {@code SecondaryLoop}; JavaFX: {@code Platform.enterNestedEventLoop});</li>
 *   <li>optionally, whether <b>toolkit work</b> is waiting (input, painting, the toolkit's own timers and
 *       posted runnables), for the background gate: items below {@link DispatcherPriority#LOADED} run only while
 *       none is, and never for more than 20 ms at a stretch (whatever the pump says), so the toolkit is never
 *       starved.</li>
 * </ol>
 *
 * <pre>{@code
 * // on the toolkit thread, once:
 * Dispatcher ui = Dispatcher.attach(new MyToolkitPump());
 * // from then on, from any thread:
 * ui.post(() -> label.setText("hello"), DispatcherPriority.NORMAL);
 * }</pre>
 *
 * <p>An exception that no unhandled-exception handler handles shuts the dispatcher down and goes to the toolkit
 * thread's uncaught-exception handler; the toolkit's loop goes on.
 *
 * <p>Waits under {@link WaitPolicy#CALLS} and {@link WaitPolicy#NONE} do not use the pump: they block the toolkit
 * thread and run the dispatcher's calls themselves (COM's rule: a call-only wait lets no window message in).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #signal()} may be called from any thread, often; the dispatcher coalesces, so there is at most one
 *       signal outstanding until {@code dispatch} runs. It must never run {@code dispatch} on the calling
 *       thread.</li>
 *   <li>{@code dispatch} runs on {@link #thread()}, never re-entrantly inside itself; it may enter nested loops (the
 *       dispatcher's own, and the toolkit's modal loops opened by an operation), and signals arriving meanwhile must
 *       still be delivered inside those loops.</li>
 *   <li>Everything else is called on {@link #thread()} only.</li>
 *   <li>Once the dispatcher's shutdown has finished ({@link Dispatcher#hasShutdownFinished()}, and so whenever
 *       {@link Dispatcher#invokeShutdown()} or {@link Dispatcher#awaitShutdown} has returned), the dispatcher calls
 *       no method of the pump again, and a {@link #signal()} that another thread began earlier has ended too, unless
 *       it was blocked for more than 10 ms (on a lock the toolkit thread holds while it shuts the dispatcher down,
 *       as SWT's {@code Display.dispose()} does). The toolkit may then be disposed; {@link #signal()} must tolerate
 *       a toolkit that is gone (drop the signal, never throw). Shut the dispatcher down <em>before</em> disposing the
 *       toolkit (SWT's {@code Display.dispose()}, {@code Platform.exit()}).</li>
 * </ul>
 *
 * <h2>What the dispatcher guarantees the toolkit</h2>
 * <ul>
 *   <li><b>No stranded work.</b> Before a dispatch turn runs an operation, another turn is already requested if any
 *       work remains, so work queued behind an operation that enters a nested loop (one of the toolkit's modal
 *       dialogs too) runs inside that loop. Leaving any frame or wait that held work back signals if work
 *       remains.</li>
 *   <li><b>Modal loops above the dispatcher's.</b> A frame or wait asked to exit while a toolkit's own modal loop
 *       runs above it has its exit requested once; meanwhile the turns inside the modal loop dispatch what the next
 *       live frame down admits, and the frame returns when the modal loop has ended.</li>
 *   <li><b>A fair share for the toolkit.</b> One dispatch turn runs for at most 20 ms,
 *       whatever the priorities; then the next turn queues behind the toolkit's waiting events (other code's
 *       {@code invokeLater}/{@code runLater}, toolkit timers, repaints). A toolkit event thus waits at most one slice
 *       plus the operation running when the slice ends. Priority order among the dispatcher's own items is
 *       unchanged.</li>
 * </ul>
 */
public interface DispatcherPump {

    /** What the pump can say about toolkit input waiting to be handled. */
    enum Input {
        /** No toolkit work is waiting. */
        NONE,
        /**
         * Toolkit work that should go before low-priority items is waiting (input, painting, the toolkit's timers
         * and posted runnables): items below {@link DispatcherPriority#LOADED} wait for it.
         */
        PENDING,
        /** The pump cannot tell: low-priority items run in slices. */
        UNKNOWN
    }

    /** {@return the toolkit thread: the dispatcher's owner thread} */
    Thread thread();

    /**
     * Called once, on {@link #thread()}, by {@link Dispatcher#attach(DispatcherPump)}: keep {@code dispatch} and run
     * it on that thread after each {@link #signal()} and when the timer fires.
     *
     * @param dispatch the dispatcher's callback
     */
    void attach(Runnable dispatch);

    /** Any thread: run {@code dispatch} on the toolkit thread soon (never on the calling thread, never inline). */
    void signal();

    /**
     * Toolkit thread: like {@link #signal()}, when the dispatcher yields to toolkit work that is waiting (see
     * {@link #input()}): the callback must come <em>after</em> that work. FIFO toolkits get that from
     * {@link #signal()} (the default); a toolkit whose queue has priorities must post behind its lowest pending
     * work (AWT dispatches paint events only when nothing else is queued, so a plain signal would overtake them
     * forever).
     */
    default void signalAfterToolkitWork() {
        signal();
    }

    /**
     * Toolkit thread: run {@code dispatch} once after {@code delayNanos}, replacing any earlier request; a negative
     * delay cancels it.
     *
     * @param delayNanos the delay in nanoseconds, or a negative value to cancel
     */
    void setTimer(long delayNanos);

    /**
     * Toolkit thread: run a nested toolkit loop, which keeps delivering toolkit events and signals, until
     * {@link #exitNestedLoop(Object) exitNestedLoop(loop)} is called with the same {@code loop}. Nested calls nest, and
     * the toolkit's own modal loops (a modal dialog opened by an operation) may run above this one.
     *
     * @param loop the dispatcher's key for this loop: a fresh object, compared by identity, that the dispatcher
     *             passes again to {@link #exitNestedLoop(Object)}; usable as a toolkit's own loop key (JavaFX's
     *             {@code Platform.enterNestedEventLoop(key)})
     */
    void enterNestedLoop(Object loop);

    /**
     * Toolkit thread, from inside {@code dispatch}: make the nested loop entered for {@code loop} return. The
     * dispatcher calls it exactly once per loop. It must end that loop and no other, also when it is not the innermost
     * one: while other loops run above it (a toolkit's modal dialog, a deeper loop of the dispatcher's), it returns once
     * control comes back to it, not before.
     *
     * @param loop the key passed to {@link #enterNestedLoop(Object)}
     */
    void exitNestedLoop(Object loop);

    /**
     * {@return whether toolkit work is waiting (see {@link Input#PENDING})} Toolkit thread. The default cannot tell.
     */
    default Input input() {
        return Input.UNKNOWN;
    }
}
