package dev.apartment.javafx;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPump;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;

/**
 * The {@link DispatcherPump} of the JavaFX application thread: a {@link Dispatcher} whose owner thread is the FX
 * thread, so that the dispatcher's priorities, frames, waits and timers live alongside JavaFX's own events.
 *
 * <pre>{@code
 * Platform.startup(() -> { });                  // or Application.launch: the toolkit must be running
 * Dispatcher fx = FxPump.dispatcher();          // any thread; the same dispatcher every time
 * fx.post(() -> label.setText("loading"), DispatcherPriority.NORMAL);
 * String title = fx.invoke(stage::getTitle);    // from a worker thread: synchronous, never deadlocks
 * new DispatcherTimer(Duration.ofSeconds(1), DispatcherPriority.BACKGROUND, t -> clock.tick(), fx); // started
 * // on the FX thread, inside an event handler: a modal wait that keeps the UI alive
 * Result r = fx.waitFor(service.fetchAsync(), WaitPolicy.CALLS_AND_MESSAGES);
 * }</pre>
 *
 * <h2>Threads and invariants</h2>
 * <ul>
 *   <li>There is one FX application thread per JVM and so at most one FX dispatcher: {@link #dispatcher()} attaches
 *       it on the FX thread on first use and returns the same one afterwards. Attaching happens only on the FX
 *       thread, so two first callers cannot attach twice; the volatile {@code attached} field publishes the
 *       dispatcher to the other threads.</li>
 *   <li>{@link #signal()} is the only method called from any thread: one {@link Platform#runLater}, whose queue
 *       orders it after every runnable and input event JavaFX already has. {@code runLater} never runs inline, and
 *       after {@link Platform#exit()} it drops the runnable (the dispatcher is then as good as stopped).</li>
 *   <li>Everything else ({@link #attach}, {@link #setTimer}, the nested loops, {@link #input()}) runs on the FX
 *       thread, so the timer needs no synchronization; the nested loops are JavaFX's own, keyed by the dispatcher's
 *       key for each.</li>
 *   <li>The timer thread is a daemon thread that only hands the expiry back to the FX thread with
 *       {@code runLater}; it ends when the dispatcher's shutdown finishes. A timer replaced or cancelled after its
 *       expiry was handed over is recognized on the FX thread by its generation and ignored.</li>
 * </ul>
 *
 * <h2>Choices</h2>
 * <ul>
 *   <li><b>Timer</b>: a {@link ScheduledThreadPoolExecutor} rather than a {@code PauseTransition}. An animation is
 *       driven by the pulse, so it fires on the first pulse after its due time (up to a pulse period, about 17 ms,
 *       late) and keeps the pulse ticking 60 times a second for as long as it runs, even for a wait deadline that
 *       is minutes away; the executor fires within about a millisecond and costs nothing while it waits. (Measured
 *       on Monocle's headless platform: 1 ms pauses ended after 10 to 44 ms and 30 ms ones after 31 to 46 ms; the
 *       executor's, after 1 and 30.3 ms.)</li>
 *   <li><b>Input</b>: JavaFX has no public way to ask whether input or a pulse is waiting, so {@link #input()}
 *       answers {@link Input#UNKNOWN}: the dispatcher runs items below {@link dev.apartment.DispatcherPriority#LOADED
 *       LOADED} in slices of at most 50 ms and between two slices signals itself again, which puts its next slice
 *       behind every event and {@code runLater} runnable JavaFX queued meanwhile, input and pulses included.</li>
 *   <li><b>Nested loops</b>: frames and waits under {@link dev.apartment.WaitPolicy#CALLS_AND_MESSAGES} run
 *       {@link Platform#enterNestedEventLoop}, in which JavaFX goes on handling input, pulses and {@code runLater}
 *       runnables. Waits under {@link dev.apartment.WaitPolicy#CALLS CALLS} block the FX thread and run only the
 *       dispatcher's calls (COM's rule): no JavaFX event, no pulse, no {@code runLater} runnable runs meanwhile.
 *       JavaFX allows no nested loop inside an animation or layout pass ({@code AnimationTimer.handle}, a
 *       transition's handlers, {@code layoutChildren}): a frame, an {@code invoke} below {@code SEND} or a wait
 *       under {@code CALLS_AND_MESSAGES} started there fails with JavaFX's {@link IllegalStateException}. Post from
 *       there instead.</li>
 * </ul>
 *
 * <p>The dispatcher's {@linkplain Dispatcher#invokeShutdown() shutdown} is final: the FX thread keeps running
 * JavaFX, but it cannot get another dispatcher in this JVM. Exceptions that escape a posted operation and are not
 * handled shut the dispatcher down, as on any dispatcher; JavaFX's thread reports them to its uncaught-exception
 * handler and goes on.
 */
