package dev.apartment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The inbox's producer-swapped tail, its lane summary (read by the owner for every operation) and its owner-written
 * head must each have a cache line (64 bytes) of their own, apart from whatever object precedes the inbox in memory: false sharing doubled the cost of a post
 * in an earlier attempt, and long-based padding silently stops working on JDK 15+.
 */
@Timeout(10)
class InboxLayoutTest {
    private static final int LINE = 64;

    @Test
    void producerAndOwnerFieldsAreALineApart() {
        long tail = FieldOffsets.of(InboxLayout.TailSide.class, "tail");
        long lanes = FieldOffsets.of(InboxLayout.LaneSummary.class, "lanes");
        long head = FieldOffsets.of(InboxLayout.ConsumerSide.class, "head");
        long stub = FieldOffsets.of(InboxLayout.ConsumerSide.class, "stub");

        assertThat(tail).as("tail after the leading padding").isGreaterThanOrEqualTo(LINE);
        assertThat(lanes - tail).as("lane summary a line after the tail").isGreaterThanOrEqualTo(LINE);
        assertThat(Math.min(head, stub) - lanes).as("owner fields a line after the summary").isGreaterThanOrEqualTo(LINE);
    }
}
