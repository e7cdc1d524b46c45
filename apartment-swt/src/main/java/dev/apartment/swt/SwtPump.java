package dev.apartment.swt;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPump;

import java.util.IdentityHashMap;
import java.util.Objects;

import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Listener;

/**
 * The {@link DispatcherPump} of an SWT {@link Display}: a {@link Dispatcher} whose owner thread is the display's
 * (user-interface) thread, so that the dispatcher's priorities, frames, waits and timers live alongside SWT's events,
 * {@code asyncExec} runnables and timers.
 *
 * <pre>{@code
 * Display display = new Display();                   // on the thread that will run SWT's loop
 * Dispatcher ui = SwtPump.attach(display);           // on that thread, once (later calls return the same one)
 * ui.post(() -> label.setText("loading"), DispatcherPriority.NORMAL);
 * String title = ui.invoke(shell::getText);           // from a worker thread: synchronous, never deadlocks
 * // on the UI thread, inside an event handler: a modal wait that keeps the UI alive
 * Result r = ui.waitFor(service.fetchAsync(), WaitPolicy.CALLS_AND_MESSAGES);
 * while (!shell.isDisposed()) { if (!display.readAndDispatch()) display.sleep(); }
 * ui.invokeShutdown();                               // first the dispatcher ...
 * display.dispose();                                 // ... then the display
 * }</pre>
 *
 * <p>The application runs SWT's loop as usual ({@code readAndDispatch}/{@code sleep}); the dispatcher needs no loop
 * of its own. A worker thread finds the dispatcher with {@link Dispatcher#fromThread(Thread)
 * Dispatcher.fromThread(display.getThread())} or gets it handed over.
 *
 * <h2>Threads and invariants</h2>
 * <ul>
 *   <li>{@link #attach(Display)} runs on the display's thread, like every method of the pump except
 *       {@link #signal()}; the pump's mutable state (the dispatch callback, the timer's due time, the running nested
 *       loops, the count of native dialog loops) belongs to that thread: no locks. The one field another thread
 *       writes is the volatile flag that a signal is queued, for the native-dialog watch (below).</li>
 *   <li>{@link #signal()} works from any thread: one {@link Display#asyncExec}, which never runs inline, queues behind
 *       every runnable already queued, and runs in every loop of the display's thread: the application's, the
 *       dispatcher's nested ones, a modal {@code Shell}'s and a native dialog's ({@code MessageBox},
 *       {@code FileDialog}: SWT runs {@code asyncExec} runnables from an idle callback while they show). The
 *       dispatcher coalesces signals, so at most one is outstanding.</li>
 *   <li>A signal to a disposed display is dropped, never thrown: SWT throws {@link SWTException}
 *       ({@link SWT#ERROR_DEVICE_DISPOSED}) from {@code asyncExec} once the display is disposed, and a foreign
 *       thread's {@code post} must not fail because the user-interface thread went away. Nothing is lost that
 *       could still have run: a disposed display runs no runnable.</li>
 *   <li>At most one dispatcher per display (and per thread): the display keeps it as data under
 *       {@value #DISPLAY_KEY}.</li>
 * </ul>
 *
 * <h2>Choices</h2>
 * <ul>
 *   <li><b>Timer</b>: {@link Display#timerExec}, not a scheduled executor. The dispatcher arms its timer on the
 *       display's thread only, which is where {@code timerExec} must be called; it needs no thread of its own; it
 *       cancels exactly (a re-armed or cancelled timer never fires late, so no generation stamps); and it fires in
 *       every loop the thread may be in, a native dialog's included. Its delay is an {@code int} of milliseconds:
 *       the pump rounds up (it never fires early) and clamps at {@link Integer#MAX_VALUE} ms (about 24.8 days); a
 *       clamped or otherwise early fire re-arms for the rest without calling the dispatcher, whose deadline is kept
 *       in {@link System#nanoTime()}.</li>
 *   <li><b>Nested loops</b>: a frame or a wait under {@link dev.apartment.WaitPolicy#CALLS_AND_MESSAGES} runs
 *       {@code while (!exited && !display.isDisposed()) if (!display.readAndDispatch()) display.sleep();}, in which
 *       SWT goes on delivering input, painting, {@code asyncExec} runnables (the dispatcher's signals among them)
 *       and timers. Each loop is keyed by the dispatcher's key for it, so {@link #exitNestedLoop(Object)} ends that
 *       loop and no other; one that is not the innermost (a modal {@code Shell}'s own loop or a {@code MessageBox}
 *       runs above it) returns once control comes back to it. A loop also ends when the display is disposed. Waits
 *       under {@link dev.apartment.WaitPolicy#CALLS CALLS} block the thread and run only the dispatcher's calls (COM's
 *       rule): no SWT event, no paint, no {@code asyncExec} runnable runs meanwhile.</li>
 *   <li><b>Input</b>: SWT has no public, portable way to ask whether input or painting is waiting
 *       ({@code readAndDispatch} consumes what it finds), so {@link #input()} answers {@link Input#UNKNOWN}: the
 *       dispatcher runs items below {@link dev.apartment.DispatcherPriority#LOADED LOADED} in slices, and between two
 *       slices signals itself again, which puts its next slice behind the events SWT queued meanwhile.
 *       {@code readAndDispatch} itself runs {@code asyncExec} runnables only when no native event is waiting.</li>
 *   <li><b>Module</b>: SWT's jars are platform fragments whose automatic module names differ per platform
 *       ({@code org.eclipse.swt.gtk.linux.x86_64}, {@code org.eclipse.swt.win32.win32.x86_64}, ...), so a
 *       {@code module-info} that {@code requires} one of them would fit one platform only. This module is the
 *       automatic module {@code dev.apartment.swt} instead: on the module path it reads whichever SWT the
 *       application brings.</li>
 * </ul>
 *
 * <h2>Lifetime: shut the dispatcher down before disposing the display</h2>
 * Call {@link Dispatcher#invokeShutdown()} (on the display's thread, or from another thread while SWT's loop still
 * runs) <em>before</em> {@link Display#dispose()}: then what is queued is aborted, every shutdown listener runs
 * while the display still works (the pump removes its listeners and timers there), and the dispatcher calls no
 * method of the pump again. A display disposed first takes the dispatcher down with it: the pump shuts the
 * dispatcher down from a {@link Display#disposeExec} runnable, on the display's thread just before the display goes,
 * so nothing stays queued and an {@code invoke} from another thread fails instead of waiting forever. That shutdown
 * runs while {@code dispose()} holds SWT's device lock, which another thread's {@code asyncExec} (a signal) waits for:
 * the dispatcher waits for a signal under way only 10 ms, after which the signal finds the display disposed and is
 * dropped.
 *
 * <p>An exception that escapes a posted operation and no unhandled-exception handler handles shuts the dispatcher
 * down, as on any dispatcher, and goes to the display thread's uncaught-exception handler; SWT's loop goes on.
 */
