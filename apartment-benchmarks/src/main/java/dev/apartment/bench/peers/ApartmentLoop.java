package dev.apartment.bench.peers;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Apartment's {@link Dispatcher} with its default pump: {@link Dispatcher#start(String)}, its own thread. */
public final class ApartmentLoop implements EventLoopAdapter {
    private Dispatcher dispatcher;

    @Override
    public String name() {
        return Peers.APARTMENT;
    }

    @Override
    public void start() {
        dispatcher = Dispatcher.start("apartment-bench");
    }

    /** The dispatcher under test, for the Apartment-only benchmarks (priorities, timers). */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** {@code post(task)}: {@link DispatcherPriority#NORMAL}. */
    @Override
    public void post(Runnable task) {
        dispatcher.post(task);
    }

    public void post(Runnable task, DispatcherPriority priority) {
        dispatcher.post(task, priority);
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

    @Override
    public void stop() throws InterruptedException {
        if (dispatcher == null) {
            return;
        }
        dispatcher.invokeShutdown();
        if (!dispatcher.awaitShutdown(Duration.ofSeconds(10))) {
            throw new IllegalStateException("apartment: shutdown did not finish within 10 s");
        }
        Peers.joinOrFail(dispatcher.thread(), "apartment");
    }
}
