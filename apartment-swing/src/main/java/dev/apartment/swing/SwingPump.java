package dev.apartment.swing;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPump;

import java.awt.AWTEvent;
import java.awt.EventQueue;
import java.awt.SecondaryLoop;
import java.awt.Toolkit;
import java.awt.event.InputMethodEvent;
import java.awt.event.InvocationEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.awt.event.PaintEvent;
import java.util.IdentityHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Hosts a {@link Dispatcher} on the AWT event dispatch thread (EDT), so Swing code gets the whole apartment model:
 * priorities, idle-time work that never delays input or painting, {@code invoke} that never deadlocks, nested frames,
 * waits under a {@link dev.apartment.WaitPolicy}, {@link dev.apartment.DispatcherTimer timers} on the EDT.
 *
 * <pre>{@code
 * Dispatcher ui = SwingPump.dispatcher();                    // any thread; attaches to the EDT on first use
 * ui.post(() -> label.setText("hello"));                      // runs on the EDT, NORMAL priority
 * ui.post(() -> searchNextPrimes(), DispatcherPriority.SYSTEM_IDLE); // never ahead of input, painting, invokeLater
 * String text = ui.invoke(label::getText);                    // from a worker thread, synchronous
 * // on the EDT: a modal wait that lets only calls in (no input, no repaint, no posts)
 * WebView view = ui.waitFor(createAsync(ui.callbacks()), WaitPolicy.CALLS);
 * // when the application is done (e.g. in the last window's windowClosed):
 * ui.invokeShutdown();                                        // releases the EDT so AWT can shut down
 * }</pre>
 *
 * <p>Dispatcher items and AWT events share the EDT: a signal is one {@link InvocationEvent} of the pump's own, a
 * {@link dev.apartment.DispatcherFrame frame} or a message-dispatching wait is a {@link SecondaryLoop} (AWT events,
 * {@code invokeLater} runnables, repaints and Swing timers keep running in it), and an item below
 * {@link dev.apartment.DispatcherPriority#LOADED} runs only while the {@link EventQueue} holds nothing else.
 *
 * <h2>Threads and invariants</h2>
 * <ul>
 *   <li>{@link #dispatcher()} and {@link #signal()} work from any thread; every other method, and all the pump's
 *       mutable state (the dispatch callback, the armed timer, the stack of secondary loops, the event queue in use,
 *       the start of the current dispatch turn), belong to the EDT: no locks, no volatiles.</li>
 *   <li>There is at most one pump per EDT. {@link #dispatcher()} attaches it inside an EDT event under the class
 *       lock and publishes it through a volatile field; everything the EDT did before the attach happens-before a
 *       caller sees the dispatcher.</li>
 *   <li>A signal never runs the dispatch inline: it always goes through the {@link EventQueue}; the core coalesces
 *       signals to one outstanding event.</li>
 *   <li>A timer fire is such an event, posted from the timer thread and stamped with the generation of the
 *       {@link #setTimer} call that armed it; a fire whose generation is stale (re-armed or cancelled since) does
 *       nothing, so cancellation is exact even when the fire is already queued.</li>
 * </ul>
 *
 * <h2>The EDT's lifetime</h2>
 * A dispatcher is bound to one {@link Thread}, but AWT retires an idle EDT: about a second after the last window is
 * disposed and the queue ran empty it stops the thread (even one that sits in a {@code SecondaryLoop}, and a pending
 * {@code javax.swing.Timer} does not prevent it) and starts a <em>new</em> EDT for the next event. Work posted to the
 * old dispatcher would then run on a thread that does not own it. So while the dispatcher is attached and not shut
 * down, the pump keeps the EDT alive: its timer thread posts an empty event of the pump's own every
 * {@value #KEEP_ALIVE_MILLIS} ms, well inside AWT's one-second grace. The consequence, as with a visible window: AWT,
 * and with it the JVM, does not shut down by itself while the dispatcher lives. Shut the dispatcher down when the
 * application is done ({@link Dispatcher#invokeShutdown()}, from any thread), or call {@link System#exit}. After the
 * shutdown the keep-alive stops; once AWT has retired that EDT, {@link #dispatcher()} attaches a new dispatcher to
 * the next one (until then it returns the shut-down one). Should AWT replace the EDT all the same (an interrupt of
 * the EDT ends its loops too), the orphaned dispatcher runs nothing on the new thread; it reports that once to the
 * new thread's uncaught-exception handler, and {@link #dispatcher()} attaches a fresh dispatcher there.
 *
 * <h2>Headless</h2>
 * Everything the pump uses ({@code EventQueue}, {@code invokeLater}, {@code SecondaryLoop}) works in headless AWT
 * ({@code -Djava.awt.headless=true} or no display): the pump, and the dispatcher on it, work without a display.
 *
 * <h2>The background gate</h2>
 * {@link #input()} reports {@link DispatcherPump.Input#PENDING PENDING} whenever the EDT's {@link EventQueue} holds
 * any event, not only input and paint events: Swing repaints through {@code RepaintManager} are
 * {@code InvocationEvent}s, as are Swing timers and every {@code invokeLater}, and an idle-priority job that ran
 * ahead of those would freeze the window just as surely as one that ran ahead of the mouse. Items below
 * {@code LOADED} therefore run between AWT events, and back to back only while the queue is empty. Events that the
 * toolkit thread has received but not yet moved into the {@code EventQueue} (AWT moves them whenever anything is
 * posted or the EDT takes its next event) cannot be seen; so after {@value #SLICE_MILLIS} ms of low-priority work in
 * one turn the pump reports {@code PENDING} too, the dispatcher yields, and they run before its next turn. The check
 * is one uncontended lock ({@link EventQueue#peekEvent()}) and a clock read: tens of nanoseconds.
 */
public final class SwingPump implements DispatcherPump {

    /** Period of the keep-alive event that stops AWT from retiring the EDT (AWT's grace period is one second). */
    static final long KEEP_ALIVE_MILLIS = 250;
    /** The longest stretch of low-priority work in one dispatch turn before the pump lets AWT flush its events. */
    static final long SLICE_MILLIS = 2;
    private static final long SLICE_NANOS = SLICE_MILLIS * 1_000_000L;
    /**
     * An armed timer due within this much of a new request is kept rather than re-armed: both come from the same
     * dispatcher deadline, and re-arming costs the timer thread a wake-up on every dispatch turn.
     */
    private static final long TIMER_REUSE_NANOS = 50_000L;
    private static final Runnable KEEP_ALIVE = () -> { };
    /**
     * The id of the pump's own events (signals, timer fires, keep-alives): an {@link InvocationEvent} with an id of
     * its own, so that {@link #input()} can tell them from everybody else's work.
     */
    static final int PUMP_EVENT_ID = AWTEvent.RESERVED_ID_MAX + 0x4150;
    /** The ids {@link #input()} looks for behind one of the pump's own events: input, paint, other invocations. */
    private static final int[] TOOLKIT_WORK_IDS = {
        InvocationEvent.INVOCATION_DEFAULT, PaintEvent.PAINT, PaintEvent.UPDATE,
        KeyEvent.KEY_PRESSED, KeyEvent.KEY_RELEASED, KeyEvent.KEY_TYPED,
        MouseEvent.MOUSE_PRESSED, MouseEvent.MOUSE_RELEASED, MouseEvent.MOUSE_CLICKED, MouseEvent.MOUSE_MOVED,
        MouseEvent.MOUSE_DRAGGED, MouseEvent.MOUSE_WHEEL, MouseEvent.MOUSE_ENTERED, MouseEvent.MOUSE_EXITED,
        InputMethodEvent.INPUT_METHOD_TEXT_CHANGED, InputMethodEvent.CARET_POSITION_CHANGED
    };

    /** One of the pump's own events. */
    private static final class PumpEvent extends InvocationEvent {
        private static final long serialVersionUID = 1L;

        PumpEvent(Object source, int id, Runnable runnable) {
            super(source, id, runnable, null, false);
        }
    }

    /** Posts {@code r} as one of the pump's own events, at AWT's normal priority. Any thread. */
    private void post(Runnable r) {
        Toolkit.getDefaultToolkit().getSystemEventQueue().postEvent(new PumpEvent(this, PUMP_EVENT_ID, r));
    }

    /**
     * Posts {@code r} at AWT's low priority, the one of paint events: {@link EventQueue} dispatches those only when
     * nothing else is queued, so an event of normal priority would run before a waiting paint every time. AWT
     * derives the priority from the id, so this event borrows the last paint id; it is still an
     * {@link InvocationEvent} (dispatched as such, never coalesced: its source is not a component), and
     * {@link #input()} knows it as the pump's own.
     */
    private void postLow(Runnable r) {
        Toolkit.getDefaultToolkit().getSystemEventQueue().postEvent(new PumpEvent(this, PaintEvent.PAINT_LAST, r));
    }
    private static final Object LOCK = new Object();

    /** The pump of the EDT that has one; written on the EDT under {@link #LOCK}, read anywhere. */
    private static volatile SwingPump installed;

    private final Thread edt;
    /** Timer fires and the keep-alive; daemon, so it never keeps the JVM alive by itself. */
    private final ScheduledThreadPoolExecutor scheduler;
    private final Runnable onSignal = this::runDispatch;
    private Dispatcher dispatcher;

    // EDT only
    private Runnable dispatch;
    private EventQueue eventQueue;
    /** The secondary loops running, by the dispatcher's key for each. */
    private final IdentityHashMap<Object, SecondaryLoop> loops = new IdentityHashMap<>(4);
    private long turnStart;
    private ScheduledFuture<?> timer;
    private long timerDue;
    private long timerGeneration;
    private boolean orphanReported;

    private SwingPump(Thread edt) {
        this.edt = edt;
        this.eventQueue = Toolkit.getDefaultToolkit().getSystemEventQueue();
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "apartment-swing-timer");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true); // re-armed deadlines must not pile up in the timer queue
    }

    /**
     * {@return the dispatcher of the AWT event dispatch thread, attached on first use} Any thread; idempotent: every
     * call returns the same dispatcher for as long as it lives (see the class comment for what happens after it shut
     * down). Off the EDT it waits (uninterruptibly, for one {@code invokeLater}) until the EDT has attached it.
     *
     * @throws IllegalStateException if something on the EDT already called {@link Dispatcher#current()} there, which
     *                               gave it a dispatcher of its own that no pump drives
     */
    public static Dispatcher dispatcher() {
        SwingPump p = installed;
        if (p != null && !p.dispatcher.hasShutdownStarted() && p.edt.isAlive()) {
            return p.dispatcher;
        }
        if (EventQueue.isDispatchThread()) {
            return attachHere();
        }
        CompletableFuture<Dispatcher> attached = new CompletableFuture<>();
        EventQueue.invokeLater(() -> {
            try {
                attached.complete(attachHere());
            } catch (Throwable t) {
                attached.completeExceptionally(t);
            }
        });
        try {
            return attached.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }

    /** On the EDT: this EDT's dispatcher, attaching one if it has none yet. */
    private static Dispatcher attachHere() {
        synchronized (LOCK) {
            Thread t = Thread.currentThread();
            SwingPump p = installed;
            if (p != null && p.edt == t) {
                return p.dispatcher;
            }
            if (p != null) {
                p.release(); // AWT replaced the EDT under a live dispatcher: it can never run again
            }
            SwingPump pump = new SwingPump(t);
            pump.dispatcher = Dispatcher.attach(pump);
            pump.dispatcher.addShutdownFinishedListener(pump::release);
            pump.scheduler.scheduleAtFixedRate(() -> pump.post(KEEP_ALIVE),
                    KEEP_ALIVE_MILLIS, KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS);
            installed = pump;
            return pump.dispatcher;
        }
    }

    /** Stops the keep-alive and the timer thread; AWT may then retire the EDT when it is idle. */
    private void release() {
        scheduler.shutdownNow();
    }

    @Override
    public Thread thread() {
        return edt;
    }

    @Override
    public void attach(Runnable dispatch) {
        this.dispatch = dispatch;
    }

    @Override
    public void signal() {
        post(onSignal);
    }

    /** Behind a waiting paint event at low priority, else like {@link #signal()}: see {@link #postLow}. */
    @Override
    public void signalAfterToolkitWork() {
        if (othersEvent(PaintEvent.PAINT) || othersEvent(PaintEvent.UPDATE)) {
            postLow(onSignal);
        } else {
            post(onSignal);
        }
    }

    private boolean othersEvent(int id) {
        AWTEvent e = eventQueue.peekEvent(id);
        return e != null && !(e instanceof PumpEvent);
    }

    /** One dispatch turn, on the EDT: from a signal or a timer fire. */
    private void runDispatch() {
        if (Thread.currentThread() != edt) {
            reportOrphan();
            return;
        }
        eventQueue = Toolkit.getDefaultToolkit().getSystemEventQueue(); // the top of the stack, if one was pushed
        long outerTurn = turnStart;
        turnStart = System.nanoTime();
        try {
            dispatch.run();
        } finally {
            turnStart = outerTurn; // a turn nested in an operation of an outer turn ends; the outer one goes on
        }
    }

    private void reportOrphan() {
        if (!orphanReported) {
            orphanReported = true;
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, new IllegalStateException(dispatcher
                    + " belongs to the event dispatch thread " + edt + ", which AWT has replaced by " + t
                    + "; its work does not run here. SwingPump.dispatcher() attaches a dispatcher to the new one."));
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A {@link ScheduledThreadPoolExecutor} on a daemon thread, counting on {@link System#nanoTime()} like the
     * dispatcher (so it never fires before the requested delay, without rounding), whose fire is an
     * {@code invokeLater}. Not a {@code javax.swing.Timer}: its millisecond resolution would need rounding, and a
     * dispatch run from its action listener that enters a nested loop and re-arms the timer can have the re-armed
     * fire swallowed when the outer listener returns (the timer's coalescing flag is cleared after the listener).
     */
    @Override
    public void setTimer(long delayNanos) {
        long now = System.nanoTime();
        if (delayNanos >= 0 && timer != null && Math.abs(now + delayNanos - timerDue) <= TIMER_REUSE_NANOS) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        long generation = ++timerGeneration; // a fire already queued from an earlier arming is now stale
        if (delayNanos >= 0 && !scheduler.isShutdown()) {
            timerDue = now + delayNanos;
            timer = scheduler.schedule(() -> post(() -> onTimer(generation)),
                    delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void onTimer(long generation) {
        if (generation == timerGeneration) {
            timer = null;
            runDispatch();
        }
    }

    @Override
    public void enterNestedLoop(Object key) {
        SecondaryLoop loop = eventQueue.createSecondaryLoop();
        loops.put(key, loop);
        try {
            if (!loop.enter()) {
                throw new IllegalStateException("AWT refused to enter a secondary loop");
            }
        } finally {
            loops.remove(key);
        }
    }

    /**
     * Exits the secondary loop entered for {@code key}. AWT's {@link SecondaryLoop#exit()} works on a loop that is not
     * the innermost too (under a modal dialog's loop, or a deeper one of ours): that loop returns when control comes
     * back to it.
     */
    @Override
    public void exitNestedLoop(Object key) {
        SecondaryLoop loop = loops.get(key);
        if (loop == null) {
            throw new IllegalStateException("no secondary loop of " + this + " runs for " + key);
        }
        loop.exit();
    }

    /**
     * PENDING while the event queue holds any AWT event other than the pump's own, or after a slice of low-priority
     * work (class comment). The pump's own events must not count: a signal queued while a timer turn runs (the
     * dispatcher's coalescing allows one of each) would otherwise make two turns defer to each other forever.
     */
    @Override
    public Input input() {
        if (System.nanoTime() - turnStart > SLICE_NANOS) {
            return Input.PENDING;
        }
        AWTEvent head = eventQueue.peekEvent();
        if (head == null) {
            return Input.NONE;
        }
        if (!(head instanceof PumpEvent)) {
            return Input.PENDING;
        }
        for (int id : TOOLKIT_WORK_IDS) { // rare: one of ours is first; is anybody else's work behind it?
            if (othersEvent(id)) {
                return Input.PENDING;
            }
        }
        return Input.NONE;
    }

    @Override
    public String toString() {
        return "SwingPump[" + edt.getName() + "]";
    }
}
