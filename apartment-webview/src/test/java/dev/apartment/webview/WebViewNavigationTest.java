package dev.apartment.webview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Deferral;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Navigation events, pages served by WebResourceRequested handlers, cancelled navigations, titles and cookies, on
 * one shared environment. Pages live on {@code https://app.test/}, which exists only in the handlers: the machine
 * has no network, and nothing here needs one.
 */
@RequiresChromium
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebViewNavigationTest extends SharedEnvironmentFixture {

    private static ExecutorService worker;
    /** Owner thread only: the events seen, as short strings. */
    private final List<String> events = new ArrayList<>();

    @BeforeAll
    static void startWorker() {
        worker = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stopWorker() {
        worker.shutdownNow();
    }

    @BeforeEach
    void recordEvents() {
        ui.invoke(() -> {
            web.navigationStarting().addHandler(a -> events.add("starting " + a.uri()));
            web.contentLoading().addHandler(a -> events.add("contentLoading"));
            web.domContentLoaded().addHandler(a -> events.add("domContentLoaded"));
            web.navigationCompleted().addHandler(a -> events.add("completed " + a.isSuccess()));
        });
    }

    /** Serves {@code pages} (path to HTML or script) from https://app.test/, synchronously in the handler. */
    private void serve(Map<String, String> pages) {
        ui.invoke(() -> {
            web.addWebResourceRequestedFilter("https://app.test/*", WebResourceContext.ALL);
            web.webResourceRequested().addHandler(a -> a.setResponse(respond(pages, a.request().uri())));
        });
    }

    private static WebResourceResponse respond(Map<String, String> pages, String uri) {
        String path = uri.substring("https://app.test".length());
        String body = pages.get(path);
        if (body == null) {
            return new WebResourceResponse("not here".getBytes(StandardCharsets.UTF_8), 404, "Not Found",
                    Map.of("Content-Type", "text/plain"));
        }
        String type = path.endsWith(".js") ? "text/javascript" : "text/html";
        return new WebResourceResponse(body.getBytes(StandardCharsets.UTF_8), 200, "OK",
                Map.of("Content-Type", type + "; charset=utf-8"));
    }

    private NavigationCompletedEventArgs navigate(String uri) throws Exception {
        CompletableFuture<NavigationCompletedEventArgs> done = new CompletableFuture<>();
        ui.invoke(() -> {
            web.navigationCompleted().addHandler(done::complete);
            web.navigate(uri);
        });
        NavigationCompletedEventArgs a = done.get(30, TimeUnit.SECONDS);
        ui.invoke(() -> web.navigationCompleted().removeHandler(done::complete)); // a new lambda: harmless no-op
        return a;
    }

    @Test
    void aServedPageRaisesTheNavigationEventsInOrder() throws Exception {
        serve(Map.of("/index.html", "<title>Index</title><p>hello</p>"));
        List<Long> ids = new ArrayList<>();
        ui.invoke(() -> {
            web.navigationStarting().addHandler(a -> ids.add(a.navigationId()));
            web.contentLoading().addHandler(a -> ids.add(a.navigationId()));
            web.domContentLoaded().addHandler(a -> ids.add(a.navigationId()));
            web.navigationCompleted().addHandler(a -> ids.add(a.navigationId()));
        });
        NavigationCompletedEventArgs done = navigate("https://app.test/index.html");
        assertThat(done.isSuccess()).isTrue();
        assertThat(done.httpStatusCode()).isEqualTo(200);
        assertThat(ui.invoke(() -> List.copyOf(events))).containsExactly("starting https://app.test/index.html",
                "contentLoading", "domContentLoaded", "completed true");
        assertThat(ui.invoke(() -> List.copyOf(ids))).hasSize(4).containsOnly(done.navigationId());
        assertThat(ui.invoke(() -> web.source())).isEqualTo("https://app.test/index.html");
        assertThat(ui.invoke(() -> web.executeScript("document.querySelector('p').textContent")))
                .isEqualTo("\"hello\"");
    }

    /**
     * A synchronous script run while the navigation's document request is paused, its WebResourceRequested raise
     * queued behind the script's caller. Chromium answers no script until the request goes on, so the script's CALLS
     * wait must run the handler: the browser's events are calls. (As messages they hung here, depending on whether
     * the pause came before the script.)
     */
    @Test
    void aSynchronousScriptStartedWhileTheDocumentRequestWaitsForItsHandlerReturns() throws Exception {
        serve(Map.of("/held.html", "<p>served</p>"));
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch pausedRequestPosted = new java.util.concurrent.CountDownLatch(1);
        dev.apartment.DispatcherHooks hooks = new dev.apartment.DispatcherHooks() {
            @Override
            public void operationPosted(dev.apartment.DispatcherOperation<?> operation) {
                // After the navigation started, the first event the owner raises is the paused document request's
                // WebResourceRequested (posted by the owner thread, from the call that brought the browser's word).
                if (started.getCount() == 0 && Thread.currentThread() == ui.thread()) {
                    pausedRequestPosted.countDown();
                }
            }
        };
        ui.invoke(() -> {
            web.navigationStarting().addHandler(a -> started.countDown());
            ui.addHooks(hooks);
            web.navigate("https://app.test/held.html");
        });
        try {
            assertThat(pausedRequestPosted.await(20, TimeUnit.SECONDS)).isTrue();
            // SEND from this thread: runs ahead of the WebResourceRequested delivery queued at NORMAL
            String result = ui.invokeAsync(() -> web.executeScript("6 * 7"), dev.apartment.DispatcherPriority.SEND)
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(result).isEqualTo("42");
        } finally {
            ui.removeHooks(hooks);
        }
    }

    /** A page served entirely by a handler whose deferral is completed later, from another thread. */
    @Test
    void aPageServedByAHandlerThatAnswersLaterFromAnotherThread() throws Exception {
        Map<String, String> pages = Map.of(
                "/app.html", "<script src='/app.js'></script><body>app</body>",
                "/app.js", "window.fromScript = 'script ran';");
        List<String> threads = new ArrayList<>();
        ui.invoke(() -> {
            web.addWebResourceRequestedFilter("https://app.test/*", WebResourceContext.ALL);
            web.webResourceRequested().addHandler(a -> {
                threads.add("handler:" + Thread.currentThread().getName());
                Deferral deferral = a.getDeferral();
                worker.execute(() -> {
                    a.setResponse(respond(pages, a.request().uri()));
                    synchronized (threads) {
                        threads.add("answer:" + Thread.currentThread().getName());
                    }
                    deferral.complete();
                });
            });
        });
        NavigationCompletedEventArgs done = navigate("https://app.test/app.html");
        assertThat(done.isSuccess()).isTrue();
        assertThat(ui.invoke(() -> web.executeScript("window.fromScript + ' / ' + document.body.textContent")))
                .isEqualTo("\"script ran / app\"");
        List<String> seen;
        synchronized (threads) {
            seen = List.copyOf(threads);
        }
        assertThat(seen.stream().filter(s -> s.startsWith("handler:")).collect(Collectors.toSet()))
                .containsExactly("handler:" + ui.thread().getName());
        assertThat(seen.stream().filter(s -> s.startsWith("answer:")).count()).isEqualTo(2);
        assertThat(seen).noneMatch(s -> s.equals("answer:" + ui.thread().getName()));
    }

    @Test
    void anHttpErrorStatusIsAFailedNavigationWithItsStatus() throws Exception {
        serve(Map.of());
        NavigationCompletedEventArgs done = navigate("https://app.test/missing.html");
        assertThat(done.isSuccess()).isFalse();
        assertThat(done.httpStatusCode()).isEqualTo(404);
    }

    @Test
    void anUnreachableUrlCompletesUnsuccessfullyWithTheError() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort(); // free now, and nobody listens once it is closed
        }
        NavigationCompletedEventArgs done = navigate("http://127.0.0.1:" + closedPort + "/");
        assertThat(done.isSuccess()).isFalse();
        assertThat(done.errorText()).contains("ERR_CONNECTION_REFUSED");
        assertThat(done.webErrorStatus()).isEqualTo(WebErrorStatus.CANNOT_CONNECT);
        // Exactly one completion for it, even though the browser then shows its error page.
        assertThat(ui.invoke(() -> events.stream().filter(e -> e.startsWith("completed")).count())).isEqualTo(1);
    }

    @Test
    void aServerRedirectContinuesTheNavigationUnderItsId() throws Exception {
        List<NavigationStartingEventArgs> starts = new ArrayList<>();
        ui.invoke(() -> {
            web.addWebResourceRequestedFilter("https://app.test/*", WebResourceContext.ALL);
            web.webResourceRequested().addHandler(a -> a.setResponse(a.request().uri().endsWith("/old.html")
                    ? new WebResourceResponse(new byte[0], 302, "Found", Map.of("Location", "/new.html"))
                    : respond(Map.of("/new.html", "<p>new</p>"), a.request().uri())));
            web.navigationStarting().addHandler(starts::add);
        });
        NavigationCompletedEventArgs done = navigate("https://app.test/old.html");
        assertThat(done.isSuccess()).as("%s", done).isTrue();
        assertThat(ui.invoke(() -> web.source())).isEqualTo("https://app.test/new.html");
        List<NavigationStartingEventArgs> seen = ui.invoke(() -> List.copyOf(starts));
        assertThat(seen).extracting(NavigationStartingEventArgs::uri)
                .containsExactly("https://app.test/old.html", "https://app.test/new.html");
        assertThat(seen).extracting(NavigationStartingEventArgs::isRedirected).containsExactly(false, true);
        assertThat(seen).extracting(NavigationStartingEventArgs::navigationId).containsOnly(done.navigationId());
        assertThat(ui.invoke(() -> events.stream().filter(e -> e.startsWith("completed")).count())).isEqualTo(1);
    }

    @Test
    void aFrameThatFailsDoesNotFailThePage() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        serve(Map.of("/framed.html", "<p>outer</p><iframe src='http://127.0.0.1:" + closedPort + "/'></iframe>"));
        NavigationCompletedEventArgs done = navigate("https://app.test/framed.html");
        assertThat(done.isSuccess()).as("%s", done).isTrue();
        assertThat(done.httpStatusCode()).isEqualTo(200);
    }

    @Test
    void aCancelledHostNavigationNeverLeavesThePage() throws Exception {
        serve(Map.of("/a.html", "<p>a</p>", "/b.html", "<p>b</p>"));
        navigate("https://app.test/a.html");
        ui.invoke(() -> web.navigationStarting().addHandler(a -> a.setCancel(a.uri().endsWith("/b.html"))));
        NavigationCompletedEventArgs done = navigate("https://app.test/b.html");
        assertThat(done.isSuccess()).isFalse();
        assertThat(done.webErrorStatus()).isEqualTo(WebErrorStatus.OPERATION_CANCELED);
        assertThat(ui.invoke(() -> web.source())).isEqualTo("https://app.test/a.html");
        assertThat(ui.invoke(() -> web.executeScript("document.body.textContent"))).isEqualTo("\"a\"");
    }

    @Test
    void aCancelledPageNavigationNeverLeavesThePage() throws Exception {
        serve(Map.of("/a.html", "<p>a</p><a id=go href='/b.html'>go</a>", "/b.html", "<p>b</p>"));
        navigate("https://app.test/a.html");
        CompletableFuture<NavigationCompletedEventArgs> cancelled = new CompletableFuture<>();
        CompletableFuture<NavigationStartingEventArgs> started = new CompletableFuture<>();
        ui.invoke(() -> {
            web.navigationStarting().addHandler(a -> {
                started.complete(a);
                a.setCancel(true);
            });
            web.navigationCompleted().addHandler(cancelled::complete);
            web.executeScriptAsync("document.getElementById('go').click(); 0");
        });
        NavigationStartingEventArgs start = started.get(30, TimeUnit.SECONDS);
        assertThat(start.uri()).isEqualTo("https://app.test/b.html");
        assertThat(start.isUserInitiated()).isTrue();
        NavigationCompletedEventArgs done = cancelled.get(30, TimeUnit.SECONDS);
        assertThat(done.isSuccess()).isFalse();
        assertThat(done.navigationId()).isEqualTo(start.navigationId());
        assertThat(ui.invoke(() -> web.executeScript("document.body.textContent"))).startsWith("\"a");
        assertThat(ui.invoke(() -> web.source())).isEqualTo("https://app.test/a.html");
    }

    @Test
    void titleChangesAreRaisedAndReadable() throws Exception {
        serve(Map.of("/t.html", "<title>First</title><p>t</p>"));
        CompletableFuture<String> second = new CompletableFuture<>();
        List<String> titles = new ArrayList<>();
        ui.invoke(() -> web.documentTitleChanged().addHandler(a -> {
            titles.add(a.title());
            if (a.title().equals("Second")) {
                second.complete(web.documentTitle());
            }
        }));
        navigate("https://app.test/t.html");
        ui.invoke(() -> web.executeScriptAsync("document.title = 'Second'"));
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("Second");
        assertThat(ui.invoke(() -> List.copyOf(titles))).contains("First").endsWith("Second");
    }

    @Test
    void cookiesCanBeAddedReadAndDeleted() throws Exception {
        serve(Map.of("/c.html", "<p>c</p>"));
        navigate("https://app.test/c.html");
        ui.invoke(() -> {
            CookieManager cookies = web.cookieManager();
            WebViewCookie a = cookies.createCookie("alpha", "1", "app.test", "/");
            a.setSecure(true);
            cookies.addOrUpdateCookie(a);
            web.executeScript("document.cookie = 'beta=2; path=/; secure'");
            assertThat(names(cookies.getCookies("https://app.test/"))).containsExactlyInAnyOrder("alpha", "beta");
            assertThat(web.executeScript("document.cookie")).contains("alpha=1").contains("beta=2");
            a.setValue("3");
            cookies.addOrUpdateCookie(a);
            assertThat(cookies.getCookies("https://app.test/")).filteredOn(c -> c.name().equals("alpha"))
                    .singleElement().extracting(WebViewCookie::value).isEqualTo("3");
            cookies.deleteCookies("alpha", "https://app.test/");
            assertThat(names(cookies.getCookies("https://app.test/"))).containsExactly("beta");
            assertThat(names(cookies.getCookies(""))).contains("beta");
            cookies.deleteAllCookies();
            assertThat(cookies.getCookies("")).isEmpty();
        });
    }

    private static List<String> names(List<WebViewCookie> cookies) {
        return cookies.stream().map(WebViewCookie::name).collect(Collectors.toList());
    }
}