public final class SwtPump implements DispatcherPump {

    /**
     * While a native dialog shows, how often the pump checks for a signal that SWT queued but did not run (class
     * comment, "native dialogs"): the longest such a signal waits.
     */
    static final int NATIVE_WATCH_MILLIS = 10;

    /** The key of {@link Display#setData(String, Object)} under which a display keeps its dispatcher. */
    public static final String DISPLAY_KEY = "dev.apartment.swt.Dispatcher";

    private final Display display;
    private final Thread thread;
    /** What {@link #signal()} hands to {@code asyncExec}: one allocation for the pump's life. */
    private final Runnable onSignal = this::runDispatch;
    /** What {@link #setTimer} hands to {@code timerExec}: SWT re-arms and cancels a timer by its runnable. */
    private final Runnable onTimer = this::timerFired;
    /** The native-dialog watch's {@code timerExec} runnable (see {@link #watchNativeLoop()}). */
    private final Runnable onWatch = this::watchNativeLoop;
    private final Listener nativeLoopEntered = e -> nativeLoopEntered();
    private final Listener nativeLoopLeft = e -> nativeLoopLeft();
    /**
     * A signal was handed to {@code asyncExec} and has not run yet. Set by any thread before {@code asyncExec},
     * cleared on the display thread when the signal (or the native-dialog watch in its stead) runs the dispatch.
     */
    private volatile boolean signalQueued;

