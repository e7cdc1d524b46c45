package dev.apartment.webview;

/**
 * The browser process of a {@link WebViewEnvironment} ended while something was pending, or before a call: every
 * completion that was pending when it died fails with this, and so does every later call on the environment, its
 * controllers and web views. {@link WebViewEnvironment#processFailed()} tells the host once.
 */
public final class WebViewProcessFailedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message} and the failure underneath, if any.
     *
     * @param message what was pending or called, and that the browser is gone
     * @param cause   the failure underneath, or null
     */
    public WebViewProcessFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
