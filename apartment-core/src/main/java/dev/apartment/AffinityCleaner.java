package dev.apartment;

import java.lang.ref.Cleaner;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cleanup of thread-affine objects: when an object registered with {@link Dispatcher#registerCleanup} becomes
 * unreachable, its action is posted to the object's dispatcher, because only that thread may touch what the object
 * held (a native handle, a toolkit resource). The JDK's {@link Cleaner} thread only posts: it never runs an action
 * and never blocks. An action that cannot run because the dispatcher shut down is reported through
 * {@link DispatcherHooks#cleanupDropped}, never silently lost.
 *
 * <p>One daemon cleaner thread serves every dispatcher. The action must not refer to the object itself, or the
 * object never becomes unreachable (the usual {@link Cleaner} rule).
 */
final class AffinityCleaner {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "apartment-cleaner-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private AffinityCleaner() {
    }

    static Cleaner.Cleanable register(Dispatcher dispatcher, Object object, Runnable action,
            DispatcherPriority priority) {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(action, "action");
        DispatcherPriority.checkValid(priority, "priority");
        return CLEANER.register(object, new PostCleanup(dispatcher, action, priority));
    }

    /** Runs on the cleaner thread (or on whoever calls {@code clean()}): posts the action, at most once. */
    private static final class PostCleanup implements Runnable {
        private final Dispatcher dispatcher;
        private final Runnable action;
        private final DispatcherPriority priority;

        PostCleanup(Dispatcher dispatcher, Runnable action, DispatcherPriority priority) {
            this.dispatcher = dispatcher;
            this.action = action;
            this.priority = priority;
        }

        @Override
        public void run() {
            // Aborted either at once (posted after shutdown) or later (queued when shutdown aborted everything).
            dispatcher.post(action, priority).addAbortedListener(() -> dispatcher.reportCleanupDropped(action));
        }
    }
}
