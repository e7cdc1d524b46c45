package dev.apartment.webview;

/**
 * What {@link WebViewController#sendKeyInput} sends: a key going down or up (WebView2's
 * {@code CoreWebView2KeyEventKind}, without the system-key variants, which an off-screen page has no use for).
 */
public enum WebViewKeyEventKind {
    /** A key went down; with text, the text is typed into the focused element. */
    KEY_DOWN,
    /** A key went up. */
    KEY_UP
}
