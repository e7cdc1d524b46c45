package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.Cleaner;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Dispatcher#registerCleanup}: cleanup of unreachable thread-affine objects runs on their thread. */
@Timeout(20)
class ThreadAffineCleanupTest {

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    /** A thread-affine object whose "native handle" must be released on its dispatcher thread. */
    static final class Widget extends DispatcherObject {
        Widget(CompletableFuture<Thread> releasedOn) {
            registerCleanup(() -> releasedOn.complete(Thread.currentThread())); // the action never holds "this"
        }
    }

    /** Collects garbage until {@code done} completes: the only way to make the JDK's cleaner run. */
    private static <T> T collectUntil(CompletableFuture<T> done) throws Exception {
        while (!done.isDone()) {
            System.gc();
            try {
                return done.get(20, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // not collected yet: ask again
            }
        }
        return done.get();
    }

    @Test
    void anUnreachableObjectIsCleanedUpOnItsDispatcherThread() throws Exception {
        Dispatcher d = dispatchers.start("cleanup-owner");
        CompletableFuture<Thread> releasedOn = new CompletableFuture<>();
        d.invoke(() -> {
            new Widget(releasedOn); // unreachable as soon as the constructor returns
        });
        assertThat(collectUntil(releasedOn)).isSameAs(d.thread());
    }

    @Test
    void theCleanerThreadOnlyPostsItNeverWaitsForABusyOwner() throws Exception {
        Dispatcher d = dispatchers.start("cleanup-busy");
        CountDownLatch twoPosted = new CountDownLatch(2);
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch release = TestDispatchers.block(d);
        d.addHooks(new DispatcherHooks() { // after the blocking post: only the cleanups are counted
            @Override
            public void operationPosted(DispatcherOperation<?> operation) {
                twoPosted.countDown();
            }
        });
        try {
            registerUnreachable(d, () -> ran.add("first"));
            registerUnreachable(d, () -> ran.add("second"));
            // both posted while the owner is still busy: the cleaner thread did not wait for the first to run
            while (!twoPosted.await(20, TimeUnit.MILLISECONDS)) {
                System.gc();
            }
            assertThat(ran).isEmpty();
        } finally {
            release.countDown();
        }
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(ran).containsExactlyInAnyOrder("first", "second");
    }

    private static void registerUnreachable(Dispatcher d, Runnable action) {
        d.registerCleanup(new Object(), action);
    }

    @Test
    void cleanPostsTheActionOnceFromAnyThread() throws Exception {
        Dispatcher d = dispatchers.start("cleanup-explicit");
        Object handle = new Object();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        Cleaner.Cleanable c = d.registerCleanup(handle, () -> ranOn.add(Thread.currentThread()),
                DispatcherPriority.NORMAL);
        c.clean();
        c.clean();
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(ranOn).containsExactly(d.thread());
        assertThat(handle).isNotNull(); // still reachable: it was the explicit clean that ran it
    }

    @Test
    void afterShutdownTheActionIsReportedNotDropped() throws Exception {
        Dispatcher d = dispatchers.start("cleanup-shutdown");
        List<Runnable> dropped = new CopyOnWriteArrayList<>();
        d.addHooks(new DispatcherHooks() {
            @Override
            public void cleanupDropped(Dispatcher dispatcher, Runnable action) {
                assertThat(dispatcher).isSameAs(d);
                dropped.add(action);
            }
        });
        Runnable queuedAtShutdown = () -> { };
        Runnable afterShutdown = () -> { };
        Cleaner.Cleanable first = d.registerCleanup(new Object[0], queuedAtShutdown);
        Cleaner.Cleanable second = d.registerCleanup(new Object[0], afterShutdown);
        CountDownLatch release = TestDispatchers.block(d);
        first.clean(); // queued behind the blocked owner, then aborted by the shutdown
        d.beginInvokeShutdown(DispatcherPriority.SEND);
        release.countDown();
        assertThat(d.awaitShutdown(TestDispatchers.SHUTDOWN)).isTrue();
        second.clean(); // the dispatcher is gone
        assertThat(dropped).containsExactly(queuedAtShutdown, afterShutdown);
    }

    @Test
    void badArgumentsAndDetachedObjects() {
        Dispatcher d = dispatchers.start("cleanup-args");
        assertThatThrownBy(() -> d.registerCleanup(null, () -> { })).hasMessageContaining("object");
        assertThatThrownBy(() -> d.registerCleanup(new Object(), null)).hasMessageContaining("action");
        assertThatThrownBy(() -> d.registerCleanup(new Object(), () -> { }, DispatcherPriority.INVALID))
                .isInstanceOf(IllegalArgumentException.class);
        Throwable detached = d.invoke(() -> {
            Detached o = new Detached();
            o.detach();
            try {
                o.register();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertThat(detached).isInstanceOf(IllegalStateException.class).hasMessageContaining("detached");
    }

    private static final class Detached extends DispatcherObject {
        void detach() {
            detachFromDispatcher();
        }

        void register() {
            registerCleanup(() -> { });
        }
    }
}
