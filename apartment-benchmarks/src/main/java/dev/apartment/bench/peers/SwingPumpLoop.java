package dev.apartment.bench.peers;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;
import dev.apartment.swing.SwingPump;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Apartment's dispatcher hosted on the AWT event dispatch thread, headless: {@link SwingPump#dispatcher()},
 * {@code post(task)} at {@link DispatcherPriority#NORMAL}, {@code invoke(callable)} (SEND) from a foreign thread.
 * Every dispatch turn is one AWT event of the pump's own, so this is {@link AwtLoop}'s thread with the dispatcher's
 * queue in front of it.
 *
 * <p><b>Stopping.</b> {@link #stop()} waits until everything posted has run (a fence at NORMAL, the priority of
 * every post here), shuts the dispatcher down and then waits until AWT has retired the EDT (it does so about a
 * second after the EDT went idle), so that, like the peers with threads of their own, it leaves no thread behind.
 * Keeping the dispatcher alive across trials instead is not an option: while it lives, the pump's keep-alive event
 * (every 250 ms) holds the EDT, a non-daemon thread, and JMH's forked VM then waits 30 s for it after every fork
 * ("forked VM did not exit, are there stray running threads?") before it halts. A later trial in the same JVM
 * ({@code -f 0}, the smoke run) gets a fresh dispatcher: once the old EDT is gone, {@link SwingPump#dispatcher()}
 * attaches a new one to the next EDT (before that it would return the shut-down one, hence the join). An
 * {@code awt} trial after this one simply starts a new EDT.
 */
public final class SwingPumpLoop implements EventLoopAdapter {
    private Dispatcher dispatcher;

    @Override
    public String name() {
        return Peers.SWING_PUMP;
    }

    @Override
    public void start() {
        AwtLoop.requireHeadless(name());
        dispatcher = SwingPump.dispatcher(); // attaches to the EDT (and creates the toolkit) on first use
    }

    /** {@code post(task)}: {@link DispatcherPriority#NORMAL}. */
    @Override
    public void post(Runnable task) {
        dispatcher.post(task);
    }

    @Override
    public boolean supportsInvoke() {
        return true;
    }

    /** {@link Dispatcher#invoke(Callable)}: a call at {@link DispatcherPriority#SEND} from a foreign thread. */
    @Override
    public <T> T invoke(Callable<T> task) {
        return dispatcher.invoke(task);
    }

    @Override
    public boolean isLoopThread() {
        return dispatcher.checkAccess();
    }

    /** Waits until everything posted has run, shuts the dispatcher down, joins the EDT: see the class comment. */
    @Override
    public void stop() throws Exception {
        if (dispatcher == null) {
            return;
        }
        drain(dispatcher, name());
        dispatcher.invokeShutdown();
        if (!dispatcher.awaitShutdown(Duration.ofSeconds(10))) {
            throw new IllegalStateException(name() + ": shutdown did not finish within 10 s");
        }
        Peers.joinOrFail(dispatcher.thread(), name()); // AWT retires the idle EDT after about a second
    }

    /**
     * Posts an empty fence at {@link DispatcherPriority#NORMAL} and waits up to 10 s until it ran: every earlier post
     * at NORMAL or above has run by then. Throws if the dispatcher shut down meanwhile (a task failed).
     */
    static void drain(Dispatcher d, String peer) throws Exception {
        if (d.hasShutdownStarted()) {
            throw new IllegalStateException(peer + ": the dispatcher shut down during the benchmark");
        }
        try {
            d.post(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(peer + ": posted tasks still not run 10 s after the benchmark", e);
        }
    }
}
