package dev.apartment.bench;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;
import dev.apartment.bench.peers.ApartmentLoop;
import dev.apartment.bench.peers.Peers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Apartment only: {@link DispatcherTimer}s. Nanoseconds per timer (or per tick), lower is better.
 * <ul>
 *   <li>{@code startStop1k} / {@code startStop10k} / {@code startStop100k}: on the owner thread (one
 *       {@code invoke}), start 1,000, 10,000 or 100,000 timers with distinct random intervals of 1-2 hours, then stop them in another random order. The
 *       score is the time per timer (one start plus one stop). O(n log n) in total means the per-timer figure grows
 *       like log n (plus cache misses once the timers outgrow the caches); an O(n) step per timer would make each
 *       size ~10 times slower per timer than the one before.</li>
 *   <li>{@code tick}: a zero-interval timer ticking {@value #TICKS} times in a row; the score is the cost of one tick
 *       (due check, the tick operation, the handler, rescheduling).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Settings.XMS, Settings.XMX, Settings.PRETOUCH})
public class Timers {
    static final int SMALL = 1_000;
    static final int MEDIUM = 10_000;
    static final int LARGE = 100_000;
    static final int TICKS = 10_000;

    @State(Scope.Benchmark)
    public static class Loop {
        @Param({Peers.APARTMENT})
        public String peer;
        ApartmentLoop loop;
        TimerSet small;
        TimerSet medium;
        TimerSet large;

        // tick benchmark
        DispatcherTimer ticker;
        final Completion ticked = new Completion();
        long ticks;       // owner thread
        long tickTarget;  // benchmark thread, published by start()

        @Setup(Level.Trial)
        public void start() throws Exception {
            if (!Peers.APARTMENT.equals(peer)) {
                throw new IllegalArgumentException(peer + ": this benchmark is for Apartment only");
            }
            loop = (ApartmentLoop) Peers.started(peer);
            Dispatcher d = loop.dispatcher();
            Random random = new Random(42);
            small = new TimerSet(d, SMALL, random);
            medium = new TimerSet(d, MEDIUM, random);
            large = new TimerSet(d, LARGE, random);
            ticker = new DispatcherTimer(DispatcherPriority.BACKGROUND, d);
            ticker.setInterval(Duration.ZERO);
            ticker.addTickHandler(t -> {
                if (++ticks == tickTarget) {
                    t.stop();
                    ticked.signal();
                }
            });
        }

        @TearDown(Level.Iteration)
        public void verify() {
            loop.dispatcher().invoke(() -> {
                small.verifyStopped();
                medium.verifyStopped();
                large.verifyStopped();
                if (ticker.isEnabled() || ticks != tickTarget) {
                    throw new IllegalStateException("tick timer: " + ticks + " ticks of " + tickTarget
                            + (ticker.isEnabled() ? ", still enabled" : ""));
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            loop.stop();
        }
    }

    /** {@code n} stopped timers, a random start order and another random stop order. */
    static final class TimerSet {
        final DispatcherTimer[] startOrder;
        final DispatcherTimer[] stopOrder;
        final Runnable startAndStopAll = this::startAndStopAll;

        TimerSet(Dispatcher d, int n, Random random) {
            startOrder = new DispatcherTimer[n];
            for (int i = 0; i < n; i++) {
                DispatcherTimer t = new DispatcherTimer(DispatcherPriority.BACKGROUND, d);
                t.setInterval(Duration.ofHours(1).plusNanos((long) (random.nextDouble() * 3.6e12)));
                startOrder[i] = t;
            }
            stopOrder = startOrder.clone();
            shuffle(startOrder, random);
            shuffle(stopOrder, random);
        }

        /** Owner thread. */
        void startAndStopAll() {
            for (DispatcherTimer t : startOrder) {
                t.start();
            }
            for (DispatcherTimer t : stopOrder) {
                t.stop();
            }
        }

        void verifyStopped() {
            for (DispatcherTimer t : startOrder) {
                if (t.isEnabled()) {
                    throw new IllegalStateException("a timer is still enabled after stop(): " + t);
                }
            }
        }

        private static void shuffle(DispatcherTimer[] a, Random random) {
            for (int i = a.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                DispatcherTimer x = a[i];
                a[i] = a[j];
                a[j] = x;
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SMALL)
    public void startStop1k(Loop l) {
        l.loop.dispatcher().invoke(l.small.startAndStopAll);
    }

    @Benchmark
    @OperationsPerInvocation(MEDIUM)
    public void startStop10k(Loop l) {
        l.loop.dispatcher().invoke(l.medium.startAndStopAll);
    }

    @Benchmark
    @OperationsPerInvocation(LARGE)
    public void startStop100k(Loop l) {
        l.loop.dispatcher().invoke(l.large.startAndStopAll);
    }

    @Benchmark
    @OperationsPerInvocation(TICKS)
    public void tick(Loop l) {
        l.ticked.reset();
        l.tickTarget += TICKS;
        l.ticker.start();
        if (!l.ticked.await(TaskCounter.TIMEOUT_NANOS)) {
            throw new IllegalStateException("apartment: timer ticked " + l.ticks + " of " + l.tickTarget
                    + " times within 60 s");
        }
    }
}
