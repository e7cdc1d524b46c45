package dev.apartment.bench.peers;

import javafx.application.Platform;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The JavaFX application thread on Monocle's headless platform: {@link Platform#runLater}. JavaFX has no public
 * synchronous invoke, so this peer takes no part in the invoke benchmark.
 *
 * <p>The toolkit can be started once per JVM and never restarted after {@link Platform#exit()}, so it is started on
 * first use and left running: {@link #stop()} only waits until every posted task has run. (JMH runs each benchmark
 * in a fresh JVM by default; with {@code -f 0} all trials share the one toolkit.) Monocle's properties are set here
 * unless given on the command line: {@code -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw}.
 */
public final class JavaFxLoop implements EventLoopAdapter {
    private static boolean toolkitStarted;

    @Override
    public String name() {
        return Peers.JAVAFX;
    }

    @Override
    public void start() throws Exception {
        startToolkit();
    }

    /** Starts the toolkit on Monocle's headless platform, once per JVM. Also for {@link FxPumpLoop}. */
    static synchronized void startToolkit() throws InterruptedException {
        if (toolkitStarted) {
            return;
        }
        setIfAbsent("glass.platform", "Monocle");
        setIfAbsent("monocle.platform", "Headless");
        setIfAbsent("prism.order", "sw");
        setIfAbsent("prism.verbose", "false");
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        if (!started.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("javafx: toolkit did not start within 30 s");
        }
        Platform.setImplicitExit(false);
        toolkitStarted = true;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    @Override
    public void post(Runnable task) {
        Platform.runLater(task);
    }

    @Override
    public boolean isLoopThread() {
        return Platform.isFxApplicationThread();
    }

    @Override
    public void stop() throws InterruptedException {
        CountDownLatch drained = new CountDownLatch(1);
        Platform.runLater(drained::countDown);
        if (!drained.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("javafx: posted tasks still not run 10 s after the benchmark");
        }
    }
}
