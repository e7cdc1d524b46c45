package dev.apartment.bench;

import dev.apartment.DispatcherPriority;
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

import java.util.concurrent.TimeUnit;

import static dev.apartment.bench.Settings.BATCH;

/**
 * Apartment only: the cost of priorities. One foreign producer posts a batch of {@value Settings#BATCH} counting
 * tasks with {@code post(task, priority)}, either spread round-robin over the 10 runnable levels (SYSTEM_IDLE ..
 * SEND) or all at NORMAL, then waits until all ran (in whatever order the priorities give). Posts per microsecond.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Settings.XMS, Settings.XMX, Settings.PRETOUCH})
public class MixedPriority {
    /** The 10 levels an operation can run at: INACTIVE never runs, INVALID is rejected. */
    static final DispatcherPriority[] RUNNABLE_LEVELS = {
        DispatcherPriority.SYSTEM_IDLE, DispatcherPriority.APPLICATION_IDLE, DispatcherPriority.CONTEXT_IDLE,
        DispatcherPriority.BACKGROUND, DispatcherPriority.INPUT, DispatcherPriority.LOADED, DispatcherPriority.RENDER,
        DispatcherPriority.DATA_BIND, DispatcherPriority.NORMAL, DispatcherPriority.SEND
    };

    @State(Scope.Benchmark)
    public static class Loop {
        @Param({Peers.APARTMENT})
        public String peer;
        ApartmentLoop loop;
        final TaskCounter counter = new TaskCounter();

        @Setup(Level.Trial)
        public void start() throws Exception {
            if (!Peers.APARTMENT.equals(peer)) {
                throw new IllegalArgumentException(peer + ": this benchmark is for Apartment only");
            }
            loop = (ApartmentLoop) Peers.started(peer);
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
    public void allLevels(Loop l) {
        TaskCounter c = l.counter;
        c.expect(BATCH);
        Runnable task = c.task;
        DispatcherPriority[] levels = RUNNABLE_LEVELS;
        ApartmentLoop loop = l.loop;
        for (int i = 0, k = 0; i < BATCH; i++) {
            loop.post(task, levels[k]);
            if (++k == levels.length) {
                k = 0;
            }
        }
        c.await(loop);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void normalOnly(Loop l) {
        TaskCounter c = l.counter;
        c.expect(BATCH);
        Runnable task = c.task;
        DispatcherPriority[] levels = RUNNABLE_LEVELS;
        ApartmentLoop loop = l.loop;
        for (int i = 0, k = 0; i < BATCH; i++) {
            loop.post(task, levels[8]); // NORMAL, through the same array read and counter as allLevels
            if (++k == levels.length) {
                k = 0;
            }
        }
        c.await(loop);
    }
}
