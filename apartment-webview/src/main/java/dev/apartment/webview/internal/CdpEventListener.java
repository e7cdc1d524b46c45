package dev.apartment.webview.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives the DevTools events of one session (or of the browser). Called on the connection's reader thread, in
 * the order the browser sent them, one at a time: an implementation must not block and runs no user code (the
 * public objects hand every event to their owner dispatcher).
 */
@FunctionalInterface
public interface CdpEventListener {
    /** One event: its method, e.g. {@code Page.loadEventFired}, and its params (an object, possibly empty). */
    void onEvent(String method, JsonNode params);
}
