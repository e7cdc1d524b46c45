package dev.apartment;

import dev.apartment.internal.Inbox;
import dev.apartment.internal.OperationQueue;
import dev.apartment.internal.jfr.FrameEvent;
import dev.apartment.internal.jfr.OperationRunEvent;

import java.util.concurrent.locks.LockSupport;

/**
 * The frames of one dispatcher and its built-in loop. The loop contract, which {@link ToolkitLoop} implements too:
 * a frame runs until it must exit ({@link #mustExit}); it runs, one at a time, the operations that
 * {@link Selection#next} picks among the lanes it admits; each runs through {@link #runOperation}; an exception of a
 * post that no handler handled leaves every frame and shuts the dispatcher down.
 *
 * <p>The built-in loop, in short ({@link #loop}, owner thread):
 * <ol>
 *   <li>Leave if the frame must exit (it was told to, or it obeys exit requests and one was made).</li>
 *   <li>Pick the next operation the frame admits ({@link DispatcherFrame#next}); run it, or go idle:</li>
 *   <li>idle: fire due timers; spin for the idle spin while nothing arrives; then set {@code parked}, re-check the
 *       inbox tail and the frame, and park until the earliest of the frame's deadline and the next timer.</li>
 * </ol>
 *
 * <p>Threads: owner thread only. The one edge with other threads is the park: the owner writes {@code parked}
 * (volatile, on the post-side line), then re-checks what producers publish; a producer publishes, then reads
 * {@code parked} ({@code Dispatcher.wake}). One of the two always sees the other, so no wake-up is lost.
 */
final class Loop {
    private static final long NO_DEADLINE = Deadlines.NO_DEADLINE;

    private final Dispatcher d;
    private final Selection selection;
    // Copies of the dispatcher's final fields, loaded once per use on the per-operation path (see Selection.inbox).
    private final Inbox inbox;
    private final DispatcherCounters counters;
    private final Observers observers;
    /**
     * The unhandled exception now leaving the frames, or null: each operation whose nested loop it unwinds rethrows
     * it as it is, and the outermost frame's exit clears it.
     */
    Throwable unhandledFailure;
    /** The idle loop absorbed an interrupt (it would make every park return at once): given back at depth 0. */
    private boolean interruptedWhileIdle;

    Loop(Dispatcher d, Selection selection) {
        this.d = d;
        this.selection = selection;
        this.inbox = d.inbox;
        this.counters = d.counters;
        this.observers = d.observers;
    }

    /**
     * Runs {@code frame} on the owner thread until it exits: as a nested toolkit loop on a dispatcher with a pump
     * (except a wait that admits only calls, which blocks the toolkit), else in the built-in loop. Counts, traces and
     * hides the frame from the stall watchdog; on the way out releases the operations held for the frame below,
     * signals the pump if work remains, and, when the outermost frame returns, resets the exit request, gives back an
     * absorbed interrupt and finishes a shutdown (which an exception leaving the outermost loop starts too).
     */
    void pushFrame(DispatcherFrame frame, int laneMask) {
        frame.pushedOn(d);
        d.frameDepth++;
        counters.framePushed();
        FrameEvent event = Tracing.begin(new FrameEvent()); // a frame pushed before a recording started is not in it
        int savedLevel = d.executingLevel;
        boolean loopThrew = true;
        StallWatch watch = observers.stallWatch;
        DispatcherOperation<?> pumping = watch == null ? null : watch.start(null); // a loop is not a stall
        try {
            if (d.pump != null && laneMask != OperationQueue.CALLS_ONLY) {
                // A call-only wait blocks the toolkit: it runs the loop below itself. Operations never throw out of
                // a toolkit loop (pumpDispatch handles them), so what comes out of it is the toolkit refusing or
                // failing its nested loop (JavaFX during an animation pulse): the caller's error, not a reason to
                // shut the dispatcher down.
                try {
                    d.toolkit.pumpFrame(frame, laneMask);
                } catch (RuntimeException | Error e) {
                    loopThrew = false;
                    throw e;
                }
            } else {
                loop(frame, laneMask);
            }
            loopThrew = false;
        } finally {
            d.executingLevel = savedLevel;
            if (watch != null) {
                watch.resume(pumping);
            }
            if (event != null) {
                Tracing.endFrame(event, d, d.frameDepth, frame.traceKind(),
                        d.pump != null && laneMask != OperationQueue.CALLS_ONLY);
            }
            --d.frameDepth;
            if (!selection.heldForFrame.isEmpty()) {
                selection.releaseHeldForFrame();
            }
            if (d.pump != null && !d.shutdownFinished && selection.workRemains()) {
                // The code that pushed the frame may be a toolkit event handler with no dispatch turn around it to
                // go on, and a call-only wait held messages back: the next turn must come.
                d.toolkit.signalPump();
            }
            if (d.frameDepth == 0) {
                d.exitAllRequested = false;
                if (interruptedWhileIdle) {
                    interruptedWhileIdle = false;
                    d.thread.interrupt(); // give back the interrupt the idle loop absorbed
                }
                if (loopThrew || (d.shutdown.started && !d.shutdownFinished)) {
                    d.shutdown.start(); // an exception leaving the outermost loop shuts the dispatcher down too
                }
                unhandledFailure = null;
            }
        }
    }

