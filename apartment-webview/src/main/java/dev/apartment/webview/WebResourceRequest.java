package dev.apartment.webview;

import java.util.Map;

/** A request the page is about to make, as a {@link WebResourceRequestedEventArgs} shows it. Immutable. */
public final class WebResourceRequest {
    private final String uri;
    private final String method;
    private final Map<String, String> headers;
    private final String content;

    WebResourceRequest(String uri, String method, Map<String, String> headers, String content) {
        this.uri = uri;
        this.method = method;
        this.headers = Map.copyOf(headers);
        this.content = content;
    }

    /** {@return the requested URI} */
    public String uri() {
        return uri;
    }

    /** {@return the HTTP method, e.g. {@code GET}} */
    public String method() {
        return method;
    }

    /** {@return the request headers} */
    public Map<String, String> headers() {
        return headers;
    }

    /** {@return the request body as text, or null if it has none} */
    public String content() {
        return content;
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }
}
