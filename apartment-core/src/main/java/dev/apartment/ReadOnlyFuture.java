package dev.apartment;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link CompletableFuture} that only its owner completes ({@link #succeed}, {@link #fail}): every way to complete
 * it from outside throws {@link UnsupportedOperationException}, {@code orTimeout} and {@code completeOnTimeout}
 * return a new future (a timeout on this one could not complete it), and dependent stages are plain futures.
 * The future views of operations and of event raises are such futures.
 */
abstract class ReadOnlyFuture<T> extends CompletableFuture<T> {

    /** What the message of the refusal says: how this future does complete. */
    abstract String completesWhen();

    final void succeed(T value) {
        super.complete(value);
    }

    final void fail(Throwable t) {
        super.completeExceptionally(t);
    }

    private UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException(completesWhen());
    }

    @Override
    public boolean complete(T value) {
        throw readOnly();
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        throw readOnly();
    }

    @Override
    public void obtrudeValue(T value) {
        throw readOnly();
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
        throw readOnly();
    }

    /** A new future that ends like this one or times out: this one cannot be completed from outside. */
    @Override
    public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
        return copy().orTimeout(timeout, unit);
    }

    /** A new future that ends like this one or with {@code value} after the timeout (see orTimeout). */
    @Override
    public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
        return copy().completeOnTimeout(value, timeout, unit);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
