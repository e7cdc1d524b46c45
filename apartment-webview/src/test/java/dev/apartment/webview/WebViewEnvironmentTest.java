package dev.apartment.webview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apartment.Dispatcher;
import dev.apartment.WrongDispatcherException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Creating, using and closing environments and controllers; each test owns its environment. */
@RequiresChromium
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebViewEnvironmentTest {

    private final Dispatcher ui = Dispatcher.start("webview-env-test");

    @AfterEach
    void shutDown() throws InterruptedException {
        ui.invokeShutdown();
        ui.awaitShutdown(java.time.Duration.ofSeconds(20));
    }

    @Test
    void createsEnvironmentAndControllerSynchronouslyInsideAnOperation() {
        String answer = ui.invoke(() -> {
            WebViewEnvironment env = WebViewEnvironment.create(WebViewEnvironmentOptions.defaults());
            try {
                WebViewController controller = env.createController();
                assertThat(controller.dispatcher()).isSameAs(ui);
                return controller.webView().executeScript("6 * 7");
            } finally {
                env.close();
            }
        });
        assertThat(answer).isEqualTo("42");
    }

    /**
     * A thread without a running loop: the synchronous wrappers wait there too. The thread gets its dispatcher from
     * the objects it creates (Dispatcher.current()), and the waits run the completions on it.
     */
    @Test
    void synchronousWrappersWorkOnAThreadWithoutARunningLoop() throws Exception {
        java.util.concurrent.CompletableFuture<String> result = new java.util.concurrent.CompletableFuture<>();
        Thread plain = new Thread(() -> {
            try {
                WebViewEnvironment env = WebViewEnvironment.create(WebViewEnvironmentOptions.defaults());
                try {
                    WebView web = env.createController().webView();
                    String cookies = String.valueOf(web.cookieManager().getCookies("").size());
                    result.complete(web.executeScript("'plain'") + " " + cookies);
                } finally {
                    env.close();
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "plain-thread");
        plain.start();
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("\"plain\" 0");
        plain.join(10_000);
    }

    @Test
    void everyMethodChecksTheThread() {
        WebViewController controller = ui.invoke(() ->
                WebViewEnvironment.create(WebViewEnvironmentOptions.defaults()).createController());
        assertThatThrownBy(() -> controller.webView()).isInstanceOf(WrongDispatcherException.class);
        assertThatThrownBy(() -> controller.environment().createControllerAsync())
                .isInstanceOf(WrongDispatcherException.class);
        assertThatThrownBy(() -> controller.setBounds(new WebViewBounds(0, 0, 10, 10)))
                .isInstanceOf(WrongDispatcherException.class);
        ui.invoke(() -> controller.environment().close());
    }

    @Test
    void callsAfterCloseAndNullArgumentsNameTheProblem() {
        ui.invoke(() -> {
            WebViewEnvironment env = WebViewEnvironment.create(WebViewEnvironmentOptions.defaults());
            WebView web = env.createController().webView();
            assertThatThrownBy(() -> web.navigate(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("uri");
            assertThatThrownBy(() -> web.executeScriptAsync(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("javaScript");
            assertThatThrownBy(() -> WebViewEnvironment.createAsync(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("options");
            env.close();
            assertThatThrownBy(() -> web.executeScriptAsync("1")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(env::createControllerAsync).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            env.close(); // idempotent
        });
    }

    @Test
    void aMissingBrowserNamesThePackageToInstall() {
        ui.invoke(() -> {
            WebViewEnvironmentOptions options = WebViewEnvironmentOptions.builder()
                    .browserExecutable(Path.of("/nonexistent/chromium")).build();
            assertThatThrownBy(() -> WebViewEnvironment.create(options)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("apt-get install chromium-headless-shell");
        });
    }
}
