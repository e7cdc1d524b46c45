package dev.apartment.webview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apartment.DispatcherFrame;
import dev.apartment.WaitPolicy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Scripts and web messages on one shared environment; each test gets a fresh controller. */
@RequiresChromium
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebViewScriptAndMessageTest extends SharedEnvironmentFixture {

    /** Navigates to {@code html} and waits (on the test thread) for its NavigationCompleted. */
    private NavigationCompletedEventArgs load(String html) throws Exception {
        CompletableFuture<NavigationCompletedEventArgs> done = new CompletableFuture<>();
        ui.invoke(() -> {
            web.navigationCompleted().addHandler(done::complete);
            web.navigateToString(html);
        });
        return done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void scriptValuesComeBackAsJson() throws Exception {
        load("<title>t</title><p id=p>para</p>");
        List<String> results = ui.invoke(() -> List.of(
                web.executeScript("1 + 1"),
                web.executeScript("'a' + \"\\\"b\\\"\""),
                web.executeScript("({x: [1, true, null], y: 'z'})"),
                web.executeScript("undefined"),
                web.executeScript("NaN"),
                web.executeScript("document.getElementById('p').textContent"),
                web.executeScript("new Promise(r => setTimeout(() => r(5), 10))")));
        assertThat(results).containsExactly("2", "\"a\\\"b\\\"\"", "{\"x\":[1,true,null],\"y\":\"z\"}", "null",
                "null", "\"para\"", "5");
    }

    @Test
    void scriptErrorsFailWithTheJavaScriptMessage() {
        ui.invoke(() -> {
            assertThatThrownBy(() -> web.executeScript("throw new Error('boom')"))
                    .isInstanceOf(WebViewScriptException.class).hasMessage("Error: boom");
            assertThatThrownBy(() -> web.executeScript("1 +* 2")).isInstanceOf(WebViewScriptException.class)
                    .hasMessageContaining("SyntaxError");
            assertThatThrownBy(() -> web.executeScript("Promise.reject(new TypeError('nope'))"))
                    .isInstanceOf(WebViewScriptException.class).hasMessageContaining("TypeError: nope");
            assertThatThrownBy(() -> web.executeScript("throw 'plain'"))
                    .isInstanceOf(WebViewScriptException.class).hasMessageContaining("plain");
        });
    }

    @Test
    void asyncCompletionsRunOnTheOwnerThreadAsCalls() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        ui.invoke(() -> web.executeScriptAsync("3").thenAccept(v -> ranOn.complete(Thread.currentThread())));
        assertThat(ranOn.get(20, TimeUnit.SECONDS)).isSameAs(ui.thread());
        // A CALLS wait runs the completion even while a posted message (the next line's) waits behind it.
        String v = ui.invoke(() -> {
            CompletableFuture<Boolean> posted = new CompletableFuture<>();
            ui.post(() -> posted.complete(true));
            String r = ui.waitFor(web.executeScriptAsync("4"), WaitPolicy.CALLS);
            assertThat(posted).isNotDone();
            return r;
        });
        assertThat(v).isEqualTo("4");
    }

    @Test
    void documentCreatedScriptsRunBeforeThePagesOwn() throws Exception {
        ui.invoke(() -> ui.waitFor(web.addScriptToExecuteOnDocumentCreatedAsync("window.injected = 'yes';"),
                WaitPolicy.CALLS));
        load("<script>window.seen = window.injected;</script>");
        assertThat(ui.invoke(() -> web.executeScript("window.seen"))).isEqualTo("\"yes\"");
    }

    @Test
    void pageToHostMessagesArriveInOrderNoneLost() throws Exception {
        int n = 10_000;
        List<String> received = new ArrayList<>();
        CompletableFuture<Void> all = new CompletableFuture<>();
        ui.invoke(() -> web.webMessageReceived().addHandler(args -> {
            received.add(args.webMessageAsJson());
            if (received.size() == n) {
                all.complete(null);
            }
        }));
        load("<p>x</p>");
        ui.invoke(() -> web.executeScriptAsync(
                "for (let i = 0; i < " + n + "; i++) chrome.webview.postMessage({i}); 0"));
        all.get(60, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            assertThat(received.get(i)).isEqualTo("{\"i\":" + i + "}");
        }
    }

    @Test
    void hostToPageMessagesArriveInOrderNoneLost() throws Exception {
        int n = 10_000;
        load("<script>window.got = []; chrome.webview.addEventListener('message', e => {"
                + " got.push(e.data); if (got.length === " + n + ") chrome.webview.postMessage('done'); });</script>");
        CompletableFuture<String> done = new CompletableFuture<>();
        ui.invoke(() -> {
            web.webMessageReceived().addHandler(a -> done.complete(a.tryGetWebMessageAsString()));
            for (int i = 0; i < n; i++) {
                if (i % 2 == 0) {
                    web.postWebMessageAsJson("{\"i\":" + i + "}");
                } else {
                    web.postWebMessageAsString(String.valueOf(i));
                }
            }
        });
        assertThat(done.get(60, TimeUnit.SECONDS)).isEqualTo("done");
        String check = ui.invoke(() -> web.executeScript("got.every((d, i) => i % 2 === 0 ? d.i === i : d === String(i))"
                + " && got.length"));
        assertThat(check).isEqualTo(String.valueOf(n));
    }

    @Test
    void messageArgsCarryTheSourceAndTheStringForm() throws Exception {
        CompletableFuture<WebMessageReceivedEventArgs> got = new CompletableFuture<>();
        ui.invoke(() -> web.webMessageReceived().addHandler(got::complete));
        load("<script>chrome.webview.postMessage('hello')</script>");
        WebMessageReceivedEventArgs a = got.get(20, TimeUnit.SECONDS);
        assertThat(a.webMessageAsJson()).isEqualTo("\"hello\"");
        assertThat(a.tryGetWebMessageAsString()).isEqualTo("hello");
        assertThat(a.source()).startsWith("data:text/html");
        ui.invoke(() -> assertThatThrownBy(() -> web.postWebMessageAsJson("{not json"))
                .isInstanceOf(IllegalArgumentException.class));
    }

    /** The seed's case: a second controller created synchronously inside a WebMessageReceived handler. */
    @Test
    void aSecondControllerCreatedSynchronouslyInsideAWebMessageHandler() throws Exception {
        CompletableFuture<String> result = new CompletableFuture<>();
        ui.invoke(() -> web.webMessageReceived().addHandler(args -> {
            WebViewController second = env.createController(); // waits under CALLS, inside the handler
            try {
                result.complete(second.webView().executeScript("'second:' + " + args.webMessageAsJson()));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                second.close();
            }
        }));
        load("<script>chrome.webview.postMessage(7)</script>");
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("\"second:7\"");
    }

    /** WebView2's rule: a handler that runs a nested loop is not re-entered by the next event of the source. */
    @Test
    void aHandlerWaitingInANestedLoopIsNotReentered() throws Exception {
        List<String> log = new ArrayList<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        ui.invoke(() -> web.webMessageReceived().addHandler(args -> {
            String m = args.webMessageAsJson();
            log.add("enter " + m);
            if (m.equals("1")) {
                // A nested loop that runs everything (messages too) until message 2 has certainly been raised:
                // the page posts it before it answers this script.
                String r = ui.waitFor(web.executeScriptAsync("chrome.webview.postMessage(2); 'posted'"),
                        WaitPolicy.CALLS_AND_MESSAGES);
                DispatcherFrame frame = new DispatcherFrame();
                ui.post(() -> frame.setContinue(false), dev.apartment.DispatcherPriority.BACKGROUND);
                ui.pushFrame(frame);
                log.add("waited " + r);
            } else {
                second.complete(null);
            }
            log.add("leave " + m);
        }));
        load("<script>chrome.webview.postMessage(1)</script>");
        second.get(20, TimeUnit.SECONDS);
        assertThat(ui.invoke(() -> List.copyOf(log)))
                .containsExactly("enter 1", "waited \"posted\"", "leave 1", "enter 2", "leave 2");
    }

    @Test
    void pendingScriptsFailWhenTheControllerCloses() {
        Throwable failure = ui.invoke(() -> {
            CompletableFuture<String> never = web.executeScriptAsync("new Promise(() => {})");
            controller.close();
            assertThat(never).isCompletedExceptionally();
            try {
                never.join();
                return null;
            } catch (RuntimeException e) {
                return e.getCause();
            }
        });
        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void executeScriptFromAPlainThreadIsRefused() {
        assertThatThrownBy(() -> web.executeScript("1")).isInstanceOf(dev.apartment.WrongDispatcherException.class);
    }

    static void await(CompletableFuture<?> f) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        f.get(30, TimeUnit.SECONDS);
    }
}
