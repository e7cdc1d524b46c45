package dev.apartment.webview;

/** Args of {@link WebView#domContentLoaded()}: the document's {@code DOMContentLoaded} fired. Immutable. */
public final class DOMContentLoadedEventArgs {
    private final long navigationId;

    DOMContentLoadedEventArgs(long navigationId) {
        this.navigationId = navigationId;
    }

    /** {@return the navigation's id} */
    public long navigationId() {
        return navigationId;
    }
}
