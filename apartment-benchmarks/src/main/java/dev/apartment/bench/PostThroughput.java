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

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static dev.apartment.bench.Settings.BATCH;

/**
 * Post throughput from foreign threads: each producer posts a batch of {@value Settings#BATCH} preallocated counting
 * tasks, then waits until all of them ran (see {@link TaskCounter}). Scores are posts per microsecond (millions per
 * second), summed over the producers; with {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per
 * post (all threads).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Settings.AWT_HEADLESS, Settings.FX_GLASS, Settings.FX_MONOCLE, Settings.FX_PRISM,
        Settings.XMS, Settings.XMX, Settings.PRETOUCH})
public class PostThroughput {

    /**
     * The loop, shared by the producers. Its trial tear-down first verifies every producer's count, then stops the
     * loop. (Not per producer in an iteration tear-down: JMH lets the first thread done tear the shared state down
     * while another thread may still be in its own tear-down.)
     */
    @State(Scope.Benchmark)
    public static class Loop {
        @Param({Peers.FLOOR, Peers.APARTMENT, Peers.NETTY, Peers.EXECUTOR, Peers.AWT, Peers.JAVAFX})
        public String peer;
        EventLoopAdapter loop;
        final Queue<TaskCounter> counters = new ConcurrentLinkedQueue<>();

        @Setup(Level.Trial)
        public void start() throws Exception {
            loop = Peers.started(peer);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            try {
                for (TaskCounter c : counters) {
                    c.verify(loop);
                }
            } finally {
                loop.stop();
            }
        }
    }

    /** One per producer thread. */
    @State(Scope.Thread)
    public static class Producer {
        final TaskCounter counter = new TaskCounter();

        @Setup(Level.Trial)
        public void register(Loop l) {
            l.counters.add(counter);
        }
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void oneProducer(Loop l, Producer p) {
        postBatch(l.loop, p.counter);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public void twoProducers(Loop l, Producer p) {
        postBatch(l.loop, p.counter);
    }

    static void postBatch(EventLoopAdapter loop, TaskCounter counter) {
        counter.expect(BATCH);
        Runnable task = counter.task;
        for (int i = 0; i < BATCH; i++) {
            loop.post(task);
        }
        counter.await(loop);
    }
}
