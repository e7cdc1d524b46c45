package dev.apartment.bench.peers;

import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.util.concurrent.Callable;

/**
 * The AWT event dispatch thread, headless: {@link EventQueue#invokeLater} and {@link EventQueue#invokeAndWait}.
 *
 * <p>The EDT belongs to the toolkit: {@link #stop()} only waits until every posted task has run. AWT ends the
 * thread by itself about a second after the queue goes idle (AWTAutoShutdown), and a new one is made on the next
 * post, so a later trial in the same JVM works too. (While a {@link SwingPumpLoop} dispatcher lives in the same JVM,
 * its keep-alive holds the EDT, and this peer runs on that same thread.)
 */
public final class AwtLoop implements EventLoopAdapter {

    @Override
    public String name() {
        return Peers.AWT;
    }

    @Override
    public void start() throws Exception {
        requireHeadless(name());
        EventQueue.invokeAndWait(() -> { }); // creates the toolkit and the event dispatch thread
    }

    /** Sets {@code java.awt.headless} unless given, and refuses a display. Also for {@link SwingPumpLoop}. */
    static void requireHeadless(String peer) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        if (!GraphicsEnvironment.isHeadless()) {
            throw new IllegalStateException(peer
                    + ": run with -Djava.awt.headless=true (the benchmarks need no display)");
        }
    }

    @Override
    public void post(Runnable task) {
        EventQueue.invokeLater(task);
    }

    @Override
    public boolean supportsInvoke() {
        return true;
    }

    /** {@link EventQueue#invokeAndWait}, the value carried out in a one-element array. */
    @Override
    public <T> T invoke(Callable<T> task) throws Exception {
        Object[] result = new Object[1];
        Exception[] failure = new Exception[1];
        EventQueue.invokeAndWait(() -> {
            try {
                result[0] = task.call();
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    @Override
    public boolean isLoopThread() {
        return EventQueue.isDispatchThread();
    }

    @Override
    public void stop() throws Exception {
        EventQueue.invokeAndWait(() -> { }); // everything posted before has run
    }
}
