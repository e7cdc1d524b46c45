package dev.apartment.webview;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A response a {@link WebResourceRequestedEventArgs} handler gives instead of the network's: WebView2's
 * {@code CoreWebView2WebResourceResponse}, made with {@link WebViewEnvironment#createWebResourceResponse}. Immutable.
 *
 * <pre>{@code
 * args.setResponse(environment.createWebResourceResponse(
 *         "<h1>hello</h1>".getBytes(UTF_8), 200, "OK", Map.of("Content-Type", "text/html")));
 * }</pre>
 */
public final class WebResourceResponse {
    private final byte[] content;
    private final int statusCode;
    private final String reasonPhrase;
    private final Map<String, String> headers;

    WebResourceResponse(byte[] content, int statusCode, String reasonPhrase, Map<String, String> headers) {
        if (statusCode < 100 || statusCode > 999) {
            throw new IllegalArgumentException("statusCode must be an HTTP status (100-999): " + statusCode);
        }
        this.content = Objects.requireNonNull(content, "content").clone();
        this.statusCode = statusCode;
        this.reasonPhrase = Objects.requireNonNull(reasonPhrase, "reasonPhrase");
        this.headers = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    }

    /** A {@code 200 OK} response with {@code text} in UTF-8 and the given content type. */
    static WebResourceResponse text(String text, String contentType) {
        return new WebResourceResponse(text.getBytes(StandardCharsets.UTF_8), 200, "OK",
                Map.of("Content-Type", contentType + "; charset=utf-8"));
    }

    /** {@return the body (a copy)} */
    public byte[] content() {
        return content.clone();
    }

    byte[] contentNoCopy() {
        return content;
    }

    /** {@return the HTTP status code} */
    public int statusCode() {
        return statusCode;
    }

    /** {@return the HTTP reason phrase} */
    public String reasonPhrase() {
        return reasonPhrase;
    }

    /** {@return the response headers} */
    public Map<String, String> headers() {
        return headers;
    }
}
