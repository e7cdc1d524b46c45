package dev.apartment.webview.internal;

/**
 * A DevTools command answered with an error. Internal: the public API turns it into a message about what the
 * caller asked for.
 */
public final class CdpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String method;
    private final int code;

    CdpException(String method, int code, String message) {
        super(method + " failed: " + message + " (" + code + ")");
        this.method = method;
        this.code = code;
    }

    /** The command that failed. */
    public String method() {
        return method;
    }

    /** The protocol's error code. */
    public int code() {
        return code;
    }
}
