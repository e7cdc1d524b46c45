package dev.apartment.bench;

import static dev.apartment.bench.Settings.BATCH;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Apartment only: what the Flight Recorder events cost on the hottest path, posts from the owner thread to itself
 * ({@link SelfPost}'s workload).
 * <ul>
 *   <li>{@code none}: no recording. The event classes are then not instrumented: this must match {@code SelfPost}.
 *   </li>
 *   <li>{@code defaults}: a recording with Apartment's events at their default settings: frames, waits, stalls and
 *       deadlock diagnoses on, the per-operation event off. Nothing in this workload is recorded.</li>
 *   <li>{@code slowOperations}: the per-operation event on with its 10 ms threshold: every post reads the clock for
 *       the queue wait and every operation is timed, but none is long enough to be written.</li>
 *   <li>{@code everything}: every event at threshold 0: every operation is written to the recording.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {Settings.XMS, Settings.XMX, Settings.PRETOUCH})
public class FlightRecorder {
    static final String OPERATION = "dev.apartment.OperationRun";
    static final String[] EVENTS = {OPERATION, "dev.apartment.Frame", "dev.apartment.Wait",
        "dev.apartment.Stall", "dev.apartment.DeadlockDiagnosis"};

    @State(Scope.Benchmark)
    public static class Loop extends SelfPostingApartment {
        @Param({"none", "defaults", "slowOperations", "everything"})
        public String recording;

        Recording jfr;

        @Override
        void beforeStart() {
            if (recording.equals("none")) {
                return;
            }
            jfr = new Recording();
            jfr.setToDisk(false);
            jfr.setMaxSize(64L << 20);
            for (String event : EVENTS) {
                switch (recording) {
                    case "defaults":
                        if (!event.equals(OPERATION)) {
                            jfr.enable(event);
                        }
                        break;
                    case "slowOperations":
                        jfr.enable(event);
                        break;
                    case "everything":
                        jfr.enable(event).withThreshold(Duration.ZERO);
                        break;
                    default:
                        throw new IllegalArgumentException(
                                "recording: none, defaults, slowOperations or everything, not " + recording);
                }
            }
            jfr.start();
        }

        @Override
        void afterStop() {
            if (jfr != null) {
                jfr.close();
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void ownerPostsBatch(Loop l) {
        l.run();
    }
}
