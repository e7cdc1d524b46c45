package dev.apartment;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A reentrant mutual-exclusion {@link Lock} whose blocking acquire on a dispatcher thread dispatches
 * {@linkplain OperationKind#CALL calls} while it waits, like a lock taken on a CLR single-threaded-apartment thread.
 *
 * <p>The classic deadlock it prevents: a worker holds the lock and synchronously invokes into the dispatcher
 * thread, which is blocked acquiring the same lock. With a plain lock neither moves; with this one the dispatcher
 * thread runs the worker's call while it waits, the worker finishes and unlocks, and the dispatcher thread gets the
 * lock.
 *
 * <pre>{@code
 * PumpingLock lock = new PumpingLock();
 * // worker:                                  // dispatcher thread:
 * lock.lock();                                lock.lock();     // runs the worker's invoke while it waits
 * try { ui.invoke(() -> label.set(text)); }   try { model.update(); }
 * finally { lock.unlock(); }                  finally { lock.unlock(); }
 * }</pre>
 *
 * <p>Only calls are dispatched (input and posts wait, as under {@link WaitPolicy#CALLS}), so the code that runs
 * during the wait is code that was waiting on this thread anyway. While processing is disabled, on a dispatcher
 * that is shutting down and on other threads the acquire blocks like {@link ReentrantLock}'s. Waits on a
 * {@link #newCondition() condition} do not dispatch. Lock cycles are not part of the deadlock diagnosis.
 *
 * <p>Threads: the lock itself is a {@link ReentrantLock}. A dispatcher thread that waits registers its dispatcher
 * in {@code pumping} before it tries the lock in its loop; {@link #unlock()} releases the lock before it wakes the
 * registered dispatchers. Each side writes first and then reads what the other wrote, so a release is never missed.
 */
public final class PumpingLock implements Lock {

    private final ReentrantLock lock;
    private final ConcurrentLinkedQueue<Dispatcher> pumping = new ConcurrentLinkedQueue<>();

    /** A non-fair lock. */
    public PumpingLock() {
        this(false);
    }

    /** @param fair whether the underlying {@link ReentrantLock} is fair */
    public PumpingLock(boolean fair) {
        lock = new ReentrantLock(fair);
    }

    @Override
    public void lock() {
        if (!lock.tryLock() && !pumpUninterruptibly()) {
            lock.lock();
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!lock.tryLock() && !pumpInterruptibly(Deadlines.NO_DEADLINE)) {
            lock.lockInterruptibly();
        }
    }

    @Override
    public boolean tryLock() {
        return lock.tryLock();
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (lock.tryLock()) {
            return true;
        }
        long nanos = Math.max(0L, unit.toNanos(time));
        Dispatcher d = pumpingDispatcher();
        if (d == null) {
            return lock.tryLock(nanos, TimeUnit.NANOSECONDS);
        }
        long deadline = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
        return pumpInterruptibly(deadline == Deadlines.NO_DEADLINE ? deadline + 1 : deadline)
                && lock.isHeldByCurrentThread();
    }

    @Override
    public void unlock() {
        lock.unlock();
        if (!lock.isHeldByCurrentThread()) {
            for (Dispatcher d : pumping) {
                d.wake();
            }
        }
    }

    /** Waits on a condition do not dispatch anything. */
    @Override
    public Condition newCondition() {
        return lock.newCondition();
    }

    /** {@return whether the calling thread holds the lock} */
    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** {@return whether some thread holds the lock} */
    public boolean isLocked() {
        return lock.isLocked();
    }

    @Override
    public String toString() {
        return "PumpingLock[" + (lock.isLocked() ? "locked" : "unlocked") + "]";
    }

    // --- waiting -------------------------------------------------------------------------------------------

    /** The calling thread's dispatcher if it may dispatch calls now, else null. */
    private static Dispatcher pumpingDispatcher() {
        Dispatcher d = Dispatcher.currentOrNull();
        return d == null || !d.waits.canPumpNow() ? null : d;
    }

    private boolean pumpInterruptibly(long deadline) throws InterruptedException {
        return pump(deadline, Waits.OnInterrupt.THROW);
    }

    private boolean pumpUninterruptibly() {
        try {
            return pump(Deadlines.NO_DEADLINE, Waits.OnInterrupt.KEEP);
        } catch (InterruptedException e) {
            throw new AssertionError(e); // not thrown under KEEP
        }
    }

    /**
     * Acquires the lock while the calling thread's dispatcher runs calls, if it can. Returns false if it cannot
     * dispatch (the caller then blocks plainly), true once the lock is held or the deadline passed.
     */
    private boolean pump(long deadline, Waits.OnInterrupt onInterrupt) throws InterruptedException {
        Dispatcher d = pumpingDispatcher();
        if (d == null) {
            return false;
        }
        boolean[] held = new boolean[1];
        pumping.add(d);
        try {
            d.waits.waitHereUntil("an acquire of " + this, WaitPolicy.CALLS,
                    () -> held[0] || (held[0] = lock.tryLock()), deadline, onInterrupt);
        } finally {
            pumping.remove(d);
        }
        if (!held[0] && deadline == Deadlines.NO_DEADLINE) {
            lock.lock(); // the dispatcher began to shut down during the wait: block like any lock
        }
        return true;
    }
}
