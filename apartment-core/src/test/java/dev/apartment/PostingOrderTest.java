package dev.apartment;

import static dev.apartment.DispatcherOperationStatus.ABORTED;
import static dev.apartment.DispatcherOperationStatus.COMPLETED;
import static dev.apartment.DispatcherOperationStatus.PENDING;
import static dev.apartment.DispatcherPriority.APPLICATION_IDLE;
import static dev.apartment.DispatcherPriority.BACKGROUND;
import static dev.apartment.DispatcherPriority.CONTEXT_IDLE;
import static dev.apartment.DispatcherPriority.DATA_BIND;
import static dev.apartment.DispatcherPriority.INACTIVE;
import static dev.apartment.DispatcherPriority.INPUT;
import static dev.apartment.DispatcherPriority.LOADED;
import static dev.apartment.DispatcherPriority.NORMAL;
import static dev.apartment.DispatcherPriority.RENDER;
import static dev.apartment.DispatcherPriority.SEND;
import static dev.apartment.DispatcherPriority.SYSTEM_IDLE;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order in which a dispatcher runs its queue. The tests queue while the owner thread is busy (blocked in a
 * {@link Gate}, or running the operation that posts) and only then let it go: the order is then fixed by the queue
 * alone, not by how fast the owner happens to be.
 */
@Timeout(10)
class PostingOrderTest {

    private static final DispatcherPriority[] RUNNABLE = {
        SYSTEM_IDLE, APPLICATION_IDLE, CONTEXT_IDLE, BACKGROUND, INPUT, LOADED, RENDER, DATA_BIND, NORMAL, SEND
    };

    private Dispatcher dispatcher;
    private final List<Gate> gates = new CopyOnWriteArrayList<>();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startDispatcher() {
        dispatcher = Dispatcher.start("order-test");
    }

    @AfterEach
    void shutDown() throws InterruptedException {
        gates.forEach(Gate::open);
        dispatcher.invokeShutdown();
        assertThat(dispatcher.awaitShutdown(Duration.ofSeconds(5))).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Priority, then FIFO
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void highestPriorityRunsFirst() throws Exception {
        Gate gate = blockOwner();
        List<DispatcherOperation<Void>> ops = new ArrayList<>();
        for (DispatcherPriority p : RUNNABLE) { // lowest first, so posting order alone would give the reverse
            ops.add(record(p.name(), p));
        }

        gate.open();
        awaitAll(ops);

        List<String> expected = new ArrayList<>();
        for (int i = RUNNABLE.length - 1; i >= 0; i--) {
            expected.add(RUNNABLE[i].name());
        }
        assertThat(ran).containsExactlyElementsOf(expected);
    }

    @Test
    void fifoWithinAPriorityFromOneForeignThread() throws Exception {
        Gate gate = blockOwner();
        List<Posted> posted = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            DispatcherPriority p = RUNNABLE[random.nextInt(RUNNABLE.length)];
            posted.add(new Posted("op" + i, p, record("op" + i, p)));
        }

        gate.open();
        awaitAll(posted.stream().map(Posted::op).toList());

        assertThat(ran).containsExactlyElementsOf(stableByPriority(posted));
    }

    @Test
    void fifoWithinAPriorityFromTheOwnerThread() throws Exception {
        List<Posted> posted = new CopyOnWriteArrayList<>();

        dispatcher.invoke(() -> {
            Random random = new Random(7);
            for (int i = 0; i < 2_000; i++) {
                DispatcherPriority p = RUNNABLE[random.nextInt(RUNNABLE.length)];
                posted.add(new Posted("op" + i, p, record("op" + i, p)));
            }
            ran.add("poster returns"); // posts from the owner never run inline, not even SEND ones
        });
        awaitAll(posted.stream().map(Posted::op).toList());

        List<String> expected = new ArrayList<>();
        expected.add("poster returns");
        expected.addAll(stableByPriority(posted));
        assertThat(ran).containsExactlyElementsOf(expected);
    }

