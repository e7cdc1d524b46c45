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

    /** {@return which process failed} */
    public ProcessFailedKind processFailedKind() {
        return kind;
    }

    /** {@return a human-readable account (exit status, the browser's last output)} */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "ProcessFailedEventArgs[" + kind + ": " + reason + "]";
    }
}
