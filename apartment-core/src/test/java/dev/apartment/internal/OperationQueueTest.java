package dev.apartment.internal;

import static dev.apartment.internal.OperationQueue.ALL_RUNNABLE;
import static dev.apartment.internal.OperationQueue.CALLS_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OperationQueueTest {

    private static final boolean CALL = true;
    private static final boolean MESSAGE = false;

    static final class Node extends QueueNode {
        final String name;

        Node(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private OperationQueue queue;

    @BeforeEach
    void newQueue() {
        queue = new OperationQueue();
    }

    @Test
    void anEmptyQueueHasNothing() {
        assertThat(queue.peek(ALL_RUNNABLE)).isNull();
        assertThat(queue.peek(CALLS_ONLY)).isNull();
        assertThat(queue.pollAny()).isNull();
        assertThat(queue.hasAny(ALL_RUNNABLE | laneMaskOfInactive())).isFalse();
        for (int level = 0; level < OperationQueue.LEVELS; level++) {
            assertThat(queue.count(level)).isZero();
        }
    }

    @Test
    void masksCoverLevelsOneToTenAndNeverInactive() {
        assertThat(ALL_RUNNABLE).isEqualTo(OperationQueue.laneMask(1, 10, true, true));
        assertThat(CALLS_ONLY).isEqualTo(OperationQueue.laneMask(1, 10, true, false));
        assertThat(ALL_RUNNABLE & laneMaskOfInactive()).isZero();
        assertThat(CALLS_ONLY & ~ALL_RUNNABLE).as("calls are a subset").isZero();
        assertThat(Integer.bitCount(ALL_RUNNABLE)).isEqualTo(20);
        assertThat(Integer.bitCount(CALLS_ONLY)).isEqualTo(10);
    }

    @Test
    void addedNodeIsInTheLaneOfItsLevel() {
        Node n = new Node("n");
        assertThat(OperationQueue.isInLane(n)).isFalse();

        queue.add(n, 7, MESSAGE);

        assertThat(OperationQueue.isInLane(n)).isTrue();
        assertThat(OperationQueue.laneLevel(n)).isEqualTo(7);
        assertThat(queue.count(7)).isEqualTo(1);
    }

    @Test
    void peekReturnsTheHighestLevelFirst() {
        int[] levels = {3, 9, 1, 10, 5, 2, 8, 4, 7, 6};
        for (int level : levels) {
            queue.add(new Node("L" + level), level, MESSAGE);
        }

        List<String> order = drain(ALL_RUNNABLE);

        assertThat(order).containsExactly("L10", "L9", "L8", "L7", "L6", "L5", "L4", "L3", "L2", "L1");
    }

    @Test
    void peekDoesNotRemove() {
        Node n = new Node("n");
        queue.add(n, 5, MESSAGE);

        assertThat(queue.peek(ALL_RUNNABLE)).isSameAs(n);
        assertThat(queue.peek(ALL_RUNNABLE)).isSameAs(n);
        assertThat(queue.count(5)).isEqualTo(1);
    }

    @Test
    void fifoWithinALane() {
        for (int i = 0; i < 100; i++) {
            queue.add(new Node("n" + i), 4, MESSAGE);
        }

        List<String> order = drain(ALL_RUNNABLE);

        for (int i = 0; i < 100; i++) {
            assertThat(order.get(i)).isEqualTo("n" + i);
        }
    }

    @Test
    void theTwoKindsOfOneLevelAreMergedByPostingOrder() {
        queue.add(new Node("m1"), 9, MESSAGE);
        queue.add(new Node("c1"), 9, CALL);
        queue.add(new Node("c2"), 9, CALL);
        queue.add(new Node("m2"), 9, MESSAGE);
        queue.add(new Node("c3"), 9, CALL);
        queue.add(new Node("m3"), 9, MESSAGE);

        assertThat(drain(ALL_RUNNABLE)).containsExactly("m1", "c1", "c2", "m2", "c3", "m3");
    }

    @Test
    void callsOnlySkipsMessagesEvenOfHigherLevels() {
        queue.add(new Node("m10"), 10, MESSAGE);
        queue.add(new Node("c4"), 4, CALL);
        queue.add(new Node("m4"), 4, MESSAGE);
        queue.add(new Node("c6"), 6, CALL);

        assertThat(drain(CALLS_ONLY)).containsExactly("c6", "c4");
        assertThat(queue.peek(CALLS_ONLY)).isNull();
        assertThat(drain(ALL_RUNNABLE)).containsExactly("m10", "m4");
    }

    @Test
    void aCustomMaskSelectsOnlyItsLanes() {
        queue.add(new Node("m9"), 9, MESSAGE);
        queue.add(new Node("c5"), 5, CALL);
        queue.add(new Node("m5"), 5, MESSAGE);
        queue.add(new Node("m3"), 3, MESSAGE);

        assertThat(queue.peek(OperationQueue.laneMask(3, 5, false, true))).hasToString("m5");
        assertThat(queue.peek(OperationQueue.laneMask(1, 4, true, true))).hasToString("m3");
        assertThat(queue.peek(OperationQueue.laneMask(6, 8, true, true))).isNull();
        assertThat(queue.hasAny(OperationQueue.laneMask(6, 8, true, true))).isFalse();
        assertThat(queue.hasAny(OperationQueue.laneMask(9, 9, false, true))).isTrue();
    }

    @Test
    void inactiveNodesAreNeverSelectedButAreCountedAndPolledAtShutdown() {
        Node inactiveMessage = new Node("i-m");
        Node inactiveCall = new Node("i-c");
        queue.add(inactiveMessage, 0, MESSAGE);
        queue.add(inactiveCall, 0, CALL);

        assertThat(queue.peek(ALL_RUNNABLE)).isNull();
        assertThat(queue.peek(CALLS_ONLY)).isNull();
        assertThat(queue.hasAny(ALL_RUNNABLE)).isFalse();
        assertThat(queue.hasAny(CALLS_ONLY)).isFalse();
        assertThat(queue.count(0)).isEqualTo(2);

        List<QueueNode> polled = new ArrayList<>();
        for (QueueNode n; (n = queue.pollAny()) != null; ) {
            polled.add(n);
        }
        assertThat(polled).containsExactlyInAnyOrder(inactiveMessage, inactiveCall);
        assertThat(queue.count(0)).isZero();
        assertThat(OperationQueue.isInLane(inactiveMessage)).isFalse();
    }

    @Test
    void pollAnyReturnsEveryNodeOnceHighestLevelFirst() {
        List<Node> all = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            Node n = new Node("n" + i);
            all.add(n);
            queue.add(n, random.nextInt(OperationQueue.LEVELS), random.nextBoolean());
        }
        Map<QueueNode, Integer> levelOf = new IdentityHashMap<>();
        all.forEach(n -> levelOf.put(n, OperationQueue.laneLevel(n)));

        List<QueueNode> polled = new ArrayList<>();
        for (QueueNode n; (n = queue.pollAny()) != null; ) {
            assertThat(OperationQueue.isInLane(n)).isFalse();
            polled.add(n);
        }

        assertThat(polled).containsExactlyInAnyOrderElementsOf(all);
        for (int i = 1; i < polled.size(); i++) {
            assertThat(levelOf.get(polled.get(i))).isLessThanOrEqualTo(levelOf.get(polled.get(i - 1)));
        }
        for (int level = 0; level < OperationQueue.LEVELS; level++) {
            assertThat(queue.count(level)).isZero();
        }
    }

    @Test
    void countCountsBothKindsPerLevel() {
        queue.add(new Node("a"), 5, MESSAGE);
        queue.add(new Node("b"), 5, CALL);
        Node c = new Node("c");
        queue.add(c, 5, CALL);
        queue.add(new Node("d"), 6, MESSAGE);

        assertThat(queue.count(5)).isEqualTo(3);
        assertThat(queue.count(6)).isEqualTo(1);
        assertThat(queue.count(4)).isZero();

        queue.remove(c);
        assertThat(queue.count(5)).isEqualTo(2);
        queue.move(queue.peek(ALL_RUNNABLE), 5); // "d" moves down to 5
        assertThat(queue.count(5)).isEqualTo(3);
        assertThat(queue.count(6)).isZero();
    }

    // ---------------------------------------------------------------------------------------------------------
    // move, remove, requeue
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void moveUpKeepsPostingOrderAmongTheNodesOfTheNewLevel() {
        Node b0 = add("b0", 4, MESSAGE);
        add("n0", 9, MESSAGE);
        add("n1", 9, MESSAGE);
        add("b1", 4, MESSAGE);
        Node b2 = add("b2", 4, MESSAGE);
        add("n2", 9, MESSAGE);

        queue.move(b2, 9);
        queue.move(b0, 9);

        assertThat(OperationQueue.laneLevel(b2)).isEqualTo(9);
        assertThat(drain(ALL_RUNNABLE)).containsExactly("b0", "n0", "n1", "b2", "n2", "b1");
    }

    @Test
    void moveDownKeepsPostingOrderAmongTheNodesOfTheNewLevel() {
        add("b0", 4, MESSAGE);
        Node n0 = add("n0", 9, MESSAGE);
        add("n1", 9, MESSAGE);
        add("b1", 4, MESSAGE);
        Node n2 = add("n2", 9, MESSAGE);
        add("b2", 4, MESSAGE);

        queue.move(n2, 4);
        queue.move(n0, 4);

        assertThat(drain(ALL_RUNNABLE)).containsExactly("n1", "b0", "n0", "b1", "n2", "b2");
    }

    @Test
    void moveKeepsTheKind() {
        Node call = add("call", 3, CALL);
        add("message", 8, MESSAGE);

        queue.move(call, 9);

        assertThat(queue.peek(CALLS_ONLY)).isSameAs(call);
        assertThat(queue.peek(ALL_RUNNABLE)).isSameAs(call);
    }

    @Test
    void moveToTheSameLevelChangesNothing() {
        add("a", 5, MESSAGE);
        Node b = add("b", 5, MESSAGE);
        add("c", 5, MESSAGE);

        queue.move(b, 5);

        assertThat(queue.count(5)).isEqualTo(3);
        assertThat(drain(ALL_RUNNABLE)).containsExactly("a", "b", "c");
    }

    @Test
    void moveToInactiveHidesTheNodeAndMovingBackRestoresItsPlace() {
        add("a", 5, MESSAGE);
        Node b = add("b", 5, MESSAGE);
        add("c", 5, MESSAGE);

        queue.move(b, 0);
        assertThat(queue.count(0)).isEqualTo(1);
        assertThat(queue.count(5)).isEqualTo(2);
        queue.move(b, 5);

        assertThat(drain(ALL_RUNNABLE)).containsExactly("a", "b", "c");
        assertThat(queue.count(0)).isZero();
    }

    @Test
    void removeFromHeadMiddleAndTail() {
        Node a = add("a", 5, MESSAGE);
        Node b = add("b", 5, MESSAGE);
        Node c = add("c", 5, MESSAGE);
        Node d = add("d", 5, MESSAGE);
        Node e = add("e", 5, MESSAGE);

        queue.remove(c);
        queue.remove(a);
        queue.remove(e);

        assertThat(OperationQueue.isInLane(a)).isFalse();
        assertThat(OperationQueue.isInLane(c)).isFalse();
        assertThat(OperationQueue.isInLane(e)).isFalse();
        assertThat(queue.count(5)).isEqualTo(2);
        assertThat(drain(ALL_RUNNABLE)).containsExactly("b", "d");
        assertThat(OperationQueue.isInLane(b)).isFalse();
        assertThat(OperationQueue.isInLane(d)).isFalse();
        assertThat(queue.hasAny(ALL_RUNNABLE)).isFalse();
    }

    @Test
    void removingTheOnlyNodeEmptiesTheLaneForTheMasks() {
        Node only = add("only", 7, CALL);

        queue.remove(only);

        assertThat(queue.hasAny(ALL_RUNNABLE)).isFalse();
        assertThat(queue.peek(CALLS_ONLY)).isNull();
        queue.add(new Node("next"), 7, CALL);
        assertThat(queue.peek(CALLS_ONLY)).hasToString("next");
    }

    @Test
    void removingANodeInNoLaneIsANoOp() {
        add("a", 5, MESSAGE);
        Node loose = new Node("loose");

        queue.remove(loose);
        Node b = add("b", 5, MESSAGE);
        queue.remove(b);
        queue.remove(b);

        assertThat(queue.count(5)).isEqualTo(1);
        assertThat(drain(ALL_RUNNABLE)).containsExactly("a");
    }

    @Test
    void requeuePutsANodeBackAtItsOriginalPlace() {
        // The owner takes the head out to start it, loses a race, and must put it back where it was.
        Node a = add("a", 5, MESSAGE);
        add("b", 5, CALL);
        add("c", 5, MESSAGE);

        assertThat(queue.peek(ALL_RUNNABLE)).isSameAs(a);
        queue.remove(a);
        queue.requeue(a, 5, MESSAGE);

        assertThat(queue.count(5)).isEqualTo(3);
        assertThat(drain(ALL_RUNNABLE)).containsExactly("a", "b", "c");
    }

    @Test
    void requeueAtAnotherLevelKeepsPostingOrderThere() {
        Node a = add("a", 5, MESSAGE);
        add("x", 8, MESSAGE);
        add("y", 8, MESSAGE);
        Node b = add("b", 5, MESSAGE);
        add("z", 8, MESSAGE);

        queue.remove(b);
        queue.requeue(b, 8, MESSAGE);
        queue.remove(a);
        queue.requeue(a, 8, MESSAGE);

        assertThat(drain(ALL_RUNNABLE)).containsExactly("a", "x", "y", "b", "z");
    }

    @Test
    void newNodesAfterAMoveStillGoToTheTail() {
        add("a", 5, MESSAGE);
        Node b = add("b", 9, MESSAGE);
        add("c", 5, MESSAGE);
        queue.move(b, 5);

        add("d", 5, MESSAGE);

        assertThat(drain(ALL_RUNNABLE)).containsExactly("a", "b", "c", "d");
    }

    /**
     * Random adds, moves, removes and requeues, checked after every step against a plain model: the queue's head
     * for a mask is the node of the highest level among the mask's lanes with the lowest posting number.
     */
    @Test
    void randomOperationsAgreeWithAReferenceModel() {
        Random random = new Random(2024);
        List<ModelEntry> model = new ArrayList<>();
        int[] counts = new int[OperationQueue.LEVELS];
        int posted = 0;
        int[] masks = {
            ALL_RUNNABLE, CALLS_ONLY, OperationQueue.laneMask(1, 4, true, true),
            OperationQueue.laneMask(5, 10, false, true), OperationQueue.laneMask(3, 3, true, false)
        };
        for (int step = 0; step < 20_000; step++) {
            int action = random.nextInt(10);
            if (model.isEmpty() || (action < 4 && model.size() < 300)) {
                ModelEntry e = new ModelEntry(new Node("n" + posted), random.nextInt(OperationQueue.LEVELS),
                        random.nextBoolean(), posted++);
                queue.add(e.node, e.level, e.call);
                model.add(e);
                counts[e.level]++;
            } else if (action < 6) {
                ModelEntry e = model.get(random.nextInt(model.size()));
                counts[e.level]--;
                e.level = random.nextInt(OperationQueue.LEVELS);
                counts[e.level]++;
                queue.move(e.node, e.level);
            } else if (action < 8) {
                ModelEntry e = model.remove(random.nextInt(model.size()));
                counts[e.level]--;
                queue.remove(e.node);
                assertThat(OperationQueue.isInLane(e.node)).isFalse();
            } else if (action < 9) {
                ModelEntry e = model.get(random.nextInt(model.size()));
                queue.remove(e.node);
                counts[e.level]--;
                e.level = random.nextInt(OperationQueue.LEVELS);
                counts[e.level]++;
                queue.requeue(e.node, e.level, e.call);
            } else {
                // take the head like the owner does: peek, remove
                ModelEntry expected = expectedHead(model, ALL_RUNNABLE);
                QueueNode head = queue.peek(ALL_RUNNABLE);
                assertThat(head).isSameAs(expected == null ? null : expected.node);
                if (expected != null) {
                    queue.remove(head);
                    model.remove(expected);
                    counts[expected.level]--;
                }
            }
            for (int mask : masks) {
                ModelEntry expected = expectedHead(model, mask);
                assertThat(queue.peek(mask)).as("step %d mask %x", step, mask)
                        .isSameAs(expected == null ? null : expected.node);
                assertThat(queue.hasAny(mask)).isEqualTo(expected != null);
            }
            for (int level = 0; level < OperationQueue.LEVELS; level++) {
                assertThat(queue.count(level)).as("step %d count(%d)", step, level).isEqualTo(counts[level]);
            }
        }
        // finally every node is still there exactly once
        List<QueueNode> polled = new ArrayList<>();
        for (QueueNode n; (n = queue.pollAny()) != null; ) {
            polled.add(n);
        }
        assertThat(polled).containsExactlyInAnyOrderElementsOf(model.stream().map(e -> (QueueNode) e.node).toList());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    private static final class ModelEntry {
        final Node node;
        final boolean call;
        final int seq;
        int level;

        ModelEntry(Node node, int level, boolean call, int seq) {
            this.node = node;
            this.level = level;
            this.call = call;
            this.seq = seq;
        }
    }

    private static ModelEntry expectedHead(List<ModelEntry> model, int mask) {
        return model.stream()
                .filter(e -> (mask & (1 << (e.level * 2 + (e.call ? 1 : 0)))) != 0)
                .min(Comparator.<ModelEntry>comparingInt(e -> -e.level).thenComparingInt(e -> e.seq))
                .orElse(null);
    }

    private Node add(String name, int level, boolean call) {
        Node n = new Node(name);
        queue.add(n, level, call);
        return n;
    }

    /** Takes nodes off the head for {@code mask} the way the owner does, and names them in that order. */
    private List<String> drain(int mask) {
        List<String> order = new ArrayList<>();
        for (QueueNode n; (n = queue.peek(mask)) != null; ) {
            queue.remove(n);
            order.add(((Node) n).name);
        }
        return order;
    }

    private static int laneMaskOfInactive() {
        return OperationQueue.laneMask(0, 0, true, true);
    }
}
