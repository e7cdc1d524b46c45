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
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A synchronous call from a foreign thread, each peer with its own API: Apartment's {@code invoke(Callable)} (SEND),
 * AWT's {@code invokeAndWait}, the executor's {@code submit().get()}, Netty's {@code submit().sync()}. The floor and
 * JavaFX have no such call and take no part. The callable returns a preallocated token (no boxing), checked and
 * consumed. SampleTime mode: mean and percentiles.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Settings.AWT_HEADLESS, Settings.FX_GLASS, Settings.FX_MONOCLE, Settings.FX_PRISM,
        Settings.XMS, Settings.XMX, Settings.PRETOUCH})
public class Invoke {
    static final Object TOKEN = new Object();

    @State(Scope.Benchmark)
    public static class Loop {
        @Param({Peers.APARTMENT, Peers.NETTY, Peers.EXECUTOR, Peers.AWT})
        public String peer;
        EventLoopAdapter loop;
        long calls;          // loop thread
        long expectedCalls;  // benchmark thread
        final Callable<Object> call = () -> {
            if (!loop.isLoopThread()) {
                throw new IllegalStateException(peer + ": invoke ran off the loop thread");
            }
            calls++;
            return TOKEN;
        };

        @Setup(Level.Trial)
        public void start() throws Exception {
            loop = Peers.started(peer);
            if (!loop.supportsInvoke()) {
                throw new IllegalStateException(peer + " has no synchronous invoke");
            }
        }

        @TearDown(Level.Iteration)
        public void verify() {
            if (calls != expectedCalls) { // invoke's return publishes calls
                throw new IllegalStateException(peer + ": " + calls + " calls ran, " + expectedCalls + " returned");
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            loop.stop();
        }
    }

    @Benchmark
    public void invoke(Loop l, Blackhole bh) throws Exception {
        Object r = l.loop.invoke(l.call);
        if (r != TOKEN) {
            throw new IllegalStateException(l.peer + ": invoke returned " + r);
        }
        l.expectedCalls++;
        bh.consume(r);
    }
}
