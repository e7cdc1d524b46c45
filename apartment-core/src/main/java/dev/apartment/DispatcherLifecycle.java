package dev.apartment;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The part of {@link Dispatcher}'s public API that concerns its lifecycle and what it reports: shutdown, its
 * listeners, the unhandled-exception events, the stall watchdog and hooks.
 *
 * <p>{@code Dispatcher} is one public class written in three files, one concern each, the way Avalonia writes its
 * dispatcher as a partial class: this one, {@link DispatcherInvoke} (invoke and the waits) and {@link Dispatcher}
 * itself (the registry, the post path, frames). Java has no partial classes, so the parts are package-private
 * superclasses, sealed so that {@code Dispatcher} is their only subclass. Their public methods are members of
 * {@code Dispatcher} for every caller: javac gives {@code Dispatcher} a public bridge for each (so reflection and
 * method handles find them there), and javadoc documents them on {@code Dispatcher}'s page. The Javadoc here is
 * {@code Dispatcher}'s contract; links to members of the subclass name it ({@code Dispatcher#run()}).
 *
 * <p>Everything here delegates to collaborators that own their state: {@link Shutdown} (the state machine and its
 * listeners), {@link UnhandledExceptions}, {@link Observers} (hooks and the watchdog). They are created here, first,
 * because the collaborators created after them keep references to them ({@code Loop} keeps {@code observers}).
 * Nothing here is on the post path.
 */
abstract sealed class DispatcherLifecycle extends DispatcherLayout.Pad1 permits DispatcherInvoke {

    /** Hooks registration and notification, the stall watchdog. */
    final Observers observers;
    /** The shutdown state machine: RUNNING, STARTING, STARTED, FINISHED. */
    final Shutdown shutdown;
    /** The unhandled-exception filters and handlers. */
    final UnhandledExceptions unhandled = new UnhandledExceptions();

    DispatcherLifecycle(Thread thread, DispatcherPump pump) {
        super(thread, pump);
        Dispatcher self = (Dispatcher) this; // sealed: Dispatcher is the only concrete subclass
        this.observers = new Observers(self);
        this.shutdown = new Shutdown(self);
    }

    // --- Shutdown ----------------------------------------------------------------------------------------------------

    /**
     * Shuts the dispatcher down: on the owner thread at once; from another thread it runs the shutdown request at
     * {@link DispatcherPriority#SEND} and returns when it has started (frames still unwinding finish it). Order:
     * shutdown-started listeners (the dispatcher is still usable), the shutdown flag, the outermost frame exits,
     * shutdown-finished listeners, every queued operation aborted (INACTIVE ones too), the thread released. Calling
     * it again does nothing.
     */
    public void invokeShutdown() {
        shutdown.request();
    }

    /**
     * Requests shutdown at {@code priority} and returns at once. Any thread.
     *
     * @param priority the priority the request runs at; not {@link DispatcherPriority#INVALID}
     */
    public void beginInvokeShutdown(DispatcherPriority priority) {
        DispatcherPriority.checkValid(priority, "priority");
        shutdown.requestAt(priority.value());
    }

