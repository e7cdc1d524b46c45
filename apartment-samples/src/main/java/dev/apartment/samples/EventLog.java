package dev.apartment.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * Events from several threads, numbered in the order they were recorded. The numbers are the point: they are one
 * sequence shared by every thread of a sample, so "before" and "after" in them are facts about ordering, not about
 * clocks that different threads read at slightly different moments.
 */
public final class EventLog {

    /** One event: its place in the sequence, when it happened after the first one, on which thread, and what. */
    public record Event(int number, long atNanos, String thread, String what) {
    }

    private final List<Event> events = new ArrayList<>();
    private long origin;

    /** An empty log. */
    public EventLog() {
    }

    /** Records {@code what} on the calling thread and returns its number (1 for the first event). */
    public synchronized int add(String what) {
        long now = System.nanoTime();
        if (events.isEmpty()) {
            origin = now;
        }
        int number = events.size() + 1;
        events.add(new Event(number, now - origin, Thread.currentThread().getName(), what));
        return number;
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }
}
