package dev.apartment;

/**
 * What a wait on a dispatcher thread may dispatch while it waits: COM's distinction between incoming calls and
 * window messages ({@code CoWaitForMultipleHandles} with or without {@code COWAIT_DISPATCH_WINDOW_MESSAGES}).
 *
 * <p>Whatever the policy, priorities still order what the wait runs, and what it holds back runs afterwards in its
 * normal order. Under {@link #CALLS} and {@link #CALLS_AND_MESSAGES} the operations of this dispatcher that the
 * wait is for run too, whatever their kind, so waiting on your own queue does not deadlock. While
 * {@linkplain Dispatcher#disableProcessing() processing is disabled} every wait behaves as {@link #NONE}.
 *
 * @see Dispatcher#waitFor(java.util.concurrent.Future, WaitPolicy)
 */
public enum WaitPolicy {
    /**
     * Dispatch {@linkplain OperationKind#CALL calls} only: synchronous invokes from other threads and completions
     * delivered through {@link Dispatcher#callbacks()}. Input, posts, render work and timers wait. The default for
     * an {@code invoke} from one dispatcher into another, and the safe choice for a synchronous wrapper around an
     * asynchronous API whose completion comes back on this thread.
     */
    CALLS,
    /**
     * Dispatch everything, like a nested frame (WPF's {@code DispatcherOperation.Wait}). Re-entrancy is the price:
     * any handler of this thread may run inside the wait.
     */
    CALLS_AND_MESSAGES,
    /**
     * Dispatch nothing: a plain blocking wait. A wait under {@code NONE} for something that needs this thread
     * cannot end; such cycles are diagnosed with a {@link DispatcherDeadlockException}.
     */
    NONE
}
