package dev.apartment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class InboxTest {

    /** The smallest node: who pushed it and as which of its pushes. */
    static final class Node extends QueueNode {
        final int producer;
        final int index;

        Node(int producer, int index) {
            this.producer = producer;
            this.index = index;
        }
    }

    @Test
    void aNewInboxIsEmpty() {
        Inbox inbox = new Inbox();

        assertThat(inbox.isEmpty()).isTrue();
        assertThat(inbox.poll()).isNull();
        assertThat(inbox.isEmpty()).as("polling an empty inbox keeps it empty").isTrue();
    }

    @Test
    void singleThreadFifo() {
        Inbox inbox = new Inbox();
        List<Node> pushed = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Node n = new Node(0, i);
            pushed.add(n);
            inbox.push(n);
        }

        for (Node expected : pushed) {
            assertThat(inbox.isEmpty()).isFalse();
            assertThat(inbox.poll()).isSameAs(expected);
        }
        assertThat(inbox.poll()).isNull();
        assertThat(inbox.isEmpty()).isTrue();
    }

    @Test
    void oneNodeInAndOut() {
        // The last node leaves through the path that re-pushes the stub: it must still come out exactly once.
        Inbox inbox = new Inbox();
        Node n = new Node(0, 0);

        inbox.push(n);
        assertThat(inbox.isEmpty()).isFalse();
        assertThat(inbox.poll()).isSameAs(n);

        assertThat(inbox.isEmpty()).isTrue();
        assertThat(inbox.poll()).isNull();
        assertThat(inbox.poll()).isNull();
    }

    @Test
    void isEmptyTracksEveryPushAndPollWhenInterleaved() {
        Inbox inbox = new Inbox();
        int next = 0;
        int expectedNext = 0;
        int size = 0;
        Random random = new Random(1);
        for (int step = 0; step < 100_000; step++) {
            if (size == 0 || random.nextInt(3) != 0) {
                inbox.push(new Node(0, next++));
                size++;
            } else {
                QueueNode polled = inbox.poll();
                assertThat(polled).isNotNull();
                assertThat(((Node) polled).index).isEqualTo(expectedNext++);
                size--;
            }
            assertThat(inbox.isEmpty()).isEqualTo(size == 0);
        }
        while (size-- > 0) {
            assertThat(((Node) inbox.poll()).index).isEqualTo(expectedNext++);
        }
        assertThat(inbox.isEmpty()).isTrue();
        assertThat(inbox.poll()).isNull();
    }

    @Test
    void aPolledNodeCanBePushedAgain() {
        // The dispatcher never does it with operations, but the inbox says a polled node is no longer its own.
        Inbox inbox = new Inbox();
        Node a = new Node(0, 0);
        Node b = new Node(0, 1);

        for (int round = 0; round < 3; round++) {
            inbox.push(a);
            inbox.push(b);
            assertThat(inbox.poll()).isSameAs(a);
            inbox.push(a);
            assertThat(inbox.poll()).isSameAs(b);
            assertThat(inbox.poll()).isSameAs(a);
            assertThat(inbox.poll()).isNull();
            assertThat(inbox.isEmpty()).isTrue();
        }
    }

    @Test
    void aPolledNodeNoLongerLinksToTheNodesBehindIt() {
        // A handed-out node that lives on (kept, or promoted to the old generation) must keep nothing else alive.
        Inbox inbox = new Inbox();
        for (int round = 0; round < 3; round++) {
            List<Node> pushed = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Node n = new Node(0, i);
                pushed.add(n);
                inbox.push(n);
            }
            for (Node n : pushed) {
                assertThat(inbox.poll()).isSameAs(n);
                assertThat(n.next).as("link of node %d after its poll", n.index).isNull();
            }
            assertThat(inbox.poll()).isNull();
            assertThat(inbox.stub.next).as("the stub's link once drained").isNull();
        }
    }

    @Test
    void manyProducersEveryNodeArrivesExactlyOnceInPerProducerOrder() throws Exception {
        int producers = 4;
        int perProducer = 200_000;
        Inbox inbox = new Inbox();
        // pushedCount[p] is written after each push by producer p: a consumer that reads it knows those pushes
        // have swapped the tail, so isEmpty() must not report empty while any of them is still unpolled.
        AtomicLongArray pushedCount = new AtomicLongArray(producers * 16); // padded: one counter per 128 bytes
        CyclicBarrier start = new CyclicBarrier(producers + 1);
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < perProducer; i++) {
                        inbox.push(new Node(id, i));
                        pushedCount.lazySet(id * 16, i + 1L);
                    }
                } catch (Throwable e) {
                    producerFailure.set(e);
                }
            }, "producer-" + p);
            t.start();
            threads.add(t);
        }

        int[] nextIndex = new int[producers];
        long received = 0;
        long total = (long) producers * perProducer;
        start.await(10, TimeUnit.SECONDS);
        while (received < total) {
            QueueNode polled = inbox.poll();
            if (polled == null) {
                long pushed = 0;
                for (int p = 0; p < producers; p++) {
                    pushed += pushedCount.get(p * 16);
                }
                if (pushed > received && inbox.isEmpty()) {
                    fail("isEmpty() reported empty with " + (pushed - received) + " completed pushes unpolled");
                }
                if (producerFailure.get() != null) {
                    fail("producer failed", producerFailure.get());
                }
                Thread.yield(); // with more producers than CPUs, spinning here would only slow them down
                continue;
            }
            Node n = (Node) polled;
            if (n.index != nextIndex[n.producer]) {
                fail("producer " + n.producer + ": expected node " + nextIndex[n.producer] + " but got " + n.index);
            }
            nextIndex[n.producer]++;
            received++;
        }
        for (Thread t : threads) {
            t.join(10_000);
        }

        assertThat(producerFailure.get()).isNull();
        assertThat(nextIndex).containsOnly(perProducer);
        assertThat(inbox.poll()).isNull();
        assertThat(inbox.isEmpty()).isTrue();
    }
}
