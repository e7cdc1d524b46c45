package dev.apartment.webview;

/**
 * What {@link WebViewController#sendMouseInput} sends: WebView2's {@code CoreWebView2MouseEventKind}, the mouse
 * events a host that draws the page itself (WebView2's composition controller) forwards to it.
 */
public enum WebViewMouseEventKind {
    /** The pointer moved. */
    MOVE,
    /** The left button went down. */
    LEFT_BUTTON_DOWN,
    /** The left button went up: with a {@link #LEFT_BUTTON_DOWN} at the same place, a click. */
    LEFT_BUTTON_UP,
    /** The second click of a double click (send it as the down of the second press). */
    LEFT_BUTTON_DOUBLE_CLICK,
    /** The right button went down. */
    RIGHT_BUTTON_DOWN,
    /** The right button went up. */
    RIGHT_BUTTON_UP,
    /** The middle button went down. */
    MIDDLE_BUTTON_DOWN,
    /** The middle button went up. */
    MIDDLE_BUTTON_UP,
    /** The vertical wheel turned; {@code mouseData} is the delta, 120 per notch, positive away from the user. */
    WHEEL,
    /** The horizontal wheel turned; {@code mouseData} is the delta, 120 per notch, positive to the right. */
    HORIZONTAL_WHEEL,
    /** The pointer left the page. */
    LEAVE
}
