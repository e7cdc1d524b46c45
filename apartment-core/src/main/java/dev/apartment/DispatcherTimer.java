package dev.apartment;

import dev.apartment.internal.TimerHeap;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A timer whose ticks run on a dispatcher's thread, at a priority (default {@link DispatcherPriority#BACKGROUND}).
 *
 * <pre>{@code
 * DispatcherTimer clock = new DispatcherTimer(DispatcherPriority.RENDER, ui);
 * clock.setInterval(Duration.ofMillis(500));
 * clock.addTickHandler(t -> label.setText(LocalTime.now().toString()));
 * clock.start();
 * }</pre>
 *
 * <p>At most one tick is pending at a time: a tick that is late does not pile up behind itself. The next due time
 * is counted from the moment a tick returns, so a slow handler stretches the period instead of flooding the queue.
 * {@link #stop()} aborts a pending tick. All methods work from any thread; the schedule itself lives on the owner
 * thread. Exceptions thrown by tick handlers go to the dispatcher's unhandled-exception events, like a post's.
 *
 * <p>Concurrency: {@code enabled}, {@code interval}, {@code priority} and {@code pendingTick} are volatile and may
 * be written by any thread; the heap entry is touched only on the owner thread ({@link Dispatcher#runOnOwner}), which
 * re-reads {@code enabled} each time, so the last request wins whatever order foreign requests arrive in.
 */
public final class DispatcherTimer {
    private final Dispatcher dispatcher;
    private final TimerHeap.Entry entry = new TimerHeap.Entry(this);
    private final CopyOnWriteArrayList<Consumer<DispatcherTimer>> tickHandlers = new CopyOnWriteArrayList<>();
    private volatile Duration interval = Duration.ZERO;
    private volatile DispatcherPriority priority;
    private volatile boolean enabled;
    private volatile DispatcherOperation<Void> pendingTick;

    /** A stopped timer on the calling thread's dispatcher, at {@link DispatcherPriority#BACKGROUND}. */
    public DispatcherTimer() {
        this(DispatcherPriority.BACKGROUND, Dispatcher.current());
    }

    /**
     * A stopped timer on the calling thread's dispatcher, ticking at {@code priority}.
     *
     * @param priority the priority its ticks run at; not {@link DispatcherPriority#INVALID}
     */
    public DispatcherTimer(DispatcherPriority priority) {
        this(priority, Dispatcher.current());
    }

    /**
     * A stopped timer on {@code dispatcher}, ticking at {@code priority}.
     *
     * @param priority   the priority its ticks run at; not {@link DispatcherPriority#INVALID}
     * @param dispatcher the dispatcher whose thread runs the ticks
     * @throws IllegalArgumentException if {@code priority} is {@link DispatcherPriority#INVALID}
     */
    public DispatcherTimer(DispatcherPriority priority, Dispatcher dispatcher) {
        this.priority = DispatcherPriority.checkValid(priority, "priority");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    /**
     * A timer on {@code dispatcher} with one tick handler, <em>already started</em> (as in WPF).
     *
     * @param interval    the time between the end of one tick and the next; not negative
     * @param priority    the priority its ticks run at; not {@link DispatcherPriority#INVALID}
     * @param tickHandler the handler run on every tick
     * @param dispatcher  the dispatcher whose thread runs the ticks
     */
    public DispatcherTimer(Duration interval, DispatcherPriority priority, Consumer<DispatcherTimer> tickHandler,
            Dispatcher dispatcher) {
        this(priority, dispatcher);
        setInterval(interval);
        addTickHandler(tickHandler);
        start();
    }

    /** {@return the dispatcher whose thread runs the ticks} */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /**
     * Adds a handler run on every tick, on the owner thread.
     *
     * @param handler the handler, given this timer
     */
    public void addTickHandler(Consumer<DispatcherTimer> handler) {
        tickHandlers.add(Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Removes one registration of {@code handler} made with {@link #addTickHandler}; does nothing if there is none.
     *
     * @param handler the handler to remove
     */
    public void removeTickHandler(Consumer<DispatcherTimer> handler) {
        tickHandlers.remove(handler);
    }

    /** {@return the time between the end of one tick and the next} */
    public Duration interval() {
        return interval;
    }

    /**
     * Sets the time between the end of one tick and the next; a running timer restarts its count now.
     *
     * @param interval the interval; not negative
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public void setInterval(Duration interval) {
        Deadlines.toNanos(interval, "interval");
        this.interval = interval;
        if (enabled) {
            dispatcher.runOnOwner(this::restart);
        }
    }

    /** {@return the priority of the ticks} */
    public DispatcherPriority priority() {
        return priority;
    }

    /**
     * Sets the priority of future ticks and of a pending one.
     *
     * @param priority the priority; not {@link DispatcherPriority#INVALID}
     */
    public void setPriority(DispatcherPriority priority) {
        this.priority = DispatcherPriority.checkValid(priority, "priority");
        DispatcherOperation<Void> tick = pendingTick;
        if (tick != null) {
            tick.setPriority(priority);
        }
    }

    /** {@return true between {@link #start()} and {@link #stop()}, and never once the dispatcher has shut down} */
    public boolean isEnabled() {
        return enabled && !dispatcher.hasShutdownFinished();
    }

    /**
     * Starts the timer: the first tick is due one interval from now. Does nothing if it is running, or if the
     * dispatcher has shut down.
     */
    public void start() {
        if (enabled || dispatcher.hasShutdownFinished()) {
            return;
        }
        enabled = true;
        dispatcher.runOnOwner(this::sync);
    }

    /** Stops the timer and aborts a pending tick. Does nothing if it is stopped. */
    public void stop() {
        if (!enabled) {
            return;
        }
        enabled = false;
        DispatcherOperation<Void> tick = pendingTick;
        if (tick != null) {
            tick.abort();
        }
        dispatcher.runOnOwner(this::sync);
    }

    // --- owner thread --------------------------------------------------------------------------------------

    private void sync() {
        if (!enabled) {
            dispatcher.timers.unschedule(entry);
        } else if (!entry.isScheduled() && !tickPending()) {
            dispatcher.timers.schedule(entry, dueFromNow());
        }
    }

    private void restart() {
        if (enabled && entry.isScheduled()) {
            dispatcher.timers.schedule(entry, dueFromNow());
        }
    }

    private boolean tickPending() {
        DispatcherOperation<Void> tick = pendingTick;
        return tick != null && !tick.isDone();
    }

    /** The heap says this timer is due: queue its tick unless one is still pending. */
    void due() {
        if (!enabled || tickPending()) {
            return;
        }
        DispatcherOperation<Void> tick = dispatcher.timers.newTick(this::tick, priority);
        pendingTick = tick;
        dispatcher.timers.queueTick(tick);
    }

    private void tick() {
        if (!enabled) {
            return;
        }
        try {
            for (Consumer<DispatcherTimer> handler : tickHandlers) {
                handler.accept(this);
            }
        } finally {
            if (enabled && !entry.isScheduled()) {
                dispatcher.timers.schedule(entry, dueFromNow()); // counted from the end of this tick
            }
        }
    }

    void dispatcherShutDown() {
        enabled = false;
    }

    private long dueFromNow() {
        return System.nanoTime() + Math.min(Deadlines.toNanos(interval, "interval"), Long.MAX_VALUE / 4);
    }

    @Override
    public String toString() {
        return "DispatcherTimer[" + interval + ", " + priority + (enabled ? ", enabled" : ", stopped") + ", on "
                + dispatcher + "]";
    }
}
