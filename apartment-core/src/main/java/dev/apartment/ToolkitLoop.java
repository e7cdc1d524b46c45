package dev.apartment;

import dev.apartment.internal.OperationQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;

/**
 * The loop of a dispatcher attached to a toolkit's thread ({@link Dispatcher#attach}): the toolkit's event loop runs,
 * and the dispatcher runs in <em>turns</em> that its {@link DispatcherPump} calls back after a signal or a timer. It
 * is the second implementation of the loop contract beside the built-in loop of {@code Dispatcher} (frames, exit
 * requests, priority order, timers), with a nested toolkit loop for each frame (a {@link PumpFrame}).
 *
 * <p>Threads: {@link #signalPump()} and the signal bookkeeping run on any thread; everything else is owner-thread
 * only (a turn is called on the toolkit's thread, which is the owner). Invariants, stated once here:
 * <ul>
 *   <li>{@code signalPending} coalesces signals: the owner clears it before a turn looks at the inbox, a producer
 *       sets it by CAS after its push, so a post is either seen by the running turn or signals.</li>
 *   <li>A signaller counts itself into {@code signallers} before it reads {@code shutdownFinished}; {@link Shutdown}
 *       sets that flag before it waits (10 ms at most) for the count to drop ({@link #awaitSignallers()}), so no pump
 *       call begins once shutdown has finished, and one under way has ended unless it was blocked.</li>
 *   <li>Each pump frame's exit is requested once ({@code PumpFrame.exiting}) and ends exactly the loop entered for
 *       it; a turn dispatches for the innermost frame not asked to exit (the <em>live</em> one).</li>
 * </ul>
 */
final class ToolkitLoop {
    /** How long shutdown waits for a pump signal already under way (see {@code awaitSignallers}). */
    private static final long SIGNALLERS_WAIT_NANOS = 10_000_000L;
    /**
     * The longest dispatch turn on a toolkit thread: then the turn ends and the next one queues behind the toolkit's
     * own events, whatever the priorities (low-priority work yields sooner, as soon as the pump reports toolkit work).
     * 20 ms keeps a toolkit event's wait (one slice plus the operation running when it ends) well inside 50 ms.
     * {@link DispatcherPump}'s contract states this figure.
     */
    static final long PUMP_SLICE_MILLIS = 20;
    private static final long PUMP_SLICE_NANOS = PUMP_SLICE_MILLIS * 1_000_000L;
    /** LOADED and above: they run before toolkit input. */
    private static final int FOREGROUND = OperationQueue.laneMask(DispatcherPriority.LOADED.value(),
            OperationQueue.LEVELS - 1, true, true);
    private static final long NO_DEADLINE = Deadlines.NO_DEADLINE;
    private static final VarHandle SIGNAL;
    private static final VarHandle SIGNALLERS;

