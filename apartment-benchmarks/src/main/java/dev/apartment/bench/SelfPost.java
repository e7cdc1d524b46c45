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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

import static dev.apartment.bench.Settings.BATCH;

/**
 * Posts from the loop thread to its own loop, the common UI case: one task posted from the benchmark thread runs on
 * the loop and posts {@value Settings#BATCH} counting tasks to the same loop; the benchmark thread waits until all of
 * them ran. Posts per microsecond (one cross-thread post and wait per batch is included, amortised over the batch).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Settings.AWT_HEADLESS, Settings.FX_GLASS, Settings.FX_MONOCLE, Settings.FX_PRISM,
        Settings.XMS, Settings.XMX, Settings.PRETOUCH})
public class SelfPost {

    @State(Scope.Benchmark)
    public static class Loop {
        @Param({Peers.FLOOR, Peers.APARTMENT, Peers.NETTY, Peers.EXECUTOR, Peers.AWT, Peers.JAVAFX})
        public String peer;
        EventLoopAdapter loop;
        final TaskCounter counter = new TaskCounter();
        /** Runs on the loop thread and posts the batch to the loop it runs on. */
        final Runnable postBatchFromLoop = () -> {
            EventLoopAdapter l = loop;
            if (!l.isLoopThread()) {
                throw new IllegalStateException(peer + ": the batch-posting task runs off the loop thread");
            }
            Runnable task = counter.task;
            for (int i = 0; i < BATCH; i++) {
                l.post(task);
            }
        };

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
    @OperationsPerInvocation(BATCH)
    public void ownerPostsBatch(Loop l) {
        TaskCounter c = l.counter;
        c.expect(BATCH);
        l.loop.post(l.postBatchFromLoop);
        c.await(l.loop);
    }
}
