package dev.apartment.bench.peers;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;
import dev.apartment.javafx.FxPump;

import java.util.concurrent.Callable;

/**
 * Apartment's dispatcher hosted on the JavaFX application thread, on Monocle's headless platform with the same
 * settings as {@link JavaFxLoop} (the toolkit is started the same way, once per JVM): {@link FxPump#dispatcher()},
 * {@code post(task)} at {@link DispatcherPriority#NORMAL}, {@code invoke(callable)} (SEND) from a foreign thread.
 * Every dispatch turn is one {@code Platform.runLater} of the pump's own.
 *
 * <p><b>Stopping.</b> {@link #stop()} only waits until everything posted has run (a fence at NORMAL). The FX
 * dispatcher is one per JVM and its shutdown is final ({@code FxPump.dispatcher()} keeps returning the shut-down
 * one), and the toolkit cannot be restarted either, so the dispatcher is attached on first use and left running
 * for later trials in the same JVM ({@code -f 0}), like the toolkit in {@link JavaFxLoop}.
 */
public final class FxPumpLoop implements EventLoopAdapter {
    private Dispatcher dispatcher;

    @Override
    public String name() {
        return Peers.FX_PUMP;
    }

    @Override
    public void start() throws Exception {
        JavaFxLoop.startToolkit();
        dispatcher = FxPump.dispatcher();
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

    /** Waits until everything posted has run; leaves the dispatcher running: see the class comment. */
    @Override
    public void stop() throws Exception {
        if (dispatcher != null) {
            SwingPumpLoop.drain(dispatcher, name());
        }
    }
}