    @Test
    void callsAndMessagesOfOneLevelRunInPostingOrder() throws Exception {
        // callbacks() tasks are calls at NORMAL, posts are messages at NORMAL: two lanes, one posting order.
        Gate gate = blockOwner();
        CountDownLatch callbacksRan = new CountDownLatch(3);
        List<DispatcherOperation<Void>> messages = new ArrayList<>();
        messages.add(record("m1", NORMAL));
        dispatcher.callbacks().execute(() -> ran.add("c1"));
        dispatcher.callbacks().execute(() -> ran.add("c2"));
        messages.add(record("m2", NORMAL));
        dispatcher.callbacks().execute(() -> ran.add("c3"));
        messages.add(record("m3", NORMAL));
        messages.add(record("m4", NORMAL));
        for (int i = 0; i < 3; i++) {
            dispatcher.callbacks().execute(callbacksRan::countDown);
        }

        gate.open();
        awaitAll(messages);
        assertThat(callbacksRan.await(5, SECONDS)).isTrue();

        assertThat(ran).containsExactly("m1", "c1", "c2", "m2", "c3", "m3", "m4");
    }

    @Test
    void aForeignInvokeRunsInPostingOrderAmongMessagesOfItsPriority() throws Exception {
        Gate gate = blockOwner();
        CountDownLatch invokePosted = new CountDownLatch(1);
        dispatcher.addHooks(new DispatcherHooks() {
            @Override
            public void operationPosted(DispatcherOperation<?> operation) {
                if (operation.kind() == OperationKind.CALL) {
                    invokePosted.countDown();
                }
            }
        });
        DispatcherOperation<Void> m1 = record("m1", NORMAL);
        Thread invoker = new Thread(() -> dispatcher.invoke(() -> {
            ran.add("invoke");
        }, NORMAL), "invoker");
        invoker.start();
        assertThat(invokePosted.await(5, SECONDS)).isTrue();
        DispatcherOperation<Void> m2 = record("m2", NORMAL);

        gate.open();
        awaitAll(List.of(m1, m2));
        invoker.join(5_000);

        assertThat(ran).containsExactly("m1", "invoke", "m2");
    }

    // ---------------------------------------------------------------------------------------------------------
    // INACTIVE
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void inactiveNeverRunsUntilRaised() throws Exception {
        Gate gate = blockOwner();
        DispatcherOperation<Void> inactive = record("inactive", INACTIVE);
        DispatcherOperation<Void> normal = record("normal", NORMAL);

        gate.open();
        normal.await();
        drainQueue();

        assertThat(ran).containsExactly("normal");
        assertThat(inactive.status()).isEqualTo(PENDING);

        // The owner is now parked with only the INACTIVE item queued: the raise alone must wake it.
        assertThat(inactive.setPriority(SYSTEM_IDLE)).isTrue();
        assertThat(inactive.await(Duration.ofSeconds(5))).isEqualTo(COMPLETED);
        assertThat(ran).containsExactly("normal", "inactive");
    }

    @Test
    void inactiveItemsRaisedTogetherRunInPostingOrder() throws Exception {
        Gate gate = blockOwner();
        List<DispatcherOperation<Void>> inactive = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inactive.add(record("i" + i, INACTIVE));
        }
        gate.open();
        drainQueue();
        assertThat(ran).isEmpty();

        Gate again = blockOwner();
        for (int i = inactive.size() - 1; i >= 0; i--) { // raised in reverse: posting order must still win
            assertThat(inactive.get(i).setPriority(BACKGROUND)).isTrue();
        }
        again.open();
        awaitAll(inactive);

        assertThat(ran).containsExactly("i0", "i1", "i2", "i3", "i4");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Priority changes keep posting order within the new level
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void raisingWhileQueuedInTheInboxKeepsPostingOrderInTheNewLevel() throws Exception {
        // Changed before the owner ever drained the inbox.
        Gate gate = blockOwner();
        Map<String, DispatcherOperation<Void>> ops = postInterleaved();

        assertThat(ops.get("b2").setPriority(NORMAL)).isTrue();
        assertThat(ops.get("b0").setPriority(NORMAL)).isTrue();
        gate.open();
        awaitAll(ops.values());

        assertThat(ran).containsExactly("b0", "n0", "n1", "b2", "n2", "b1", "b3");
    }

    @Test
    void raisingFromAForeignThreadWhileTheOwnerIsBlockedKeepsPostingOrder() throws Exception {
        // The items already sit in the owner's lanes; the owner is blocked; the move arrives as a request.
        Gate first = blockOwner();
        Map<String, DispatcherOperation<Void>> ops = postInterleaved();
        Gate second = blockOwnerAfter(first);

        assertThat(ops.get("b2").setPriority(NORMAL)).isTrue();
        assertThat(ops.get("b0").setPriority(NORMAL)).isTrue();
        second.open();
        awaitAll(ops.values());

        assertThat(ran).containsExactly("b0", "n0", "n1", "b2", "n2", "b1", "b3");
    }