    /**
     * Waits until shutdown has finished (every queued operation aborted). Not on the owner thread.
     *
     * @param timeout the longest time to wait
     * @return true if it finished within {@code timeout}
     * @throws IllegalStateException on the owner thread, which would wait for itself
     * @throws InterruptedException  if interrupted while waiting
     */
    public boolean awaitShutdown(Duration timeout) throws InterruptedException {
        long nanos = Deadlines.toNanos(timeout, "timeout");
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("the owner thread of " + this + " cannot wait for its own shutdown");
        }
        return shutdown.await(nanos);
    }

    /** {@return true once shutdown has started} Any thread. */
    public boolean hasShutdownStarted() {
        return shutdown.started;
    }

    /** {@return true once shutdown has finished: no operation will run any more} Any thread. */
    public boolean hasShutdownFinished() {
        return shutdownFinished;
    }

    // --- Events and hooks --------------------------------------------------------------------------------------------

    /**
     * Runs {@code listener} on the owner thread when shutdown starts, while the dispatcher is still usable.
     *
     * @param listener what to run
     */
    public void addShutdownStartedListener(Runnable listener) {
        shutdown.startedListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes one registration of {@code listener} made with {@link #addShutdownStartedListener}; does nothing if
     * there is none.
     *
     * @param listener the listener to remove
     */
    public void removeShutdownStartedListener(Runnable listener) {
        shutdown.startedListeners.remove(listener);
    }

    /**
     * Runs {@code listener} on the owner thread when the frames have exited, before queued operations are aborted.
     *
     * @param listener what to run
     */
    public void addShutdownFinishedListener(Runnable listener) {
        shutdown.finishedListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes one registration of {@code listener} made with {@link #addShutdownFinishedListener}; does nothing if
     * there is none.
     *
     * @param listener the listener to remove
     */
    public void removeShutdownFinishedListener(Runnable listener) {
        shutdown.finishedListeners.remove(listener);
    }

    /**
     * Adds a filter for exceptions thrown by posts, sync-context posts and timer ticks. Filters run first, on the
     * owner thread; one that lowers {@link DispatcherUnhandledExceptionFilterEventArgs#setRequestCatch requestCatch}
     * lets the exception leave the loop without asking the handlers.
     *
     * @param filter the filter, given each exception's filter args
     */
    public void addUnhandledExceptionFilter(Consumer<DispatcherUnhandledExceptionFilterEventArgs> filter) {
        unhandled.addFilter(filter);
    }

    /**
     * Removes one registration of {@code filter} made with {@link #addUnhandledExceptionFilter}; does nothing if
     * there is none.
     *
     * @param filter the filter to remove
     */
    public void removeUnhandledExceptionFilter(Consumer<DispatcherUnhandledExceptionFilterEventArgs> filter) {
        unhandled.removeFilter(filter);
    }

    /**
     * Adds a handler for exceptions thrown by posts, sync-context posts and timer ticks. If a handler
     * {@link DispatcherUnhandledExceptionEventArgs#setHandled sets handled}, the loop goes on; otherwise the
     * exception leaves {@link Dispatcher#run()} and the dispatcher shuts down. Exceptions of {@code invoke}/{@code invokeAsync}
     * never come here: they go to their caller.
     *
     * @param handler the handler, given each exception's args
     */
    public void addUnhandledExceptionHandler(Consumer<DispatcherUnhandledExceptionEventArgs> handler) {
        unhandled.addHandler(handler);
    }

    /**
     * Removes one registration of {@code handler} made with {@link #addUnhandledExceptionHandler}; does nothing if
     * there is none.
     *
     * @param handler the handler to remove
     */
    public void removeUnhandledExceptionHandler(Consumer<DispatcherUnhandledExceptionEventArgs> handler) {
        unhandled.removeHandler(handler);
    }

    /**
     * Turns the stall watchdog on, reporting to a {@link System.Logger} warning (logger {@code dev.apartment.Dispatcher}):
     * see {@link #setStallWatchdog(Duration, Consumer)}.
     *
     * @param budget the longest an operation may run before it is reported
     */
    public void setStallWatchdog(Duration budget) {
        setStallWatchdog(budget, StallWatch.LOG_WARNING);
    }

    /**
     * Turns the stall watchdog on, replacing any earlier one: when one operation runs on the owner thread for longer
     * than {@code budget}, {@code handler} receives a {@link StallReport} with the operation, its priority, how long
     * it has run and the owner thread's stack at that moment — while the stall lasts, once per stalled operation, on
     * the watchdog's own daemon thread. This answers "why is my UI frozen?" with the line of code that froze it.
     *
     * <pre>{@code
     * ui.setStallWatchdog(Duration.ofMillis(100));                        // warnings in the log
     * ui.setStallWatchdog(Duration.ofMillis(100), report -> metrics.record(report)); // or your own handler
     * }</pre>
     *
     * <p>A nested frame (a modal loop, a dispatching wait) is not a stall: while the owner thread pumps or idles in it
     * the operation that pushed it is not timed, and its clock restarts when the frame returns. A wait that
     * dispatches nothing is. Off (the default) the watchdog costs one field read per operation; on, four release
     * stores per operation (no fence, no clock read) and a look every quarter budget, on its own thread. Any thread.
     *
     * @param budget  the longest an operation may run before it is reported
     * @param handler what receives the reports, on the watchdog's thread
     * @throws IllegalArgumentException if {@code budget} is not positive
     */
    public void setStallWatchdog(Duration budget, Consumer<StallReport> handler) {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(handler, "handler");
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("budget must be positive: " + budget);
        }
        observers.setStallWatchdog(budget, handler);
    }

    /** Turns the stall watchdog off. Any thread. */
    public void disableStallWatchdog() {
        observers.disableStallWatchdog();
    }

    /**
     * Registers observation hooks. Any thread. The hooks hear of posts that begin after this call returns; a post
     * racing with it may or may not be reported, and one that began before it never is.
     *
     * @param h the hooks to add
     */
    public void addHooks(DispatcherHooks h) {
        Objects.requireNonNull(h, "hooks");
        observers.addHooks(h);
    }

    /**
     * Removes hooks registered with {@link #addHooks}. Any thread.
     *
     * @param h the hooks to remove
     */
    public void removeHooks(DispatcherHooks h) {
        observers.removeHooks(h);
    }
}
