package dev.apartment.webview;

/**
 * Where a {@link WebViewController} shows its page, in device-independent pixels of the host; the page lays out
 * at {@code width} x {@code height}. Immutable.
 *
 * @param x      left edge in the host
 * @param y      top edge in the host
 * @param width  width, at least 1
 * @param height height, at least 1
 */
public record WebViewBounds(int x, int y, int width, int height) {
    /**
     * Checks the size.
     *
     * @param x      left edge in the host
     * @param y      top edge in the host
     * @param width  width, at least 1
     * @param height height, at least 1
     * @throws IllegalArgumentException if width or height is below 1
     */
    public WebViewBounds {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("width and height must be at least 1: " + width + "x" + height);
        }
    }
}
