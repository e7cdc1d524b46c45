package dev.apartment.webview;

/**
 * A script given to {@link WebView#executeScriptAsync(String)} threw, did not parse, or returned something that has
 * no JSON form. The message is JavaScript's, e.g. {@code "Error: boom"} or {@code "SyntaxError: Unexpected token
 * ')'"}.
 */
public final class WebViewScriptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int lineNumber;
    private final int columnNumber;

    /** A script failure at {@code lineNumber}:{@code columnNumber} (0-based; -1 when unknown). */
    public WebViewScriptException(String message, int lineNumber, int columnNumber) {
        super(message);
        this.lineNumber = lineNumber;
        this.columnNumber = columnNumber;
    }

    /** The 0-based line of the failure in the script, or -1. */
    public int lineNumber() {
        return lineNumber;
    }

    /** The 0-based column of the failure in the script, or -1. */
    public int columnNumber() {
        return columnNumber;
    }
}
