package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Dispatcher#waitFor} and its policies: what a wait on a dispatcher thread dispatches, and what it holds back. */
@Timeout(10)
class WaitForTest {

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    /** An asynchronous API whose completion comes back on the caller's dispatcher, like a webview's. */
    private static CompletableFuture<String> fetchAsync(Dispatcher callerDispatcher, String what) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> callerDispatcher.callbacks().execute(() -> {
            assertThat(callerDispatcher.checkAccess()).isTrue();
            result.complete("fetched " + what);
        }), "fetch-worker");
        worker.start();
        return result;
    }

    @Test
    void aSelfMarshalledCompletionWorksFromInsideAnOperation() {
        Dispatcher d = dispatchers.start("wait-self-marshalled");
        String value = d.invoke(() -> d.waitFor(fetchAsync(d, "page"), WaitPolicy.CALLS));
        assertThat(value).isEqualTo("fetched page");
    }

    @Test
    void underCallsQueuedInputAndPostsWaitAndThenRunInFifoOrder() {
        Dispatcher d = dispatchers.start("wait-calls");
        List<String> log = new CopyOnWriteArrayList<>();
        d.invoke(() -> {
            d.post(() -> log.add("input"), DispatcherPriority.INPUT);
            d.post(() -> log.add("post"), DispatcherPriority.INPUT);
            CompletableFuture<String> f = new CompletableFuture<>();
            new Thread(() -> d.callbacks().execute(() -> {
                log.add("completion");
                f.complete("done");
            }), "completer").start();
            log.add("wait returned " + d.waitFor(f, WaitPolicy.CALLS));
        });
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE); // everything queued before has run
        assertThat(log).containsExactly("completion", "wait returned done", "input", "post");
    }

    @Test
    void underCallsAndMessagesQueuedInputAndPostsRunDuringTheWait() {
        Dispatcher d = dispatchers.start("wait-all");
        List<String> log = new CopyOnWriteArrayList<>();
        d.invoke(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            d.post(() -> log.add("input"), DispatcherPriority.INPUT);
            d.post(() -> {
                log.add("post");
                f.complete("done"); // completed by a message: only a wait that runs messages gets here
            }, DispatcherPriority.INPUT);
            log.add("wait returned " + d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES));
        });
        assertThat(log).containsExactly("input", "post", "wait returned done");
    }

    @Test
    void aWaitRunsItsOwnAwaitedMessageEvenUnderCalls() {
        Dispatcher d = dispatchers.start("wait-own");
        List<String> log = new CopyOnWriteArrayList<>();
        String r = d.invoke(() -> {
            d.post(() -> log.add("other post"), DispatcherPriority.NORMAL);
            DispatcherOperation<String> own = d.invokeAsync(() -> {
                log.add("own");
                return "own result";
            }, DispatcherPriority.BACKGROUND);
            assertThat(own.kind()).isEqualTo(OperationKind.MESSAGE);
            return d.waitFor(own, WaitPolicy.CALLS);
        });
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(r).isEqualTo("own result");
        assertThat(log).containsExactly("own", "other post");
    }

    @Test
    void callsRunInPriorityOrderDuringAWait() throws Exception {
        Dispatcher d = dispatchers.start("wait-order");
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch bothQueued = new CountDownLatch(2);
        d.addHooks(new DispatcherHooks() {
            @Override
            public void operationPosted(DispatcherOperation<?> operation) {
                if (operation.kind() == OperationKind.CALL) {
                    bothQueued.countDown();
                }
            }
        });
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> done = new CompletableFuture<>();
        DispatcherOperation<Void> waiter = d.invokeAsync(() -> {
            release.await(5, TimeUnit.SECONDS); // the two calls queue up meanwhile
            d.callbacks().execute(() -> done.complete(null)); // NORMAL: between the two
            d.waitFor(done, WaitPolicy.CALLS);
            log.add("returned");
            return null;
        });
        Thread low = new Thread(() -> d.invoke(() -> log.add("background call"), DispatcherPriority.BACKGROUND), "low");
        Thread high = new Thread(() -> d.invoke(() -> log.add("send call"), DispatcherPriority.SEND), "high");
        low.start();
        high.start();
        assertThat(bothQueued.await(5, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        waiter.await(Duration.ofSeconds(5));
        low.join(5_000);
        high.join(5_000);
        // SEND runs before the NORMAL completion ends the wait; BACKGROUND is a call too, but lower than it.
        assertThat(log).containsExactly("send call", "returned", "background call");
    }

    @Test
    void anOuterWaitCompletedDuringAnInnerOneReturnsOnlyAfterTheInnerOneExits() {
        Dispatcher d = dispatchers.start("wait-nesting");
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> outer = new CompletableFuture<>();
        CompletableFuture<String> inner = new CompletableFuture<>();
        CountDownLatch innerWaiting = new CountDownLatch(1);
        DispatcherOperation<Void> outerWait = d.invokeAsync(() -> {
            d.post(() -> {
                innerWaiting.countDown();
                log.add("inner returned " + d.waitFor(inner, WaitPolicy.CALLS_AND_MESSAGES));
            });
            log.add("outer returned " + d.waitFor(outer, WaitPolicy.CALLS_AND_MESSAGES));
            return null;
        });
        try {
            assertThat(innerWaiting.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        outer.complete("o");
        // The outer wait is satisfied, but it is below the inner one on the stack: it cannot return yet.
        assertThat(d.invoke(() -> log.toString(), DispatcherPriority.SEND)).isEqualTo("[]");
        inner.complete("i");
        assertThat(outerWait.await(Duration.ofSeconds(5))).isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertThat(log).containsExactly("inner returned i", "outer returned o");
    }

    @Test
    void waitForAllAndAnyOnTheOwnerThread() {
        Dispatcher d = dispatchers.start("wait-all-any");
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        int[] any = new int[1];
        boolean[] all = new boolean[2];
        d.invoke(() -> {
            d.callbacks().execute(() -> b.complete("b"));
            any[0] = d.waitForAny(WaitPolicy.CALLS, a, b);
            all[0] = d.waitForAll(WaitPolicy.CALLS, Duration.ofMillis(50), a, b);
            d.callbacks().execute(() -> a.complete("a"));
            all[1] = d.waitForAll(WaitPolicy.CALLS, Duration.ofSeconds(5), a, b);
        });
        assertThat(any[0]).isEqualTo(1);
        assertThat(all).containsExactly(false, true);
    }

    @Test
    void offADispatcherThreadItIsAPlainBlockingWait() {
        CompletableFuture<String> f = new CompletableFuture<>();
        CompletableFuture<String> never = new CompletableFuture<>();
        Dispatcher d = dispatchers.start("wait-plain");
        assertThat(d.waitForAny(WaitPolicy.CALLS, Duration.ofMillis(20), never)).isEqualTo(-1);
        assertThat(d.waitForAll(WaitPolicy.CALLS, Duration.ofMillis(20), never)).isFalse();
        new Thread(() -> f.complete("x"), "completer").start();
        assertThat(d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES)).isEqualTo("x");
        DispatcherOperation<Integer> op = d.invokeAsync(() -> 7);
        assertThat(d.waitFor(op, WaitPolicy.NONE)).isEqualTo(7);
    }

    @Test
    void failuresAndCancellationsComeOutAsTheyWould() {
        Dispatcher d = dispatchers.start("wait-failures");
        CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalArgumentException("bad"));
        assertThatThrownBy(() -> d.waitFor(failed, WaitPolicy.CALLS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad");
        CompletableFuture<String> checked = CompletableFuture.failedFuture(new java.io.IOException("io"));
        assertThatThrownBy(() -> d.waitFor(checked, WaitPolicy.CALLS))
                .isInstanceOf(java.util.concurrent.CompletionException.class).hasCauseInstanceOf(java.io.IOException.class);
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);
        assertThatThrownBy(() -> d.waitFor(cancelled, WaitPolicy.CALLS))
                .isInstanceOf(java.util.concurrent.CancellationException.class);
        CountDownLatch release;
        try {
            release = TestDispatchers.block(d);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        DispatcherOperation<String> aborted = d.invokeAsync(() -> "never");
        aborted.abort();
        release.countDown();
        assertThatThrownBy(() -> d.waitFor(aborted, WaitPolicy.CALLS)).isInstanceOf(OperationAbortedException.class);
    }

    @Test
    void badArgumentsAreRejectedByName() {
        Dispatcher d = dispatchers.start("wait-args");
        CompletableFuture<String> f = CompletableFuture.completedFuture("x");
        assertThatThrownBy(() -> d.waitFor(null, WaitPolicy.CALLS)).hasMessageContaining("future");
        assertThatThrownBy(() -> d.waitFor(f, null)).hasMessageContaining("policy");
        assertThatThrownBy(() -> d.waitForAny(WaitPolicy.CALLS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> d.waitForAll(WaitPolicy.CALLS, Duration.ofSeconds(-1), f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> d.waitForAll(WaitPolicy.CALLS, f, null)).hasMessageContaining("futures[1]");
    }

    @Test
    void waitingForTheOperationThatIsRunningThrows() {
        Dispatcher d = dispatchers.start("wait-self");
        DispatcherOperation<?>[] self = new DispatcherOperation<?>[1];
        CountDownLatch posted = new CountDownLatch(1);
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        self[0] = d.post(() -> {
            try {
                posted.await(5, TimeUnit.SECONDS);
                d.waitFor(self[0], WaitPolicy.CALLS);
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        posted.countDown();
        assertThat(thrown.join()).isInstanceOf(IllegalStateException.class).hasMessageContaining("executing");
    }

    @Test
    void whileProcessingIsDisabledTheWaitDispatchesNothing() {
        Dispatcher d = dispatchers.start("wait-disabled");
        List<String> log = new CopyOnWriteArrayList<>();
        d.invoke(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            d.callbacks().execute(() -> log.add("callback"));
            try (DispatcherProcessingDisabled off = d.disableProcessing()) {
                new Thread(() -> f.complete("from a worker"), "worker").start();
                log.add(d.waitFor(f, WaitPolicy.CALLS));
            }
        });
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(log).containsExactly("from a worker", "callback");
    }

    @Test
    void shutdownDuringAWaitForAnOwnOperationEndsItWithAShutdownException() {
        Dispatcher d = dispatchers.start("wait-shutdown");
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        d.post(() -> {
            DispatcherOperation<String> never = d.invokeAsync(() -> "x", DispatcherPriority.INACTIVE);
            d.post(waiting::countDown, DispatcherPriority.SEND);
            try {
                d.waitFor(never, WaitPolicy.CALLS_AND_MESSAGES);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        try {
            assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        d.beginInvokeShutdown(DispatcherPriority.SEND);
        assertThat(outcome.join()).isInstanceOf(DispatcherShutdownException.class);
    }

    @Test
    void anInterruptEndsTheWaitPromptlyAndIsKept() throws Exception {
        Dispatcher d = dispatchers.start("wait-interrupt");
        CompletableFuture<String> never = new CompletableFuture<>();
        for (WaitPolicy policy : WaitPolicy.values()) {
            CountDownLatch waiting = new CountDownLatch(1);
            CompletableFuture<Throwable> onOwner = new CompletableFuture<>();
            d.post(() -> {
                waiting.countDown();
                try {
                    d.waitFor(never, policy);
                    onOwner.complete(null);
                } catch (Throwable t) {
                    onOwner.complete(Thread.interrupted() ? t : new AssertionError("interrupt status lost", t));
                }
            });
            assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
            d.thread().interrupt();
            assertThat(onOwner.get(5, TimeUnit.SECONDS)).as(policy.toString())
                    .isInstanceOf(java.util.concurrent.CancellationException.class).hasMessageContaining("interrupted");
        }
        // a plain thread
        CompletableFuture<Throwable> plain = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            waiting.countDown();
            try {
                d.waitFor(never, WaitPolicy.CALLS);
                plain.complete(null);
            } catch (Throwable e) {
                plain.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("status lost", e));
            }
        }, "plain-waiter");
        t.start();
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
        t.interrupt();
        assertThat(plain.get(5, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.CancellationException.class);
        assertThat(never).isNotDone();
    }
}
