package dev.apartment.bench;

import dev.apartment.bench.peers.EventLoopAdapter;
import dev.apartment.bench.peers.Peers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Latency of one post from a foreign thread: post one task, wait (spin, then park: {@link Completion}) until it ran.
 * The loop is idle between round trips, so this includes waking it. SampleTime mode: the score is the mean; the
 * JSON has the percentiles (p50, p90, p99, ...).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Settings.AWT_HEADLESS, Settings.FX_GLASS, Settings.FX_MONOCLE, Settings.FX_PRISM,
        Settings.XMS, Settings.XMX, Settings.PRETOUCH})
public class RoundTrip {

    @State(Scope.Benchmark)
    public static class Loop {
        @Param({Peers.FLOOR, Peers.APARTMENT, Peers.NETTY, Peers.EXECUTOR, Peers.AWT, Peers.JAVAFX})
        public String peer;
        EventLoopAdapter loop;
        final TaskCounter counter = new TaskCounter();

        @Setup(Level.Trial)
        public void start() throws Exception {
            loop = Peers.started(peer);
        }

        @TearDown(Level.Iteration)
        public void verify() {
            counter.verify(loop);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            loop.stop();
        }
    }

    @Benchmark
    public void postAndWait(Loop l) {
        TaskCounter c = l.counter;
        c.expect(1);
        l.loop.post(c.task);
        c.await(l.loop);
    }
}
