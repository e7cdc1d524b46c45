package dev.apartment.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class SamplesTourTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final AtomicInteger tours = new AtomicInteger();
    private final Samples.Tour fakeTour = report -> {
        tours.incrementAndGet();
        report.paragraph("fake tour");
    };

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void headlessRunsTheWholeTourAndEndsEveryDispatcher() {
        int status = Samples.run(new String[] {"--headless"}, out, err, () -> true, Samples::tour);

        assertThat(status).as(err()).isZero();
        assertThat(err()).isEmpty();
        assertThat(out()).contains(
                "1. Prime numbers", "biggest prime (label)", "key presses handled", "300 of 300 at INPUT",
                "2. Weather", "weather-fetcher", "clock frames during the fetch",
                "3. Multiple windows", "WrongDispatcherException",
                "belongs to thread 'window-1' but was accessed from thread 'window-2'",
                "4. Waiting without deadlocks", "DispatcherDeadlockException",
                "thread 'ui' in a blocking get on the future of an operation", "Tour finished")
                .doesNotContain("window version");
        if (RequiresChromium.Condition.found()) {
            assertThat(out()).contains("a real web view", "resource-server", "second controller created",
                    "ended with the section").doesNotContain("SIMULATED");
        } else {
            assertThat(out()).contains("SIMULATED web view", "apt-get install chromium-headless-shell",
                    "browser-process", "completion handlers ran on      ui, ui, ui, ui");
        }
        assertThat(out()).isASCII();
        assertThat(Threads.alive("ui", "window-1", "window-2", "input-feeder", "browser-process",
                "resource-server")).isEmpty();
    }

    @Test
    void withoutAChromiumTheWebViewSectionSaysWhatToInstallAndRunsTheSimulatedOne() throws Exception {
        String before = System.getProperty("apartment.webview.browser");
        System.setProperty("apartment.webview.browser", "/nonexistent/chromium");
        try {
            Samples.webView(new Report(out));
        } finally {
            if (before == null) {
                System.clearProperty("apartment.webview.browser");
            } else {
                System.setProperty("apartment.webview.browser", before);
            }
        }
        assertThat(out()).contains("4. Waiting without deadlocks - SIMULATED web view (no Chromium found)",
                "/nonexistent/chromium", "apt-get install chromium-headless-shell", "over a SIMULATED web view: a stand-in",
                "browser-process", "completion handlers ran on      ui, ui, ui, ui", "DispatcherDeadlockException")
                .doesNotContain("resource-server");
        assertThat(Threads.alive("ui", "browser-process", "resource-server")).isEmpty();
    }

    @Test
    void helpPrintsUsageAndRunsNothing() {
        int status = Samples.run(new String[] {"--help"}, out, err, () -> false, fakeTour);

        assertThat(status).isZero();
        assertThat(out()).startsWith("usage: java -jar apartment-samples.jar").contains("--headless");
        assertThat(err()).isEmpty();
        assertThat(tours).hasValue(0);
    }

    @Test
    void unknownArgumentPrintsUsageOnStderrAndExitsWithTwo() {
        int status = Samples.run(new String[] {"--headless", "--fast"}, out, err, () -> false, fakeTour);

        assertThat(status).isEqualTo(2);
        assertThat(err()).startsWith("unknown argument: --fast").contains("usage: java -jar apartment-samples.jar");
        assertThat(out()).isEmpty();
        assertThat(tours).hasValue(0);
    }

    @Test
    void withADisplayAndNoHeadlessFlagItOpensTheWindowInsteadOfTheTour() {
        AtomicInteger windows = new AtomicInteger();
        int status = Samples.run(new String[0], out, err, () -> true, fakeTour, (dir, o) -> {
            assertThat(dir).isNull();
            windows.incrementAndGet();
        });

        assertThat(status).isZero();
        assertThat(windows).hasValue(1);
        assertThat(tours).hasValue(0);
    }

    @Test
    void aFailingWindowExitsWithOne() {
        int status = Samples.run(new String[0], out, err, () -> true, fakeTour, (dir, o) -> {
            throw new IllegalStateException("no window");
        });

        assertThat(status).isEqualTo(1);
        assertThat(err()).contains("the samples window failed", "no window");
    }

    @Test
    void screenshotsNeedADisplay() {
        int status = Samples.run(new String[] {"--screenshots", "x"}, out, err, () -> false, fakeTour);

        assertThat(status).isEqualTo(2);
        assertThat(err()).contains("needs a display");
        assertThat(tours).hasValue(0);
    }

    @Test
    void withoutADisplayItRunsTheTourSilently() {
        int status = Samples.run(new String[0], out, err, () -> false, fakeTour);

        assertThat(status).isZero();
        assertThat(out()).doesNotContain("window version").contains("fake tour");
        assertThat(tours).hasValue(1);
    }

    @Test
    void headlessFlagWinsOverADisplay() {
        int status = Samples.run(new String[] {"--headless"}, out, err, () -> true, fakeTour, (dir, o) -> {
            throw new AssertionError("no window with --headless");
        });

        assertThat(status).isZero();
        assertThat(out()).doesNotContain("window version");
        assertThat(tours).hasValue(1);
    }

    @Test
    void aFailingTourExitsWithOne() {
        int status = Samples.run(new String[] {"--headless"}, out, err, () -> false, report -> {
            throw new IllegalStateException("boom");
        });

        assertThat(status).isEqualTo(1);
        assertThat(err()).contains("the tour failed", "boom");
    }
}
