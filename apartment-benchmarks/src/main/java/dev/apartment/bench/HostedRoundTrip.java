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
 * {@link RoundTrip}'s measure for the hosted dispatchers and their toolkits, in one run: from a foreign thread, post
 * one task and wait (spin, then park: {@link Completion}) until it ran, the toolkit thread idle in between. JavaFX
 * has no synchronous invoke, so the round trip is a post and a wait for every peer, the same as in
 * {@link RoundTrip}: {@code SwingPump.dispatcher().post} against {@code EventQueue.invokeLater},
 * {@code FxPump.dispatcher().post} against {@code Platform.runLater}. SampleTime: the score is the mean, the JSON
 * has the percentiles.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Settings.AWT_HEADLESS, Settings.FX_GLASS, Settings.FX_MONOCLE, Settings.FX_PRISM,
        Settings.XMS, Settings.XMX, Settings.PRETOUCH})
public class HostedRoundTrip {

    @State(Scope.Benchmark)
    public static class Loop {
        @Param({Peers.AWT, Peers.SWING_PUMP, Peers.JAVAFX, Peers.FX_PUMP})
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
