package dev.apartment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The inbox's producer-written fields and its owner-written head must not share a cache line (64 bytes), and
 * neither may share one with whatever object precedes the inbox in memory: false sharing doubled the cost of a post
 * in an earlier attempt, and long-based padding silently stops working on JDK 15+.
 */
@Timeout(10)
class InboxLayoutTest {
    private static final int LINE = 64;

    @Test
    void producerAndOwnerFieldsAreALineApart() {
        long tail = FieldOffsets.of(InboxLayout.ProducerSide.class, "tail");
        long lanes = FieldOffsets.of(InboxLayout.ProducerSide.class, "lanes");
        long head = FieldOffsets.of(InboxLayout.ConsumerSide.class, "head");
        long stub = FieldOffsets.of(InboxLayout.ConsumerSide.class, "stub");

        long producerLow = Math.min(tail, lanes);
        long producerHigh = Math.max(tail, lanes);
        long ownerLow = Math.min(head, stub);

        assertThat(producerLow).as("producer fields after the leading padding").isGreaterThanOrEqualTo(LINE);
        assertThat(ownerLow - producerHigh).as("gap between producer and owner fields").isGreaterThanOrEqualTo(LINE);
    }
}
