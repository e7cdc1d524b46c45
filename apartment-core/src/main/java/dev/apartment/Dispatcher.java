package dev.apartment;

import dev.apartment.internal.OperationQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * Owns one thread and runs prioritized operations on it, one at a time, each to completion: the WPF / COM
 * single-threaded apartment for the JVM.
 *
 * <pre>{@code
 * Dispatcher ui = Dispatcher.start("ui");                      // a new thread running the loop
 * ui.post(() -> label.setText("hello"));                        // fire and forget, NORMAL priority
 * int n = ui.invoke(() -> list.size());                         // synchronous, from any thread
 * DispatcherOperation<String> op = ui.invokeAsync(() -> label.text(), DispatcherPriority.BACKGROUND);
 * ui.invokeShutdown();
 * }</pre>
 *
 * <p>There is at most one dispatcher per thread: {@link #current()} creates the calling thread's on first use,
 * {@link #fromThread(Thread)} finds one, {@link #start(String)} makes a new thread running one. Operations run in
 * priority order, FIFO within a priority; {@link DispatcherPriority#INACTIVE} ones wait until raised or aborted.
 *
 * <h2>Threads</h2>
 * Posting, invoking, aborting, changing priorities, exiting frames and shutting down work from any thread.
 * {@link #run()}, {@link #pushFrame}, {@link #disableProcessing()} belong to the owner thread.
 *
 * <h2>Memory visibility</h2>
 * Everything a thread did before it posts or invokes an operation happens-before the operation runs; everything the
 * operation did happens-before its result is seen through its {@link DispatcherOperation} (status, result, future,
 * listeners) and before an {@code invoke} returns.
 */
public final class Dispatcher extends DispatcherInvoke {

    /*
     * Implementation notes. This class is the facade: the registry, the post path (enqueue, wake) and the public API,
     * which delegates to package-private collaborators that own their state (see apartment-core/ARCHITECTURE.md):
     * Selection (which operation runs next), Timers (the timer heap and ticks), Loop (frames, the built-in loop,
     * running one operation), ToolkitLoop (the loop driven by a DispatcherPump), Waits (invoke and every wait),
     * Shutdown (the lifecycle), Observers (hooks, watchdog), Tracing (Flight Recorder).
     *
     * The public API is written in three files, one concern each (Java's stand-in for a partial class): this one
     * (registry, access, posting, frames), DispatcherInvoke (invoke and the waits) and DispatcherLifecycle
     * (shutdown, listeners, unhandled exceptions, watchdog, hooks), its sealed package-private superclasses. The
     * fields of those two are final references to collaborators: after Pad1, so off the post side's line.
     *
     * Invariants and happens-before edges:
     *  - Foreign threads reach the owner only through the lock-free Inbox (posts and ControlNode requests).
     *  - Selection, Timers, Loop, frameDepth, executingLevel, processingDisabled and the shutdown bookkeeping other than its two
     *    volatile flags are owner-thread only: no locks, no volatiles.
     *  - No lost wake-up: the owner writes parked = true, then re-checks the inbox tail and its frame's exit conditions,
     *    then parks (Loop.idle); every foreign state change (post, control request, frame exit, abort, shutdown
     *    request) is written first and then reads parked (wake). With volatile accesses on both sides one of the two
     *    always sees the other.
     *  - A post racing with the end of shutdown: the owner sets shutdownFinished and then drains the inbox until
     *    Inbox.isEmpty() (not merely until a poll fails: a poster between its swap and its link would hide everything
     *    behind it); the poster pushes and then re-reads shutdownFinished and, if set, aborts its own operation. The
     *    abort CAS decides who ends it, so it ends ABORTED exactly once.
     *  - metrics(): posts count before their push (the first foreign poster in an array of its own, others in a
     *    LongAdder per level); the owner counts what it starts, completes and pushes with single-writer release
     *    stores, a completion before it is published; the winner of an abort or priority-change CAS counts that
     *    transition (DispatcherCounters).
     *  - Toolkit pumps: the signal coalescing and the shutdown handshake with signallers are stated in ToolkitLoop.
     *  - Selection is exact: an operation whose post returned before the owner picks the next one is considered
     *    (Selection.next); the lane summary of the Inbox tells the owner when it must look further into the inbox
     *    than its lanes.
     */

    // =========================================================================================================
    // Constants and fields. Who reads and writes each field is said beside it; the fields every post reads
    // (thread, inbox, parked, shutdownFinished, hooks, pump, counters) are in DispatcherLayout.PostSide, a cache line
    // of their own, and the owner's per-operation fields below sit at least a line away (DispatcherLayoutTest).
    // =========================================================================================================

    /** 50 µs: long enough to catch the next post of a busy producer, short enough to cost nothing when idle. */
    private static final long DEFAULT_IDLE_SPIN_NANOS = 50_000L;
    static final DispatcherHooks[] NO_HOOKS = {};

    private static final ThreadLocal<Dispatcher> CURRENT = new ThreadLocal<>();
    /** Weak both ways: the thread's own ThreadLocal is what keeps a dispatcher alive. */
    private static final Map<Thread, WeakReference<Dispatcher>> BY_THREAD =
            Collections.synchronizedMap(new WeakHashMap<>());
    /** CAS on {@code parked}: the producer that clears it unparks the owner. */
    private static final VarHandle PARKED;

    static {
        try {
            PARKED = MethodHandles.lookup().findVarHandle(DispatcherLayout.PostSide.class, "parked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // --- owner thread only, written for every operation or frame (kept a line away from the post side) ---------
    /** How many frames run on the owner thread now (0: the loop is not running). */
    int frameDepth;
    /** The level of the operation running now, or -1 (the sync context's priority). */
    int executingLevel = -1;
    /** How many {@link #disableProcessing()} holders are open. */
    int processingDisabled;

    // --- any thread -----------------------------------------------------------------------------------------------
    /**
     * The innermost wait of the owner thread, or null: written by the owner when a wait begins and ends, read by
     * the deadlock checks of other waiting threads ({@link WaitGraph}).
     */
    volatile Wait currentWait;
    /** {@link #exitAllFrames()} was applied (owner writes, frames read): reset when the outermost frame returns. */
    volatile boolean exitAllRequested;
    /** See {@link #setIdleSpin}: written by any thread, read by the owner when idle and by blocked invokers. */
    volatile long idleSpinNanos = DEFAULT_IDLE_SPIN_NANOS;

    // --- collaborators, each owning its state (Waits, Shutdown, Observers: in the superclasses) ----------------------
    /** The heap of scheduled timers and their ticks (owner thread; before Selection, which keeps it). */
    final Timers timers = new Timers(this);
    /** Which operation runs next: lanes, held operations, control requests (owner thread). */
    final Selection selection = new Selection(this);
    /** Frames, the built-in loop and running one operation (owner thread). */
    final Loop loop = new Loop(this, selection);
    /** The loop of a dispatcher attached to a toolkit pump, or null for the built-in loop only. */
    final ToolkitLoop toolkit;

    // --- caches, racy but idempotent (all instances behave alike) -------------------------------------------------
    private final Executor[] executors = new Executor[OperationQueue.LEVELS];
    private final DispatcherSynchronizationContext[] contexts =
            new DispatcherSynchronizationContext[OperationQueue.LEVELS];
    private final Executor callbacks = this::postCallback;

    /** Registers it for {@link #fromThread}: after it is ready for posts (a pump's callback is in place). */
    private Dispatcher(Thread thread, DispatcherPump pump) {
        super(thread, pump);
        this.toolkit = pump == null ? null : new ToolkitLoop(this);
    }

    private Dispatcher register() {
        BY_THREAD.put(thread, new WeakReference<>(this));
        return this;
    }

    /**
     * Creates the dispatcher of a toolkit thread whose loop {@code pump} drives (see {@link DispatcherPump}). Call it
     * on that thread, once, before anything there calls {@link #current()}.
     *
     * @param pump the pump driving the calling thread's toolkit loop
     * @return the calling thread's new dispatcher
     * @throws WrongDispatcherException if the calling thread is not {@code pump.thread()}
     * @throws IllegalStateException    if the thread already has a dispatcher
     */
    public static Dispatcher attach(DispatcherPump pump) {
        Objects.requireNonNull(pump, "pump");
        Thread t = Objects.requireNonNull(pump.thread(), "pump.thread()");
        if (t != Thread.currentThread()) {
            throw new WrongDispatcherException("a pump's dispatcher", t, Thread.currentThread());
        }
        if (CURRENT.get() != null) {
            throw new IllegalStateException("thread '" + t.getName() + "' already has " + CURRENT.get());
        }
        Dispatcher d = new Dispatcher(t, pump);
        pump.attach(d.toolkit::pumpDispatch); // before anyone can find it and post: a signal needs the callback
        CURRENT.set(d);
        return d.register();
    }

    // --- Finding and making dispatchers ------------------------------------------------------------------------------

    /**
     * {@return the calling thread's dispatcher, created on first use} The loop does not run until someone calls
     * {@link #run()}.
     */
    public static Dispatcher current() {
        Dispatcher d = CURRENT.get();
        if (d == null) {
            d = new Dispatcher(Thread.currentThread(), null).register();
            CURRENT.set(d);
        }
        return d;
    }

    /**
     * {@return the dispatcher of {@code thread}, or null if it has none}
     *
     * @param thread any thread
     */
    public static Dispatcher fromThread(Thread thread) {
        Objects.requireNonNull(thread, "thread");
        if (thread == Thread.currentThread()) {
            return CURRENT.get();
        }
        WeakReference<Dispatcher> ref = BY_THREAD.get(thread);
        return ref == null ? null : ref.get();
    }

    /** The calling thread's dispatcher if it has one; never creates one. */
    static Dispatcher currentOrNull() {
        return CURRENT.get();
    }

    /**
     * Starts a new non-daemon thread named {@code name} whose dispatcher runs until it is shut down. The dispatcher
     * is returned at once and accepts posts right away. When its loop ends for any reason the dispatcher shuts down,
     * so no queued operation is stranded.
     *
     * @param name the new thread's name
     * @return the new thread's dispatcher
     */
    public static Dispatcher start(String name) {
        Objects.requireNonNull(name, "name");
        Dispatcher[] holder = new Dispatcher[1];
        Thread t = new Thread(() -> holder[0].ownThreadMain(), name);
        holder[0] = new Dispatcher(t, null).register();
        t.start();
        return holder[0];
    }

    private void ownThreadMain() {
        CURRENT.set(this);
        try {
            run();
        } finally {
            if (!shutdownFinished) {
                shutdown.start();
            }
        }
    }

    // --- Access ------------------------------------------------------------------------------------------------------

    /** {@return the owner thread} */
    public Thread thread() {
        return thread;
    }

    /** {@return true if the calling thread is the owner thread} */
    public boolean checkAccess() {
        return Thread.currentThread() == thread;
    }

    /**
     * Throws unless the calling thread is the owner thread.
     *
     * @throws WrongDispatcherException naming the owner and the calling thread
     */
    public void verifyAccess() {
        if (Thread.currentThread() != thread) {
            throw new WrongDispatcherException(toString(), thread, Thread.currentThread());
        }
    }

    // --- Posting -----------------------------------------------------------------------------------------------------

    /**
     * Queues {@code action} at {@link DispatcherPriority#NORMAL}; see {@link #post(Runnable, DispatcherPriority)}.
     *
     * @param action what to run on the owner thread
     * @return the operation, for aborting it or changing its priority
     */
    public DispatcherOperation<Void> post(Runnable action) {
        return post(action, DispatcherPriority.NORMAL);
    }

    /**
     * Queues {@code action} to run on the owner thread, fire-and-forget: if it throws, the exception goes to the
     * {@link #addUnhandledExceptionHandler unhandled-exception events}. Any thread. After shutdown, returns an
     * operation that is already ABORTED.
     *
     * @param action   what to run on the owner thread
     * @param priority the priority it runs at; not {@link DispatcherPriority#INVALID}
     * @return the operation, for aborting it or changing its priority
     * @throws IllegalArgumentException if {@code priority} is {@link DispatcherPriority#INVALID}
     */
    public DispatcherOperation<Void> post(Runnable action, DispatcherPriority priority) {
        Objects.requireNonNull(action, "action");
        DispatcherPriority.checkValid(priority, "priority");
        return enqueue(new DispatcherOperation<>(this, action, priority.value(), DispatcherOperation.POST));
    }

    /**
     * Queues {@code action} like {@link #post(Runnable, DispatcherPriority)}, bound to a frame: it does not run inside
     * any frame deeper than {@code scope} (a modal loop or a dispatching wait pushed meanwhile), and runs once those
     * have exited, in its posting order. Any thread.
     *
     * <pre>{@code
     * FrameScope here = dispatcher.currentFrameScope();          // on the dispatcher thread
     * dispatcher.post(() -> refresh(), DispatcherPriority.NORMAL, here);
     * showModalDialog();                                          // a nested frame: refresh() does not run in it
     * }</pre>
     *
     * <p>An operation bound to a frame cannot be waited for from inside a deeper frame of its own dispatcher: it
     * would run only after that wait returned.
     *
     * @param action   what to run on the owner thread
     * @param priority the priority it runs at; not {@link DispatcherPriority#INVALID}
     * @param scope    the frame it is bound to, from {@link #currentFrameScope()}
     * @return the operation, for aborting it or changing its priority
     * @throws IllegalArgumentException if {@code scope} belongs to another dispatcher, or the priority is INVALID
     * @see FrameScope
     */
    public DispatcherOperation<Void> post(Runnable action, DispatcherPriority priority, FrameScope scope) {
        Objects.requireNonNull(action, "action");
        DispatcherPriority.checkValid(priority, "priority");
        Objects.requireNonNull(scope, "scope");
        if (scope.dispatcher() != this) {
            throw new IllegalArgumentException(scope + " belongs to another dispatcher than " + this);
        }
        return enqueue(new DispatcherOperation<>(this, action, priority.value(),
                DispatcherOperation.POST | DispatcherOperation.frameScopeFlags(scope.depth())));
    }

    /**
     * {@return the frame running now on the owner thread, to bind posts to with {@link #post(Runnable,
     * DispatcherPriority, FrameScope)}} Before any loop runs it is the outermost frame.
     *
     * @throws WrongDispatcherException off the owner thread
     */
    public FrameScope currentFrameScope() {
        verifyAccess();
        return new FrameScope(this, frameDepth);
    }

    /**
     * Registers {@code action} to clean up after {@code object}, a thread-affine object of this dispatcher: when the
     * object becomes unreachable the action is posted here at {@link DispatcherPriority#BACKGROUND} and runs on the
     * owner thread (the JDK's cleaner thread only posts it, never runs it, never blocks). If the dispatcher has shut
     * down by then, the action is reported to {@link DispatcherHooks#cleanupDropped} instead. Any thread.
     *
     * <pre>{@code
     * long handle = nativeCreate();                        // must be destroyed on the thread that created it
     * Cleaner.Cleanable c = ui.registerCleanup(widget, () -> nativeDestroy(handle)); // not "widget" itself!
     * }</pre>
     *
     * <p>The action must not refer to {@code object}, or the object never becomes unreachable. Calling
     * {@code clean()} on the result posts the action now (at most once, from any thread); an exception from the
     * action goes to the unhandled-exception events like any post's.
     *
     * @param object the thread-affine object to clean up after
     * @param action the cleanup, run on the owner thread
     * @return the cleanable, whose {@code clean()} posts the action now
     */
    public java.lang.ref.Cleaner.Cleanable registerCleanup(Object object, Runnable action) {
        return registerCleanup(object, action, DispatcherPriority.BACKGROUND);
    }

    /**
     * {@link #registerCleanup(Object, Runnable)} at a chosen priority.
     *
     * @param object   the thread-affine object to clean up after
     * @param action   the cleanup, run on the owner thread
     * @param priority the priority the action is posted at; not {@link DispatcherPriority#INVALID}
     * @return the cleanable, whose {@code clean()} posts the action now
     */
    public java.lang.ref.Cleaner.Cleanable registerCleanup(Object object, Runnable action,
            DispatcherPriority priority) {
        return AffinityCleaner.register(this, object, action, priority);
    }

    void reportCleanupDropped(Runnable action) {
        Observers.cleanupDropped(this, action);
    }

    /**
     * {@link #post(Runnable, DispatcherPriority)} with a chosen kind: for library code inside this package that
     * delivers work which waits under {@link WaitPolicy#CALLS} must let in (event sources, completions).
     */
    DispatcherOperation<Void> post(Runnable action, DispatcherPriority priority, OperationKind kind) {
        Objects.requireNonNull(action, "action");
        DispatcherPriority.checkValid(priority, "priority");
        Objects.requireNonNull(kind, "kind");
        int flags = DispatcherOperation.POST | (kind == OperationKind.CALL ? DispatcherOperation.CALL : 0);
        return enqueue(new DispatcherOperation<>(this, action, priority.value(), flags));
    }

    /**
     * {@link #invokeAsync(Callable, DispatcherPriority)} at {@link DispatcherPriority#NORMAL}.
     *
     * @param <T>      the callable's result type
     * @param callable what to run on the owner thread
     * @return the operation, holding the result or exception
     */
    public <T> DispatcherOperation<T> invokeAsync(Callable<T> callable) {
        return invokeAsync(callable, DispatcherPriority.NORMAL);
    }

    /**
     * Queues {@code callable} and returns its operation at once. Its result or exception goes into the operation
     * (and its {@link DispatcherOperation#toCompletableFuture() future}), never to the unhandled-exception events.
     * Any thread; after shutdown, returns an operation that is already ABORTED.
     *
     * @param <T>      the callable's result type
     * @param callable what to run on the owner thread
     * @param priority the priority it runs at; not {@link DispatcherPriority#INVALID}
     * @return the operation, holding the result or exception
     */
    public <T> DispatcherOperation<T> invokeAsync(Callable<T> callable, DispatcherPriority priority) {
        Objects.requireNonNull(callable, "callable");
        DispatcherPriority.checkValid(priority, "priority");
        return enqueue(new DispatcherOperation<>(this, callable, priority.value(), 0));
    }

    /**
     * {@link #invokeAsync(Runnable, DispatcherPriority)} at {@link DispatcherPriority#NORMAL}.
     *
     * @param action what to run on the owner thread
     * @return the operation, holding the exception if the action throws
     */
    public DispatcherOperation<Void> invokeAsync(Runnable action) {
        return invokeAsync(action, DispatcherPriority.NORMAL);
    }

    /**
     * Like {@link #invokeAsync(Callable, DispatcherPriority)} for an action without a result.
     *
     * @param action   what to run on the owner thread
     * @param priority the priority it runs at; not {@link DispatcherPriority#INVALID}
     * @return the operation, holding the exception if the action throws
     */
    public DispatcherOperation<Void> invokeAsync(Runnable action, DispatcherPriority priority) {
        Objects.requireNonNull(action, "action");
        DispatcherPriority.checkValid(priority, "priority");
        return enqueue(new DispatcherOperation<>(this, action, priority.value(), 0));
    }

    /*
     * The post path, any thread; every public post, invoke and executor ends here:
     *  1. Count the post (before anything can end the operation).
     *  2. After shutdown: abort it, done.
     *  3. On the owner with an empty inbox: straight into the lanes (nothing in the inbox to overtake).
     *  4. Read the hooks, push onto the lock-free inbox; re-read shutdownFinished (a race with the final drain).
     *  5. Wake the owner if it may be parked (or signal the pump), then tell the hooks.
     * No lock, no allocation but the operation, one volatile read of parked when the owner is busy.
     */
    <T> DispatcherOperation<T> enqueue(DispatcherOperation<T> op) {
        Thread poster = Thread.currentThread();
        boolean onOwner = poster == thread;
        int level = DispatcherOperation.level(op.stateWord());
        if (onOwner) { // counted before anything can end it
            counters.postedByOwner(level);
        } else {
            counters.postedByForeign(level, poster);
        }
        if (shutdownFinished) {
            op.abort(shutdown.abortReason());
            return op;
        }
        if (onOwner && inbox.isEmpty()) {
            // A self-post may skip the inbox only while it holds nothing it could overtake.
            enqueueOwnerSide(op);
            return op;
        }
        // Hooks are read before the push: a hook added by the operation itself (or anything after it was
        // posted) must not hear of a post that happened before it was added.
        DispatcherHooks[] h = hooks;
        inbox.push(op, DispatcherOperation.lane(op.stateWord()));
        if (shutdownFinished) {
            op.abort(shutdown.abortReason()); // raced with the owner's final drain: whoever wins ends it
            return op;
        }
        wake();
        if (h.length != 0) {
            Observers.posted(h, op);
        }
        return op;
    }

    /** Queues an operation from the owner thread straight into its lane (an empty inbox's self-post, a timer tick). */
    void enqueueOwnerSide(DispatcherOperation<?> op) {
        int s = op.stateWord();
        selection.queue.add(op, DispatcherOperation.level(s), DispatcherOperation.isCall(s));
        if (pump != null) {
            // The code posting may be a toolkit event handler with no dispatch turn around it, or an operation about
            // to open a modal dialog: either way only a signal brings the next turn.
            toolkit.signalPump();
        }
        Observers.posted(hooks, op);
    }

    private void postCallback(Runnable completion) {
        Objects.requireNonNull(completion, "completion");
        rejectIfAborted(enqueue(new DispatcherOperation<>(this, completion, DispatcherPriority.NORMAL.value(),
                DispatcherOperation.POST | DispatcherOperation.CALL)));
    }

    /**
     * The executors cannot hand back an operation, so a task posted after shutdown is refused the way executors
     * refuse work: a {@code CompletableFuture} stage running on them then completes exceptionally instead of never.
     */
    private void rejectIfAborted(DispatcherOperation<?> op) {
        if (op.isCancelled()) {
            throw new java.util.concurrent.RejectedExecutionException(this + " has shut down: the task cannot run");
        }
    }

    /**
     * {@return an executor that posts its tasks at {@code priority}} Tasks that throw go to the unhandled-exception
     * events. After shutdown it throws {@link java.util.concurrent.RejectedExecutionException}; a task queued when
     * shutdown came is aborted with the rest of the queue.
     *
     * @param priority the priority its tasks run at; not {@link DispatcherPriority#INVALID}
     */
    public Executor executor(DispatcherPriority priority) {
        DispatcherPriority.checkValid(priority, "priority");
        int level = priority.value();
        Executor e = executors[level];
        if (e == null) {
            e = task -> rejectIfAborted(post(task, priority));
            executors[level] = e; // racy but idempotent: all instances behave alike
        }
        return e;
    }

    /**
     * {@return the executor through which components deliver completions back to this dispatcher's thread} Its
     * tasks are {@link OperationKind#CALL calls} at {@link DispatcherPriority#NORMAL}, so a wait that dispatches only
     * calls still lets them in. Tasks that throw go to the unhandled-exception events. After shutdown it throws
     * {@link java.util.concurrent.RejectedExecutionException}, so a component learns that its completion cannot be
     * delivered (and a {@code CompletableFuture} stage run on it fails instead of never completing).
     */
    public Executor callbacks() {
        return callbacks;
    }

    /**
     * A stage that completes on the owner thread once the queue has run everything of a higher priority: the way to
     * split long work into chunks so input stays responsive. {@code dispatcher.yield(BACKGROUND).thenRun(next)}
     * runs {@code next} on the owner thread.
     *
     * @param priority the priority whose turn the stage waits for; not {@link DispatcherPriority#INVALID}
     * @return the stage, completed on the owner thread
     */
    public CompletionStage<Void> yield(DispatcherPriority priority) {
        DispatcherPriority.checkValid(priority, "priority");
        CompletableFuture<Void> f = this.<Void>invokeAsync(() -> null, priority).toCompletableFuture();
        return f.minimalCompletionStage();
    }

    /**
     * {@link #yield(DispatcherPriority)} at {@link DispatcherPriority#BACKGROUND}.
     *
     * @return the stage, completed on the owner thread
     */
    public CompletionStage<Void> yield() {
        return this.yield(DispatcherPriority.BACKGROUND);
    }

    // --- Frames ------------------------------------------------------------------------------------------------------

    /**
     * Runs the loop in the outermost frame until shutdown (or {@link #exitAllFrames()}). Owner thread only. An
     * exception that no unhandled-exception handler handles leaves this method after the dispatcher shut down.
     *
     * @throws WrongDispatcherException    off the owner thread
     * @throws DispatcherShutdownException if the dispatcher has shut down
     * @throws IllegalStateException       while processing is disabled
     */
    public void run() {
        pushFrame(new DispatcherFrame(true));
    }

    /**
     * Runs a nested loop until {@code frame} stops. Owner thread only.
     *
     * @param frame the frame to run
     * @throws WrongDispatcherException    off the owner thread
     * @throws DispatcherShutdownException if the dispatcher has shut down
     * @throws IllegalStateException       while processing is disabled
     */
    public void pushFrame(DispatcherFrame frame) {
        Objects.requireNonNull(frame, "frame");
        verifyAccess();
        waits.checkCanPump("pushFrame");
        loop.pushFrame(frame, OperationQueue.ALL_RUNNABLE);
    }

    /**
     * Asks every frame now running that was created with exit-when-requested to stop; they do as soon as the
     * operation now running returns. Frames pushed later are not affected. Any thread (from another thread the
     * request is applied before the owner picks its next operation).
     */
    public void exitAllFrames() {
        runOnOwner(() -> {
            if (frameDepth > 0) {
                exitAllRequested = true; // reset when the outermost frame returns
            }
        });
    }

    boolean isExitRequested() {
        return exitAllRequested || shutdown.started;
    }

    /** Wakes the owner thread if it may be parked. Any thread. */
    void wake() {
        if (parked && PARKED.compareAndSet(this, true, false)) {
            LockSupport.unpark(thread);
        } else if (pump != null) {
            toolkit.signalPump();
        }
    }

    /**
     * How long the owner thread spins, when it runs out of work, before it parks (default 50 µs); a thread blocked
     * in {@link #invoke} on this dispatcher spins as long before it blocks. Spinning lets a post that arrives soon
     * after be picked up without park/unpark on both sides, which is most of the latency of a round trip;
     * {@link Duration#ZERO} parks at once, for machines where a busy core is not acceptable. Any thread.
     *
     * @param spin how long to spin; {@link Duration#ZERO} for none
     * @throws IllegalArgumentException if {@code spin} is negative
     */
    public void setIdleSpin(Duration spin) {
        idleSpinNanos = Deadlines.toNanos(spin, "spin");
    }

    /** {@return the idle spin; see {@link #setIdleSpin(Duration)}} */
    public Duration idleSpin() {
        return Duration.ofNanos(idleSpinNanos);
    }

    /**
     * {@return a snapshot of this dispatcher's counters and of its queue depth per priority} Any thread, at any time,
     * also while the owner thread is stuck in a long operation (which is when the depth matters most).
     *
     * <pre>{@code
     * DispatcherMetrics m = ui.metrics();
     * gauge("ui.queue.input", m.queueDepth(DispatcherPriority.INPUT));
     * counter("ui.operations", m.completed());
     * }</pre>
     */
    public DispatcherMetrics metrics() {
        return counters.snapshot();
    }

    // --- Processing disabled -----------------------------------------------------------------------------------------

    /**
     * Disables processing until the returned holder is closed: meanwhile {@link #pushFrame}, owner-thread invokes
     * that need a nested loop and owner-thread waits throw {@link IllegalStateException}. Posting still works.
     * Owner thread only.
     *
     * <pre>{@code
     * try (var off = dispatcher.disableProcessing()) {
     *     model.update();   // nothing can re-enter here through a nested loop
     * }
     * }</pre>
     *
     * @return the holder; closing it enables processing again
     */
    public DispatcherProcessingDisabled disableProcessing() {
        verifyAccess();
        processingDisabled++;
        return new DispatcherProcessingDisabled(this);
    }

    void enableProcessing() {
        processingDisabled--;
    }

    // --- Control requests and operation callbacks --------------------------------------------------------------------

    void priorityChanged(DispatcherOperation<?> op, DispatcherPriority previous) {
        int lane = DispatcherOperation.lane(op.stateWord());
        if (Thread.currentThread() == thread) {
            if (OperationQueue.isInLane(op)) {
                selection.queue.move(op, DispatcherOperation.level(op.stateWord()));
            } else {
                inbox.markLane(lane); // still in the inbox: let the owner know a node of this level may be there
            }
        } else if (!shutdownFinished) {
            inbox.push(new ControlNode(ControlNode.RELOCATE, op, null), ControlNode.LANE);
            wake();
        }
        Observers.priorityChanged(hooks, op, previous);
    }

    void aborted(DispatcherOperation<?> op, int level) {
        counters.aborted(level);
        if (Thread.currentThread() == thread) {
            selection.queue.remove(op);
        } else if (level == DispatcherPriority.INACTIVE.value() && !shutdownFinished) {
            inbox.push(new ControlNode(ControlNode.UNLINK, op, null), ControlNode.LANE); // INACTIVE lanes are never reached
        }
        wake(); // an owner-thread wait for this operation must notice
    }

    void ended(DispatcherOperation<?> op) {
        DispatcherHooks[] h = hooks;
        if (h.length != 0) {
            Observers.ended(h, op);
        }
    }

    /** True while the owner thread is inside {@link #run()} or a nested frame. Owner thread only. */
    boolean isRunning() {
        return frameDepth > 0;
    }

    /** The level of the operation now running on the owner thread, or -1 when none is. Owner thread only. */
    int executingLevel() {
        return executingLevel;
    }

    /** Runs {@code action} on the owner thread: now if called there, else before the next operation is picked. */
    void runOnOwner(Runnable action) {
        if (Thread.currentThread() == thread) {
            action.run();
        } else if (!shutdownFinished) {
            inbox.push(new ControlNode(ControlNode.RUN, null, action), ControlNode.LANE);
            wake();
        }
    }

    // --- Synchronization context -------------------------------------------------------------------------------------

    /**
     * {@return the synchronization context that posts to this dispatcher at {@code priority}}
     *
     * @param priority the priority its posts run at; not {@link DispatcherPriority#INVALID}
     */
    public SynchronizationContext synchronizationContext(DispatcherPriority priority) {
        DispatcherPriority.checkValid(priority, "priority");
        int level = priority.value();
        DispatcherSynchronizationContext c = contexts[level];
        if (c == null) {
            c = new DispatcherSynchronizationContext(this, priority);
            contexts[level] = c; // racy but idempotent
        }
        return c;
    }

    @Override
    public String toString() {
        return "Dispatcher[" + thread.getName() + "]";
    }
}
