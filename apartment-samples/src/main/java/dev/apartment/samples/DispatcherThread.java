package dev.apartment.samples;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;

import java.time.Duration;

/**
 * A dispatcher on a thread of its own that a sample owns from start to end: {@code try (var ui = new
 * DispatcherThread("ui")) { ... }}.
 *
 * <p>Dispatcher threads are not daemons, so the tour's JVM exits on its own only once every one of them has ended.
 * Closing shuts the dispatcher down and then joins its thread, so when a sample returns its threads are gone: a
 * sample that forgot one would hang the command instead of exiting, and the tests check that none is left.
 */
final class DispatcherThread implements AutoCloseable {
    private static final Duration JOIN_LIMIT = Duration.ofSeconds(5);

    private final Dispatcher dispatcher;

    DispatcherThread(String name) {
        this.dispatcher = Dispatcher.start(name);
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    String threadName() {
        return dispatcher.thread().getName();
    }

    /**
     * Shuts the dispatcher down and waits, for a bounded time, until its thread has ended. Not
     * {@link Dispatcher#invokeShutdown()}: from another thread that waits without limit for the owner to take the
     * request, so one operation that never returns would turn a failed sample into a command that never ends.
     */
    @Override
    public void close() {
        dispatcher.beginInvokeShutdown(DispatcherPriority.SEND);
        try {
            if (dispatcher.awaitShutdown(JOIN_LIMIT)) {
                dispatcher.thread().join(JOIN_LIMIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (dispatcher.thread().isAlive()) {
            throw new IllegalStateException("dispatcher thread '" + threadName() + "' did not end within "
                    + JOIN_LIMIT.toSeconds() + " s of its shutdown request");
        }
    }
}
