package dev.apartment;

import java.time.Duration;
import java.util.List;

/**
 * What the stall watchdog saw: an operation that has run on its dispatcher's thread for longer than the budget, and
 * where that thread was at that moment. Delivered while the stall lasts, once per stalled operation (see
 * {@link Dispatcher#setStallWatchdog(Duration, java.util.function.Consumer)}).
 *
 * <p>{@link #toString()} is the report as a log would show it:
 * <pre>
 * stall: Dispatcher[ui] has been running DispatcherOperation[EXECUTING, NORMAL, MESSAGE, on Dispatcher[ui]] for 212 ms
 * (budget 100 ms); thread 'ui' is at:
 * 	at java.base/java.lang.Thread.sleep(Native Method)
 * 	at com.example.Editor.save(Editor.java:42)
 * 	...
 * </pre>
 */
public final class StallReport {
    private final Dispatcher dispatcher;
    private final DispatcherOperation<?> operation;
    private final Duration runningFor;
    private final Duration budget;
    private final List<StackTraceElement> stack;

    StallReport(Dispatcher dispatcher, DispatcherOperation<?> operation, Duration runningFor, Duration budget,
            StackTraceElement[] stack) {
        this.dispatcher = dispatcher;
        this.operation = operation;
        this.runningFor = runningFor;
        this.budget = budget;
        this.stack = List.of(stack);
    }

    /** {@return the dispatcher whose thread is stalled} */
    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** {@return the operation that has run for too long (it may have ended by the time the report is read)} */
    public DispatcherOperation<?> operation() {
        return operation;
    }

    /** {@return its priority} */
    public DispatcherPriority priority() {
        return operation.priority();
    }

    /** {@return its kind} */
    public OperationKind kind() {
        return operation.kind();
    }

    /**
     * {@return how long it had run, at least, when the stack was taken} The watchdog times it with its own looks,
     * every quarter budget, so the true figure may be up to one look longer.
     */
    public Duration runningFor() {
        return runningFor;
    }

    /** {@return the budget it exceeded} */
    public Duration budget() {
        return budget;
    }

    /** {@return the owner thread's stack when the stall was seen, innermost frame first} */
    public List<StackTraceElement> ownerStack() {
        return stack;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("stall: ").append(dispatcher).append(" has been running ")
                .append(operation).append(" for ").append(runningFor.toMillis()).append(" ms (budget ")
                .append(budget.toMillis()).append(" ms); thread '").append(dispatcher.thread().getName())
                .append("' is at:\n");
        return sb.append(stackText()).toString();
    }

    /** The owner's stack, one {@code \tat frame} line per element, the way a stack trace prints. */
    String stackText() {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : stack) {
            sb.append(sb.length() == 0 ? "" : "\n").append("\tat ").append(e);
        }
        return sb.toString();
    }
}
