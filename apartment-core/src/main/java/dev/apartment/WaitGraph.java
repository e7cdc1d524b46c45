package dev.apartment;

import dev.apartment.internal.jfr.DeadlockDiagnosisEvent;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * Deadlock diagnosis over the wait-for graph of dispatcher threads.
 *
 * <p>The graph is never stored: its nodes are the {@link Wait}s that are current on their dispatchers
 * ({@code Dispatcher.currentWait}), and an edge goes from a wait to the current wait of the dispatcher that owns an
 * operation it waits for. A waiting thread runs {@link #check(Wait)} now and then (when its wait begins and about
 * every 100 ms after); nothing is locked and nothing is added to the hot path.
 *
 * <p>The search is a greatest fixed point. Start with every wait reachable from the checking one, assumed stuck;
 * drop each wait that can still progress given that the others may be stuck; repeat until nothing changes. A wait
 * progresses if it has a deadline or a condition (it ends by itself or depends on things the graph does not know),
 * or if enough of what it waits for can finish: all of it for a wait for all, one for a wait for any. An operation
 * can finish if it is done, if its dispatcher's thread is not in a stuck wait, if it is INACTIVE (someone may raise
 * it), or if it is pending and that stuck wait dispatches it ({@link Wait#admits}); an EXECUTING operation under a
 * stuck wait cannot finish. (A thread whose wait is running an operation shows no current wait meanwhile: it is
 * not waiting, and the operation above the wait can finish.) A future that is not an operation is assumed to finish: who completes it is unknown.
 * What is left are waits that can only end if something outside the graph intervenes (an abort, a completion by
 * an unrelated thread).
 *
 * <p>Snapshots are racy, so a verdict counts only when the next check (at least one interval later) finds the same
 * stuck waits, identity for identity: a wait that ends and a new one that begins are different objects. Then the
 * waits that cannot dispatch anything ({@link WaitPolicy#NONE}, processing disabled) throw; the others keep waiting,
 * because once such a wait has thrown they can progress. When every stuck wait dispatches something (a cycle of
 * waits for messages under {@link WaitPolicy#CALLS}) they all throw.
 */
final class WaitGraph {
    private WaitGraph() {
    }

    /** The interval between checks of one wait during its first two seconds, and after. */
    static final long FIRST_INTERVAL_NANOS = 100_000_000L;
    static final long LATER_INTERVAL_NANOS = 250_000_000L;
    private static final long FIRST_PERIOD_NANOS = 2_000_000_000L;

    /**
     * Checks {@code wait} (the calling thread's innermost wait) if its next check is due. Returns the diagnosis if
     * the wait must end with a {@link DispatcherDeadlockException}, else null.
     */
    static String checkIfDue(Wait wait, long now) {
        if (now - wait.nextCheck < 0) {
            return null;
        }
        wait.nextCheck = now + (now - wait.started < FIRST_PERIOD_NANOS ? FIRST_INTERVAL_NANOS : LATER_INTERVAL_NANOS);
        String verdict = check(wait);
        if (verdict != null) {
            diagnosed(wait, verdict);
        }
        return verdict;
    }

    /** Counts the diagnosis and records it for the Flight Recorder, on the waiting thread, before it throws. */
    private static void diagnosed(Wait wait, String verdict) {
        wait.dispatcher.counters.deadlockDiagnosed();
        DeadlockDiagnosisEvent event = new DeadlockDiagnosisEvent();
        if (event.isEnabled()) {
            event.dispatcher = wait.dispatcher.thread().getName();
            event.policy = wait.policy.name();
            event.diagnosis = verdict;
            event.commit();
        }
    }

    static String check(Wait start) {
        Set<Wait> stuck = stuck(start);
        if (!stuck.contains(start)) {
            start.lastVerdict = null;
            return null;
        }
        if (!stuck.equals(start.lastVerdict)) {
            start.lastVerdict = stuck; // confirm at the next check: the snapshot may have caught a wait ending
            return null;
        }
        boolean someCannotDispatch = false;
        for (Wait w : stuck) {
            someCannotDispatch |= w.policy == WaitPolicy.NONE;
        }
        if (someCannotDispatch && start.policy != WaitPolicy.NONE) {
            return null; // a wait that dispatches nothing is in the cycle: it throws, and this one then progresses
        }
        return describe(start, stuck);
    }

    private static Set<Wait> stuck(Wait start) {
        Set<Wait> set = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Wait> todo = new ArrayDeque<>();
        set.add(start);
        todo.add(start);
        while (!todo.isEmpty()) {
            Wait w = todo.poll();
            for (Future<?> f : w.awaited) {
                if (f instanceof DispatcherOperation) {
                    Wait next = ((DispatcherOperation<?>) f).dispatcher().currentWait;
                    if (next != null && set.add(next)) {
                        todo.add(next);
                    }
                }
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Wait w : new ArrayList<>(set)) {
                if (progresses(w, set)) {
                    set.remove(w);
                    changed = true;
                }
            }
        }
        return set;
    }

    private static boolean progresses(Wait w, Set<Wait> stuck) {
        if (w.deadline != Deadlines.NO_DEADLINE || w.condition != null || w.satisfied()) {
            return true;
        }
        boolean any = false;
        boolean all = true;
        for (Future<?> f : w.awaited) {
            boolean p = !(f instanceof DispatcherOperation) || canFinish((DispatcherOperation<?>) f, stuck);
            any |= p;
            all &= p;
        }
        return w.all ? all : any;
    }

    private static boolean canFinish(DispatcherOperation<?> op, Set<Wait> stuck) {
        Wait owner = op.dispatcher().currentWait;
        if (owner == null || !stuck.contains(owner)) {
            return true;
        }
        switch (op.status()) {
            case EXECUTING:
                // It runs below that wait on its thread's stack: operations a wait's loop runs are above it, and
                // while they run the thread shows no current wait (Dispatcher.loop), so they never get here.
                return false;
            case PENDING:
                return op.priority() == DispatcherPriority.INACTIVE || owner.admits(op);
            default:
                return true;
        }
    }

    /** Names every thread and operation of the cycle that {@code start} is in, starting with {@code start}. */
    private static String describe(Wait start, Set<Wait> stuck) {
        StringBuilder sb = new StringBuilder("deadlock: this wait can never end.");
        List<Wait> seen = new ArrayList<>();
        Wait w = start;
        while (w != null && !seen.contains(w)) {
            seen.add(w);
            DispatcherOperation<?> blocker = null;
            Wait next = null;
            for (Future<?> f : w.awaited) {
                if (f instanceof DispatcherOperation && !f.isDone()) {
                    DispatcherOperation<?> op = (DispatcherOperation<?>) f;
                    Wait owner = op.dispatcher().currentWait;
                    if (owner != null && stuck.contains(owner)) {
                        blocker = op;
                        next = owner;
                        break;
                    }
                }
            }
            sb.append("\n  ").append(w.describeWaiter());
            if (blocker == null) {
                break;
            }
            sb.append(" waits for ").append(blocker).append(", which ");
            if (next == w) {
                sb.append("only this thread could run, and this wait dispatches nothing");
            } else if (blocker.status() == DispatcherOperationStatus.EXECUTING) {
                sb.append("is executing on thread '").append(next.thread.getName())
                        .append("' below that thread's own wait");
            } else {
                sb.append("thread '").append(next.thread.getName()).append("' does not dispatch while it waits under ")
                        .append(next.policy).append(next.processingDisabled ? " (processing disabled)" : "");
            }
            w = next;
        }
        if (w != null && seen.contains(w) && seen.size() > 1) {
            sb.append("\n  and thread '").append(w.thread.getName()).append("' closes the cycle");
        }
        for (Wait other : stuck) {
            if (!seen.contains(other)) {
                sb.append("\n  also stuck: ").append(other.describeWaiter());
            }
        }
        return sb.toString();
    }
}
