package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class UnhandledExceptionTest {

    private static final Duration SHUTDOWN = TestDispatchers.SHUTDOWN;

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private Dispatcher start(String name) {
        return dispatchers.start(name);
    }

    /** What reached the uncaught-exception handler of a dispatcher's thread. */
    private static final class Uncaught {
        final CompletableFuture<Throwable> first = new CompletableFuture<>();
        final List<Throwable> all = new CopyOnWriteArrayList<>();
        final AtomicReference<Thread> thread = new AtomicReference<>();

        static Uncaught install(Dispatcher d) {
            Uncaught u = new Uncaught();
            // set on the owner thread itself, before anything can throw there
            d.invoke(() -> Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {
                u.thread.set(t);
                u.all.add(e);
                u.first.complete(e);
            }));
            return u;
        }
    }

    private static Runnable thrower(RuntimeException e) {
        return () -> {
            throw e;
        };
    }

    @Test
    void filterRunsFirstThenHandlersAndHandledKeepsTheLoopGoing() throws Exception {
        Dispatcher d = start("unhandled-handled");
        Uncaught uncaught = Uncaught.install(d);
        List<String> log = new CopyOnWriteArrayList<>();
        RuntimeException boom = new RuntimeException("boom");
        d.addUnhandledExceptionFilter(args -> log.add("filter: " + args.exception().getMessage()
                + " same=" + (args.exception() == boom) + " dispatcher=" + (args.dispatcher() == d)
                + " owner=" + d.checkAccess() + " requestCatch=" + args.requestCatch()));
        d.addUnhandledExceptionHandler(args -> {
            log.add("handler: same=" + (args.exception() == boom) + " dispatcher=" + (args.dispatcher() == d)
                    + " owner=" + d.checkAccess() + " handled=" + args.handled());
            args.setHandled(true);
        });

        DispatcherOperation<Void> failing = d.post(thrower(boom));
        DispatcherOperation<Void> later = d.post(() -> log.add("later post"));
        later.toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(log).containsExactly(
                "filter: boom same=true dispatcher=true owner=true requestCatch=true",
                "handler: same=true dispatcher=true owner=true handled=false",
                "later post");
        assertThat(failing.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertThat(failing.toCompletableFuture()).as("every operation's future completes").isDone();
        assertThat(d.hasShutdownStarted()).isFalse();
        assertThat(uncaught.all).isEmpty();
    }

    @Test
    void handlersCanOnlySetHandled() throws Exception {
        Dispatcher d = start("unhandled-only-set");
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        d.addUnhandledExceptionHandler(args -> args.setHandled(true));
        d.addUnhandledExceptionHandler(args -> {
            args.setHandled(false); // ignored: another handler already handled it
            seen.add(args.handled());
        });
        d.post(thrower(new IllegalStateException("x")));
        assertThat(d.invoke(() -> "alive", DispatcherPriority.SYSTEM_IDLE)).isEqualTo("alive");
        assertThat(seen).containsExactly(true);
        assertThat(d.hasShutdownStarted()).isFalse();
    }

    @Test
    void notHandledLeavesTheLoopShutsDownAndReachesTheThreadsHandler() throws Exception {
        Dispatcher d = start("unhandled-escapes");
        Uncaught uncaught = Uncaught.install(d);
        RuntimeException boom = new IllegalArgumentException("escapes");
        AtomicInteger handlerCalls = new AtomicInteger();
        List<String> log = new CopyOnWriteArrayList<>();
        d.addUnhandledExceptionHandler(args -> handlerCalls.incrementAndGet()); // looks, does not handle
        d.addShutdownStartedListener(() -> log.add("shutdown started"));
        d.addShutdownFinishedListener(() -> log.add("shutdown finished"));

        DispatcherOperation<Void> failing;
        DispatcherOperation<Void> pending;
        DispatcherOperation<String> inactive;
        AtomicBoolean pendingRan = new AtomicBoolean();
        CountDownLatch release = TestDispatchers.block(d);
        try {
            failing = d.post(thrower(boom));
            pending = d.post(() -> pendingRan.set(true), DispatcherPriority.BACKGROUND);
            inactive = d.invokeAsync(() -> "never", DispatcherPriority.INACTIVE);
        } finally {
            release.countDown();
        }

        assertThat(uncaught.first.get(5, TimeUnit.SECONDS)).isSameAs(boom);
        assertThat(uncaught.thread.get()).isSameAs(d.thread());
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        d.thread().join(5_000);
        assertThat(d.thread().isAlive()).isFalse();
        assertThat(uncaught.all).containsExactly(boom);
        assertThat(handlerCalls.get()).isEqualTo(1);
        assertThat(log).containsExactly("shutdown started", "shutdown finished");
        assertThat(failing.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertThat(pending.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
        assertThat(inactive.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
        assertThat(pending.toCompletableFuture()).isCompletedExceptionally();
        assertThat(inactive.toCompletableFuture()).isCompletedExceptionally();
        assertThat(pendingRan.get()).isFalse();
    }

    @Test
    void withoutAnyHandlerAThrowingPostEndsTheDispatcher() throws Exception {
        Dispatcher d = start("unhandled-no-handler");
        Uncaught uncaught = Uncaught.install(d);
        Error error = new AssertionError("no handler");
        d.post(() -> {
            throw error;
        });
        assertThat(uncaught.first.get(5, TimeUnit.SECONDS)).isSameAs(error);
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
    }

    @Test
    void aFilterThatLowersRequestCatchSkipsTheHandlers() throws Exception {
        Dispatcher d = start("unhandled-filtered");
        Uncaught uncaught = Uncaught.install(d);
        RuntimeException boom = new RuntimeException("filtered");
        AtomicInteger handlerCalls = new AtomicInteger();
        List<Boolean> secondFilterSaw = new CopyOnWriteArrayList<>();
        d.addUnhandledExceptionFilter(args -> args.setRequestCatch(false));
        d.addUnhandledExceptionFilter(args -> {
            args.setRequestCatch(true); // ignored: filters can only lower it
            secondFilterSaw.add(args.requestCatch());
        });
        d.addUnhandledExceptionHandler(args -> {
            handlerCalls.incrementAndGet();
            args.setHandled(true); // would keep the loop alive, if it were asked
        });

        d.post(thrower(boom));
        assertThat(uncaught.first.get(5, TimeUnit.SECONDS)).isSameAs(boom);
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        assertThat(secondFilterSaw).containsExactly(false);
        assertThat(handlerCalls.get()).isZero();
    }

    @Test
    void aFilterThatKeepsRequestCatchLetsHandlersHandle() throws Exception {
        Dispatcher d = start("unhandled-filter-keeps");
        List<String> log = new CopyOnWriteArrayList<>();
        d.addUnhandledExceptionFilter(args -> {
            args.setRequestCatch(true);
            log.add("filter");
        });
        d.addUnhandledExceptionHandler(args -> {
            log.add("handler");
            args.setHandled(true);
        });
        d.post(thrower(new RuntimeException()));
        assertThat(d.invoke(() -> "alive", DispatcherPriority.SYSTEM_IDLE)).isEqualTo("alive");
        assertThat(log).containsExactly("filter", "handler");
    }

    @Test
    void timerTickExceptionsGoToTheSameEvents() throws Exception {
        Dispatcher d = start("unhandled-timer");
        RuntimeException boom = new RuntimeException("tick");
        List<Throwable> filtered = new CopyOnWriteArrayList<>();
        List<Throwable> handled = new CopyOnWriteArrayList<>();
        CountDownLatch twice = new CountDownLatch(2);
        d.addUnhandledExceptionFilter(args -> filtered.add(args.exception()));
        d.addUnhandledExceptionHandler(args -> {
            handled.add(args.exception());
            args.setHandled(true);
            twice.countDown();
        });
        DispatcherTimer timer = new DispatcherTimer(Duration.ofMillis(1), DispatcherPriority.NORMAL, t -> {
            throw boom;
        }, d);
        try {
            assertThat(twice.await(5, TimeUnit.SECONDS)).as("handled: the timer keeps ticking").isTrue();
        } finally {
            timer.stop();
        }
        assertThat(filtered).hasSizeGreaterThanOrEqualTo(2).allSatisfy(e -> assertThat(e).isSameAs(boom));
        assertThat(handled).hasSizeGreaterThanOrEqualTo(2).allSatisfy(e -> assertThat(e).isSameAs(boom));
    }

    @Test
    void anUnhandledTimerTickExceptionEndsTheDispatcher() throws Exception {
        Dispatcher d = start("unhandled-timer-escapes");
        Uncaught uncaught = Uncaught.install(d);
        RuntimeException boom = new RuntimeException("tick escapes");
        new DispatcherTimer(Duration.ofMillis(1), DispatcherPriority.BACKGROUND, t -> {
            throw boom;
        }, d);
        assertThat(uncaught.first.get(5, TimeUnit.SECONDS)).isSameAs(boom);
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
    }

    @Test
    void synchronizationContextPostsAndExecutorTasksGoToTheSameEvents() throws Exception {
        Dispatcher d = start("unhandled-context");
        List<String> handled = new CopyOnWriteArrayList<>();
        d.addUnhandledExceptionHandler(args -> {
            handled.add(args.exception().getMessage());
            args.setHandled(true);
        });
        d.synchronizationContext(DispatcherPriority.NORMAL).post(thrower(new RuntimeException("context")));
        d.invoke(() -> SynchronizationContext.current().post(thrower(new RuntimeException("captured context"))));
        d.executor(DispatcherPriority.INPUT).execute(thrower(new RuntimeException("executor")));
        d.callbacks().execute(thrower(new RuntimeException("callback")));
        assertThat(d.invoke(() -> "alive", DispatcherPriority.SYSTEM_IDLE)).isEqualTo("alive");
        assertThat(handled).containsExactlyInAnyOrder("context", "captured context", "executor", "callback");
    }

    @Test
    void invokeAndInvokeAsyncExceptionsNeverReachTheEvents() throws Exception {
        Dispatcher d = start("unhandled-invoke");
        Uncaught uncaught = Uncaught.install(d);
        AtomicInteger events = new AtomicInteger();
        d.addUnhandledExceptionFilter(args -> events.incrementAndGet());
        d.addUnhandledExceptionHandler(args -> events.incrementAndGet()); // never handles: would kill the loop
        RuntimeException boom = new RuntimeException("caller's");

        assertThat(catchThrowable(() -> d.invoke(thrower(boom)))).isSameAs(boom);
        assertThat(catchThrowable(() -> d.invoke(thrower(boom), DispatcherPriority.BACKGROUND))).isSameAs(boom);
        DispatcherOperation<Void> async = d.invokeAsync(thrower(boom));
        assertThat(catchThrowable(async::get)).isInstanceOf(ExecutionException.class).hasCause(boom);
        // owner-thread invokes, inline and through a nested frame, caught by the operation that made them
        Throwable[] onOwner = d.invoke(() -> new Throwable[] {
            catchThrowable(() -> d.invoke(thrower(boom))),
            catchThrowable(() -> d.invoke(thrower(boom), DispatcherPriority.INPUT)),
        });
        assertThat(onOwner).containsExactly(boom, boom);

        assertThat(d.invoke(() -> "alive", DispatcherPriority.SYSTEM_IDLE)).isEqualTo("alive");
        assertThat(events.get()).isZero();
        assertThat(d.hasShutdownStarted()).isFalse();
        assertThat(uncaught.all).isEmpty();
    }

    @Test
    void anUnhandledExceptionInANestedFrameUnwindsThroughTheOperationsBelowIt() throws Exception {
        Dispatcher d = start("unhandled-nested");
        Uncaught uncaught = Uncaught.install(d);
        RuntimeException boom = new RuntimeException("from the nested frame");
        AtomicInteger handlerCalls = new AtomicInteger();
        d.addUnhandledExceptionHandler(args -> handlerCalls.incrementAndGet()); // does not handle
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicReference<DispatcherOperation<Void>> middle = new AtomicReference<>();

        DispatcherOperation<Void> outer = d.invokeAsync(() -> {
            middle.set(d.post(() -> {
                d.post(thrower(boom));
                d.pushFrame(new DispatcherFrame());
                log.add("middle post resumed");
            }));
            d.pushFrame(new DispatcherFrame());
            log.add("outer operation resumed");
        });

        assertThat(uncaught.first.get(5, TimeUnit.SECONDS)).isSameAs(boom);
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        assertThat(log).as("the frames were unwound, not returned from").isEmpty();
        assertThat(handlerCalls.get()).as("raised once, not again for each operation it unwinds").isEqualTo(1);
        assertThat(uncaught.all).containsExactly(boom);
        assertThat(catchThrowable(() -> outer.toCompletableFuture().get(1, TimeUnit.SECONDS)))
                .isInstanceOf(ExecutionException.class).hasCause(boom);
        assertThat(outer.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertThat(middle.get().status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
    }
}
