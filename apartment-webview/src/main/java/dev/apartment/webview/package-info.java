/**
 * A web view with WebView2's API and Apartment's threading, over a real Chromium.
 *
 * <p>{@link dev.apartment.webview.WebViewEnvironment} starts a browser; its
 * {@link dev.apartment.webview.WebViewController}s host pages; each page's API is a
 * {@link dev.apartment.webview.WebView}. All three belong to the dispatcher of the thread that created them.
 *
 * <h2>The path of a call and of an event</h2>
 * <pre>
 *   owner thread                        shared I/O thread (reader)             browser
 *   web.executeScriptAsync(js) --send--&gt; CdpConnection ----------------------&gt; Runtime.evaluate
 *                                        response: completes the protocol future
 *   completion (a call) &lt;--callbacks()-- Completions.deliver
 *   events: DispatcherEvent.raise &lt;--callbacks()-- WebView.onReaderEvent &lt;---- Page.loadEventFired, bindingCalled …
 * </pre>
 * The reader thread only parses and hands on; user code (handlers, future dependents) runs on the owner thread.
 * Synchronous wrappers ({@code create}, {@code createController}, {@code executeScript}, {@code getCookies}) wait
 * under {@link dev.apartment.WaitPolicy#CALLS}, which runs those completions and nothing else, so they work
 * inside any handler.
 */
package dev.apartment.webview;
