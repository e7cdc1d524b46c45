package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts dispatchers for a test and shuts every one of them down after it, asserting that each shutdown finished:
 * {@code Dispatcher.start} threads are non-daemon, and a test must not leave one behind.
 *
 * <pre>{@code
 * @RegisterExtension
 * final TestDispatchers dispatchers = new TestDispatchers();
 * ... Dispatcher d = dispatchers.start("name");
 * }</pre>
 */
final class TestDispatchers implements AfterEachCallback {
    /** How long a test waits for a shutdown to finish. */
    static final Duration SHUTDOWN = Duration.ofSeconds(5);

    private final List<Dispatcher> started = new CopyOnWriteArrayList<>();

    /** {@link Dispatcher#start(String)}, remembered for the shutdown after the test. */
    Dispatcher start(String name) {
        Dispatcher d = Dispatcher.start(name);
        started.add(d);
        return d;
    }

    /**
     * Runs {@code body} on a new thread named {@code name} and returns its result (or throws its exception, wrapped
     * in an {@code ExecutionException}) once the thread has ended; fails if it is still alive after 5 s.
     */
    static <T> T onNewThread(String name, Callable<T> body) throws Exception {
        return onNewThread(name, null, body);
    }

    /** {@link #onNewThread(String, Callable)} with {@code uncaught} as the thread's uncaught-exception handler. */
    static <T> T onNewThread(String name, Thread.UncaughtExceptionHandler uncaught, Callable<T> body)
            throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        if (uncaught != null) {
            t.setUncaughtExceptionHandler(uncaught);
        }
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(5));
        assertThat(t.isAlive()).as("thread %s ended", name).isFalse();
        return result.get(1, TimeUnit.SECONDS);
    }

    /**
     * Occupies the owner thread of {@code d} (a SEND operation waiting on a latch) until the returned latch is
     * released, so that nothing else can start meanwhile.
     */
    static CountDownLatch block(Dispatcher d) throws InterruptedException {
        return block(d, DispatcherPriority.SEND);
    }

    /** {@link #block(Dispatcher)} with a blocking operation posted at {@code priority}. */
    static CountDownLatch block(Dispatcher d, DispatcherPriority priority) throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        d.post(() -> {
            blocked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, priority);
        assertThat(blocked.await(5, TimeUnit.SECONDS)).as("owner thread blocked").isTrue();
        return release;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (Dispatcher d : started) {
            // Not invokeShutdown(), which would wait without a limit: a hung dispatcher must fail the test, not
            // hang the build after its @Timeout already fired.
            d.beginInvokeShutdown(DispatcherPriority.SEND);
            assertThat(d.awaitShutdown(SHUTDOWN)).as("%s shut down", d).isTrue();
        }
    }
}
