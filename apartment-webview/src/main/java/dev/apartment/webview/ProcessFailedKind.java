package dev.apartment.webview;

/** What failed, as in WebView2's {@code CoreWebView2ProcessFailedKind} (the kinds a DevTools host can tell apart). */
public enum ProcessFailedKind {
    /** The browser process ended (crash, kill, or it closed its DevTools connection): the environment is dead. */
    BROWSER_PROCESS_EXITED,
    /** The renderer of one page crashed; the environment and its other pages live on. */
    RENDER_PROCESS_EXITED
}
