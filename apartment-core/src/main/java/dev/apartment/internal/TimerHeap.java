package dev.apartment.internal;

import java.util.Arrays;

/**
 * The owner-side schedule of a dispatcher's timers: a binary min-heap on due time whose entries know their own
 * index, so adding, removing and rescheduling one timer is O(log n) and nothing ever scans the heap.
 * Owner thread only.
 */
public final class TimerHeap {

    /** A scheduled item. {@link #index()} is -1 while it is not in a heap. */
    public static final class Entry {
        private final Object owner;
        private long due;
        private int index = -1;

        /** @param owner what the entry schedules, handed back by {@link #owner()} */
        public Entry(Object owner) {
            this.owner = owner;
        }

        public Object owner() {
            return owner;
        }

        /** Due time, in {@link System#nanoTime()} units. */
        public long due() {
            return due;
        }

        public boolean isScheduled() {
            return index >= 0;
        }
    }

    private Entry[] heap = new Entry[16];
    private int size;

    /** Schedules {@code e} at {@code due}, or moves it there if it is already scheduled. */
    public void schedule(Entry e, long due) {
        if (e.index >= 0) {
            long old = e.due;
            e.due = due;
            if (due - old < 0) {
                up(e.index);
            } else {
                down(e.index);
            }
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        e.due = due;
        e.index = size;
        heap[size++] = e;
        up(e.index);
    }

    /** Unschedules {@code e}; does nothing if it is not scheduled. */
    public void remove(Entry e) {
        int i = e.index;
        if (i < 0) {
            return;
        }
        e.index = -1;
        Entry last = heap[--size];
        heap[size] = null;
        if (i != size) {
            heap[i] = last;
            last.index = i;
            if (last.due - e.due < 0) {
                up(i);
            } else {
                down(i);
            }
        }
    }

    /** The entry due first, or null. */
    public Entry peek() {
        return size == 0 ? null : heap[0];
    }

    /** Removes and returns the entry due first if it is due at {@code now}, else null. */
    public Entry pollDue(long now) {
        if (size == 0 || heap[0].due - now > 0) {
            return null;
        }
        Entry e = heap[0];
        remove(e);
        return e;
    }

    public int size() {
        return size;
    }

    private void up(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
            if (p.due - e.due <= 0) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = e;
        e.index = i;
    }

    private void down(int i) {
        Entry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Entry c = heap[child];
            int right = child + 1;
            if (right < size && heap[right].due - c.due < 0) {
                child = right;
                c = heap[child];
            }
            if (e.due - c.due <= 0) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = e;
        e.index = i;
    }
}
