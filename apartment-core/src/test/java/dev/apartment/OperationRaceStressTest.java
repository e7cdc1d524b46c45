package dev.apartment;

import static dev.apartment.DispatcherOperationStatus.ABORTED;
import static dev.apartment.DispatcherOperationStatus.COMPLETED;
import static dev.apartment.DispatcherOperationStatus.PENDING;
import static dev.apartment.DispatcherPriority.BACKGROUND;
import static dev.apartment.DispatcherPriority.INACTIVE;
import static dev.apartment.DispatcherPriority.NORMAL;
import static dev.apartment.DispatcherPriority.SEND;
import static dev.apartment.DispatcherPriority.SYSTEM_IDLE;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races between the owner starting an operation and other threads aborting it, changing its priority or shutting
 * the dispatcher down. Each test repeats a race many times (bounded, so the class runs in a few seconds) and checks
 * the invariants after every round: exactly one winner, every operation ends exactly once, the task ran iff the
 * operation COMPLETED, and the future, listeners and hooks all agree with the status.
 */
@Timeout(30)
class OperationRaceStressTest {

    private static final int BATCH = 64;
    /**
     * Spin iterations of random delay before this thread joins a race with a busy owner: small, because the owner
     * gets through a whole batch in microseconds, and random, so the meeting point moves from round to round.
     */
    private static final int RACE_JITTER = Integer.getInteger("raceJitter", 64);
    /**
     * The tests that start a dispatcher per round stop early after this long: on a loaded machine thread start-up
     * dominates a round, and the class must stay a few seconds long.
     */
    private static final long ROUND_BUDGET_NANOS = SECONDS.toNanos(3);

    private Dispatcher dispatcher;
    private final Outcomes outcomes = new Outcomes();
    private final List<SpinGate> gates = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startDispatcher() {
        dispatcher = Dispatcher.start("race-test");
        dispatcher.addHooks(outcomes);
    }

    @AfterEach
    void shutDown() throws InterruptedException {
        gates.forEach(SpinGate::open);
        dispatcher.invokeShutdown();
        assertThat(dispatcher.awaitShutdown(Duration.ofSeconds(5))).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------
    // abort vs start
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void abortRacingWithTheOwnerWakingUpHasExactlyOneWinner() throws Exception {
        // A post wakes the parked owner; the poster aborts after a random delay, often while the owner starts it.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Tracked> all = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            Tracked t = new Tracked(dispatcher, i, NORMAL, random.nextBoolean());
            spin(random.nextInt(400));
            t.abortResult = t.op.abort();
            assertThat(t.op.await(Duration.ofSeconds(5))).isIn(COMPLETED, ABORTED);
            t.lateListeners();
            all.add(t);
        }
        settle();

        for (Tracked t : all) {
            t.verify(Thread.currentThread(), dispatcher.thread());
            assertThat(t.abortResult).isEqualTo(t.op.status() == ABORTED);
        }
    }

    @Test
    void abortRacingWithABusyOwnerHasExactlyOneWinner() throws Exception {
        // The owner works through a batch from the front while this thread aborts it from the back: they meet
        // somewhere in the middle, at a different place each round.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Tracked> all = new ArrayList<>();
        for (int round = 0; round < 150; round++) {
            SpinGate gate = holdOwner();
            List<Tracked> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                batch.add(new Tracked(dispatcher, i, NORMAL, random.nextBoolean()));
            }
            gate.open();
            awaitStarted(batch.get(0));
            spin(random.nextInt(RACE_JITTER));
            for (int i = BATCH - 1; i >= 0; i--) {
                batch.get(i).abortResult = batch.get(i).op.abort();
            }
            for (Tracked t : batch) {
                assertThat(t.op.await(Duration.ofSeconds(5))).isIn(COMPLETED, ABORTED);
                t.lateListeners();
            }
            all.addAll(batch);
        }
        settle();

