package dev.apartment.samples.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;
import dev.apartment.samples.AppSite;
import dev.apartment.samples.RequiresChromium;
import dev.apartment.swing.SwingPump;

import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Point;
import java.awt.event.KeyEvent;
import java.awt.event.MouseWheelEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import javax.swing.JFrame;
import javax.swing.WindowConstants;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The "Web view" tab against a real Chromium, on a real display (Xvfb in CI): the page is painted, Swing's mouse,
 * wheel and key events reach it, the synchronous script button returns, messages go both ways, a new-window request
 * and a killed browser are handled. The tab is shown alone in a frame of its own; input is dispatched to its page
 * component as AWT would deliver it, and the test reads the tab's state on the EDT until it is as expected
 * ({@link EdtPoll}, bounded). Skipped without a display; without Chromium skipped, or failed in CI.
 */
@RequiresChromium
@Timeout(90)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebViewTabTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final int BACKGROUND = 0xF2F2F2;

    private static Dispatcher ui;
    private static JFrame frame;
    private static WebViewTab tab;
    private static final Set<Long> browsers = new HashSet<>();

    @BeforeAll
    static void open() {
        Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(), "needs a display (run under xvfb-run)");
        ui = SwingPump.dispatcher();
        tab = ui.invoke(() -> {
            WebViewTab t = new WebViewTab(ui);
            frame = new JFrame("WebViewTabTest");
            frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
            frame.setContentPane(t);
            frame.setSize(900, 620);
            frame.setVisible(true); // showing the tab starts the browser
            return t;
        });
        until(() -> tab.isReady() || tab.isUnavailable(), b -> b, "Chromium to start");
        assertThat(ui.invoke(tab::isUnavailable)).as(() -> ui.invoke(() -> tab.events.getText())).isFalse();
        browsers.add(pid());
        until(() -> tab.events.getText(), t -> t.contains("NavigationCompleted success"), "the home page to load");
    }

    @AfterAll
    static void close() throws Exception {
        if (tab == null) {
            return;
        }
        ui.invoke(() -> {
            tab.close();
            frame.dispose();
        });
        for (long pid : browsers) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("browser " + pid)
                    .isFalse();
        }
        ui.beginInvokeShutdown(DispatcherPriority.SEND);
        assertThat(ui.awaitShutdown(Duration.ofSeconds(10))).isTrue();
    }

    private static <T> T until(Callable<T> state, Predicate<? super T> done, String what) {
        return EdtPoll.until(ui, state, done, LIMIT, what);
    }

    /** What {@code log} says after {@code marker}, or nothing if it does not say that yet. */
    private static String after(String log, String marker) {
        int i = log.indexOf(marker);
        return i < 0 ? "" : log.substring(i);
    }

    /** How many navigations completed successfully in {@code log}. */
    private static int completions(String log) {
        return log.split("NavigationCompleted success", -1).length - 1;
    }

    private static long pid() {
        return ui.invoke(() -> tab.controller().webView().browserProcessId());
    }

    private static String script(String js) {
        return ui.invoke(() -> tab.controller().webView().executeScript(js));
    }

    /** The share of the page component's painted pixels that are not its empty background, and their colours. */
    private static double[] paintedPage() throws Exception {
        BufferedImage image = ui.invoke(() -> SamplesWindow.paint(tab.page));
        SamplesWindow.writePng(image, Path.of("target", "screenshots", "webview-page.png"));
        Set<Integer> colours = new HashSet<>();
        long nonBackground = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (rgb != BACKGROUND) {
                    nonBackground++;
                }
            }
        }
        return new double[] {(double) nonBackground / ((long) image.getWidth() * image.getHeight()), colours.size()};
    }

    @Test
    @Order(1)
    void thePageIsPaintedFromLiveCaptures() throws Exception {
        int before = ui.invoke(tab.page::framesPainted);
        until(tab.page::framesPainted, n -> n >= before + 2, "two more frames");
        double[] painted = paintedPage();
        assertThat(painted[0]).as("share of non-background pixels").isGreaterThan(0.9);
        assertThat(painted[1]).as("colours").isGreaterThan(100);
        BufferedImage frameImage = ui.invoke(tab.page::frame);
        assertThat(frameImage.getWidth()).isEqualTo(ui.invoke(tab.page::getWidth));
        assertThat(script("innerWidth + 'x' + innerHeight")).isEqualTo("\"" + ui.invoke(tab.page::getWidth) + "x"
                + ui.invoke(tab.page::getHeight) + "\"");
    }

    @Test
    @Order(2)
    void aClickOnThePageComponentClicksThePageButton() {
        Point button = ui.invoke(() -> tab.centerOf("click"));
        ui.invoke(() -> tab.clickPage(button));
        until(() -> tab.messages.getText(), t -> t.contains("page -> host: {\"type\":\"click\",\"clicks\":1}"),
                "the page's web message about the click");
        assertThat(script("document.getElementById('clicks').textContent")).isEqualTo("\"clicked 1 times\"");
    }

    @Test
    @Order(3)
    void theSyncScriptButtonShowsTheResultInsideTheClickHandler() {
        EventQueue.invokeLater(tab.script::doClick);
        String result = until(() -> tab.result.getText(), t -> t.startsWith("executeScript returned"),
                "the script's result");
        assertThat(result).contains("\"title\":\"" + AppSite.TITLE + "\"", "\"clicks\":1",
                "inside the click handler on 'AWT-EventQueue");
    }

    @Test
    @Order(4)
    void keysTypeIntoTheFocusedInput() {
        Point input = ui.invoke(() -> tab.centerOf("text"));
        ui.invoke(() -> tab.clickPage(input));
        until(() -> script("document.activeElement.id"), "\"text\""::equals, "the input to take the focus");
        ui.invoke(() -> {
            long when = System.currentTimeMillis();
            tab.page.dispatchEvent(new KeyEvent(tab.page, KeyEvent.KEY_PRESSED, when, 0, KeyEvent.VK_END,
                    KeyEvent.CHAR_UNDEFINED));
            tab.page.dispatchEvent(new KeyEvent(tab.page, KeyEvent.KEY_RELEASED, when, 0, KeyEvent.VK_END,
                    KeyEvent.CHAR_UNDEFINED));
            for (char c : "!?".toCharArray()) {
                tab.page.dispatchEvent(new KeyEvent(tab.page, KeyEvent.KEY_TYPED, when, 0, KeyEvent.VK_UNDEFINED, c));
            }
            tab.page.dispatchEvent(new KeyEvent(tab.page, KeyEvent.KEY_PRESSED, when, 0, KeyEvent.VK_BACK_SPACE,
                    KeyEvent.CHAR_UNDEFINED));
            tab.page.dispatchEvent(new KeyEvent(tab.page, KeyEvent.KEY_RELEASED, when, 0, KeyEvent.VK_BACK_SPACE,
                    KeyEvent.CHAR_UNDEFINED));
        });
        assertThat(script("document.getElementById('text').value")).isEqualTo("\"hello from the page!\"");
    }

    @Test
    @Order(5)
    void theWheelScrollsThePage() {
        ui.invoke(() -> tab.page.dispatchEvent(new MouseWheelEvent(tab.page, MouseWheelEvent.MOUSE_WHEEL,
                System.currentTimeMillis(), 0, 200, 300, 0, false, MouseWheelEvent.WHEEL_UNIT_SCROLL, 3, 3)));
        until(() -> Integer.parseInt(script("new Promise(r => requestAnimationFrame(() => r(Math.round(scrollY))))")),
                y -> y > 0, "the page to scroll");
        script("scrollTo(0, 0)");
    }

    @Test
    @Order(6)
    void webMessagesGoBothWays() {
        ui.invoke(() -> tab.outgoing.setText("ping from Swing"));
        EventQueue.invokeLater(tab.post::doClick);
        until(() -> script("document.getElementById('inbox').textContent"), t -> t.contains("ping from Swing"),
                "the page to show the host's message");
        Point send = ui.invoke(() -> tab.centerOf("send"));
        ui.invoke(() -> tab.clickPage(send));
        until(() -> tab.messages.getText(), t -> t.contains("{\"type\":\"text\",\"text\":\"hello from the page!\"}"),
                "the page's message");
    }

    @Test
    @Order(7)
    void aNewWindowRequestIsLoggedAndOpensInTheView() {
        Point open = ui.invoke(() -> tab.centerOf("open"));
        ui.invoke(() -> tab.clickPage(open));
        String events = until(() -> tab.events.getText(), t -> completions(after(t,
                "NavigationStarting " + AppSite.SECOND)) == 1, "the second page");
        assertThat(events).contains("DocumentTitleChanged \"Second page\"");
        assertThat(events).contains("NewWindowRequested " + AppSite.SECOND, "NavigationStarting " + AppSite.SECOND);
        assertThat(events.indexOf("NewWindowRequested " + AppSite.SECOND))
                .isLessThan(events.indexOf("NavigationStarting " + AppSite.SECOND));
        int before = completions(events);
        ui.invoke(() -> {
            tab.address.setText("/");
            tab.goClicked();
        });
        // No script until the navigation completed: see WebViewTab.navigating.
        until(() -> completions(tab.events.getText()), n -> n > before, "home again");
        assertThat(script("document.title")).isEqualTo("\"" + AppSite.TITLE + "\"");
    }

    @Test
    @Order(8)
    void killingTheBrowserRaisesProcessFailedAndANewEnvironmentTakesOver() throws Exception {
        long first = pid();
        EventQueue.invokeLater(tab.kill::doClick);
        String events = until(() -> tab.events.getText(), t -> t.contains("environment #2 created"),
                "a new environment");
        assertThat(events).contains("killing the browser process tree (pid " + first + ")",
                "ProcessFailed BROWSER_PROCESS_EXITED", "recovering: a new environment");
        until(tab::isReady, r -> r, "the new page");
        long second = pid();
        browsers.add(second);
        assertThat(second).isNotEqualTo(first);
        until(() -> completions(after(tab.events.getText(),
                "environment #2 created")), n -> n == 1, "the home page in the new browser");
        int before = ui.invoke(tab.page::framesPainted);
        until(tab.page::framesPainted, n -> n >= before + 2, "frames from the new browser");
        assertThat(paintedPage()[1]).isGreaterThan(100);
        until(() -> ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false), alive -> !alive,
                "the killed browser to be gone");
    }

    @Test
    @Order(9)
    void withoutAChromiumTheTabSaysWhatToInstall() throws Exception {
        String before = System.getProperty("apartment.webview.browser");
        System.setProperty("apartment.webview.browser", "/nonexistent/chromium");
        try {
            WebViewTab missing = ui.invoke(() -> {
                WebViewTab t = new WebViewTab(ui);
                t.start();
                return t;
            });
            assertThat(ui.invoke(missing::isUnavailable)).isTrue();
            assertThat(ui.invoke(() -> missing.status.getText())).startsWith("No real web view");
            assertThat(ui.invoke(() -> missing.events.getText())).contains("/nonexistent/chromium",
                    "apt-get install chromium-headless-shell");
            assertThat(ui.invoke(() -> missing.script.isEnabled() || missing.kill.isEnabled())).isFalse();
            ui.invoke(missing::close);
        } finally {
            if (before == null) {
                System.clearProperty("apartment.webview.browser");
            } else {
                System.setProperty("apartment.webview.browser", before);
            }
        }
    }
}
