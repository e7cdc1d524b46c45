package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class DispatcherHooksTest {

    private static final Duration SHUTDOWN = TestDispatchers.SHUTDOWN;

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private Dispatcher start(String name) {
        return dispatchers.start(name);
    }

    /** One hook call: what, on which operation, on which thread, and the extra argument if any. */
    private record Event(String kind, DispatcherOperation<?> op, Thread thread, Object extra) {
    }

    private static class Recorder implements DispatcherHooks {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final CountDownLatch inactive = new CountDownLatch(1);

        @Override
        public void operationPosted(DispatcherOperation<?> operation) {
            events.add(new Event("posted", operation, Thread.currentThread(), null));
        }

        @Override
        public void operationStarted(DispatcherOperation<?> operation) {
            events.add(new Event("started", operation, Thread.currentThread(), operation.status()));
        }

        @Override
        public void operationCompleted(DispatcherOperation<?> operation) {
            events.add(new Event("completed", operation, Thread.currentThread(), operation.status()));
        }

        @Override
        public void operationAborted(DispatcherOperation<?> operation) {
            events.add(new Event("aborted", operation, Thread.currentThread(), operation.status()));
        }

        @Override
        public void operationPriorityChanged(DispatcherOperation<?> operation, DispatcherPriority previous) {
            events.add(new Event("priority " + previous + "->" + operation.priority(), operation,
                    Thread.currentThread(), previous));
        }

        @Override
        public void dispatcherInactive(Dispatcher dispatcher) {
            events.add(new Event("inactive", null, Thread.currentThread(), dispatcher));
            inactive.countDown();
        }

        List<Event> of(DispatcherOperation<?> op) {
            List<Event> r = new ArrayList<>();
            for (Event e : events) {
                if (e.op() == op) {
                    r.add(e);
                }
            }
            return r;
        }

        List<String> kindsOf(DispatcherOperation<?> op) {
            return of(op).stream().map(Event::kind).toList();
        }

        Event first(DispatcherOperation<?> op, String kind) {
            return of(op).stream().filter(e -> e.kind().equals(kind)).findFirst().orElseThrow(
                    () -> new AssertionError("no " + kind + " event for " + op + " in " + events));
        }
    }

    /** Hooks that throw from every method: the dispatcher must shrug them off. */
    private static final class Throwing extends Recorder {
        private static RuntimeException fail(String what) {
            return new IllegalStateException("hook " + what);
        }

        @Override
        public void operationPosted(DispatcherOperation<?> operation) {
            super.operationPosted(operation);
            throw fail("posted");
        }

        @Override
        public void operationStarted(DispatcherOperation<?> operation) {
            super.operationStarted(operation);
            throw fail("started");
        }

        @Override
        public void operationCompleted(DispatcherOperation<?> operation) {
            super.operationCompleted(operation);
            throw fail("completed");
        }

        @Override
        public void operationAborted(DispatcherOperation<?> operation) {
            super.operationAborted(operation);
            throw fail("aborted");
        }

        @Override
        public void operationPriorityChanged(DispatcherOperation<?> operation, DispatcherPriority previous) {
            super.operationPriorityChanged(operation, previous);
            throw fail("priority");
        }

        @Override
        public void dispatcherInactive(Dispatcher dispatcher) {
            super.dispatcherInactive(dispatcher);
            throw fail("inactive");
        }
    }

    @Test
    void postedStartedAndCompletedAreRaisedOnTheDocumentedThreads() throws Exception {
        Dispatcher d = start("hooks-lifecycle");
        Recorder hooks = new Recorder();
        d.addHooks(hooks);
        List<Throwable> none = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> poster = new AtomicReference<>();
        DispatcherOperation<String> op = TestDispatchers.onNewThread("hooks-poster", (th, e) -> none.add(e), () -> {
            poster.set(Thread.currentThread());
            return d.invokeAsync(() -> "value", DispatcherPriority.BACKGROUND);
        });
        op.toCompletableFuture().get(5, TimeUnit.SECONDS);
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE); // completed is raised after the future completes

        // a foreign post may be seen starting before its poster's "posted" hook has run: compare per thread
        Event posted = hooks.first(op, "posted");
        Event started = hooks.first(op, "started");
        Event completed = hooks.first(op, "completed");
        assertThat(posted.thread()).isSameAs(poster.get());
        assertThat(started.thread()).isSameAs(d.thread());
        assertThat(started.extra()).isEqualTo(DispatcherOperationStatus.EXECUTING);
        assertThat(completed.thread()).isSameAs(d.thread());
        assertThat(completed.extra()).isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertThat(hooks.kindsOf(op)).containsExactlyInAnyOrder("posted", "started", "completed");
        assertThat(hooks.events.indexOf(started)).isLessThan(hooks.events.indexOf(completed));
    }

    @Test
    void anOperationThatThrowsIsReportedCompleted() throws Exception {
        Dispatcher d = start("hooks-throwing-op");
        Recorder hooks = new Recorder();
        d.addHooks(hooks);
        DispatcherOperation<Object> op = d.invokeAsync(() -> {
            throw new IllegalStateException("op failure");
        });
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(hooks.kindsOf(op)).containsExactlyInAnyOrder("posted", "started", "completed");
        assertThat(hooks.kindsOf(op)).doesNotContain("aborted");
        assertThat(hooks.kindsOf(op).indexOf("started")).isLessThan(hooks.kindsOf(op).indexOf("completed"));
    }

    @Test
    void abortIsRaisedOnTheAbortingThread() throws Exception {
        Dispatcher d = start("hooks-abort");
        Recorder hooks = new Recorder();
        d.addHooks(hooks);
        DispatcherOperation<Void> op;
        CountDownLatch release = TestDispatchers.block(d);
        try {
            op = d.post(() -> { }, DispatcherPriority.NORMAL);
            AtomicReference<Thread> aborter = new AtomicReference<>();
            boolean aborted = TestDispatchers.onNewThread("hooks-aborter", () -> {
                aborter.set(Thread.currentThread());
                return op.abort();
            });
            assertThat(aborted).isTrue();
            Event e = hooks.first(op, "aborted");
            assertThat(e.thread()).isSameAs(aborter.get());
            assertThat(e.extra()).isEqualTo(DispatcherOperationStatus.ABORTED);
        } finally {
            release.countDown();
        }
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(hooks.kindsOf(op)).containsExactly("posted", "aborted");
    }

    @Test
    void abortAtShutdownIsRaisedOnTheOwnerThread() throws Exception {
        Dispatcher d = start("hooks-abort-shutdown");
        Recorder hooks = new Recorder();
        d.addHooks(hooks);
        DispatcherOperation<Void> inactive = d.post(() -> { }, DispatcherPriority.INACTIVE);
        d.invokeShutdown();
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        assertThat(hooks.kindsOf(inactive)).containsExactly("posted", "aborted");
        assertThat(hooks.first(inactive, "aborted").thread()).isSameAs(d.thread());
    }

    @Test
    void priorityChangeIsRaisedOnTheChangingThreadWithThePreviousPriority() throws Exception {
        Dispatcher d = start("hooks-priority");
        Recorder hooks = new Recorder();
        d.addHooks(hooks);
        DispatcherOperation<Void> op;
        CountDownLatch release = TestDispatchers.block(d);
        try {
            op = d.post(() -> { }, DispatcherPriority.BACKGROUND);
            AtomicReference<Thread> changer = new AtomicReference<>();
            boolean changed = TestDispatchers.onNewThread("hooks-changer", () -> {
                changer.set(Thread.currentThread());
                return op.setPriority(DispatcherPriority.INPUT);
            });
            assertThat(changed).isTrue();
            Event e = hooks.first(op, "priority BACKGROUND->INPUT");
            assertThat(e.thread()).isSameAs(changer.get());
            assertThat(e.extra()).isEqualTo(DispatcherPriority.BACKGROUND);
            assertThat(op.setPriority(DispatcherPriority.INPUT)).as("same priority: no change").isTrue();
        } finally {
            release.countDown();
        }
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(hooks.kindsOf(op)).containsExactly("posted", "priority BACKGROUND->INPUT", "started", "completed");
        assertThat(hooks.first(op, "started").op().priority()).isEqualTo(DispatcherPriority.INPUT);
    }

    @Test
    void inactiveIsRaisedOnTheOwnerThreadWhenTheQueueRunsDry() throws Exception {
        Dispatcher d = start("hooks-inactive");
        Recorder hooks = new Recorder();
        d.addHooks(hooks);
        d.post(() -> { }); // wakes the loop; once it has run, there is nothing left to do
        assertThat(hooks.inactive.await(5, TimeUnit.SECONDS)).isTrue();
        Event e = hooks.events.stream().filter(x -> x.kind().equals("inactive")).findFirst().orElseThrow();
        assertThat(e.thread()).isSameAs(d.thread());
        assertThat(e.extra()).isSameAs(d);
    }

    @Test
    void timerTicksArePostedOnTheOwnerThread() throws Exception {
        Dispatcher d = start("hooks-timer");
        Recorder hooks = new Recorder();
        d.addHooks(hooks);
        CountDownLatch ticked = new CountDownLatch(1);
        DispatcherTimer timer = new DispatcherTimer(Duration.ofMillis(1), DispatcherPriority.INPUT,
                t -> ticked.countDown(), d);
        try {
            assertThat(ticked.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            timer.stop();
        }
        Event tickPosted = hooks.events.stream()
                .filter(x -> x.kind().equals("posted") && x.op().priority() == DispatcherPriority.INPUT)
                .findFirst().orElseThrow();
        assertThat(tickPosted.thread()).isSameAs(d.thread());
        assertThat(tickPosted.op().kind()).isEqualTo(OperationKind.MESSAGE);
    }

    @Test
    void removeHooksStopsTheEvents() throws Exception {
        Dispatcher d = start("hooks-remove");
        Recorder removed = new Recorder();
        Recorder kept = new Recorder();
        d.addHooks(removed);
        d.addHooks(kept);
        d.invoke(() -> null, DispatcherPriority.NORMAL);
        assertThat(removed.events).isNotEmpty();

        d.removeHooks(removed);
        int before = removed.events.size();
        int keptBefore = kept.events.size();
        DispatcherOperation<Void> op = d.post(() -> { });
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        op.setPriority(DispatcherPriority.SEND); // the operation has ended: nothing is raised to either
        assertThat(removed.events).hasSize(before);
        assertThat(kept.events.size()).isGreaterThan(keptBefore);
        assertThat(kept.kindsOf(op)).containsExactlyInAnyOrder("posted", "started", "completed");
        d.removeHooks(removed); // removing again is harmless
        d.removeHooks(kept);
        int keptAfter = kept.events.size();
        d.invoke(() -> null, DispatcherPriority.NORMAL);
        assertThat(kept.events).hasSize(keptAfter);
    }

    @Test
    void aThrowingHookDoesNotBreakTheLoopOrTheOtherHooks() throws Exception {
        Dispatcher d = start("hooks-throwing");
        List<Throwable> ownerUncaught = new CopyOnWriteArrayList<>();
        d.invoke(() -> Thread.currentThread().setUncaughtExceptionHandler((t, e) -> ownerUncaught.add(e)));
        Throwing bad = new Throwing();
        Recorder good = new Recorder();
        d.addHooks(bad);
        d.addHooks(good);
        List<Throwable> foreignUncaught = new CopyOnWriteArrayList<>();

        DispatcherOperation<String> ran = TestDispatchers.onNewThread("hooks-throwing-poster",
                (th, e) -> foreignUncaught.add(e), () -> d.invokeAsync(() -> "ran", DispatcherPriority.NORMAL));
        assertThat(ran.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("ran");

        DispatcherOperation<Void> toAbort;
        DispatcherOperation<Void> toRaise;
        CountDownLatch release = TestDispatchers.block(d);
        try {
            toAbort = d.post(() -> { }, DispatcherPriority.BACKGROUND);
            toRaise = d.post(() -> { }, DispatcherPriority.BACKGROUND);
            boolean[] results = TestDispatchers.onNewThread("hooks-throwing-changer",
                    (th, e) -> foreignUncaught.add(e), () -> new boolean[] {
                toAbort.abort(), toRaise.setPriority(DispatcherPriority.NORMAL)});
            assertThat(results).containsExactly(true, true);
        } finally {
            release.countDown();
        }
        assertThat(d.invoke(() -> "still running", DispatcherPriority.SYSTEM_IDLE)).isEqualTo("still running");
        assertThat(toAbort.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
        assertThat(toRaise.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertThat(good.kindsOf(ran)).containsExactlyInAnyOrder("posted", "started", "completed");
        assertThat(good.kindsOf(toAbort)).containsExactly("posted", "aborted");
        assertThat(good.kindsOf(toRaise)).containsExactly("posted", "priority BACKGROUND->NORMAL", "started",
                "completed");
        assertThat(d.hasShutdownStarted()).isFalse();

        // the failures went to the uncaught-exception handler of the thread where each hook ran
        assertThat(foreignUncaught).extracting(Throwable::getMessage)
                .contains("hook posted", "hook aborted", "hook priority");
        assertThat(ownerUncaught).extracting(Throwable::getMessage)
                .contains("hook started", "hook completed");
    }

    @Test
    void aHookAddedByAnOperationNeverHearsOfThatOperationsPost() {
        // The producer reads the hooks before it pushes: otherwise the owner could run the operation, which adds
        // the hook, before the producer got round to reporting the post, and the new hook would hear of it.
        Dispatcher d = start("hooks-added-late");
        for (int i = 0; i < 2_000; i++) {
            Recorder late = new Recorder();
            DispatcherOperation<?> self = d.invokeAsync(() -> d.addHooks(late));
            self.toCompletableFuture().join();
            d.invoke(() -> d.removeHooks(late), DispatcherPriority.SYSTEM_IDLE);
            assertThat(late.kindsOf(self)).as("round %d", i).doesNotContain("posted");
        }
    }
}
