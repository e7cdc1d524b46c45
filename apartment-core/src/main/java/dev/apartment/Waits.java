package dev.apartment;

import dev.apartment.internal.OperationQueue;
import dev.apartment.internal.jfr.WaitEvent;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Every wait of one dispatcher's API, and the invoke built on them: owner-thread nested waits (a {@link WaitFrame}
 * pushed on the owner's loop), waits of another dispatcher's thread under {@link WaitPolicy#CALLS}, plain blocking
 * waits of other threads, and the unwrapping of a result or failure for the caller.
 *
 * <p>Which wait runs depends on the calling thread: the owner of the dispatcher whose operation or futures are
 * awaited waits here, dispatching what the policy admits ({@code waitHere}); a thread with a dispatcher of its own
 * waits on <em>its</em> dispatcher, since a thread can dispatch only its own queue ({@code waits} of that
 * dispatcher); any other thread blocks ({@code blockingWait}, or the future's own wait after a short spin).
 *
 * <p>Threads: an instance is called on any thread, but its dispatching waits run only on the owner thread of
 * {@code d}; the state they change ({@code d.currentWait}, the frames) is the owner's. A wait registers itself as
 * {@code currentWait} (volatile) for the deadlock diagnosis of other threads ({@link WaitGraph}).
 */
final class Waits {
    private static final long NO_DEADLINE = Deadlines.NO_DEADLINE;

    static final int WAIT_SATISFIED = 0;
    static final int WAIT_TIMED_OUT = 1;
    /** Shutdown of the waiting dispatcher ended a dispatching wait before it had what it waited for. */
    static final int WAIT_UNWOUND = 2;
    // outcomes for the Flight Recorder only: these waits end with an exception (their names: Tracing.WAIT_OUTCOMES)
    static final int WAIT_DEADLOCK = 3;
    static final int WAIT_INTERRUPTED = 4;

    /**
     * What an interrupt of the waiting thread does to a wait: the argument of every wait, instead of a boolean.
     * Only {@link #THROW} waits throw {@link InterruptedException}; callers of {@link #KEEP} waits never see it.
     */
    enum OnInterrupt {
        /** The wait ends with an {@link InterruptedException}; the interrupt status is cleared, as by any such wait. */
        THROW,
        /** The wait goes on; the interrupt status is set again when it returns. */
        KEEP
    }

    private final Dispatcher d;

    Waits(Dispatcher d) {
        this.d = d;
    }

    <T> T invokeImpl(Object task, DispatcherPriority priority, long deadline) {
        DispatcherPriority.checkValid(priority, "priority");
        if (d.shutdownFinished) {
            throw new DispatcherShutdownException("cannot invoke on " + d + ": it has shut down");
        }
        boolean owner = Thread.currentThread() == d.thread;
        if (owner && priority == DispatcherPriority.SEND) {
            return runInline(task);
        }
        if (owner) {
            checkCanPump("invoke at " + priority + " on the owner thread");
        }
        DispatcherOperation<T> op = d.enqueue(new DispatcherOperation<>(d, task, priority.value(),
                owner ? 0 : DispatcherOperation.CALL));
        try {
            awaitOperation(op, deadline == NO_DEADLINE ? -1L : Math.max(0L, deadline - System.nanoTime()),
                    OnInterrupt.THROW);
            if (!op.isDone()) {
                if (op.abort("aborted: invoke timed out before it started")) {
                    throw new DispatcherTimeoutException("invoke timed out before the operation started: " + op);
                }
                awaitOperation(op, -1L, OnInterrupt.THROW); // it started in time: wait for its end
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (op.abort("aborted because the invoking thread was interrupted")) {
                throw new OperationAbortedException("interrupted while waiting for " + op + "; it was aborted");
            }
            throw new java.util.concurrent.CancellationException(
                    "interrupted while waiting for " + op + "; it had already started and runs on");
        } catch (RuntimeException | Error e) {
            // The wait failed (a deadlock diagnosis, a toolkit that refused its nested loop, shutdown): the caller
            // gets the exception, so the operation must not run later behind its back.
            op.abort("aborted: the invoking wait failed: " + e);
            throw e;
        }
        return result(op);
    }

    @SuppressWarnings("unchecked")
    <T> T runInline(Object task) {
        int saved = d.executingLevel;
        d.executingLevel = DispatcherPriority.SEND.value();
        try {
            if (task instanceof Runnable) {
                ((Runnable) task).run();
                return null;
            }
            return ((Callable<T>) task).call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        } finally {
            d.executingLevel = saved;
        }
    }

    static <T> T result(DispatcherOperation<T> op) {
        if (op.isCancelled()) {
            throw new OperationAbortedException("the operation was aborted: " + op);
        }
        Throwable t = op.failure();
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t != null) {
            throw new CompletionException(t);
        }
        return op.result();
    }

    /**
     * Waits for an operation of this dispatcher: a nested frame on the owner thread, a blocking wait elsewhere.
     * {@code timeoutNanos < 0} means no timeout. Returns when it is done or the time is up.
     */
    void awaitOperation(DispatcherOperation<?> op, long timeoutNanos, OnInterrupt onInterrupt)
            throws InterruptedException {
        if (op.isDone()) {
            return;
        }
        long deadline = timeoutNanos < 0 ? NO_DEADLINE : Deadlines.after(timeoutNanos);
        if (Thread.currentThread() == d.thread) {
            if (op.status() == DispatcherOperationStatus.EXECUTING) {
                throw new IllegalStateException(op + " is executing on this thread: waiting for it would never end");
            }
            checkCanPump("waiting for an operation on the owner thread");
            int outcome = waitHere("a wait for its own operation", WaitPolicy.CALLS_AND_MESSAGES,
                    new Future<?>[] {op}, Wait.Until.ALL, deadline, onInterrupt);
            if (outcome == WAIT_UNWOUND && !op.isDone()) {
                throw new DispatcherShutdownException("shutdown of " + d + " ended the wait for " + op);
            }
            return;
        }
        Dispatcher caller = Dispatcher.currentOrNull();
        if (caller != null) {
            // A dispatcher thread waiting on another dispatcher lets calls in, so invokes back into it complete.
            caller.waits.waitAsCaller("a wait for an operation of " + d, op, deadline, onInterrupt);
            return;
        }
        WaitEvent event = Tracing.begin(new WaitEvent()); // a recording that starts during the wait does not see it
        int outcome = WAIT_SATISFIED;
        try {
            if (spinUntilDone(op, deadline)) {
                return;
            }
            CompletableFuture<?> f = op.toCompletableFuture();
            try {
                if (deadline == NO_DEADLINE) {
                    f.get();
                } else {
                    f.get(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                outcome = WAIT_INTERRUPTED;
                if (onInterrupt == OnInterrupt.THROW) {
                    throw e;
                }
                Thread.currentThread().interrupt(); // await(): return the status as it is, interrupt kept
            } catch (TimeoutException e) {
                outcome = WAIT_TIMED_OUT;
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // done: reported by the caller from the operation itself
            }
        } finally {
            if (event != null) {
                Tracing.endWait(event, null, "a wait for an operation of " + d, WaitPolicy.NONE, outcome);
            }
        }
    }

    /** A wait of this dispatcher's owner thread for an operation of another dispatcher, under CALLS. */
    void waitAsCaller(String what, DispatcherOperation<?> op, long deadline, OnInterrupt onInterrupt)
            throws InterruptedException {
        Future<?>[] awaited = {op};
        if (spinUntilDone(op, deadline)) {
            return;
        }
        while (waitHere(what, WaitPolicy.CALLS, awaited, Wait.Until.ALL, deadline, onInterrupt) == WAIT_UNWOUND) {
            // this dispatcher is shutting down: the other one may still run the operation; wait without dispatching
        }
    }

    static Future<?>[] checkFutures(Future<?>[] futures) {
        Objects.requireNonNull(futures, "futures");
        if (futures.length == 0) {
            throw new IllegalArgumentException("futures must not be empty");
        }
        Future<?>[] copy = futures.clone();
        for (int i = 0; i < copy.length; i++) {
            Objects.requireNonNull(copy[i], "futures[" + i + "]");
        }
        return copy;
    }

    static int firstDone(Future<?>[] fs) {
        for (int i = 0; i < fs.length; i++) {
            if (fs[i].isDone()) {
                return i;
            }
        }
        return -1;
    }

    /** The wait behind the public {@code waitFor*} methods: true if satisfied, false if the deadline passed. */
    boolean awaitFutures(String what, WaitPolicy policy, Future<?>[] fs, Wait.Until until, long deadline) {
        Objects.requireNonNull(policy, "policy");
        Dispatcher waiter = Thread.currentThread() == d.thread ? d : Dispatcher.currentOrNull();
        try {
            if (waiter == null) {
                Wait w = Wait.ofPlainThread(what, fs, until, deadline);
                WaitEvent event = Tracing.begin(new WaitEvent());
                int outcome = WAIT_INTERRUPTED;
                try {
                    outcome = blockingWait(w, w.wakeOnCompletion(), OnInterrupt.THROW);
                } finally {
                    if (event != null) {
                        Tracing.endWait(event, null, what, WaitPolicy.NONE, outcome);
                    }
                }
                return outcome == WAIT_SATISFIED;
            }
            return waiter.waits.awaitFuturesHere(what, policy, fs, until, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException(
                    "interrupted during " + what + " (the interrupt status is kept)");
        }
    }

    boolean awaitFuturesHere(String what, WaitPolicy policy, Future<?>[] fs, Wait.Until until, long deadline)
            throws InterruptedException {
        for (Future<?> f : fs) {
            if (f instanceof DispatcherOperation && ((DispatcherOperation<?>) f).dispatcher() == d
                    && ((DispatcherOperation<?>) f).status() == DispatcherOperationStatus.EXECUTING
                    && (until == Wait.Until.ALL || fs.length == 1)) {
                throw new IllegalStateException(f + " is executing on this thread: waiting for it would never end");
            }
        }
        for (;;) {
            int outcome = waitHere(what, policy, fs, until, deadline, OnInterrupt.THROW);
            if (outcome != WAIT_UNWOUND) {
                return outcome == WAIT_SATISFIED;
            }
            for (Future<?> f : fs) {
                if (f instanceof DispatcherOperation && ((DispatcherOperation<?>) f).dispatcher() == d
                        && !f.isDone()) {
                    throw new DispatcherShutdownException("shutdown of " + d + " ended the " + what + " for " + f);
                }
            }
            // shutting down: wait on, dispatching nothing (waitHere sees the flag)
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T resultOf(Future<T> f) {
        try {
            return f instanceof CompletableFuture ? ((CompletableFuture<T>) f).getNow(null) : f.get();
        } catch (CompletionException e) {
            throw unwrap(e.getCause());
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // not reached: the future is done
            throw new java.util.concurrent.CancellationException("interrupted");
        }
    }

    static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        return new CompletionException(cause);
    }

    /**
     * A blocking get or join on the future view of {@code op}: on a dispatcher thread, a wait under
     * {@link WaitPolicy#NONE} that the deadlock diagnosis sees; on other threads nothing (the future waits itself).
     *
     * @return whether it waited (false: the caller must wait in the future itself)
     */
    static boolean blockOnFutureView(DispatcherOperation<?> op, long timeoutNanos, OnInterrupt onInterrupt)
            throws InterruptedException {
        if (op.isDone()) {
            return true;
        }
        Dispatcher waiter = Dispatcher.currentOrNull();
        if (waiter == null) {
            return false;
        }
        if (op.dispatcher() == waiter && op.status() == DispatcherOperationStatus.EXECUTING) {
            throw new IllegalStateException(op + " is executing on this thread: waiting for it would never end");
        }
        long deadline = timeoutNanos < 0 ? NO_DEADLINE : Deadlines.after(timeoutNanos);
        waiter.waits.waitHere("a blocking get on the future of an operation", WaitPolicy.NONE, new Future<?>[] {op},
                Wait.Until.ALL, deadline, onInterrupt);
        return true;
    }

    /** Whether a wait on the owner thread may dispatch now. Owner thread only. */
    boolean canPumpNow() {
        return d.processingDisabled == 0 && !d.shutdown.started && !d.shutdownFinished;
    }


    /**
     * Waits on the owner thread of this dispatcher until {@code until} of {@code awaited} are done, dispatching what
     * {@code policy} admits, and registers the wait for deadlock diagnosis. Owner thread only.
     *
     * @return {@link #WAIT_SATISFIED}, {@link #WAIT_TIMED_OUT} or {@link #WAIT_UNWOUND}
     * @throws DispatcherDeadlockException if the wait can never end
     */
    int waitHere(String what, WaitPolicy policy, Future<?>[] awaited, Wait.Until until, long deadline,
            OnInterrupt onInterrupt) throws InterruptedException {
        WaitEvent event = Tracing.begin(new WaitEvent()); // a recording that starts during the wait does not see it
        return traced(event, Wait.forFutures(what, d, effective(policy), awaited, until, deadline), policy, onInterrupt);
    }

    /** {@link #waitHere(String, WaitPolicy, Future[], Wait.Until, long, OnInterrupt)} until a condition holds. */
    int waitHereUntil(String what, WaitPolicy policy, BooleanSupplier condition, long deadline,
            OnInterrupt onInterrupt) throws InterruptedException {
        WaitEvent event = Tracing.begin(new WaitEvent()); // a recording that starts during the wait does not see it
        return traced(event, Wait.forCondition(what, d, effective(policy), condition, deadline), policy, onInterrupt);
    }

    /** A dispatcher that has begun to shut down dispatches nothing more in its waits. */
    private WaitPolicy effective(WaitPolicy policy) {
        return d.shutdown.started || d.shutdownFinished ? WaitPolicy.NONE : policy;
    }

    /** Runs {@code w} and records its outcome in {@code event} (null: not recorded). */
    private int traced(WaitEvent event, Wait w, WaitPolicy policy, OnInterrupt onInterrupt)
            throws InterruptedException {
        int outcome = -1;
        try {
            outcome = run(w, onInterrupt);
            return outcome;
        } catch (DispatcherDeadlockException e) {
            outcome = WAIT_DEADLOCK;
            throw e;
        } catch (InterruptedException e) {
            outcome = WAIT_INTERRUPTED;
            throw e;
        } finally {
            if (event != null) {
                Tracing.endWait(event, d, w.what, policy, outcome);
            }
        }
    }

    /**
     * The owner-thread wait, in short:
     *  1. Done already: satisfied.
     *  2. Arrange to be woken when an awaited future completes (a condition's owner wakes its waiters itself).
     *  3. Become the dispatcher's current wait (the deadlock diagnosis of other threads reads it).
     *  4. Under NONE block; otherwise push a WaitFrame admitting the policy's lanes and run the loop in it.
     *  5. Back: a deadlock verdict throws; an interrupt that ended it throws; else satisfied, timed out or unwound.
     */
    private int run(Wait w, OnInterrupt onInterrupt) throws InterruptedException {
        if (w.satisfied()) {
            return WAIT_SATISFIED;
        }
        boolean notifies = w.condition != null || w.wakeOnCompletion(); // a condition's owner wakes its waiters
        WaitFrame frame;
        d.currentWait = w;
        try {
            if (w.policy == WaitPolicy.NONE) {
                return blockingWait(w, notifies, onInterrupt);
            }
            frame = new WaitFrame(w, notifies, onInterrupt, d);
            d.loop.pushFrame(frame, w.policy == WaitPolicy.CALLS ? OperationQueue.CALLS_ONLY : OperationQueue.ALL_RUNNABLE);
        } finally {
            d.currentWait = w.outer;
        }
        if (w.deadlock != null) {
            throw new DispatcherDeadlockException(w.deadlock);
        }
        if (frame.interrupted && !w.satisfied()) {
            Thread.interrupted(); // reported as an InterruptedException: the status is cleared, as by any such wait
            throw new InterruptedException();
        }
        if (w.satisfied()) {
            return WAIT_SATISFIED;
        }
        return w.timedOut(System.nanoTime()) ? WAIT_TIMED_OUT : WAIT_UNWOUND;
    }

    /**
     * A wait that dispatches nothing: on a plain thread, under {@link WaitPolicy#NONE}, or while processing is
     * disabled. On a dispatcher thread it checks the wait-for graph now and then.
     */
    static int blockingWait(Wait w, boolean notifies, OnInterrupt onInterrupt) throws InterruptedException {
        boolean interrupted = false;
        try {
            for (;;) {
                if (w.satisfied()) {
                    return WAIT_SATISFIED;
                }
                long now = System.nanoTime();
                if (w.timedOut(now)) {
                    return WAIT_TIMED_OUT;
                }
                long park = Long.MAX_VALUE;
                if (w.dispatcher != null) {
                    String deadlock = WaitGraph.checkIfDue(w, now);
                    if (deadlock != null) {
                        throw new DispatcherDeadlockException(deadlock);
                    }
                    park = w.nextCheck - now;
                }
                if (!notifies) {
                    park = Math.min(park, 1_000_000L); // futures that cannot notify are polled
                }
                if (w.deadline != NO_DEADLINE) {
                    park = Math.min(park, w.deadline - now);
                }
                if (park == Long.MAX_VALUE) {
                    LockSupport.park(w);
                } else {
                    LockSupport.parkNanos(w, park);
                }
                if (Thread.interrupted()) {
                    if (onInterrupt == OnInterrupt.THROW) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A foreign waiter spins for up to the idle spin before it blocks: most operations end within microseconds,
     * and blocking would add a park/unpark (and the allocation of the future) to every round trip.
     */
    boolean spinUntilDone(DispatcherOperation<?> op, long deadline) {
        long budget = d.idleSpinNanos;
        if (budget <= 0) {
            return false;
        }
        long start = System.nanoTime();
        for (int i = 1; ; i++) {
            if (op.isDone()) {
                return true;
            }
            Thread.onSpinWait();
            if ((i & 63) == 0) {
                long now = System.nanoTime();
                if (now - start > budget || (deadline != NO_DEADLINE && now - deadline >= 0)
                        || Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
        }
    }

    void checkCanPump(String what) {
        if (d.processingDisabled > 0) {
            throw new IllegalStateException(
                    "dispatcher processing is disabled on " + d + ": " + what + " needs a nested loop");
        }
        if (d.shutdownFinished) {
            throw new DispatcherShutdownException(what + " is impossible: " + d + " has shut down");
        }
    }

}
