package dev.apartment;

import java.util.ArrayDeque;
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
    private final ArrayDeque<boolean[]> nested = new ArrayDeque<>();
    final AtomicInteger signals = new AtomicInteger();
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

    @Override
    public void signal() {
        signals.incrementAndGet();
        events.add(dispatch);
    }

    @Override
    public void setTimer(long delayNanos) {
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
    public void enterNestedLoop() {
        if (refuseNestedLoops) {
            throw new IllegalStateException("cannot enter a nested loop now");
        }
        boolean[] exit = new boolean[1];
        nested.push(exit);
        try {
            while (!exit[0] && !closed) {
                runOne();
            }
        } finally {
            nested.pop();
        }
    }

    @Override
    public void exitNestedLoop() {
        nested.peek()[0] = true;
    }

    @Override
    public Input input() {
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
