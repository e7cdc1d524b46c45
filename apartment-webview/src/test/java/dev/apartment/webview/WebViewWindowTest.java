package dev.apartment.webview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apartment.Deferral;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** New-window requests with deferrals, capture, bounds and visibility, on one shared environment. */
@RequiresChromium
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebViewWindowTest extends SharedEnvironmentFixture {

    /** Serves every path of https://app.test/ with a page whose body is the path. Owner thread. */
    private static void serveEcho(WebView w) {
        w.addWebResourceRequestedFilter("https://app.test/*", WebResourceContext.DOCUMENT);
        w.webResourceRequested().addHandler(a -> {
            String path = a.request().uri().substring("https://app.test".length());
            a.setResponse(new WebResourceResponse(("<title>" + path + "</title><body>" + path + "</body>")
                    .getBytes(StandardCharsets.UTF_8), 200, "OK", Map.of("Content-Type", "text/html")));
        });
    }

    private static NavigationCompletedEventArgs load(WebView w, String uri) throws Exception {
        CompletableFuture<NavigationCompletedEventArgs> done = new CompletableFuture<>();
        ui.invoke(() -> {
            w.navigationCompleted().addHandler(done::complete);
            w.navigate(uri);
        });
        return done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aNewWindowRequestIsAnsweredWithAWebViewCreatedAfterADeferral() throws Exception {
        ui.invoke(() -> serveEcho(web));
        load(web, "https://app.test/opener.html");
        CompletableFuture<NewWindowRequestedEventArgs> requested = new CompletableFuture<>();
        CompletableFuture<NavigationCompletedEventArgs> popupLoaded = new CompletableFuture<>();
        List<String> order = new ArrayList<>();
        ui.invoke(() -> web.newWindowRequested().addHandler(args -> {
            requested.complete(args);
            Deferral deferral = args.getDeferral();
            order.add("handler returned with a deferral");
            env.createControllerAsync().thenAccept(popup -> { // on the owner thread, later
                WebView pw = popup.webView();
                serveEcho(pw);
                pw.navigationCompleted().addHandler(popupLoaded::complete);
                args.setNewWindow(pw);
                order.add("new window set");
                deferral.complete();
            });
        }));
        String opened = ui.invoke(() -> web.executeScript(
                "String(window.open('popup.html?x=1', 'pop', 'width=200,height=100'))"));
        assertThat(opened).isEqualTo("\"null\"");
        NewWindowRequestedEventArgs args = requested.get(30, TimeUnit.SECONDS);
        assertThat(args.uri()).isEqualTo("https://app.test/popup.html?x=1");
        assertThat(args.name()).isEqualTo("pop");
        assertThat(args.windowFeatures()).isEqualTo("width=200,height=100");
        assertThat(popupLoaded.get(30, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(ui.invoke(() -> List.copyOf(order))).containsExactly("handler returned with a deferral",
                "new window set");
        String body = ui.invoke(() -> args.newWindow().executeScript("document.body.textContent"));
        assertThat(body).isEqualTo("\"/popup.html?x=1\"");
        assertThat(ui.invoke(() -> env.controllers().size())).isEqualTo(2);
    }

    @Test
    void aHandledRequestWithoutAWindowOpensNothing() throws Exception {
        CompletableFuture<Boolean> raised = new CompletableFuture<>();
        ui.invoke(() -> web.newWindowRequested().addHandler(a -> {
            a.setHandled(true);
            raised.complete(a.handled());
        }));
        load(web, "about:blank");
        ui.invoke(() -> web.executeScript("window.open('about:blank#x'); 0"));
        assertThat(raised.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ui.invoke(() -> env.controllers().size())).isEqualTo(1);
    }

    @Test
    void capturePreviewReturnsAnImageOfTheBoundsSize() throws Exception {
        ui.invoke(() -> controller.setBounds(new WebViewBounds(10, 20, 320, 240)));
        CompletableFuture<NavigationCompletedEventArgs> loaded = new CompletableFuture<>();
        ui.invoke(() -> {
            web.navigationCompleted().addHandler(loaded::complete);
            web.navigateToString("<body style='margin:0;background:#f00'>red</body>");
        });
        loaded.get(30, TimeUnit.SECONDS);
        byte[] png = ui.invoke(() -> ui.waitFor(web.capturePreviewAsync(CapturePreviewImageFormat.PNG),
                dev.apartment.WaitPolicy.CALLS));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        // The PNG header's IHDR chunk: width and height, big-endian, at bytes 16..23.
        int width = ((png[16] & 0xff) << 24) | ((png[17] & 0xff) << 16) | ((png[18] & 0xff) << 8) | (png[19] & 0xff);
        int height = ((png[20] & 0xff) << 24) | ((png[21] & 0xff) << 16) | ((png[22] & 0xff) << 8) | (png[23] & 0xff);
        assertThat(width).isEqualTo(320);
        assertThat(height).isEqualTo(240);
        byte[] jpeg = ui.invoke(() -> ui.waitFor(web.capturePreviewAsync(CapturePreviewImageFormat.JPEG),
                dev.apartment.WaitPolicy.CALLS));
        assertThat(jpeg).startsWith(0xff, 0xd8);
        assertThat(ui.invoke(() -> web.executeScript("[innerWidth, innerHeight]"))).isEqualTo("[320,240]");
        assertThat(ui.invoke(() -> controller.bounds())).isEqualTo(new WebViewBounds(10, 20, 320, 240));
    }

    @Test
    void aCrashedRendererRaisesProcessFailedOnItsWebViewOnly() throws Exception {
        CompletableFuture<ProcessFailedEventArgs> failed = new CompletableFuture<>();
        CompletableFuture<String> pending = ui.invoke(() -> {
            web.processFailed().addHandler(failed::complete);
            CompletableFuture<String> never = web.executeScriptAsync("new Promise(() => {})");
            web.navigate("chrome://crash");
            return never;
        });
        assertThat(failed.get(30, TimeUnit.SECONDS).processFailedKind())
                .isEqualTo(ProcessFailedKind.RENDER_PROCESS_EXITED);
        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebViewProcessFailedException.class).hasMessageContaining("renderer");
        // The environment lives on: another page works, and so does this one after a new navigation.
        assertThat(ui.invoke(() -> env.createController().webView().executeScript("1 + 2"))).isEqualTo("3");
        assertThat(ui.invoke(() -> env.isAlive())).isTrue();
        CompletableFuture<NavigationCompletedEventArgs> reloaded = new CompletableFuture<>();
        ui.invoke(() -> {
            web.navigationCompleted().addHandler(a -> {
                if (a.isSuccess()) {
                    reloaded.complete(a);
                }
            });
            web.navigateToString("<p>back</p>");
        });
        reloaded.get(30, TimeUnit.SECONDS);
        assertThat(ui.invoke(() -> web.executeScript("document.body.textContent"))).isEqualTo("\"back\"");
    }

    @Test
    void visibilityIsTheHostsState() {
        ui.invoke(() -> {
            assertThat(controller.isVisible()).isTrue();
            controller.setVisible(false);
            assertThat(controller.isVisible()).isFalse();
        });
    }
}