    @Test
    void raisingOnTheOwnerThreadKeepsPostingOrder() throws Exception {
        Gate gate = blockOwner();
        Map<String, DispatcherOperation<Void>> ops = postInterleaved();
        // SEND runs first, after the owner has drained everything above into its lanes.
        DispatcherOperation<Void> mover = dispatcher.invokeAsync(() -> {
            ops.get("b2").setPriority(NORMAL);
            ops.get("b0").setPriority(NORMAL);
        }, SEND);

        gate.open();
        awaitAll(ops.values());

        assertThat(mover.status()).isEqualTo(COMPLETED);
        assertThat(ran).containsExactly("b0", "n0", "n1", "b2", "n2", "b1", "b3");
    }

    @Test
    void loweringFromAForeignThreadKeepsPostingOrderInTheNewLevel() throws Exception {
        Gate first = blockOwner();
        Map<String, DispatcherOperation<Void>> ops = postInterleaved();
        Gate second = blockOwnerAfter(first);

        assertThat(ops.get("n0").setPriority(BACKGROUND)).isTrue();
        assertThat(ops.get("n2").setPriority(BACKGROUND)).isTrue();
        second.open();
        awaitAll(ops.values());

        // BACKGROUND now holds, by posting order: b0 n0 b1 b2 n2 b3
        assertThat(ran).containsExactly("n1", "b0", "n0", "b1", "b2", "n2", "b3");
    }

    @Test
    void loweringOnTheOwnerThreadKeepsPostingOrder() throws Exception {
        Gate gate = blockOwner();
        Map<String, DispatcherOperation<Void>> ops = postInterleaved();
        dispatcher.invokeAsync(() -> {
            ops.get("n2").setPriority(BACKGROUND);
            ops.get("n0").setPriority(BACKGROUND);
        }, SEND);

        gate.open();
        awaitAll(ops.values());

        assertThat(ran).containsExactly("n1", "b0", "n0", "b1", "b2", "n2", "b3");
    }

    @Test
    void movingToOtherLevelsAndBackKeepsPostingOrder() throws Exception {
        // On the owner thread each change is an immediate move between lanes, so the item really travels.
        Gate gate = blockOwner();
        Map<String, DispatcherOperation<Void>> ops = postInterleaved();
        dispatcher.invokeAsync(() -> {
            DispatcherOperation<Void> n1 = ops.get("n1");
            n1.setPriority(RENDER);
            n1.setPriority(BACKGROUND); // passes through the level of b0..b3, among which it must not stick
            n1.setPriority(SYSTEM_IDLE);
            n1.setPriority(NORMAL);
        }, SEND);

        gate.open();
        awaitAll(ops.values());

        assertThat(ran).containsExactly("n0", "n1", "n2", "b0", "b1", "b2", "b3");
    }

    @Test
    void raisingFromAForeignThreadWhileTheOwnerIsBlockedMakesItRunBeforeLowerWork() throws Exception {
        Gate first = blockOwner();
        DispatcherOperation<Void> low = record("low", SYSTEM_IDLE);
        DispatcherOperation<Void> mid = record("mid", BACKGROUND);
        Gate second = blockOwnerAfter(first);

        Thread raiser = new Thread(() -> low.setPriority(SEND), "raiser");
        raiser.start();
        raiser.join(5_000);
        assertThat(low.priority()).isEqualTo(SEND);
        second.open();
        awaitAll(List.of(low, mid));

        assertThat(ran).containsExactly("low", "mid");
    }

    @Test
    void loweringToInactiveFromAForeignThreadPreventsTheRun() throws Exception {
        Gate first = blockOwner();
        DispatcherOperation<Void> a = record("a", NORMAL);
        DispatcherOperation<Void> b = record("b", NORMAL);
        DispatcherOperation<Void> c = record("c", NORMAL);
        Gate second = blockOwnerAfter(first); // a, b, c are in the lanes now

        Thread lowerer = new Thread(() -> b.setPriority(INACTIVE), "lowerer");
        lowerer.start();
        lowerer.join(5_000);
        second.open();
        awaitAll(List.of(a, c));
        drainQueue();

        assertThat(ran).containsExactly("a", "c");
        assertThat(b.status()).isEqualTo(PENDING);
        assertThat(b.priority()).isEqualTo(INACTIVE);

        assertThat(b.abort()).isTrue();
        assertThat(b.status()).isEqualTo(ABORTED);
        drainQueue();
        assertThat(ran).containsExactly("a", "c");
    }

