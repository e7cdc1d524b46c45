package dev.apartment.webview;

import dev.apartment.webview.internal.CdpConnection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Keeps forwarded input ahead of the page commands sent after it: the order {@link WebViewController#sendMouseInput}
 * promises.
 *
 * <p>Why it is needed: Chromium carries {@code Input.dispatch*Event} to the renderer on its input channel and
 * {@code Runtime.evaluate} on the DevTools channel, two pipes with no order between them; on a loaded machine a
 * script sent right after eight key events ran before the first of them (CI saw an input focused and still empty).
 * Chromium answers an input command once the renderer has handled the event, so a page command sent while input is
 * unanswered is held back until every earlier input is answered (successfully or not), and page commands held back
 * are written in the order they were sent. Input itself is never held back, and neither are commands the page may
 * be waiting for (a paused request's {@code Fetch.*} answer: a key handler can be blocked on a synchronous request).
 *
 * <p>Threads: {@link #input} and {@link #pageCommand} on the owner thread only (the two futures are owner-thread
 * state); a held-back command is written by whichever thread completes the last future it waits for (the
 * connection's reader thread, as a rule), which {@link CdpConnection#send(String, String, ObjectNode)} allows. The
 * write of a held-back command happens-after the answer of every input sent before it.
 */
final class InputOrder {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Completes once every input sent so far is answered. */
    private CompletableFuture<?> inputAnswered = DONE;
    /** Completes once every page command held back so far is written. */
    private CompletableFuture<?> heldWritten = DONE;

    /** Sends input at once and remembers its answer. Owner thread. */
    CompletableFuture<JsonNode> input(CompletableFuture<JsonNode> sent) {
        inputAnswered = inputAnswered.isDone() ? sent : CompletableFuture.allOf(inputAnswered, sent);
        return sent;
    }

    /**
     * Sends a page command ({@code send} writes it) at once if no input is unanswered and nothing is held back,
     * otherwise after both. Owner thread.
     */
    CompletableFuture<JsonNode> pageCommand(String method, ObjectNode params,
                                            BiFunction<String, ObjectNode, CompletableFuture<JsonNode>> send) {
        if (inputAnswered.isDone() && heldWritten.isDone()) {
            return send.apply(method, params);
        }
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        heldWritten = CompletableFuture.allOf(inputAnswered, heldWritten)
                .handle((x, e) -> null) // a failed input or write does not hold later commands for ever
                .thenRun(() -> {
                    try {
                        send.apply(method, params).whenComplete((r, e) -> {
                            if (e != null) {
                                result.completeExceptionally(e);
                            } else {
                                result.complete(r);
                            }
                        });
                    } catch (RuntimeException | Error e) {
                        result.completeExceptionally(e);
                        throw e;
                    }
                });
        return result;
    }
}