public final class FxPump implements DispatcherPump {

    /** The FX dispatcher once attached; written on the FX thread only. */
    private static volatile Dispatcher attached;

    private final Thread thread;
    /** What {@link #signal()} hands to {@code runLater}: one allocation for the pump's life. */
    private final Runnable fireTask = this::fire;
    private final ScheduledThreadPoolExecutor timerThread;
    /** The dispatcher's callback; set by {@link #attach} before any signal can reach the FX thread. */
    private Runnable dispatch;

    /**
     * JavaFX's own limit on nested event loops since JavaFX 25 (JDK-8351733, which throws beyond it); older releases
     * have none and overflow the FX thread's stack a little further on (about 280 frames and waits in the tests), where
     * the overflow strikes wherever the stack happens to end and can leave the dispatcher without its next turn.
     */
    static final int MAX_NESTED_LOOPS = 200;

    // FX thread only
    /** The nested loops of this pump now running. */
    private int nestedLoops;
    private ScheduledFuture<?> timer;
    private long timerGeneration;

    private FxPump(Thread thread) {
        this.thread = thread;
        this.timerThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "apartment-fx-timer");
            t.setDaemon(true);
            return t;
        });
        timerThread.setRemoveOnCancelPolicy(true); // timers are replaced often: do not keep the cancelled ones
    }

    /**
     * The dispatcher of the JavaFX application thread, attached on first use; the same one on every call. Any
     * thread: on the FX thread it attaches at once; elsewhere it asks the FX thread with {@link Platform#runLater}
     * and waits (uninterruptibly) until it has, so do not call it the first time from a thread the FX thread is
     * blocked on.
     *
     * <p>The JavaFX toolkit must be running ({@link Platform#startup} or {@code Application.launch}). Call
     * {@link Platform#setImplicitExit(boolean) Platform.setImplicitExit(false)} if the FX thread must outlive the
     * last window. Once {@linkplain Dispatcher#hasShutdownFinished() shut down}, this keeps returning the same,
     * shut-down dispatcher.
     *
     * @return the dispatcher whose owner thread is the JavaFX application thread
     * @throws IllegalStateException if the toolkit is not running, or if the FX thread already has a dispatcher
     *                               that this class did not attach (someone called {@link Dispatcher#current()} on
     *                               it first)
     */
    public static Dispatcher dispatcher() {
        Dispatcher d = attached;
        if (d != null) {
            return d;
        }
        if (Platform.isFxApplicationThread()) {
            return attachHere();
        }
        CompletableFuture<Dispatcher> done = new CompletableFuture<>();
        try {
            Platform.runLater(() -> {
                try {
                    done.complete(attachHere());
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
        } catch (IllegalStateException e) {
            throw new IllegalStateException("the JavaFX toolkit is not running: start it with Platform.startup or "
                    + "Application.launch before FxPump.dispatcher()", e);
        }
        try {
            return done.join();
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

    /** FX thread: the only place that attaches, so it happens once. */
    private static Dispatcher attachHere() {
        Dispatcher d = attached;
        if (d == null) {
            FxPump pump = new FxPump(Thread.currentThread());
            try {
                d = Dispatcher.attach(pump);
            } catch (RuntimeException | Error e) {
                pump.timerThread.shutdownNow();
                throw e;
            }
            d.addShutdownFinishedListener(pump::dispatcherShutDown);
            attached = d;
        }
        return d;
    }

    @Override
    public Thread thread() {
        return thread;
    }

    @Override
    public void attach(Runnable dispatch) {
        this.dispatch = dispatch;
    }

    /** Any thread: one {@code runLater}; the dispatcher coalesces, so at most one is outstanding. */
    @Override
    public void signal() {
        Platform.runLater(fireTask);
    }

    /**
     * FX thread. {@code runLater} orders a runnable after everything queued before it, and the FX thread runs the
     * attaching runnable to its end before it takes the next one, so {@code dispatch} is set whenever this runs
     * (a post that found the dispatcher through {@link Dispatcher#fromThread} before {@link #attach} signals too).
     */
    private void fire() {
        Runnable d = dispatch;
        if (d != null) {
            d.run();
        }
    }

    /**
     * FX thread: one-shot, replacing the earlier one; negative cancels. The expiry is scheduled on a daemon thread
     * that hands it to the FX thread with {@code runLater}, so it runs in whatever loop the FX thread is in
     * (nested ones included) and queues behind the events already waiting.
     */
    @Override
    public void setTimer(long delayNanos) {
        long generation = ++timerGeneration;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (delayNanos < 0) {
            return;
        }
        Runnable expire = () -> timerExpired(generation);
        if (delayNanos == 0) {
            Platform.runLater(expire);
            return;
        }
        try {
            timer = timerThread.schedule(() -> Platform.runLater(expire), delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shut down with the dispatcher: nothing is due any more
        }
    }

    /** FX thread: a timer that was not replaced or cancelled since it was set. */
    private void timerExpired(long generation) {
        if (generation == timerGeneration) {
            timer = null;
            fire();
        }
    }

    /** FX thread, from the dispatcher's shutdown: no timer will be wanted again. */
    private void dispatcherShutDown() {
        timerGeneration++;
        timer = null;
        timerThread.shutdownNow();
    }

    /**
     * FX thread: {@link Platform#enterNestedEventLoop} with the dispatcher's key, which JavaFX runs until
     * {@link #exitNestedLoop(Object)} exits it; JavaFX's events, pulses and {@code runLater} runnables (the
     * dispatcher's signals among them) go on inside.
     *
     * @throws IllegalStateException from JavaFX, if it cannot start a nested event loop now (inside an animation or
     *                               layout pass), or if {@value #MAX_NESTED_LOOPS} nested loops of this pump already
     *                               run (JavaFX's limit)
     */
    @Override
    public void enterNestedLoop(Object key) {
        if (nestedLoops >= MAX_NESTED_LOOPS) {
            throw new IllegalStateException("too many nested JavaFX event loops: " + MAX_NESTED_LOOPS + " of "
                    + this + " already run, the limit of JavaFX 25 and later (JDK-8351733); earlier releases overflow "
                    + "the FX thread's stack around there. Post the work instead of nesting another frame or wait.");
        }
        nestedLoops++;
        try {
            Platform.enterNestedEventLoop(key);
        } finally {
            nestedLoops--;
        }
    }

    /**
     * FX thread, inside {@code dispatch}: exits the nested loop entered for {@code key}, which returns once the current
     * runnable (the dispatch) has returned. JavaFX ends exactly the loop of that key: one that is not the innermost
     * (an {@code Alert.showAndWait} above it) returns once the loops above it have ended.
     */
    @Override
    public void exitNestedLoop(Object key) {
        Platform.exitNestedEventLoop(key, null);
    }

    /** JavaFX cannot tell whether input or a pulse is waiting: low-priority work runs in slices. */
    @Override
    public Input input() {
        return Input.UNKNOWN;
    }

    @Override
    public String toString() {
        return "FxPump[" + thread.getName() + "]";
    }
}
