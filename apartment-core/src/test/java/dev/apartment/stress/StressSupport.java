package dev.apartment.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers shared by the stress suites: public API only. */
final class StressSupport {
    /** Every level an operation can run at: SYSTEM_IDLE..SEND (INACTIVE never runs, INVALID is rejected). */
    static final DispatcherPriority[] RUNNABLE = {
        DispatcherPriority.SYSTEM_IDLE, DispatcherPriority.APPLICATION_IDLE, DispatcherPriority.CONTEXT_IDLE,
        DispatcherPriority.BACKGROUND, DispatcherPriority.INPUT, DispatcherPriority.LOADED, DispatcherPriority.RENDER,
        DispatcherPriority.DATA_BIND, DispatcherPriority.NORMAL, DispatcherPriority.SEND,
    };

    private StressSupport() {
    }

    static String n(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Prints the one summary line of a suite, so its counts can be quoted. */
    static void summary(String line) {
        System.out.println("stress: " + line);
        System.out.flush();
    }

    /** Spins (yielding, never sleeping) until {@code condition} holds; fails after {@code limit}. */
    static void spinUntil(BooleanSupplier condition, Duration limit, String what) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.yield();
        }
    }

    /** True while {@code t} is parked or blocked (waiting for something), not running. */
    static boolean isWaiting(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
    }

    /** Shuts {@code d} down, waits for it and joins its thread: nothing may be left behind. */
    static void shutDownAndJoin(Dispatcher d) throws InterruptedException {
        d.beginInvokeShutdown(DispatcherPriority.SEND);
        assertThat(d.awaitShutdown(Duration.ofSeconds(10))).as("%s shut down", d).isTrue();
        d.thread().join(10_000);
        assertThat(d.thread().isAlive()).as("%s: its thread ended", d).isFalse();
    }

    /**
     * Occupies the owner thread of {@code d} until the returned latch is released (a SEND post waiting on a latch).
     */
    static CountDownLatch block(Dispatcher d) throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        d.post(() -> {
            blocked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, DispatcherPriority.SEND);
        assertThat(blocked.await(10, TimeUnit.SECONDS)).as("owner thread blocked").isTrue();
        return release;
    }
}
