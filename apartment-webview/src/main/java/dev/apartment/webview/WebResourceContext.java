package dev.apartment.webview;

/**
 * Which kind of request a {@link WebView#addWebResourceRequestedFilter(String, WebResourceContext) filter} matches:
 * WebView2's {@code CoreWebView2WebResourceContext}.
 */
public enum WebResourceContext {
    /** Every kind. */
    ALL(null),
    /** Documents (top-level pages and frames). */
    DOCUMENT("Document"),
    /** Style sheets. */
    STYLESHEET("Stylesheet"),
    /** Images. */
    IMAGE("Image"),
    /** Audio and video. */
    MEDIA("Media"),
    /** Fonts. */
    FONT("Font"),
    /** Scripts. */
    SCRIPT("Script"),
    /** {@code XMLHttpRequest}s. */
    XML_HTTP_REQUEST("XHR"),
    /** {@code fetch()} requests. */
    FETCH("Fetch"),
    /** Everything else. */
    OTHER("Other");

    private final String resourceType;

    WebResourceContext(String resourceType) {
        this.resourceType = resourceType;
    }

    /** The protocol's resource type, or null for every type. */
    String resourceType() {
        return resourceType;
    }

    static WebResourceContext fromResourceType(String type) {
        for (WebResourceContext c : values()) {
            if (type != null && type.equals(c.resourceType)) {
                return c;
            }
        }
        return OTHER;
    }
}
