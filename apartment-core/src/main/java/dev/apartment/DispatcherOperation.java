package dev.apartment;

import dev.apartment.internal.QueueNode;
import dev.apartment.internal.jfr.OperationRunEvent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The handle of one queued work item of a {@link Dispatcher}.
 *
 * <p>An operation starts {@link DispatcherOperationStatus#PENDING}, may become {@link
 * DispatcherOperationStatus#EXECUTING} on the owner thread, and ends {@link DispatcherOperationStatus#COMPLETED} or
 * {@link DispatcherOperationStatus#ABORTED}, exactly once, whatever happens; its {@link #toCompletableFuture()
 * future} always completes. While it is pending its {@link #setPriority priority} can change and it can be
 * {@link #abort() aborted}.
 *
 * <pre>{@code
 * DispatcherOperation<String> op = ui.invokeAsync(() -> label.text(), DispatcherPriority.BACKGROUND);
 * op.setPriority(DispatcherPriority.NORMAL);            // more urgent after all
 * op.toCompletableFuture().thenAccept(System.out::println);
 * }</pre>
 *
 * <h2>Threads</h2>
 * Any thread may query, abort, change the priority of and wait for an operation. An abort racing with the start of
 * the operation, or with a priority change, has exactly one winner. Everything the operation did happens-before its
 * status is seen as COMPLETED, and its result or exception is seen with it.
 *
 * @param <T> the type of the result
 */
public final class DispatcherOperation<T> extends QueueNode implements Future<T> {

    /*
     * Implementation notes. All of the mutable state that decides the outcome is one int, state: status, priority
     * and the operation's fixed flags. PENDING→EXECUTING (owner), PENDING→ABORTED (any thread) and a priority change
     * (any thread) are each one CAS on it, so abort racing with execution or with a priority change has exactly one
     * winner. The owner writes payload (the result or the exception) before the volatile write that publishes
     * COMPLETED, so a reader that sees COMPLETED sees the payload. extras (future, listeners) is created on demand by
     * CAS; completion publishes the state, then reads extras, while a new extras is installed, then the state
     * re-read: one of the two sides always delivers the completion (and Extras delivers once).
     *
     * The state word:
     *
     *   31 30          16 15  12 11   8  7   6     5      4    3     2    1  0
     *  +--+--------------+------+------+---+-----+------+----+----+------+-----+
     *  |  | frame depth  |      | level|   |STAMP|FRAME_|POST|CALL|FAILED|stat-|
     *  |  | (15 bits)    |      |(0-10)|   | ED  |SCOPED|    |    |      | us  |
     *  +--+--------------+------+------+---+-----+------+----+----+------+-----+
     *  unused: bit 31, bits 12..15, bit 7
     *
     * status (bits 0..1) changes by CAS once: PENDING → EXECUTING → COMPLETED, or PENDING → ABORTED; level
     * (bits 8..11) changes by CAS while PENDING; FAILED is set with COMPLETED; the rest is fixed at construction.
     */

    // --- the state word, in bit order ----------------------------------------------------------------------
    static final int PENDING = 0;
    static final int EXECUTING = 1;
    static final int COMPLETED = 2;
    static final int ABORTED = 3;
    /** Bits 0..1: the status. */
    private static final int STATUS_MASK = 3;
    /** Bit 2: completed with an exception: payload is the Throwable. */
    private static final int FAILED = 1 << 2;
    /** Bit 3: the operation is a {@link OperationKind#CALL}. */
    static final int CALL = 1 << 3;
    /** Bit 4: fire-and-forget: an exception goes to the dispatcher's unhandled-exception events. */
    static final int POST = 1 << 4;
    /** Bit 5: bound to a frame depth ({@link FrameScope}): it does not run inside a deeper frame. */
    static final int FRAME_SCOPED = 1 << 5;
    /** Bit 6: {@code postedAt} holds the time of the post. */
    private static final int STAMPED = 1 << 6;
    // bit 7: unused
    /** Bits 8..11: the priority level, 0..10. */
    private static final int LEVEL_SHIFT = 8;
    private static final int LEVEL_MASK = 0xF << LEVEL_SHIFT;
    // bits 12..15: unused
    /** Bits 16..30: the frame depth of a frame-scoped operation. */
    private static final int DEPTH_SHIFT = 16;
    static final int MAX_FRAME_DEPTH = 0x7FFF;
    // bit 31: unused

    /** Not a state bit: {@code postedAt} counts {@link System#nanoTime()} in units of 2^10 ns. */
    private static final int POSTED_AT_SHIFT = 10;

    private static final DispatcherOperationStatus[] STATUSES = {
        DispatcherOperationStatus.PENDING, DispatcherOperationStatus.EXECUTING,
        DispatcherOperationStatus.COMPLETED, DispatcherOperationStatus.ABORTED
    };

    private static final VarHandle STATE;
    private static final VarHandle EXTRAS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(DispatcherOperation.class, "state", int.class);
            EXTRAS = l.findVarHandle(DispatcherOperation.class, "extras", Extras.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Dispatcher dispatcher;
    private volatile int state;
    /** Before the run: the Runnable or Callable. After it: the result, or the Throwable if FAILED. */
    private Object payload;
    private volatile Extras<T> extras;
    /**
     * When it was posted, in units of 1,024 ns, wrapping (an int keeps the object at 48 bytes); written only while
     * the Flight Recorder's operation event is enabled (flag STAMPED), for the event's queue wait.
     */
    private int postedAt;

    DispatcherOperation(Dispatcher dispatcher, Object task, int level, int flags) {
        this.dispatcher = dispatcher;
        this.payload = task;
        if (OperationRunEvent.stampPosts()) {
            postedAt = (int) (System.nanoTime() >> POSTED_AT_SHIFT);
            flags |= STAMPED;
        }
        // Plain stores: the operation is published to the owner through the inbox's release/acquire.
        STATE.set(this, flags | (level << LEVEL_SHIFT));
    }

    // --- queries -------------------------------------------------------------------------------------------

    /** {@return the dispatcher that runs this operation} */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** {@return the current status} */
    public DispatcherOperationStatus status() {
        return STATUSES[state & STATUS_MASK];
    }

    /** {@return the current priority} */
    public DispatcherPriority priority() {
        return DispatcherPriority.fromValue(level(state));
    }

    /** {@return whether this is a {@link OperationKind#CALL call} or a {@link OperationKind#MESSAGE message}} */
    public OperationKind kind() {
        return (state & CALL) != 0 ? OperationKind.CALL : OperationKind.MESSAGE;
    }

    /** True once the operation is COMPLETED or ABORTED. */
    @Override
    public boolean isDone() {
        return (state & STATUS_MASK) >= COMPLETED;
    }

    /** True if the operation was ABORTED (the {@link Future} name for it). */
    @Override
    public boolean isCancelled() {
        return (state & STATUS_MASK) == ABORTED;
    }

    // --- changes -------------------------------------------------------------------------------------------

    /**
     * Changes the priority of a pending operation. It keeps its posting order among the operations already at the
     * new priority. Any thread.
     *
     * @param priority the new priority; not {@link DispatcherPriority#INVALID}
     * @return true if the operation was pending (its priority is now {@code priority}), false if it has already
     *     started or ended, in which case nothing changes
     * @throws IllegalArgumentException if {@code priority} is {@link DispatcherPriority#INVALID}
     */
    public boolean setPriority(DispatcherPriority priority) {
        DispatcherPriority.checkValid(priority, "priority");
        int target = priority.value();
        for (;;) {
            int s = state;
            if ((s & STATUS_MASK) != PENDING) {
                return false;
            }
            int old = level(s);
            if (old == target) {
                return true;
            }
            if (STATE.compareAndSet(this, s, (s & ~LEVEL_MASK) | (target << LEVEL_SHIFT))) {
                dispatcher.counters.moved(old, target); // the CAS winner counts the move it made
                dispatcher.priorityChanged(this, DispatcherPriority.fromValue(old));
                return true;
            }
        }
    }

    /**
     * Aborts the operation if it is still pending: it will never run. Any thread.
     *
     * @return true if this call aborted it; false if it had already started or ended
     */
    public boolean abort() {
        return abort("aborted");
    }

    /**
     * The {@link Future} spelling of {@link #abort()}: an executing operation is never interrupted.
     *
     * @param mayInterruptIfRunning ignored
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return abort();
    }

    boolean abort(String reason) {
        for (;;) {
            int s = state;
            if ((s & STATUS_MASK) != PENDING) {
                return false;
            }
            if (STATE.compareAndSet(this, s, (s & ~STATUS_MASK) | ABORTED)) {
                payload = null; // the task will never run; let it go
                dispatcher.aborted(this, level(s));
                deliver(reason);
                return true;
            }
        }
    }

    // --- waiting -------------------------------------------------------------------------------------------

    /**
     * Waits until the operation is COMPLETED or ABORTED and returns the final status. On the owner thread of its
     * dispatcher this runs a nested message loop (like WPF's {@code DispatcherOperation.Wait}), so waiting on your
     * own queue never deadlocks; on the thread of another dispatcher it waits under {@link WaitPolicy#CALLS} (calls
     * into that thread still run, so cycles of waits complete); on any other thread it blocks.
     *
     * @return the final status (on an interrupt, the status as it is then)
     * @throws IllegalStateException if the operation is executing on the calling thread (it would wait for itself),
     *     or if the calling owner thread has {@link Dispatcher#disableProcessing() processing disabled}
     * @throws DispatcherShutdownException if the owner thread's wait was ended by shutdown before the operation did
     *     (a thread blocked here that is interrupted returns the status as it is then, with its interrupt status
     *     kept)
     */
    public DispatcherOperationStatus await() {
        awaitDone(-1L);
        return status();
    }

    /**
     * Like {@link #await()}, for at most {@code timeout}; returns the status at that moment (possibly still PENDING
     * or EXECUTING). A timeout here does not abort the operation.
     *
     * @param timeout the longest time to wait
     * @return the status when the wait ended
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public DispatcherOperationStatus await(Duration timeout) {
        awaitDone(Deadlines.toNanos(timeout, "timeout"));
        return status();
    }

    /**
     * Waits like {@link #await()} and returns the result.
     *
     * @throws ExecutionException   if the operation threw; the cause is its exception
     * @throws OperationAbortedException if the operation was aborted (a {@link CancellationException})
     * @throws InterruptedException if a blocked thread was interrupted
     */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            awaitInterruptibly(-1L);
        }
        return report();
    }

    /**
     * Waits like {@link #await(Duration)} and returns the result.
     *
     * @throws TimeoutException if the operation did not end in time (it is not aborted)
     */
    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout + " " + unit);
        }
        if (!isDone()) {
            awaitInterruptibly(unit.toNanos(timeout));
            if (!isDone()) {
                throw new TimeoutException("operation did not end within " + timeout + " " + unit + ": " + this);
            }
        }
        return report();
    }

    /**
     * A {@link CompletableFuture} view: completed with the result, exceptionally with the operation's exception, or
     * with an {@link OperationAbortedException} if it was aborted. Completing it from outside is not allowed
     * ({@link UnsupportedOperationException}); cancelling it aborts the operation; {@code orTimeout} and
     * {@code completeOnTimeout} return a new future. Dependent stages run on the thread
     * that completes the operation (the owner thread) unless you use the {@code *Async} variants.
     *
     * @return the view, the same one on every call
     */
    public CompletableFuture<T> toCompletableFuture() {
        return extras().future;
    }

    /**
     * Runs {@code listener} once the operation has COMPLETED (right away, on this thread, if it already has). It runs
     * on the owner thread. Listeners that throw are reported to the thread's uncaught-exception handler.
     *
     * @param listener what to run
     */
    public void addCompletedListener(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        extras().addListener(listener, true);
    }

    /**
     * Runs {@code listener} once the operation has been ABORTED (right away if it already has), on the thread that
     * aborted it.
     *
     * @param listener what to run
     */
    public void addAbortedListener(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        extras().addListener(listener, false);
    }

    @Override
    public String toString() {
        int s = state;
        return "DispatcherOperation[" + STATUSES[s & STATUS_MASK] + ", " + DispatcherPriority.fromValue(level(s))
                + ", " + ((s & CALL) != 0 ? "CALL" : "MESSAGE") + ", on " + dispatcher + "]";
    }

    // --- owner side ----------------------------------------------------------------------------------------

    int stateWord() {
        return state;
    }

    static int level(int s) {
        return (s & LEVEL_MASK) >>> LEVEL_SHIFT;
    }

    /** The lane of {@link dev.apartment.internal.OperationQueue} for state {@code s}: level and kind. */
    static int lane(int s) {
        return (level(s) << 1) | ((s & CALL) != 0 ? 1 : 0);
    }

    static boolean isPending(int s) {
        return (s & STATUS_MASK) == PENDING;
    }

    static boolean isFrameScoped(int s) {
        return (s & FRAME_SCOPED) != 0;
    }

    /** The deepest frame a frame-scoped operation may run in. */
    static int frameDepth(int s) {
        return s >>> DEPTH_SHIFT;
    }

    static int frameScopeFlags(int depth) {
        return FRAME_SCOPED | (Math.min(depth, MAX_FRAME_DEPTH) << DEPTH_SHIFT);
    }

    /**
     * Nanoseconds from the post to {@code now} (1 µs resolution, correct up to ~73 minutes), or -1 if the post was
     * not timed. Owner thread.
     */
    long queueWaitNanos(long now) {
        if ((state & STAMPED) == 0) {
            return -1L;
        }
        return Integer.toUnsignedLong((int) (now >> POSTED_AT_SHIFT) - postedAt) << POSTED_AT_SHIFT;
    }

    /** The class of the task; only before it runs (afterwards the payload is its result). Owner thread. */
    Class<?> taskClass() {
        Object task = payload;
        return task == null ? null : task.getClass();
    }

    static boolean isCall(int s) {
        return (s & CALL) != 0;
    }

    /** PENDING→EXECUTING at the level the owner found it at; fails if it was aborted or moved meanwhile. */
    boolean tryStart(int observedState) {
        return STATE.compareAndSet(this, observedState, observedState | EXECUTING);
    }

    /**
     * Runs the task (state is EXECUTING) and publishes COMPLETED. Returns the exception it threw, or null; a POST's
     * exception is for the caller to hand to the unhandled-exception events.
     */
    Throwable execute() {
        Object task = payload;
        Object result = null;
        int outcome = COMPLETED;
        try {
            if (task instanceof Runnable) {
                ((Runnable) task).run();
            } else {
                @SuppressWarnings("unchecked")
                Callable<Object> c = (Callable<Object>) task;
                result = c.call();
            }
        } catch (Throwable t) {
            result = t;
            outcome = COMPLETED | FAILED;
        }
        complete(result, outcome);
        return (outcome & FAILED) != 0 ? (Throwable) result : null;
    }

    /** Ends an EXECUTING operation that is being unwound by an exception escaping the dispatcher loop. */
    void completeExceptionally(Throwable t) {
        if ((state & STATUS_MASK) == EXECUTING) {
            complete(t, COMPLETED | FAILED);
        }
    }

    private void complete(Object result, int outcome) {
        // Counted before the completion is published: whoever sees it done sees it counted.
        dispatcher.counters.completed((outcome & FAILED) != 0);
        payload = result;
        int s = state;
        state = (s & ~STATUS_MASK) | outcome; // volatile: publishes payload
        deliver(null);
    }

    boolean isPost() {
        return (state & POST) != 0;
    }

    /** The exception a COMPLETED operation threw, or null. */
    Throwable failure() {
        int s = state;
        return (s & STATUS_MASK) == COMPLETED && (s & FAILED) != 0 ? (Throwable) payload : null;
    }

    /** The result of a COMPLETED operation that did not throw. */
    @SuppressWarnings("unchecked")
    T result() {
        return (T) payload;
    }

    // --- completion delivery -------------------------------------------------------------------------------

    private void deliver(String abortReason) {
        Extras<T> x = extras;
        if (x != null) {
            x.fire(this, abortReason);
        }
        dispatcher.ended(this);
    }

    private Extras<T> extras() {
        Extras<T> x = extras;
        if (x == null) {
            Extras<T> created = new Extras<>(this);
            x = EXTRAS.compareAndExchange(this, null, created) == null ? created : extras;
            if (isDone()) {
                x.fire(this, "aborted");
            }
        }
        return x;
    }

    private T report() throws ExecutionException {
        int s = state;
        if ((s & STATUS_MASK) == ABORTED) {
            throw new OperationAbortedException("the operation was aborted: " + this);
        }
        if ((s & FAILED) != 0) {
            throw new ExecutionException((Throwable) payload);
        }
        return result();
    }

    private void awaitDone(long timeoutNanos) {
        if (isDone()) {
            return;
        }
        try {
            dispatcher.waits.awaitOperation(this, timeoutNanos, Waits.OnInterrupt.KEEP);
        } catch (InterruptedException e) {
            throw new AssertionError(e); // not thrown under KEEP
        }
    }

    private void awaitInterruptibly(long timeoutNanos) throws InterruptedException {
        dispatcher.waits.awaitOperation(this, timeoutNanos, Waits.OnInterrupt.THROW);
    }

    /** The parts of an operation that only some callers need: created on first use. */
    private static final class Extras<T> {
        final OperationFuture<T> future;
        private List<Runnable> completedListeners;
        private List<Runnable> abortedListeners;
        private boolean fired;

        Extras(DispatcherOperation<T> op) {
            future = new OperationFuture<>(op);
        }

        void addListener(Runnable listener, boolean completed) {
            DispatcherOperation<T> op = future.operation;
            synchronized (this) {
                if (!fired) {
                    if (completed) {
                        (completedListeners == null ? completedListeners = new ArrayList<>(2) : completedListeners)
                                .add(listener);
                    } else {
                        (abortedListeners == null ? abortedListeners = new ArrayList<>(2) : abortedListeners)
                                .add(listener);
                    }
                    return;
                }
            }
            int status = op.state & STATUS_MASK;
            if (status == (completed ? COMPLETED : ABORTED)) {
                runListener(listener);
            }
        }

        void fire(DispatcherOperation<T> op, String abortReason) {
            List<Runnable> toRun;
            synchronized (this) {
                if (fired) {
                    return;
                }
                fired = true;
                toRun = (op.state & STATUS_MASK) == COMPLETED ? completedListeners : abortedListeners;
                completedListeners = null;
                abortedListeners = null;
            }
            int s = op.state;
            if ((s & STATUS_MASK) == ABORTED) {
                future.fail(new OperationAbortedException(
                        "the operation was " + (abortReason == null ? "aborted" : abortReason) + ": " + op));
            } else if ((s & FAILED) != 0) {
                future.fail((Throwable) op.payload);
            } else {
                future.succeed(op.result());
            }
            if (toRun != null) {
                for (Runnable r : toRun) {
                    runListener(r);
                }
            }
        }

        private static void runListener(Runnable r) {
            try {
                r.run();
            } catch (Throwable t) {
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, t);
            }
        }
    }

    /** The future view: read-only from outside, cancel means abort. */
    private static final class OperationFuture<T> extends ReadOnlyFuture<T> {
        final DispatcherOperation<T> operation;

        OperationFuture(DispatcherOperation<T> operation) {
            this.operation = operation;
        }

        @Override
        String completesWhen() {
            return "the future of a DispatcherOperation completes when it ends";
        }

        // A blocking get or join on a dispatcher thread is a wait under WaitPolicy.NONE: the deadlock diagnosis sees
        // it, so the classic mistake (the owner thread blocking on the future of its own queued operation) throws a
        // DispatcherDeadlockException instead of hanging. Elsewhere they are CompletableFuture's own waits.

        @Override
        public T get() throws InterruptedException, ExecutionException {
            Waits.blockOnFutureView(operation, -1L, Waits.OnInterrupt.THROW);
            return super.get();
        }

        @Override
        public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            Objects.requireNonNull(unit, "unit");
            if (Waits.blockOnFutureView(operation, Math.max(0L, unit.toNanos(timeout)), Waits.OnInterrupt.THROW)) {
                // It waited, or the operation had ended. An ended operation completes this future right after it
                // publishes its status, possibly a moment from now: wait for that, within the caller's timeout. An
                // operation still running means the time is up.
                return operation.isDone() ? super.get(timeout, unit) : super.get(0L, TimeUnit.NANOSECONDS);
            }
            return super.get(timeout, unit);
        }

        @Override
        public T join() {
            try {
                Waits.blockOnFutureView(operation, -1L, Waits.OnInterrupt.KEEP);
            } catch (InterruptedException e) {
                throw new AssertionError(e); // not thrown under KEEP
            }
            return super.join();
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            operation.abort();
            return operation.isCancelled();
        }
    }
}
