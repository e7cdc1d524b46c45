package dev.apartment.webview;

/**
 * Why a navigation failed: WebView2's {@code CoreWebView2WebErrorStatus}, the members a Chromium network error maps
 * to. {@link NavigationCompletedEventArgs#errorText()} has the browser's own code ({@code net::ERR_…}).
 */
public enum WebErrorStatus {
    /** No error, or one with no closer match. */
    UNKNOWN,
    /** The host name could not be resolved. */
    HOST_NAME_NOT_RESOLVED,
    /** The server could not be reached. */
    CANNOT_CONNECT,
    /** The connection was reset. */
    CONNECTION_RESET,
    /** The connection was aborted. */
    CONNECTION_ABORTED,
    /** The request timed out. */
    TIMEOUT,
    /** The network is unreachable or disconnected. */
    DISCONNECTED,
    /** The navigation was cancelled (a NavigationStarting handler, a newer navigation, or the page). */
    OPERATION_CANCELED,
    /** The request was blocked or refused by the browser. */
    BLOCKED,
    /** A certificate was invalid. */
    CERTIFICATE_INVALID;

    static WebErrorStatus fromNetError(String errorText) {
        if (errorText == null) {
            return UNKNOWN;
        }
        if (errorText.contains("NAME_NOT_RESOLVED") || errorText.contains("NAME_RESOLUTION_FAILED")) {
            return HOST_NAME_NOT_RESOLVED;
        }
        if (errorText.contains("CONNECTION_REFUSED") || errorText.contains("ADDRESS_UNREACHABLE")
                || errorText.contains("CONNECTION_FAILED")) {
            return CANNOT_CONNECT;
        }
        if (errorText.contains("CONNECTION_RESET")) {
            return CONNECTION_RESET;
        }
        if (errorText.contains("CONNECTION_ABORTED") || errorText.contains("CONNECTION_CLOSED")) {
            return CONNECTION_ABORTED;
        }
        if (errorText.contains("TIMED_OUT")) {
            return TIMEOUT;
        }
        if (errorText.contains("INTERNET_DISCONNECTED") || errorText.contains("NETWORK_CHANGED")) {
            return DISCONNECTED;
        }
        if (errorText.contains("ABORTED")) {
            return OPERATION_CANCELED;
        }
        if (errorText.contains("BLOCKED")) {
            return BLOCKED;
        }
        if (errorText.contains("CERT")) {
            return CERTIFICATE_INVALID;
        }
        return UNKNOWN;
    }
}