    /** The built-in loop: runs what {@code frame} admits until it must exit, parking while there is nothing. */
    private void loop(DispatcherFrame frame, int laneMask) {
        Wait wait = frame.ownWait();
        for (;;) {
            if (mustExit(frame)) {
                return;
            }
            DispatcherOperation<?> op = frame.next(selection, laneMask);
            if (op == null) {
                idle(frame, laneMask);
            } else if (wait != null) {
                // While a wait's loop runs an operation the thread is not waiting: that operation is above the wait
                // on the stack and can finish. Hiding the wait from the graph meanwhile keeps a long call back into
                // a waiting dispatcher from looking like a deadlock (and waits inside it start a fresh chain).
                d.currentWait = null;
                try {
                    runOperation(op);
                } finally {
                    d.currentWait = wait;
                }
            } else {
                runOperation(op);
            }
        }
    }

    /**
     * Runs one operation that {@link Selection#next} has started, on the owner thread: the loop contract's "run one
     * operation", shared by both loops.
     */
    void runOperation(DispatcherOperation<?> op) {
        // 1. The start, observed: the running level (the sync context's priority), metrics, trace, hooks, watchdog.
        int level = DispatcherOperation.level(op.stateWord());
        int saved = d.executingLevel;
        d.executingLevel = level;
        counters.started(level);
        OperationRunEvent event = Tracing.beginRun(op);
        Observers.started(d.hooks, op);
        StallWatch watch = observers.stallWatch; // null unless the watchdog is on: one read per operation
        DispatcherOperation<?> outer = watch == null ? null : watch.start(op);
        // 2. The operation itself: its outcome goes into it (status, future, listeners, the end hooks).
        Throwable failure;
        try {
            failure = op.execute();
        } finally {
            d.executingLevel = saved;
            if (watch != null) {
                watch.resume(outer);
            }
        }
        // 3. The end, traced.
        if (event != null) {
            Tracing.endRun(event, d, level, op, failure);
        }
        // 4. An exception of a post that no handler handled leaves the loop, and every loop below it.
        if (failure != null) {
            rethrowIfUnhandled(op, failure);
        }
    }

    private void rethrowIfUnhandled(DispatcherOperation<?> op, Throwable failure) {
        if (failure == unhandledFailure) {
            // an unhandled exception unwinding through this operation's nested loop
            throw UnhandledExceptions.rethrow(failure);
        }
        if (op.isPost() && !d.unhandled.handle(d, failure)) {
            unhandledFailure = failure;
            throw UnhandledExceptions.rethrow(failure);
        }
    }

    private void idle(DispatcherFrame frame, int laneMask) {
        if (!inbox.isEmpty()) {
            selection.awaitLink(); // a producer is between its swap and its link: not idle, just early
            return;
        }
        Observers.inactive(d);
        long deadline = frame.deadline();
        if (!d.timers.isEmpty()) {
            d.timers.fireDue(System.nanoTime());
            if (selection.queue.hasAny(laneMask)) {
                return;
            }
            deadline = d.timers.earliest(deadline);
        }
        if (spinBeforePark(frame)) {
            return;
        }
        d.parked = true;
        try {
            if (!inbox.isEmpty() || mustExit(frame)) {
                Thread.onSpinWait(); // a producer may be between its swap and its link: retry, don't park
                return;
            }
            if (deadline == NO_DEADLINE) {
                LockSupport.park(d);
            } else {
                long wait = deadline - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(d, wait);
                }
            }
        } finally {
            d.parked = false;
        }
        if (frame.endsOnInterrupt()) {
            return; // the wait sees the interrupt status and ends
        }
        if (Thread.interrupted()) {
            // An interrupt would make every park return at once; keep it for when the loop ends.
            interruptedWhileIdle = true;
        }
    }

    /**
     * Spins for at most the idle spin while nothing arrives: a post that comes within it is picked up without the
     * cost of park and unpark on both sides. Returns true if there is something to do.
     */
    private boolean spinBeforePark(DispatcherFrame frame) {
        long budget = d.idleSpinNanos;
        if (budget <= 0) {
            return false;
        }
        long start = System.nanoTime();
        for (int i = 1; ; i++) {
            if (!inbox.isEmpty() || mustExit(frame)) {
                return true;
            }
            Thread.onSpinWait();
            if ((i & 63) == 0 && System.nanoTime() - start > budget) {
                return false;
            }
        }
    }

    /** Whether {@code frame}'s loop must stop: it was told to, or it exits when asked and exit was requested. */
    boolean mustExit(DispatcherFrame frame) {
        return !frame.keepRunning() || (frame.exitWhenRequested() && d.isExitRequested());
    }
}
