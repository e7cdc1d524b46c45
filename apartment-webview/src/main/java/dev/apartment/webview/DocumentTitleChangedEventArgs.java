package dev.apartment.webview;

/** Args of {@link WebView#documentTitleChanged()}. Immutable. */
public final class DocumentTitleChangedEventArgs {
    private final String title;

    DocumentTitleChangedEventArgs(String title) {
        this.title = title;
    }

    /** {@return the new title (also {@link WebView#documentTitle()} by the time handlers run)} */
    public String title() {
        return title;
    }
}
