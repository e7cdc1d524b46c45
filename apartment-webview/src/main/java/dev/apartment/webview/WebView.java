package dev.apartment.webview;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherEvent;
import dev.apartment.DispatcherObject;
import dev.apartment.WaitPolicy;
import dev.apartment.webview.internal.CdpConnection;
import dev.apartment.webview.internal.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One page: WebView2's {@code CoreWebView2}. Navigation, scripts, web messages both ways, resource interception,
 * new-window requests, cookies, capture, and WebView2's events, all on the owner thread.
 *
 * <pre>{@code
 * WebView web = controller.webView();
 * web.webMessageReceived().addHandler(args -> {
 *     // a handler may wait synchronously: the wait runs only calls, so this handler is not re-entered
 *     String answer = web.executeScript("document.title");
 *     web.postWebMessageAsJson("{\"title\":" + answer + "}");
 * });
 * web.navigateToString("<script>chrome.webview.postMessage('hi')</script>");
 * }</pre>
 *
 * <h2>Threads, order and happens-before</h2>
 * <ul>
 *   <li>Owner thread only: every method calls {@link #verifyAccess()} first. Events are {@link DispatcherEvent}s on
 *       the owner dispatcher (serial; never re-entered from a nested loop inside a handler) whose raises are calls,
 *       like the completions: a synchronous wrapper's {@code CALLS} wait runs the handlers of other sources, which
 *       the browser may be waiting for before it answers.</li>
 *   <li>The connection's reader thread calls {@link #onReaderEvent} and does nothing there but hand the event to the
 *       owner thread as a call through {@link Dispatcher#callbacks()}, in arrival order; everything else here, the
 *       state below included, is owner-thread only. So the browser's order is the order in which the owner thread
 *       sees events, and a future completed by a command sent after an event completes after that event is
 *       handled.</li>
 *   <li>{@code targetId}, {@code sessionId} and {@code connection} are written once while the page is attached
 *       (volatile), before any event of the session can arrive.</li>
 * </ul>
 */
public final class WebView extends DispatcherObject {

    private final WebViewEnvironment environment;
    private final WebViewController controller;
    private final Completions completions;
    private final CookieManager cookieManager;
    private final InputOrder inputOrder = new InputOrder();
    private volatile CdpConnection connection;
    private volatile String targetId;
    private volatile String sessionId;

    private final DispatcherEvent<NavigationStartingEventArgs> navigationStarting;
    private final DispatcherEvent<ContentLoadingEventArgs> contentLoading;
    private final DispatcherEvent<DOMContentLoadedEventArgs> domContentLoaded;
    private final DispatcherEvent<NavigationCompletedEventArgs> navigationCompleted;
    private final DispatcherEvent<WebMessageReceivedEventArgs> webMessageReceived;
    private final DispatcherEvent<WebResourceRequestedEventArgs> webResourceRequested;
    private final DispatcherEvent<NewWindowRequestedEventArgs> newWindowRequested;
    private final DispatcherEvent<DocumentTitleChangedEventArgs> documentTitleChanged;
    private final DispatcherEvent<ProcessFailedEventArgs> processFailed;

    // owner thread only
    private boolean attached;
    private boolean closed;
    private Supplier<RuntimeException> endedBecause; // non-null once the environment closed or failed
    private String source = "about:blank";
    private String documentTitle = "";
    private final List<Filter> filters = new ArrayList<>();
    private long lastNavigationId;
    private Navigation current;
    /** A host navigate() whose document request Fetch has not paused yet: that pause raises no second start. */
    private boolean hostNavigationPending;
    /** Network ids of top-level document requests not finished yet: their failure is the navigation's. */
    private final java.util.Set<String> mainDocumentRequests = new java.util.HashSet<>();

    private record Filter(String uriPattern, Pattern regex, WebResourceContext context) {
    }

    /** One navigation as the events see it. Owner thread. */
    private static final class Navigation {
        final long id;
        int httpStatus;
        String errorText;
        boolean errorPage;
        boolean done;
        boolean pageInitiated;

        Navigation(long id) {
            this.id = id;
        }
    }

    WebView(WebViewEnvironment environment, WebViewController controller) {
        this.environment = environment;
        this.controller = controller;
        Dispatcher d = dispatcher();
        this.completions = new Completions(d, environment::connectionEnded);
        this.cookieManager = new CookieManager(this);
        this.navigationStarting = Completions.browserEvent(d);
        this.contentLoading = Completions.browserEvent(d);
        this.domContentLoaded = Completions.browserEvent(d);
        this.navigationCompleted = Completions.browserEvent(d);
        this.webMessageReceived = Completions.browserEvent(d);
        this.webResourceRequested = Completions.browserEvent(d);
        this.newWindowRequested = Completions.browserEvent(d);
        this.documentTitleChanged = Completions.browserEvent(d);
        this.processFailed = Completions.browserEvent(d);
    }

    // =========================================================================================================
    // Attaching (environment side)
    // =========================================================================================================

    /** Owner thread: creates the target and attaches; the chain then runs on the reader thread (internal only). */
    CompletableFuture<JsonNode> attach(CdpConnection c) {
        this.connection = c;
        WebViewBounds b = controller.boundsNoCheck();
        return c.send("Target.createTarget", Json.object().put("url", "about:blank"))
                .thenCompose(r -> {
                    targetId = r.path("targetId").asText();
                    return c.send("Target.attachToTarget", Json.object().put("targetId", targetId)
                            .put("flatten", true));
                })
                .thenCompose(r -> {
                    String sid = r.path("sessionId").asText();
                    sessionId = sid;
                    // Before the reader reads the next frame (this runs inside its completion of the response).
                    c.addSession(sid, this::onReaderEvent);
                    List<CompletableFuture<JsonNode>> setup = new ArrayList<>();
                    setup.add(c.send(sid, "Page.enable", null));
                    setup.add(c.send(sid, "Runtime.enable", null));
                    setup.add(c.send(sid, "Network.enable", null));
                    setup.add(c.send(sid, "Runtime.addBinding", Json.object().put("name", PageShim.BINDING)));
                    setup.add(c.send(sid, "Page.addScriptToEvaluateOnNewDocument",
                            Json.object().put("source", PageShim.SOURCE)));
                    setup.add(c.send(sid, "Runtime.evaluate", Json.object().put("expression", PageShim.SOURCE)));
                    setup.add(c.send(sid, "Fetch.enable", fetchPatterns(List.of())));
                    setup.add(c.send(sid, "Emulation.setDeviceMetricsOverride", metrics(b)));
                    return CompletableFuture.allOf(setup.toArray(new CompletableFuture<?>[0]))
                            .thenApply(v -> r);
                });
    }

    /** Owner thread: the controller is handed out now. */
    void attached() {
        attached = true;
    }

    String targetId() {
        return targetId;
    }

    // =========================================================================================================
    // Navigation
    // =========================================================================================================

    /**
     * Navigates to {@code uri}: WebView2's {@code Navigate}. Raises {@link #navigationStarting()} first (a handler
     * may cancel), then the page loads and the other navigation events follow. Returns at once.
     *
     * @param uri where to go
     * @throws NullPointerException  if {@code uri} is null
     * @throws IllegalStateException if the web view is closed
     */
    public void navigate(String uri) {
        Objects.requireNonNull(uri, "uri");
        checkUsable();
        Navigation nav = new Navigation(++lastNavigationId);
        NavigationStartingEventArgs args = new NavigationStartingEventArgs(uri, nav.id, false, false);
        navigationStarting.raise(args).whenComplete((a, e) -> {
            if (e instanceof java.util.concurrent.CancellationException || closed || endedBecause != null) {
                return; // the owner shut down (this may not even be its thread), or the page is gone
            }
            // A handler that threw went to the unhandled-exception events; as in WebView2, the navigation goes on
            // unless a handler cancelled it.
            if (args.cancel()) {
                cancelled(nav);
                return;
            }
            begin(nav);
            hostNavigationPending = true;
            sendPageCommand("Page.navigate", Json.object().put("url", uri)).whenComplete((r, ex) -> {
                String error = ex == null ? r.path("errorText").asText("") : "";
                if (!error.isEmpty()) {
                    toOwner(() -> {
                        if (!nav.done) {
                            nav.errorText = error;
                            // The error page that follows belongs to this failed navigation: no more events for it.
                            complete(nav, false);
                        }
                    });
                }
            });
        });
    }

    /**
     * Shows {@code htmlContent} as a new document: WebView2's {@code NavigateToString} (a {@code data:} URL
     * underneath, so the document's origin is opaque). Navigation events as for {@link #navigate}.
     *
     * @param htmlContent the document's HTML
     * @throws NullPointerException  if {@code htmlContent} is null
     * @throws IllegalStateException if the web view is closed
     */
    public void navigateToString(String htmlContent) {
        Objects.requireNonNull(htmlContent, "htmlContent");
        navigate("data:text/html;charset=utf-8;base64,"
                + Base64.getEncoder().encodeToString(htmlContent.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@return the URI of the current top-level document: WebView2's {@code Source}} Owner thread. */
    public String source() {
        verifyAccess();
        return source;
    }

    /** {@return the current document's title: WebView2's {@code DocumentTitle}} Owner thread. */
    public String documentTitle() {
        verifyAccess();
        return documentTitle;
    }

    /**
     * Raised before every top-level navigation, the host's ({@link #navigate}) and the page's (links, {@code
     * location}, forms, redirects). {@link NavigationStartingEventArgs#setCancel Cancel} stops it; it then ends with
     * a failed {@link #navigationCompleted()} ({@link WebErrorStatus#OPERATION_CANCELED}). Supports deferrals.
     *
     * <p>The page's own navigations are seen when the browser requests their document, which it holds until the
     * raise has finished; a page navigating to a URL that needs no request ({@code about:}, {@code data:}) raises
     * no NavigationStarting, though its other navigation events follow as usual. The hold also means the owner
     * thread must be responsive for the page to navigate: the events arrive as calls, so a synchronous wait under
     * {@link WaitPolicy#CALLS} is enough.
     *
     * @return the event
     */
    public DispatcherEvent<NavigationStartingEventArgs> navigationStarting() {
        return navigationStarting;
    }

    /** {@return the event raised when a navigation committed and the new document starts loading} */
    public DispatcherEvent<ContentLoadingEventArgs> contentLoading() {
        return contentLoading;
    }

    /** {@return the event raised when the document's {@code DOMContentLoaded} fired} */
    public DispatcherEvent<DOMContentLoadedEventArgs> domContentLoaded() {
        return domContentLoaded;
    }

    /**
     * Raised once per navigation when it ends: loaded (its load event fired), failed (unreachable host, refused
     * connection: {@code isSuccess} false with the error), cancelled, or replaced by a newer navigation.
     *
     * @return the event
     */
    public DispatcherEvent<NavigationCompletedEventArgs> navigationCompleted() {
        return navigationCompleted;
    }

    /** {@return the event raised after {@link #documentTitle()} changed} */
    public DispatcherEvent<DocumentTitleChangedEventArgs> documentTitleChanged() {
        return documentTitleChanged;
    }

    /**
     * Raised when the page's renderer crashed ({@link ProcessFailedKind#RENDER_PROCESS_EXITED}) or the whole browser
     * died ({@link ProcessFailedKind#BROWSER_PROCESS_EXITED}, after the environment's own event). Either way every
     * future pending on this web view has failed with {@link WebViewProcessFailedException} by the time handlers
     * run. After a renderer crash the web view stays usable: the next navigation starts a new renderer.
     *
     * @return the event
     */
    public DispatcherEvent<ProcessFailedEventArgs> processFailed() {
        return processFailed;
    }

    private void begin(Navigation nav) {
        Navigation previous = current;
        if (previous != null && !previous.done) {
            previous.errorText = "net::ERR_ABORTED";
            complete(previous, false); // WebView2 ends a replaced navigation as cancelled
        }
        current = nav;
    }

    private void cancelled(Navigation nav) {
        if (nav.done) {
            return;
        }
        nav.errorText = "net::ERR_ABORTED";
        complete(nav, false);
    }

    private void complete(Navigation nav, boolean success) {
        nav.done = true;
        String error = success ? null : nav.errorText != null ? nav.errorText
                : nav.httpStatus >= 400 ? "HTTP " + nav.httpStatus : "net::ERR_FAILED";
        navigationCompleted.raise(new NavigationCompletedEventArgs(nav.id, success, nav.httpStatus, error,
                success ? WebErrorStatus.UNKNOWN : WebErrorStatus.fromNetError(nav.errorText)));
    }

    // =========================================================================================================
    // Scripts
    // =========================================================================================================

    /**
     * Runs {@code javaScript} in the page's top-level document and returns the JSON text of its result: WebView2's
     * {@code ExecuteScriptAsync} ({@code "null"} for {@code undefined}, {@code NaN} and values JSON cannot show).
     * A promise is awaited and its value returned (WebView2 would return {@code "{}"}). The future completes on the
     * owner thread; exceptionally with a {@link WebViewScriptException} carrying JavaScript's message if the script
     * throws, rejects or does not parse.
     *
     * @param javaScript the script
     * @return the JSON text of its result, completed on the owner thread
     * @throws NullPointerException  if {@code javaScript} is null
     * @throws IllegalStateException if the web view is closed
     */
    public CompletableFuture<String> executeScriptAsync(String javaScript) {
        Objects.requireNonNull(javaScript, "javaScript");
        checkUsable();
        ObjectNode p = Json.object().put("expression", javaScript).put("returnByValue", true)
                .put("awaitPromise", true);
        return completions.deliver(sendPageCommand("Runtime.evaluate", p), "executing a script", WebView::scriptResult);
    }

    /**
     * {@link #executeScriptAsync} and a wait under {@link WaitPolicy#CALLS}: usable inside any handler; the
     * handler's own event source is not re-entered during the wait.
     *
     * @param javaScript the script
     * @return the JSON text of its result
     * @throws WebViewScriptException if the script throws, rejects or does not parse
     */
    public String executeScript(String javaScript) {
        return dispatcher().waitFor(executeScriptAsync(javaScript), WaitPolicy.CALLS);
    }

    static String scriptResult(JsonNode r) {
        JsonNode details = r.get("exceptionDetails");
        if (details != null) {
            JsonNode ex = details.path("exception");
            String message = ex.hasNonNull("description") ? ex.get("description").asText()
                    : ex.has("value") ? "Uncaught " + Json.write(ex.get("value"))
                    : details.path("text").asText("the script failed");
            int nl = message.indexOf("\n    at ");
            throw new WebViewScriptException(nl > 0 ? message.substring(0, nl) : message,
                    details.path("lineNumber").asInt(-1), details.path("columnNumber").asInt(-1));
        }
        JsonNode result = r.path("result");
        if (result.has("value")) {
            return Json.write(result.get("value"));
        }
        if ("-0".equals(result.path("unserializableValue").asText())) {
            return "0";
        }
        return "null"; // undefined, NaN, Infinity, bigint: what JSON.stringify gives or cannot give
    }

    /**
     * Adds a script that runs in every new document before the page's own scripts: WebView2's
     * {@code AddScriptToExecuteOnDocumentCreatedAsync}. The future completes (owner thread) with the script's id,
     * for {@link #removeScriptToExecuteOnDocumentCreated}. Applies from the next navigation on.
     *
     * @param javaScript the script
     * @return the script's id, completed on the owner thread
     * @throws NullPointerException  if {@code javaScript} is null
     * @throws IllegalStateException if the web view is closed
     */
    public CompletableFuture<String> addScriptToExecuteOnDocumentCreatedAsync(String javaScript) {
        Objects.requireNonNull(javaScript, "javaScript");
        checkUsable();
        return completions.deliver(send("Page.addScriptToEvaluateOnNewDocument",
                        Json.object().put("source", javaScript)), "adding a document-created script",
                r -> r.path("identifier").asText());
    }

    /**
     * Removes a script added by {@link #addScriptToExecuteOnDocumentCreatedAsync}: WebView2's
     * {@code RemoveScriptToExecuteOnDocumentCreated}.
     *
     * @param id the id the add completed with
     * @throws NullPointerException if {@code id} is null
     */
    public void removeScriptToExecuteOnDocumentCreated(String id) {
        Objects.requireNonNull(id, "id");
        checkUsable();
        send("Page.removeScriptToEvaluateOnNewDocument", Json.object().put("identifier", id));
    }

    // =========================================================================================================
    // Web messages
    // =========================================================================================================

    /**
     * Raised for every {@code window.chrome.webview.postMessage(x)} of the page, in the order they were posted.
     * Handlers may wait synchronously (create a controller, run a script): the wait runs calls only, so the next
     * message is not delivered until the handler returns.
     *
     * @return the event
     */
    public DispatcherEvent<WebMessageReceivedEventArgs> webMessageReceived() {
        return webMessageReceived;
    }

    /**
     * Posts {@code webMessageAsJson} to the page: its {@code window.chrome.webview} raises a {@code message} event
     * whose {@code data} is the parsed value. Messages arrive in the order they were posted. WebView2's
     * {@code PostWebMessageAsJson}.
     *
     * @param webMessageAsJson the message, a JSON text
     * @throws NullPointerException     if the argument is null
     * @throws IllegalArgumentException if it is not JSON
     * @throws IllegalStateException    if the web view is closed
     */
    public void postWebMessageAsJson(String webMessageAsJson) {
        Objects.requireNonNull(webMessageAsJson, "webMessageAsJson");
        checkUsable();
        Json.parse(webMessageAsJson); // a JSON text is also a JavaScript expression; anything else must not be run
        deliverToPage(webMessageAsJson);
    }

    /**
     * Posts {@code webMessageAsString} to the page as a string ({@code event.data} is the string). WebView2's
     * {@code PostWebMessageAsString}.
     *
     * @param webMessageAsString the message
     * @throws NullPointerException  if the argument is null
     * @throws IllegalStateException if the web view is closed
     */
    public void postWebMessageAsString(String webMessageAsString) {
        Objects.requireNonNull(webMessageAsString, "webMessageAsString");
        checkUsable();
        deliverToPage(Json.quote(webMessageAsString));
    }

    private void deliverToPage(String json) {
        sendPageCommand("Runtime.evaluate", Json.object().put("expression",
                "window.chrome && window.chrome.webview && window.chrome.webview.__deliver(" + json + ")"));
    }

    // =========================================================================================================
    // Resources and new windows
    // =========================================================================================================

    /**
     * Raises {@link #webResourceRequested()} for requests whose URI matches {@code uriPattern} ({@code *} any run of
     * characters, {@code ?} one) and whose kind is {@code context}: WebView2's
     * {@code AddWebResourceRequestedFilter}.
     *
     * @param uriPattern the URIs to match, with {@code *} and {@code ?} wildcards
     * @param context    the kind of resource to match, or {@link WebResourceContext#ALL}
     * @throws NullPointerException if an argument is null
     */
    public void addWebResourceRequestedFilter(String uriPattern, WebResourceContext context) {
        Objects.requireNonNull(uriPattern, "uriPattern");
        Objects.requireNonNull(context, "context");
        checkUsable();
        filters.add(new Filter(uriPattern, wildcard(uriPattern), context));
        send("Fetch.enable", fetchPatterns(filters));
    }

    /**
     * Removes a filter added with the same arguments: WebView2's {@code RemoveWebResourceRequestedFilter}.
     *
     * @param uriPattern the filter's URI pattern
     * @param context    the filter's kind of resource
     * @throws IllegalArgumentException if no such filter was added
     */
    public void removeWebResourceRequestedFilter(String uriPattern, WebResourceContext context) {
        Objects.requireNonNull(uriPattern, "uriPattern");
        Objects.requireNonNull(context, "context");
        checkUsable();
        if (!filters.removeIf(f -> f.uriPattern.equals(uriPattern) && f.context == context)) {
            throw new IllegalArgumentException("no filter " + uriPattern + " " + context + " was added");
        }
        send("Fetch.enable", fetchPatterns(filters));
    }

    /**
     * Raised for every request that matches a filter, before it leaves the browser. The request is held until the
     * raise has finished (handlers returned, deferrals completed); then the response a handler set is served, or
     * the request goes to the network. Supports deferrals: a page can be served by a handler that answers later
     * from another thread.
     *
     * @return the event
     */
    public DispatcherEvent<WebResourceRequestedEventArgs> webResourceRequested() {
        return webResourceRequested;
    }

    /**
     * Raised when the page calls {@code window.open}. See {@link NewWindowRequestedEventArgs}: set a web view as
     * the new window (it navigates to the URI once the raise has finished), or mark the request handled. Supports
     * deferrals.
     *
     * @return the event
     */
    public DispatcherEvent<NewWindowRequestedEventArgs> newWindowRequested() {
        return newWindowRequested;
    }

    private static Pattern wildcard(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            if (ch == '*') {
                re.append(".*");
            } else if (ch == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** Documents are always paused (that is how page-initiated navigations raise NavigationStarting); plus filters. */
    private static ObjectNode fetchPatterns(List<Filter> fs) {
        ObjectNode p = Json.object();
        ArrayNode patterns = p.putArray("patterns");
        patterns.addObject().put("urlPattern", "*").put("resourceType", "Document").put("requestStage", "Request");
        for (Filter f : fs) {
            if (f.context == WebResourceContext.DOCUMENT) {
                continue; // already paused
            }
            ObjectNode o = patterns.addObject().put("urlPattern", f.uriPattern).put("requestStage", "Request");
            if (f.context.resourceType() != null) {
                o.put("resourceType", f.context.resourceType());
            }
        }
        return p;
    }

    // =========================================================================================================
    // Cookies, capture
    // =========================================================================================================

    /** {@return the cookies of this web view's profile: WebView2's {@code CookieManager}} Owner thread. */
    public CookieManager cookieManager() {
        verifyAccess();
        return cookieManager;
    }

    /**
     * An image of the page as it is now: WebView2's {@code CapturePreviewAsync}; the bytes of a PNG or JPEG file.
     * The future completes on the owner thread.
     *
     * @param format PNG or JPEG
     * @return the image file's bytes, completed on the owner thread
     * @throws NullPointerException  if {@code format} is null
     * @throws IllegalStateException if the web view is closed
     */
    public CompletableFuture<byte[]> capturePreviewAsync(CapturePreviewImageFormat format) {
        Objects.requireNonNull(format, "format");
        checkUsable();
        ObjectNode params = Json.object().put("format", format.protocolName());
        return completions.deliver(sendPageCommand("Page.captureScreenshot", params),
                "capturing a preview", r -> Base64.getDecoder().decode(r.path("data").asText()));
    }

    /** {@return the browser's process id: WebView2's {@code BrowserProcessId}} Owner thread. */
    public long browserProcessId() {
        checkUsable();
        return environment.browserProcessId();
    }

    /** {@return the environment that hosts this page} */
    public WebViewEnvironment environment() {
        return environment;
    }

    // =========================================================================================================
    // Inbound events
    // =========================================================================================================

    /** Reader thread: hands the event to the owner thread, in order. Runs no user code. */
    private void onReaderEvent(String method, JsonNode params) {
        toOwner(() -> onEvent(method, params));
    }

    /** Owner thread. */
    private void onEvent(String method, JsonNode p) {
        if (closed || endedBecause != null) {
            return;
        }
        switch (method) {
            case "Runtime.bindingCalled":
                if (PageShim.BINDING.equals(p.path("name").asText())) {
                    onBinding(p.path("payload").asText());
                }
                break;
            case "Fetch.requestPaused":
                onRequestPaused(p);
                break;
            case "Page.frameNavigated": {
                JsonNode frame = p.path("frame");
                if (!frame.has("parentId")) {
                    onCommitted(frame.path("url").asText() + frame.path("urlFragment").asText(""));
                }
                break;
            }
            case "Page.navigatedWithinDocument":
                if (Objects.equals(p.path("frameId").asText(), targetId)) {
                    source = p.path("url").asText();
                }
                break;
            case "Page.domContentEventFired":
                if (current != null && !current.done) {
                    domContentLoaded.raise(new DOMContentLoadedEventArgs(current.id));
                }
                break;
            case "Page.loadEventFired":
                if (current != null && !current.done) {
                    // WebView2 counts an HTTP error status as a failed navigation, like an error page.
                    complete(current, !current.errorPage && current.errorText == null && current.httpStatus < 400);
                }
                break;
            case "Network.responseReceived":
                if ("Document".equals(p.path("type").asText()) && Objects.equals(p.path("frameId").asText(), targetId)
                        && current != null && !current.done) {
                    current.httpStatus = p.path("response").path("status").asInt();
                }
                break;
            case "Network.requestWillBeSent":
                if ("Document".equals(p.path("type").asText())
                        && Objects.equals(p.path("frameId").asText(), targetId)) {
                    mainDocumentRequests.add(p.path("requestId").asText());
                }
                break;
            case "Network.loadingFinished":
                mainDocumentRequests.remove(p.path("requestId").asText());
                break;
            case "Network.loadingFailed":
                // Only the top-level document's failure fails the navigation, not a frame's (the event names no frame).
                if (mainDocumentRequests.remove(p.path("requestId").asText()) && current != null && !current.done
                        && current.errorText == null) {
                    current.errorText = p.path("errorText").asText();
                }
                break;
            case "Inspector.targetCrashed":
                // A crashed renderer never answers what it was asked (a pending evaluate would wait forever): fail
                // everything pending on the page. The page itself stays usable; the next navigation gets a new one.
                completions.failAll(() -> new WebViewProcessFailedException("the page's renderer process crashed",
                        null));
                if (current != null && !current.done) {
                    current.errorText = "net::ERR_FAILED";
                    complete(current, false);
                }
                processFailed.raise(new ProcessFailedEventArgs(ProcessFailedKind.RENDER_PROCESS_EXITED,
                        "the page's renderer process crashed"));
                break;
            default:
                break;
        }
    }

    private void onCommitted(String url) {
        hostNavigationPending = false;
        boolean errorPage = url.startsWith("chrome-error:");
        if (errorPage && current != null && current.done) {
            // The error page of a navigation already reported as failed (Page.navigate answered with its error
            // before the error page committed): it gets no events of its own, and the source stays as it was.
            return;
        }
        source = url;
        if (current == null || current.done) {
            // A navigation that no Fetch pause announced (about:blank, a page's data: URL): it still gets its events.
            Navigation nav = new Navigation(++lastNavigationId);
            current = nav;
        }
        current.errorPage = errorPage;
        contentLoading.raise(new ContentLoadingEventArgs(current.id, current.errorPage));
    }

    private void onBinding(String payload) {
        if (payload.isEmpty()) {
            return;
        }
        if (payload.charAt(0) == 'm') {
            int nl = payload.indexOf('\n');
            webMessageReceived.raise(new WebMessageReceivedEventArgs(payload.substring(1, nl),
                    payload.substring(nl + 1)));
        } else if (payload.charAt(0) == 't') {
            titleReported(payload.substring(1));
        } else if (payload.charAt(0) == 'w') {
            JsonNode req = Json.parse(payload.substring(1));
            NewWindowRequestedEventArgs args = new NewWindowRequestedEventArgs(req.path("url").asText(),
                    req.path("name").asText(), req.path("features").asText());
            newWindowRequested.raise(args).whenComplete((a, e) -> {
                WebView target = args.newWindow();
                if (e != null || target == null) {
                    return; // handled, or nobody wanted it: no default window here
                }
                if (target.checkAccess()) {
                    target.navigate(args.uri());
                } else {
                    target.dispatcher().post(() -> target.navigate(args.uri()));
                }
            });
        }
    }

    private void onRequestPaused(JsonNode p) {
        String requestId = p.path("requestId").asText();
        JsonNode request = p.path("request");
        String url = request.path("url").asText() + request.path("urlFragment").asText("");
        String type = p.path("resourceType").asText();
        boolean mainDocument = "Document".equals(type) && Objects.equals(p.path("frameId").asText(), targetId);
        boolean redirect = p.has("redirectedRequestId");
        if (mainDocument && !(hostNavigationPending && !redirect)) {
            // A server redirect continues the navigation under way (WebView2: same id, IsRedirected); anything
            // else the page started is a navigation of its own.
            boolean continues = redirect && current != null && !current.done;
            Navigation nav = continues ? current : new Navigation(++lastNavigationId);
            boolean userInitiated = !continues || nav.pageInitiated;
            NavigationStartingEventArgs args = new NavigationStartingEventArgs(url, nav.id, userInitiated, redirect);
            navigationStarting.raise(args).whenComplete((a, e) -> {
                if (e instanceof java.util.concurrent.CancellationException || closed || endedBecause != null) {
                    return;
                }
                if (args.cancel()) {
                    send("Fetch.failRequest", Json.object().put("requestId", requestId).put("errorReason", "Aborted"));
                    cancelled(nav);
                    return;
                }
                if (!continues) {
                    nav.pageInitiated = true;
                    begin(nav);
                }
                offerToHandlers(requestId, request, url, type);
            });
            return;
        }
        if (mainDocument) {
            hostNavigationPending = false; // this is the host navigation's request: its start was raised already
        }
        offerToHandlers(requestId, request, url, type);
    }

    private void offerToHandlers(String requestId, JsonNode request, String url, String type) {
        WebResourceContext context = WebResourceContext.fromResourceType(type);
        boolean matched = false;
        for (Filter f : filters) {
            if ((f.context == WebResourceContext.ALL || f.context == context) && f.regex.matcher(url).matches()) {
                matched = true;
                break;
            }
        }
        if (!matched) {
            send("Fetch.continueRequest", Json.object().put("requestId", requestId));
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = request.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            headers.put(h.getKey(), h.getValue().asText());
        }
        WebResourceRequestedEventArgs args = new WebResourceRequestedEventArgs(new WebResourceRequest(url,
                request.path("method").asText("GET"), headers,
                request.hasNonNull("postData") ? request.get("postData").asText() : null), context);
        webResourceRequested.raise(args).whenComplete((a, e) -> {
            if (e instanceof java.util.concurrent.CancellationException || closed || endedBecause != null) {
                return;
            }
            WebResourceResponse response = args.response();
            if (e != null || response == null) {
                send("Fetch.continueRequest", Json.object().put("requestId", requestId));
                return;
            }
            ObjectNode f = Json.object().put("requestId", requestId).put("responseCode", response.statusCode())
                    .put("responsePhrase", response.reasonPhrase())
                    .put("body", Base64.getEncoder().encodeToString(response.contentNoCopy()));
            ArrayNode hs = f.putArray("responseHeaders");
            response.headers().forEach((k, v) -> hs.addObject().put("name", k).put("value", v));
            send("Fetch.fulfillRequest", f);
        });
    }

    /** Owner thread: the page reported its title. */
    private void titleReported(String title) {
        // WebView2 shows the URL as the title of a document that has none.
        String t = title.isEmpty() ? source : title;
        if (t.equals(documentTitle)) {
            return;
        }
        documentTitle = t;
        documentTitleChanged.raise(new DocumentTitleChangedEventArgs(t));
    }

    // =========================================================================================================
    // Ending
    // =========================================================================================================

    /** Owner thread, from the controller: closes the page. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        completions.failAll(() -> new IllegalStateException("the WebViewController was closed"));
        CdpConnection c = connection;
        String sid = sessionId;
        if (c != null && sid != null) {
            c.removeSession(sid);
        }
        if (c != null && targetId != null && endedBecause == null) {
            c.send("Target.closeTarget", Json.object().put("targetId", targetId));
        }
    }

    /** Owner thread, from the environment's close(). */
    void environmentEnded(Supplier<RuntimeException> why) {
        endedBecause = why;
        completions.failAll(why);
        closed = true;
    }

    /** Owner thread, from the environment's failure handling: fail, then tell. */
    void browserFailed(ProcessFailedEventArgs args) {
        endedBecause = () -> new WebViewProcessFailedException("the browser process failed: " + args.reason(), null);
        completions.failAll(endedBecause);
        processFailed.raise(args);
    }

    boolean isClosed() {
        return closed;
    }

    /** Owner thread: throws unless calls can be made. */
    void checkUsable() {
        verifyAccess();
        if (endedBecause != null) {
            throw endedBecause.get();
        }
        if (closed) {
            throw new IllegalStateException("the WebViewController of this WebView is closed");
        }
        environment.checkUsable();
    }

    CompletableFuture<JsonNode> send(String method, ObjectNode params) {
        return connection.send(sessionId, method, params);
    }

    /** Owner thread: sends forwarded input ({@code Input.*}), which later page commands wait for. */
    CompletableFuture<JsonNode> sendInput(String method, ObjectNode params) {
        return inputOrder.input(send(method, params));
    }

    /** Owner thread: sends a command that reads or changes the page, after the input sent before it is handled. */
    private CompletableFuture<JsonNode> sendPageCommand(String method, ObjectNode params) {
        return inputOrder.pageCommand(method, params, this::send);
    }

    Completions completions() {
        return completions;
    }

    static ObjectNode metrics(WebViewBounds b) {
        return Json.object().put("width", b.width()).put("height", b.height()).put("deviceScaleFactor", 1)
                .put("mobile", false);
    }

    /** Any thread: runs {@code r} on the owner thread as a call; dropped once the owner has shut down. */
    private void toOwner(Runnable r) {
        try {
            dispatcher().callbacks().execute(r);
        } catch (RejectedExecutionException e) {
            // the owner dispatcher has shut down; its environment was closed by the shutdown listener
        }
    }

    @Override
    public String toString() {
        return "WebView[" + targetId + "]";
    }
}
