package dev.apartment.webview;

/**
 * Args of {@link WebView#navigationCompleted()}: the navigation ended, loaded ({@link #isSuccess()}) or not.
 * Immutable.
 */
public final class NavigationCompletedEventArgs {
    private final long navigationId;
    private final boolean success;
    private final int httpStatusCode;
    private final WebErrorStatus webErrorStatus;
    private final String errorText;

    NavigationCompletedEventArgs(long navigationId, boolean success, int httpStatusCode, String errorText,
                                 WebErrorStatus status) {
        this.navigationId = navigationId;
        this.success = success;
        this.httpStatusCode = httpStatusCode;
        this.errorText = errorText;
        this.webErrorStatus = status;
    }

    /** {@return the navigation's id} */
    public long navigationId() {
        return navigationId;
    }

    /**
     * {@return true if the document loaded (its load event fired) with an HTTP status below 400 (or none, as for data
     * URLs); false if the navigation failed, was cancelled, or ended on an error page or an HTTP error status}
     */
    public boolean isSuccess() {
        return success;
    }

    /** {@return the HTTP status of the document's response, or 0 if there was none (data URL, failure, cancel)} */
    public int httpStatusCode() {
        return httpStatusCode;
    }

    /** {@return why it failed; {@link WebErrorStatus#UNKNOWN} on success} */
    public WebErrorStatus webErrorStatus() {
        return webErrorStatus;
    }

    /**
     * {@return the browser's error text, e.g. {@code net::ERR_CONNECTION_REFUSED}, or {@code "HTTP 404"} for an HTTP
     * error status; null on success}
     */
    public String errorText() {
        return errorText;
    }

    @Override
    public String toString() {
        return "NavigationCompletedEventArgs[id " + navigationId + (success ? ", success" : ", failed: "
                + webErrorStatus + " " + errorText) + ", http " + httpStatusCode + "]";
    }
}
