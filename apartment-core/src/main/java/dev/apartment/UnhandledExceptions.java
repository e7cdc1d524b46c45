package dev.apartment;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The unhandled-exception events of one dispatcher: filters first (they can only lower "request catch"), then
 * handlers (they can only set "handled"). Registration from any thread; raising on the owner thread.
 */
final class UnhandledExceptions {
    private final CopyOnWriteArrayList<Consumer<DispatcherUnhandledExceptionFilterEventArgs>> filters =
            new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<DispatcherUnhandledExceptionEventArgs>> handlers =
            new CopyOnWriteArrayList<>();

    void addFilter(Consumer<DispatcherUnhandledExceptionFilterEventArgs> filter) {
        filters.add(Objects.requireNonNull(filter, "filter"));
    }

    void removeFilter(Consumer<DispatcherUnhandledExceptionFilterEventArgs> filter) {
        filters.remove(filter);
    }

    void addHandler(Consumer<DispatcherUnhandledExceptionEventArgs> handler) {
        handlers.add(Objects.requireNonNull(handler, "handler"));
    }

    void removeHandler(Consumer<DispatcherUnhandledExceptionEventArgs> handler) {
        handlers.remove(handler);
    }

    /** Raises the events for {@code exception}; true if the loop may go on. */
    boolean handle(Dispatcher dispatcher, Throwable exception) {
        if (!filters.isEmpty()) {
            DispatcherUnhandledExceptionFilterEventArgs f =
                    new DispatcherUnhandledExceptionFilterEventArgs(dispatcher, exception);
            for (Consumer<DispatcherUnhandledExceptionFilterEventArgs> filter : filters) {
                filter.accept(f);
            }
            if (!f.requestCatch()) {
                return false;
            }
        }
        if (handlers.isEmpty()) {
            return false;
        }
        DispatcherUnhandledExceptionEventArgs args = new DispatcherUnhandledExceptionEventArgs(dispatcher, exception);
        for (Consumer<DispatcherUnhandledExceptionEventArgs> handler : handlers) {
            handler.accept(args);
        }
        return args.handled();
    }

    /**
     * Throws {@code t} as it is, checked or not, so that an operation's exception reaches the loop (and the
     * unhandled-exception events) unwrapped. Declared to return an exception so callers can write {@code throw}.
     */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
