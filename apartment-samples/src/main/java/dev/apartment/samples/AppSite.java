package dev.apartment.samples;

import dev.apartment.Deferral;
import dev.apartment.Dispatcher;
import dev.apartment.webview.WebResourceContext;
import dev.apartment.webview.WebResourceRequestedEventArgs;
import dev.apartment.webview.WebView;
import dev.apartment.webview.WebViewEnvironment;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The pages the samples show in a real web view, served by the application itself: a {@code WebResourceRequested}
 * handler answers every request for {@value #ORIGIN}{@code /*}, so no network is needed. The handler takes a
 * deferral and hands the request to a {@code resource-server} thread, which renders the page (as a file read or a
 * template would, off the UI thread); the response goes back to the web view's thread as a call through
 * {@link Dispatcher#callbacks()}, where it is set and the deferral completed. Meanwhile the UI thread is free.
 *
 * <p>{@link #serve} is called on the web view's owner thread; the server thread is this object's, ended by
 * {@link #close()} (any thread, idempotent).
 */
public final class AppSite implements AutoCloseable {

    /** Where the app's pages live; requests there never leave the browser. */
    public static final String ORIGIN = "https://apartment.example";
    /** The home page. */
    public static final String HOME = ORIGIN + "/";
    /** The page a new-window request opens. */
    public static final String SECOND = ORIGIN + "/second";
    /** The home page's title. */
    public static final String TITLE = "Apartment web view";

    private final ExecutorService server = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "resource-server");
        t.setDaemon(true);
        return t;
    });

    /**
     * Serves the site in {@code web}: adds the filter and the deferred handler. Owner thread of {@code web}.
     *
     * @param log told (on the thread that does each step) what happens to each request
     */
    public void serve(WebView web, Consumer<String> log) {
        Objects.requireNonNull(log, "log");
        WebViewEnvironment env = web.environment();
        Dispatcher ui = web.dispatcher();
        web.addWebResourceRequestedFilter(ORIGIN + "/*", WebResourceContext.ALL);
        web.webResourceRequested().addHandler(args -> {
            String uri = args.request().uri();
            Deferral deferral = args.getDeferral();
            log.accept("WebResourceRequested " + uri + ": deferral taken, handed to 'resource-server'");
            try {
                server.execute(() -> {
                    byte[] body = render(uri).getBytes(StandardCharsets.UTF_8);
                    log.accept("rendered " + uri + " (" + body.length + " bytes); response sent back through"
                            + " callbacks()");
                    ui.callbacks().execute(() -> respond(env, args, deferral, uri, body, log));
                });
            } catch (RejectedExecutionException e) {
                deferral.complete(); // closing: let the request fail on its own
            }
        });
    }

    private static void respond(WebViewEnvironment env, WebResourceRequestedEventArgs args, Deferral deferral,
            String uri, byte[] body, Consumer<String> log) {
        boolean found = body.length > 0;
        try {
            args.setResponse(env.createWebResourceResponse(found ? body : "not found".getBytes(StandardCharsets.UTF_8),
                    found ? 200 : 404, found ? "OK" : "Not Found",
                    Map.of("Content-Type", contentType(uri) + "; charset=utf-8", "Cache-Control", "no-store")));
            log.accept("response " + (found ? "200" : "404") + " set, deferral completed");
        } catch (RuntimeException e) {
            log.accept("the environment ended before the response: " + e.getMessage());
        } finally {
            deferral.complete();
        }
    }

    private static String contentType(String uri) {
        return uri.endsWith(".css") ? "text/css" : "text/html";
    }

    /** The body for {@code uri}, or an empty string for a page that does not exist. Any thread. */
    static String render(String uri) {
        String path = uri.substring(ORIGIN.length());
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        switch (path) {
            case "":
            case "/":
                return HOME_PAGE;
            case "/second":
                return SECOND_PAGE;
            case "/site.css":
                return CSS;
            default:
                return "";
        }
    }

    /** Stops the server thread; requests still queued are dropped (their pages are closing anyway). */
    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final String CSS = ""
            + "body{font:15px system-ui,sans-serif;margin:0;color:#1d2330;"
            + "background:linear-gradient(160deg,#eef3ff,#fdf6ec)}\n"
            + "header{background:linear-gradient(90deg,#2b5cd6,#7b3fd0);color:#fff;padding:14px 20px}\n"
            + "header h1{margin:0;font-size:22px} header p{margin:4px 0 0;opacity:.9}\n"
            + "main{padding:12px 20px}\n"
            + ".card{background:#fff;border-radius:10px;padding:10px 14px;margin:0 0 12px;"
            + "box-shadow:0 1px 4px #0002}\n"
            + "button{font:inherit;padding:6px 14px;border-radius:6px;border:1px solid #2b5cd6;background:#2b5cd6;"
            + "color:#fff;cursor:pointer} button.alt{background:#fff;color:#2b5cd6}\n"
            + "input{font:inherit;padding:5px 8px;border:1px solid #99a;border-radius:6px;width:220px}\n"
            + "#inbox li{color:#7b3fd0} .count{font-weight:bold;color:#c0392b}\n"
            + "#clock{font-variant-numeric:tabular-nums}\n";

    static final String HOME_PAGE = ""
            + "<!doctype html><html><head><meta charset=utf-8><title>" + TITLE + "</title>"
            + "<link rel=stylesheet href=/site.css></head><body>\n"
            + "<header><h1>A real Chromium page, served by the app</h1>"
            + "<p>Every byte came from a WebResourceRequested handler with a deferral. "
            + "Clicks, the wheel and keys are forwarded from Swing. <span id=clock></span></p></header>\n"
            + "<main>\n"
            + "<div class=card><button id=click>Click me</button> "
            + "<span id=clicks>not clicked yet</span></div>\n"
            + "<div class=card><input id=text value='hello from the page' aria-label=message> "
            + "<button id=send>Send to host</button>"
            + "<ul id=inbox><li>messages from the host appear here</li></ul></div>\n"
            + "<div class=card><button id=open class=alt>window.open('/second')</button> "
            + "<a href=/second>a link to /second</a></div>\n"
            + "<div class=card>" + "Scroll with the wheel: ".repeat(1)
            + "<ol>" + "<li>a line to scroll past</li>".repeat(30) + "</ol></div>\n"
            + "</main>\n"
            + "<script>\n"
            + "let clicks = 0;\n"
            + "const $ = id => document.getElementById(id);\n"
            + "$('click').onclick = () => { clicks++; $('clicks').innerHTML = 'clicked <span class=count>' + clicks"
            + " + '</span> times'; chrome.webview.postMessage({type: 'click', clicks}); };\n"
            + "$('send').onclick = () => chrome.webview.postMessage({type: 'text', text: $('text').value});\n"
            + "$('open').onclick = () => window.open('/second');\n"
            + "chrome.webview.addEventListener('message', e => { const li = document.createElement('li');"
            + " li.textContent = 'host: ' + JSON.stringify(e.data); $('inbox').appendChild(li); });\n"
            + "const tick = () => $('clock').textContent = new Date().toLocaleTimeString();\n"
            + "tick(); setInterval(tick, 1000);\n"
            + "addEventListener('load', () => chrome.webview.postMessage({type: 'ready'}));\n"
            + "</script></body></html>\n";

    static final String SECOND_PAGE = ""
            + "<!doctype html><html><head><meta charset=utf-8><title>Second page</title>"
            + "<link rel=stylesheet href=/site.css></head><body>\n"
            + "<header><h1>The second page</h1><p>Also served by the app.</p></header>\n"
            + "<main><div class=card><a href=/>back home</a></div></main></body></html>\n";
}
