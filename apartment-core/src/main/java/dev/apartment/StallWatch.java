package dev.apartment;

import dev.apartment.internal.jfr.StallEvent;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The stall watchdog of one dispatcher: the owner thread marks every operation boundary (an operation starts or
 * ends, a nested frame is entered or left) and says which operation it is running; a shared daemon thread looks
 * every quarter budget and reports an operation during which no boundary has passed for longer than the budget,
 * with the owner's stack at that moment, once per stall. The owner never reads a clock: the watchdog times the
 * stretch between boundaries with its own looks, so a report comes between one budget and one budget plus one
 * look after the stall began, and {@link StallReport#runningFor()} is a lower bound.
 *
 * <p>A nested frame (a modal loop, a dispatching wait) hides the operation that pushed it, so a thread that is
 * pumping or idle in a nested loop is not stalled; a wait that dispatches nothing is.
 *
 * <p>Threads and happens-before: the owner writes {@code current}, then increments {@code boundary}, both with
 * release stores (plain moves on x86: no fence on the hot path); the watchdog reads {@code boundary}, then
 * {@code current}, with acquire loads, so it sees an operation at least as new as the boundary it read. Before
 * reporting it takes the stack and reads {@code boundary} again: if it moved, the stall ended and nothing is
 * reported. The {@code seen*} and {@code reported*} fields belong to the watchdog thread.
 */
final class StallWatch {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());
    private static final VarHandle CURRENT;
    private static final VarHandle BOUNDARY;
    private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "apartment-stall-watchdog");
        t.setDaemon(true);
        return t;
    });

    static {
        WATCHDOG.setRemoveOnCancelPolicy(true);
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CURRENT = l.findVarHandle(StallWatch.class, "current", DispatcherOperation.class);
            BOUNDARY = l.findVarHandle(StallWatch.class, "boundary", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The default handler: a warning through {@link System.Logger} (java.util.logging unless configured). */
    static final Consumer<StallReport> LOG_WARNING = report -> LOG.log(Level.WARNING, report::toString);

    private final Dispatcher dispatcher;
    private final long budgetNanos;
    private final Duration budget;
    private final Consumer<StallReport> handler;
    private final ScheduledFuture<?> task;

    @SuppressWarnings("unused") // through CURRENT
    private DispatcherOperation<?> current;
    @SuppressWarnings("unused") // through BOUNDARY
    private long boundary;

    // watchdog thread only
    private long seenBoundary = -1;
    private long seenAt;
    private long reportedBoundary = -1;

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

    /** An operation starts (or, with null, a nested frame): returns the one it hides, for {@link #resume}. */
    DispatcherOperation<?> start(DispatcherOperation<?> op) {
        DispatcherOperation<?> outer = (DispatcherOperation<?>) CURRENT.get(this);
        boundary(op);
        return outer;
    }

    /** The thread goes back to {@code op} (or to no operation): a boundary too. */
    void resume(DispatcherOperation<?> op) {
        boundary(op);
    }

    private void boundary(DispatcherOperation<?> op) {
        CURRENT.setRelease(this, op);
        BOUNDARY.setRelease(this, (long) BOUNDARY.get(this) + 1);
    }

    // --- watchdog thread ---------------------------------------------------------------------------------------

    /** The Flight Recorder's view of a report (the watchdog thread commits it; the owner's stack is a field). */
    private static void record(StallReport report) {
        StallEvent event = new StallEvent();
        if (!event.isEnabled()) {
            return;
        }
        event.dispatcher = report.dispatcher().thread().getName();
        event.ownerThread = report.dispatcher().thread();
        event.operation = report.operation().toString();
        event.priority = report.priority().name();
        event.runningFor = report.runningFor().toNanos();
        event.budget = report.budget().toNanos();
        event.ownerStack = report.stackText();
        event.commit();
    }

    private void check() {
        try {
            long b = (long) BOUNDARY.getAcquire(this);
            DispatcherOperation<?> op = (DispatcherOperation<?>) CURRENT.getAcquire(this);
            long now = System.nanoTime();
            if (b != seenBoundary) {
                seenBoundary = b; // something happened since the last look: the clock starts again
                seenAt = now;
                return;
            }
            if (op == null || now - seenAt <= budgetNanos || b == reportedBoundary) {
                return;
            }
            StackTraceElement[] stack = dispatcher.thread().getStackTrace();
            if ((long) BOUNDARY.getAcquire(this) != b) {
                return; // it ended while the stack was taken
            }
            reportedBoundary = b;
            StallReport report = new StallReport(dispatcher, op, Duration.ofNanos(now - seenAt), budget, stack);
            dispatcher.counters.stallReported();
            record(report);
            handler.accept(report);
        } catch (Throwable t) {
            Thread w = Thread.currentThread();
            w.getUncaughtExceptionHandler().uncaughtException(w, t); // a failing handler must not stop the watchdog
        }
    }
}
