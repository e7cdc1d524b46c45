package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Finding and making dispatchers, and the owner-thread checks. {@link Dispatcher#current()} binds a dispatcher to
 * the calling thread for good, so every test that needs it uses a thread of its own, never the JUnit thread.
 */
@Timeout(10)
class DispatcherRegistryTest {

    private static final Duration SHUTDOWN = TestDispatchers.SHUTDOWN;

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private Dispatcher start(String name) {
        return dispatchers.start(name);
    }

    @Test
    void currentCreatesOneDispatcherPerThreadAndKeepsReturningIt() throws Exception {
        List<Dispatcher> seen = TestDispatchers.onNewThread("registry-current", () -> {
            Dispatcher first = Dispatcher.current();
            Dispatcher second = Dispatcher.current();
            List<Dispatcher> both = List.of(first, second);
            first.invokeShutdown(); // owner thread, no loop running: finishes at once
            return both;
        });
        assertThat(seen.get(0)).isNotNull().isSameAs(seen.get(1));
        assertThat(seen.get(0).thread().getName()).isEqualTo("registry-current");

        Dispatcher other = TestDispatchers.onNewThread("registry-current-2", () -> {
            Dispatcher d = Dispatcher.current();
            d.invokeShutdown();
            return d;
        });
        assertThat(other).isNotSameAs(seen.get(0));
    }

    @Test
    void fromThreadFindsTheDispatcherOfAnotherThread() throws Exception {
        CountDownLatch created = new CountDownLatch(1);
        CountDownLatch looked = new CountDownLatch(1);
        AtomicReference<Dispatcher> own = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Dispatcher d = Dispatcher.current();
            own.set(d);
            created.countDown();
            try {
                looked.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                d.invokeShutdown();
            }
        }, "registry-from-thread");
        t.start();
        try {
            assertThat(created.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(Dispatcher.fromThread(t)).isNotNull().isSameAs(own.get());
        } finally {
            looked.countDown();
            t.join(5_000);
        }
    }

    @Test
    void fromThreadOfThreadWithoutDispatcherIsNullAndDoesNotCreateOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread plain = new Thread(() -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "registry-plain");
        plain.start();
        try {
            assertThat(Dispatcher.fromThread(plain)).isNull();
            assertThat(Dispatcher.fromThread(plain)).as("looking must not create one").isNull();
        } finally {
            release.countDown();
            plain.join(5_000);
        }
        // the calling thread's own branch of fromThread: a fresh thread has none and must not get one
        Dispatcher self = TestDispatchers.onNewThread("registry-self",
                () -> Dispatcher.fromThread(Thread.currentThread()));
        assertThat(self).isNull();
    }

    @Test
    void fromThreadRejectsNull() {
        assertThatThrownBy(() -> Dispatcher.fromThread(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void startNamesTheThreadAndRegistersTheDispatcherForIt() {
        Dispatcher d = start("registry-named");
        Thread t = d.thread();
        assertThat(t.getName()).isEqualTo("registry-named");
        assertThat(t.isDaemon()).as("start() makes a non-daemon thread").isFalse();
        assertThat(t).isNotSameAs(Thread.currentThread());
        assertThat(Dispatcher.fromThread(t)).isSameAs(d);
        // on its own thread it is current(), and that thread is the one it runs its operations on
        assertThat(d.invoke(Dispatcher::current)).isSameAs(d);
        assertThat(d.invoke(Thread::currentThread)).isSameAs(t);
        assertThat(d.invoke(() -> Dispatcher.fromThread(Thread.currentThread()))).isSameAs(d);
    }

    @Test
    void startRejectsNullName() {
        assertThatThrownBy(() -> Dispatcher.start(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void checkAccessIsTrueOnlyOnTheOwnerThread() {
        Dispatcher d = start("registry-check");
        assertThat(d.checkAccess()).isFalse();
        assertThat(d.invoke(d::checkAccess)).isTrue();
        assertThat(d.invokeAsync(d::checkAccess, DispatcherPriority.BACKGROUND).toCompletableFuture().join()).isTrue();
    }

    @Test
    void verifyAccessPassesOnTheOwnerAndNamesBothThreadsOtherwise() {
        Dispatcher d = start("registry-owner");
        d.invoke(d::verifyAccess); // no exception on the owner

        Thread caller = Thread.currentThread();
        WrongDispatcherException e = catchThrowableOfType(WrongDispatcherException.class, d::verifyAccess);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("registry-owner").contains(caller.getName());
        assertThat(e.ownerThread()).isSameAs(d.thread());
        assertThat(e.callingThread()).isSameAs(caller);
    }

    @Test
    void verifyAccessFromAnotherDispatcherThreadNamesThatThread() {
        Dispatcher owner = start("registry-a");
        Dispatcher other = start("registry-b");
        WrongDispatcherException e = other.invoke(
                () -> catchThrowableOfType(WrongDispatcherException.class, owner::verifyAccess));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("'registry-a'").contains("'registry-b'");
        assertThat(e.ownerThread()).isSameAs(owner.thread());
        assertThat(e.callingThread()).isSameAs(other.thread());
    }

    @Test
    void acceptsPostsBeforeItsLoopRuns() throws Exception {
        CountDownLatch created = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Dispatcher> ref = new AtomicReference<>();
        AtomicReference<Throwable> loopFailure = new AtomicReference<>();
        Thread owner = new Thread(() -> {
            try {
                Dispatcher d = Dispatcher.current();
                ref.set(d);
                created.countDown();
                go.await(5, TimeUnit.SECONDS);
                d.run(); // returns once the last post shuts it down
            } catch (Throwable t) {
                loopFailure.set(t);
            }
        }, "registry-late-loop");
        owner.start();
        try {
            assertThat(created.await(5, TimeUnit.SECONDS)).isTrue();
            Dispatcher d = ref.get();
            List<String> ran = new CopyOnWriteArrayList<>();
            DispatcherOperation<Void> first = d.post(() -> ran.add("first"));
            DispatcherOperation<String> second = d.invokeAsync(() -> {
                ran.add("second");
                return Thread.currentThread().getName();
            }, DispatcherPriority.BACKGROUND);
            d.post(d::invokeShutdown, DispatcherPriority.SYSTEM_IDLE);

            assertThat(first.status()).isEqualTo(DispatcherOperationStatus.PENDING);
            assertThat(second.status()).isEqualTo(DispatcherOperationStatus.PENDING);
            assertThat(ran).as("nothing runs before the loop does").isEmpty();

            go.countDown();
            assertThat(second.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("registry-late-loop");
            assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
            assertThat(first.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
            assertThat(ran).containsExactly("first", "second");
        } finally {
            go.countDown();
            owner.join(5_000);
        }
        assertThat(owner.isAlive()).isFalse();
        assertThat(loopFailure.get()).isNull();
    }
}
