package dev.apartment;

import java.time.Duration;
import java.util.Objects;

/**
 * Deadlines as {@link System#nanoTime()} values, compared by subtraction ({@code now - deadline >= 0}) so that the
 * clock's wrap-around does not matter, and the checks of the {@link Duration}s they come from.
 */
final class Deadlines {
    /** A deadline meaning "none" (a real deadline is never this value: {@link #after} skips it). */
    static final long NO_DEADLINE = Long.MIN_VALUE;

    private Deadlines() {
    }

    /**
     * {@code duration} in nanoseconds, saturated at {@link Long#MAX_VALUE} (about 292 years).
     *
     * @throws NullPointerException     naming {@code argument} if {@code duration} is null
     * @throws IllegalArgumentException naming {@code argument} if {@code duration} is negative
     */
    static long toNanos(Duration duration, String argument) {
        Objects.requireNonNull(duration, argument);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(argument + " must not be negative: " + duration);
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** The deadline {@code nanos} from now; a very long wait is capped so that the subtraction cannot overflow. */
    static long after(long nanos) {
        long deadline = System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
        return deadline == NO_DEADLINE ? deadline + 1 : deadline;
    }
}
