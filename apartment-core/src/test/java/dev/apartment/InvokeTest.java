package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class InvokeTest {

    private static final Duration SHUTDOWN = TestDispatchers.SHUTDOWN;

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private Dispatcher start(String name) {
        return dispatchers.start(name);
    }

    /** Hooks that remember which operations a given thread posted, and which operations started. */
    private static final class Recorder implements DispatcherHooks {
        final List<DispatcherOperation<?>> posted = new CopyOnWriteArrayList<>();
        final List<Thread> postedBy = new CopyOnWriteArrayList<>();
        final List<DispatcherOperation<?>> started = new CopyOnWriteArrayList<>();
        final List<DispatcherOperation<?>> aborted = new CopyOnWriteArrayList<>();
        final CountDownLatch firstPost = new CountDownLatch(1);

        @Override
        public void operationPosted(DispatcherOperation<?> operation) {
            posted.add(operation);
            postedBy.add(Thread.currentThread());
            firstPost.countDown();
        }

        @Override
        public void operationStarted(DispatcherOperation<?> operation) {
            started.add(operation);
        }

        @Override
        public void operationAborted(DispatcherOperation<?> operation) {
            aborted.add(operation);
        }

        /** The last operation that {@code t} posted, or null. */
        DispatcherOperation<?> postedBy(Thread t) {
            for (int i = posted.size() - 1; i >= 0; i--) {
                if (postedBy.get(i) == t) {
                    return posted.get(i);
                }
            }
            return null;
        }
    }

    /** Lets wall-clock time pass until {@code nanoTime}: timeouts are about time, so some must elapse. */
    private static void passTimeUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private static int operationFramesOnStack() {
        int n = 0;
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            if (e.getClassName().equals(DispatcherOperation.class.getName()) && e.getMethodName().equals("execute")) {
                n++;
            }
        }
        return n;
    }

    @Test
    void invokeFromForeignThreadReturnsTheValueComputedOnTheOwner() {
        Dispatcher d = start("invoke-foreign");
        assertThat(d.invoke(() -> Thread.currentThread().getName())).isEqualTo("invoke-foreign");
        assertThat(d.invoke(() -> 42, DispatcherPriority.BACKGROUND)).isEqualTo(42);
        assertThat(d.invoke(() -> "late", DispatcherPriority.SYSTEM_IDLE, Duration.ofSeconds(5))).isEqualTo("late");

        AtomicReference<Thread> ranOn = new AtomicReference<>();
        d.invoke(() -> ranOn.set(Thread.currentThread()));
        assertThat(ranOn.get()).isSameAs(d.thread());
    }

    @Test
    void invokeFromForeignThreadIsQueuedAsCall() {
        Dispatcher d = start("invoke-call");
        Recorder hooks = new Recorder();
        d.addHooks(hooks);
        d.invoke(() -> 1, DispatcherPriority.NORMAL);
        DispatcherOperation<?> op = hooks.postedBy(Thread.currentThread());
        assertThat(op).isNotNull();
        assertThat(op.kind()).isEqualTo(OperationKind.CALL);
        assertThat(op.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
    }

    @Test
    void invokeAtSendOnTheOwnerRunsInlineWithoutHooks() {
        Dispatcher d = start("invoke-inline");
        Recorder hooks = new Recorder();
        List<String> log = new CopyOnWriteArrayList<>();
        int[] depths = new int[2];
        int[] hookCounts = new int[4];
        d.invoke(() -> {
            d.addHooks(hooks);
            d.post(() -> log.add("queued send"), DispatcherPriority.SEND); // would run first in any nested loop
            hookCounts[0] = hooks.posted.size();
            hookCounts[1] = hooks.started.size();
            depths[0] = operationFramesOnStack();
            String inner = d.invoke(() -> {
                depths[1] = operationFramesOnStack();
                log.add("inline");
                return "inline result";
            });
            log.add("after: " + inner);
            hookCounts[2] = hooks.posted.size();
            hookCounts[3] = hooks.started.size();
        });
        assertThat(hookCounts[2]).as("an inline invoke posts nothing").isEqualTo(hookCounts[0]);
        assertThat(hookCounts[3]).as("an inline invoke starts no operation").isEqualTo(hookCounts[1]);
        assertThat(depths[1]).as("runs on the caller's stack, not inside another operation").isEqualTo(depths[0]);
        // the queued SEND post did not get a chance to run in between: there was no nested loop
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(log).containsExactly("inline", "after: inline result", "queued send");
    }

    @Test
    void invokeAtLowerPriorityOnTheOwnerPumpsANestedFrame() {
        Dispatcher d = start("invoke-nested");
        Recorder hooks = new Recorder();
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicReference<DispatcherOperation<?>> invoked = new AtomicReference<>();
        DispatcherOperation<Void> outer = d.invokeAsync(() -> {
            d.addHooks(hooks); // here: a hook added before could still hear of this operation's own post
            d.post(() -> log.add("input posted earlier"), DispatcherPriority.INPUT);
            d.post(() -> log.add("idle posted earlier"), DispatcherPriority.SYSTEM_IDLE);
            int before = hooks.posted.size();
            String r = d.invoke(() -> {
                log.add("invoked");
                return "r";
            }, DispatcherPriority.BACKGROUND);
            log.add("invoke returned " + r);
            invoked.set(hooks.posted.get(before));
        }, DispatcherPriority.NORMAL);
        outer.toCompletableFuture().join();
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE); // let the idle post run

        // INPUT (below the running NORMAL operation but above BACKGROUND) ran inside the invoke's nested frame;
        // the SYSTEM_IDLE post, below the invoked priority, waited until the outer operation had returned
        assertThat(log).containsExactly(
                "input posted earlier", "invoked", "invoke returned r", "idle posted earlier");
        assertThat(invoked.get().priority()).isEqualTo(DispatcherPriority.BACKGROUND);
        assertThat(invoked.get().kind()).as("an owner-thread invoke is not a cross-thread call")
                .isEqualTo(OperationKind.MESSAGE);
        assertThat(invoked.get().status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
    }

    @Test
    void uncheckedExceptionsAreRethrownAsTheyAre() {
        Dispatcher d = start("invoke-unchecked");
        IllegalStateException boom = new IllegalStateException("boom");
        assertThat(catchThrowable(() -> d.invoke(() -> {
            throw boom;
        }))).isSameAs(boom);
        assertThat(catchThrowable(() -> d.invoke((Callable<Object>) () -> {
            throw boom;
        }, DispatcherPriority.BACKGROUND))).isSameAs(boom);

        AssertionError error = new AssertionError("error");
        assertThat(catchThrowable(() -> d.invoke(() -> {
            throw error;
        }))).isSameAs(error);

        // on the owner thread: inline (SEND) and through a nested frame (NORMAL)
        Throwable[] onOwner = d.invoke(() -> new Throwable[] {
            catchThrowable(() -> d.invoke(() -> {
                throw boom;
            })),
            catchThrowable(() -> d.invoke(() -> {
                throw boom;
            }, DispatcherPriority.NORMAL)),
        });
        assertThat(onOwner[0]).isSameAs(boom);
        assertThat(onOwner[1]).isSameAs(boom);
        assertThat(d.hasShutdownStarted()).as("an invoke's exception is its caller's, not the loop's").isFalse();
    }

    @Test
    void checkedExceptionsAreWrappedInCompletionException() {
        Dispatcher d = start("invoke-checked");
        IOException io = new IOException("io");
        Callable<String> throwsChecked = () -> {
            throw io;
        };
        assertThat(catchThrowable(() -> d.invoke(throwsChecked)))
                .isExactlyInstanceOf(CompletionException.class).cause().isSameAs(io);
        assertThat(catchThrowable(() -> d.invoke(throwsChecked, DispatcherPriority.BACKGROUND, Duration.ofSeconds(5))))
                .isExactlyInstanceOf(CompletionException.class).cause().isSameAs(io);

        Throwable[] onOwner = d.invoke(() -> new Throwable[] {
            catchThrowable(() -> d.invoke(throwsChecked)),
            catchThrowable(() -> d.invoke(throwsChecked, DispatcherPriority.INPUT)),
        });
        assertThat(onOwner[0]).isExactlyInstanceOf(CompletionException.class).cause().isSameAs(io);
        assertThat(onOwner[1]).isExactlyInstanceOf(CompletionException.class).cause().isSameAs(io);
    }

    @Test
    void invokeAsyncExceptionsGoToTheOperationOnly() throws Exception {
        Dispatcher d = start("invoke-async-exception");
        AtomicInteger filtered = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        d.addUnhandledExceptionFilter(args -> filtered.incrementAndGet());
        d.addUnhandledExceptionHandler(args -> handled.incrementAndGet());

        IllegalArgumentException unchecked = new IllegalArgumentException("unchecked");
        IOException checked = new IOException("checked");
        DispatcherOperation<Object> a = d.invokeAsync(() -> {
            throw unchecked;
        });
        DispatcherOperation<Object> b = d.invokeAsync(() -> {
            throw checked;
        }, DispatcherPriority.BACKGROUND);
        DispatcherOperation<Void> c = d.invokeAsync((Runnable) () -> {
            throw unchecked;
        }, DispatcherPriority.INPUT);

        assertThat(catchThrowable(a::get)).isInstanceOf(ExecutionException.class).cause().isSameAs(unchecked);
        assertThat(catchThrowable(b::get)).isInstanceOf(ExecutionException.class).cause().isSameAs(checked);
        assertThat(catchThrowable(() -> c.toCompletableFuture().get(5, TimeUnit.SECONDS)))
                .isInstanceOf(ExecutionException.class).cause().isSameAs(unchecked);
        assertThat(a.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);

        // the loop is alive and no unhandled-exception event was raised
        assertThat(d.invoke(() -> "alive", DispatcherPriority.SYSTEM_IDLE)).isEqualTo("alive");
        assertThat(filtered.get()).isZero();
        assertThat(handled.get()).isZero();
        assertThat(d.hasShutdownStarted()).isFalse();
    }

    @Test
    void timeoutOnABlockedDispatcherAbortsTheOperationAndItNeverRuns() throws Exception {
        Dispatcher d = start("invoke-timeout");
        Recorder hooks = new Recorder();
        d.addHooks(hooks);
        AtomicBoolean ran = new AtomicBoolean();
        CountDownLatch release = TestDispatchers.block(d);
        try {
            Duration timeout = Duration.ofMillis(100);
            long t0 = System.nanoTime();
            Throwable thrown = catchThrowable(() -> d.invoke(() -> ran.set(true), DispatcherPriority.NORMAL, timeout));
            long elapsed = System.nanoTime() - t0;
            assertThat(thrown).isInstanceOf(DispatcherTimeoutException.class);
            assertThat(elapsed).as("waited the timeout out").isGreaterThanOrEqualTo(timeout.toNanos());

            DispatcherOperation<?> op = hooks.postedBy(Thread.currentThread());
            assertThat(op).isNotNull();
            assertThat(op.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
            assertThat(op.toCompletableFuture()).isCompletedExceptionally();
            assertThat(hooks.aborted).contains(op);
        } finally {
            release.countDown();
        }
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE); // anything at NORMAL would have run before this
        assertThat(ran.get()).as("the timed-out operation never runs").isFalse();
    }

    @Test
    void zeroTimeoutOnABlockedDispatcherTimesOutAtOnce() throws Exception {
        Dispatcher d = start("invoke-zero-timeout");
        AtomicBoolean ran = new AtomicBoolean();
        CountDownLatch release = TestDispatchers.block(d);
        try {
            assertThatThrownBy(() -> d.invoke(() -> {
                ran.set(true);
                return 1;
            }, DispatcherPriority.SEND, Duration.ZERO)).isInstanceOf(DispatcherTimeoutException.class);
        } finally {
            release.countDown();
        }
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(ran.get()).isFalse();
    }

    @Test
    void anOperationThatStartedBeforeTheTimeoutIsWaitedForToTheEnd() throws Exception {
        Dispatcher d = start("invoke-started-in-time");
        Duration timeout = Duration.ofMillis(200);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong startedAt = new AtomicLong();
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread invoker = new Thread(() -> {
            try {
                result.complete(d.invoke(() -> {
                    startedAt.set(System.nanoTime());
                    started.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return "finished";
                }, DispatcherPriority.NORMAL, timeout));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "invoker");
        invoker.start();
        try {
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            // the invoker's deadline is earlier than start + timeout: once that has passed, it has timed out
            passTimeUntil(startedAt.get() + timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(50));
            assertThat(result).as("invoke waits for a started operation past its timeout").isNotDone();
        } finally {
            release.countDown();
        }
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("finished");
        invoker.join(5_000);
    }

    @Test
    void onTheOwnerThreadTheTimeoutAlsoBoundsTheStart() {
        Dispatcher d = start("invoke-owner-timeout");
        Duration timeout = Duration.ofMillis(50);
        AtomicBoolean ran = new AtomicBoolean();
        Throwable thrown = d.invoke(() -> {
            // the nested frame runs this first (higher priority), and it outlasts the timeout
            d.post(() -> passTimeUntil(System.nanoTime() + 3 * timeout.toNanos()), DispatcherPriority.NORMAL);
            return catchThrowable(() -> d.invoke(() -> ran.set(true), DispatcherPriority.BACKGROUND, timeout));
        });
        assertThat(thrown).isInstanceOf(DispatcherTimeoutException.class);
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(ran.get()).isFalse();
    }

    @Test
    void negativeOrNullTimeoutIsRejectedAndNothingIsQueued() {
        Dispatcher d = start("invoke-bad-timeout");
        Recorder hooks = new Recorder();
        d.addHooks(hooks);
        AtomicBoolean ran = new AtomicBoolean();
        Duration negative = Duration.ofMillis(-1);
        assertThatThrownBy(() -> d.invoke(() -> ran.getAndSet(true), DispatcherPriority.NORMAL, negative))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.invoke(() -> ran.set(true), DispatcherPriority.NORMAL, negative))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.invoke(() -> ran.getAndSet(true), DispatcherPriority.NORMAL, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> d.invoke(() -> ran.set(true), DispatcherPriority.NORMAL, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> d.invoke(() -> ran.set(true), DispatcherPriority.INVALID))
                .isInstanceOf(IllegalArgumentException.class);
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(ran.get()).isFalse();
        assertThat(hooks.posted).as("only the flush was queued").hasSize(1);
    }

    @Test
    void interruptingAForeignInvokerEndsItsWaitAndAbortsThePendingOperation() throws Exception {
        Dispatcher d = start("invoke-interrupt");
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptFlag = new AtomicBoolean();
        CountDownLatch release = TestDispatchers.block(d);
        Recorder hooks = new Recorder(); // after TestDispatchers.block(): its first post is the invoker's
        d.addHooks(hooks);
        Thread invoker = new Thread(() -> {
            try {
                d.invoke(() -> ran.set(true), DispatcherPriority.NORMAL);
            } catch (Throwable t) {
                thrown.set(t);
            }
            interruptFlag.set(Thread.currentThread().isInterrupted());
        }, "interrupted-invoker");
        try {
            invoker.start();
            assertThat(hooks.firstPost.await(5, TimeUnit.SECONDS)).isTrue();
            DispatcherOperation<?> op = hooks.postedBy(invoker);
            invoker.interrupt();
            invoker.join(5_000);
            assertThat(invoker.isAlive()).as("the invoker returned while the owner was still blocked").isFalse();
            assertThat(thrown.get()).isInstanceOf(OperationAbortedException.class);
            assertThat(interruptFlag.get()).as("interrupt status kept").isTrue();
            assertThat(op.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
        } finally {
            release.countDown();
        }
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(ran.get()).as("the aborted operation never runs").isFalse();
    }

    @Test
    void invokeAfterShutdownThrowsDispatcherShutdownException() throws Exception {
        Dispatcher d = start("invoke-after-shutdown");
        d.invokeShutdown();
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> d.invoke(() -> ran.getAndSet(true)))
                .isInstanceOf(DispatcherShutdownException.class);
        assertThatThrownBy(() -> d.invoke(() -> ran.set(true)))
                .isInstanceOf(DispatcherShutdownException.class);
        assertThatThrownBy(() -> d.invoke(() -> ran.getAndSet(true), DispatcherPriority.BACKGROUND))
                .isInstanceOf(DispatcherShutdownException.class);
        assertThatThrownBy(() -> d.invoke(() -> ran.set(true), DispatcherPriority.NORMAL, Duration.ofSeconds(1)))
                .isInstanceOf(DispatcherShutdownException.class);
        assertThat(ran.get()).isFalse();
    }
}
