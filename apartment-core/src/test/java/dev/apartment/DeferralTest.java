package dev.apartment;

import static dev.apartment.DispatcherEventTest.fence;
import static dev.apartment.DispatcherEventTest.outcome;
import static dev.apartment.DispatcherEventTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class DeferralTest {

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private Dispatcher start(String name) {
        return dispatchers.start(name);
    }

    static final class Args extends DeferrableEventArgs {
        final String name;

        Args(String name) {
            this.name = name;
        }
    }

    /** An event whose single handler takes {@code count} deferrals and hands them to the test thread. */
    private static final class Deferring {
        final DispatcherEvent<Args> event;
        final CompletableFuture<List<Deferral>> taken = new CompletableFuture<>();

        Deferring(Dispatcher d, int count) {
            event = new DispatcherEvent<>(d);
            event.addHandler(a -> {
                List<Deferral> list = new CopyOnWriteArrayList<>();
                for (int i = 0; i < count; i++) {
                    list.add(a.getDeferral());
                }
                taken.complete(list);
            });
        }

        List<Deferral> deferrals() throws Exception {
            return taken.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDeferralCompletedOnAnotherThreadCompletesTheStageOnTheOwnerThreadInACall() throws Exception {
        Dispatcher d = start("deferral-foreign");
        DispatcherEventTest.RunningSpy spy = DispatcherEventTest.RunningSpy.install(d);
        Deferring ev = new Deferring(d, 1);
        Args args = new Args("a");
        CompletionStage<Args> stage = ev.event.raise(args);
        Deferral deferral = ev.deferrals().get(0);
        fence(d); // the handler has returned
        assertThat(stage.toCompletableFuture()).as("held by the deferral").isNotDone();
        assertThat(deferral.isCompleted()).isFalse();

        AtomicReference<Thread> completedOn = new AtomicReference<>();
        AtomicReference<DispatcherOperation<?>> completedIn = new AtomicReference<>();
        // wait on the dependent, not on the stage: get() on the stage may return before its dependents ran
        CompletionStage<Args> observed = stage.whenComplete((v, e) -> {
            completedOn.set(Thread.currentThread());
            completedIn.set(spy.running);
        });
        Thread completer = new Thread(deferral::complete, "completer");
        completer.start();
        completer.join(5_000);
        assertThat(value(observed)).isSameAs(args);
        assertThat(deferral.isCompleted()).isTrue();
        assertThat(completedOn.get()).isSameAs(d.thread());
        assertThat(completedIn.get().kind()).as("like Dispatcher.callbacks()").isEqualTo(OperationKind.CALL);
        assertThat(completedIn.get().priority()).isEqualTo(DispatcherPriority.NORMAL);
    }

    @Test
    void aRaiseWaitsForEveryDeferralInAnyOrder() throws Exception {
        Dispatcher d = start("deferral-two");
        Deferring ev = new Deferring(d, 2);
        CompletionStage<Args> stage = ev.event.raise(new Args("two"));
        List<Deferral> deferrals = ev.deferrals();
        assertThat(deferrals.get(0)).as("each call returns a new deferral").isNotSameAs(deferrals.get(1));
        fence(d);
        deferrals.get(1).complete();
        fence(d); // a completion the first deferral would have posted has run by now
        assertThat(stage.toCompletableFuture()).as("one deferral still open").isNotDone();
        deferrals.get(0).complete();
        assertThat(value(stage).name).isEqualTo("two");
    }

    @Test
    void handlersStillRunningHoldTheRaiseEvenWhenEveryDeferralIsDone() throws Exception {
        Dispatcher d = start("deferral-handlers-last");
        DispatcherEvent<Args> ev = new DispatcherEvent<>(d);
        CountDownLatch deferralDone = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        AtomicReference<Deferral> deferral = new AtomicReference<>();
        ev.addHandler(a -> {
            Deferral taken = a.getDeferral();
            deferral.set(taken);
            new Thread(() -> {
                taken.complete();
                deferralDone.countDown();
            }, "completer").start();
        });
        ev.addHandler(a -> {
            try {
                // the other thread completed the only deferral; this handler has not returned yet
                assertThat(deferralDone.await(5, TimeUnit.SECONDS)).isTrue();
                checked.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletionStage<Args> stage = ev.raise(new Args("x"));
        assertThat(deferralDone.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stage.toCompletableFuture()).as("a handler is still running").isNotDone();
        checked.countDown();
        assertThat(value(stage).name).isEqualTo("x");
        assertThat(deferral.get().isCompleted()).isTrue();
    }

    @Test
    void aDeferralCompletedInsideItsHandlerLetsTheRaiseFinishWithTheHandlers() throws Exception {
        Dispatcher d = start("deferral-inline");
        DispatcherEvent<Args> ev = new DispatcherEvent<>(d);
        List<String> log = new CopyOnWriteArrayList<>();
        ev.addHandler(a -> {
            a.getDeferral().complete();
            log.add("handler");
        });
        CompletionStage<Args> stage = ev.raise(new Args("x"));
        value(stage.thenRun(() -> log.add("stage")));
        assertThat(log).containsExactly("handler", "stage");
    }

    @Test
    void aSecondCompleteThrows() throws Exception {
        Dispatcher d = start("deferral-twice");
        Deferring ev = new Deferring(d, 1);
        CompletionStage<Args> stage = ev.event.raise(new Args("x"));
        Deferral deferral = ev.deferrals().get(0);
        deferral.complete();
        assertThatThrownBy(deferral::complete)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already completed");
        value(stage);
        // on the owner thread too
        Throwable onOwner = d.invoke(() -> catchThrowable(deferral::complete));
        assertThat(onOwner).isInstanceOf(IllegalStateException.class).hasMessageContaining("already completed");
    }

    @Test
    void racingCompletesCountOnce() throws Exception {
        Dispatcher d = start("deferral-race");
        for (int round = 0; round < 50; round++) {
            Deferring ev = new Deferring(d, 2);
            CompletionStage<Args> stage = ev.event.raise(new Args("r" + round));
            List<Deferral> deferrals = ev.deferrals();
            Deferral contested = deferrals.get(0);
            CyclicBarrier go = new CyclicBarrier(2);
            AtomicInteger failures = new AtomicInteger();
            Runnable racer = () -> {
                try {
                    go.await(5, TimeUnit.SECONDS);
                    contested.complete();
                } catch (IllegalStateException e) {
                    failures.incrementAndGet();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            Thread t1 = new Thread(racer, "racer-1");
            Thread t2 = new Thread(racer, "racer-2");
            t1.start();
            t2.start();
            t1.join(5_000);
            t2.join(5_000);
            assertThat(failures.get()).as("exactly one of two racing complete() calls fails").isEqualTo(1);
            fence(d);
            assertThat(stage.toCompletableFuture()).as("the double call did not count twice").isNotDone();
            deferrals.get(1).complete();
            value(stage);
        }
    }

    @Test
    void getDeferralOutsideAHandlerThrows() throws Exception {
        Dispatcher d = start("deferral-outside");
        Args args = new Args("x");
        assertThatThrownBy(args::getDeferral).as("never raised")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("handler");

        DispatcherEvent<Args> ev = new DispatcherEvent<>(d);
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch tried = new CountDownLatch(1);
        ev.addHandler(a -> {
            inHandler.countDown();
            try {
                tried.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletionStage<Args> stage = ev.raise(args);
        assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
        Throwable foreign = catchThrowable(args::getDeferral); // while the handler runs, but on another thread
        tried.countDown();
        assertThat(foreign).isInstanceOf(IllegalStateException.class).hasMessageContaining("thread");
        value(stage);

        // on the owner thread, after the handlers returned
        Throwable later = d.invoke(() -> catchThrowable(args::getDeferral));
        assertThat(later).isInstanceOf(IllegalStateException.class).hasMessageContaining("handler");
    }

    @Test
    void eachRaiseOfTheSameArgsHasItsOwnDeferralsEvenWhenNested() throws Exception {
        Dispatcher d = start("deferral-nested");
        DispatcherEvent<Args> outer = new DispatcherEvent<>(d);
        DispatcherEvent<Args> inner = new DispatcherEvent<>(d);
        Args args = new Args("shared");
        AtomicReference<Deferral> innerDeferral = new AtomicReference<>();
        AtomicReference<Deferral> outerDeferral = new AtomicReference<>();
        AtomicReference<CompletionStage<Args>> innerStage = new AtomicReference<>();
        inner.addHandler(a -> innerDeferral.set(a.getDeferral()));
        outer.addHandler(a -> {
            innerStage.set(inner.raise(a));
            d.invoke(() -> null, DispatcherPriority.BACKGROUND); // the inner raise runs in this nested loop
            outerDeferral.set(a.getDeferral()); // belongs to the outer raise again
        });
        CompletionStage<Args> outerStage = outer.raise(args);
        fence(d);
        assertThat(innerDeferral.get()).isNotNull();
        assertThat(outerDeferral.get()).isNotNull();
        assertThat(outerStage.toCompletableFuture()).isNotDone();
        assertThat(innerStage.get().toCompletableFuture()).isNotDone();

        outerDeferral.get().complete();
        assertThat(value(outerStage)).isSameAs(args);
        fence(d);
        assertThat(innerStage.get().toCompletableFuture()).isNotDone();
        innerDeferral.get().complete();
        assertThat(value(innerStage.get())).isSameAs(args);
    }

    @Test
    void aHandlerThatThrowsAfterTakingADeferralFailsTheRaiseAtOnce() throws Exception {
        Dispatcher d = start("deferral-throws");
        d.addUnhandledExceptionHandler(e -> e.setHandled(true));
        DispatcherEvent<Args> ev = new DispatcherEvent<>(d);
        RuntimeException boom = new RuntimeException("boom");
        AtomicReference<Deferral> deferral = new AtomicReference<>();
        ev.addHandler(a -> {
            deferral.set(a.getDeferral());
            throw boom;
        });
        CompletionStage<Args> stage = ev.raise(new Args("x"));
        assertThat(outcome(stage)).isSameAs(boom);
        deferral.get().complete(); // still allowed, changes nothing
        fence(d);
        assertThat(outcome(stage)).isSameAs(boom);
    }

    @Test
    void aRaiseWaitingForADeferralCompletesExceptionallyAtShutdownAndALateCompleteIsHarmless() throws Exception {
        Dispatcher d = start("deferral-shutdown");
        Deferring ev = new Deferring(d, 1);
        CompletionStage<Args> stage = ev.event.raise(new Args("x"));
        Deferral deferral = ev.deferrals().get(0);
        fence(d);
        assertThat(stage.toCompletableFuture()).isNotDone();
        d.invokeShutdown();
        assertThat(d.awaitShutdown(TestDispatchers.SHUTDOWN)).isTrue();
        assertThat(outcome(stage)).isInstanceOf(CancellationException.class);
        deferral.complete(); // after shutdown: accepted, and the stage stays as it is
        assertThat(deferral.isCompleted()).isTrue();
        assertThat(outcome(stage)).isInstanceOf(CancellationException.class);
    }

    @Test
    void aCompletionQueuedWhenTheDispatcherShutsDownStillEndsTheStage() throws Exception {
        Dispatcher d = start("deferral-shutdown-queued");
        Deferring ev = new Deferring(d, 1);
        CompletionStage<Args> stage = ev.event.raise(new Args("x"));
        Deferral deferral = ev.deferrals().get(0);
        fence(d);
        CountDownLatch release = TestDispatchers.block(d);
        try {
            deferral.complete(); // queues the completion behind the blocked owner
            d.beginInvokeShutdown(DispatcherPriority.SEND); // runs before it
        } finally {
            release.countDown();
        }
        assertThat(d.awaitShutdown(TestDispatchers.SHUTDOWN)).isTrue();
        assertThat(outcome(stage)).isInstanceOf(CancellationException.class);
    }
}
