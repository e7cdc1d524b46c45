package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class DispatcherEventTest {

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private Dispatcher start(String name) {
        return dispatchers.start(name);
    }

    /** The exception a stage completed with, or null; waits for it. Avoids join(), whose wrapping varies by JDK. */
    static Throwable outcome(CompletionStage<?> stage) throws Exception {
        return stage.toCompletableFuture().handle((v, e) -> e).get(5, TimeUnit.SECONDS);
    }

    static <A> A value(CompletionStage<A> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Everything posted at NORMAL or above before this call has run once it returns. */
    static void fence(Dispatcher d) {
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
    }

    /** Remembers the operation running on the owner thread (valid where no nested loop intervenes). */
    static final class RunningSpy implements DispatcherHooks {
        volatile DispatcherOperation<?> running;

        static RunningSpy install(Dispatcher d) {
            RunningSpy spy = new RunningSpy();
            d.addHooks(spy);
            return spy;
        }

        @Override
        public void operationStarted(DispatcherOperation<?> operation) {
            running = operation;
        }
    }

    // =========================================================================================================
    // Delivery
    // =========================================================================================================

    @Test
    void handlersRunOnTheOwnerThreadInRegistrationOrderAndTheStageCompletesThereWithTheArgs() throws Exception {
        Dispatcher d = start("event-order");
        DispatcherEvent<StringBuilder> ev = new DispatcherEvent<>(d);
        List<String> log = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            ev.addHandler(sb -> {
                threads.add(Thread.currentThread());
                sb.append(name);
                log.add(name);
            });
        }
        assertThat(ev.handlerCount()).isEqualTo(3);
        StringBuilder args = new StringBuilder();
        AtomicReference<Thread> completedOn = new AtomicReference<>();
        CompletionStage<StringBuilder> stage;
        CompletionStage<StringBuilder> observed;
        CountDownLatch release = TestDispatchers.block(d);
        try {
            stage = ev.raise(args); // from this (foreign) thread
            assertThat(stage.toCompletableFuture()).as("nothing ran yet").isNotDone();
            observed = stage.whenComplete((v, e) -> completedOn.set(Thread.currentThread()));
        } finally {
            release.countDown();
        }
        assertThat(value(observed)).isSameAs(args); // the dependent: get() on the stage may return before it ran
        assertThat(args.toString()).isEqualTo("abc");
        assertThat(log).containsExactly("a", "b", "c");
        assertThat(threads).containsOnly(d.thread());
        assertThat(completedOn.get()).isSameAs(d.thread());
    }

    @Test
    void aRaiseOnTheOwnerThreadRunsTheHandlersLaterNeverInsideTheCall() throws Exception {
        Dispatcher d = start("event-owner-raise");
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        List<String> log = new CopyOnWriteArrayList<>();
        ev.addHandler(a -> log.add("handler " + a));
        CompletionStage<String> stage = d.invoke(() -> {
            CompletionStage<String> s = ev.raise("x");
            log.add("raise returned");
            return s;
        });
        assertThat(value(stage)).isEqualTo("x");
        assertThat(log).containsExactly("raise returned", "handler x");
    }

    @Test
    void aRaiseWithoutHandlersOrWithNullArgsCompletes() throws Exception {
        Dispatcher d = start("event-empty");
        DispatcherEvent<Object> ev = new DispatcherEvent<>(d);
        assertThat(value(ev.raise("nobody listens"))).isEqualTo("nobody listens");
        List<Object> seen = new CopyOnWriteArrayList<>();
        ev.addHandler(a -> seen.add(String.valueOf(a)));
        assertThat(value(ev.raise(null))).isNull();
        assertThat(seen).containsExactly("null");
    }

    @Test
    void deliveriesAreOperationsOfTheChosenPriorityAndKind() throws Exception {
        Dispatcher d = start("event-kind");
        RunningSpy spy = RunningSpy.install(d);
        List<String> seen = new CopyOnWriteArrayList<>();
        DispatcherEvent<String> plain = new DispatcherEvent<>(d);
        DispatcherEvent<String> calls = new DispatcherEvent<>(d, DispatcherPriority.INPUT, OperationKind.CALL);
        Consumer<String> record = a -> seen.add(a + " " + spy.running.priority() + " " + spy.running.kind());
        plain.addHandler(record);
        calls.addHandler(record);
        value(plain.raise("plain"));
        value(calls.raise("calls"));
        assertThat(seen).containsExactly("plain NORMAL MESSAGE", "calls INPUT CALL");
        assertThat(plain.priority()).isEqualTo(DispatcherPriority.NORMAL);
        assertThat(plain.kind()).isEqualTo(OperationKind.MESSAGE);
        assertThat(calls.dispatcher()).isSameAs(d);
    }

    @Test
    void priorityOrdersDeliveriesAmongOtherWork() throws Exception {
        Dispatcher d = start("event-priority");
        List<String> log = new CopyOnWriteArrayList<>();
        DispatcherEvent<String> background = new DispatcherEvent<>(d, DispatcherPriority.BACKGROUND,
                OperationKind.MESSAGE);
        background.addHandler(log::add);
        CompletionStage<String> stage;
        CountDownLatch release = TestDispatchers.block(d);
        try {
            stage = background.raise("event");
            d.post(() -> log.add("normal post"));
        } finally {
            release.countDown();
        }
        value(stage);
        assertThat(log).containsExactly("normal post", "event");
    }

    @Test
    void invalidArgumentsAreRejected() {
        Dispatcher d = start("event-invalid");
        assertThatThrownBy(() -> new DispatcherEvent<String>(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("dispatcher");
        assertThatThrownBy(() -> new DispatcherEvent<String>(d, null, OperationKind.CALL))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("priority");
        assertThatThrownBy(() -> new DispatcherEvent<String>(d, DispatcherPriority.NORMAL, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("kind");
        assertThatThrownBy(() -> new DispatcherEvent<String>(d, DispatcherPriority.INVALID, OperationKind.MESSAGE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INVALID");
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        assertThatThrownBy(() -> ev.addHandler(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("handler");
    }

    @Test
    void theStageIsReadOnly() throws Exception {
        Dispatcher d = start("event-read-only");
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        CompletableFuture<String> f;
        CountDownLatch release = TestDispatchers.block(d);
        try {
            f = ev.raise("x").toCompletableFuture();
            assertThatThrownBy(() -> f.complete("forged")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> f.completeExceptionally(new RuntimeException()))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> f.cancel(true)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> f.obtrudeValue("forged")).isInstanceOf(UnsupportedOperationException.class);
            assertThat(f).isNotDone();
        } finally {
            release.countDown();
        }
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("x");
    }

    // =========================================================================================================
    // Handlers
    // =========================================================================================================

    @Test
    void removeHandlerRemovesTheMostRecentRegistration() throws Exception {
        Dispatcher d = start("event-remove");
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        List<String> log = new CopyOnWriteArrayList<>();
        Consumer<String> a = x -> log.add("a");
        Consumer<String> b = x -> log.add("b");
        ev.addHandler(a);
        ev.addHandler(b);
        ev.addHandler(a);
        value(ev.raise("1"));
        assertThat(log).containsExactly("a", "b", "a");

        log.clear();
        assertThat(ev.removeHandler(a)).isTrue();
        value(ev.raise("2"));
        assertThat(log).containsExactly("a", "b");

        log.clear();
        assertThat(ev.removeHandler(x -> { })).as("never registered").isFalse();
        assertThat(ev.removeHandler(a)).isTrue();
        assertThat(ev.removeHandler(a)).isFalse();
        value(ev.raise("3"));
        assertThat(log).containsExactly("b");

        log.clear();
        assertThat(ev.removeHandler(b)).isTrue();
        assertThat(ev.handlerCount()).isZero();
        value(ev.raise("4"));
        assertThat(log).isEmpty();
    }

    @Test
    void aRaiseDeliversToTheHandlersRegisteredWhenItsDeliveryStarts() throws Exception {
        Dispatcher d = start("event-snapshot");
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        List<String> log = new CopyOnWriteArrayList<>();
        Consumer<String> early = x -> log.add("early " + x);
        Consumer<String> late = x -> log.add("late " + x);
        ev.addHandler(early);
        CompletionStage<String> first;
        CountDownLatch release = TestDispatchers.block(d);
        try {
            first = ev.raise("1"); // queued; its delivery has not started
            ev.removeHandler(early); // from this foreign thread
            ev.addHandler(late);
        } finally {
            release.countDown();
        }
        value(first);
        assertThat(log).containsExactly("late 1");

        // changes made by a handler during a delivery apply from the next delivery on
        log.clear();
        Consumer<String> added = x -> log.add("added " + x);
        Consumer<String>[] self = new Consumer[1];
        self[0] = x -> {
            log.add("self " + x);
            ev.removeHandler(self[0]);
            ev.addHandler(added);
        };
        ev.removeHandler(late);
        ev.addHandler(self[0]);
        ev.addHandler(late);
        value(ev.raise("2"));
        value(ev.raise("3"));
        assertThat(log).containsExactly("self 2", "late 2", "late 3", "added 3");
    }

    // =========================================================================================================
    // Serial, never re-entrant
    // =========================================================================================================

    @Test
    void aNestedFrameInAHandlerRunsOtherWorkButNotTheNextRaiseOfTheSameSource() throws Exception {
        Dispatcher d = start("event-serial-frame");
        DispatcherEvent<String> clicks = new DispatcherEvent<>(d);
        DispatcherEvent<String> other = new DispatcherEvent<>(d);
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicReference<CompletionStage<String>> second = new AtomicReference<>();
        other.addHandler(a -> log.add("other " + a));
        clicks.addHandler(a -> {
            log.add("begin " + a);
            if (a.equals("first")) {
                DispatcherFrame frame = new DispatcherFrame();
                second.set(clicks.raise("second")); // its delivery is dispatched inside the frame below
                d.post(() -> log.add("unrelated post"));
                other.raise("inside");
                d.post(() -> frame.setContinue(false)); // after all of the above: FIFO within NORMAL
                d.pushFrame(frame);
                log.add("frame exited, second done=" + second.get().toCompletableFuture().isDone());
            }
            log.add("end " + a);
        });
        CompletionStage<String> first = clicks.raise("first");
        assertThat(value(first)).isEqualTo("first");
        assertThat(value(second.get())).isEqualTo("second");
        assertThat(log).containsExactly("begin first", "unrelated post", "other inside",
                "frame exited, second done=false", "end first", "begin second", "end second");
    }

    @Test
    void anInvokeBelowSendInAHandlerPumpsButDoesNotRunTheNextRaiseOfTheSameSource() throws Exception {
        Dispatcher d = start("event-serial-invoke");
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicReference<CompletionStage<String>> second = new AtomicReference<>();
        ev.addHandler(a -> {
            log.add("begin " + a);
            if (a.equals("first")) {
                second.set(ev.raise("second"));
                // queued behind the second delivery, so the nested loop must dispatch that delivery first
                log.add(d.invoke(() -> "invoked", DispatcherPriority.NORMAL));
            }
            log.add("end " + a);
        });
        value(ev.raise("first"));
        value(second.get());
        assertThat(log).containsExactly("begin first", "invoked", "end first", "begin second", "end second");
    }

    @Test
    void raiseOrderIsKeptThroughTheBacklog() throws Exception {
        Dispatcher d = start("event-serial-order");
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        List<String> handled = new CopyOnWriteArrayList<>();
        List<String> completed = new CopyOnWriteArrayList<>();
        CountDownLatch inFrame = new CountDownLatch(1);
        CompletableFuture<DispatcherFrame> frameRef = new CompletableFuture<>();
        CompletableFuture<CompletionStage<String>> second = new CompletableFuture<>();
        CompletableFuture<CompletionStage<String>> fourth = new CompletableFuture<>();
        // Each stage is watched right after its raise: none can complete before the frame below has ended.
        ev.addHandler(a -> {
            handled.add(a);
            if (a.equals("1")) {
                DispatcherFrame frame = new DispatcherFrame();
                frameRef.complete(frame);
                second.complete(ev.raise("2").whenComplete((v, e) -> completed.add(v))); // dispatched in the frame
                d.post(inFrame::countDown); // the test thread raises "3" once this ran, then ends the frame
                d.pushFrame(frame);
                // Queued before the backlog's continuation: its delivery runs outside any handler of ours, while
                // the backlog still holds 2 and 3, and must wait behind them.
                fourth.complete(ev.raise("4").whenComplete((v, e) -> completed.add(v)));
            }
        });
        CompletionStage<String> first = ev.raise("1").whenComplete((v, e) -> completed.add(v));
        assertThat(inFrame.await(5, TimeUnit.SECONDS)).isTrue();
        // from a foreign thread, dispatched inside the frame
        CompletionStage<String> third = ev.raise("3").whenComplete((v, e) -> completed.add(v));
        d.post(() -> frameRef.join().setContinue(false));
        for (CompletionStage<String> s : List.of(first, second.get(5, TimeUnit.SECONDS), third,
                fourth.get(5, TimeUnit.SECONDS))) {
            value(s);
        }
        assertThat(handled).containsExactly("1", "2", "3", "4");
        assertThat(completed).containsExactly("1", "2", "3", "4");
    }

    @Test
    void aRaiseFromInsideTheHandlerWaitsForTheHandlerToReturn() throws Exception {
        Dispatcher d = start("event-serial-self");
        DispatcherEvent<Integer> ev = new DispatcherEvent<>(d);
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<CompletionStage<Integer>> last = new CompletableFuture<>();
        ev.addHandler(n -> {
            log.add("begin " + n);
            if (n < 3) {
                CompletionStage<Integer> next = ev.raise(n + 1);
                if (n == 2) {
                    last.complete(next);
                }
                d.invoke(() -> null, DispatcherPriority.BACKGROUND); // pumps everything at NORMAL, the raise too
            }
            log.add("end " + n);
        });
        value(ev.raise(1));
        value(last.get(5, TimeUnit.SECONDS));
        assertThat(log).containsExactly("begin 1", "end 1", "begin 2", "end 2", "begin 3", "end 3");
    }

    // =========================================================================================================
    // Exceptions
    // =========================================================================================================

    @Test
    void aHandlerThatThrowsEndsItsRaiseAndReachesTheUnhandledExceptionEvents() throws Exception {
        Dispatcher d = start("event-throws");
        CompletableFuture<Throwable> unhandled = new CompletableFuture<>();
        d.addUnhandledExceptionHandler(e -> {
            unhandled.complete(e.exception());
            e.setHandled(true);
        });
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        List<String> log = new CopyOnWriteArrayList<>();
        RuntimeException boom = new IllegalStateException("boom");
        AtomicBoolean throwIt = new AtomicBoolean(true);
        ev.addHandler(a -> log.add("h1 " + a));
        ev.addHandler(a -> {
            if (throwIt.get()) {
                throw boom;
            }
        });
        ev.addHandler(a -> log.add("h3 " + a));

        assertThat(outcome(ev.raise("x"))).isSameAs(boom);
        assertThat(unhandled.get(5, TimeUnit.SECONDS)).isSameAs(boom);
        assertThat(log).as("the handlers after the one that threw did not run").containsExactly("h1 x");

        throwIt.set(false);
        assertThat(value(ev.raise("y"))).as("the source and the loop go on").isEqualTo("y");
        assertThat(log).containsExactly("h1 x", "h1 y", "h3 y");
        assertThat(d.hasShutdownStarted()).isFalse();
    }

    @Test
    void aHandlerThatThrowsAfterANestedFrameStillLetsTheBacklogThrough() throws Exception {
        Dispatcher d = start("event-throws-backlog");
        List<Throwable> unhandled = new CopyOnWriteArrayList<>();
        d.addUnhandledExceptionHandler(e -> {
            unhandled.add(e.exception());
            e.setHandled(true);
        });
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        List<String> log = new CopyOnWriteArrayList<>();
        RuntimeException boom = new RuntimeException("after the frame");
        AtomicReference<CompletionStage<String>> second = new AtomicReference<>();
        ev.addHandler(a -> {
            log.add(a);
            if (a.equals("first")) {
                second.set(ev.raise("second"));
                d.invoke(() -> null, DispatcherPriority.BACKGROUND);
                throw boom;
            }
        });
        assertThat(outcome(ev.raise("first"))).isSameAs(boom);
        assertThat(value(second.get())).isEqualTo("second");
        assertThat(log).containsExactly("first", "second");
        assertThat(unhandled).containsExactly(boom);
    }

    @Test
    void anUnhandledHandlerExceptionShutsTheDispatcherDownAndTheBacklogIsAborted() throws Exception {
        Dispatcher d = start("event-throws-unhandled");
        CompletableFuture<Throwable> uncaught = new CompletableFuture<>();
        d.invoke(() -> Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.complete(e)));
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        List<String> log = new CopyOnWriteArrayList<>();
        Error boom = new AssertionError("nobody handles this");
        AtomicReference<CompletionStage<String>> second = new AtomicReference<>();
        ev.addHandler(a -> {
            log.add(a);
            second.set(ev.raise("second"));
            d.invoke(() -> null, DispatcherPriority.BACKGROUND); // the second delivery joins the backlog
            throw boom;
        });
        assertThat(outcome(ev.raise("first"))).isSameAs(boom);
        assertThat(uncaught.get(5, TimeUnit.SECONDS)).isSameAs(boom);
        assertThat(d.awaitShutdown(TestDispatchers.SHUTDOWN)).isTrue();
        assertThat(outcome(second.get())).isInstanceOf(CancellationException.class);
        assertThat(log).containsExactly("first");
    }

    // =========================================================================================================
    // Shutdown
    // =========================================================================================================

    @Test
    void pendingRaisesCompleteExceptionallyAtShutdown() throws Exception {
        Dispatcher d = start("event-shutdown-pending");
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        DispatcherEvent<String> calls = new DispatcherEvent<>(d, DispatcherPriority.BACKGROUND, OperationKind.CALL);
        List<String> log = new CopyOnWriteArrayList<>();
        ev.addHandler(log::add);
        calls.addHandler(log::add);
        CompletionStage<String> a;
        CompletionStage<String> b;
        CompletionStage<String> c;
        CountDownLatch release = TestDispatchers.block(d);
        try {
            a = ev.raise("a");
            b = ev.raise("b");
            c = calls.raise("c");
            d.beginInvokeShutdown(DispatcherPriority.SEND);
        } finally {
            release.countDown();
        }
        assertThat(d.awaitShutdown(TestDispatchers.SHUTDOWN)).isTrue();
        assertThat(outcome(a)).isInstanceOf(CancellationException.class).isInstanceOf(OperationAbortedException.class);
        assertThat(outcome(b)).isInstanceOf(CancellationException.class);
        assertThat(outcome(c)).isInstanceOf(CancellationException.class);
        assertThat(a.toCompletableFuture().isCancelled()).isTrue();
        assertThat(log).isEmpty();
    }

    @Test
    void theBacklogAndRaisesPendingBehindItCompleteExceptionallyAtShutdown() throws Exception {
        Dispatcher d = start("event-shutdown-backlog");
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        List<String> log = new CopyOnWriteArrayList<>();
        List<CompletionStage<String>> inner = new CopyOnWriteArrayList<>();
        ev.addHandler(a -> {
            log.add(a);
            if (a.equals("1")) {
                inner.add(ev.raise("2"));
                inner.add(ev.raise("3"));
                d.beginInvokeShutdown(DispatcherPriority.NORMAL); // after both deliveries joined the backlog
                inner.add(ev.raise("4")); // still pending when shutdown begins
                d.pushFrame(new DispatcherFrame()); // exits when shutdown starts
                log.add("frame exited");
            }
        });
        CompletionStage<String> first = ev.raise("1");
        assertThat(d.awaitShutdown(TestDispatchers.SHUTDOWN)).isTrue();
        assertThat(value(first)).as("its handlers all returned").isEqualTo("1");
        assertThat(inner).hasSize(3);
        for (CompletionStage<String> s : inner) {
            assertThat(outcome(s)).isInstanceOf(CancellationException.class);
        }
        assertThat(log).containsExactly("1", "frame exited");
    }

    @Test
    void aRaiseAfterShutdownIsAlreadyCompleteExceptionallyWhenItReturns() throws Exception {
        Dispatcher d = start("event-after-shutdown");
        DispatcherEvent<String> ev = new DispatcherEvent<>(d);
        AtomicBoolean ran = new AtomicBoolean();
        ev.addHandler(a -> ran.set(true));
        d.invokeShutdown();
        assertThat(d.awaitShutdown(TestDispatchers.SHUTDOWN)).isTrue();
        CompletionStage<String> stage = ev.raise("late");
        assertThat(stage.toCompletableFuture()).isDone();
        assertThat(outcome(stage)).isInstanceOf(OperationAbortedException.class);
        assertThat(ran.get()).isFalse();
    }
}
