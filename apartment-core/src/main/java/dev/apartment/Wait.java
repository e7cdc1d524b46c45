package dev.apartment;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One wait of a dispatcher thread: what it waits for, how ({@link WaitPolicy}, all or any), and until when. It is
 * the node of the wait-for graph that {@link WaitGraph} searches for deadlocks: while the wait lasts it is its
 * dispatcher's {@code currentWait}, and it links to the wait that was current when it began, so the innermost
 * wait of every dispatcher thread can be read from any thread.
 *
 * <p>Threads: everything final is written before the wait is published (a volatile write of
 * {@code currentWait}), so a thread that reads the wait from there sees it whole. The waker that
 * {@link #wakeOnCompletion()} registers runs on whatever thread completes an awaited future; it unparks the waiting
 * thread, which re-checks {@link #satisfied()} before it parks again (the Dekker pattern of
 * {@code Dispatcher.idle}).
 */
final class Wait {
    /** Whether a wait for several futures needs all of them or any one. */
    enum Until {
        ALL, ANY
    }

    private static final Future<?>[] NOTHING = {};

    /** What kind of wait, for diagnosis messages: "invoke", "waitFor", "lock", ... */
    final String what;
    final Thread thread;
    /** The dispatcher of the waiting thread. */
    final Dispatcher dispatcher;
    /** The effective policy: {@link WaitPolicy#NONE} while processing is disabled. */
    final WaitPolicy policy;
    /** Whether the policy is NONE because processing was disabled when the wait began. */
    final boolean processingDisabled;
    /** Futures and operations; empty for a wait on a condition. */
    final Future<?>[] awaited;
    /** Wait for all of {@link #awaited} (true) or for any of them. */
    final boolean all;
    /** A condition instead of futures (a lock acquired, for instance), or null. */
    final BooleanSupplier condition;
    final long deadline;
    /** The wait this one is nested in on the same thread, or null. */
    final Wait outer;

    /** Set by the deadlock check of the waiting thread: the diagnosis, once it decided to throw. */
    String deadlock;
    /** The stuck set the previous check of this wait found (identity of the waits), to confirm a verdict. */
    Object lastVerdict;
    final long started;
    /** When the waiting thread checks the graph next ({@link WaitGraph#checkIfDue}). */
    long nextCheck;

    /** A wait of a thread without a dispatcher: it dispatches nothing, and no other wait links to it. */
    static Wait ofPlainThread(String what, Future<?>[] awaited, Until until, long deadline) {
        return new Wait(what, null, WaitPolicy.NONE, false, awaited, until == Until.ALL, null, deadline, null);
    }

    /**
     * A wait of {@code d}'s owner thread for futures, nested in its current wait; under {@link WaitPolicy#NONE} if
     * processing is disabled.
     */
    static Wait forFutures(String what, Dispatcher d, WaitPolicy policy, Future<?>[] awaited, Until until,
            long deadline) {
        return new Wait(what, d, policy, d.processingDisabled > 0, awaited, until == Until.ALL, null, deadline,
                d.currentWait);
    }

    /** A wait of {@code d}'s owner thread for a condition (a lock acquired, for instance), nested in its current wait. */
    static Wait forCondition(String what, Dispatcher d, WaitPolicy policy, BooleanSupplier condition, long deadline) {
        return new Wait(what, d, policy, d.processingDisabled > 0, NOTHING, true, condition, deadline, d.currentWait);
    }

    private Wait(String what, Dispatcher dispatcher, WaitPolicy policy, boolean processingDisabled,
            Future<?>[] awaited, boolean all, BooleanSupplier condition, long deadline, Wait outer) {
        this.what = what;
        this.thread = Thread.currentThread();
        this.dispatcher = dispatcher;
        this.processingDisabled = processingDisabled;
        this.policy = processingDisabled ? WaitPolicy.NONE : policy;
        this.awaited = awaited;
        this.all = all;
        this.condition = condition;
        this.deadline = deadline;
        this.outer = outer;
        this.started = System.nanoTime();
        // Most waits end within microseconds: the first check comes after half an interval, so they never pay for
        // one; a verdict still needs a second check an interval later to count.
        this.nextCheck = started + WaitGraph.FIRST_INTERVAL_NANOS / 2;
    }

    /** Whether the wait has what it waits for. Any thread. */
    boolean satisfied() {
        if (condition != null) {
            return condition.getAsBoolean();
        }
        if (all) {
            for (Future<?> f : awaited) {
                if (!f.isDone()) {
                    return false;
                }
            }
            return true;
        }
        for (Future<?> f : awaited) {
            if (f.isDone()) {
                return true;
            }
        }
        return awaited.length == 0;
    }

    boolean timedOut(long now) {
        return deadline != Deadlines.NO_DEADLINE && now - deadline >= 0;
    }

    /** Whether this wait lets {@code op}, an operation of its own dispatcher, run. */
    boolean admits(DispatcherOperation<?> op) {
        switch (policy) {
            case CALLS_AND_MESSAGES:
                return true;
            case CALLS:
                return op.kind() == OperationKind.CALL || awaits(op);
            default:
                return false;
        }
    }

    boolean awaits(Future<?> f) {
        for (Future<?> a : awaited) {
            if (a == f) {
                return true;
            }
        }
        return false;
    }

    /**
     * Arranges for the waiting thread to be woken when an awaited future completes. Futures that cannot notify
     * (neither a {@link CompletableFuture} nor an operation) are polled by the wait instead.
     *
     * @return whether every awaited future notifies
     */
    boolean wakeOnCompletion() {
        // The callback stays on a future until it completes, even after this wait gave up (CompletableFuture has no
        // way to remove it): it holds only what waking needs, not the wait and its futures.
        Runnable waker = wakerFor(dispatcher != null && policy != WaitPolicy.NONE ? dispatcher : null, thread);
        boolean all = true;
        for (Future<?> f : awaited) {
            if (f instanceof DispatcherOperation) {
                DispatcherOperation<?> op = (DispatcherOperation<?>) f;
                if (op.dispatcher() == dispatcher && policy != WaitPolicy.NONE) {
                    // It ends on this thread, inside this wait's loop; an abort from elsewhere sends the loop a
                    // control request, which wakes it. No future, no callback: owner-thread invokes stay cheap.
                    continue;
                }
                op.toCompletableFuture().whenComplete((v, e) -> waker.run());
            } else if (f instanceof CompletableFuture) {
                ((CompletableFuture<?>) f).whenComplete((v, e) -> waker.run());
            } else {
                all = false;
            }
        }
        return all;
    }

    /** Wakes the waiting thread: through its dispatcher if the wait runs the dispatcher's loop, else directly. */
    private static Runnable wakerFor(Dispatcher loop, Thread thread) {
        return loop != null ? loop::wake : () -> LockSupport.unpark(thread);
    }

    /** "thread 'x' in invoke (CALLS)". */
    String describeWaiter() {
        return "thread '" + thread.getName() + "' in " + what + " (" + policy
                + (processingDisabled ? ", processing disabled" : "") + ")";
    }
}