    static {
        try {
            SIGNAL = MethodHandles.lookup().findVarHandle(ToolkitLoop.class, "signalPending", boolean.class);
            SIGNALLERS = MethodHandles.lookup().findVarHandle(ToolkitLoop.class, "signallers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Dispatcher d;
    /** The frames running as nested toolkit loops, innermost first (owner only). */
    private final ArrayDeque<PumpFrame> pumpFrames = new ArrayDeque<>(4);
    /** The deadline last given to the pump's timer, or NO_DEADLINE (owner only). */
    private long pumpTimer = NO_DEADLINE;
    /** The last dispatch turn ended at its slice: the next one lets the toolkit's waiting work go first (owner). */
    private boolean yieldAfterSlice;
    /** A signal has been sent and its dispatch has not begun yet (any thread). */
    private volatile boolean signalPending;
    /** Threads inside a call of the pump's signal (see {@link #callPumpSignal}); any thread. */
    private volatile int signallers;

    ToolkitLoop(Dispatcher d) {
        this.d = d;
    }

    /**
     * A timer was scheduled for {@code due} (owner): arms the pump's timer now, not at the end of the turn, if it
     * comes before the armed one. The operation that started the timer may open a modal dialog, and nothing but
     * this timer would give the dispatcher a turn inside it. An early fire costs one empty turn.
     */
    void timerScheduled(long due) {
        if (!d.shutdownFinished && (pumpTimer == NO_DEADLINE || due - pumpTimer < 0)) {
            pumpTimer = due;
            d.pump.setTimer(Math.max(0L, due - System.nanoTime()));
        }
    }

    /*
     * Toolkit turns, in short (owner thread; the pump calls pumpDispatch after each signal and timer fire):
     *  1. Clear signalPending before looking, so a later post signals again.
     *  2. Walk the pump frames from the innermost outwards: ask each one that must stop to exit its loop, once
     *     (PumpFrame.exiting). The first frame that goes on running is the live one; an exiting frame above it cannot
     *     return while a loop above it runs (a toolkit's modal dialog), so the turn dispatches for the live frame.
     *     A turn that asked a loop to exit returns at once (the loop ends behind it), signalling first if work remains
     *     in case a modal loop above keeps it from ending.
     *  3. A turn that follows one cut by its slice only re-signals, behind the toolkit's waiting events: the turn was
     *     requested (step 4) before those events were queued, so it would otherwise run ahead of them.
     *  4. Run operations in priority order. Before each, request the next turn if work remains (WPF does the same),
     *     so an operation that enters any nested loop leaves no work stranded behind it.
     *  5. Stop at the end of the slice (everything), or while the pump reports toolkit work (below LOADED).
     *  6. Arm the pump's timer for the next timer or frame deadline.
     */

    /** A frame running as a nested toolkit loop; it is the pump's key for that loop. */
    static final class PumpFrame {
        final DispatcherFrame frame;
        final int laneMask;
        /** Its loop was asked to exit (exactly once); it returns when control comes back to it. */
        boolean exiting;

        PumpFrame(DispatcherFrame frame, int laneMask) {
            this.frame = frame;
            this.laneMask = laneMask;
        }
    }

    /**
     * Coalesces wake-ups into one signal until the dispatch runs. The owner clears the flag before it looks at the
     * inbox and a producer sets it after its push, so a post is either seen by the running dispatch or signals.
     */
    void signalPump() {
        if (!signalPending && SIGNAL.compareAndSet(this, false, true)) {
            callPumpSignal(false);
        }
    }

    /**
     * Calls the pump's signal unless shutdown has finished. A signaller counts itself in before it reads the flag,
     * and {@link Shutdown} sets the flag as it finishes before it waits for the count to drop to zero: one of the two sees
     * the other, so no signal reaches the pump after shutdown has finished (the toolkit may be disposed by then).
     */
    private void callPumpSignal(boolean afterToolkitWork) {
        SIGNALLERS.getAndAdd(this, 1);
        try {
            if (!d.shutdownFinished) {
                if (afterToolkitWork) {
                    d.pump.signalAfterToolkitWork();
                } else {
                    d.pump.signal();
                }
            }
        } finally {
            SIGNALLERS.getAndAdd(this, -1);
        }
    }

    /** Owner: like {@link #signalPump()}, but the next turn comes after the toolkit's waiting work. */
    private void signalPumpAfterToolkitWork() {
        if (!signalPending && SIGNAL.compareAndSet(this, false, true)) {
            callPumpSignal(true);
        }
    }

    void pumpFrame(DispatcherFrame frame, int laneMask) {
        PumpFrame pf = new PumpFrame(frame, laneMask);
        pumpFrames.push(pf);
        try {
            signalPump(); // whatever is queued already runs in the new loop
            d.pump.enterNestedLoop(pf);
        } finally {
            pumpFrames.remove(pf); // the innermost, unless the toolkit unwound several loops at once
        }
    }

    /**
     * The pump's callback, on the owner thread: one dispatch turn (the numbered steps above). Runs what is ready, in
     * priority order, for the innermost live frame; keeps items below LOADED away while toolkit input waits; ends
     * after {@value #PUMP_SLICE_MILLIS} ms in any case; fires timers; then asks the pump for a signal or a timer.
     */
    void pumpDispatch() {
        signalPending = false; // 1. before looking: a later post signals again
        if (d.shutdownFinished) {
            return;
        }
        boolean ended = false;
        try {
            turn();
            ended = true;
        } finally {
            if (!ended && !d.shutdownFinished && d.selection.workRemains()) {
                // The toolkit's code threw out of the turn (the pump's input() or exitNestedLoop, a toolkit timer
                // call): the signal cleared in step 1 must be given back, or what remains waits for the next post.
                signalPump();
            }
        }
    }

    /** Steps 2-6 of a turn. */
    private void turn() {
        if (requestPumpFrameExits()) { // 2.
            return;
        }
        if (yieldAfterSlice) { // 3. whatever input() says: it need not see every kind of toolkit work
            yieldAfterSlice = false;
            signalPumpAfterToolkitWork();
            return;
        }
        PumpFrame live = livePumpFrame();
        int mask = live == null ? OperationQueue.ALL_RUNNABLE : live.laneMask;
        long start = System.nanoTime();
        for (;;) {
            if (d.shutdownFinished) {
                return;
            }
            if (live != null && d.loop.mustExit(live.frame)) {
                requestPumpFrameExits();
                return;
            }
            long now = System.nanoTime();
            if (now - start > PUMP_SLICE_NANOS) { // 5. the toolkit's turn, whatever we hold
                if (d.selection.workRemains()) {
                    yieldAfterSlice = true;
                    signalPumpAfterToolkitWork();
                }
                break;
            }
            int allowed = mask;
            // Input waits: low priorities wait for it (the pump also says PENDING after a slice of its own).
            if (d.pump.input() == DispatcherPump.Input.PENDING) {
                allowed &= FOREGROUND;
            }
            DispatcherOperation<?> op = d.selection.next(allowed);
            if (op == null && !d.timers.isEmpty()) {
                d.timers.fireDue(now);
                op = d.selection.next(allowed);
            }
            if (op == null) {
                if (allowed != mask && d.selection.queue.hasAny(mask)) {
                    signalPumpAfterToolkitWork(); // low-priority work waits behind toolkit work: come back after it
                } else if (d.inbox.isEmpty()) {
                    Observers.inactive(d);
                }
                break;
            }
            if (!signalPending && d.selection.workRemains()) {
                signalPump(); // 4. the op may enter a nested loop (a modal dialog): the rest must run in there
            }
            try {
                d.loop.runOperation(op);
            } catch (Throwable t) {
                // Unhandled: as when it leaves run(), the dispatcher shuts down and the thread's handler hears of
                // it; the toolkit's loop goes on (its nested loops unwind as the frames see the exit request).
                d.loop.unhandledFailure = null;
                Observers.reportToThread(t);
                d.shutdown.start();
                return;
            }
        }
        armPumpTimer(live); // 6.
    }

    /**
     * Step 2 of a turn: asks the loop of every pump frame that must stop to exit, innermost first, up to the first
     * frame that goes on running. Returns true if it asked one now; then signals first if work remains, since a
     * toolkit's modal loop above may keep the loop from ending at once.
     */
    private boolean requestPumpFrameExits() {
        boolean requested = false;
        for (PumpFrame pf : pumpFrames) { // innermost first
            if (pf.exiting) {
                continue;
            }
            if (!d.loop.mustExit(pf.frame)) {
                break;
            }
            pf.exiting = true;
            requested = true;
            d.pump.exitNestedLoop(pf);
        }
        if (requested && d.selection.workRemains()) {
            signalPump();
        }
        return requested;
    }

    /** The innermost pump frame not asked to exit, or null (the toolkit's own loop). */
    private PumpFrame livePumpFrame() {
        for (PumpFrame pf : pumpFrames) {
            if (!pf.exiting) {
                return pf;
            }
        }
        return null;
    }

    /** Arms the pump's timer for the first timer or the live frame's deadline, when that changed. Owner. */
    private void armPumpTimer(PumpFrame live) {
        long deadline = live == null ? NO_DEADLINE : live.frame.deadline();
        deadline = d.timers.earliest(deadline);
        if (deadline != pumpTimer || deadline != NO_DEADLINE && deadline - System.nanoTime() <= 0) {
            pumpTimer = deadline; // only when it changes: toolkit timers are not free to create and cancel
            d.pump.setTimer(deadline == NO_DEADLINE ? -1L : Math.max(0L, deadline - System.nanoTime()));
        }
    }

    /**
     * Lets a pump signal that began before {@code shutdownFinished} was set end before shutdown finishes, so the
     * application may dispose the toolkit afterwards. Bounded: a toolkit may hold a lock that its signal waits for while
     * its thread shuts the dispatcher down (SWT's {@code Display.dispose()} holds one that {@code asyncExec} takes),
     * and waiting for that signal would never end; such a late signal finds the toolkit gone, which the pump contract
     * says a pump tolerates.
     */
    void awaitSignallers() {
        long giveUp = 0;
        while (signallers != 0) {
            long now = System.nanoTime();
            if (giveUp == 0) {
                giveUp = now + SIGNALLERS_WAIT_NANOS;
            } else if (now - giveUp > 0) {
                return;
            }
            Thread.onSpinWait();
        }
    }
}
