package dev.apartment.webview;

import dev.apartment.webview.internal.Json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Args of {@link WebView#webMessageReceived()}: one {@code window.chrome.webview.postMessage(message)} of the page.
 * Immutable.
 */
public final class WebMessageReceivedEventArgs {
    private final String source;
    private final String json;

    WebMessageReceivedEventArgs(String source, String json) {
        this.source = source;
        this.json = json;
    }

    /** {@return the URL of the document that posted the message} */
    public String source() {
        return source;
    }

    /** {@return the message as JSON text ({@code JSON.stringify} of what the page posted)} */
    public String webMessageAsJson() {
        return json;
    }

    /**
     * {@return the message if the page posted a string, else null (WebView2's {@code TryGetWebMessageAsString}, which
     * fails in that case)}
     */
    public String tryGetWebMessageAsString() {
        if (json.isEmpty() || json.charAt(0) != '"') {
            return null;
        }
        JsonNode n = Json.parse(json);
        return n.isTextual() ? n.textValue() : null;
    }

    @Override
    public String toString() {
        return "WebMessageReceivedEventArgs[" + source + ": " + json + "]";
    }
}
