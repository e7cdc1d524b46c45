package dev.apartment;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The observers of one dispatcher: its {@link DispatcherHooks} and its stall watchdog ({@link StallWatch}). It owns
 * their registration and raises every hook from one place ({@code raise}).
 *
 * <p>Threads: registration is any thread, serialized by {@code registrationLock}; it publishes copy-on-write
 * arrays and watchdogs through volatile fields, so notifying (any thread for posts, the owner for the rest) and the
 * owner's per-operation read of the watchdog never lock. The hooks array itself lives on the dispatcher's post-side
 * cache line ({@code DispatcherLayout.PostSide.hooks}), because every post reads it; this class only writes it.
 * Hooks are never called while a lock of this class is held.
 */
final class Observers {
    /** What a hook is told: one constant per method of {@link DispatcherHooks}. */
    enum Hook {
        POSTED, STARTED, COMPLETED, ABORTED, PRIORITY_CHANGED, CLEANUP_DROPPED, INACTIVE
    }

    private final Dispatcher dispatcher;
    /** Serializes changes of the hooks array and of the watchdog; readers never take it. */
    private final Object registrationLock = new Object();
    /** The stall watchdog, or null (the default): read once per operation by the owner. */
    volatile StallWatch stallWatch;

    Observers(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /* Raising a hook: the callers below read the hooks array once, at the moment that decides which hooks hear
     * of the event (for a post: before the push, see Dispatcher.enqueue), and pass it in. Each is small enough to
     * inline, so with no hooks (the common case) an operation pays one array-length test per event, no call. */

    static void posted(DispatcherHooks[] hooks, DispatcherOperation<?> op) {
        if (hooks.length != 0) {
            raise(hooks, Hook.POSTED, op.dispatcher(), op, null);
        }
    }

    static void started(DispatcherHooks[] hooks, DispatcherOperation<?> op) {
        if (hooks.length != 0) {
            raise(hooks, Hook.STARTED, op.dispatcher(), op, null);
        }
    }

    /** COMPLETED or ABORTED, as the operation ended. */
    static void ended(DispatcherHooks[] hooks, DispatcherOperation<?> op) {
        if (hooks.length != 0) {
            raise(hooks, op.isCancelled() ? Hook.ABORTED : Hook.COMPLETED, op.dispatcher(), op, null);
        }
    }

    static void priorityChanged(DispatcherHooks[] hooks, DispatcherOperation<?> op, DispatcherPriority previous) {
        if (hooks.length != 0) {
            raise(hooks, Hook.PRIORITY_CHANGED, op.dispatcher(), op, previous);
        }
    }

    static void cleanupDropped(Dispatcher d, Runnable action) {
        DispatcherHooks[] h = d.hooks;
        if (h.length != 0) {
            raise(h, Hook.CLEANUP_DROPPED, d, null, action);
        }
    }

    static void inactive(Dispatcher d) {
        DispatcherHooks[] h = d.hooks;
        if (h.length != 0) {
            raise(h, Hook.INACTIVE, d, null, null);
        }
    }

    /**
     * The one loop that calls hooks: each of {@code hooks} in registration order; an exception of one goes to the
     * calling thread's uncaught-exception handler and the others are still called.
     */
    private static void raise(DispatcherHooks[] hooks, Hook hook, Dispatcher d, DispatcherOperation<?> op,
            Object detail) {
        for (DispatcherHooks h : hooks) {
            try {
                switch (hook) {
                    case POSTED -> h.operationPosted(op);
                    case STARTED -> h.operationStarted(op);
                    case COMPLETED -> h.operationCompleted(op);
                    case ABORTED -> h.operationAborted(op);
                    case PRIORITY_CHANGED -> h.operationPriorityChanged(op, (DispatcherPriority) detail);
                    case CLEANUP_DROPPED -> h.cleanupDropped(d, (Runnable) detail);
                    case INACTIVE -> h.dispatcherInactive(d);
                }
            } catch (Throwable t) {
                reportToThread(t);
            }
        }
    }

    // =========================================================================================================
    // Registration (any thread)
    // =========================================================================================================

    /** See {@link Dispatcher#addHooks}. */
    void addHooks(DispatcherHooks h) {
        synchronized (registrationLock) {
            DispatcherHooks[] old = dispatcher.hooks;
            DispatcherHooks[] copy = Arrays.copyOf(old, old.length + 1);
            copy[old.length] = h;
            dispatcher.hooks = copy;
        }
    }

    /** See {@link Dispatcher#removeHooks}. */
    void removeHooks(DispatcherHooks h) {
        synchronized (registrationLock) {
            DispatcherHooks[] old = dispatcher.hooks;
            for (int i = 0; i < old.length; i++) {
                if (old[i] == h) {
                    DispatcherHooks[] copy = new DispatcherHooks[old.length - 1];
                    System.arraycopy(old, 0, copy, 0, i);
                    System.arraycopy(old, i + 1, copy, i, old.length - i - 1);
                    dispatcher.hooks = copy;
                    return;
                }
            }
        }
    }

    /** See {@link Dispatcher#setStallWatchdog(Duration, Consumer)}; the arguments are checked. */
    void setStallWatchdog(Duration budget, Consumer<StallReport> handler) {
        synchronized (registrationLock) {
            StallWatch old = stallWatch;
            if (old != null) {
                old.cancel();
            }
            stallWatch = dispatcher.shutdownFinished ? null : new StallWatch(dispatcher, budget, handler);
        }
    }

    void disableStallWatchdog() {
        synchronized (registrationLock) {
            StallWatch old = stallWatch;
            if (old != null) {
                old.cancel();
                stallWatch = null;
            }
        }
    }

    /** Hands {@code t} to the calling thread's uncaught-exception handler: an observer's failure ends nothing. */
    static void reportToThread(Throwable t) {
        Thread current = Thread.currentThread();
        current.getUncaughtExceptionHandler().uncaughtException(current, t);
    }
}
