package dev.apartment;

import static dev.apartment.Deadlines.NO_DEADLINE;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;

/**
 * The part of {@link Dispatcher}'s public API whose calls block the caller until something is done: {@code invoke}
 * and the waits ({@code waitFor}, {@code waitForAll}, {@code waitForAny}). One of the three files of
 * {@code Dispatcher}: see {@link DispatcherLifecycle} for why it is written this way.
 *
 * <p>Everything here checks its arguments and delegates to {@link Waits}, which chooses how the calling thread
 * waits (a nested loop on the owner, a CALLS wait on another dispatcher's thread, a plain blocking wait elsewhere)
 * and unwraps the result; the numbered path of a wait is in {@code apartment-core/ARCHITECTURE.md}.
 */
abstract sealed class DispatcherInvoke extends DispatcherLifecycle permits Dispatcher {

    /** Invoke and every kind of wait. */
    final Waits waits;

    DispatcherInvoke(Thread thread, DispatcherPump pump) {
        super(thread, pump);
        this.waits = new Waits((Dispatcher) this); // sealed: Dispatcher is the only subclass
    }

    // --- Invoking ----------------------------------------------------------------------------------------------------

    /**
     * {@link #invoke(Callable, DispatcherPriority, Duration)} at {@link DispatcherPriority#SEND} without timeout.
     *
     * @param <T>      the callable's result type
     * @param callable what to run on the owner thread
     * @return the callable's result
     */
    public <T> T invoke(Callable<T> callable) {
        return invoke(callable, DispatcherPriority.SEND);
    }

    /**
     * {@link #invoke(Callable, DispatcherPriority, Duration)} without timeout.
     *
     * @param <T>      the callable's result type
     * @param callable what to run on the owner thread
     * @param priority the priority it runs at; not {@link DispatcherPriority#INVALID}
     * @return the callable's result
     */
    public <T> T invoke(Callable<T> callable, DispatcherPriority priority) {
        Objects.requireNonNull(callable, "callable");
        return waits.invokeImpl(callable, priority, NO_DEADLINE);
    }

    /**
     * Runs {@code callable} on the owner thread and returns its result, blocking the caller until it has run.
     *
     * <ul>
     *   <li>On the owner thread at {@link DispatcherPriority#SEND} it runs inline. At any other priority it is queued
     *       and the caller runs a nested loop until it is done, so it never deadlocks.</li>
     *   <li>From another thread it is queued as a {@link OperationKind#CALL call}. If that thread belongs to another
     *       dispatcher, it waits under {@link WaitPolicy#CALLS}: calls into it (an invoke back from this dispatcher,
     *       its {@link Dispatcher#callbacks()}) run during the wait, its messages wait, so any cycle of invokes among
     *       dispatchers completes. Any other thread simply blocks.</li>
     *   <li>{@code timeout} bounds the time until it <em>starts</em>: if it has not started by then it is aborted
     *       and {@link DispatcherTimeoutException} is thrown; if it has, invoke waits for its end.</li>
     * </ul>
     * An unchecked exception of the callable is rethrown as it is; a checked one is wrapped in a
     * {@link CompletionException}.
     *
     * @param <T>      the callable's result type
     * @param callable what to run on the owner thread
     * @param priority the priority it runs at; not {@link DispatcherPriority#INVALID}
     * @param timeout  the longest time until it starts
     * @return the callable's result
     * @throws OperationAbortedException   if the operation was aborted (e.g. the dispatcher shut down meanwhile, or a
     *                                     waiting caller was interrupted: its interrupt status is kept)
     * @throws DispatcherShutdownException if the dispatcher has shut down
     * @throws IllegalStateException       if the owner thread has processing disabled and a nested loop is needed
     * @throws DispatcherDeadlockException if the wait can never end (a dispatcher thread with processing disabled
     *                                     invoking into a dispatcher that invokes back, for instance)
     */
    public <T> T invoke(Callable<T> callable, DispatcherPriority priority, Duration timeout) {
        Objects.requireNonNull(callable, "callable");
        return waits.invokeImpl(callable, priority, Deadlines.after(Deadlines.toNanos(timeout, "timeout")));
    }

    /**
     * {@link #invoke(Runnable, DispatcherPriority, Duration)} at {@link DispatcherPriority#SEND} without timeout.
     *
     * @param action what to run on the owner thread
     */
    public void invoke(Runnable action) {
        invoke(action, DispatcherPriority.SEND);
    }

    /**
     * {@link #invoke(Runnable, DispatcherPriority, Duration)} without timeout.
     *
     * @param action   what to run on the owner thread
     * @param priority the priority it runs at; not {@link DispatcherPriority#INVALID}
     */
    public void invoke(Runnable action, DispatcherPriority priority) {
        Objects.requireNonNull(action, "action");
        waits.invokeImpl(action, priority, NO_DEADLINE);
    }

    /**
     * Like {@link #invoke(Callable, DispatcherPriority, Duration)} for an action without a result.
     *
     * @param action   what to run on the owner thread
     * @param priority the priority it runs at; not {@link DispatcherPriority#INVALID}
     * @param timeout  the longest time until it starts
     */
    public void invoke(Runnable action, DispatcherPriority priority, Duration timeout) {
        Objects.requireNonNull(action, "action");
        waits.invokeImpl(action, priority, Deadlines.after(Deadlines.toNanos(timeout, "timeout")));
    }

