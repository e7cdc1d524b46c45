package dev.apartment.bench;

import static dev.apartment.bench.Settings.BATCH;

import dev.apartment.StallReport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
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
@Fork(value = 3, jvmArgsAppend = {Settings.XMS, Settings.XMX, Settings.PRETOUCH})
public class StallWatchdog {

    /** The self-posting dispatcher; subclasses decide whether the watchdog is on. */
    public abstract static class Loop extends SelfPostingApartment {
        abstract boolean watchdog();

        @Override
        void afterStart() {
            if (watchdog()) {
                Consumer<StallReport> fail = r -> {
                    throw new IllegalStateException("no operation of this benchmark may stall: " + r);
                };
                loop.dispatcher().setStallWatchdog(Duration.ofSeconds(1), fail);
            }
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
