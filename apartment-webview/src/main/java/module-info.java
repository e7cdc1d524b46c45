/**
 * Apartment's web view: WebView2's API and threading model over a real Chromium driven by the Chrome DevTools
 * Protocol. The exported package {@code dev.apartment.webview} is the whole public API; the protocol layer in
 * {@code dev.apartment.webview.internal} is not exported, so no CDP type ever reaches a caller.
 */
module dev.apartment.webview {
    requires transitive dev.apartment;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;

    exports dev.apartment.webview;
}
