package dev.apartment.swt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.apartment.Dispatcher;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.swt.widgets.Display;

/**
 * A test's SWT user-interface thread: a thread of the test's own (SWT on Linux does not need the main thread) that
 * creates a {@link Display}, attaches its dispatcher with {@link SwtPump#attach(Display)} and runs SWT's loop
 * ({@code readAndDispatch}/{@code sleep}) until {@link #endLoop()}.
 *
 * <p>Everything that reaches the thread's uncaught-exception handler, or escapes {@code readAndDispatch} (an SWT
 * runnable's or listener's exception), lands in {@link #uncaught}: the tests assert it stays empty. After its loop
 * the thread runs what {@link #afterLoop(Callable)} hands it (disposing the display, shutting down late) and, once
 * {@link #close()} says so, disposes the display if nobody did and ends.
 *
 * <p>SWT on GTK needs an X display: without {@code DISPLAY} the tests are skipped (CI runs them under
 * {@code xvfb-run -a}).
 */
final class SwtUiThread implements AutoCloseable {
    static final Duration SHUTDOWN = Duration.ofSeconds(10);
    private static final Callable<Object> END = () -> null;

    final Thread thread;
    /** Written by the UI thread before {@link #start} returns (published through {@code ready}). */
    Display display;
    Dispatcher dispatcher;
    /** What reached the UI thread's uncaught-exception handler or escaped SWT's loop. */
    final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile boolean loopEnding;
    private final CountDownLatch loopEnded = new CountDownLatch(1);
    private final BlockingQueue<Callable<?>> afterLoop = new LinkedBlockingQueue<>();
    private final BlockingQueue<CompletableFuture<Object>> afterLoopResults = new LinkedBlockingQueue<>();

    /** Skips the calling test unless an X display is there for GTK. */
    static void assumeX11() {
        String display = System.getenv("DISPLAY");
        assumeTrue(display != null && !display.isEmpty(),
                "SWT on GTK needs an X display and DISPLAY is not set: run the SWT tests under xvfb-run -a");
    }

    /** Starts the thread and returns once its display and dispatcher exist. */
    static SwtUiThread start(String name) {
        assumeX11();
        SwtUiThread ui = new SwtUiThread(name);
        ui.thread.start();
        try {
            ui.ready.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            // UnsatisfiedLinkError (no GTK 3) or SWTError "No more handles [gtk_init_check() failed]" (no X server)
            throw new AssertionError("the SWT display did not start on DISPLAY=" + System.getenv("DISPLAY")
                    + ": SWT on Linux needs GTK 3 (Debian: apt-get install -y libgtk-3-0) and an X server", e);
        }
        return ui;
    }

    private SwtUiThread(String name) {
        thread = new Thread(this::run, name);
        thread.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    }

    /** The UI thread's body: the display, SWT's loop, then what {@link #afterLoop} hands it. */
    private void run() {
        try {
            display = new Display();
            dispatcher = SwtPump.attach(display);
        } catch (Throwable e) {
            ready.completeExceptionally(e);
            return;
        }
        ready.complete(null);
        while (!loopEnding && !display.isDisposed()) {
            try {
                if (!display.readAndDispatch()) {
                    display.sleep();
                }
            } catch (Throwable e) {
                uncaught.add(e);
            }
        }
        loopEnded.countDown();
        for (;;) {
            Callable<?> task;
            try {
                task = afterLoop.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == END) {
                break;
            }
            CompletableFuture<Object> result = new CompletableFuture<>();
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
            afterLoopResults.add(result);
        }
        if (!display.isDisposed()) {
            display.dispose();
        }
    }

    /** Ends SWT's loop on the UI thread (any thread) and returns when it has ended. */
    void endLoop() {
        loopEnding = true;
        if (!display.isDisposed()) {
            try {
                display.wake();
            } catch (org.eclipse.swt.SWTException disposedMeanwhile) {
                // the loop sees the disposal itself
            }
        }
        await(loopEnded);
    }

    /** Runs {@code task} on the UI thread once its loop has ended (see {@link #endLoop()}); waits for its result. */
    <T> T afterLoop(Callable<T> task) throws Exception {
        afterLoop.add(task);
        CompletableFuture<Object> r = afterLoopResults.poll(20, TimeUnit.SECONDS);
        assertThat(r).as("the UI thread ran the task after its loop").isNotNull();
        @SuppressWarnings("unchecked")
        T value = (T) r.get();
        return value;
    }

    /** Runs {@code task} as a plain SWT runnable ({@code asyncExec}), not a dispatcher operation. */
    <T> CompletableFuture<T> asyncExec(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        display.asyncExec(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /**
     * Occupies the UI thread with a plain SWT runnable until the returned latch is released, and returns once the
     * thread is inside it: what is posted meanwhile queues up.
     */
    CountDownLatch block() {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        display.asyncExec(() -> {
            blocked.countDown();
            await(release);
        });
        await(blocked);
        return release;
    }

    /**
     * Shuts the dispatcher down (if nobody did) while SWT's loop runs, ends the loop, disposes the display and joins
     * the thread: the order the class comment of {@link SwtPump} asks for.
     */
    @Override
    public void close() {
        try {
            if (loopEnded.getCount() != 0 && !dispatcher.hasShutdownStarted()) {
                dispatcher.invokeShutdown();
            }
            if (loopEnded.getCount() != 0) {
                assertThat(dispatcher.awaitShutdown(SHUTDOWN)).as("shutdown finished").isTrue();
                endLoop();
            }
            afterLoop.add(END);
            thread.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(thread.isAlive()).as("the UI thread ended").isFalse();
    }

    static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released within 10 s").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
