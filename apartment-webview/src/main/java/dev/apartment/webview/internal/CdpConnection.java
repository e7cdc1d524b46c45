package dev.apartment.webview.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One DevTools WebSocket connection to a browser: commands with ids whose responses complete futures, events
 * routed by {@code sessionId} to the listener of a flattened target session (or to the browser listener), and one
 * terminal failure that fails everything pending.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>{@link #send} may be called from any thread. Sends are chained, one outstanding at a time (the JDK's
 *       WebSocket allows no more), so the browser receives commands in the order {@code send} was called.</li>
 *   <li>Incoming frames are handled on one <em>reader</em> thread at a time (the WebSocket's listener, run on the
 *       shared I/O pool): it completes command futures and calls event listeners, in the order the browser sent
 *       them. Futures returned by {@code send} therefore complete on the reader thread; the public API never
 *       exposes them, it continues them on the owner dispatcher ({@code Dispatcher.callbacks()}).</li>
 * </ul>
 *
 * <h2>Invariants and happens-before</h2>
 * <ul>
 *   <li>{@code failure} is set once (CAS). After it is set, every pending future fails with it and every later
 *       {@code send} returns a failed future: a command registered concurrently with the failure is failed by
 *       whichever of the two sees the other (the sender re-checks after registering).</li>
 *   <li>A response is matched to its command by id through {@code pending} (a concurrent map): the put in
 *       {@code send} happens-before the text is handed to the socket, so the reader always finds it.</li>
 * </ul>
 */
public final class CdpConnection {

    /** Shared by every connection: a client's selector thread and pool are per client, not per connection. */
    private static final class Io {
        static final ThreadPoolExecutor POOL;
        static final HttpClient CLIENT;

        static {
            AtomicInteger n = new AtomicInteger();
            // At most two threads however many browsers: every listener callback is short and never blocks.
            POOL = new ThreadPoolExecutor(2, 2, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "apartment-webview-io-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            POOL.allowCoreThreadTimeOut(true);
            CLIENT = HttpClient.newBuilder().executor(POOL).connectTimeout(Duration.ofSeconds(10)).build();
        }
    }

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, CdpEventListener> sessions = new ConcurrentHashMap<>();
    private volatile CdpEventListener browserListener = (m, p) -> { };
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CompletableFuture<Throwable> terminated = new CompletableFuture<>();
    private final Object sendLock = new Object();
    private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null); // guarded by sendLock
    private volatile WebSocket socket;

    private record Pending(String method, CompletableFuture<JsonNode> future) {
    }

    private CdpConnection() {
    }

    /** Connects to {@code uri}, a DevTools WebSocket address. */
    public static CompletableFuture<CdpConnection> open(URI uri) {
        CdpConnection c = new CdpConnection();
        return Io.CLIENT.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, c.new Reader())
                .thenApply(ws -> {
                    c.socket = ws;
                    return c;
                });
    }

    /** Sets the listener of events that belong to no session (the browser target's own). */
    public void setBrowserListener(CdpEventListener listener) {
        this.browserListener = Objects.requireNonNull(listener, "listener");
    }

    /** Routes the events of {@code sessionId} to {@code listener} from now on. */
    public void addSession(String sessionId, CdpEventListener listener) {
        sessions.put(sessionId, listener);
    }

    /** Stops routing the events of {@code sessionId}. */
    public void removeSession(String sessionId) {
        sessions.remove(sessionId);
    }

    /** A command on the browser target. */
    public CompletableFuture<JsonNode> send(String method, ObjectNode params) {
        return send(null, method, params);
    }

    /**
     * Sends a command to the target of {@code sessionId} (null: the browser) and returns its result, completed on
     * the reader thread: exceptionally with a {@link CdpException} if the browser answered with an error, or with
     * the connection's failure if it ended first. Any thread.
     */
    public CompletableFuture<JsonNode> send(String sessionId, String method, ObjectNode params) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        Throwable failed = failure.get();
        if (failed != null) {
            f.completeExceptionally(failed);
            return f;
        }
        long id = ids.incrementAndGet();
        ObjectNode msg = Json.object();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", params == null ? Json.object() : params);
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        String text = Json.write(msg);
        pending.put(id, new Pending(method, f));
        failed = failure.get();
        if (failed != null) { // failed between the first check and the put: fail() may have missed this one
            pending.remove(id);
            f.completeExceptionally(failed);
            return f;
        }
        synchronized (sendLock) {
            sendTail = sendTail.handle((x, e) -> null)
                    .thenCompose(x -> socket.sendText(text, true))
                    .whenComplete((ws, e) -> {
                        if (e != null) {
                            Pending p = pending.remove(id);
                            if (p != null) {
                                p.future.completeExceptionally(e);
                            }
                        }
                    });
        }
        return f;
    }

    /** Completes with the failure once the connection has ended, for whatever reason. */
    public CompletableFuture<Throwable> terminated() {
        return terminated;
    }

    /** The failure that ended the connection, or null while it is open. */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * Ends the connection with {@code cause}: every pending and later command fails with it; the socket is
     * aborted. Only the first call counts. Any thread.
     */
    public void fail(Throwable cause) {
        if (!failure.compareAndSet(null, cause)) {
            return;
        }
        for (Long id : pending.keySet()) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.future.completeExceptionally(cause);
            }
        }
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        terminated.complete(cause);
    }

    /** The number of commands waiting for their response; for tests. */
    int pendingCount() {
        return pending.size();
    }

    private void onMessage(String text) {
        JsonNode msg;
        try {
            msg = Json.parse(text);
        } catch (IllegalArgumentException e) {
            return; // the browser never sends broken JSON; if it did, dropping it beats killing the reader
        }
        JsonNode id = msg.get("id");
        if (id != null) {
            Pending p = pending.remove(id.asLong());
            if (p == null) {
                return;
            }
            JsonNode error = msg.get("error");
            if (error != null) {
                p.future.completeExceptionally(new CdpException(p.method, error.path("code").asInt(),
                        error.path("message").asText() + (error.has("data") ? ": " + error.get("data").asText()
                                : "")));
            } else {
                p.future.complete(msg.path("result"));
            }
            return;
        }
        String method = msg.path("method").asText();
        JsonNode params = msg.has("params") ? msg.get("params") : Json.object();
        JsonNode sessionId = msg.get("sessionId");
        CdpEventListener l = sessionId == null ? browserListener : sessions.get(sessionId.asText());
        if (l != null) {
            try {
                l.onEvent(method, params);
            } catch (RuntimeException e) {
                // A listener bug must not stop the reader, which serves every other target of the browser.
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
    }

    /** The WebSocket listener: one callback at a time, which is what makes the reader a single logical thread. */
    private final class Reader implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE); // no back-pressure: every frame is parsed and handed on at once
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (!last) {
                partial.append(data);
                return null;
            }
            String text;
            if (partial.length() == 0) {
                text = data.toString();
            } else {
                partial.append(data);
                text = partial.toString();
                partial.setLength(0);
            }
            onMessage(text);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            fail(new IllegalStateException("the DevTools connection was closed (" + statusCode
                    + (reason == null || reason.isEmpty() ? "" : ", " + reason) + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fail(new IllegalStateException("the DevTools connection failed: " + error, error));
        }
    }
}
