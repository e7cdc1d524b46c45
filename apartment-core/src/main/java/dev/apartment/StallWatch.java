package dev.apartment;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The stall watchdog of one dispatcher: the owner thread says which operation it is running and since when; a
 * shared daemon thread looks every quarter budget and reports an operation that has run past the budget, with the
 * owner's stack at that moment, once per stall.
 *
 * <p>"Running" means between two operation boundaries on the owner thread: a nested frame (a modal loop, a
 * dispatching wait) hides the operation that pushed it, so a thread that is pumping or idle in a nested loop is not
 * stalled; the outer operation's clock restarts when the frame returns. A wait that dispatches nothing is a stall.
 *
 * <p>Threads and happens-before: the owner writes {@code since}, then {@code current} (both volatile); the watchdog
 * reads {@code current}, then {@code since}, so it never pairs a new operation with an older start time (it may pair
 * an old one with a newer time, which only delays a report). Before reporting it takes the stack and reads both
 * again: if either changed, the stall ended and nothing is reported. {@code reportedOp}/{@code reportedSince} belong
 * to the watchdog thread.
 */
final class StallWatch {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());
    private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "apartment-stall-watchdog");
        t.setDaemon(true);
        return t;
    });

    static {
        WATCHDOG.setRemoveOnCancelPolicy(true);
    }

    /** The default handler: a warning through {@link System.Logger} (java.util.logging unless configured). */
    static final Consumer<StallReport> LOG_WARNING = report -> LOG.log(Level.WARNING, report::toString);

    private final Dispatcher dispatcher;
    private final long budgetNanos;
    private final Duration budget;
    private final Consumer<StallReport> handler;
    private final ScheduledFuture<?> task;

    private volatile DispatcherOperation<?> current;
    private volatile long since;

    // watchdog thread only
    private DispatcherOperation<?> reportedOp;
    private long reportedSince;

    StallWatch(Dispatcher dispatcher, Duration budget, Consumer<StallReport> handler) {
        this.dispatcher = dispatcher;
        this.budget = budget;
        this.budgetNanos = budget.toNanos();
        this.handler = handler;
        long period = Math.max(1_000_000L, Math.min(budgetNanos / 4, 250_000_000L));
        task = WATCHDOG.scheduleAtFixedRate(this::check, period, period, TimeUnit.NANOSECONDS);
    }

    void cancel() {
        task.cancel(false);
    }

    // --- owner thread ------------------------------------------------------------------------------------------

    /** An operation starts; returns the one it hides (to give back to {@link #resume}). */
    DispatcherOperation<?> start(DispatcherOperation<?> op) {
        DispatcherOperation<?> outer = current;
        since = System.nanoTime();
        current = op;
        return outer;
    }

    /** The thread goes back to {@code op} (or to no operation): its clock restarts now. */
    void resume(DispatcherOperation<?> op) {
        since = System.nanoTime();
        current = op;
    }

    // --- watchdog thread ---------------------------------------------------------------------------------------

    private void check() {
        try {
            DispatcherOperation<?> op = current;
            long s = since;
            if (op == null || System.nanoTime() - s <= budgetNanos || (op == reportedOp && s == reportedSince)) {
                return;
            }
            StackTraceElement[] stack = dispatcher.thread().getStackTrace();
            long now = System.nanoTime();
            if (current != op || since != s) {
                return; // it ended while the stack was taken
            }
            reportedOp = op;
            reportedSince = s;
            handler.accept(new StallReport(dispatcher, op, Duration.ofNanos(now - s), budget, stack));
        } catch (Throwable t) {
            Thread w = Thread.currentThread();
            w.getUncaughtExceptionHandler().uncaughtException(w, t); // a failing handler must not stop the watchdog
        }
    }
}
