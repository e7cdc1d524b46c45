package dev.apartment;

import dev.apartment.internal.jfr.FrameEvent;
import dev.apartment.internal.jfr.OperationRunEvent;
import dev.apartment.internal.jfr.WaitEvent;
import jdk.jfr.Event;

/**
 * The Flight Recorder events of the dispatcher's loops and waits (see {@code dev.apartment.internal.jfr}), begun and
 * committed in one way. Owner thread for runs and frames; the waiting thread for waits.
 *
 * <pre>{@code
 * FrameEvent event = Tracing.begin(new FrameEvent());   // null unless enabled now
 * ...
 * if (event != null && event.shouldCommit()) { Tracing.commitFrame(event, ...); }
 * }</pre>
 *
 * <p>Why {@link #begin} decides once: a recording that starts in the middle of a run, frame or wait must not see an
 * event that was never begun. Disabled (no recording, or the event turned off) the check is a constant false and
 * the event object is optimized away, so a disabled event costs nothing on the loop's path.
 */
final class Tracing {
    private Tracing() {
    }

    /** Wait outcomes for the Flight Recorder; the first three are also what a dispatching wait returns. */
    static final String[] WAIT_OUTCOMES = {"satisfied", "timed out", "unwound by shutdown", "deadlock",
        "interrupted"};

    /** Begins {@code event} and returns it if it is enabled now; null otherwise. */
    static <E extends Event> E begin(E event) {
        if (!event.isEnabled()) {
            return null;
        }
        event.begin();
        return event;
    }

    /** Begins the event of an operation about to run, with its time in the queue. */
    static OperationRunEvent beginRun(DispatcherOperation<?> op) {
        OperationRunEvent event = new OperationRunEvent();
        if (!event.isEnabled()) {
            return null;
        }
        event.queueWait = op.queueWaitNanos(System.nanoTime());
        event.task = op.taskClass();
        event.begin();
        return event;
    }

    /** Ends and, past its threshold, commits the event of an operation that has run. */
    static void endRun(OperationRunEvent event, Dispatcher d, int level, DispatcherOperation<?> op,
            Throwable failure) {
        event.end();
        if (event.shouldCommit()) {
            event.dispatcher = d.thread.getName();
            event.priority = DispatcherPriority.fromValue(level).name();
            event.kind = op.kind().name();
            event.failed = failure != null;
            event.commit();
        }
    }

    /** Commits the event of a frame that has returned, if it is past its threshold. */
    static void endFrame(FrameEvent event, Dispatcher d, int depth, String kind, boolean toolkit) {
        if (event.shouldCommit()) {
            event.dispatcher = d.thread.getName();
            event.depth = depth;
            event.kind = kind;
            event.toolkit = toolkit;
            event.commit();
        }
    }

    /**
     * Commits the event of a wait that has ended, if it is past its threshold. {@code waiter} is the waiting
     * dispatcher, or null for a plain thread; {@code outcome} indexes {@link #WAIT_OUTCOMES}, -1: the wait failed
     * with another exception.
     */
    static void endWait(WaitEvent event, Dispatcher waiter, String what, WaitPolicy policy, int outcome) {
        if (event.shouldCommit()) {
            event.dispatcher = waiter == null ? null : waiter.thread.getName();
            event.what = what;
            event.policy = policy.name();
            event.outcome = outcome < 0 ? "failed" : WAIT_OUTCOMES[outcome];
            event.commit();
        }
    }
}
