package dev.apartment.webview;

import dev.apartment.DispatcherObject;

import java.util.Objects;
import java.util.Set;

/**
 * Hosts one page of a {@link WebViewEnvironment}: WebView2's {@code CoreWebView2Controller}. It owns the page's
 * size and visibility and its lifetime; {@link #webView()} is the page's API. Created with
 * {@link WebViewEnvironment#createControllerAsync()}.
 *
 * <p>Threads: the owner thread of its environment, like every object of the module (see {@link WebView}). The
 * browser renders off screen; the bounds set the page's layout viewport (what {@code window.innerWidth} and
 * {@link WebView#capturePreviewAsync} see), the position is kept for the host's own layout.
 */
public final class WebViewController extends DispatcherObject {

    private final WebViewEnvironment environment;
    private final WebView webView;
    private WebViewBounds bounds = new WebViewBounds(0, 0, 800, 600); // owner thread only
    private boolean visible = true;                                    // owner thread only
    private boolean closed;                                            // owner thread only
    private final InputEvents input = new InputEvents();                // owner thread only

    WebViewController(WebViewEnvironment environment) {
        this.environment = environment;
        this.webView = new WebView(environment, this);
    }

    /** {@return the page's API: WebView2's {@code CoreWebView2}} Owner thread. */
    public WebView webView() {
        verifyAccess();
        return webView;
    }

    /** {@return where the page is shown} Owner thread. */
    public WebViewBounds bounds() {
        verifyAccess();
        return bounds;
    }

    WebViewBounds boundsNoCheck() {
        return bounds;
    }

    /**
     * Moves and resizes the page: WebView2's {@code Bounds}. The page lays out at the new size (its
     * {@code resize} event fires).
     *
     * @param bounds where the page goes, and its size
     * @throws NullPointerException  if {@code bounds} is null
     * @throws IllegalStateException if the controller is closed
     */
    public void setBounds(WebViewBounds bounds) {
        Objects.requireNonNull(bounds, "bounds");
        checkUsable();
        boolean resized = bounds.width() != this.bounds.width() || bounds.height() != this.bounds.height();
        this.bounds = bounds;
        if (resized) {
            webView.send("Emulation.setDeviceMetricsOverride", WebView.metrics(bounds));
        }
    }

    /** {@return whether the host shows the page: WebView2's {@code IsVisible}} Owner thread. */
    public boolean isVisible() {
        verifyAccess();
        return visible;
    }

    /**
     * Shows or hides the page: WebView2's {@code IsVisible}. The state is the host's to act on (an off-screen
     * browser has no window to hide); the page keeps running either way.
     *
     * @param visible true to show the page, false to hide it
     * @throws IllegalStateException if the controller is closed
     */
    public void setVisible(boolean visible) {
        checkUsable();
        this.visible = visible;
    }

    /**
     * Sends a mouse event to the page, as if the pointer were at ({@code x}, {@code y}) in the page's viewport (CSS
     * pixels, relative to the {@link #bounds()}' origin): WebView2's composition controller
     * {@code SendMouseInput}, for hosts that draw the page themselves (from {@link WebView#capturePreviewAsync})
     * and forward their toolkit's mouse events. A down and an up at the same place make a click, with the page's
     * {@code mousedown}, {@code mouseup} and {@code click} events and focus moving as for a real click. Events
     * reach the page in the order they are sent, and before any later script or message of this controller.
     * Returns at once; nothing is reported back.
     *
     * @param eventKind   what happened: a move, a button down, up or double click, a wheel turn
     * @param virtualKeys the buttons and modifier keys held (an empty set for none)
     * @param mouseData   for {@link WebViewMouseEventKind#WHEEL} and {@link WebViewMouseEventKind#HORIZONTAL_WHEEL}
     *                    the wheel delta (120 per notch; positive scrolls up, respectively right), otherwise 0
     * @param x           the pointer's horizontal position in the viewport, in CSS pixels
     * @param y           the pointer's vertical position in the viewport, in CSS pixels
     * @throws NullPointerException  if {@code eventKind} or {@code virtualKeys} is null
     * @throws IllegalStateException if the controller is closed or its browser failed
     */
    public void sendMouseInput(WebViewMouseEventKind eventKind, Set<WebViewMouseEventVirtualKeys> virtualKeys,
                               int mouseData, int x, int y) {
        Objects.requireNonNull(eventKind, "eventKind");
        Objects.requireNonNull(virtualKeys, "virtualKeys");
        checkUsable();
        webView.sendInput("Input.dispatchMouseEvent", input.mouse(eventKind, virtualKeys, mouseData, x, y));
    }

    /**
     * Sends a key event to the page's focused element: a key down with {@code text} types it (an {@code <input>}
     * receives it, with {@code keydown}, {@code keypress} and {@code input} events), a key down without text is an
     * editing or navigation key ({@code 8} Backspace deletes, {@code 37}-{@code 40} move the caret, {@code 9} Tab
     * moves the focus). WebView2 has no such call (its HWND host receives keys from Windows); this is its
     * counterpart for hosts that forward their toolkit's key events, in the same order guarantee as
     * {@link #sendMouseInput}. Returns at once.
     *
     * @param eventKind      a key down, or a key up
     * @param virtualKeyCode the Windows virtual-key code ({@code 'A'}-{@code 'Z'} and {@code '0'}-{@code '9'} are
     *                       their ASCII codes; 8 Backspace, 9 Tab, 13 Enter, 27 Escape, 37-40 arrows, 46 Delete)
     * @param text           what the key types ({@code "\r"} for Enter), or an empty string for none; ignored for
     *                       {@link WebViewKeyEventKind#KEY_UP}
     * @throws NullPointerException  if {@code eventKind} or {@code text} is null
     * @throws IllegalStateException if the controller is closed or its browser failed
     */
    public void sendKeyInput(WebViewKeyEventKind eventKind, int virtualKeyCode, String text) {
        Objects.requireNonNull(eventKind, "eventKind");
        Objects.requireNonNull(text, "text");
        checkUsable();
        webView.sendInput("Input.dispatchKeyEvent", InputEvents.key(eventKind, virtualKeyCode, text));
    }

    /**
     * Closes the page: WebView2's {@code Close}. Pending futures of its web view fail with an
     * {@link IllegalStateException}; later calls throw one. Idempotent; the environment lives on.
     */
    public void close() {
        verifyAccess();
        if (closed) {
            return;
        }
        closed = true;
        webView.close();
        environment.controllerClosed(this);
    }

    /** {@return true once {@link #close()} ran} Owner thread. */
    public boolean isClosed() {
        verifyAccess();
        return closed;
    }

    /** {@return the environment} */
    public WebViewEnvironment environment() {
        return environment;
    }

    private void checkUsable() {
        verifyAccess();
        if (closed) {
            throw new IllegalStateException("the WebViewController is closed");
        }
        webView.checkUsable();
    }

    @Override
    public String toString() {
        return "WebViewController[" + webView + "]";
    }
}
