package dev.apartment.javafx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javafx.application.Platform;

/**
 * The one JavaFX toolkit and the one FX dispatcher of the test JVM, shared by every test class.
 *
 * <p>The FX application thread is process-global: the toolkit starts once per JVM and cannot be restarted, and the
 * thread can have one dispatcher only, whose shutdown is final. So the test classes run in one JVM (surefire's
 * default fork) and take the dispatcher from {@link #dispatcher()}: the first caller starts the toolkit on Monocle's
 * headless platform (tolerating one that some other code started already) and attaches it; later callers get the
 * same one. No test here shuts it down or leaves a frame or a timer running ({@link #drain} after each test checks
 * that the dispatcher is back at its outermost level and idle). The test that shuts the dispatcher down,
 * {@link FxLifecycleTest}, runs in a JVM of its own (a second surefire execution).
 */
final class FxTestSupport {
    static final Duration SHUTDOWN = Duration.ofSeconds(5);
    private static boolean started;

    private FxTestSupport() {
    }

    /** Starts the toolkit once per JVM: Monocle headless (unless the command line says otherwise), implicit exit off. */
    static synchronized void startToolkit() {
        if (started) {
            return;
        }
        setIfAbsent("glass.platform", "Monocle");
        setIfAbsent("monocle.platform", "Headless");
        setIfAbsent("prism.order", "sw");
        setIfAbsent("prism.verbose", "false");
        CountDownLatch running = new CountDownLatch(1);
        try {
            Platform.startup(running::countDown);
        } catch (IllegalStateException alreadyInitialized) { // "Toolkit already initialized"
            Platform.runLater(running::countDown);
        }
        await(running);
        Platform.setImplicitExit(false); // the FX thread outlives every window (there are none)
        started = true;
    }

    /** The shared FX dispatcher, the toolkit started on first use. */
    static Dispatcher dispatcher() {
        startToolkit();
        return FxPump.dispatcher();
    }

    /**
     * Runs everything queued on {@code d} at any priority (a SYSTEM_IDLE invoke from this thread returns after it)
     * and checks that the FX thread is back in its main loop, with no frame of a test still running.
     */
    static void drain(Dispatcher d) {
        boolean nested = d.invoke(Platform::isNestedLoopRunning, DispatcherPriority.SYSTEM_IDLE);
        assertThat(nested).as("a nested event loop left running").isFalse();
        CountDownLatch fxIdle = new CountDownLatch(1);
        Platform.runLater(fxIdle::countDown);
        await(fxIdle);
    }

    /**
     * Occupies the FX thread with a {@code runLater} runnable that waits on the returned latch, so that what is
     * posted meanwhile queues up; count it down to let the FX thread go.
     */
    static CountDownLatch blockFxThread() {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        Platform.runLater(() -> {
            blocked.countDown();
            await(release);
        });
        await(blocked);
        return release;
    }

    static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).as("latch released within 5 s").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
