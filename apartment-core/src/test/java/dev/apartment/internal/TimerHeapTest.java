package dev.apartment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TimerHeapTest {

    /** Any nanoTime-like origin; tests add offsets to it so they also hold far from zero. */
    private static final long T0 = 7_000_000_000L;

    private TimerHeap heap;

    @BeforeEach
    void newHeap() {
        heap = new TimerHeap();
    }

    @Test
    void anEmptyHeapHasNothingDue() {
        assertThat(heap.size()).isZero();
        assertThat(heap.peek()).isNull();
        assertThat(heap.pollDue(Long.MAX_VALUE)).isNull();
    }

    @Test
    void entryKnowsItsOwnerAndWhetherItIsScheduled() {
        Object owner = new Object();
        TimerHeap.Entry e = new TimerHeap.Entry(owner);
        assertThat(e.owner()).isSameAs(owner);
        assertThat(e.isScheduled()).isFalse();

        heap.schedule(e, T0 + 5);

        assertThat(e.isScheduled()).isTrue();
        assertThat(e.due()).isEqualTo(T0 + 5);
        heap.remove(e);
        assertThat(e.isScheduled()).isFalse();
    }

    @Test
    void pollDueHandsOutEntriesInDueOrder() {
        long[] dues = {50, 10, 40, 20, 30, 60, 0, 25, 35, 45};
        for (long d : dues) {
            heap.schedule(new TimerHeap.Entry("t" + d), T0 + d);
        }
        assertThat(heap.size()).isEqualTo(dues.length);

        List<Long> order = pollAll(T0 + 1_000);

        assertThat(order).containsExactly(0L, 10L, 20L, 25L, 30L, 35L, 40L, 45L, 50L, 60L);
        assertThat(heap.size()).isZero();
    }

    @Test
    void pollDueLeavesEntriesThatAreNotDueYet() {
        TimerHeap.Entry early = entry(T0 + 10);
        TimerHeap.Entry exact = entry(T0 + 20);
        TimerHeap.Entry late = entry(T0 + 30);

        assertThat(heap.pollDue(T0 + 9)).isNull();
        assertThat(heap.pollDue(T0 + 20)).isSameAs(early);
        assertThat(heap.pollDue(T0 + 20)).as("due exactly now counts as due").isSameAs(exact);
        assertThat(heap.pollDue(T0 + 20)).isNull();
        assertThat(heap.peek()).isSameAs(late);
        assertThat(late.isScheduled()).isTrue();
        assertThat(early.isScheduled()).isFalse();
    }

    @Test
    void peekDoesNotRemove() {
        TimerHeap.Entry a = entry(T0 + 2);
        entry(T0 + 3);

        assertThat(heap.peek()).isSameAs(a);
        assertThat(heap.peek()).isSameAs(a);
        assertThat(heap.size()).isEqualTo(2);
    }

    @Test
    void equalDueTimesAreAllHandedOut() {
        List<TimerHeap.Entry> same = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            same.add(entry(T0 + 7));
        }

        List<TimerHeap.Entry> polled = new ArrayList<>();
        for (TimerHeap.Entry e; (e = heap.pollDue(T0 + 7)) != null; ) {
            polled.add(e);
        }

        assertThat(polled).containsExactlyInAnyOrderElementsOf(same);
    }

    @Test
    void removeFromTheMiddleKeepsTheRestInOrder() {
        List<TimerHeap.Entry> all = new ArrayList<>();
        for (int d = 0; d < 31; d++) {
            all.add(entry(T0 + d * 10));
        }

        heap.remove(all.get(15));
        heap.remove(all.get(3));
        heap.remove(all.get(29));
        heap.remove(all.get(0));

        assertThat(heap.size()).isEqualTo(27);
        List<Long> order = pollAll(T0 + 1_000);
        assertThat(order).doesNotContain(0L, 30L, 150L, 290L).isSorted().hasSize(27);
    }

    @Test
    void removeTheLastAddedAndTheOnlyEntry() {
        TimerHeap.Entry a = entry(T0 + 1);
        TimerHeap.Entry b = entry(T0 + 2);

        heap.remove(b);
        assertThat(heap.peek()).isSameAs(a);
        heap.remove(a);

        assertThat(heap.size()).isZero();
        assertThat(heap.peek()).isNull();
    }

    @Test
    void removeOfAnUnscheduledEntryDoesNothing() {
        TimerHeap.Entry a = entry(T0 + 1);
        TimerHeap.Entry loose = new TimerHeap.Entry("loose");

        heap.remove(loose);
        heap.remove(a);
        heap.remove(a);

        assertThat(heap.size()).isZero();
    }

    @Test
    void removeWhereTheReplacementMustMoveUp() {
        // Removing from one subtree pulls the last leaf (from another subtree) into its place; if that leaf is
        // earlier than the removed entry's parent, it must sift up, not down.
        TimerHeap.Entry root = entry(T0);
        TimerHeap.Entry left = entry(T0 + 100);
        entry(T0 + 10);                          // right child
        entry(T0 + 110);                         // left.left
        TimerHeap.Entry leftRight = entry(T0 + 120);
        entry(T0 + 20);                          // right.left
        entry(T0 + 30);                          // right.right
        entry(T0 + 130);                         // left.left.left
        entry(T0 + 140);
        entry(T0 + 150);
        entry(T0 + 160);
        entry(T0 + 40);                          // last leaf, under right: earlier than 'left'

        heap.remove(leftRight);
        heap.remove(left);

        assertThat(root.isScheduled()).isTrue();
        assertThat(pollAll(T0 + 1_000)).containsExactly(0L, 10L, 20L, 30L, 40L, 110L, 130L, 140L, 150L, 160L);
    }

    @Test
    void rescheduleEarlierMovesUp() {
        entry(T0 + 10);
        entry(T0 + 20);
        TimerHeap.Entry late = entry(T0 + 30);

        heap.schedule(late, T0 + 5);

        assertThat(heap.size()).isEqualTo(3);
        assertThat(heap.peek()).isSameAs(late);
        assertThat(late.due()).isEqualTo(T0 + 5);
        assertThat(pollAll(T0 + 100)).containsExactly(5L, 10L, 20L);
    }

    @Test
    void rescheduleLaterMovesDown() {
        TimerHeap.Entry first = entry(T0 + 1);
        entry(T0 + 10);
        entry(T0 + 20);

        heap.schedule(first, T0 + 15);

        assertThat(heap.size()).isEqualTo(3);
        assertThat(heap.peek().due()).isEqualTo(T0 + 10);
        assertThat(pollAll(T0 + 100)).containsExactly(10L, 15L, 20L);
    }

    @Test
    void rescheduleToTheSameTimeIsHarmless() {
        TimerHeap.Entry a = entry(T0 + 10);
        entry(T0 + 20);

        heap.schedule(a, T0 + 10);

        assertThat(heap.size()).isEqualTo(2);
        assertThat(pollAll(T0 + 100)).containsExactly(10L, 20L);
    }

    @Test
    void aRemovedEntryCanBeScheduledAgain() {
        TimerHeap.Entry a = entry(T0 + 10);
        heap.remove(a);

        heap.schedule(a, T0 + 3);

        assertThat(a.isScheduled()).isTrue();
        assertThat(heap.pollDue(T0 + 3)).isSameAs(a);
    }

    @Test
    void dueTimesAreComparedWrapAroundSafeLikeNanoTime() {
        // nanoTime may be near Long.MAX_VALUE and wrap: "later" must mean "later by difference".
        long nearMax = Long.MAX_VALUE - 5;
        TimerHeap.Entry beforeWrap = entry(nearMax);
        TimerHeap.Entry afterWrap = entry(nearMax + 20); // overflows to a negative number
        TimerHeap.Entry evenEarlier = entry(nearMax - 10);

        assertThat(heap.pollDue(nearMax - 1)).isSameAs(evenEarlier);
        assertThat(heap.pollDue(nearMax + 1)).isSameAs(beforeWrap);
        assertThat(heap.pollDue(nearMax + 19)).as("not yet due across the wrap").isNull();
        assertThat(heap.pollDue(nearMax + 20)).isSameAs(afterWrap);
    }

    @Test
    void growsBeyondItsInitialCapacity() {
        for (int i = 999; i >= 0; i--) {
            entry(T0 + i);
        }

        assertThat(heap.size()).isEqualTo(1_000);
        List<Long> order = pollAll(T0 + 10_000);
        assertThat(order).hasSize(1_000).isSorted();
    }

    /**
     * 100k random schedules, reschedules, removes and polls against a sorted reference. Equal due times come out
     * in any order, so the reference is ordered by (due, id) and compared on due times only.
     */
    @Test
    void randomOperationsAgreeWithASortedReference() {
        Random random = new Random(99);
        Comparator<Item> byDue = Comparator.<Item>comparingLong(i -> i.due).thenComparingInt(i -> i.id);
        TreeSet<Item> reference = new TreeSet<>(byDue);
        List<Item> scheduled = new ArrayList<>();
        List<Item> idle = new ArrayList<>();
        int ids = 0;
        long now = T0;

        for (int step = 0; step < 100_000; step++) {
            int action = random.nextInt(10);
            if (scheduled.isEmpty() || action < 4) {
                Item item = idle.isEmpty() || random.nextBoolean()
                        ? new Item(ids++) : idle.remove(random.nextInt(idle.size()));
                item.due = now + random.nextInt(1_000); // narrow range: many ties
                heap.schedule(item.entry, item.due);
                reference.add(item);
                scheduled.add(item);
            } else if (action < 6) {
                Item item = scheduled.get(random.nextInt(scheduled.size()));
                reference.remove(item);
                item.due = now + random.nextInt(1_000);
                heap.schedule(item.entry, item.due);
                reference.add(item);
            } else if (action < 8) {
                Item item = scheduled.remove(random.nextInt(scheduled.size()));
                reference.remove(item);
                heap.remove(item.entry);
                assertThat(item.entry.isScheduled()).isFalse();
                idle.add(item);
            } else {
                now += random.nextInt(50);
                TimerHeap.Entry polled = heap.pollDue(now);
                Item first = reference.isEmpty() ? null : reference.first();
                if (first == null || first.due - now > 0) {
                    assertThat(polled).as("step %d: nothing due at %d", step, now).isNull();
                } else {
                    assertThat(polled).as("step %d: something due at %d", step, now).isNotNull();
                    Item item = (Item) polled.owner();
                    assertThat(item.due).as("step %d: the earliest due time", step).isEqualTo(first.due);
                    assertThat(polled.isScheduled()).isFalse();
                    reference.remove(item);
                    scheduled.remove(item);
                    idle.add(item);
                }
            }
            assertThat(heap.size()).as("step %d size", step).isEqualTo(reference.size());
            if (reference.isEmpty()) {
                assertThat(heap.peek()).isNull();
            } else {
                assertThat(heap.peek().due()).as("step %d earliest", step).isEqualTo(reference.first().due);
            }
        }

        List<Long> rest = pollAll(now + 1_000_000);
        assertThat(rest).containsExactlyElementsOf(reference.stream().map(i -> i.due - T0).toList());
        assertThat(scheduled).allSatisfy(i -> assertThat(i.entry.isScheduled()).isFalse());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    private static final class Item {
        final int id;
        final TimerHeap.Entry entry = new TimerHeap.Entry(this);
        long due;

        Item(int id) {
            this.id = id;
        }
    }

    private TimerHeap.Entry entry(long due) {
        TimerHeap.Entry e = new TimerHeap.Entry("due " + due);
        heap.schedule(e, due);
        return e;
    }

    /** Polls everything due at {@code now}, as offsets from {@link #T0}. */
    private List<Long> pollAll(long now) {
        List<Long> order = new ArrayList<>();
        for (TimerHeap.Entry e; (e = heap.pollDue(now)) != null; ) {
            order.add(e.due() - T0);
        }
        return order;
    }
}