        for (Tracked t : all) {
            t.verify(Thread.currentThread(), dispatcher.thread());
            assertThat(t.abortResult).isEqualTo(t.op.status() == ABORTED);
        }
    }

    @Test
    void twoAbortersAndTheOwnerHaveExactlyOneWinnerPerOperation() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Tracked> all = new ArrayList<>();
        for (int round = 0; round < 150; round++) {
            SpinGate gate = holdOwner();
            List<Tracked> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                batch.add(new Tracked(dispatcher, i, NORMAL, random.nextBoolean()));
            }
            boolean[] helperWon = new boolean[BATCH];
            CyclicBarrier go = new CyclicBarrier(2);
            AtomicReference<Throwable> helperFailed = new AtomicReference<>();
            Thread helper = new Thread(() -> {
                try {
                    awaitBarrier(go);
                    awaitStarted(batch.get(0));
                    for (int i = 0; i < BATCH; i++) { // front to back, racing with the owner head-on
                        helperWon[i] = batch.get(i).op.abort();
                    }
                } catch (Throwable t) {
                    helperFailed.set(t);
                }
            }, "helper-aborter");
            helper.start();
            awaitBarrier(go);
            gate.open();
            awaitStarted(batch.get(0));
            spin(random.nextInt(RACE_JITTER));
            for (int i = BATCH - 1; i >= 0; i--) {
                batch.get(i).abortResult = batch.get(i).op.abort();
            }
            helper.join(5_000);
            assertThat(helper.isAlive()).isFalse();
            assertThat(helperFailed.get()).isNull();
            for (int i = 0; i < BATCH; i++) {
                Tracked t = batch.get(i);
                assertThat(t.op.await(Duration.ofSeconds(5))).isIn(COMPLETED, ABORTED);
                t.lateListeners();
                int winners = (t.abortResult ? 1 : 0) + (helperWon[i] ? 1 : 0);
                assertThat(winners).as("abort() returned true for op %d", i)
                        .isEqualTo(t.op.status() == ABORTED ? 1 : 0);
                t.abortedBy = helperWon[i] ? helper : null;
            }
            all.addAll(batch);
        }
        settle();

        for (Tracked t : all) {
            t.verify(t.abortedBy != null ? t.abortedBy : Thread.currentThread(), dispatcher.thread());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // setPriority vs start
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void raisingRacingWithStartTakesEffectIffItReturnedTrue() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int round = 0; round < 150; round++) {
            SpinGate gate = holdOwner();
            List<Tracked> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                batch.add(new Tracked(dispatcher, i, BACKGROUND, false));
            }
            gate.open();
            awaitStarted(batch.get(0));
            spin(random.nextInt(RACE_JITTER));
            boolean[] changed = new boolean[BATCH];
            for (int i = BATCH - 1; i >= 0; i--) {
                changed[i] = batch.get(i).op.setPriority(NORMAL);
            }

            for (int i = 0; i < BATCH; i++) {
                Tracked t = batch.get(i);
                assertThat(t.op.await(Duration.ofSeconds(5))).as("op %d ends", i).isEqualTo(COMPLETED);
                assertThat(t.runs).hasValue(1);
                assertThat(outcomes.priorityAtStart.get(t.op)).as("op %d started at", i)
                        .isEqualTo(changed[i] ? NORMAL : BACKGROUND);
                assertThat(t.op.priority()).isEqualTo(changed[i] ? NORMAL : BACKGROUND);
            }
        }
    }

    @Test
    void loweringToInactiveRacingWithStartPreventsTheRunIffItReturnedTrue() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int round = 0; round < 150; round++) {
            SpinGate gate = holdOwner();
            List<Tracked> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                batch.add(new Tracked(dispatcher, i, NORMAL, false));
            }
            gate.open();
            awaitStarted(batch.get(0));
            spin(random.nextInt(RACE_JITTER));
            boolean[] lowered = new boolean[BATCH];
            for (int i = BATCH - 1; i >= 0; i--) {
                lowered[i] = batch.get(i).op.setPriority(INACTIVE);
            }
            drainQueue();

            for (int i = 0; i < BATCH; i++) {
                Tracked t = batch.get(i);
                if (lowered[i]) {
                    assertThat(t.op.status()).as("op %d was lowered", i).isEqualTo(PENDING);
                    assertThat(t.runs).as("op %d was lowered", i).hasValue(0);
                    assertThat(t.op.abort()).isTrue();
                } else {
                    assertThat(t.op.await(Duration.ofSeconds(5))).as("op %d had started", i).isEqualTo(COMPLETED);
                    assertThat(t.runs).hasValue(1);
                    assertThat(outcomes.priorityAtStart.get(t.op)).isEqualTo(NORMAL);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // abort and post vs shutdown
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void abortRacingWithShutdownHasExactlyOneWinner() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        DispatcherPriority[] priorities = {INACTIVE, SYSTEM_IDLE, BACKGROUND, NORMAL, SEND};
        long budget = System.nanoTime() + ROUND_BUDGET_NANOS;
        for (int round = 0; round < 100 && System.nanoTime() - budget < 0; round++) {
            Gated g = startGated("shutdown-race-" + round);
            try {
                abortRacingWithShutdownRound(g.dispatcher, g.gate, random, priorities);
            } finally {
                g.shutDown();
            }
        }
    }

    private void abortRacingWithShutdownRound(Dispatcher d, CountDownLatch gate, ThreadLocalRandom random,
            DispatcherPriority[] priorities) throws Exception {
        Outcomes hooks = new Outcomes();
        d.addHooks(hooks);
        List<Tracked> batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            batch.add(new Tracked(d, i, priorities[random.nextInt(priorities.length)], true));
        }
        List<Tracked> shuffled = new ArrayList<>(batch);
        Collections.shuffle(shuffled);
        CyclicBarrier go = new CyclicBarrier(2);
        int delay = random.nextInt(3_000);
        AtomicReference<Throwable> aborterFailed = new AtomicReference<>();
        Thread aborter = new Thread(() -> {
            try {
                awaitBarrier(go);
                spin(delay);
                for (Tracked t : shuffled) {
                    t.abortResult = t.op.abort();
                }
            } catch (Throwable t) {
                aborterFailed.set(t);
            }
        }, "aborter");
        aborter.start();
        awaitBarrier(go);
        gate.countDown();
        d.invokeShutdown();
        assertThat(d.awaitShutdown(Duration.ofSeconds(5))).isTrue();
        aborter.join(5_000);
        assertThat(aborter.isAlive()).isFalse();
        assertThat(aborterFailed.get()).isNull();

        for (Tracked t : batch) {
            assertThat(t.op.isDone()).as("after shutdown, %s", t.op).isTrue();
            if (t.abortResult) {
                assertThat(t.op.status()).isEqualTo(ABORTED);
            }
            // whoever won the abort ran the listeners: the aborter, or the owner thread shutting down
            t.verifyAgainst(hooks, t.abortResult ? aborter : d.thread(), d.thread());
            if (t.op.priority() == INACTIVE) {
                assertThat(t.op.status()).as("INACTIVE never runs").isEqualTo(ABORTED);
            }
        }
    }

    @Test
    void postsRacingWithTheEndOfShutdownAllEnd() throws Exception {
        // Every operation ends and its future completes: a post that slips into the inbox while the owner makes
        // its final drain must be aborted by one side or the other, never stranded there. Two posters, because a
        // push caught between its tail swap and its link hides every node behind it, the other poster's finished
        // pushes included, from a drain that stops at the first null poll.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long budget = System.nanoTime() + ROUND_BUDGET_NANOS;
        for (int round = 0; round < 100 && System.nanoTime() - budget < 0; round++) {
            Gated g = startGated("post-race-" + round);
            try {
                postsRacingWithTheEndOfShutdownRound(g.dispatcher, g.gate, random, round);
            } finally {
                g.shutDown();
            }
        }
    }

    private void postsRacingWithTheEndOfShutdownRound(Dispatcher d, CountDownLatch gate, ThreadLocalRandom random,
            int round) throws Exception {
        d.beginInvokeShutdown(SEND); // runs as soon as the gate opens: the end comes quickly and at once
        int posters = 2;
        List<List<DispatcherOperation<Void>>> postedBy = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CyclicBarrier go = new CyclicBarrier(posters + 1);
        AtomicReference<Throwable> posterFailed = new AtomicReference<>();
        for (int p = 0; p < posters; p++) {
            List<DispatcherOperation<Void>> posted = new ArrayList<>();
            postedBy.add(posted);
            Thread poster = new Thread(() -> {
                try {
                    awaitBarrier(go);
                    int after = 0;
                    while (after < 20) { // keep going a little past the end
                        posted.add(d.post(() -> { }));
                        spin(ThreadLocalRandom.current().nextInt(9)); // jitter, so the end meets every phase of a push
                        if (d.hasShutdownFinished()) {
                            after++;
                        }
                    }
                } catch (Throwable t) {
                    posterFailed.set(t);
                }
            }, "poster-" + p);
            poster.start();
            threads.add(poster);
        }
        awaitBarrier(go);
        spin(random.nextInt(RACE_JITTER));
        gate.countDown();
        assertThat(d.awaitShutdown(Duration.ofSeconds(5))).isTrue();
        for (Thread poster : threads) {
            poster.join(5_000);
            assertThat(poster.isAlive()).isFalse();
        }
        assertThat(posterFailed.get()).isNull();

        for (int p = 0; p < posters; p++) {
            List<DispatcherOperation<Void>> posted = postedBy.get(p);
            for (int i = 0; i < posted.size(); i++) {
                DispatcherOperation<Void> op = posted.get(i);
                if (!op.isDone()) {
                    fail("round " + round + ": post #" + i + " of " + posted.size() + " by poster-" + p
                            + " never ended: " + op
                            + "; the shutdown finished and post() had returned it without aborting it");
                }
                assertThat(op.toCompletableFuture().isDone()).isTrue();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    /** A dispatcher of its own, blocked in a first operation until {@code gate} opens. */
    private record Gated(Dispatcher dispatcher, CountDownLatch gate) {
        void shutDown() throws InterruptedException {
            gate.countDown();
            dispatcher.invokeShutdown();
            assertThat(dispatcher.awaitShutdown(Duration.ofSeconds(5))).isTrue();
        }
    }

    private static Gated startGated(String name) throws InterruptedException {
        Dispatcher d = Dispatcher.start(name);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        d.post(() -> {
            entered.countDown();
            awaitLatch(gate);
        }, SEND);
        Gated g = new Gated(d, gate);
        if (!entered.await(5, SECONDS)) {
            g.shutDown();
            fail("the owner of " + d + " never entered its gate");
        }
        return g;
    }

    /** One operation under test, with everything that can observe how it ended. */
    private final class Tracked {
        final DispatcherOperation<Integer> op;
        final int value;
        final AtomicInteger runs = new AtomicInteger();
        final List<Thread> completedListenerThreads = Collections.synchronizedList(new ArrayList<>());
        final List<Thread> abortedListenerThreads = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Integer> future;
        final boolean listenersFirst;
        /** Listeners added while PENDING must run on the winner's thread; later ones run on the adding thread. */
        final boolean registeredWhilePending;
        final Thread adder = Thread.currentThread();
        volatile boolean abortResult;
        Thread abortedBy;

        Tracked(Dispatcher d, int value, DispatcherPriority priority, boolean listenersFirst) {
            this.value = value;
            this.listenersFirst = listenersFirst;
            this.op = d.invokeAsync(() -> {
                runs.incrementAndGet();
                return value;
            }, priority);
            // Half the time the extras exist before the race, half the time they are created after it.
            if (listenersFirst) {
                addListeners();
                future = op.toCompletableFuture();
                registeredWhilePending = op.status() == PENDING; // read after adding: then they were in time
            } else {
                future = null;
                registeredWhilePending = false;
            }
        }

        void lateListeners() {
            if (!listenersFirst) {
                addListeners();
            }
        }

        private void addListeners() {
            op.addCompletedListener(() -> completedListenerThreads.add(Thread.currentThread()));
            op.addAbortedListener(() -> abortedListenerThreads.add(Thread.currentThread()));
        }

        void verify(Thread aborter, Thread owner) {
            verifyAgainst(outcomes, aborter, owner);
        }

        void verifyAgainst(Outcomes hooks, Thread aborter, Thread owner) {
            DispatcherOperationStatus status = op.status();
            String what = "op " + value + " " + status;
            assertThat(status).as(what).isIn(COMPLETED, ABORTED);
            assertThat(runs.get()).as(what + ": runs").isEqualTo(status == COMPLETED ? 1 : 0);
            assertThat(hooks.completed.getOrDefault(op, 0)).as(what + ": completed hooks")
                    .isEqualTo(status == COMPLETED ? 1 : 0);
            assertThat(hooks.aborted.getOrDefault(op, 0)).as(what + ": aborted hooks")
                    .isEqualTo(status == ABORTED ? 1 : 0);
            CompletableFuture<Integer> f = future != null ? future : op.toCompletableFuture();
            assertThat(f.isDone()).as(what + ": future done").isTrue();
            if (status == COMPLETED) {
                assertThat(f.join()).as(what + ": future value").isEqualTo(value);
            } else {
                assertThat(f.isCancelled()).as(what + ": future cancelled").isTrue();
                assertThat(f.handle((v, e) -> e).join()).isInstanceOf(OperationAbortedException.class);
            }
            if (registeredWhilePending) {
                // Listeners present during the race ran where the winner was.
                assertThat(completedListenerThreads).as(what + ": completed listeners")
                        .containsExactlyElementsOf(status == COMPLETED ? List.of(owner) : List.of());
                assertThat(abortedListenerThreads).as(what + ": aborted listeners")
                        .containsExactlyElementsOf(status == ABORTED ? List.of(aborter) : List.of());
            } else if (listenersFirst) {
                // The end overlapped the registration: the matching listener ran once, on the winner's thread or,
                // if it came after the end, at once on the adding thread; the other one never ran.
                assertThat(completedListenerThreads).as(what + ": completed listeners")
                        .hasSize(status == COMPLETED ? 1 : 0).allSatisfy(t -> assertThat(t).isIn(owner, adder));
                assertThat(abortedListenerThreads).as(what + ": aborted listeners")
                        .hasSize(status == ABORTED ? 1 : 0).allSatisfy(t -> assertThat(t).isIn(aborter, adder));
            } else if (!completedListenerThreads.isEmpty() || !abortedListenerThreads.isEmpty()) {
                // Added after the end: they ran at once, on the adding thread, once, and only the matching one.
                assertThat(completedListenerThreads).hasSize(status == COMPLETED ? 1 : 0);
                assertThat(abortedListenerThreads).hasSize(status == ABORTED ? 1 : 0);
            }
        }
    }

    /** Hook-side record of each operation's start priority and of how many times it was reported ended. */
    private static final class Outcomes implements DispatcherHooks {
        final Map<DispatcherOperation<?>, Integer> completed = new ConcurrentHashMap<>();
        final Map<DispatcherOperation<?>, Integer> aborted = new ConcurrentHashMap<>();
        final Map<DispatcherOperation<?>, DispatcherPriority> priorityAtStart = new ConcurrentHashMap<>();

        @Override
        public void operationStarted(DispatcherOperation<?> operation) {
            priorityAtStart.put(operation, operation.priority());
        }

        @Override
        public void operationCompleted(DispatcherOperation<?> operation) {
            completed.merge(operation, 1, Integer::sum);
        }

        @Override
        public void operationAborted(DispatcherOperation<?> operation) {
            aborted.merge(operation, 1, Integer::sum);
        }
    }

    /**
     * Holds the owner in a SEND operation that spins until {@link SpinGate#open()}. A spinning owner is on a CPU and
     * starts the batch the moment the gate opens; a parked one takes tens of microseconds to wake, long enough for
     * it or the racer to win every race of a round before the other even looks.
     */
    private SpinGate holdOwner() {
        SpinGate gate = new SpinGate();
        gates.add(gate);
        dispatcher.post(gate::hold, SEND);
        spinUntil(() -> gate.held, "the owner to reach the gate");
        return gate;
    }

    private static final class SpinGate {
        volatile boolean held;
        volatile boolean open;

        void hold() {
            held = true;
            long deadline = System.nanoTime() + SECONDS.toNanos(10); // a broken test must not strand the owner
            while (!open && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
        }

        void open() {
            open = true;
        }
    }

    private static void awaitStarted(Tracked t) {
        spinUntil(() -> t.op.status() != PENDING, "the owner to start " + t.op);
    }

    /** Busy-waits, so that the racing thread is on a CPU when the race starts. */
    private static void spinUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    /** Returns once the owner has finished everything queued before, listeners and hooks included. */
    private void settle() {
        dispatcher.invoke(() -> { }, SYSTEM_IDLE);
    }

    private void drainQueue() {
        assertThat(dispatcher.invokeAsync(() -> null, SYSTEM_IDLE).await(Duration.ofSeconds(5))).isEqualTo(COMPLETED);
    }

    private static void spin(int iterations) {
        for (int i = 0; i < iterations; i++) {
            Thread.onSpinWait();
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(20, SECONDS)) {
                throw new AssertionError("latch never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitBarrier(CyclicBarrier barrier) {
        try {
            barrier.await(10, SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
