package dev.apartment;

import static dev.apartment.Deadlines.NO_DEADLINE;

import dev.apartment.internal.TimerHeap;

/**
 * The owner side of one dispatcher's {@link DispatcherTimer}s: the heap of scheduled timers, when the loops look at
 * it, and the way a due timer's tick enters the queue.
 *
 * <p>Threads: owner thread only, no locks, no volatiles. A timer changed from another thread reaches this class
 * through {@link Dispatcher#runOnOwner}, a control request applied before the owner's next selection.
 *
 * <p>When due timers fire: {@link Selection#next} calls {@link #fireDueEvery64th()} once per pick (the clock is read
 * every 64th pick, or at the first pick after a timer was scheduled), and both loops call {@link #fireDue} when
 * they run out of work, before they park or return control to the toolkit. A tick is queued like a self-post, at
 * the timer's priority, so a timer never overtakes work of a higher priority.
 */
final class Timers {
    /** Picks between two looks at the clock while a timer is scheduled: {@code nanoTime} is not free. */
    private static final int CHECK_EVERY = 64;

    private final Dispatcher d;
    private final TimerHeap heap = new TimerHeap();
    /** Picks until {@link #fireDueEvery64th()} reads the clock again; 0 after a schedule (look at once). */
    private int checkCountdown;

    Timers(Dispatcher d) {
        this.d = d;
    }

    /** True while no timer is scheduled. */
    boolean isEmpty() {
        return heap.size() == 0;
    }

    /** Per pick of the loops: fires the due timers every {@value #CHECK_EVERY}th call, while any is scheduled. */
    void fireDueEvery64th() {
        if (heap.size() != 0 && --checkCountdown <= 0) {
            checkCountdown = CHECK_EVERY;
            fireDue(System.nanoTime());
        }
    }

    /** Queues the tick of every timer due at {@code now}. */
    void fireDue(long now) {
        TimerHeap.Entry e;
        while ((e = heap.pollDue(now)) != null) {
            ((DispatcherTimer) e.owner()).due();
        }
    }

    /** The earlier of {@code deadline} (or {@link Deadlines#NO_DEADLINE}) and the first timer's due time. */
    long earliest(long deadline) {
        TimerHeap.Entry first = heap.peek();
        if (first != null && (deadline == NO_DEADLINE || first.due() - deadline < 0)) {
            return first.due();
        }
        return deadline;
    }

    /**
     * Schedules (or moves) {@code entry} to {@code due}. On a toolkit thread the pump's timer is armed at once: the
     * operation that started the timer may open a modal dialog, in which nothing else gives the dispatcher a turn.
     */
    void schedule(TimerHeap.Entry entry, long due) {
        heap.schedule(entry, due);
        checkCountdown = 0;
        if (d.pump != null) {
            d.toolkit.timerScheduled(due);
        }
    }

    void unschedule(TimerHeap.Entry entry) {
        heap.remove(entry);
    }

    /** The operation of one tick of a timer; queued with {@link #queueTick}. */
    DispatcherOperation<Void> newTick(Runnable tick, DispatcherPriority priority) {
        return new DispatcherOperation<>(d, tick, priority.value(), DispatcherOperation.POST);
    }

    /** Queues a tick straight into its lane (owner side, not through the inbox), counted as a self-post. */
    void queueTick(DispatcherOperation<?> tick) {
        d.counters.postedByOwner(DispatcherOperation.level(tick.stateWord()));
        d.enqueueOwnerSide(tick);
    }

    /** At the end of shutdown: unschedules every timer and tells it that its dispatcher is gone. */
    void shutDown() {
        TimerHeap.Entry e;
        while ((e = heap.peek()) != null) {
            heap.remove(e);
            ((DispatcherTimer) e.owner()).dispatcherShutDown();
        }
    }
}
