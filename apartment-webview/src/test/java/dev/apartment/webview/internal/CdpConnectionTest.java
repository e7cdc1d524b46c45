package dev.apartment.webview.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apartment.webview.RequiresChromium;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The DevTools layer against a real browser: ids, errors, flattened sessions, event routing, failure. */
@RequiresChromium
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CdpConnectionTest {

    private static BrowserProcess browser;
    private static CdpConnection connection;

    @BeforeAll
    static void start() throws Exception {
        browser = BrowserProcess.start(BrowserLocator.locateOrNull(), null, true, List.of(), 30_000)
                .get(30, TimeUnit.SECONDS);
        connection = CdpConnection.open(browser.devToolsUri().get()).get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        connection.fail(new IllegalStateException("test over"));
        browser.terminate();
    }

    @Test
    void aCommandGetsItsResponse() throws Exception {
        JsonNode version = connection.send("Browser.getVersion", null).get(10, TimeUnit.SECONDS);
        assertThat(version.path("product").asText()).containsIgnoringCase("chrome");
        assertThat(browser.devToolsUri().get().toString()).startsWith("ws://127.0.0.1:");
    }

    @Test
    void anErrorResponseFailsTheFutureNamingTheMethod() {
        CompletableFuture<JsonNode> f = connection.send("No.suchMethod", null);
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(CdpException.class).hasMessageContaining("No.suchMethod");
    }

    @Test
    void aFlattenedSessionGetsItsOwnResponsesAndEvents() throws Exception {
        String targetId = connection.send("Target.createTarget", Json.object().put("url", "about:blank"))
                .get(10, TimeUnit.SECONDS).path("targetId").asText();
        String sessionId = connection.send("Target.attachToTarget", Json.object().put("targetId", targetId)
                .put("flatten", true)).get(10, TimeUnit.SECONDS).path("sessionId").asText();
        LinkedBlockingQueue<String> sessionEvents = new LinkedBlockingQueue<>();
        connection.addSession(sessionId, (method, params) -> sessionEvents.add(method));
        connection.send(sessionId, "Page.enable", null).get(10, TimeUnit.SECONDS);
        connection.send(sessionId, "Page.navigate", Json.object().put("url", "data:text/html,<p>x")).get(10,
                TimeUnit.SECONDS);
        String method;
        do {
            method = sessionEvents.poll(10, TimeUnit.SECONDS);
            assertThat(method).as("an event of the session").isNotNull();
        } while (!method.equals("Page.loadEventFired"));
        JsonNode r = connection.send(sessionId, "Runtime.evaluate", Json.object().put("expression",
                "document.body.textContent").put("returnByValue", true)).get(10, TimeUnit.SECONDS);
        assertThat(r.path("result").path("value").asText()).isEqualTo("x");
        connection.removeSession(sessionId);
        connection.send("Target.closeTarget", Json.object().put("targetId", targetId)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void concurrentSendersEachGetTheirOwnAnswer() throws Exception {
        String targetId = connection.send("Target.createTarget", Json.object().put("url", "about:blank"))
                .get(10, TimeUnit.SECONDS).path("targetId").asText();
        String sessionId = connection.send("Target.attachToTarget", Json.object().put("targetId", targetId)
                .put("flatten", true)).get(10, TimeUnit.SECONDS).path("sessionId").asText();
        int threads = 4;
        int each = 250;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        List<List<CompletableFuture<JsonNode>>> sent = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<CompletableFuture<JsonNode>> mine = new ArrayList<>();
            sent.add(mine);
            int base = t * each;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    mine.add(connection.send(sessionId, "Runtime.evaluate", Json.object()
                            .put("expression", String.valueOf(base + i)).put("returnByValue", true)));
                }
            });
            senders.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : senders) {
            th.join();
        }
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < each; i++) {
                JsonNode r = sent.get(t).get(i).get(20, TimeUnit.SECONDS);
                assertThat(r.path("result").path("value").asInt()).isEqualTo(t * each + i);
            }
        }
        connection.send("Target.closeTarget", Json.object().put("targetId", targetId)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aKilledBrowserFailsEveryPendingCommandAndEveryLaterOne() throws Exception {
        BrowserProcess victim = BrowserProcess.start(BrowserLocator.locateOrNull(), null, true, List.of(), 30_000)
                .get(30, TimeUnit.SECONDS);
        CdpConnection c = CdpConnection.open(victim.devToolsUri().get()).get(30, TimeUnit.SECONDS);
        String targetId = c.send("Target.createTarget", Json.object().put("url", "about:blank"))
                .get(10, TimeUnit.SECONDS).path("targetId").asText();
        String sessionId = c.send("Target.attachToTarget", Json.object().put("targetId", targetId)
                .put("flatten", true)).get(10, TimeUnit.SECONDS).path("sessionId").asText();
        // A command that cannot answer before the kill: a promise that never settles.
        CompletableFuture<JsonNode> pending = c.send(sessionId, "Runtime.evaluate", Json.object()
                .put("expression", "new Promise(() => {})").put("awaitPromise", true));
        // What the environment does: whichever comes first, the socket's reset or the process's exit, ends the
        // connection. (The socket alone is not enough when the process killed is a wrapper script whose child
        // holds the socket; pid() is the child, so here the reset usually wins.)
        victim.onExit().thenRun(() -> c.fail(new IllegalStateException("the browser exited")));
        ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly();
        Throwable cause = c.terminated().get(20, TimeUnit.SECONDS);
        assertThat(cause).isInstanceOf(IllegalStateException.class);
        assertThat(cause.getMessage()).matches("the browser exited|the DevTools connection .*");
        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> c.send("Browser.getVersion", null).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(c.pendingCount()).isZero();
        victim.terminate();
    }
}
