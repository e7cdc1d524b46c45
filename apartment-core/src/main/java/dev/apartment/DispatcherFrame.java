package dev.apartment;

/**
 * A nested message loop. {@link Dispatcher#pushFrame(DispatcherFrame)} runs the dispatcher's loop until
 * {@link #setContinue(boolean) setContinue(false)} is called from any thread; {@link Dispatcher#run()} is the
 * outermost frame. This is how modal dialogs keep the thread responsive while their caller waits:
 *
 * <pre>{@code
 * DispatcherFrame modal = new DispatcherFrame();
 * dialog.onClose(() -> modal.setContinue(false));
 * dispatcher.pushFrame(modal);   // returns after the dialog closed; everything else kept running meanwhile
 * }</pre>
 *
 * <p>A frame created with {@code exitWhenRequested} (the default) also stops when the dispatcher shuts down or
 * {@link Dispatcher#exitAllFrames()} is called.
 */
public class DispatcherFrame {
    private final boolean exitWhenRequested;
    private volatile boolean shouldContinue = true;
    private volatile Dispatcher pushedOn;

    /** A frame that stops on {@link #setContinue(boolean) setContinue(false)}, at shutdown and at exit-all-frames. */
    public DispatcherFrame() {
        this(true);
    }

    /**
     * @param exitWhenRequested whether the frame also stops when the dispatcher shuts down or all frames are asked
     *                          to exit; a frame that does not must be ended with {@code setContinue(false)}
     */
    public DispatcherFrame(boolean exitWhenRequested) {
        this.exitWhenRequested = exitWhenRequested;
    }

    /** {@return whether the frame's loop goes on: false once asked to stop, or once an exit it obeys was requested} */
    public boolean shouldContinue() {
        if (!shouldContinue) {
            return false;
        }
        Dispatcher d = pushedOn;
        return !(exitWhenRequested && d != null && d.isExitRequested());
    }

    /**
     * Asks the frame to stop ({@code false}) or to go on ({@code true}). Any thread; the loop notices at once, even
     * when it is parked waiting for work.
     *
     * @param value false to stop the frame, true to let it go on
     */
    public void setContinue(boolean value) {
        shouldContinue = value;
        Dispatcher d = pushedOn;
        if (d != null) {
            d.wake();
        }
    }

    /** {@return whether the frame stops at shutdown and at {@link Dispatcher#exitAllFrames()}} */
    public boolean exitWhenRequested() {
        return exitWhenRequested;
    }

    // --- loop side -----------------------------------------------------------------------------------------

    void pushedOn(Dispatcher dispatcher) {
        pushedOn = dispatcher;
    }

    /** The frame's own condition, before exit requests: overridden by frames that wait for something. */
    boolean keepRunning() {
        return shouldContinue;
    }

    /** A {@link System#nanoTime()} at which the frame stops by itself, or {@link Deadlines#NO_DEADLINE}. */
    long deadline() {
        return Deadlines.NO_DEADLINE;
    }

    /** The next operation this frame's loop runs, among the lanes in {@code laneMask}, or null (owner thread). */
    DispatcherOperation<?> next(Selection selection, int laneMask) {
        return selection.next(laneMask);
    }

    /** The wait whose loop this frame is, or null: hidden from the deadlock diagnosis while an operation runs. */
    Wait ownWait() {
        return null;
    }

    /** Whether an interrupt ends the frame (the idle loop then leaves the interrupt status for it to see). */
    boolean endsOnInterrupt() {
        return false;
    }

    /** The frame's kind in the Flight Recorder's frame event. */
    String traceKind() {
        return "loop";
    }
}