    // --- Waits -------------------------------------------------------------------------------------------------------

    /**
     * Waits until {@code future} is done and returns its result, dispatching what {@code policy} admits meanwhile:
     * the way to build a synchronous wrapper around an asynchronous API whose completion comes back on this thread.
     *
     * <pre>{@code
     * // on the dispatcher thread, inside any operation:
     * CompletableFuture<Page> loading = browser.loadAsync(url);   // completes through dispatcher.callbacks()
     * Page page = dispatcher.waitFor(loading, WaitPolicy.CALLS);   // the completion runs during the wait;
     *                                                              // input and posts wait until it returns
     * }</pre>
     *
     * <p>Which thread dispatches: on this dispatcher's owner thread, this dispatcher, in a nested loop that runs only
     * what the policy admits, plus the operations of this dispatcher among those waited for (except under
     * {@link WaitPolicy#NONE}); on the thread of another dispatcher, that dispatcher, the same way (a thread can only
     * dispatch its own queue); on any other thread this is a plain blocking wait. Operations the policy holds back
     * run afterwards, in their normal order. While processing is disabled the wait dispatches nothing.
     *
     * <p>A wait that can never end (for example under {@code NONE} for an operation only this thread could run, or
     * in a cycle of dispatcher threads waiting on each other where one of them dispatches nothing) throws
     * {@link DispatcherDeadlockException} within about a second, naming every thread and operation involved.
     * Diagnosis sees operations; a plain future completed by unknown code is assumed to complete.
     *
     * @param <T>    the future's result type
     * @param future what to wait for
     * @param policy what this thread dispatches meanwhile
     * @return the future's result
     * @throws java.util.concurrent.CancellationException if the future was cancelled (an aborted operation: an
     *     {@link OperationAbortedException}); also if the waiting thread was interrupted (its interrupt status is
     *     kept; the future is left alone)
     * @throws CompletionException if the future failed with a checked exception (its cause); unchecked ones are
     *     rethrown as they are
     * @throws DispatcherDeadlockException if the wait can never end
     * @throws DispatcherShutdownException if this thread's dispatcher shut down during a wait for one of its own
     *     operations
     * @throws IllegalStateException if the future is an operation executing on this thread (it would wait for
     *     itself)
     */
    public <T> T waitFor(Future<T> future, WaitPolicy policy) {
        Objects.requireNonNull(future, "future");
        waits.awaitFutures("waitFor", policy, new Future<?>[] {future}, Wait.Until.ALL, NO_DEADLINE);
        return Waits.resultOf(future);
    }

    /**
     * Waits until every one of {@code futures} is done, dispatching as {@link #waitFor(Future, WaitPolicy)} does.
     *
     * @param policy  what this thread dispatches meanwhile
     * @param timeout the longest time to wait
     * @param futures what to wait for
     * @return true if all are done, false if the timeout passed first (nothing is cancelled)
     */
    public boolean waitForAll(WaitPolicy policy, Duration timeout, Future<?>... futures) {
        return waits.awaitFutures("waitForAll", policy, Waits.checkFutures(futures), Wait.Until.ALL,
                Deadlines.after(Deadlines.toNanos(timeout, "timeout")));
    }

    /**
     * {@link #waitForAll(WaitPolicy, Duration, Future...)} without a timeout.
     *
     * @param policy  what this thread dispatches meanwhile
     * @param futures what to wait for
     */
    public void waitForAll(WaitPolicy policy, Future<?>... futures) {
        waits.awaitFutures("waitForAll", policy, Waits.checkFutures(futures), Wait.Until.ALL, NO_DEADLINE);
    }

    /**
     * Waits until at least one of {@code futures} is done, dispatching as {@link #waitFor(Future, WaitPolicy)} does.
     *
     * @param policy  what this thread dispatches meanwhile
     * @param timeout the longest time to wait
     * @param futures what to wait for
     * @return the index of the first done future in {@code futures}, or -1 if the timeout passed first
     * @throws IllegalArgumentException if {@code futures} is empty
     */
    public int waitForAny(WaitPolicy policy, Duration timeout, Future<?>... futures) {
        Future<?>[] fs = Waits.checkFutures(futures);
        if (!waits.awaitFutures("waitForAny", policy, fs, Wait.Until.ANY, Deadlines.after(Deadlines.toNanos(timeout, "timeout")))) {
            return -1;
        }
        return Waits.firstDone(fs);
    }

    /**
     * {@link #waitForAny(WaitPolicy, Duration, Future...)} without a timeout.
     *
     * @param policy  what this thread dispatches meanwhile
     * @param futures what to wait for
     * @return the index of the first done future in {@code futures}
     */
    public int waitForAny(WaitPolicy policy, Future<?>... futures) {
        Future<?>[] fs = Waits.checkFutures(futures);
        waits.awaitFutures("waitForAny", policy, fs, Wait.Until.ANY, NO_DEADLINE);
        return Waits.firstDone(fs);
    }
}
