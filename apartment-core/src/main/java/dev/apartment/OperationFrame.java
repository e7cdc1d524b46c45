package dev.apartment;

/**
 * The nested frame of a wait on the owner thread: it runs until the awaited operation ends or a deadline passes.
 * Like every wait frame it obeys exit requests, so shutdown unwinds it.
 */
final class OperationFrame extends DispatcherFrame {
    private final DispatcherOperation<?> operation;
    private final long deadline;

    OperationFrame(DispatcherOperation<?> operation, long deadline) {
        super(true);
        this.operation = operation;
        this.deadline = deadline;
    }

    @Override
    boolean keepRunning() {
        return super.keepRunning() && !operation.isDone()
                && (deadline == Dispatcher.NO_DEADLINE || System.nanoTime() - deadline < 0);
    }

    @Override
    long deadline() {
        return deadline;
    }
}
