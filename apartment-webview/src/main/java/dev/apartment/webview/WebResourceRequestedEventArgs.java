package dev.apartment.webview;

import dev.apartment.DeferrableEventArgs;

/**
 * Args of {@link WebView#webResourceRequested()}: a request that matched a filter is held until the raise has
 * finished; a handler may {@link #setResponse set a response} (the request then never reaches the network), or
 * leave it null to let the request go on. Take a deferral to answer later, from any thread.
 *
 * <pre>{@code
 * webView.addWebResourceRequestedFilter("https://app.example/*", WebResourceContext.ALL);
 * webView.webResourceRequested().addHandler(args -> {
 *     Deferral deferral = args.getDeferral();
 *     worker.submit(() -> {
 *         // any thread: a response made with its constructor (createWebResourceResponse is the owner's)
 *         args.setResponse(new WebResourceResponse(load(args.request().uri()), 200, "OK", headers));
 *         deferral.complete();
 *     });
 * });
 * }</pre>
 */
public final class WebResourceRequestedEventArgs extends DeferrableEventArgs {
    private final WebResourceRequest request;
    private final WebResourceContext context;
    private volatile WebResourceResponse response;

    WebResourceRequestedEventArgs(WebResourceRequest request, WebResourceContext context) {
        this.request = request;
        this.context = context;
    }

    /** {@return the request} */
    public WebResourceRequest request() {
        return request;
    }

    /** {@return the kind of resource requested} */
    public WebResourceContext resourceContext() {
        return context;
    }

    /** {@return the response set so far, or null} */
    public WebResourceResponse response() {
        return response;
    }

    /**
     * Answers the request with {@code response} (null: let it go to the network). Any thread, before the last
     * deferral completes (the value read afterwards wins).
     *
     * @param response the response, or null to let the request go to the network
     */
    public void setResponse(WebResourceResponse response) {
        this.response = response;
    }
}
