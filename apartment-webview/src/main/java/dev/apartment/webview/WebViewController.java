package dev.apartment.webview;

import dev.apartment.DispatcherObject;

import java.util.Objects;

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

    WebViewController(WebViewEnvironment environment) {
        this.environment = environment;
        this.webView = new WebView(environment, this);
    }

    /** The page's API: WebView2's {@code CoreWebView2}. Owner thread. */
    public WebView webView() {
        verifyAccess();
        return webView;
    }

    /** Where the page is shown. Owner thread. */
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

    /** Whether the host shows the page: WebView2's {@code IsVisible}. Owner thread. */
    public boolean isVisible() {
        verifyAccess();
        return visible;
    }

    /**
     * Shows or hides the page: WebView2's {@code IsVisible}. The state is the host's to act on (an off-screen
     * browser has no window to hide); the page keeps running either way.
     *
     * @throws IllegalStateException if the controller is closed
     */
    public void setVisible(boolean visible) {
        checkUsable();
        this.visible = visible;
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

    /** True once {@link #close()} ran. Owner thread. */
    public boolean isClosed() {
        verifyAccess();
        return closed;
    }

    /** The environment. */
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
