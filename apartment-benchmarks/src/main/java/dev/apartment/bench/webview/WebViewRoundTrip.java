package dev.apartment.bench.webview;

import dev.apartment.Dispatcher;
import dev.apartment.webview.WebView;
import dev.apartment.webview.WebViewController;
import dev.apartment.webview.WebViewEnvironment;
import dev.apartment.webview.WebViewEnvironmentOptions;
import dev.apartment.webview.internal.CdpConnection;
import dev.apartment.webview.internal.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A measured harness (not JMH: it needs a real Chromium, which the JMH smoke run in CI does not have) for the web
 * view's two performance targets:
 * <ol>
 *   <li><b>Round trip.</b> {@code web.executeScript("1")} on the owner dispatcher (a send, the browser, the reader
 *       thread, a completion posted to the owner as a call, a {@code waitFor} under {@code CALLS} that runs it)
 *       against the same {@code Runtime.evaluate} sent on the same socket and session from a plain thread that
 *       blocks on the protocol future (the reader thread completes it directly). The difference is the
 *       apartment's overhead; the target is at most 10% of the round trip.</li>
 *   <li><b>Page to host.</b> Messages posted by the page in a tight loop and handled on the owner dispatcher, in
 *       order: messages per second from the script's start to the last handler.</li>
 * </ol>
 * Rounds of the two sides alternate so that drift (JIT, the other processes of the machine) hits both alike; the
 * figures are medians over all measured operations, per side.
 *
 * <pre>
 * java -cp apartment-benchmarks/target/benchmarks.jar dev.apartment.bench.webview.WebViewRoundTrip [rounds] [opsPerRound] [messages]
 * </pre>
 *
 * The plain-thread side reaches the environment's connection and the page's session by reflection (the protocol
 * layer is not exported): this is a benchmark, not an API.
 */
public final class WebViewRoundTrip {

    private WebViewRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        Dispatcher ui = Dispatcher.start("bench-webview-ui");
        WebViewEnvironment env = ui.invoke(() -> WebViewEnvironment.create(WebViewEnvironmentOptions.defaults()));
        try {
            WebViewController controller = ui.invoke(env::createController);
            WebView web = ui.invoke(controller::webView);
            CdpConnection connection = (CdpConnection) field(WebViewEnvironment.class, "connection").get(env);
            String sessionId = (String) field(WebView.class, "sessionId").get(web);

            long[] apartment = new long[rounds * ops];
            long[] plain = new long[rounds * ops];
            // Warm-up: both paths, unmeasured.
            measureApartment(ui, web, new long[ops], 0, ops);
            measurePlain(connection, sessionId, new long[ops], 0, ops);
            for (int r = 0; r < rounds; r++) {
                measureApartment(ui, web, apartment, r * ops, ops);
                measurePlain(connection, sessionId, plain, r * ops, ops);
            }
            double a = median(apartment);
            double p = median(plain);
            System.out.printf(Locale.ROOT, "round trip, median of %d ops per side (%d rounds x %d, alternating)%n",
                    rounds * ops, rounds, ops);
            System.out.printf(Locale.ROOT, "  plain thread, protocol future get():      %8.1f us  (mean %.1f, p99 %.1f)%n",
                    p / 1e3, mean(plain) / 1e3, percentile(plain, 0.99) / 1e3);
            System.out.printf(Locale.ROOT, "  owner dispatcher, executeScript(\"1\"):     %8.1f us  (mean %.1f, p99 %.1f)%n",
                    a / 1e3, mean(apartment) / 1e3, percentile(apartment, 0.99) / 1e3);
            System.out.printf(Locale.ROOT, "  overhead: %+.1f us = %+.1f%% of the round trip (target <= 10%%)%n",
                    (a - p) / 1e3, 100 * (a - p) / p);

            measureMessages(ui, web, Math.min(messages, 5_000)); // warm-up
            double perSecond = measureMessages(ui, web, messages);
            System.out.printf(Locale.ROOT, "page -> host: %d messages handled on the owner dispatcher in order, "
                    + "%.0f messages/s%n", messages, perSecond);
        } finally {
            ui.invoke(env::close);
            ui.invokeShutdown();
        }
    }

    private static void measureApartment(Dispatcher ui, WebView web, long[] out, int from, int n) {
        ui.invoke(() -> {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                String v = web.executeScript("1");
                out[from + i] = System.nanoTime() - t0;
                if (!"1".equals(v)) {
                    throw new AssertionError("executeScript(\"1\") returned " + v);
                }
            }
        });
    }

    private static void measurePlain(CdpConnection c, String sessionId, long[] out, int from, int n)
            throws Exception {
        for (int i = 0; i < n; i++) {
            ObjectNode p = Json.object().put("expression", "1").put("returnByValue", true).put("awaitPromise", true);
            long t0 = System.nanoTime();
            JsonNode r = c.send(sessionId, "Runtime.evaluate", p).get(10, TimeUnit.SECONDS);
            out[from + i] = System.nanoTime() - t0;
            if (r.path("result").path("value").asInt() != 1) {
                throw new AssertionError("Runtime.evaluate returned " + r);
            }
        }
    }

    /** Messages per second, from the page's loop start to the owner's handling of the last message. */
    private static double measureMessages(Dispatcher ui, WebView web, int n) throws Exception {
        CompletableFuture<Long> last = new CompletableFuture<>();
        int[] next = {0};
        java.util.function.Consumer<dev.apartment.webview.WebMessageReceivedEventArgs> handler = a -> {
            if (!a.webMessageAsJson().equals(Integer.toString(next[0]))) {
                last.completeExceptionally(new AssertionError("message " + a.webMessageAsJson() + " arrived when "
                        + next[0] + " was due"));
            }
            if (++next[0] == n) {
                last.complete(System.nanoTime());
            }
        };
        long start = ui.invoke(() -> {
            web.webMessageReceived().addHandler(handler);
            long t0 = System.nanoTime();
            web.executeScriptAsync("for (let i = 0; i < " + n + "; i++) chrome.webview.postMessage(i); 0");
            return t0;
        });
        long end = last.get(120, TimeUnit.SECONDS);
        ui.invoke(() -> web.webMessageReceived().removeHandler(handler));
        return n / ((end - start) / 1e9);
    }

    private static Field field(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private static double median(long[] xs) {
        return percentile(xs, 0.5);
    }

    private static double percentile(long[] xs, double q) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }

    private static double mean(long[] xs) {
        return Arrays.stream(xs).average().orElse(0);
    }

}
