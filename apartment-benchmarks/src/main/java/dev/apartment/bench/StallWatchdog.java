package dev.apartment.bench;

import static dev.apartment.bench.Settings.BATCH;

import dev.apartment.Dispatcher;
import dev.apartment.StallReport;
import dev.apartment.bench.peers.ApartmentLoop;
import dev.apartment.bench.peers.Peers;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Apartment only: the cost of the stall watchdog, off (the default) and on, on the hottest path there is, posts from
 * the owner thread to itself ({@link SelfPost}'s workload). The budget (1 s) is never exceeded, so what is measured
 * is the bookkeeping per operation, not reporting.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Settings.XMS, Settings.XMX})
public class StallWatchdog {

    /** A dispatcher and its self-posting batch; subclasses decide whether the watchdog is on. */
    public abstract static class Loop {
        ApartmentLoop loop;
        final TaskCounter counter = new TaskCounter();
        final Runnable postBatchFromLoop = () -> {
            Dispatcher d = loop.dispatcher();
            Runnable task = counter.task;
            for (int i = 0; i < BATCH; i++) {
                d.post(task);
            }
        };

        abstract boolean watchdog();

        @Setup(Level.Trial)
        public void start() throws Exception {
            loop = (ApartmentLoop) Peers.started(Peers.APARTMENT);
            if (watchdog()) {
                Consumer<StallReport> fail = r -> {
                    throw new IllegalStateException("no operation of this benchmark may stall: " + r);
                };
                loop.dispatcher().setStallWatchdog(Duration.ofSeconds(1), fail);
            }
        }

        @TearDown(Level.Iteration)
        public void verify() {
            counter.verify(loop);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            loop.stop();
        }

        void run() {
            counter.expect(BATCH);
            loop.post(postBatchFromLoop);
            counter.await(loop);
        }
    }

    @State(Scope.Benchmark)
    public static class Off extends Loop {
        @Override
        boolean watchdog() {
            return false;
        }
    }

    @State(Scope.Benchmark)
    public static class On extends Loop {
        @Override
        boolean watchdog() {
            return true;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void watchdogOff(Off l) {
        l.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void watchdogOn(On l) {
        l.run();
    }
}
