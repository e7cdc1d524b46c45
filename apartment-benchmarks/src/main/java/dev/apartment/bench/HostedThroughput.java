package dev.apartment.bench;

import dev.apartment.bench.peers.EventLoopAdapter;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

import static dev.apartment.bench.Settings.BATCH;

/**
 * The dispatchers hosted on the toolkits' own threads against the toolkits' own post, in one run:
 * {@code SwingPump.dispatcher().post} against {@code EventQueue.invokeLater} (both headless), and
 * {@code FxPump.dispatcher().post} against {@code Platform.runLater} (both on Monocle's headless platform).
 * The workload is {@link PostThroughput#oneProducer}'s: one foreign thread posts a batch of {@value Settings#BATCH}
 * preallocated counting tasks, then waits until all of them ran. Posts per microsecond; with {@code -prof gc},
 * {@code gc.alloc.rate.norm} is the bytes allocated per post (all threads).
 *
 * <p>A class of its own, not more peers of {@link PostThroughput}: the hosted peers compare with the toolkit they
 * run on, not with the event loops of the main table, and the report keeps them in a table of their own.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Settings.AWT_HEADLESS, Settings.FX_GLASS, Settings.FX_MONOCLE, Settings.FX_PRISM,
        Settings.XMS, Settings.XMX, Settings.PRETOUCH})
public class HostedThroughput {

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
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void oneProducer(Loop l) {
        PostThroughput.postBatch(l.loop, l.counter);
    }
}
