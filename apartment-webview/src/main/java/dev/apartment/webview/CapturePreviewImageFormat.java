package dev.apartment.webview;

/** The image format of {@link WebView#capturePreviewAsync}: WebView2's {@code CoreWebView2CapturePreviewImageFormat}. */
public enum CapturePreviewImageFormat {
    /** PNG. */
    PNG("png"),
    /** JPEG. */
    JPEG("jpeg");

    private final String protocolName;

    CapturePreviewImageFormat(String protocolName) {
        this.protocolName = protocolName;
    }

    String protocolName() {
        return protocolName;
    }
}
