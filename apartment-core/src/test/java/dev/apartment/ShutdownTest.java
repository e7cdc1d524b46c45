package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class ShutdownTest {

    private static final Duration SHUTDOWN = TestDispatchers.SHUTDOWN;

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private Dispatcher start(String name) {
        return dispatchers.start(name);
    }

    private static void assertAborted(DispatcherOperation<?> op) {
        assertThat(op.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
        assertThat(op.toCompletableFuture()).isCompletedExceptionally();
        // the future holds the OperationAbortedException itself (JDK 23+ join() wraps a cancellation in a new one)
        assertThat(op.toCompletableFuture().handle((v, e) -> e).join()).isInstanceOf(OperationAbortedException.class);
        assertThat(catchThrowable(() -> op.toCompletableFuture().join())).isInstanceOf(CancellationException.class);
    }

    @Test
    void shutdownFollowsWpfOrder() throws Exception {
        Dispatcher d = start("shutdown-order");
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicReference<DispatcherOperation<Void>> fromListener = new AtomicReference<>();
        List<DispatcherOperation<?>> queued = new ArrayList<>();

        d.addShutdownStartedListener(() -> {
            log.add("started listener on " + Thread.currentThread().getName() + ": started="
                    + d.hasShutdownStarted() + " finished=" + d.hasShutdownFinished());
            // still usable: posting is accepted (and, like every queued operation, aborted at the end)
            DispatcherOperation<Void> op = d.post(() -> log.add("post from started listener ran"));
            fromListener.set(op);
            log.add("post from started listener: " + op.status());
            log.add("invoke from started listener: " + d.invoke(() -> "usable"));
        });
        d.addShutdownFinishedListener(() -> log.add("finished listener: started=" + d.hasShutdownStarted()
                + " finished=" + d.hasShutdownFinished() + " queued=" + queued.get(0).status() + ","
                + queued.get(1).status() + " listener post=" + fromListener.get().status()));

        CountDownLatch inFrame = new CountDownLatch(1);
        DispatcherOperation<Void> outer = d.invokeAsync(() -> {
            DispatcherFrame frame = new DispatcherFrame();
            d.post(inFrame::countDown);
            d.pushFrame(frame);
            log.add("outermost frame exited: started=" + d.hasShutdownStarted() + " finished="
                    + d.hasShutdownFinished());
        });
        assertThat(inFrame.await(5, TimeUnit.SECONDS)).isTrue();

        CountDownLatch release = TestDispatchers.block(d);
        try {
            DispatcherOperation<Void> background = d.post(() -> log.add("background ran"),
                    DispatcherPriority.BACKGROUND);
            DispatcherOperation<String> inactive = d.invokeAsync(() -> "never", DispatcherPriority.INACTIVE);
            queued.add(background);
            queued.add(inactive);
            for (DispatcherOperation<?> op : queued) {
                op.addAbortedListener(() -> log.add("aborted " + op.priority()));
            }
            d.beginInvokeShutdown(DispatcherPriority.SEND);
            assertThat(d.hasShutdownStarted()).as("the request waits behind the running operation").isFalse();
        } finally {
            release.countDown();
        }
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        outer.toCompletableFuture().get(1, TimeUnit.SECONDS);
        fromListener.get().addAbortedListener(() -> log.add("aborted listener post"));

        assertThat(log).startsWith(
                "started listener on shutdown-order: started=false finished=false",
                "post from started listener: PENDING",
                "invoke from started listener: usable",
                "outermost frame exited: started=true finished=false",
                "finished listener: started=true finished=false queued=PENDING,PENDING listener post=PENDING");
        assertThat(log.subList(5, log.size())).containsExactlyInAnyOrder(
                "aborted BACKGROUND", "aborted INACTIVE", "aborted listener post");
        assertAborted(queued.get(0));
        assertAborted(queued.get(1));
        assertAborted(fromListener.get());
        assertThat(d.hasShutdownStarted()).isTrue();
        assertThat(d.hasShutdownFinished()).isTrue();
    }

    @Test
    void afterShutdownPostAndInvokeAsyncReturnAbortedOperationsAndInvokeThrows() throws Exception {
        Dispatcher d = start("shutdown-after");
        d.invokeShutdown();
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();

        AtomicBoolean ran = new AtomicBoolean();
        DispatcherOperation<Void> post = d.post(() -> ran.set(true));
        DispatcherOperation<Void> postIdle = d.post(() -> ran.set(true), DispatcherPriority.SYSTEM_IDLE);
        DispatcherOperation<Boolean> async = d.invokeAsync(() -> ran.getAndSet(true));
        DispatcherOperation<Void> asyncRunnable = d.invokeAsync(() -> ran.set(true), DispatcherPriority.INACTIVE);
        for (DispatcherOperation<?> op : List.of(post, postIdle, async, asyncRunnable)) {
            assertAborted(op);
            assertThat(op.abort()).isFalse();
        }
        assertThatThrownBy(async::get).isInstanceOf(OperationAbortedException.class);
        assertThatThrownBy(() -> d.invoke(() -> ran.getAndSet(true))).isInstanceOf(DispatcherShutdownException.class);
        assertThatThrownBy(() -> d.invoke(() -> ran.set(true), DispatcherPriority.BACKGROUND))
                .isInstanceOf(DispatcherShutdownException.class);
        assertThat(d.yield().toCompletableFuture()).isCompletedExceptionally();
        d.invokeShutdown(); // again: nothing happens
        assertThat(ran.get()).isFalse();
    }

    @Test
    void afterShutdownPushFrameAndRunThrowOnTheOwner() throws Exception {
        CompletableFuture<List<Throwable>> result = new CompletableFuture<>();
        Thread owner = new Thread(() -> {
            try {
                Dispatcher d = Dispatcher.current();
                d.invokeShutdown(); // owner thread with no loop running: finishes at once
                List<Throwable> t = new ArrayList<>();
                t.add(catchThrowable(() -> d.pushFrame(new DispatcherFrame())));
                t.add(catchThrowable(d::run));
                t.add(catchThrowable(() -> d.invoke(() -> 1, DispatcherPriority.NORMAL)));
                t.add(catchThrowable(() -> d.invoke(() -> 1)));
                result.complete(t);
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "shutdown-plain-owner");
        owner.start();
        assertThat(result.get(5, TimeUnit.SECONDS))
                .hasSize(4)
                .allSatisfy(e -> assertThat(e).isInstanceOf(DispatcherShutdownException.class));
        owner.join(5_000);
    }

    @Test
    void shutdownFlagsAreReadableFromAnyThread() throws Exception {
        Dispatcher d = start("shutdown-flags");
        Dispatcher observer = start("shutdown-flags-observer");
        assertThat(d.hasShutdownStarted()).isFalse();
        assertThat(d.hasShutdownFinished()).isFalse();

        // a frame that ignores exit requests holds the dispatcher between "started" and "finished"
        DispatcherFrame stubborn = new DispatcherFrame(false);
        CountDownLatch inFrame = new CountDownLatch(1);
        d.post(() -> {
            d.post(inFrame::countDown);
            d.pushFrame(stubborn);
        });
        assertThat(inFrame.await(5, TimeUnit.SECONDS)).isTrue();
        d.invokeShutdown();
        assertThat(d.hasShutdownStarted()).isTrue();
        assertThat(d.hasShutdownFinished()).isFalse();
        assertThat(observer.invoke(() -> d.hasShutdownStarted() + "/" + d.hasShutdownFinished()))
                .isEqualTo("true/false");

        stubborn.setContinue(false);
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        assertThat(d.hasShutdownFinished()).isTrue();
        assertThat(observer.invoke(() -> d.hasShutdownStarted() + "/" + d.hasShutdownFinished()))
                .isEqualTo("true/true");
    }

    @Test
    void beginInvokeShutdownRunsAfterHigherPriorityWork() throws Exception {
        Dispatcher d = start("shutdown-begin");
        List<String> log = new CopyOnWriteArrayList<>();
        d.addShutdownStartedListener(() -> log.add("shutdown started"));
        DispatcherOperation<?> normal;
        DispatcherOperation<?> input;
        DispatcherOperation<?> sameLevelAfter;
        DispatcherOperation<?> idle;
        CountDownLatch release = TestDispatchers.block(d);
        try {
            normal = d.post(() -> log.add("normal"));
            d.beginInvokeShutdown(DispatcherPriority.BACKGROUND); // returns at once although the owner is busy
            input = d.post(() -> log.add("input"), DispatcherPriority.INPUT);
            sameLevelAfter = d.post(() -> log.add("background after"), DispatcherPriority.BACKGROUND);
            idle = d.post(() -> log.add("idle"), DispatcherPriority.SYSTEM_IDLE);
            assertThat(d.hasShutdownStarted()).isFalse();
        } finally {
            release.countDown();
        }
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        assertThat(log).containsExactly("normal", "input", "shutdown started");
        assertThat(normal.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertThat(input.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertAborted(sameLevelAfter);
        assertAborted(idle);
        assertThatThrownBy(() -> d.beginInvokeShutdown(DispatcherPriority.INVALID))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shutdownFromInsideAnOperationFinishesAfterItReturns() throws Exception {
        Dispatcher d = start("shutdown-inside");
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicReference<DispatcherOperation<Void>> later = new AtomicReference<>();
        d.addShutdownFinishedListener(() -> log.add("finished listener"));
        DispatcherOperation<Void> op = d.post(() -> {
            d.invokeShutdown();
            log.add("after invokeShutdown: started=" + d.hasShutdownStarted() + " finished="
                    + d.hasShutdownFinished());
            DispatcherOperation<Void> p = d.post(() -> log.add("later ran"));
            later.set(p);
            log.add("later " + p.status());
        });
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        assertThat(op.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertThat(log).containsExactly(
                "after invokeShutdown: started=true finished=false", "later PENDING", "finished listener");
        assertAborted(later.get());
    }

    @Test
    void awaitShutdownOnTheOwnerThreadThrows() throws Exception {
        Dispatcher d = start("shutdown-await-owner");
        assertThatThrownBy(() -> d.invoke(() -> d.awaitShutdown(Duration.ofSeconds(1))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> d.awaitShutdown(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.awaitShutdown(Duration.ZERO)).as("not shut down yet").isFalse();
        assertThat(d.hasShutdownStarted()).isFalse();
    }

    @Test
    void theStartThreadTerminatesAfterShutdown() throws Exception {
        Dispatcher d = start("shutdown-thread-ends");
        Thread t = d.thread();
        assertThat(t.isAlive()).isTrue();
        d.invokeShutdown();
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        t.join(5_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(Dispatcher.fromThread(t)).as("the registry is keyed by the thread, not cleared").isSameAs(d);
    }

    /**
     * Producers post as fast as they can while another thread ends the dispatcher, in as many rounds as fit in a
     * couple of seconds: the race between a post and the end of shutdown is narrow, so only many ends can find it.
     * The ways to end it rotate: a blocking shutdown request, a queued one, and exitAllFrames (which ends the loop
     * of a start() thread, and so shuts it down, without going through the queue).
     */
    @Test
    void producersRacingWithShutdownNeverStrandAnOperation() throws Exception {
        long budget = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
        int round = 0;
        do {
            stressRound(round++);
        } while (round < 400 && System.nanoTime() - budget < 0);
    }

    private void stressRound(int round) throws Exception {
        Dispatcher d = start("shutdown-stress-" + round);
        int producers = 8;
        int perProducer = 1_500;
        DispatcherPriority[] priorities = {
            DispatcherPriority.NORMAL, DispatcherPriority.BACKGROUND, DispatcherPriority.SEND,
            DispatcherPriority.INACTIVE, DispatcherPriority.SYSTEM_IDLE, DispatcherPriority.INPUT,
        };
        AtomicInteger ran = new AtomicInteger();
        List<DispatcherOperation<?>[]> all = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch someDone = new CountDownLatch(producers);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            DispatcherOperation<?>[] mine = new DispatcherOperation<?>[perProducer];
            all.add(mine);
            int seed = p;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    DispatcherPriority prio = priorities[(i + seed) % priorities.length];
                    DispatcherOperation<?> op = (i & 1) == 0
                            ? d.post(ran::incrementAndGet, prio)
                            : d.invokeAsync(ran::incrementAndGet, prio);
                    if (i % 7 == 3) {
                        op.toCompletableFuture(); // some futures exist before the end, others are made after
                    }
                    if (i % 11 == 5) {
                        op.setPriority(DispatcherPriority.CONTEXT_IDLE);
                    }
                    mine[i] = op;
                    if (i == perProducer / 4) {
                        someDone.countDown();
                    }
                }
            }, "producer-" + round + "-" + p);
            threads.add(t);
            t.start();
        }
        Thread killer = new Thread(() -> {
            try {
                someDone.await();
            } catch (InterruptedException e) {
                return;
            }
            switch (round % 3) {
                case 0 -> d.invokeShutdown();
                case 1 -> d.beginInvokeShutdown(DispatcherPriority.SEND);
                default -> d.exitAllFrames();
            }
        }, "killer-" + round);
        killer.start();
        go.countDown();
        for (Thread t : threads) {
            t.join(5_000);
            assertThat(t.isAlive()).isFalse();
        }
        killer.join(5_000);
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();

        List<CompletableFuture<?>> futures = new ArrayList<>();
        int completed = 0;
        List<DispatcherOperation<?>> neverEnded = new ArrayList<>();
        for (DispatcherOperation<?>[] mine : all) {
            for (DispatcherOperation<?> op : mine) {
                assertThat(op).isNotNull();
                futures.add(op.toCompletableFuture());
                DispatcherOperationStatus s = op.status();
                if (s == DispatcherOperationStatus.COMPLETED) {
                    completed++;
                } else if (s != DispatcherOperationStatus.ABORTED) {
                    neverEnded.add(op);
                }
            }
        }
        assertThat(neverEnded.size()).as("round %d (%s): operations not ended after shutdown finished, e.g. %s",
                round, round % 3 == 0 ? "invokeShutdown" : round % 3 == 1 ? "beginInvokeShutdown" : "exitAllFrames",
                neverEnded.stream().limit(3).map(Object::toString).toList())
                .isZero();
        CompletableFuture.allOf(futures.stream().map(f -> f.handle((v, e) -> v)).toArray(CompletableFuture[]::new))
                .get(5, TimeUnit.SECONDS);
        assertThat(completed).as("every operation that ran is COMPLETED, and no other").isEqualTo(ran.get());
        d.thread().join(5_000);
        assertThat(d.thread().isAlive()).isFalse();
    }

    @Test
    void theExecutorsRefuseTasksAfterShutdownSoStagesOnThemFail() throws Exception {
        Dispatcher d = start("shutdown-executors");
        d.invokeShutdown();
        assertThat(d.awaitShutdown(TestDispatchers.SHUTDOWN)).isTrue();
        assertThatThrownBy(() -> d.callbacks().execute(() -> { }))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class).hasMessageContaining("shut down");
        assertThatThrownBy(() -> d.executor(DispatcherPriority.BACKGROUND).execute(() -> { }))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        CompletableFuture<Integer> stage = CompletableFuture.completedFuture(1).thenApplyAsync(x -> x + 1,
                d.callbacks());
        assertThat(stage.handle((v, e) -> e).get(5, TimeUnit.SECONDS))
                .isInstanceOf(java.util.concurrent.CompletionException.class)
                .hasCauseInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }
}