    // display thread only
    /** The dispatcher's callback; set by {@link #attach(Runnable)} before anybody can find the dispatcher. */
    private Runnable dispatch;
    private boolean timerArmed;
    /** When the armed timer is due, in {@link System#nanoTime()}. */
    private long timerDue;
    /** The nested loops running, by the dispatcher's key for each. */
    private final IdentityHashMap<Object, NestedLoop> loops = new IdentityHashMap<>(4);
    /** How many native dialog loops (SWT's external event dispatch) run on the thread now. */
    private int nativeLoops;

    /** One nested loop: it runs until its exit is requested or the display is disposed. */
    private static final class NestedLoop {
        boolean exited;
    }

    private SwtPump(Display display, Thread thread) {
        this.display = display;
        this.thread = thread;
    }

    /**
     * The dispatcher of {@code display}'s thread, attached on the first call and the same one on later calls (also
     * once it has shut down: a thread has one dispatcher for good). Call it on the display's thread.
     *
     * @param display a display that is not disposed
     * @return the dispatcher whose owner thread is the display's thread
     * @throws SWTException          from SWT, if {@code display} is disposed ({@link SWT#ERROR_DEVICE_DISPOSED}) or
     *                               this is not its thread ({@link SWT#ERROR_THREAD_INVALID_ACCESS})
     * @throws IllegalStateException if the thread already has a dispatcher that this class did not attach (someone
     *                               called {@link Dispatcher#current()} on it first)
     */
    public static Dispatcher attach(Display display) {
        Objects.requireNonNull(display, "display");
        Object existing = display.getData(DISPLAY_KEY); // checks the device and the thread
        if (existing instanceof Dispatcher) {
            return (Dispatcher) existing;
        }
        SwtPump pump = new SwtPump(display, display.getThread());
        Dispatcher d = Dispatcher.attach(pump);
        display.setData(DISPLAY_KEY, d);
        display.addListener(SWT.PreExternalEventDispatch, pump.nativeLoopEntered);
        display.addListener(SWT.PostExternalEventDispatch, pump.nativeLoopLeft);
        d.addShutdownFinishedListener(pump::dispatcherShutDown);
        // The wrong order (dispose first) must not strand anything: the dispatcher goes down with the display.
        display.disposeExec(() -> {
            if (!d.hasShutdownStarted()) {
                d.invokeShutdown();
            }
        });
        return d;
    }

    /** Display thread, from the dispatcher's shutdown: the pump's own listeners and timers go. */
    private void dispatcherShutDown() {
        nativeLoops = 0;
        timerArmed = false;
        if (!display.isDisposed()) {
            display.removeListener(SWT.PreExternalEventDispatch, nativeLoopEntered);
            display.removeListener(SWT.PostExternalEventDispatch, nativeLoopLeft);
            display.timerExec(-1, onWatch);
            display.timerExec(-1, onTimer);
        }
    }

    @Override
    public Thread thread() {
        return thread;
    }

    @Override
    public void attach(Runnable dispatch) {
        this.dispatch = dispatch;
    }

    /**
     * Any thread: one {@link Display#asyncExec}. Dropped if the display is disposed, also when it is disposed while
     * this call waits for SWT's device lock.
     */
    @Override
    public void signal() {
        if (display.isDisposed()) {
            return;
        }
        signalQueued = true; // before: the watch must see it once the runnable is queued
        try {
            display.asyncExec(onSignal);
        } catch (SWTException e) {
            if (e.code != SWT.ERROR_DEVICE_DISPOSED) {
                throw e;
            }
            // disposed meanwhile: nothing can run there any more (class comment)
        }
    }

    /**
     * Display thread: one dispatch turn, from a signal (or the native-dialog watch in its stead). Clearing the flag
     * before the turn is safe: the turn begins by consuming the dispatcher's pending signal, so whatever a cleared
     * flag stood for is run by this turn or signalled anew.
     */
    private void runDispatch() {
        signalQueued = false;
        dispatch.run();
    }

