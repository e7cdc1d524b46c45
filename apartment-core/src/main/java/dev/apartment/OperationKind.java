package dev.apartment;

/**
 * Whether an operation is a <em>call</em> or a <em>message</em>: COM's distinction between incoming calls and
 * window messages, which lets a wait dispatch the calls it depends on without running unrelated work.
 */
public enum OperationKind {
    /**
     * A cross-thread synchronous {@link Dispatcher#invoke(java.util.concurrent.Callable) invoke}, or a completion
     * delivered to the thread that asked for it through {@link Dispatcher#callbacks()}.
     */
    CALL,
    /** Everything else: posts, input, render work, timer ticks. */
    MESSAGE
}
