package dev.apartment.webview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.swing.SwingPump;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.awt.EventQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The core scenario on the AWT event dispatch thread: create synchronously inside an operation, and create a second
 * controller synchronously inside a WebMessageReceived handler, while Swing's own events keep their place. Runs with
 * or without a display (the pump works headless; CI runs it under Xvfb).
 */
@RequiresChromium
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebViewOnSwingTest {

    @AfterAll
    static void releaseTheEdt() throws InterruptedException {
        Dispatcher edt = SwingPump.dispatcher();
        edt.invokeShutdown();
        edt.awaitShutdown(Duration.ofSeconds(20));
    }

    @Test
    void theSeedsScenarioOnTheEventDispatchThread() throws Exception {
        Dispatcher edt = SwingPump.dispatcher();
        CompletableFuture<String> result = new CompletableFuture<>();
        List<String> log = new ArrayList<>();
        WebViewEnvironment env = edt.invoke(() -> {
            WebViewEnvironment e = WebViewEnvironment.create(WebViewEnvironmentOptions.defaults());
            WebView web = e.createController().webView();
            web.webMessageReceived().addHandler(args -> {
                log.add("handler on EDT: " + EventQueue.isDispatchThread());
                // An AWT event posted now must not run inside the synchronous wait below (it waits for calls only).
                EventQueue.invokeLater(() -> log.add("invokeLater ran"));
                WebViewController second = e.createController();
                String v = second.webView().executeScript("'second:' + " + args.webMessageAsJson());
                log.add("second controller answered");
                second.close();
                result.complete(v);
            });
            web.navigateToString("<script>chrome.webview.postMessage(42)</script>");
            return e;
        });
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("\"second:42\"");
        edt.invoke(() -> { }); // the invokeLater has had its turn
        EventQueue.invokeAndWait(() -> { });
        assertThat(edt.invoke(() -> List.copyOf(log))).containsExactly("handler on EDT: true",
                "second controller answered", "invokeLater ran");
        edt.invoke(env::close);
    }
}
