package dev.apartment;

import static dev.apartment.DispatcherOperationStatus.ABORTED;
import static dev.apartment.DispatcherOperationStatus.COMPLETED;
import static dev.apartment.DispatcherOperationStatus.EXECUTING;
import static dev.apartment.DispatcherOperationStatus.PENDING;
import static dev.apartment.DispatcherPriority.BACKGROUND;
import static dev.apartment.DispatcherPriority.INACTIVE;
import static dev.apartment.DispatcherPriority.NORMAL;
import static dev.apartment.DispatcherPriority.RENDER;
import static dev.apartment.DispatcherPriority.SEND;
import static dev.apartment.DispatcherPriority.SYSTEM_IDLE;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DispatcherOperationTest {

    private Dispatcher dispatcher;
    private final List<Gate> gates = new CopyOnWriteArrayList<>();
    /** The operation the owner thread is running, as reported by the started hook; lets a task find its own handle. */
    private final AtomicReference<DispatcherOperation<?>> lastStarted = new AtomicReference<>();
    private final List<DispatcherOperation<?>> started = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startDispatcher() {
        dispatcher = Dispatcher.start("operation-test");
        dispatcher.addHooks(new DispatcherHooks() {
            @Override
            public void operationStarted(DispatcherOperation<?> operation) {
                lastStarted.set(operation);
                started.add(operation);
            }
        });
    }

    @AfterEach
    void shutDown() throws InterruptedException {
        gates.forEach(Gate::open); // a failed test must not leave the owner blocked, or shutdown would hang
        dispatcher.invokeShutdown();
        assertThat(dispatcher.awaitShutdown(Duration.ofSeconds(5))).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Status lifecycle, abort, setPriority
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void statusGoesPendingExecutingCompleted() throws Exception {
        Gate gate = blockOwner();
        AtomicReference<DispatcherOperationStatus> seenInside = new AtomicReference<>();
        AtomicReference<DispatcherOperation<String>> self = new AtomicReference<>();
        DispatcherOperation<String> op = dispatcher.invokeAsync(() -> {
            seenInside.set(self.get().status());
            return "done";
        });
        self.set(op); // before the gate opens, so the task always finds it

        assertThat(op.status()).isEqualTo(PENDING);
        assertThat(op.isDone()).isFalse();
        assertThat(op.isCancelled()).isFalse();

        gate.open();
        assertThat(op.await()).isEqualTo(COMPLETED);

        assertThat(seenInside.get()).isEqualTo(EXECUTING);
        assertThat(op.status()).isEqualTo(COMPLETED);
        assertThat(op.isDone()).isTrue();
        assertThat(op.isCancelled()).isFalse();
        assertThat(op.get()).isEqualTo("done");
    }

    @Test
    void startedHookSeesTheOperationExecuting() throws Exception {
        List<DispatcherOperationStatus> statusAtStart = new CopyOnWriteArrayList<>();
        dispatcher.addHooks(new DispatcherHooks() {
            @Override
            public void operationStarted(DispatcherOperation<?> operation) {
                statusAtStart.add(operation.status());
            }
        });

        dispatcher.invokeAsync(() -> 1).await();

        assertThat(statusAtStart).containsExactly(EXECUTING);
    }

    @Test
    void abortWhilePendingSucceedsOnceAndTheTaskNeverRuns() throws Exception {
        Gate gate = blockOwner();
        AtomicBoolean ran = new AtomicBoolean();
        DispatcherOperation<Void> op = dispatcher.invokeAsync(() -> ran.set(true));

        assertThat(op.abort()).isTrue();
        assertThat(op.status()).isEqualTo(ABORTED);
        assertThat(op.abort()).as("second abort").isFalse();

        gate.open();
        drainQueue();
        assertThat(ran).as("the aborted task ran").isFalse();
        assertThat(op.status()).isEqualTo(ABORTED);
        assertThat(op.isDone()).isTrue();
        assertThat(op.isCancelled()).isTrue();
    }

    @Test
    void abortWhileExecutingFailsAndTheOperationCompletes() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        DispatcherOperation<String> op = dispatcher.invokeAsync(() -> {
            inside.countDown();
            awaitLatch(proceed);
            return "finished";
        });
        assertThat(inside.await(5, SECONDS)).isTrue();

        assertThat(op.status()).isEqualTo(EXECUTING);
        assertThat(op.abort()).isFalse();
        assertThat(op.cancel(true)).isFalse();
        assertThat(op.status()).isEqualTo(EXECUTING);

        proceed.countDown();
        assertThat(op.await()).isEqualTo(COMPLETED);
        assertThat(op.get()).isEqualTo("finished");
    }

    @Test
    void abortAfterCompletionFails() throws Exception {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 42);
        assertThat(op.await()).isEqualTo(COMPLETED);

        assertThat(op.abort()).isFalse();

        assertThat(op.status()).isEqualTo(COMPLETED);
        assertThat(op.get()).isEqualTo(42);
    }

    @Test
    void abortedOperationStaysAbortedWhenAbortedAgainOrCancelled() {
        DispatcherOperation<Void> op = dispatcher.invokeAsync(() -> { }, INACTIVE);
        assertThat(op.abort()).isTrue();

        assertThat(op.abort()).isFalse();
        assertThat(op.cancel(false)).isFalse();
        assertThat(op.status()).isEqualTo(ABORTED);
    }

    @Test
    void abortOfAnInactiveOperationEndsIt() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        DispatcherOperation<Void> op = dispatcher.invokeAsync(() -> ran.set(true), INACTIVE);
        drainQueue();
        assertThat(op.status()).isEqualTo(PENDING);

        assertThat(op.abort()).isTrue();

        assertThat(op.await(Duration.ofSeconds(5))).isEqualTo(ABORTED);
        drainQueue();
        assertThat(ran).isFalse();
    }

    @Test
    void setPriorityWhilePendingChangesIt() throws Exception {
        Gate gate = blockOwner(); // once runnable it could start at any moment; keep it pending for the checks
        DispatcherOperation<Void> op = dispatcher.invokeAsync(() -> { }, INACTIVE);

        assertThat(op.setPriority(SYSTEM_IDLE)).isTrue();
        assertThat(op.priority()).isEqualTo(SYSTEM_IDLE);
        assertThat(op.setPriority(SYSTEM_IDLE)).as("same priority again").isTrue();
        assertThat(op.priority()).isEqualTo(SYSTEM_IDLE);
        assertThat(op.status()).isEqualTo(PENDING);

        gate.open();
        assertThat(op.await(Duration.ofSeconds(5))).isEqualTo(COMPLETED);
    }

    @Test
    void setPriorityFailsOnceTheOperationHasStarted() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        DispatcherOperation<Void> op = dispatcher.invokeAsync(() -> {
            inside.countDown();
            awaitLatch(proceed);
        }, BACKGROUND);
        assertThat(inside.await(5, SECONDS)).isTrue();

        assertThat(op.setPriority(SEND)).as("while executing").isFalse();
        assertThat(op.priority()).isEqualTo(BACKGROUND);

        proceed.countDown();
        assertThat(op.await()).isEqualTo(COMPLETED);
        assertThat(op.setPriority(SEND)).as("after completion").isFalse();
        assertThat(op.priority()).isEqualTo(BACKGROUND);
    }

    @Test
    void setPriorityFailsOnAnAbortedOperation() {
        DispatcherOperation<Void> op = dispatcher.invokeAsync(() -> { }, INACTIVE);
        op.abort();

        assertThat(op.setPriority(NORMAL)).isFalse();
        assertThat(op.priority()).isEqualTo(INACTIVE);
        assertThat(op.status()).isEqualTo(ABORTED);
    }

    // ---------------------------------------------------------------------------------------------------------
    // priority() and kind()
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void priorityIsTheOneItWasQueuedAt() throws Exception {
        Gate gate = blockOwner();
        DispatcherOperation<Void> post = dispatcher.post(() -> { }, RENDER);
        DispatcherOperation<Integer> async = dispatcher.invokeAsync(() -> 1, SYSTEM_IDLE);
        DispatcherOperation<Void> defaultAsync = dispatcher.invokeAsync(() -> { });
        DispatcherOperation<Void> defaultPost = dispatcher.post(() -> { });

        assertThat(post.priority()).isEqualTo(RENDER);
        assertThat(async.priority()).isEqualTo(SYSTEM_IDLE);
        assertThat(defaultAsync.priority()).isEqualTo(NORMAL);
        assertThat(defaultPost.priority()).isEqualTo(NORMAL);
        gate.open();
    }

    @Test
    void postsAndInvokeAsyncAreMessages() throws Exception {
        DispatcherOperation<Void> post = dispatcher.post(() -> { });
        DispatcherOperation<Integer> async = dispatcher.invokeAsync(() -> 1);
        DispatcherOperation<Void> asyncAction = dispatcher.invokeAsync(() -> { }, BACKGROUND);
        post.await();
        async.await();
        asyncAction.await();

        assertThat(post.kind()).isEqualTo(OperationKind.MESSAGE);
        assertThat(async.kind()).isEqualTo(OperationKind.MESSAGE);
        assertThat(asyncAction.kind()).isEqualTo(OperationKind.MESSAGE);
        assertThat(started).contains(post, async, asyncAction).allSatisfy(
                op -> assertThat(op.kind()).isEqualTo(OperationKind.MESSAGE));
    }

    @Test
    void anInvokeFromAnotherThreadIsACallAtSend() {
        AtomicReference<DispatcherOperation<?>> mine = new AtomicReference<>();

        dispatcher.invoke(() -> mine.set(lastStarted.get()));

        assertThat(mine.get()).as("the invoke went through the queue").isNotNull();
        assertThat(mine.get().kind()).isEqualTo(OperationKind.CALL);
        assertThat(mine.get().priority()).isEqualTo(SEND);
        assertThat(mine.get().status()).isEqualTo(COMPLETED);
    }

    @Test
    void anInvokeFromAnotherThreadAtALowerPriorityIsStillACall() {
        AtomicReference<DispatcherOperation<?>> mine = new AtomicReference<>();

        dispatcher.invoke(() -> mine.set(lastStarted.get()), BACKGROUND);

        assertThat(mine.get().kind()).isEqualTo(OperationKind.CALL);
        assertThat(mine.get().priority()).isEqualTo(BACKGROUND);
    }

    @Test
    void anInvokeOnTheOwnerThreadThroughTheQueueIsAMessage() {
        // A call is a cross-thread invoke; an owner-thread invoke at a queued priority is ordinary work.
        AtomicReference<DispatcherOperation<?>> inner = new AtomicReference<>();

        dispatcher.invoke(() -> dispatcher.invoke(() -> inner.set(lastStarted.get()), NORMAL));

        assertThat(inner.get().kind()).isEqualTo(OperationKind.MESSAGE);
        assertThat(inner.get().priority()).isEqualTo(NORMAL);
    }

    @Test
    void callbacksTasksAreCallsAtNormal() throws Exception {
        CompletableFuture<DispatcherOperation<?>> mine = new CompletableFuture<>();

        dispatcher.callbacks().execute(() -> mine.complete(lastStarted.get()));

        DispatcherOperation<?> op = mine.get(5, SECONDS);
        assertThat(op.kind()).isEqualTo(OperationKind.CALL);
        assertThat(op.priority()).isEqualTo(NORMAL);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The CompletableFuture view
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void futureCompletesWithTheResult() throws Exception {
        DispatcherOperation<String> op = dispatcher.invokeAsync(() -> "value");

        assertThat(op.toCompletableFuture().get(5, SECONDS)).isEqualTo("value");
        assertThat(op.toCompletableFuture()).as("the view is one object").isSameAs(op.toCompletableFuture());
    }

    @Test
    void futureAskedForAfterTheEndIsAlreadyComplete() throws Exception {
        // The view is created lazily: one made after completion must still see the result.
        DispatcherOperation<String> op = dispatcher.invokeAsync(() -> "late");
        assertThat(op.await()).isEqualTo(COMPLETED);

        CompletableFuture<String> f = op.toCompletableFuture();

        assertThat(f).isCompletedWithValue("late");
    }

    @Test
    void futureCompletesExceptionallyWithTheTasksException() {
        IllegalStateException boom = new IllegalStateException("boom");
        DispatcherOperation<Object> op = dispatcher.invokeAsync(() -> {
            throw boom;
        });

        assertThat(op.toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .withCause(boom);
        assertThat(op.status()).as("an exception still completes it").isEqualTo(COMPLETED);
        assertThat(op.isCancelled()).isFalse();
    }

    @Test
    void futureCarriesACheckedExceptionOfACallableAsItIs() {
        Exception checked = new java.io.IOException("disk");
        DispatcherOperation<Object> op = dispatcher.invokeAsync(() -> {
            throw checked;
        });

        assertThat(op.toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .withCause(checked);
    }

    @Test
    void futureOfAnAbortedOperationIsCancelledWithOperationAbortedException() {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1, INACTIVE);
        CompletableFuture<Integer> before = op.toCompletableFuture();

        op.abort();

        assertThat(before.isDone()).isTrue();
        assertThat(before.isCancelled()).isTrue();
        assertThat(before.isCompletedExceptionally()).isTrue();
        // the future holds the OperationAbortedException itself (JDK 23+ join() wraps a cancellation in a new one)
        assertThat(before.handle((v, e) -> e).join()).isInstanceOf(OperationAbortedException.class);
        assertThatThrownBy(before::join).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> before.get(1, SECONDS)).isInstanceOf(CancellationException.class);
    }

    @Test
    void futureAskedForAfterAnAbortIsAlreadyCancelled() {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1, INACTIVE);
        op.abort();

        CompletableFuture<Integer> after = op.toCompletableFuture();

        assertThat(after.isCancelled()).isTrue();
        assertThat(after.handle((v, e) -> e).join()).isInstanceOf(OperationAbortedException.class);
        assertThatThrownBy(after::join).isInstanceOf(CancellationException.class);
    }

    @Test
    void dependentStagesOfTheFutureRunOnTheOwnerThread() throws Exception {
        Gate gate = blockOwner();
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 20);
        CompletableFuture<Thread> where = op.toCompletableFuture().thenApply(v -> Thread.currentThread());
        CompletableFuture<Integer> doubled = op.toCompletableFuture().thenApply(v -> v * 2);

        gate.open();

        assertThat(where.get(5, SECONDS)).isSameAs(dispatcher.thread());
        assertThat(doubled.get(5, SECONDS)).isEqualTo(40);
    }

    @Test
    void completingTheFutureFromOutsideIsUnsupportedAndChangesNothing() throws Exception {
        Gate gate = blockOwner();
        DispatcherOperation<String> op = dispatcher.invokeAsync(() -> "real");
        CompletableFuture<String> f = op.toCompletableFuture();

        assertThatThrownBy(() -> f.complete("fake")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> f.completeExceptionally(new RuntimeException("fake")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> f.obtrudeValue("fake")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> f.obtrudeException(new RuntimeException("fake")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(f.isDone()).isFalse();
        assertThat(op.status()).isEqualTo(PENDING);

        gate.open();
        assertThat(f.get(5, SECONDS)).isEqualTo("real");
    }

    @Test
    void completingTheFutureOfAFinishedOperationIsUnsupportedToo() throws Exception {
        DispatcherOperation<String> op = dispatcher.invokeAsync(() -> "real");
        CompletableFuture<String> f = op.toCompletableFuture();
        assertThat(f.get(5, SECONDS)).isEqualTo("real");

        assertThatThrownBy(() -> f.obtrudeValue("fake")).isInstanceOf(UnsupportedOperationException.class);

        assertThat(f.join()).isEqualTo("real");
    }

    @Test
    void cancellingTheFutureAbortsThePendingOperation() throws Exception {
        Gate gate = blockOwner();
        AtomicBoolean ran = new AtomicBoolean();
        DispatcherOperation<Void> op = dispatcher.invokeAsync(() -> ran.set(true));
        CompletableFuture<Void> f = op.toCompletableFuture();

        assertThat(f.cancel(false)).isTrue();

        assertThat(op.status()).isEqualTo(ABORTED);
        assertThat(f.isCancelled()).isTrue();
        gate.open();
        drainQueue();
        assertThat(ran).isFalse();
    }

    @Test
    void cancellingTheFutureOfAStartedOperationDoesNothing() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        DispatcherOperation<String> op = dispatcher.invokeAsync(() -> {
            inside.countDown();
            awaitLatch(proceed);
            return "ran";
        });
        assertThat(inside.await(5, SECONDS)).isTrue();
        CompletableFuture<String> f = op.toCompletableFuture();

        assertThat(f.cancel(true)).isFalse();

        proceed.countDown();
        assertThat(f.get(5, SECONDS)).isEqualTo("ran");
        assertThat(op.status()).isEqualTo(COMPLETED);
        assertThat(f.isCancelled()).isFalse();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The Future API
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void getReturnsTheResult() throws Exception {
        assertThat(dispatcher.invokeAsync(() -> 5).get()).isEqualTo(5);
        assertThat(dispatcher.invokeAsync(() -> 6).get(5, SECONDS)).isEqualTo(6);
    }

    @Test
    void getWrapsTheTasksExceptionInExecutionException() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        DispatcherOperation<Object> op = dispatcher.invokeAsync(() -> {
            throw boom;
        });

        assertThatThrownBy(op::get).isInstanceOf(ExecutionException.class).hasCause(boom);
        assertThatThrownBy(() -> op.get(5, SECONDS)).isInstanceOf(ExecutionException.class).hasCause(boom);
    }

    @Test
    void getOfAnAbortedOperationThrowsOperationAbortedException() {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1, INACTIVE);
        op.abort();

        assertThatThrownBy(op::get).isInstanceOf(OperationAbortedException.class)
                .isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> op.get(1, SECONDS)).isInstanceOf(OperationAbortedException.class);
    }

    @Test
    void getWithTimeoutThrowsTimeoutExceptionAndDoesNotAbort() throws Exception {
        Gate gate = blockOwner();
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 3);

        assertThatThrownBy(() -> op.get(20, MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> op.get(0, MILLISECONDS)).isInstanceOf(TimeoutException.class);

        assertThat(op.status()).isEqualTo(PENDING);
        gate.open();
        assertThat(op.get(5, SECONDS)).isEqualTo(3);
    }

    @Test
    void getRejectsANegativeTimeoutAndANullUnit() {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 3, INACTIVE);

        assertThatThrownBy(() -> op.get(-1, SECONDS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> op.get(1, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("unit");
    }

    @Test
    void isDoneAndIsCancelledFollowTheStatus() throws Exception {
        Gate gate = blockOwner();
        DispatcherOperation<Integer> completes = dispatcher.invokeAsync(() -> 1);
        DispatcherOperation<Integer> aborted = dispatcher.invokeAsync(() -> 2);
        assertThat(completes.isDone()).isFalse();
        assertThat(aborted.isDone()).isFalse();

        assertThat(aborted.cancel(false)).isTrue();
        gate.open();
        completes.await();

        assertThat(completes.isDone()).isTrue();
        assertThat(completes.isCancelled()).isFalse();
        assertThat(aborted.isDone()).isTrue();
        assertThat(aborted.isCancelled()).isTrue();
        assertThat(aborted.cancel(false)).as("cancel again").isFalse();
        assertThat(completes.cancel(false)).as("cancel after completion").isFalse();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Completed and aborted listeners
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void completedListenerRunsOnceOnTheOwnerThread() throws Exception {
        Gate gate = blockOwner();
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1);
        List<Thread> completedOn = new CopyOnWriteArrayList<>();
        AtomicInteger aborted = new AtomicInteger();
        op.addCompletedListener(() -> completedOn.add(Thread.currentThread()));
        op.addAbortedListener(aborted::incrementAndGet);

        gate.open();
        op.await();
        drainQueue();

        assertThat(completedOn).containsExactly(dispatcher.thread());
        assertThat(aborted).hasValue(0);
    }

    @Test
    void completedListenerRunsEvenWhenTheTaskThrows() throws Exception {
        CountDownLatch completed = new CountDownLatch(1);
        Gate gate = blockOwner();
        DispatcherOperation<Object> op = dispatcher.invokeAsync(() -> {
            throw new IllegalStateException("boom");
        });
        op.addCompletedListener(completed::countDown);

        gate.open();

        assertThat(completed.await(5, SECONDS)).isTrue();
    }

    @Test
    void abortedListenerRunsOnceOnTheAbortingThread() throws Exception {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1, INACTIVE);
        List<Thread> abortedOn = new CopyOnWriteArrayList<>();
        AtomicInteger completed = new AtomicInteger();
        op.addAbortedListener(() -> abortedOn.add(Thread.currentThread()));
        op.addCompletedListener(completed::incrementAndGet);

        Thread aborter = new Thread(op::abort, "aborter");
        aborter.start();
        aborter.join(5_000);
        op.abort();

        assertThat(abortedOn).containsExactly(aborter);
        assertThat(completed).hasValue(0);
    }

    @Test
    void listenersAddedAfterTheEndRunAtOnceOnTheAddingThreadWhenTheyMatch() throws Exception {
        DispatcherOperation<Integer> completedOp = dispatcher.invokeAsync(() -> 1);
        completedOp.await();
        DispatcherOperation<Integer> abortedOp = dispatcher.invokeAsync(() -> 1, INACTIVE);
        abortedOp.abort();
        List<String> ran = new ArrayList<>(); // only this thread may touch it, by the contract under test

        completedOp.addCompletedListener(() -> ran.add("completed:" + Thread.currentThread().getName()));
        completedOp.addAbortedListener(() -> ran.add("aborted-of-completed"));
        abortedOp.addAbortedListener(() -> ran.add("aborted:" + Thread.currentThread().getName()));
        abortedOp.addCompletedListener(() -> ran.add("completed-of-aborted"));

        String me = Thread.currentThread().getName();
        assertThat(ran).containsExactly("completed:" + me, "aborted:" + me);
    }

    @Test
    void listenersAddedBeforeAndAfterTheFutureWasCreatedAllRun() throws Exception {
        Gate gate = blockOwner();
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1);
        AtomicInteger count = new AtomicInteger();
        op.addCompletedListener(count::incrementAndGet);
        op.toCompletableFuture();
        op.addCompletedListener(count::incrementAndGet);

        gate.open();
        op.await();
        op.addCompletedListener(count::incrementAndGet);
        drainQueue();

        assertThat(count).hasValue(3);
    }

    @Test
    void aThrowingListenerIsReportedToTheThreadAndTheOthersStillRun() throws Exception {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1, INACTIVE);
        RuntimeException boom = new RuntimeException("listener failed");
        AtomicInteger others = new AtomicInteger();
        op.addAbortedListener(() -> {
            throw boom;
        });
        op.addAbortedListener(others::incrementAndGet);
        List<Throwable> reported = new CopyOnWriteArrayList<>();

        Thread aborter = new Thread(op::abort, "aborter");
        aborter.setUncaughtExceptionHandler((t, e) -> reported.add(e));
        aborter.start();
        aborter.join(5_000);

        assertThat(reported).containsExactly(boom);
        assertThat(others).hasValue(1);
        assertThat(op.status()).isEqualTo(ABORTED);
    }

    // ---------------------------------------------------------------------------------------------------------
    // await, off the owner thread and on it
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void awaitOffTheOwnerThreadBlocksUntilTheEnd() throws Exception {
        Gate gate = blockOwner();
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1);

        assertThat(op.await(Duration.ofMillis(30))).as("timed out while blocked").isEqualTo(PENDING);
        assertThat(op.status()).as("a timed-out await does not abort").isEqualTo(PENDING);

        Thread opener = new Thread(gate::open, "opener");
        opener.start();
        assertThat(op.await()).isEqualTo(COMPLETED);
        opener.join(5_000);
    }

    @Test
    void awaitWithDurationZeroReturnsTheStatusAtOnce() throws Exception {
        Gate gate = blockOwner();
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1);

        assertThat(op.await(Duration.ZERO)).isEqualTo(PENDING);

        gate.open();
        assertThat(op.await(Duration.ofSeconds(5))).isEqualTo(COMPLETED);
        assertThat(op.await(Duration.ZERO)).isEqualTo(COMPLETED);
    }

    @Test
    void awaitReturnsAbortedForAnAbortedOperation() {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1, INACTIVE);
        op.abort();

        assertThat(op.await()).isEqualTo(ABORTED);
        assertThat(op.await(Duration.ofSeconds(1))).isEqualTo(ABORTED);
    }

    @Test
    void awaitOffTheOwnerThreadReturnsWhenAnotherThreadAborts() throws Exception {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1, INACTIVE);
        CompletableFuture<DispatcherOperationStatus> waiter =
                CompletableFuture.supplyAsync(op::await, runnable -> new Thread(runnable, "waiter").start());

        op.abort();

        assertThat(waiter.get(5, SECONDS)).isEqualTo(ABORTED);
    }

    @Test
    void awaitOnTheOwnerThreadRunsANestedLoopSoALowerPriorityOperationCompletes() throws Exception {
        List<String> trace = new CopyOnWriteArrayList<>();

        DispatcherOperationStatus status = dispatcher.invoke(() -> {
            trace.add("outer start");
            DispatcherOperation<Void> later = dispatcher.invokeAsync(() -> {
                trace.add("background");
            }, BACKGROUND);
            DispatcherOperationStatus s = later.await();
            trace.add("outer end");
            return s;
        }, NORMAL);

        assertThat(status).isEqualTo(COMPLETED);
        assertThat(trace).containsExactly("outer start", "background", "outer end");
    }

    @Test
    void nestedLoopOfAnOwnerAwaitAlsoRunsOtherQueuedWorkInPriorityOrder() throws Exception {
        List<String> trace = new CopyOnWriteArrayList<>();

        dispatcher.invoke(() -> {
            DispatcherOperation<Void> idle = dispatcher.invokeAsync(() -> {
                trace.add("idle");
            }, SYSTEM_IDLE);
            dispatcher.post(() -> trace.add("render"), RENDER);
            dispatcher.post(() -> trace.add("background"), BACKGROUND);
            idle.await();
            trace.add("after await");
        }, NORMAL);

        assertThat(trace).containsExactly("render", "background", "idle", "after await");
    }

    @Test
    void getOnTheOwnerThreadAlsoPumpsInsteadOfDeadlocking() {
        int value = dispatcher.invoke(() -> dispatcher.invokeAsync(() -> 99, BACKGROUND).get(), NORMAL);

        assertThat(value).isEqualTo(99);
    }

    @Test
    void awaitWithDurationOnTheOwnerThreadTimesOutWithoutAborting() throws Exception {
        AtomicReference<DispatcherOperation<Integer>> inactive = new AtomicReference<>();

        DispatcherOperationStatus status = dispatcher.invoke(() -> {
            inactive.set(dispatcher.invokeAsync(() -> 1, INACTIVE));
            return inactive.get().await(Duration.ofMillis(30));
        }, NORMAL);

        assertThat(status).isEqualTo(PENDING);
        assertThat(inactive.get().status()).isEqualTo(PENDING);
        assertThat(inactive.get().setPriority(NORMAL)).isTrue();
        assertThat(inactive.get().await(Duration.ofSeconds(5))).isEqualTo(COMPLETED);
    }

    @Test
    void getWithTimeoutOnTheOwnerThreadThrowsTimeoutException() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();

        dispatcher.invoke(() -> {
            try {
                dispatcher.invokeAsync(() -> 1, INACTIVE).get(20, MILLISECONDS);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, NORMAL);

        assertThat(thrown.get()).isInstanceOf(TimeoutException.class);
    }

    @Test
    void awaitOnTheOwnerThreadReturnsWhenAnotherThreadAbortsTheAwaitedOperation() throws Exception {
        CountDownLatch ownerIdle = new CountDownLatch(1);
        AtomicReference<DispatcherOperation<Integer>> awaited = new AtomicReference<>();
        AtomicBoolean waiting = new AtomicBoolean();
        dispatcher.addHooks(new DispatcherHooks() {
            @Override
            public void dispatcherInactive(Dispatcher d) {
                if (waiting.get()) {
                    ownerIdle.countDown(); // idle inside the nested loop of the await below
                }
            }
        });
        CompletableFuture<DispatcherOperationStatus> outer = new CompletableFuture<>();
        dispatcher.post(() -> {
            DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1, INACTIVE);
            awaited.set(op);
            waiting.set(true);
            outer.complete(op.await());
        });

        assertThat(ownerIdle.await(5, SECONDS)).isTrue();
        assertThat(awaited.get().abort()).isTrue();

        assertThat(outer.get(5, SECONDS)).isEqualTo(ABORTED);
    }

    @Test
    void awaitOnAnOperationExecutingOnTheCallingThreadThrows() throws Exception {
        Gate gate = blockOwner();
        AtomicReference<DispatcherOperation<Void>> self = new AtomicReference<>();
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        DispatcherOperation<Void> op = dispatcher.invokeAsync(() -> {
            DispatcherOperation<Void> me = self.get();
            thrown.add(catchThrowable(me::await));
            thrown.add(catchThrowable(() -> me.await(Duration.ofSeconds(1))));
            thrown.add(catchThrowable(me::get));
            thrown.add(catchThrowable(() -> me.get(1, SECONDS)));
        });
        self.set(op);

        gate.open();

        assertThat(op.await()).isEqualTo(COMPLETED);
        assertThat(thrown).hasSize(4).allSatisfy(t -> assertThat(t).isInstanceOf(IllegalStateException.class));
    }

    @Test
    void awaitFromANestedLoopOnAnOperationExecutingFurtherDownTheStackThrows() throws Exception {
        Gate gate = blockOwner();
        AtomicReference<DispatcherOperation<Void>> outerRef = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        DispatcherOperation<Void> outer = dispatcher.invokeAsync(() -> {
            DispatcherOperation<Void> inner = dispatcher.invokeAsync(
                    () -> thrown.set(catchThrowable(() -> outerRef.get().await())), BACKGROUND);
            inner.await(); // the inner one runs in this nested loop while outer is still EXECUTING
        });
        outerRef.set(outer);

        gate.open();

        assertThat(outer.await()).isEqualTo(COMPLETED);
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void awaitRejectsNegativeAndNullDurations() {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1, INACTIVE);

        assertThatThrownBy(() -> op.await(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> op.await(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("timeout");
        assertThat(op.status()).isEqualTo(PENDING);
    }

    @Test
    void awaitRejectsNegativeDurationsEvenOnADoneOperation() throws Exception {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1);
        op.await();

        assertThatThrownBy(() -> op.await(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> op.await(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anInterruptedAwaitOffTheOwnerThreadEndsAndKeepsTheInterruptStatus() throws Exception {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1, INACTIVE);
        CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                op.await();
            } catch (OperationAbortedException documented) {
                // the javadoc allows this outcome; the interrupt status must survive either way
            } finally {
                interruptKept.complete(Thread.currentThread().isInterrupted());
            }
        }, "interrupted-waiter");
        waiter.start();

        assertThat(interruptKept.get(5, SECONDS)).isTrue();
        waiter.join(5_000);
    }

    @Test
    void anInterruptedGetThrowsInterruptedException() throws Exception {
        DispatcherOperation<Integer> op = dispatcher.invokeAsync(() -> 1, INACTIVE);
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            Thread.currentThread().interrupt();
            thrown.complete(catchThrowable(op::get));
        }, "interrupted-getter");
        waiter.start();

        assertThat(thrown.get(5, SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(op.status()).as("get does not abort on interrupt").isEqualTo(PENDING);
        waiter.join(5_000);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    /** Blocks the owner thread inside an operation until {@link Gate#open()}, so posts pile up in a known state. */
    private Gate blockOwner() throws InterruptedException {
        Gate gate = new Gate();
        gates.add(gate);
        dispatcher.post(() -> {
            gate.entered.countDown();
            awaitLatch(gate.release);
        }, SEND);
        assertThat(gate.entered.await(5, SECONDS)).as("owner entered the gate").isTrue();
        return gate;
    }

    private static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        void open() {
            release.countDown();
        }
    }

    /**
     * Waits until every runnable operation queued so far has run: a SYSTEM_IDLE operation runs only after all of
     * them, because it is the lowest runnable priority and FIFO within it.
     */
    private void drainQueue() throws Exception {
        dispatcher.invokeAsync(() -> null, SYSTEM_IDLE).get(5, SECONDS);
    }

    /** Bounded so that a broken test never strands the owner thread (and with it the shutdown in tearDown). */
    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(9, SECONDS)) {
                throw new AssertionError("latch never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Throwable catchThrowable(Callable<?> call) {
        try {
            call.call();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void orTimeoutOnTheFutureViewTimesOutInsteadOfBeingSwallowed() {
        DispatcherOperation<String> never = dispatcher.invokeAsync(() -> "never", DispatcherPriority.INACTIVE);

        CompletableFuture<String> timed = never.toCompletableFuture().orTimeout(20, MILLISECONDS);

        assertThatThrownBy(() -> timed.get(5, SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(never.status()).isEqualTo(DispatcherOperationStatus.PENDING);
        assertThat(never.abort()).isTrue();
    }

    @Test
    void completeOnTimeoutOnTheFutureViewSuppliesTheValue() throws Exception {
        DispatcherOperation<String> never = dispatcher.invokeAsync(() -> "never", DispatcherPriority.INACTIVE);

        CompletableFuture<String> timed = never.toCompletableFuture()
                .completeOnTimeout("fallback", 20, MILLISECONDS);

        assertThat(timed.get(5, SECONDS)).isEqualTo("fallback");
        assertThat(never.abort()).isTrue();
    }

    /**
     * The operation publishes COMPLETED a moment before it completes its future: a timed get that comes in between
     * (here: right after seeing the status) must wait for the future, not report a timeout (a CI failure of the test
     * below, caught in one run of twenty).
     */
    @Test
    void aTimedGetRightAfterTheOperationEndedReturnsItsResult() throws Exception {
        Dispatcher d = dispatcher;
        for (int i = 0; i < 20_000; i++) {
            DispatcherOperation<Integer> op = d.invokeAsync(() -> 7);
            CompletableFuture<Integer> f = op.toCompletableFuture();
            while (!op.isDone()) {
                Thread.onSpinWait();
            }
            assertThat(f.get(5, SECONDS)).isEqualTo(7);
        }
    }

    @Test
    void theFutureCannotBeCompletedAsynchronouslyFromOutsideEither() throws Exception {
        Dispatcher d = dispatcher;
        CountDownLatch release = TestDispatchers.block(d);
        try {
            DispatcherOperation<String> op = d.invokeAsync(() -> "real");
            CompletableFuture<String> f = op.toCompletableFuture();
            assertThatThrownBy(() -> f.completeAsync(() -> "fake")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> f.completeAsync(() -> "fake", Runnable::run))
                    .isInstanceOf(UnsupportedOperationException.class);
            release.countDown();
            assertThat(f.get(5, SECONDS)).isEqualTo("real");
        } finally {
            release.countDown();
        }
    }
}
