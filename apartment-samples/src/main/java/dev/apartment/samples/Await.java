package dev.apartment.samples;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounded waits for the thread that drives a sample. A sample is a demonstration, not a server: if something it
 * waits for never happens, the tour must fail with a message naming what it was waiting for, not hang the terminal.
 */
final class Await {
    /** Far more than any sample step needs, well inside the tests' 30 s timeouts. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private Await() {
    }

    static <T> T result(CompletionStage<T> stage, String what) throws InterruptedException {
        try {
            return stage.toCompletableFuture().get(LIMIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new CompletionException(what + " failed", cause);
        } catch (CancellationException e) {
            throw new IllegalStateException(what + " was cancelled", e);
        } catch (TimeoutException e) {
            throw timedOut(what);
        }
    }

    static void latch(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(LIMIT.toNanos(), TimeUnit.NANOSECONDS)) {
            throw timedOut(what);
        }
    }

    static void join(Thread thread) throws InterruptedException {
        thread.join(LIMIT.toMillis());
        if (thread.isAlive()) {
            throw timedOut("thread '" + thread.getName() + "' to end");
        }
    }

    private static IllegalStateException timedOut(String what) {
        return new IllegalStateException("gave up waiting for " + what + " after " + LIMIT.toSeconds() + " s");
    }
}
