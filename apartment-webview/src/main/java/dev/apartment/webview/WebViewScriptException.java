package dev.apartment.webview;

/**
 * A script given to {@link WebView#executeScriptAsync(String)} threw, did not parse, or returned something that has
 * no JSON form. The message is JavaScript's, e.g. {@code "Error: boom"} or {@code "SyntaxError: Unexpected token
 * ')'"}.
 */
public final class WebViewScriptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The 0-based line of the failure in the script, or -1. */
    private final int lineNumber;
    /** The 0-based column of the failure in the script, or -1. */
    private final int columnNumber;

    /**
     * A script failure at {@code lineNumber}:{@code columnNumber} (0-based; -1 when unknown).
     *
     * @param message      JavaScript's message
     * @param lineNumber   the 0-based line of the failure, or -1
     * @param columnNumber the 0-based column of the failure, or -1
     */
    public WebViewScriptException(String message, int lineNumber, int columnNumber) {
        super(message);
        this.lineNumber = lineNumber;
        this.columnNumber = columnNumber;
    }

    /** {@return the 0-based line of the failure in the script, or -1} */
    public int lineNumber() {
        return lineNumber;
    }

    /** {@return the 0-based column of the failure in the script, or -1} */
    public int columnNumber() {
        return columnNumber;
    }
}
