package dev.apartment.bench.peers;

import java.util.concurrent.Callable;

/**
 * One event loop under test: a single thread that runs posted tasks in order. Every peer is driven through this
 * interface only, so each benchmark does exactly the same work on each of them.
 *
 * <p>Lifecycle: {@link #start()} once, then any number of posts and invokes from any thread, then {@link #stop()},
 * which must leave no thread of the loop behind (or throw).
 */
public interface EventLoopAdapter {

    /** The short name used as the {@code peer} parameter of the benchmarks. */
    String name();

    /** Starts the loop thread (or attaches to the toolkit's). Returns when posts are accepted. */
    void start() throws Exception;

    /** Queues {@code task} to run on the loop thread: fire and forget. Any thread, including the loop's own. */
    void post(Runnable task);

    /** True if {@link #invoke} is supported: the peer has a synchronous "run it there and give me the result". */
    default boolean supportsInvoke() {
        return false;
    }

    /**
     * Runs {@code task} on the loop thread and returns its result, blocking the calling (foreign) thread until it has
     * run: the peer's own synchronous call (Apartment's {@code invoke}, AWT's {@code invokeAndWait}, an executor's
     * {@code submit().get()}, Netty's {@code submit().sync()}).
     */
    default <T> T invoke(Callable<T> task) throws Exception {
        throw new UnsupportedOperationException(name() + " has no synchronous invoke");
    }

    /** True on the loop thread. */
    boolean isLoopThread();

    /** Stops the loop and waits until its thread is gone. Throws if it does not end in time. */
    void stop() throws Exception;
}
