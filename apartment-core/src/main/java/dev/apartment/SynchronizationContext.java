package dev.apartment;

import java.util.Objects;
import java.util.concurrent.ForkJoinPool;

/**
 * Where asynchronous work should come back to, without knowing which toolkit the caller runs on: the .NET
 * {@code SynchronizationContext}. Code that follows the event-based async pattern captures
 * {@link #current()} when an operation starts and raises its completion with {@link #post(Runnable)}; on a
 * dispatcher thread that lands back on the dispatcher, elsewhere on a thread pool.
 *
 * <pre>{@code
 * SynchronizationContext caller = SynchronizationContext.current();
 * CompletableFuture.supplyAsync(this::download).thenAccept(data -> caller.post(() -> downloadCompleted(data)));
 * }</pre>
 *
 * <p>{@link #current()} resolves, in order: a context installed on this thread with {@link #setCurrent}; while a
 * dispatcher runs its loop on this thread, that dispatcher's context at the priority of the operation now running
 * ({@link DispatcherPriority#NORMAL} between operations); otherwise {@link #defaultContext()}.
 */
public abstract class SynchronizationContext {
    private static final ThreadLocal<SynchronizationContext> INSTALLED = new ThreadLocal<>();

    private static final SynchronizationContext DEFAULT = new SynchronizationContext() {
        @Override
        public void post(Runnable action) {
            ForkJoinPool.commonPool().execute(Objects.requireNonNull(action, "action"));
        }

        @Override
        public void send(Runnable action) {
            Objects.requireNonNull(action, "action").run();
        }

        @Override
        public String toString() {
            return "SynchronizationContext[default: thread pool]";
        }
    };

    /** For subclasses. */
    protected SynchronizationContext() {
    }

    /** {@return the context of the calling thread; never null (see the class comment for how it is found)} */
    public static SynchronizationContext current() {
        SynchronizationContext c = INSTALLED.get();
        if (c != null) {
            return c;
        }
        Dispatcher d = Dispatcher.currentOrNull();
        if (d != null && d.isRunning()) {
            int level = d.executingLevel();
            return d.synchronizationContext(level < 0 ? DispatcherPriority.NORMAL : DispatcherPriority.fromValue(level));
        }
        return DEFAULT;
    }

    /**
     * Installs {@code context} for the calling thread, overriding the dispatcher's; null removes it.
     *
     * @param context the context, or null
     */
    public static void setCurrent(SynchronizationContext context) {
        if (context == null) {
            INSTALLED.remove();
        } else {
            INSTALLED.set(context);
        }
    }

    /**
     * {@return the context used where no other applies: {@code post} runs on the common pool, {@code send} runs
     * inline}
     */
    public static SynchronizationContext defaultContext() {
        return DEFAULT;
    }

    /**
     * Runs {@code action} asynchronously in this context.
     *
     * @param action what to run
     */
    public abstract void post(Runnable action);

    /**
     * Runs {@code action} in this context and returns when it has run; its exception is rethrown.
     *
     * @param action what to run
     */
    public abstract void send(Runnable action);
}
