package dev.apartment.webview;

/**
 * The buttons and modifier keys held during a mouse event: WebView2's {@code CoreWebView2MouseEventVirtualKeys}
 * (a flags enum there, a {@link java.util.Set} of these here).
 */
public enum WebViewMouseEventVirtualKeys {
    /** The left button is down. */
    LEFT_BUTTON,
    /** The right button is down. */
    RIGHT_BUTTON,
    /** Shift is down. */
    SHIFT,
    /** Control is down. */
    CONTROL,
    /** The middle button is down. */
    MIDDLE_BUTTON
}