    /** Display thread: SWT is about to block in a native dialog's loop ({@code MessageBox}, {@code FileDialog}). */
    private void nativeLoopEntered() {
        if (nativeLoops++ == 0 && !display.isDisposed()) {
            display.timerExec(NATIVE_WATCH_MILLIS, onWatch);
        }
    }

    /** Display thread: a native dialog's loop has returned. */
    private void nativeLoopLeft() {
        if (nativeLoops > 0 && --nativeLoops == 0 && !display.isDisposed()) {
            display.timerExec(-1, onWatch);
        }
    }

    /**
     * Display thread, every {@value #NATIVE_WATCH_MILLIS} ms while a native dialog's loop runs: runs the dispatch for a
     * signal that SWT has queued but not run (class comment, "native dialogs"). Re-armed before the dispatch, which
     * may open another native dialog.
     */
    private void watchNativeLoop() {
        if (nativeLoops == 0 || display.isDisposed()) {
            return;
        }
        display.timerExec(NATIVE_WATCH_MILLIS, onWatch);
        if (signalQueued) {
            runDispatch(); // the queued runnable runs later too: one spare turn, which finds nothing to do
        }
    }

    /**
     * Display thread: one-shot, replacing the earlier one; negative cancels. {@link Display#timerExec} with the
     * delay rounded up to whole milliseconds and clamped to an {@code int} (class comment); nothing once the display
     * is disposed.
     */
    @Override
    public void setTimer(long delayNanos) {
        if (display.isDisposed()) {
            timerArmed = false;
            return;
        }
        if (delayNanos < 0) {
            if (timerArmed) {
                timerArmed = false;
                display.timerExec(-1, onTimer);
            }
            return;
        }
        timerArmed = true;
        timerDue = System.nanoTime() + delayNanos;
        display.timerExec(timerMillis(delayNanos), onTimer); // replaces the earlier arming of onTimer
    }

    /** {@code nanos} in whole milliseconds, rounded up and clamped to {@link Integer#MAX_VALUE}; no overflow. */
    static int timerMillis(long nanos) {
        long millis = nanos / 1_000_000L + (nanos % 1_000_000L == 0 ? 0 : 1);
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    /**
     * Display thread: the timer fired. Early (clamped, or a clock's rounding) it re-arms for the rest: the dispatcher
     * arms a deadline only when it changes, so it must not see a fire before that deadline.
     */
    private void timerFired() {
        if (!timerArmed || display.isDisposed()) {
            return;
        }
        long left = timerDue - System.nanoTime();
        if (left > 0) {
            display.timerExec(timerMillis(left), onTimer);
            return;
        }
        timerArmed = false;
        dispatch.run();
    }

    /**
     * Display thread: runs {@code readAndDispatch}, sleeping while there is nothing to do, until
     * {@link #exitNestedLoop(Object)} is called for {@code key} or the display is disposed.
     */
    @Override
    public void enterNestedLoop(Object key) {
        NestedLoop loop = new NestedLoop();
        loops.put(key, loop);
        try {
            while (!loop.exited && !display.isDisposed()) {
                if (!display.readAndDispatch() && !loop.exited && !display.isDisposed()) {
                    display.sleep();
                }
            }
        } finally {
            loops.remove(key);
        }
    }

    /**
     * Display thread, inside {@code dispatch}: ends the loop entered for {@code key} once control comes back to it
     * (at once, if it is the innermost; after the loops above it, a modal {@code Shell}'s or a deeper one of the
     * dispatcher's, have ended otherwise). The {@code wake} is for a loop that is asleep when its exit comes.
     *
     * @throws IllegalStateException if no loop runs for {@code key} (it ended already, or was never entered)
     */
    @Override
    public void exitNestedLoop(Object key) {
        NestedLoop loop = loops.get(key);
        if (loop == null) {
            throw new IllegalStateException("no nested loop of " + this + " runs for " + key);
        }
        loop.exited = true;
        if (!display.isDisposed()) {
            display.wake();
        }
    }

    /** SWT cannot tell whether input or painting is waiting: low-priority work runs in slices (class comment). */
    @Override
    public Input input() {
        return Input.UNKNOWN;
    }

    @Override
    public String toString() {
        return "SwtPump[" + thread.getName() + "]";
    }
}
