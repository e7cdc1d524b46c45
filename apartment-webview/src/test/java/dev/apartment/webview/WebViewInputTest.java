package dev.apartment.webview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apartment.Dispatcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Input a host forwards to an off-screen page: {@link WebViewController#sendMouseInput} and
 * {@link WebViewController#sendKeyInput}. Every check reads the page's own record of the events it received, with a
 * script sent after the input (the order guarantee), or a web message the page posts from its event handler.
 */
@RequiresChromium
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebViewInputTest {

    private static final String PAGE = "<style>body{margin:0;height:3000px}"
            + "#b{position:absolute;left:100px;top:50px;width:120px;height:40px}"
            + "#t{position:absolute;left:100px;top:150px;width:200px}</style>"
            + "<button id=b onclick=\"chrome.webview.postMessage('clicked ' + event.clientX + ',' + event.clientY)\">"
            + "Click</button><input id=t>"
            + "<script>window.keys = []; document.addEventListener('keydown', e => keys.push(e.key));</script>";

    private static Dispatcher ui;
    private static WebViewEnvironment env;
    private static WebViewController controller;
    private static final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();

    @BeforeAll
    static void open() throws Exception {
        ui = Dispatcher.start("webview-ui");
        CompletableFuture<NavigationCompletedEventArgs> loaded = new CompletableFuture<>();
        controller = ui.invoke(() -> {
            env = WebViewEnvironment.create(WebViewEnvironmentOptions.defaults());
            WebViewController c = env.createController();
            c.webView().webMessageReceived().addHandler(a -> messages.add(a.tryGetWebMessageAsString()));
            c.webView().navigationCompleted().addHandler(loaded::complete);
            c.webView().navigateToString(PAGE);
            return c;
        });
        assertThat(loaded.get(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    @AfterAll
    static void close() throws InterruptedException {
        if (ui != null) {
            ui.invoke(() -> env.close());
            ui.invokeShutdown();
            ui.awaitShutdown(Duration.ofSeconds(20));
        }
    }

    private static void mouse(WebViewMouseEventKind kind, Set<WebViewMouseEventVirtualKeys> keys, int data, int x,
                              int y) {
        ui.invoke(() -> controller.sendMouseInput(kind, keys, data, x, y));
    }

    @Test
    void aDownAndAnUpOnAButtonClickIt() throws Exception {
        Set<WebViewMouseEventVirtualKeys> none = EnumSet.noneOf(WebViewMouseEventVirtualKeys.class);
        mouse(WebViewMouseEventKind.MOVE, none, 0, 150, 70);
        mouse(WebViewMouseEventKind.LEFT_BUTTON_DOWN, EnumSet.of(WebViewMouseEventVirtualKeys.LEFT_BUTTON), 0, 150,
                70);
        mouse(WebViewMouseEventKind.LEFT_BUTTON_UP, none, 0, 150, 70);
        assertThat(messages.poll(20, TimeUnit.SECONDS)).isEqualTo("clicked 150,70");
    }

    @Test
    void aClickFocusesAnInputAndKeysTypeIntoIt() {
        Set<WebViewMouseEventVirtualKeys> none = EnumSet.noneOf(WebViewMouseEventVirtualKeys.class);
        mouse(WebViewMouseEventKind.LEFT_BUTTON_DOWN, EnumSet.of(WebViewMouseEventVirtualKeys.LEFT_BUTTON), 0, 150,
                160);
        mouse(WebViewMouseEventKind.LEFT_BUTTON_UP, none, 0, 150, 160);
        String value = ui.invoke(() -> {
            for (char ch : "abx".toCharArray()) {
                controller.sendKeyInput(WebViewKeyEventKind.KEY_DOWN, Character.toUpperCase(ch), String.valueOf(ch));
                controller.sendKeyInput(WebViewKeyEventKind.KEY_UP, Character.toUpperCase(ch), "");
            }
            controller.sendKeyInput(WebViewKeyEventKind.KEY_DOWN, 8, ""); // Backspace
            controller.sendKeyInput(WebViewKeyEventKind.KEY_UP, 8, "");
            controller.sendKeyInput(WebViewKeyEventKind.KEY_DOWN, 'C', "c");
            controller.sendKeyInput(WebViewKeyEventKind.KEY_UP, 'C', "");
            return controller.webView().executeScript(
                    "[document.activeElement.id, document.getElementById('t').value, keys.join(' ')]");
        });
        assertThat(value).isEqualTo("[\"t\",\"abc\",\"a b x Backspace c\"]");
    }

    @Test
    void theWheelScrollsThePage() {
        Set<WebViewMouseEventVirtualKeys> none = EnumSet.noneOf(WebViewMouseEventVirtualKeys.class);
        mouse(WebViewMouseEventKind.WHEEL, none, -240, 400, 300); // two notches towards the user: down
        // Scrolling is asynchronous in the page: poll its position with scripts until it moved.
        String y = "0";
        for (int i = 0; i < 200 && y.equals("0"); i++) {
            y = ui.invoke(() -> controller.webView().executeScript(
                    "new Promise(r => requestAnimationFrame(() => r(Math.round(window.scrollY))))"));
        }
        assertThat(Integer.parseInt(y)).isPositive();
        ui.invoke(() -> controller.webView().executeScript("window.scrollTo(0, 0)"));
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> ui.invoke(() -> {
            controller.sendMouseInput(null, Set.of(), 0, 0, 0);
            return null;
        })).isInstanceOf(NullPointerException.class).hasMessageContaining("eventKind");
        assertThatThrownBy(() -> ui.invoke(() -> {
            controller.sendKeyInput(WebViewKeyEventKind.KEY_DOWN, 65, null);
            return null;
        })).isInstanceOf(NullPointerException.class).hasMessageContaining("text");
        assertThatThrownBy(() -> controller.sendMouseInput(WebViewMouseEventKind.MOVE, Set.of(), 0, 0, 0))
                .isInstanceOf(dev.apartment.WrongDispatcherException.class);
    }
}
