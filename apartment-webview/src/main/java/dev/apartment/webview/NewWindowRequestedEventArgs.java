package dev.apartment.webview;

import dev.apartment.DeferrableEventArgs;

/**
 * Args of {@link WebView#newWindowRequested()}: the page called {@code window.open}. Set {@link #setNewWindow} to a
 * web view of yours to load the new window's page there, or {@link #setHandled(boolean) handled} to drop it; take a
 * deferral to create that web view asynchronously first.
 *
 * <pre>{@code
 * webView.newWindowRequested().addHandler(args -> {
 *     Deferral deferral = args.getDeferral();
 *     environment.createControllerAsync().thenAccept(popup -> {   // on the owner thread
 *         args.setNewWindow(popup.webView());
 *         deferral.complete();
 *     });
 * });
 * }</pre>
 *
 * <p>Unlike WebView2 there is no default window: a request nobody handled opens nothing, and
 * {@code window.open} returns null in the page either way (the new page is not linked to its opener).
 */
public final class NewWindowRequestedEventArgs extends DeferrableEventArgs {
    private final String uri;
    private final String name;
    private final String windowFeatures;
    private volatile boolean handled;
    private volatile WebView newWindow;

    NewWindowRequestedEventArgs(String uri, String name, String windowFeatures) {
        this.uri = uri;
        this.name = name;
        this.windowFeatures = windowFeatures;
    }

    /** {@return the absolute URI the page asked to open} */
    public String uri() {
        return uri;
    }

    /** {@return the window name the page gave (second argument of {@code window.open}), or the empty string} */
    public String name() {
        return name;
    }

    /** {@return the feature string the page gave (third argument of {@code window.open}), or the empty string} */
    public String windowFeatures() {
        return windowFeatures;
    }

    /** {@return whether the host handled the request} */
    public boolean handled() {
        return handled;
    }

    /**
     * Marks the request handled: nothing more is done with it unless {@link #newWindow()} is set.
     *
     * @param handled true if the host handled it
     */
    public void setHandled(boolean handled) {
        this.handled = handled;
    }

    /** {@return the web view chosen to show the new window, or null} */
    public WebView newWindow() {
        return newWindow;
    }

    /**
     * Shows the new window's page in {@code webView} (it navigates there once the raise has finished).
     *
     * @param webView the web view to show it in, or null for none
     */
    public void setNewWindow(WebView webView) {
        this.newWindow = webView;
        this.handled = webView != null || handled;
    }
}
