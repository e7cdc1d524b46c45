package dev.apartment;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A toolkit in miniature for testing {@link DispatcherPump}: one thread takes "events" (runnables) from a queue and
 * runs them; nested loops do the same until told to exit; "input events" are marked so the pump can report them.
 * It is what AWT's event dispatch thread or JavaFX's application thread is to a real pump, without a display.
 */
final class ToyToolkit implements DispatcherPump, AutoCloseable {
    /** A toolkit input event: the gate must let it run before low-priority dispatcher items. */
    static final class InputEvent implements Runnable {
        private final Runnable body;

        InputEvent(Runnable body) {
            this.body = body;
        }

        @Override
        public void run() {
            body.run();
        }
    }

    private final LinkedBlockingDeque<Runnable> events = new LinkedBlockingDeque<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "toy-toolkit-timer");
        t.setDaemon(true);
        return t;
    });
    private final Thread thread;
    private final CountDownLatch attached = new CountDownLatch(1);
    /** The dispatcher's nested loops running, innermost first, by the dispatcher's key (toolkit thread). */
    private final ArrayDeque<Object> nested = new ArrayDeque<>();
    /** Keys whose loop was asked to exit and has not returned yet (toolkit thread). */
    private final Set<Object> exited = Collections.newSetFromMap(new IdentityHashMap<>());
    private int modalDepth;
    final AtomicInteger signals = new AtomicInteger();
    final AtomicInteger exitRequests = new AtomicInteger();
    final AtomicInteger callsAfterDispose = new AtomicInteger();
    private volatile boolean disposed;
    private volatile Runnable dispatch;
    private volatile Dispatcher dispatcher;
    private volatile boolean closed;
    private ScheduledFuture<?> timer;

    /** Starts the toolkit thread and attaches a dispatcher to it. */
    ToyToolkit(String name) throws InterruptedException {
        thread = new Thread(this::main, name);
        thread.setDaemon(true);
        thread.start();
        if (!attached.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("toolkit thread did not start");
        }
    }

    private void main() {
        dispatcher = Dispatcher.attach(this);
        attached.countDown();
        while (!closed) {
            runOne();
        }
    }

    private void runOne() {
        try {
            Runnable e = events.poll(50, TimeUnit.MILLISECONDS);
            if (e != null) {
                e.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // kept for the dispatcher's waits to see
        } catch (RuntimeException | Error e) {
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, e); // a toolkit reports and goes on
        }
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Queues a toolkit input event. Any thread. */
    void postInput(Runnable body) {
        events.add(new InputEvent(body));
    }

    /** Queues a plain toolkit event (not input). Any thread. */
    void postEvent(Runnable body) {
        events.add(body);
    }

    int nestingDepth() {
        return nested.size();
    }

    @Override
    public Thread thread() {
        return thread;
    }

    @Override
    public void attach(Runnable dispatch) {
        this.dispatch = dispatch;
    }

    /**
     * Disposes the toolkit, as SWT's {@code Display.dispose()} does: from then on every pump call is a violation,
     * counted in {@link #callsAfterDispose} (the dispatcher must make none once its shutdown has finished). Any thread.
     */
    void dispose() {
        disposed = true;
    }

    private void checkNotDisposed() {
        if (disposed) {
            callsAfterDispose.incrementAndGet();
        }
    }

    /**
     * A lock that {@link #signal()} takes, or null: SWT's {@code asyncExec} takes one that its thread holds while it
     * disposes the display. Any thread.
     */
    volatile Object signalLock;

    @Override
    public void signal() {
        Object lock = signalLock;
        if (lock == null) {
            signalNow();
        } else {
            synchronized (lock) {
                signalNow();
            }
        }
    }

    private void signalNow() {
        checkNotDisposed();
        signals.incrementAndGet();
        events.add(dispatch);
    }

    @Override
    public void setTimer(long delayNanos) {
        checkNotDisposed();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (delayNanos >= 0) {
            timer = timers.schedule(() -> events.add(dispatch), delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Makes nested loops fail, as JavaFX's do during an animation pulse. Toolkit thread. */
    boolean refuseNestedLoops;

    @Override
    public void enterNestedLoop(Object key) {
        checkNotDisposed();
        if (refuseNestedLoops) {
            throw new IllegalStateException("cannot enter a nested loop now");
        }
        nested.push(key);
        try {
            while (!exited.contains(key) && !closed) {
                runOne();
            }
        } finally {
            nested.remove(key);
            exited.remove(key);
        }
    }

    /**
     * Ends the loop of {@code key} once control is back in it, like AWT and JavaFX. Fails the dispatch (and so the
     * test, through the thread's handler) if that loop is not running or its exit was already requested: the
     * dispatcher must request each exit exactly once.
     */
    @Override
    public void exitNestedLoop(Object key) {
        checkNotDisposed();
        if (!nested.contains(key)) {
            throw new IllegalStateException("no nested loop runs for " + key);
        }
        if (!exited.add(key)) {
            throw new IllegalStateException("the exit of " + key + " was requested twice");
        }
        exitRequests.incrementAndGet();
    }

    /**
     * The toolkit's own modal loop (a modal dialog's), not the dispatcher's: runs events until {@code closed} is
     * true. Toolkit thread.
     */
    void runModalLoop(java.util.function.BooleanSupplier closed) {
        modalDepth++;
        try {
            while (!closed.getAsBoolean() && !this.closed) {
                runOne();
            }
        } finally {
            modalDepth--;
        }
    }

    /** How many of the toolkit's own modal loops run now. Toolkit thread. */
    int modalDepth() {
        return modalDepth;
    }

    /** Thrown once by the next {@link #input()}: toolkit code failing inside a dispatch turn. */
    volatile RuntimeException inputFailure;

    @Override
    public Input input() {
        RuntimeException failure = inputFailure;
        if (failure != null) {
            inputFailure = null;
            throw failure;
        }
        for (Runnable e : events) {
            if (e instanceof InputEvent) {
                return Input.PENDING;
            }
        }
        return Input.NONE;
    }

    @Override
    public void close() throws InterruptedException {
        Dispatcher d = dispatcher;
        if (d != null && !d.hasShutdownFinished()) {
            d.beginInvokeShutdown(DispatcherPriority.SEND);
            d.awaitShutdown(TestDispatchers.SHUTDOWN);
        }
        closed = true;
        thread.join(5_000);
        timers.shutdownNow();
    }
}
