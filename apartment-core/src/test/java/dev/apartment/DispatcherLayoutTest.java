package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.internal.FieldOffsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fields every post reads must not share a cache line with the fields the owner writes for every operation:
 * each owner write would otherwise invalidate the producers' copy of the line.
 */
@Timeout(10)
class DispatcherLayoutTest {
    private static final int LINE = 64;

    @Test
    void postSideFieldsAreALineAwayFromOwnerFields() {
        long[] postSide = {
            FieldOffsets.of(DispatcherLayout.PostSide.class, "parked"),
            FieldOffsets.of(DispatcherLayout.PostSide.class, "shutdownFinished"),
            FieldOffsets.of(DispatcherLayout.PostSide.class, "hooks"),
            FieldOffsets.of(DispatcherLayout.PostSide.class, "thread"),
            FieldOffsets.of(DispatcherLayout.PostSide.class, "inbox"),
        };
        // The owner's other per-operation state (Selection's timer countdown, the lanes) lives in collaborator
        // objects of its own, allocated after the dispatcher, so it cannot share the post-side line.
        long[] ownerHot = {
            FieldOffsets.of(Dispatcher.class, "executingLevel"),
            FieldOffsets.of(Dispatcher.class, "frameDepth"),
        };
        long postLow = Long.MAX_VALUE;
        long postHigh = Long.MIN_VALUE;
        for (long o : postSide) {
            postLow = Math.min(postLow, o);
            postHigh = Math.max(postHigh, o);
        }
        assertThat(postLow).as("post-side fields after the leading padding").isGreaterThanOrEqualTo(LINE);
        for (long o : ownerHot) {
            assertThat(o - postHigh).as("owner field at %d vs post side ending at %d", o, postHigh)
                    .isGreaterThanOrEqualTo(LINE);
        }
    }
}
