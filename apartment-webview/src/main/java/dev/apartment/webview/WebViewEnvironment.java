package dev.apartment.webview;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherEvent;
import dev.apartment.DispatcherObject;
import dev.apartment.WaitPolicy;
import dev.apartment.webview.internal.BrowserLocator;
import dev.apartment.webview.internal.BrowserProcess;
import dev.apartment.webview.internal.CdpConnection;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One browser process and its profile: WebView2's {@code CoreWebView2Environment}. It hosts any number of
 * {@link WebViewController}s, one page each.
 *
 * <pre>{@code
 * Dispatcher ui = Dispatcher.start("ui");
 * ui.invoke(() -> {
 *     WebViewEnvironment env = WebViewEnvironment.create(WebViewEnvironmentOptions.defaults());  // waits, dispatching calls
 *     WebView web = env.createController().webView();
 *     web.navigateToString("<h1>hi</h1>");
 * });
 * }</pre>
 *
 * <h2>Threads</h2>
 * The environment belongs to the dispatcher of the thread that called {@link #createAsync}/{@link #create}
 * ({@link DispatcherObject}): every method must be called there ({@link dev.apartment.WrongDispatcherException}
 * elsewhere). Every future it returns completes on that thread as a <em>call</em> through
 * {@link Dispatcher#callbacks()}, so a wait under {@link WaitPolicy#CALLS} receives it, and every event is a
 * {@link DispatcherEvent} raised there. The browser is launched and its stderr drained on a thread of its own, the
 * DevTools socket is read on a shared I/O thread; neither ever runs user code.
 *
 * <h2>Lifetime</h2>
 * {@link #close()} ends the browser (and every controller), and so does the owner dispatcher's shutdown and the
 * JVM's exit: the browser never outlives its environment. If the browser dies on its own (a crash, {@code kill -9})
 * {@link #processFailed()} is raised once, every pending future of the environment, its controllers and web views
 * fails with {@link WebViewProcessFailedException}, and later calls throw it.
 */
public final class WebViewEnvironment extends DispatcherObject {

    private enum State { STARTING, READY, FAILED, CLOSED }

    private final WebViewEnvironmentOptions options;
    private final DispatcherEvent<ProcessFailedEventArgs> processFailed;
    private final Completions completions;
    private final List<WebViewController> controllers = new ArrayList<>(); // owner thread only
    private final Runnable shutdownListener = this::close;
    /** Set once, on the owner thread, when the browser is connected; read elsewhere only by close/fail paths. */
    private volatile BrowserProcess browser;
    private volatile CdpConnection connection;
    /** Set by close() before the connection is ended, so the ending reads as "closed", not "failed". Any thread. */
    private volatile boolean closedByHost;
    private final AtomicBoolean failureReported = new AtomicBoolean();
    private State state = State.STARTING; // owner thread only
    private String failureReason;         // owner thread only

    private WebViewEnvironment(WebViewEnvironmentOptions options) {
        this.options = options;
        Dispatcher d = dispatcher();
        this.processFailed = Completions.browserEvent(d);
        this.completions = new Completions(d, this::connectionEnded);
    }

    /**
     * Starts a browser with {@code options} and connects to it; WebView2's
     * {@code CreateCoreWebView2EnvironmentWithOptions}. Returns at once; the future completes on the calling thread
     * (a call through its dispatcher's {@link Dispatcher#callbacks()}), with the environment or with the reason it
     * could not start (the browser's last output included).
     *
     * @param options the browser to run and how
     * @return the environment, completed on the calling thread
     * @throws NullPointerException  if {@code options} is null
     * @throws IllegalStateException if no browser executable is found; the message names the package to install
     */
    public static CompletableFuture<WebViewEnvironment> createAsync(WebViewEnvironmentOptions options) {
        Objects.requireNonNull(options, "options");
        Path executable = BrowserLocator.locate(options.browserExecutable(),
                System.getProperty(WebViewEnvironmentOptions.BROWSER_PROPERTY),
                System.getenv(WebViewEnvironmentOptions.BROWSER_ENVIRONMENT_VARIABLE));
        WebViewEnvironment env = new WebViewEnvironment(options);
        return env.start(executable);
    }

    /**
     * {@link #createAsync} and a wait for it under {@link WaitPolicy#CALLS}: usable inside any operation or event
     * handler of the calling thread's dispatcher (the wait runs the completions it depends on, and holds back
     * input and posts). On a thread without a running loop it simply blocks until done.
     *
     * @param options the browser to run and how
     * @return the environment, owned by the calling thread's dispatcher
     * @throws IllegalStateException if the browser cannot be found or started (the message says why)
     */
    public static WebViewEnvironment create(WebViewEnvironmentOptions options) {
        CompletableFuture<WebViewEnvironment> f = createAsync(options);
        return Dispatcher.current().waitFor(f, WaitPolicy.CALLS);
    }

    private CompletableFuture<WebViewEnvironment> start(Path executable) {
        CompletableFuture<JsonNode> connected = BrowserProcess.start(executable, options.userDataFolder(),
                        options.headless(), options.additionalBrowserArguments(), 30_000)
                .thenCompose(bp -> {
                    browser = bp; // so that close() during the start can end it
                    if (closedByHost) {
                        bp.terminate();
                        throw new IllegalStateException("the WebViewEnvironment was closed while it started");
                    }
                    return bp.devToolsUri().thenCompose(CdpConnection::open).whenComplete((c, e) -> {
                        if (e != null) {
                            bp.terminate();
                        }
                    });
                })
                .thenCompose(c -> {
                    connection = c;
                    // Who ends first: the process (crash, kill) or the socket; either means the browser is gone.
                    browser.onExit().thenRun(() -> browserGone("the browser process (pid " + browser.pid()
                            + ") exited"));
                    c.terminated().thenAccept(cause -> browserGone(cause.getMessage()));
                    return c.send("Browser.getVersion", null); // the first answer: the connection works
                });
        CompletableFuture<WebViewEnvironment> out = completions.deliver(connected, "creating the WebViewEnvironment",
                r -> {
                    if (state != State.STARTING) {
                        throw new IllegalStateException("the WebViewEnvironment was closed while it started");
                    }
                    state = State.READY;
                    dispatcher().addShutdownStartedListener(shutdownListener);
                    return this;
                });
        out.whenComplete((env, e) -> {
            if (e != null) {
                endBrowserInBackground();
            }
        });
        return out;
    }

    /** Public terms for a dead connection: closed by the host, or the browser failed. Any thread. */
    RuntimeException connectionEnded(Throwable cause, String what) {
        if (closedByHost) {
            return new IllegalStateException("the WebViewEnvironment was closed while " + what + " was pending",
                    cause);
        }
        if (state == State.STARTING && !(cause instanceof WebViewProcessFailedException)) {
            return new IllegalStateException(what + " failed: " + cause.getMessage(), cause);
        }
        return new WebViewProcessFailedException("the browser process failed while " + what + " was pending: "
                + cause.getMessage(), cause);
    }

    // =========================================================================================================
    // Controllers
    // =========================================================================================================

    /**
     * Creates a page and the controller that hosts it; WebView2's {@code CreateCoreWebView2ControllerAsync}. The
     * future completes on the owner thread (a call) once the page is ready for scripts and messages.
     *
     * @return the controller, completed on the owner thread
     * @throws IllegalStateException if the environment is closed or its browser failed
     */
    public CompletableFuture<WebViewController> createControllerAsync() {
        checkUsable();
        WebViewController controller = new WebViewController(this);
        BrowserProcess bp = browser;
        CompletableFuture<JsonNode> attached = controller.webView().attach(connection).thenApply(r -> {
            bp.rememberChildren(); // the page's renderer, so that it dies with the browser whatever happens
            return r;
        });
        return completions.deliver(attached, "creating a WebViewController", r -> {
            if (state != State.READY) {
                throw new IllegalStateException("the WebViewEnvironment is " + describeState());
            }
            controllers.add(controller);
            controller.webView().attached();
            return controller;
        });
    }

    /**
     * {@link #createControllerAsync()} and a wait for it under {@link WaitPolicy#CALLS}: usable inside any handler,
     * including a {@link WebView#webMessageReceived()} handler of another web view of this environment.
     *
     * @return the controller, ready for scripts and messages
     */
    public WebViewController createController() {
        return dispatcher().waitFor(createControllerAsync(), WaitPolicy.CALLS);
    }

    /**
     * A response for {@link WebResourceRequestedEventArgs#setResponse}: WebView2's
     * {@code CreateWebResourceResponse}.
     *
     * @param content      the body
     * @param statusCode   the HTTP status, e.g. 200
     * @param reasonPhrase the HTTP reason phrase, e.g. {@code "OK"}
     * @param headers      the response headers
     * @return the response
     * @throws NullPointerException     if an argument is null (the message names it)
     * @throws IllegalArgumentException if {@code statusCode} is not an HTTP status
     */
    public WebResourceResponse createWebResourceResponse(byte[] content, int statusCode, String reasonPhrase,
                                                         Map<String, String> headers) {
        verifyAccess();
        return new WebResourceResponse(content, statusCode, reasonPhrase, headers);
    }

    /** {@return the controllers open now} Owner thread. */
    public List<WebViewController> controllers() {
        verifyAccess();
        return List.copyOf(controllers);
    }

    /** {@return the browser's process id; WebView2's {@code BrowserProcessId}} Owner thread. */
    public long browserProcessId() {
        checkUsable();
        return browser.pid();
    }

    /**
     * {@return the folder of the browser's profile: WebView2's {@code UserDataFolder}} The one the options gave, or
     * else a temporary folder that {@link #close()} deletes. Owner thread.
     *
     * @throws IllegalStateException if the environment is closed or its browser failed
     */
    public Path userDataFolder() {
        checkUsable();
        return browser.userDataFolder();
    }

    /** {@return the options it was created with} Owner thread. */
    public WebViewEnvironmentOptions options() {
        verifyAccess();
        return options;
    }

    /**
     * Raised once, on the owner thread, when the browser process dies without {@link #close()}: WebView2's
     * {@code ProcessFailed} with {@link ProcessFailedKind#BROWSER_PROCESS_EXITED}. By the time handlers run,
     * every future that was pending has failed and every call throws {@link WebViewProcessFailedException}.
     *
     * @return the event
     */
    public DispatcherEvent<ProcessFailedEventArgs> processFailed() {
        return processFailed;
    }

    /** {@return true until {@link #close()} or a browser failure} Owner thread. */
    public boolean isAlive() {
        verifyAccess();
        return state == State.READY;
    }

    // =========================================================================================================
    // Closing and failure
    // =========================================================================================================

    /**
     * Closes every controller, fails every pending future with an {@link IllegalStateException} saying the
     * environment was closed, and ends the browser process tree; returns once the browser has exited and its
     * temporary profile is deleted (a profile given in the options is first flushed by closing the browser
     * gracefully, which takes up to a few seconds). Idempotent. Also runs when the owner dispatcher starts shutting
     * down.
     */
    public void close() {
        verifyAccess();
        if (state == State.CLOSED) {
            return;
        }
        closedByHost = true;
        state = State.CLOSED;
        dispatcher().removeShutdownStartedListener(shutdownListener);
        for (WebViewController c : new ArrayList<>(controllers)) {
            c.webView().environmentEnded(() -> new IllegalStateException("the WebViewEnvironment was closed"));
        }
        controllers.clear();
        completions.failAll(() -> new IllegalStateException("the WebViewEnvironment was closed"));
        CdpConnection c = connection;
        BrowserProcess bp = browser;
        if (bp != null && !bp.hasTemporaryProfile() && c != null && c.failure() == null) {
            // A kept profile: let the browser flush cookies and storage before the tree is killed.
            c.send("Browser.close", null);
            bp.awaitExit(3000);
        }
        if (c != null) {
            c.fail(new IllegalStateException("the WebViewEnvironment was closed"));
        }
        if (bp != null) {
            bp.terminate();
        }
    }

    /** Reader or process-exit thread: the browser is gone. Reports it once, on the owner thread. */
    private void browserGone(String reason) {
        if (closedByHost || !failureReported.compareAndSet(false, true)) {
            return;
        }
        BrowserProcess bp = browser;
        String full = reason + (bp == null || bp.stderrTail().isEmpty() ? "" : "; its last output:\n"
                + bp.stderrTail());
        CdpConnection c = connection;
        if (c != null) {
            c.fail(new WebViewProcessFailedException(full, null));
        }
        endBrowserInBackground();
        try {
            dispatcher().callbacks().execute(() -> onProcessFailed(full));
        } catch (RejectedExecutionException e) {
            // the owner has shut down: nobody is left to tell
        }
    }

    /** Owner thread: the state change, the failures and the event, in that order. */
    private void onProcessFailed(String reason) {
        if (state == State.CLOSED || state == State.FAILED) {
            return;
        }
        state = State.FAILED;
        failureReason = reason;
        dispatcher().removeShutdownStartedListener(shutdownListener);
        ProcessFailedEventArgs args = new ProcessFailedEventArgs(ProcessFailedKind.BROWSER_PROCESS_EXITED, reason);
        completions.failAll(() -> new WebViewProcessFailedException("the browser process failed: " + reason, null));
        for (WebViewController c : new ArrayList<>(controllers)) {
            c.webView().browserFailed(args);
        }
        processFailed.raise(args);
    }

    /** Kills what is left of a browser that failed, off the owner thread (terminate blocks). */
    private void endBrowserInBackground() {
        BrowserProcess bp = browser;
        if (bp == null) {
            return;
        }
        Thread t = new Thread(bp::terminate, "apartment-webview-reaper");
        t.setDaemon(true);
        t.start();
    }

    void controllerClosed(WebViewController c) {
        controllers.remove(c);
    }

    CdpConnection connection() {
        return connection;
    }

    Completions completions() {
        return completions;
    }

    /** Owner thread: throws unless the environment can take calls. */
    void checkUsable() {
        verifyAccess();
        switch (state) {
            case READY:
                return;
            case FAILED:
                throw new WebViewProcessFailedException("the browser process of this WebViewEnvironment failed: "
                        + failureReason, null);
            case CLOSED:
                throw new IllegalStateException("the WebViewEnvironment is closed");
            default:
                throw new IllegalStateException("the WebViewEnvironment is still starting");
        }
    }

    private String describeState() {
        return state == State.CLOSED ? "closed" : state == State.FAILED ? "dead: its browser process failed"
                : state.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        BrowserProcess bp = browser;
        return "WebViewEnvironment[" + (bp == null ? "starting" : "pid " + bp.pid()) + "]";
    }
}
