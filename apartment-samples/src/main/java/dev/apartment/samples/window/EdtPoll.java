package dev.apartment.samples.window;

import dev.apartment.Dispatcher;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Waiting, off the EDT, until the window reaches a state: reads it on the EDT with {@code ui.invoke} until the
 * condition holds, for a bounded time. The reads are what synchronize; the short pause between two of them only
 * keeps the poll from flooding the EDT.
 */
public final class EdtPoll {
    private static final long PAUSE_NANOS = 5_000_000L;

    private EdtPoll() {
    }

    /**
     * Reads {@code state} on {@code ui}'s thread until {@code done} accepts it, and returns that value.
     *
     * @throws IllegalStateException naming {@code what} and the last value read, if {@code limit} passes first
     */
    public static <T> T until(Dispatcher ui, Callable<T> state, Predicate<? super T> done, Duration limit,
            String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        T value;
        for (;;) {
            value = ui.invoke(state);
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + limit.toMillis()
                        + " ms; last seen: " + value);
            }
            LockSupport.parkNanos(PAUSE_NANOS);
        }
    }
}
