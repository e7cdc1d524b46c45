package dev.apartment.webview;

/**
 * Args of {@link WebViewEnvironment#processFailed()} and {@link WebView#processFailed()}. Immutable.
 */
public final class ProcessFailedEventArgs {
    private final ProcessFailedKind kind;
    private final String reason;

    ProcessFailedEventArgs(ProcessFailedKind kind, String reason) {
        this.kind = kind;
        this.reason = reason;
    }

    /** Which process failed. */
    public ProcessFailedKind processFailedKind() {
        return kind;
    }

    /** A human-readable account (exit status, the browser's last output). */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "ProcessFailedEventArgs[" + kind + ": " + reason + "]";
    }
}
