package dev.apartment.webview;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherEvent;
import dev.apartment.DispatcherPriority;
import dev.apartment.OperationKind;
import dev.apartment.webview.internal.CdpException;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns protocol futures (completed on the connection's reader thread) into the public futures of one environment
 * or web view, completed on the owner thread as <em>calls</em> through {@link Dispatcher#callbacks()}, and keeps the
 * set of those still outstanding so that closing can fail them all.
 *
 * <p>Threads: {@link #deliver} and {@link #failAll} run on the owner thread, and so does every completion task, so
 * {@code outstanding} is owner-thread only. If the dispatcher has shut down the callbacks executor rejects the
 * task; the public future is then failed on the reader thread, where no owner code would ever run again anyway.
 */
final class Completions {

    private final Dispatcher dispatcher;
    /** Why the connection under these completions ended, in public terms: closed by the host or died. */
    private final BiFunction<Throwable, String, RuntimeException> connectionFailure;
    private final Set<CompletableFuture<?>> outstanding = new HashSet<>(); // owner thread only

    /**
     * An event source of the browser's: its raises are <em>calls</em>, like the completions, because the browser
     * calls into the apartment (WebView2's events reach the UI thread as COM calls). A synchronous wrapper's
     * {@code CALLS} wait must run them: the browser may hold a command's answer until a handler has run (Chromium
     * answers no script while a document request waits for its WebResourceRequested handler), and a handler
     * delivered as a message would never run during that wait.
     */
    static <A> DispatcherEvent<A> browserEvent(Dispatcher dispatcher) {
        return new DispatcherEvent<>(dispatcher, DispatcherPriority.NORMAL, OperationKind.CALL);
    }

    Completions(Dispatcher dispatcher, BiFunction<Throwable, String, RuntimeException> connectionFailure) {
        this.dispatcher = dispatcher;
        this.connectionFailure = connectionFailure;
    }

    /**
     * A public future for {@code what}: completed on the owner thread with {@code result} applied to the protocol
     * result, or with the failure in public terms. Owner thread.
     */
    <T> CompletableFuture<T> deliver(CompletableFuture<JsonNode> protocol, String what, Function<JsonNode, T> result) {
        CompletableFuture<T> out = new CompletableFuture<>();
        outstanding.add(out);
        protocol.whenComplete((r, e) -> {
            Runnable complete = () -> {
                outstanding.remove(out);
                if (out.isDone()) {
                    return; // failed by close() meanwhile
                }
                if (e != null) {
                    out.completeExceptionally(translate(e, what));
                    return;
                }
                try {
                    out.complete(result.apply(r));
                } catch (RuntimeException | Error t) {
                    out.completeExceptionally(t);
                }
            };
            try {
                dispatcher.callbacks().execute(complete);
            } catch (RejectedExecutionException rejected) {
                out.completeExceptionally(new IllegalStateException(what + " cannot complete: the owner "
                        + dispatcher + " has shut down", e == null ? rejected : e));
            }
        });
        return out;
    }

    /** Fails every outstanding future with a fresh exception from {@code why}. Owner thread. */
    void failAll(Supplier<RuntimeException> why) {
        for (CompletableFuture<?> f : new ArrayList<>(outstanding)) {
            f.completeExceptionally(why.get());
        }
        outstanding.clear();
    }

    /** {@code e} in public terms: a command's error names what was asked; a dead connection says why it died. */
    RuntimeException translate(Throwable e, String what) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof CdpException) {
            return new IllegalStateException(what + " failed: " + cause.getMessage(), cause);
        }
        if (cause instanceof WebViewScriptException || cause instanceof WebViewProcessFailedException) {
            return (RuntimeException) cause;
        }
        return connectionFailure.apply(cause, what);
    }
}
