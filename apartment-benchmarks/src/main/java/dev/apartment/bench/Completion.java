package dev.apartment.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * How every benchmark waits for the loop: the loop thread calls {@link #signal()}, one waiting thread calls
 * {@link #await(long)}. The waiter spins for up to 50 µs ({@code -Dbench.spinNanos=N} to change it), then parks until
 * signalled. Every peer is waited for in exactly this way, so the wait adds the same cost to each. A round trip
 * longer than the spin includes the waiter's own park and unpark.
 *
 * <p>No lost signal: {@code signal} writes {@code done} then reads {@code waiter}; {@code await} writes
 * {@code waiter} then reads {@code done}. Both volatile, so at least one sees the other. A stale unpark left over
 * from an earlier round only makes one park return early; the loop re-checks {@code done}.
 */
public final class Completion {
    /** How long a waiter spins before it parks, in nanoseconds: {@code -Dbench.spinNanos}, default 50,000. */
    public static final long SPIN_NANOS = Long.getLong("bench.spinNanos", 50_000L);

    private volatile boolean done;
    private volatile Thread waiter;

    /** Arms the completion for the next round. Waiter thread, before it posts the work it will wait for. */
    public void reset() {
        done = false;
    }

    /** Marks the round done and wakes the waiter. Loop thread. */
    public void signal() {
        done = true;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    public boolean isDone() {
        return done;
    }

    /** Waits until {@link #signal()} or until {@code timeoutNanos} passed. Returns true if signalled. */
    public boolean await(long timeoutNanos) {
        if (done) {
            return true;
        }
        long start = System.nanoTime();
        int spins = 0;
        while (!done) {
            Thread.onSpinWait();
            if ((++spins & 63) == 0 && System.nanoTime() - start > SPIN_NANOS) {
                break;
            }
        }
        if (done) {
            return true;
        }
        waiter = Thread.currentThread();
        try {
            while (!done) {
                long left = timeoutNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        } finally {
            waiter = null;
        }
    }
}
