package dev.apartment;

import dev.apartment.internal.QueueNode;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The shutdown lifecycle of one dispatcher, as one state machine. Every transition runs on the owner thread; a
 * request from another thread is an operation that runs {@link #start()} there.
 *
 * <pre>
 *   RUNNING ──start()──▶ STARTING ──listeners done──▶ STARTED ──outermost frame returned──▶ FINISHED
 *                        started-listeners run;        {@code started} set:            finished-listeners run,
 *                        the dispatcher is still       frames that exit when asked     {@code shutdownFinished} set,
 *                        usable, nested start() is     unwind, waits stop              pump signals awaited, queue,
 *                        ignored                       dispatching                     held ops and timers aborted,
 *                                                                                       watchdog off, latch released
 * </pre>
 *
 * <p>The states are kept in three flags, each read where it matters: {@code starting} (owner only: STARTING or
 * later), {@code started} (volatile, any thread: STARTED or later) and the dispatcher's {@code shutdownFinished}
 * (volatile, on the post-side cache line because every post reads it: FINISHED). The last step is also the end of
 * the frame that was running when shutdown started: {@link #start()} finishes at once when no frame runs, otherwise
 * {@code Loop.pushFrame} calls it again as the outermost frame returns.
 *
 * <p>Happens-before with posts racing the end: see the class comment of {@link Dispatcher} (the flag is set before
 * the final drain; a poster re-reads it after its push and aborts its own operation if set).
 */
final class Shutdown {
    private final Dispatcher d;
    final CopyOnWriteArrayList<Runnable> startedListeners = new CopyOnWriteArrayList<>();
    final CopyOnWriteArrayList<Runnable> finishedListeners = new CopyOnWriteArrayList<>();
    /** Released when FINISHED: what {@link Dispatcher#awaitShutdown} waits for. */
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** STARTING or later (owner only): the started-listeners have been called, or are being called. */
    private boolean starting;
    /** STARTED or later (any thread). */
    volatile boolean started;

    Shutdown(Dispatcher d) {
        this.d = d;
    }

    /**
     * {@link Dispatcher#invokeShutdown()}: starts at once on the owner thread; from another thread runs
     * {@link #start()} there as a call at SEND (so a CALLS wait lets it in) and returns when it has run. Any thread.
     */
    void request() {
        if (Thread.currentThread() == d.thread) {
            start();
            return;
        }
        if (started) {
            return;
        }
        d.enqueue(new DispatcherOperation<>(d, (Runnable) this::start, DispatcherPriority.SEND.value(),
                DispatcherOperation.CALL)).await();
    }

    /** {@link Dispatcher#beginInvokeShutdown}: queues {@link #start()} at {@code level} and returns. Any thread. */
    void requestAt(int level) {
        d.enqueue(new DispatcherOperation<>(d, (Runnable) this::start, level, 0));
    }

    /**
     * Moves the machine on: RUNNING to STARTED at the first call; then to FINISHED if no frame runs (now or at a
     * later call, from the outermost frame's exit). Owner thread; calling it again does nothing more.
     */
    void start() {
        if (!starting) {
            starting = true;
            raise(startedListeners);
            started = true;
            d.wake();
        }
        if (!d.isRunning() && !d.shutdownFinished) {
            finish();
        }
    }

    private void finish() {
        raise(finishedListeners);
        d.shutdownFinished = true;
        if (d.toolkit != null) {
            d.toolkit.awaitSignallers();
        }
        String reason = abortReason();
        d.selection.drainAll(); // after the flag: a later post aborts itself (see the class comment of Dispatcher)
        d.timers.shutDown();
        QueueNode n;
        while ((n = d.selection.queue.pollAny()) != null) {
            ((DispatcherOperation<?>) n).abort(reason);
        }
        for (DispatcherOperation<?> held : d.selection.heldForFrame) {
            held.abort(reason);
        }
        d.selection.heldForFrame.clear();
        d.disableStallWatchdog(); // nothing runs any more
        terminated.countDown();
    }

    /** Waits for FINISHED; see {@link Dispatcher#awaitShutdown}. Not the owner thread. */
    boolean await(long nanos) throws InterruptedException {
        return terminated.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** The abort reason of every operation that shutdown ends. */
    String abortReason() {
        return "aborted because " + d + " shut down";
    }

    private static void raise(CopyOnWriteArrayList<Runnable> listeners) {
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (Throwable t) {
                Observers.reportToThread(t);
            }
        }
    }
}