    @Test
    void loweringToInactiveBeforeTheOwnerDrainedTheInboxPreventsTheRun() throws Exception {
        Gate gate = blockOwner();
        DispatcherOperation<Void> a = record("a", NORMAL);
        DispatcherOperation<Void> b = record("b", NORMAL);

        assertThat(b.setPriority(INACTIVE)).isTrue();
        gate.open();
        a.await();
        drainQueue();

        assertThat(ran).containsExactly("a");
        assertThat(b.status()).isEqualTo(PENDING);
    }

    @Test
    void anInactiveItemRaisedAndAbortedFromAForeignThreadNeverRuns() throws Exception {
        Gate first = blockOwner();
        AtomicBoolean ranFlag = new AtomicBoolean();
        DispatcherOperation<Void> op = dispatcher.invokeAsync(() -> ranFlag.set(true), INACTIVE);
        Gate second = blockOwnerAfter(first);

        assertThat(op.setPriority(NORMAL)).isTrue();
        assertThat(op.abort()).isTrue();
        second.open();
        drainQueue();

        assertThat(ranFlag).isFalse();
        assertThat(op.status()).isEqualTo(ABORTED);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    /** b0 n0 n1 b1 b2 n2 b3 in that posting order: BACKGROUND and NORMAL items interleaved. */
    private Map<String, DispatcherOperation<Void>> postInterleaved() {
        Map<String, DispatcherOperation<Void>> ops = new LinkedHashMap<>();
        for (String name : List.of("b0", "n0", "n1", "b1", "b2", "n2", "b3")) {
            ops.put(name, record(name, name.startsWith("n") ? NORMAL : BACKGROUND));
        }
        return ops;
    }

    private DispatcherOperation<Void> record(String name, DispatcherPriority priority) {
        return dispatcher.invokeAsync(() -> {
            ran.add(name);
        }, priority);
    }

    private record Posted(String name, DispatcherPriority priority, DispatcherOperation<Void> op) {
    }

    /** The run order the rules require: priority descending, posting order within a priority. */
    private static List<String> stableByPriority(List<Posted> posted) {
        List<Posted> sorted = new ArrayList<>(posted);
        sorted.sort(Comparator.comparing(Posted::priority).reversed()); // List.sort is stable
        return sorted.stream().map(Posted::name).toList();
    }

    private static void awaitAll(Iterable<? extends DispatcherOperation<?>> ops) {
        for (DispatcherOperation<?> op : ops) {
            assertThat(op.await(Duration.ofSeconds(5))).as(op.toString()).isEqualTo(COMPLETED);
        }
    }

    /** Runs once every runnable item queued so far has run: SYSTEM_IDLE is the lowest runnable level, FIFO. */
    private void drainQueue() {
        assertThat(dispatcher.invokeAsync(() -> null, SYSTEM_IDLE).await(Duration.ofSeconds(5)))
                .isEqualTo(COMPLETED);
    }

    private Gate blockOwner() throws InterruptedException {
        Gate gate = new Gate();
        gates.add(gate);
        dispatcher.post(gate::block, SEND);
        assertThat(gate.entered.await(5, SECONDS)).as("owner entered the gate").isTrue();
        return gate;
    }

    /**
     * Queues a second gate at SEND behind {@code first}, opens {@code first} and waits until the owner is blocked
     * in the second. In between the owner drained its inbox, so everything posted before sits in its lanes, and a
     * priority change from now on reaches it as a relocation request rather than at drain time.
     */
    private Gate blockOwnerAfter(Gate first) throws InterruptedException {
        Gate gate = new Gate();
        gates.add(gate);
        dispatcher.post(gate::block, SEND);
        first.open();
        assertThat(gate.entered.await(5, SECONDS)).as("owner entered the second gate").isTrue();
        return gate;
    }

    private static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        void block() {
            entered.countDown();
            try {
                if (!release.await(9, SECONDS)) { // bounded: a broken test must not strand the owner
                    throw new AssertionError("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void open() {
            release.countDown();
        }
    }
}
