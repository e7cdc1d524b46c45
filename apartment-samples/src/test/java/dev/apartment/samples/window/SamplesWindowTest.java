package dev.apartment.samples.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;
import dev.apartment.swing.SwingPump;

import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import javax.swing.AbstractButton;
import javax.swing.JComponent;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Clicks through every tab of the samples window on a real display (Xvfb in CI) and checks what it shows. Clicks
 * are {@code doClick()} posted to the EDT with {@code invokeLater}, as a mouse click would arrive, so a handler that
 * blocks in a nested frame or a wait does not block the test; the test then reads the window's state on the EDT
 * with {@code ui.invoke} until it is as expected ({@link EdtPoll}, bounded). Each tab is painted into
 * {@code target/screenshots/} as a test artifact. Skipped without a display.
 */
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SamplesWindowTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static Dispatcher ui;
    private static SamplesWindow w;
    private static final CountDownLatch closed = new CountDownLatch(1);

    @BeforeAll
    static void open() {
        Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(), "needs a display (run under xvfb-run)");
        ui = SwingPump.dispatcher();
        SamplesWindow.Settings settings = new SamplesWindow.Settings(Duration.ofMillis(800),
                Duration.ofMillis(1500), Duration.ofMillis(20));
        w = ui.invoke(() -> SamplesWindow.open(ui, settings, closed::countDown));
    }

    @AfterAll
    static void close() throws Exception {
        if (w == null) {
            return;
        }
        ui.invoke(w::close);
        assertThat(closed.await(10, TimeUnit.SECONDS)).as("onClosed ran").isTrue();
        assertThat(alive("samples-window-1", "samples-window-2", "browser-process")).isEmpty();
        ui.beginInvokeShutdown(DispatcherPriority.SEND);
        assertThat(ui.awaitShutdown(Duration.ofSeconds(5))).isTrue();
    }

    private static void click(AbstractButton button) {
        EventQueue.invokeLater(button::doClick);
    }

    private static <T> T until(Callable<T> state, Predicate<? super T> done, String what) {
        return EdtPoll.until(ui, state, done, LIMIT, what);
    }

    private static void screenshot(String name, JComponent c) throws Exception {
        SamplesWindow.writePng(ui.invoke(() -> SamplesWindow.paint(c)), SCREENSHOTS.resolve(name + ".png"));
    }

    private static List<String> alive(String... names) {
        List<String> wanted = List.of(names);
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && wanted.contains(t.getName()))
                .map(Thread::getName).collect(Collectors.toList());
    }

    @Test
    @Order(1)
    void primeSearchGrowsTheLabelStopsAndResumesWhileClicksAreAnswered() throws Exception {
        ui.invoke(() -> w.select("Prime"));
        assertThat(ui.invoke(() -> w.primes.biggestPrime.getText())).isEqualTo("3");

        click(w.primes.startStop);
        until(() -> w.primes.startStop.getText(), "Stop"::equals, "the button to say Stop");
        long first = until(() -> Long.parseLong(w.primes.biggestPrime.getText()), b -> b > 10_000,
                "the biggest prime to pass 10,000");
        assertThat(PrimeTab.isPrime(first)).isTrue();

        // the window answers clicks while the search runs
        click(w.primes.clickMe);
        until(() -> w.primes.clicks.getText(), t -> t.startsWith("clicked 1 times"), "the click to be answered");
        assertThat(ui.invoke(w.primes::isRunning)).isTrue();

        click(w.primes.startStop);
        until(() -> w.primes.startStop.getText(), "Resume"::equals, "the button to say Resume");
        assertThat(ui.invoke(w.primes::isRunning)).isFalse();
        long stoppedAt = ui.invoke(w.primes::biggest);
        // a BACKGROUND read runs after anything queued above SYSTEM_IDLE: the search did not go on
        assertThat(ui.invoke(w.primes::biggest, DispatcherPriority.SYSTEM_IDLE)).isEqualTo(stoppedAt);

        click(w.primes.startStop);
        until(() -> Long.parseLong(w.primes.biggestPrime.getText()), b -> b > stoppedAt, "the search to resume");
        screenshot("primes", w.frame.getRootPane());
        click(w.primes.startStop);
        until(() -> w.primes.startStop.getText(), "Resume"::equals, "the search to stop again");
    }

    @Test
    @Order(2)
    void weatherDisablesTheButtonAnimatesAndShowsTheForecast() throws Exception {
        ui.invoke(() -> w.select("Weather"));
        int framesBefore = ui.invoke(w.weather.spinner::frame);
        click(w.weather.fetch);
        until(() -> w.weather.status.getText(), WeatherTab.CONTACTING::equals, "the click handler to run");
        // the spinner turns while the fetch is in flight and the button stays disabled
        record Busy(boolean enabled, int frame, String status) { }
        Busy busy = until(() -> new Busy(w.weather.fetch.isEnabled(), w.weather.spinner.frame(),
                w.weather.status.getText()), b -> b.frame() >= framesBefore + 3, "the spinner to turn");
        assertThat(busy.enabled()).isFalse();
        assertThat(busy.status()).isEqualTo(WeatherTab.CONTACTING);
        screenshot("weather-fetching", w.frame.getRootPane());

        until(() -> w.weather.fetch.isEnabled(), e -> e, "the button to be enabled again");
        assertThat(ui.invoke(() -> w.weather.forecast.getText())).isIn("Tomorrow: sunny", "Tomorrow: rainy");
        assertThat(ui.invoke(() -> w.weather.forecast.getIcon())).isNotNull();
        assertThat(ui.invoke(() -> w.weather.status.getText())).startsWith("forecast #1 arrived on 'AWT-EventQueue");
        screenshot("weather", w.frame.getRootPane());
    }

    @Test
    @Order(3)
    void aBusyWindowStallsOnlyItsOwnThread() throws Exception {
        ui.invoke(() -> w.select("Multiple"));
        click(w.windows.newWindow);
        click(w.windows.newWindow);
        List<WindowsTab.WorkerWindow> windows = until(w.windows::windows, l -> l.size() == 2, "two windows");
        WindowsTab.WorkerWindow w1 = windows.get(0);
        WindowsTab.WorkerWindow w2 = windows.get(1);
        assertThat(w1.worker.thread().getName()).isEqualTo("samples-window-1");
        assertThat(ui.invoke(() -> w.windows.count.getText())).startsWith("2 extra windows open");
        until(() -> w2.heartbeat.getText(), t -> t.startsWith("heartbeat"), "window 2's heartbeat");

        click(w1.busy);
        until(() -> w1.status.getText(), t -> t.startsWith("busy"), "window 1 to be busy");
        click(w1.ping);
        click(w2.ping);
        // window 2 answers while window 1 is still busy, and so does the main window
        record State(String pong2, String pong1, String status1) { }
        State s = until(() -> new State(w2.pong.getText(), w1.pong.getText(), w1.status.getText()),
                st -> st.pong2().startsWith("ping 1 answered"), "window 2 to answer");
        assertThat(s.status1()).startsWith("busy");
        assertThat(s.pong1()).startsWith("ping 1 sent, waiting");
        long start = System.nanoTime();
        assertThat(ui.invoke(() -> w.windows.newWindow.isEnabled())).isTrue();
        assertThat(System.nanoTime() - start).as("main window round trip").isLessThan(1_000_000_000L);
        assertThat(ui.invoke(() -> w1.status.getText())).startsWith("busy");
        screenshot("windows-busy", w1.frame.getRootPane());
        screenshot("windows", w.frame.getRootPane());

        until(() -> w1.pong.getText(), t -> t.startsWith("ping 1 answered"), "window 1 to answer when free");
        assertThat(ui.invoke(() -> w1.status.getText())).startsWith("idle again");
        assertThat(ui.invoke(() -> w1.busy.isEnabled())).isTrue();

        ui.invoke(w2::close);
        until(() -> w.windows.count.getText(), t -> t.startsWith("1 extra window open"), "window 2 to close");
        w2.join();
        assertThat(w2.worker.thread().isAlive()).isFalse();
    }

    @Test
    @Order(4)
    void theMessageBoxBlocksTheHandlerInANestedFrameWhileTheAnimationRuns() throws Exception {
        ui.invoke(() -> w.select("Nested"));
        click(w.nested.show);
        until(() -> w.nested.handlerInside() && w.nested.ok != null, b -> b, "the box to open");
        int before = ui.invoke(w.nested.ball::frame);
        record Inside(boolean inside, int frame, boolean showEnabled, String status) { }
        Inside in = until(() -> new Inside(w.nested.handlerInside(), w.nested.ball.frame(),
                w.nested.show.isEnabled(), w.nested.status.getText()), i -> i.frame() >= before + 5,
                "the animation to advance behind the box");
        assertThat(in.inside()).as("the handler is still blocked in pushFrame").isTrue();
        assertThat(in.showEnabled()).isFalse();
        assertThat(in.status()).contains("inside pushFrame");
        assertThat(ui.invoke(() -> w.nested.box.isModal())).as("not Swing-modal").isFalse();
        screenshot("nested", w.frame.getRootPane());
        screenshot("nested-box", ui.invoke(() -> w.nested.box.getRootPane()));

        click(ui.invoke(() -> w.nested.ok));
        String status = until(() -> w.nested.status.getText(), t -> t.contains("continued after pushFrame"),
                "the handler to continue");
        assertThat(status).startsWith("Handler 1 continued");
        assertThat(ui.invoke(w.nested::handlerInside)).isFalse();
        assertThat(ui.invoke(() -> w.nested.show.isEnabled())).isTrue();
    }

    @Test
    @Order(5)
    void theSafeWaitReturnsAndTheNaiveWaitIsDiagnosed() throws Exception {
        ui.invoke(() -> w.select("Waiting"));
        click(w.waiting.safe);
        String safe = until(() -> w.waiting.result.getText(), t -> t.contains("returned"), "the safe wait");
        assertThat(safe).contains("executeScript(\"6 * 7\") returned 42").contains("AWT-EventQueue");

        click(w.waiting.naive);
        String naive = until(() -> w.waiting.result.getText(), t -> t.startsWith("DispatcherDeadlockException"),
                "the naive wait's diagnosis");
        assertThat(naive).contains("frozen");
        assertThat(ui.invoke(() -> w.waiting.diagnosis.getText()))
                .contains("DispatcherDeadlockException: deadlock: this wait can never end.")
                .contains("blocking get on the future of an operation");
        screenshot("waiting", w.frame.getRootPane());
    }

    @Test
    @Order(6)
    void theMonitorCountsTheEdtDispatchersOperations() throws Exception {
        ui.invoke(() -> w.select("Monitor"));
        int samples = ui.invoke(w.monitor::samples);
        until(w.monitor::samples, n -> n >= samples + 2, "two more samples");
        MonitorTab.Hooks hooks = w.monitor.hooks;
        assertThat(ui.invoke(() -> hooks.total(hooks.completed))).isPositive();
        assertThat(ui.invoke(() -> hooks.started.get(DispatcherPriority.SYSTEM_IDLE.value())))
                .as("the prime search's chunks").isPositive();
        assertThat(ui.invoke(() -> w.monitor.chart.columns())).isGreaterThanOrEqualTo(2);
        assertThat(ui.invoke(() -> w.monitor.table.getText())).contains("BACKGROUND", "SYSTEM_IDLE", "NORMAL");
        screenshot("monitor", w.frame.getRootPane());
    }
}
