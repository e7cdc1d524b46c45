package dev.apartment;

import java.lang.reflect.Constructor;
import java.util.concurrent.atomic.AtomicInteger;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lincheck model check of the {@link DispatcherOperation} state machine: {@link DispatcherOperation#abort()} and
 * {@link DispatcherOperation#setPriority} from any thread, {@link DispatcherOperation#status()} from any thread, and
 * the owner ({@code nonParallelGroup = "owner"}, one thread at a time) starting and running it the way the
 * dispatcher does: read the state word, {@code tryStart(observed)} (again after losing to a priority change), then
 * {@code execute()}.
 *
 * <p>The owner's start and run are two operations, {@link #tryStart()} and {@link #execute()}, not one: between
 * them the operation is EXECUTING, which a concurrent {@link #status()} can see, so a single "start and run" step
 * could not be linearized against any sequential specification that also has {@code status()}. The specification
 * ({@link Spec}) is the documented machine: PENDING→EXECUTING→COMPLETED, PENDING→ABORTED, abort and setPriority
 * succeed only while PENDING. Linearizability against it covers "abort() returns true only while pending" and
 * "setPriority returns true only while pending"; {@link #validate()} checks after each part of every scenario that
 * at most one of {run, abort} won, that the task ran at most once, and that the status is COMPLETED iff it ran and
 * ABORTED iff an abort won, and that {@link Dispatcher#metrics()} (counted by the winners of those CASes) shows the
 * operation queued at its current priority exactly while it is pending.
 *
 * <p>The operation belongs to a fresh dispatcher per scenario that is never started (its owner thread is an
 * unstarted {@link Thread}), so every Lincheck thread is a foreign thread to it: abort and setPriority take their
 * cross-thread paths (a control node into the inbox, a wake-up that finds nobody parked).
 */
@Param(name = "priority", gen = IntGen.class, conf = "0:3")
public class OperationStateLincheckTest {

    private static final DispatcherPriority[] PRIORITIES = {
        DispatcherPriority.INACTIVE, DispatcherPriority.BACKGROUND, DispatcherPriority.NORMAL, DispatcherPriority.SEND
    };

    private static final Constructor<Dispatcher> NEW_DISPATCHER;

    static {
        try {
            NEW_DISPATCHER = Dispatcher.class.getDeclaredConstructor(Thread.class, DispatcherPump.class);
            NEW_DISPATCHER.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger abortsWon = new AtomicInteger();
    private final DispatcherOperation<Void> op;
    /** Owner only: this owner started the operation and has not run it yet. */
    private boolean started;

    public OperationStateLincheckTest() throws ReflectiveOperationException {
        Dispatcher d = NEW_DISPATCHER.newInstance(new Thread("never started"), null);
        op = new DispatcherOperation<>(d, new CountRun(runs), DispatcherPriority.NORMAL.value(), 0);
        d.counters.postedByForeign(DispatcherPriority.NORMAL.value(), Thread.currentThread()); // as enqueue does
    }

    /** The task: counts its runs (a class, not a lambda, so that Lincheck sees a plain field). */
    private static final class CountRun implements Runnable {
        private final AtomicInteger runs;

        CountRun(AtomicInteger runs) {
            this.runs = runs;
        }

        @Override
        public void run() {
            runs.incrementAndGet();
        }
    }

    // --- any thread ---------------------------------------------------------------------------------------

    @Operation
    public boolean abort() {
        boolean won = op.abort();
        if (won) {
            abortsWon.incrementAndGet();
        }
        return won;
    }

    @Operation
    public boolean setPriority(@Param(name = "priority") int p) {
        return op.setPriority(PRIORITIES[p]);
    }

    @Operation
    public DispatcherOperationStatus status() {
        return op.status();
    }

    // --- the owner ----------------------------------------------------------------------------------------

    /** What the dispatcher does: read the state word, CAS PENDING→EXECUTING from it, re-read after losing a race. */
    @Operation(nonParallelGroup = "owner")
    public boolean tryStart() {
        for (;;) {
            int s = op.stateWord();
            if (!DispatcherOperation.isPending(s)) {
                return false;
            }
            if (op.tryStart(s)) {
                op.dispatcher().counters.started(DispatcherOperation.level(s)); // as Dispatcher.runOperation does
                started = true;
                return true;
            }
        }
    }

    /** Runs the operation if this owner started it and has not run it yet. */
    @Operation(nonParallelGroup = "owner")
    public boolean execute() {
        if (!started) {
            return false;
        }
        started = false;
        if (op.execute() != null) {
            throw new AssertionError("the task threw");
        }
        return true;
    }

    @Validate
    public void validate() {
        int ran = runs.get();
        int aborted = abortsWon.get();
        DispatcherOperationStatus status = op.status();
        if (ran > 1 || aborted > 1 || ran + aborted > 1) {
            throw new AssertionError("more than one winner: ran " + ran + " times, aborted " + aborted + " times");
        }
        if ((status == DispatcherOperationStatus.COMPLETED) != (ran == 1)) {
            throw new AssertionError("status " + status + " but the task ran " + ran + " times");
        }
        if ((status == DispatcherOperationStatus.ABORTED) != (aborted == 1)) {
            throw new AssertionError("status " + status + " but " + aborted + " aborts won");
        }
        if ((status == DispatcherOperationStatus.EXECUTING) != started) {
            throw new AssertionError("status " + status + " but started-and-not-run is " + started);
        }
        // the metrics, counted by the winners of the CASes: the operation is queued at its priority iff pending
        DispatcherMetrics m = op.dispatcher().metrics();
        long queued = status == DispatcherOperationStatus.PENDING ? 1 : 0;
        if (m.queueDepth() != queued || m.queueDepth(op.priority()) != queued || m.aborted() != aborted) {
            throw new AssertionError("status " + status + ", " + aborted + " aborts won, but " + m);
        }
    }

    /** The sequential specification: the documented state machine. */
    public static class Spec {
        private DispatcherOperationStatus status = DispatcherOperationStatus.PENDING;

        public boolean abort() {
            if (status != DispatcherOperationStatus.PENDING) {
                return false;
            }
            status = DispatcherOperationStatus.ABORTED;
            return true;
        }

        public boolean setPriority(int p) {
            return status == DispatcherOperationStatus.PENDING;
        }

        public DispatcherOperationStatus status() {
            return status;
        }

        public boolean tryStart() {
            if (status != DispatcherOperationStatus.PENDING) {
                return false;
            }
            status = DispatcherOperationStatus.EXECUTING;
            return true;
        }

        public boolean execute() {
            if (status != DispatcherOperationStatus.EXECUTING) {
                return false;
            }
            status = DispatcherOperationStatus.COMPLETED;
            return true;
        }
    }

    @Test
    @Timeout(120)
    void modelCheck() {
        new ModelCheckingOptions()
                .sequentialSpecification(Spec.class)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .iterations(Integer.getInteger("lincheck.iterations", 10))
                .invocationsPerIteration(Integer.getInteger("lincheck.invocations", 100))
                .check(OperationStateLincheckTest.class);
    }
}
