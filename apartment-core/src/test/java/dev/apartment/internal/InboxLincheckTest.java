package dev.apartment.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lincheck model check (bounded, systematic interleavings) of the {@link Inbox}: any number of producer threads
 * {@link Inbox#push(QueueNode, int) push}, one thread at a time acts as the owner ({@code nonParallelGroup =
 * "consumer"}), and the results must be linearizable against a plain FIFO queue ({@link Spec}).
 *
 * <p>What is checked:
 * <ul>
 *   <li>push/poll/isEmpty are linearizable (FIFO order, nothing lost, nothing duplicated, isEmpty exact), with the
 *       linearization point of a push at its tail swap.</li>
 *   <li>The lane summary: after {@link Inbox#clearLanes()} and a drain until {@link Inbox#isEmpty()}, every node
 *       whose push has returned and that the owner has not polled yet has its lane bit in
 *       {@link Inbox#pendingLanes()} ({@link #pendingLanesCoverInbox()}, which returns false otherwise). The owner
 *       forgets the summary either alone ({@link #clearLanes()}, then its own polls and isEmpty) or as the dispatcher
 *       does ({@link #drainAll()}). Marking the lane before the swap instead of after it fails this check at once.</li>
 * </ul>
 *
 * <p>Run sizes are small so that the core suite stays fast; {@code -Dlincheck.iterations=N
 * -Dlincheck.invocations=M} explores more.
 *
 * <p>The owner's {@code poll} here is the owner's real pattern, not the bare {@link Inbox#poll()}: the bare poll may
 * return null while a producer is between its swap and its link although that push is, by the swap, already in the
 * queue; that is documented (the inbox is not linearizable for a bare poll), and the owner copes by retrying while
 * {@link Inbox#isEmpty()} is false. So {@link #poll()} retries the same way and returns null only when the inbox is
 * empty.
 */
@Param(name = "id", gen = IntGen.class, conf = "1:3")
@Param(name = "lane", gen = IntGen.class, conf = "0:3")
public class InboxLincheckTest {

    /** A pushed value: id and lane, plus what the check of the lane summary needs. */
    static final class Node extends QueueNode {
        final int value;
        final int laneBit;
        /** Set by the owner when it polls the node (owner only). */
        boolean polled;

        Node(int id, int lane) {
            this.value = id * 10 + lane;
            this.laneBit = 1 << lane;
        }
    }

    private final Inbox inbox = new Inbox();
    /** The nodes whose push has returned, in no particular order (added by the producer after its push). */
    private final ConcurrentLinkedQueue<Node> pushed = new ConcurrentLinkedQueue<>();
    /**
     * Owner only: no clearLanes since the last time the inbox was seen empty (or ever), i.e. the summary is
     * trustworthy (see the class comment of {@link Inbox}).
     */
    private boolean summaryTrusted = true;

    // --- producers ----------------------------------------------------------------------------------------

    @Operation
    public void push(@Param(name = "id") int id, @Param(name = "lane") int lane) {
        Node n = new Node(id, lane);
        inbox.push(n, lane);
        pushed.add(n);
    }

    // --- the owner ----------------------------------------------------------------------------------------

    @Operation(nonParallelGroup = "consumer")
    public Integer poll() {
        for (;;) {
            QueueNode n = inbox.poll();
            if (n != null) {
                Node node = (Node) n;
                node.polled = true;
                return node.value;
            }
            if (isEmpty()) {
                return null;
            }
            // a producer is between its swap and its link: the owner waits for it (Dispatcher spins, then yields)
        }
    }

    @Operation(nonParallelGroup = "consumer")
    public boolean isEmpty() {
        boolean empty = inbox.isEmpty();
        if (empty) {
            summaryTrusted = true; // drained: every node pushed from now on marks its lane after its swap
        }
        return empty;
    }

    @Operation(nonParallelGroup = "consumer")
    public void clearLanes() {
        inbox.clearLanes();
        summaryTrusted = false;
    }

    /**
     * What {@code Dispatcher.drainAll} does: forget the summary, then poll until the inbox is empty. Returns what it
     * polled, in order.
     */
    @Operation(nonParallelGroup = "consumer")
    public List<Integer> drainAll() {
        clearLanes();
        List<Integer> drained = new ArrayList<>();
        for (Integer v; (v = poll()) != null; ) {
            drained.add(v);
        }
        return drained;
    }

    /**
     * The summary invariant: if the owner has drained the inbox since its last clearLanes, every node whose push has
     * returned and that is still in the inbox has its lane bit in {@link Inbox#pendingLanes()}.
     */
    @Operation(nonParallelGroup = "consumer")
    public boolean pendingLanesCoverInbox() {
        Object[] done = pushed.toArray(); // pushes that returned before the summary is read
        int lanes = inbox.pendingLanes();
        if (!summaryTrusted) {
            return true;
        }
        for (Object o : done) {
            Node n = (Node) o;
            if (!n.polled && (lanes & n.laneBit) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The sequential specification: a FIFO queue; the summary check always holds. */
    public static class Spec {
        private final ArrayDeque<Integer> queue = new ArrayDeque<>();

        public void push(int id, int lane) {
            queue.add(id * 10 + lane);
        }

        public Integer poll() {
            return queue.poll();
        }

        public boolean isEmpty() {
            return queue.isEmpty();
        }

        public void clearLanes() {
        }

        public List<Integer> drainAll() {
            List<Integer> drained = new ArrayList<>(queue);
            queue.clear();
            return drained;
        }

        public boolean pendingLanesCoverInbox() {
            return true;
        }
    }

    @Test
    @Timeout(120)
    void modelCheck() {
        new ModelCheckingOptions()
                .sequentialSpecification(Spec.class)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .iterations(Integer.getInteger("lincheck.iterations", 10))
                .invocationsPerIteration(Integer.getInteger("lincheck.invocations", 150))
                .check(InboxLincheckTest.class);
    }
}
