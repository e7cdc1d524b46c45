package dev.apartment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * The nested loop of a wait on a dispatcher thread under {@link WaitPolicy#CALLS} or
 * {@link WaitPolicy#CALLS_AND_MESSAGES}: it runs until the {@link Wait} has what it waits for, its deadline passes,
 * the deadlock check gives a verdict, or the dispatcher shuts down.
 *
 * <p>It does not obey {@link Dispatcher#exitAllFrames()}: a wait cannot return without its result, so only shutdown
 * unwinds it. Its {@link #deadline()} is the earliest of the wait's own deadline and its next deadlock check, so
 * the loop never parks past either; awaited futures that cannot notify are polled every millisecond.
 */
final class WaitFrame extends DispatcherFrame {
    private static final long POLL_NANOS = 1_000_000L;

    final Wait wait;
    private final boolean notifies;
    /** Whether an interrupt ends the wait; the idle loop then leaves the interrupt status for it to see. */
    final boolean interruptible;
    /** Set when an interrupt ended the wait (owner thread). */
    boolean interrupted;
    /**
     * The awaited operations of this dispatcher that the policy alone would not admit (messages under
     * {@link WaitPolicy#CALLS}): the wait runs them too, in their priority order. Empty in the common case.
     */
    final DispatcherOperation<?>[] ownHeldBack;

    WaitFrame(Wait wait, boolean notifies, Waits.OnInterrupt onInterrupt, Dispatcher dispatcher) {
        super(false);
        this.wait = wait;
        this.notifies = notifies;
        this.interruptible = onInterrupt == Waits.OnInterrupt.THROW;
        List<DispatcherOperation<?>> own = new ArrayList<>(0);
        if (wait.policy == WaitPolicy.CALLS) {
            for (Future<?> f : wait.awaited) {
                if (f instanceof DispatcherOperation && ((DispatcherOperation<?>) f).dispatcher() == dispatcher
                        && ((DispatcherOperation<?>) f).kind() == OperationKind.MESSAGE) {
                    own.add((DispatcherOperation<?>) f);
                }
            }
        }
        ownHeldBack = own.toArray(new DispatcherOperation<?>[0]);
    }

    @Override
    boolean keepRunning() {
        if (!super.keepRunning() || wait.satisfied() || wait.dispatcher.hasShutdownStarted()) {
            return false;
        }
        if (interruptible && Thread.currentThread().isInterrupted()) {
            interrupted = true;
            return false;
        }
        long now = System.nanoTime();
        if (wait.timedOut(now)) {
            return false;
        }
        String deadlock = WaitGraph.checkIfDue(wait, now);
        if (deadlock != null) {
            wait.deadlock = deadlock;
            return false;
        }
        return true;
    }

    @Override
    long deadline() {
        long d = wait.nextCheck;
        if (wait.deadline != Deadlines.NO_DEADLINE && wait.deadline - d < 0) {
            d = wait.deadline;
        }
        if (!notifies) {
            long poll = System.nanoTime() + POLL_NANOS;
            if (poll - d < 0) {
                d = poll;
            }
        }
        return d == Deadlines.NO_DEADLINE ? d + 1 : d;
    }

    @Override
    DispatcherOperation<?> next(Selection selection, int laneMask) {
        return ownHeldBack.length != 0 ? selection.nextForWait(ownHeldBack, laneMask) : selection.next(laneMask);
    }

    @Override
    Wait ownWait() {
        return wait;
    }

    @Override
    boolean endsOnInterrupt() {
        return interruptible;
    }

    @Override
    String traceKind() {
        return "wait";
    }
}
