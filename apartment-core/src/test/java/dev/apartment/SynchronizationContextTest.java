package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class SynchronizationContextTest {

    private static final Duration SHUTDOWN = TestDispatchers.SHUTDOWN;

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private Dispatcher start(String name) {
        return dispatchers.start(name);
    }

    /** A context that only records what it is given: to tell an installed context from the dispatcher's. */
    private static final class Recording extends SynchronizationContext {
        final List<Runnable> posted = new CopyOnWriteArrayList<>();

        @Override
        public void post(Runnable action) {
            posted.add(action);
        }

        @Override
        public void send(Runnable action) {
            action.run();
        }
    }

    private static final class Posted implements DispatcherHooks {
        final List<DispatcherOperation<?>> ops = new CopyOnWriteArrayList<>();

        @Override
        public void operationPosted(DispatcherOperation<?> operation) {
            ops.add(operation);
        }
    }

    @Test
    void insideAnOperationCurrentIsTheDispatchersContextAtThatPriority() {
        Dispatcher d = start("context-current");
        for (DispatcherPriority p : new DispatcherPriority[] {
            DispatcherPriority.SEND, DispatcherPriority.NORMAL, DispatcherPriority.INPUT,
            DispatcherPriority.BACKGROUND, DispatcherPriority.SYSTEM_IDLE}) {
            SynchronizationContext c = d.invokeAsync(SynchronizationContext::current, p).toCompletableFuture().join();
            assertThat(c).as("at %s", p).isInstanceOf(DispatcherSynchronizationContext.class);
            DispatcherSynchronizationContext dc = (DispatcherSynchronizationContext) c;
            assertThat(dc.dispatcher()).isSameAs(d);
            assertThat(dc.priority()).isEqualTo(p);
            assertThat(c).isSameAs(d.synchronizationContext(p));
        }
        // an owner-thread invoke at SEND runs inline, and at SEND
        DispatcherPriority[] nested = d.invoke(() -> {
            DispatcherPriority outer = ((DispatcherSynchronizationContext) SynchronizationContext.current()).priority();
            DispatcherPriority inner = d.invoke(
                    () -> ((DispatcherSynchronizationContext) SynchronizationContext.current()).priority());
            DispatcherPriority after = ((DispatcherSynchronizationContext) SynchronizationContext.current()).priority();
            return new DispatcherPriority[] {outer, inner, after};
        }, DispatcherPriority.BACKGROUND);
        assertThat(nested).containsExactly(DispatcherPriority.BACKGROUND, DispatcherPriority.SEND,
                DispatcherPriority.BACKGROUND);
    }

    @Test
    void aPostFromTheCapturedContextLandsOnTheDispatcherAtThatPriority() throws Exception {
        Dispatcher d = start("context-post");
        Posted hooks = new Posted();
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicReference<DispatcherOperation<?>> fromContext = new AtomicReference<>();
        d.invokeAsync(() -> {
            d.addHooks(hooks); // here: a hook added before could still hear of this operation's own post
            d.post(() -> log.add("input"), DispatcherPriority.INPUT);
            d.post(() -> log.add("context idle"), DispatcherPriority.CONTEXT_IDLE);
            int before = hooks.ops.size();
            SynchronizationContext.current().post(() -> log.add("context post on " + Thread.currentThread().getName()));
            fromContext.set(hooks.ops.get(before));
        }, DispatcherPriority.BACKGROUND).toCompletableFuture().join();
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);

        assertThat(fromContext.get().priority()).isEqualTo(DispatcherPriority.BACKGROUND);
        assertThat(log).containsExactly("input", "context post on context-post", "context idle");
    }

    @Test
    void offAnyDispatcherCurrentIsTheDefaultContext() throws Exception {
        Thread caller = Thread.currentThread();
        List<Object> r = TestDispatchers.onNewThread("plain-thread", () -> {
            List<Object> out = new ArrayList<>();
            SynchronizationContext c = SynchronizationContext.current();
            out.add(c);
            CompletableFuture<Thread> postedOn = new CompletableFuture<>();
            c.post(() -> postedOn.complete(Thread.currentThread()));
            out.add(postedOn.get(5, TimeUnit.SECONDS));
            AtomicReference<Thread> sentOn = new AtomicReference<>();
            c.send(() -> sentOn.set(Thread.currentThread()));
            out.add(sentOn.get()); // set before send returned: it ran inline
            out.add(Thread.currentThread());
            IllegalStateException boom = new IllegalStateException("send");
            out.add(catchThrowable(() -> c.send(() -> {
                throw boom;
            })) == boom);
            return out;
        });
        assertThat(r.get(0)).isSameAs(SynchronizationContext.defaultContext());
        assertThat(r.get(1)).as("post runs elsewhere").isNotSameAs(r.get(3)).isNotSameAs(caller);
        assertThat(r.get(2)).as("send runs inline").isSameAs(r.get(3));
        assertThat(r.get(4)).isEqualTo(true);
    }

    @Test
    void aDispatcherWhoseLoopIsNotRunningInstallsNoContext() throws Exception {
        SynchronizationContext c = TestDispatchers.onNewThread("plain-thread", () -> {
            Dispatcher d = Dispatcher.current();
            try {
                return SynchronizationContext.current();
            } finally {
                d.invokeShutdown();
            }
        });
        assertThat(c).isSameAs(SynchronizationContext.defaultContext());
    }

    @Test
    void setCurrentOverridesTheDispatchersContextAndNullClearsIt() {
        Dispatcher d = start("context-override");
        Recording custom = new Recording();
        List<SynchronizationContext> seen = d.invoke(() -> {
            List<SynchronizationContext> out = new ArrayList<>();
            try {
                SynchronizationContext.setCurrent(custom);
                out.add(SynchronizationContext.current());
                SynchronizationContext.current().post(() -> { });
            } finally {
                SynchronizationContext.setCurrent(null);
            }
            out.add(SynchronizationContext.current());
            return out;
        }, DispatcherPriority.NORMAL);
        assertThat(seen.get(0)).isSameAs(custom);
        assertThat(custom.posted).hasSize(1);
        assertThat(seen.get(1)).isSameAs(d.synchronizationContext(DispatcherPriority.NORMAL));
    }

    @Test
    void setCurrentOffADispatcherOverridesTheDefault() throws Exception {
        Recording custom = new Recording();
        List<SynchronizationContext> seen = TestDispatchers.onNewThread("plain-thread", () -> {
            List<SynchronizationContext> out = new ArrayList<>();
            SynchronizationContext.setCurrent(custom);
            out.add(SynchronizationContext.current());
            SynchronizationContext.setCurrent(null);
            out.add(SynchronizationContext.current());
            return out;
        });
        assertThat(seen).containsExactly(custom, SynchronizationContext.defaultContext());
    }

    @Test
    @SuppressWarnings("try") // the holder is only closed: that is the point of the block
    void sendOnTheOwnerRunsInline() {
        Dispatcher d = start("context-send-owner");
        Posted hooks = new Posted();
        List<String> log = new CopyOnWriteArrayList<>();
        d.invoke(() -> {
            // Added here, not before the invoke: the test thread reports its own post after pushing it, so a hook
            // added earlier could hear of that post while this operation already runs.
            d.addHooks(hooks);
            SynchronizationContext ctx = d.synchronizationContext(DispatcherPriority.BACKGROUND);
            int before = hooks.ops.size();
            // with processing disabled a queued send would need a nested loop and fail: inline needs none
            try (DispatcherProcessingDisabled off = d.disableProcessing()) {
                ctx.send(() -> log.add("sent on " + Thread.currentThread().getName()));
            }
            log.add("after send, posted " + (hooks.ops.size() - before));
            RuntimeException boom = new RuntimeException("sent");
            log.add("rethrown " + (catchThrowable(() -> ctx.send(() -> {
                throw boom;
            })) == boom));
        }, DispatcherPriority.NORMAL);
        assertThat(log).containsExactly("sent on context-send-owner", "after send, posted 0", "rethrown true");
    }

    @Test
    void sendFromAnotherThreadWaitsForTheAction() throws Exception {
        Dispatcher d = start("context-send-foreign");
        SynchronizationContext ctx = d.synchronizationContext(DispatcherPriority.NORMAL);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Boolean> finishedWhenSendReturned = new CompletableFuture<>();
        boolean[] finished = new boolean[1];
        Thread sender = new Thread(() -> {
            try {
                ctx.send(() -> {
                    ranOn.set(Thread.currentThread());
                    started.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    finished[0] = true;
                });
                finishedWhenSendReturned.complete(finished[0]);
            } catch (Throwable t) {
                finishedWhenSendReturned.completeExceptionally(t);
            }
        }, "sender");
        sender.start();
        try {
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(finishedWhenSendReturned).as("send is still waiting").isNotDone();
        } finally {
            release.countDown();
        }
        assertThat(finishedWhenSendReturned.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn.get()).isSameAs(d.thread());
        sender.join(5_000);

        RuntimeException boom = new RuntimeException("foreign send");
        assertThat(catchThrowable(() -> ctx.send(() -> {
            throw boom;
        }))).isSameAs(boom);
    }

    @Test
    void executorPostsAtItsPriority() throws Exception {
        Dispatcher d = start("context-executor");
        Posted hooks = new Posted();
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch release = TestDispatchers.block(d);
        d.addHooks(hooks);
        try {
            d.executor(DispatcherPriority.BACKGROUND).execute(() -> log.add("background"));
            d.post(() -> log.add("input"), DispatcherPriority.INPUT);
            d.executor(DispatcherPriority.LOADED).execute(() -> log.add("loaded"));
        } finally {
            release.countDown();
        }
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(log).containsExactly("loaded", "input", "background");
        assertThat(hooks.ops.get(0).priority()).isEqualTo(DispatcherPriority.BACKGROUND);
        assertThat(hooks.ops.get(0).kind()).isEqualTo(OperationKind.MESSAGE);
        assertThat(hooks.ops.get(2).priority()).isEqualTo(DispatcherPriority.LOADED);
        assertThatThrownBy(() -> d.executor(DispatcherPriority.INVALID)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callbacksAreCallsAtNormalPriorityOnTheOwner() throws Exception {
        Dispatcher d = start("context-callbacks");
        Posted hooks = new Posted();
        d.addHooks(hooks);
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        d.callbacks().execute(() -> ranOn.complete(Thread.currentThread()));
        assertThat(ranOn.get(5, TimeUnit.SECONDS)).isSameAs(d.thread());
        d.executor(DispatcherPriority.NORMAL).execute(() -> { });
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);

        assertThat(hooks.ops).hasSizeGreaterThanOrEqualTo(2);
        DispatcherOperation<?> callback = hooks.ops.get(0);
        assertThat(callback.kind()).isEqualTo(OperationKind.CALL);
        assertThat(callback.priority()).isEqualTo(DispatcherPriority.NORMAL);
        assertThat(hooks.ops.get(1).kind()).as("an executor task is a message").isEqualTo(OperationKind.MESSAGE);
        assertThatThrownBy(() -> d.callbacks().execute(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void yieldCompletesOnTheOwnerAfterHigherPriorityWorkQueuedBeforeIt() throws Exception {
        Dispatcher d = start("context-yield");
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> chunk;
        CompletableFuture<Void> defaultChunk;
        CountDownLatch release = TestDispatchers.block(d);
        try {
            d.post(() -> log.add("input"), DispatcherPriority.INPUT);
            d.post(() -> log.add("context idle"), DispatcherPriority.CONTEXT_IDLE);
            chunk = d.yield(DispatcherPriority.BACKGROUND)
                    .thenRun(() -> log.add("yield(BACKGROUND) on " + Thread.currentThread().getName()))
                    .toCompletableFuture();
            defaultChunk = d.yield()
                    .thenRun(() -> log.add("yield() on " + Thread.currentThread().getName()))
                    .toCompletableFuture();
            d.post(() -> log.add("input after"), DispatcherPriority.INPUT);
        } finally {
            release.countDown();
        }
        chunk.get(5, TimeUnit.SECONDS);
        defaultChunk.get(5, TimeUnit.SECONDS);
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(log).containsExactly("input", "input after", "yield(BACKGROUND) on context-yield",
                "yield() on context-yield", "context idle");
        assertThatThrownBy(() -> d.yield(DispatcherPriority.INVALID)).isInstanceOf(IllegalArgumentException.class);
    }
}
