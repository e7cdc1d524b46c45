package dev.apartment.webview;

/** Args of {@link WebView#contentLoading()}: the navigation committed and the new document starts loading. Immutable. */
public final class ContentLoadingEventArgs {
    private final long navigationId;
    private final boolean errorPage;

    ContentLoadingEventArgs(long navigationId, boolean errorPage) {
        this.navigationId = navigationId;
        this.errorPage = errorPage;
    }

    /** {@return the navigation's id} */
    public long navigationId() {
        return navigationId;
    }

    /** {@return true if the loading document is the browser's error page} */
    public boolean isErrorPage() {
        return errorPage;
    }
}
