package dev.apartment.stress;

import static dev.apartment.stress.StressSupport.n;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Suite 6: the 8-dispatcher random invoke storm of CrossDispatcherInvokeTest, longer and wider: drivers invoke
 * random trees of nested invokes ({@link InvokeTree}; self-invokes included: inline at SEND, a nested frame otherwise)
 * into 8 dispatchers, at every runnable priority (idle levels included), for {@code -Dapartment.stress.seconds}
 * (20 s by default).
 * Every invoke returns exactly the size of its tree, every task runs on its own dispatcher's thread, and the tasks
 * that ran are exactly those generated. The @Timeout is 120 s: for storms longer than ~90 s also pass
 * {@code -Djunit.jupiter.execution.timeout.mode=disabled}.
 */
@Tag("stress")
class InvokeStormStressTest {
    private static final DispatcherPriority[] PRIORITIES = StressSupport.RUNNABLE;
    private static final int DISPATCHERS = 8;
    private static final int DRIVERS = 6;
    private static final int MAX_DEPTH = 5;

    @Test
    @Timeout(120)
    void randomInvokeStormAmongEightDispatchers() throws Exception {
        double seconds = Double.parseDouble(System.getProperty("apartment.stress.seconds", "20"));
        long stormNanos = (long) (seconds * 1e9);
        Dispatcher[] ds = new Dispatcher[DISPATCHERS];
        for (int i = 0; i < ds.length; i++) {
            ds[i] = Dispatcher.start("stress-storm-" + i);
        }
        AtomicLong executed = new AtomicLong();
        AtomicLong wrongThread = new AtomicLong();
        AtomicLong expectedTotal = new AtomicLong();
        AtomicLong invokes = new AtomicLong();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<String> wrongResults = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        long baseSeed = System.nanoTime();
        long start = System.nanoTime();
        try {
            Thread[] drivers = new Thread[DRIVERS];
            for (int k = 0; k < drivers.length; k++) {
                long seed = baseSeed + k;
                drivers[k] = new Thread(() -> {
                    Random rnd = new Random(seed);
                    try {
                        go.await();
                        long end = System.nanoTime() + stormNanos;
                        while (System.nanoTime() - end < 0 && failures.isEmpty()) {
                            InvokeTree root = InvokeTree.random(rnd, DISPATCHERS, PRIORITIES, MAX_DEPTH);
                            expectedTotal.addAndGet(root.size());
                            long got = root.invoke(ds, executed, wrongThread);
                            invokes.incrementAndGet();
                            if (got != root.size()) {
                                wrongResults.add("seed " + seed + ": expected " + root.size() + ", got " + got);
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }, "stress-storm-driver-" + k);
                drivers[k].start();
            }
            go.countDown();
            long joinBy = System.nanoTime() + stormNanos + TimeUnit.SECONDS.toNanos(15);
            for (Thread t : drivers) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinBy - System.nanoTime())));
                assertThat(t.isAlive()).as("%s finished within 15 s of the end of the storm (seed base %d)",
                        t.getName(), baseSeed).isFalse();
            }
        } finally {
            for (Dispatcher d : ds) {
                StressSupport.shutDownAndJoin(d);
            }
        }
        assertThat(failures).as("exceptions in the storm (seed base %d)", baseSeed).isEmpty();
        assertThat(wrongResults).as("invokes that returned a wrong value").isEmpty();
        assertThat(wrongThread.get()).as("tasks that ran on the wrong thread").isZero();
        assertThat(invokes.get()).as("the storm did something").isPositive();
        assertThat(executed.get()).as("tasks executed = tasks generated").isEqualTo(expectedTotal.get());
        StressSupport.summary("invoke storm: " + DISPATCHERS + " dispatchers, " + DRIVERS + " drivers, " + seconds
                + " s, " + n(invokes.get()) + " top-level invokes, " + n(executed.get()) + " tasks executed = "
                + n(expectedTotal.get()) + " generated, 0 wrong results, 0 wrong threads, in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }
}
