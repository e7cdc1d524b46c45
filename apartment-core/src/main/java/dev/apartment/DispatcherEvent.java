package dev.apartment;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An event source owned by a {@link Dispatcher}: handlers run on the owner thread, one raise at a time, never
 * re-entrantly — WebView2's rule for its events.
 *
 * <pre>{@code
 * DispatcherEvent<NavigationStartingArgs> navigationStarting = new DispatcherEvent<>(ui);
 * navigationStarting.addHandler(args -> {
 *     Deferral deferral = args.getDeferral();        // NavigationStartingArgs extends DeferrableEventArgs
 *     askUserAsync(args.uri()).thenAccept(ok -> {
 *         args.setCancel(!ok);
 *         deferral.complete();                       // any thread
 *     });
 * });
 * navigationStarting.raise(new NavigationStartingArgs(uri))   // any thread; never blocks
 *         .thenAccept(args -> { if (!args.cancel()) navigate(uri); });  // on the owner thread
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>{@link #raise} posts one <em>delivery</em> operation (at the priority and of the kind given to the
 *       constructor). The delivery calls the handlers registered when it starts, in registration order.</li>
 *   <li><b>Serial.</b> While a handler of this source is on the owner thread's stack, a delivery of this source that
 *       is dispatched by a nested loop (the handler pushed a frame, or invoked at a priority below
 *       {@link DispatcherPriority#SEND}, which pumps) calls no handler: it joins a <em>backlog</em>. A delivery that
 *       runs while the backlog is not empty joins it too, so raise order is kept. When the outer handler returns,
 *       one continuation operation at a time delivers the backlog, oldest first. Other sources and any other work
 *       still run inside the nested loop.</li>
 *   <li><b>The stage.</b> The stage a raise returns completes normally, with the args, once every handler returned
 *       and every {@link Deferral} taken from the args ({@link DeferrableEventArgs}) completed. When handlers are
 *       the last to finish it completes inside the delivery; when a deferral is, it completes in a
 *       {@link OperationKind#CALL call} at {@link DispatcherPriority#NORMAL} (what {@link Dispatcher#callbacks()}
 *       posts), so it is on the owner thread either way and a wait under {@link WaitPolicy#CALLS} still receives
 *       it. Nothing ever blocks waiting for it.</li>
 *   <li><b>A handler that throws</b> ends its raise: the remaining handlers do not run, the stage completes
 *       exceptionally with that exception, and the exception leaves the delivery like any
 *       {@link Dispatcher#post post}'s, to the dispatcher's unhandled-exception events. Deferrals already taken stay
 *       usable but no longer matter.</li>
 *   <li><b>Shutdown.</b> Every stage completes. A raise whose delivery is aborted (pending at shutdown, or raised
 *       after it) completes exceptionally with the delivery's {@link OperationAbortedException} (a
 *       {@link java.util.concurrent.CancellationException}); so do raises in the backlog and raises still waiting
 *       for deferrals when the dispatcher shuts down: their normal completion promises the owner thread, which is
 *       gone. A deferral completed later is then accepted and changes nothing.</li>
 * </ul>
 *
 * <h2>Concurrency: invariants and happens-before edges</h2>
 * <ul>
 *   <li>{@code handlers} is a copy-on-write array behind a volatile field, written under {@code handlersLock} by
 *       {@link #addHandler}/{@link #removeHandler} from any thread and read once, without a lock, by each delivery
 *       when it starts: a handler added before {@code raise} was called is seen by that raise.</li>
 *   <li>Everything a thread did before {@code raise(args)} happens-before the handlers run (the dispatcher's post
 *       edge). Everything the handlers did, and everything a thread did before its {@link Deferral#complete()},
 *       happens-before the stage completes and its dependents run: the deferral count is an atomic, and the last
 *       decrement is followed by a post to the owner.</li>
 *   <li>{@code delivering}, {@code backlog}, {@code continuationPosted}, {@code deferred},
 *       {@code watchingShutdown} and the args' link to the running raise are owner-thread only: no locks, no
 *       volatiles. Every callback that touches them runs on the owner thread: deliveries, continuations, deferral
 *       completions, the shutdown-finished listener, and the continuation's abort (the owner posted it; only the
 *       owner's shutdown aborts it; a foreign abort is carried to the owner).</li>
 *   <li>A raise's stage is completed by whoever comes first: the owner (handlers and deferrals done, a handler
 *       threw, shutdown) or an aborting thread (the delivery or the completion post was aborted). A
 *       {@link CompletableFuture} completes once, so later attempts are no-ops.</li>
 *   <li>Backlog invariant: if the backlog is not empty and no handler of this source is on the stack, a
 *       continuation is posted (and not yet run); while the backlog or {@code deferred} is not empty, a
 *       shutdown-finished listener is registered, so neither can outlive the dispatcher.</li>
 * </ul>
 *
 * @param <A> the type of the event args; if it is a {@link DeferrableEventArgs}, handlers can take deferrals
 */
public final class DispatcherEvent<A> {

    @SuppressWarnings("rawtypes")
    private static final Consumer[] NO_HANDLERS = {};

    private final Dispatcher dispatcher;
    private final DispatcherPriority priority;
    private final OperationKind kind;
    private final Object handlersLock = new Object();
    @SuppressWarnings("unchecked")
    private volatile Consumer<? super A>[] handlers = NO_HANDLERS;
    /** One instance, so that it can be removed again from the dispatcher's listener list. */
    private final Runnable shutdownFinishedListener = this::dispatcherShutDown;

    // owner thread only
    private boolean delivering;
    private final ArrayDeque<Raise<A>> backlog = new ArrayDeque<>();
    private boolean continuationPosted;
    /** Raises whose handlers all returned and that wait for deferrals; identity semantics. */
    private final Set<Raise<A>> deferred = new LinkedHashSet<>();
    private boolean watchingShutdown;

    /**
     * An event source on {@code dispatcher} whose deliveries are {@link OperationKind#MESSAGE messages} at
     * {@link DispatcherPriority#NORMAL}, like posts.
     *
     * @param dispatcher the dispatcher whose thread runs the handlers
     * @throws NullPointerException if {@code dispatcher} is null
     */
    public DispatcherEvent(Dispatcher dispatcher) {
        this(dispatcher, DispatcherPriority.NORMAL, OperationKind.MESSAGE);
    }

    /**
     * An event source on {@code dispatcher} whose deliveries are operations of {@code kind} at {@code priority}. A
     * {@link OperationKind#CALL CALL} lets a wait under {@link WaitPolicy#CALLS} deliver the event: for completion
     * events that such a wait may depend on.
     *
     * @param dispatcher the dispatcher whose thread runs the handlers
     * @param priority   the priority of the deliveries; not {@link DispatcherPriority#INVALID}
     * @param kind       the kind of the deliveries
     * @throws NullPointerException     if an argument is null (the message names it)
     * @throws IllegalArgumentException if {@code priority} is {@link DispatcherPriority#INVALID}
     */
    public DispatcherEvent(Dispatcher dispatcher, DispatcherPriority priority, OperationKind kind) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.priority = DispatcherPriority.checkValid(priority, "priority");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** {@return the dispatcher whose thread runs the handlers} */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** {@return the priority of the deliveries} */
    public DispatcherPriority priority() {
        return priority;
    }

    /** {@return the kind of the deliveries} */
    public OperationKind kind() {
        return kind;
    }

    // =========================================================================================================
    // Handlers
    // =========================================================================================================

    /**
     * Adds {@code handler}; it runs on the owner thread for every raise whose delivery starts after this call
     * returned. The same handler may be added more than once and then runs once per registration. Any thread.
     *
     * @param handler the handler, given the args of each raise
     * @throws NullPointerException if {@code handler} is null
     */
    public void addHandler(Consumer<? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (handlersLock) {
            Consumer<? super A>[] old = handlers;
            Consumer<? super A>[] copy = Arrays.copyOf(old, old.length + 1);
            copy[old.length] = handler;
            handlers = copy;
        }
    }

    /**
     * Removes the most recent registration of {@code handler} (as .NET's {@code -=} does); raises whose delivery
     * starts after this call returned no longer call it through that registration. A delivery already running
     * keeps the handlers it started with. Any thread.
     *
     * @param handler the handler to remove
     * @return true if a registration was removed, false if {@code handler} was not registered
     */
    public boolean removeHandler(Consumer<? super A> handler) {
        synchronized (handlersLock) {
            Consumer<? super A>[] old = handlers;
            for (int i = old.length - 1; i >= 0; i--) {
                if (old[i] == handler) {
                    @SuppressWarnings("unchecked")
                    Consumer<? super A>[] copy = old.length == 1 ? NO_HANDLERS : Arrays.copyOf(old, old.length - 1);
                    System.arraycopy(old, i + 1, copy, i, old.length - i - 1);
                    handlers = copy;
                    return true;
                }
            }
            return false;
        }
    }

    /** {@return the number of handler registrations now} Any thread. */
    public int handlerCount() {
        return handlers.length;
    }

    // =========================================================================================================
    // Raising
    // =========================================================================================================

    /**
     * Raises the event with {@code args} (which may be null): posts a delivery and returns at once. Any thread,
     * including the owner (the handlers then run later, never inside this call).
     *
     * <p>The returned stage completes normally with {@code args} once every handler returned and every deferral
     * taken from {@code args} completed, on the owner thread; exceptionally with the exception of a handler that
     * threw; exceptionally with an {@link OperationAbortedException} if the dispatcher shut down before the raise
     * finished (or had shut down already: then the stage is complete when this method returns). It is read-only:
     * {@code toCompletableFuture()} returns a future whose {@code complete}, {@code completeExceptionally},
     * {@code obtrude*}, {@code completeAsync} and {@code cancel} throw {@link UnsupportedOperationException}.
     * Dependents added with the non-async methods run on the thread that completes it.
     *
     * @param args the args passed to every handler, or null
     * @return the stage of the raise, completed with {@code args}
     */
    public CompletionStage<A> raise(A args) {
        Raise<A> r = new Raise<>(this, args);
        DispatcherOperation<Void> delivery = dispatcher.post(() -> deliver(r), priority, kind);
        // A handler's exception completes the stage before it fails the operation, so only an abort lands here.
        delivery.toCompletableFuture().whenComplete((v, e) -> {
            if (e != null) {
                r.fail(e);
            }
        });
        return r.stage;
    }

    @Override
    public String toString() {
        return "DispatcherEvent[" + priority + ", " + kind + ", on " + dispatcher + "]";
    }

    // =========================================================================================================
    // Owner side
    // =========================================================================================================

    private void deliver(Raise<A> r) {
        if (delivering || !backlog.isEmpty()) {
            // Serial rule: a handler of ours is below us on the stack (we run in its nested loop), or earlier raises
            // are already waiting; either way this raise waits its turn.
            backlog.add(r);
            watchShutdown();
            if (!delivering) {
                postContinuationIfNeeded(); // already posted while the invariant holds; cheap insurance if not
            }
            return;
        }
        runHandlers(r);
    }

    /** The backlog continuation: one raise per operation, so other work interleaves as with direct deliveries. */
    private void deliverBacklog() {
        continuationPosted = false;
        if (delivering) {
            return; // cannot happen while the invariant holds; if it did, the outer handler's end reposts us
        }
        Raise<A> r = backlog.poll();
        if (r == null) {
            return; // failed at shutdown already
        }
        unwatchShutdownIfIdle(); // r is no longer held back; if it waits for deferrals, runHandlers watches again
        runHandlers(r);
    }

    private void runHandlers(Raise<A> r) {
        Consumer<? super A>[] hs = handlers;
        DeferrableEventArgs deferrable = r.args instanceof DeferrableEventArgs ? (DeferrableEventArgs) r.args : null;
        Raise<?> outerRaise = null;
        if (deferrable != null) {
            // Saved and restored: the same args object may be raised by another source inside a nested loop.
            outerRaise = deferrable.raising;
            deferrable.raising = r;
        }
        delivering = true;
        Throwable failure = null;
        try {
            for (Consumer<? super A> h : hs) {
                h.accept(r.args);
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            delivering = false;
            if (deferrable != null) {
                deferrable.raising = outerRaise;
            }
        }
        // Before the stage completes: dependents that run inline must find the backlog already moving.
        postContinuationIfNeeded();
        if (failure != null) {
            r.fail(failure);
            // to the unhandled-exception events, like any post
            throw UnhandledExceptions.<RuntimeException>rethrow(failure);
        }
        if (r.outstanding.decrementAndGet() == 0) {
            r.stage.succeed(r.args);
        } else {
            deferred.add(r);
            watchShutdown();
        }
    }

    private void postContinuationIfNeeded() {
        if (backlog.isEmpty() || continuationPosted) {
            return;
        }
        continuationPosted = true;
        DispatcherOperation<Void> c = dispatcher.post(this::deliverBacklog, priority, kind);
        c.toCompletableFuture().whenComplete((v, e) -> {
            if (c.isCancelled()) {
                if (dispatcher.checkAccess()) {
                    continuationAborted(e);
                } else {
                    // Only a third party holding the operation (a hook) can abort it elsewhere; if shutdown has
                    // finished meanwhile this is dropped, but the shutdown listener has then failed the backlog.
                    dispatcher.runOnOwner(() -> continuationAborted(e));
                }
            }
        });
    }

    /** Aborting the continuation aborts the raises it was to deliver: nothing else would ever deliver them. */
    private void continuationAborted(Throwable reason) {
        continuationPosted = false;
        Raise<A> r;
        while ((r = backlog.poll()) != null) {
            r.fail(reason);
        }
        unwatchShutdownIfIdle();
    }

    /** A completion post of the last deferral ran: the raise is finished, on the owner thread. */
    private void deferralsDone(Raise<A> r) {
        deferred.remove(r);
        unwatchShutdownIfIdle();
        r.stage.succeed(r.args);
    }

    private void watchShutdown() {
        if (!watchingShutdown) {
            watchingShutdown = true;
            dispatcher.addShutdownFinishedListener(shutdownFinishedListener);
        }
    }

    private void unwatchShutdownIfIdle() {
        if (watchingShutdown && backlog.isEmpty() && deferred.isEmpty()) {
            watchingShutdown = false;
            dispatcher.removeShutdownFinishedListener(shutdownFinishedListener);
        }
    }

    /**
     * Shutdown finished (owner thread, before queued operations are aborted): nothing will run here any more, so
     * the backlog and the raises waiting for deferrals can never finish on this thread.
     */
    private void dispatcherShutDown() {
        Raise<A> r;
        while ((r = backlog.poll()) != null) {
            r.fail(new OperationAbortedException(
                    "a raise of " + this + " was held back behind a running handler when " + dispatcher + " shut down"));
        }
        for (Raise<A> d : deferred) {
            d.fail(new OperationAbortedException(
                    "a raise of " + this + " was waiting for deferrals when " + dispatcher + " shut down"));
        }
        deferred.clear();
        unwatchShutdownIfIdle();
    }

    // =========================================================================================================
    // One raise
    // =========================================================================================================

    /**
     * The state of one raise: its args, its stage and how much still holds it — one for the handlers, plus one per
     * deferral not yet completed. Shared with {@link DeferrableEventArgs} and {@link Deferral}.
     */
    static final class Raise<A> {
        final DispatcherEvent<A> event;
        final A args;
        final RaiseFuture<A> stage = new RaiseFuture<>();
        /** Starts at 1 for the handlers, so that no deferral can finish the raise while they still run. */
        final AtomicInteger outstanding = new AtomicInteger(1);

        Raise(DispatcherEvent<A> event, A args) {
            this.event = event;
            this.args = args;
        }

        Dispatcher dispatcher() {
            return event.dispatcher;
        }

        /** Owner thread, while a handler runs (the count is at least 1, so the raise cannot finish meanwhile). */
        Deferral takeDeferral() {
            outstanding.incrementAndGet();
            return new Deferral(this);
        }

        /** Any thread, once per deferral. */
        void deferralCompleted() {
            if (outstanding.decrementAndGet() != 0 || stage.isDone()) {
                return;
            }
            // The last deferral: finish on the owner thread, as a CALL at NORMAL (what Dispatcher.callbacks() posts),
            // but through post so that an abort at shutdown is seen and the stage cannot be lost.
            DispatcherOperation<Void> done = event.dispatcher.post(() -> event.deferralsDone(this),
                    DispatcherPriority.NORMAL, OperationKind.CALL);
            done.toCompletableFuture().whenComplete((v, e) -> {
                if (e != null) {
                    fail(e);
                }
            });
        }

        void fail(Throwable t) {
            stage.fail(t);
        }
    }

    /** The stage of a raise: read-only from outside, so that only the raise decides when it is finished. */
    static final class RaiseFuture<A> extends ReadOnlyFuture<A> {

        @Override
        String completesWhen() {
            return "the stage of a DispatcherEvent raise completes when the raise has finished";
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            throw new UnsupportedOperationException(completesWhen());
        }
    }
}
