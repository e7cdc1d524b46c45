package dev.apartment.samples.window;

import dev.apartment.Dispatcher;
import dev.apartment.swing.SwingPump;

import java.awt.EventQueue;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The samples command's hidden {@code --screenshots DIR} mode: opens the window, drives four tabs into an
 * interesting state, paints the window into {@code DIR/samples-webview.png} (when a Chromium is installed),
 * {@code samples-primes.png}, {@code samples-weather.png} and {@code samples-waiting.png}, and closes it. Needs a display (Xvfb will do); see {@code screenshots.sh}.
 */
public final class Screenshots {
    private static final Duration LIMIT = Duration.ofSeconds(15);

    private Screenshots() {
    }

    /** Runs off the EDT; returns once the window is closed. */
    public static void take(Path dir, PrintStream out) throws Exception {
        Dispatcher ui = SwingPump.dispatcher();
        CountDownLatch closed = new CountDownLatch(1);
        SamplesWindow.Settings settings = new SamplesWindow.Settings(Duration.ofMillis(600), Duration.ofSeconds(1),
                Duration.ofMillis(40));
        SamplesWindow w = ui.invoke(() -> SamplesWindow.open(ui, settings, closed::countDown));
        try {
            ui.invoke(() -> w.frame.setSize(980, 640)); // seven tabs in one row
            // Web view (the first tab, shown at once): the live page, clicked, a sync script, a message each way.
            boolean ready = EdtPoll.until(ui, () -> w.webView.isReady() || w.webView.isUnavailable(), b -> b,
                    Duration.ofSeconds(40), "Chromium to start");
            if (ready && ui.invoke(w.webView::isReady)) {
                EdtPoll.until(ui, () -> w.webView.events.getText(), t -> t.contains("NavigationCompleted success"),
                        LIMIT, "the home page");
                java.awt.Point button = ui.invoke(() -> w.webView.centerOf("click"));
                for (int i = 0; i < 3; i++) {
                    ui.invoke(() -> w.webView.clickPage(button));
                }
                EdtPoll.until(ui, () -> w.webView.messages.getText(), t -> t.contains("\"clicks\":3"), LIMIT,
                        "three clicks to reach the page");
                EventQueue.invokeLater(w.webView.post::doClick);
                EventQueue.invokeLater(w.webView.script::doClick);
                EdtPoll.until(ui, () -> w.webView.result.getText(), s -> s.startsWith("executeScript returned"),
                        LIMIT, "the sync script");
                int painted = ui.invoke(w.webView.page::framesPainted);
                EdtPoll.until(ui, w.webView.page::framesPainted, n -> n >= painted + 3, LIMIT, "fresh frames");
                shoot(ui, w, dir.resolve("samples-webview.png"), out);
            } else {
                out.println("no Chromium: samples-webview.png not written");
            }

            // Prime numbers: search for about two seconds, then stop.
            ui.invoke(() -> w.select("Prime"));
            EventQueue.invokeLater(w.primes.startStop::doClick);
            EdtPoll.until(ui, w.primes::biggest, b -> b > 1_000_000, LIMIT, "the search to pass a million");
            EventQueue.invokeLater(w.primes.startStop::doClick);
            EdtPoll.until(ui, () -> w.primes.startStop.getText(), "Resume"::equals, LIMIT, "Stop to take effect");
            shoot(ui, w, dir.resolve("samples-primes.png"), out);

            // Weather: fetch, wait for the forecast.
            ui.invoke(() -> w.select("Weather"));
            EventQueue.invokeLater(w.weather.fetch::doClick);
            EdtPoll.until(ui, () -> w.weather.status.getText(), s -> s.startsWith("forecast #1"), LIMIT,
                    "the forecast");
            shoot(ui, w, dir.resolve("samples-weather.png"), out);

            // Waiting: the safe wait, then the naive one with its diagnosis.
            ui.invoke(() -> w.select("Waiting"));
            EventQueue.invokeLater(w.waiting.safe::doClick);
            EdtPoll.until(ui, () -> w.waiting.result.getText(), s -> s.contains("returned 42"), LIMIT,
                    "the safe wait");
            EventQueue.invokeLater(w.waiting.naive::doClick);
            EdtPoll.until(ui, () -> w.waiting.result.getText(), s -> s.startsWith("DispatcherDeadlockException"),
                    LIMIT, "the naive wait's diagnosis");
            ui.invoke(() -> w.waiting.diagnosis.setCaretPosition(0));
            shoot(ui, w, dir.resolve("samples-waiting.png"), out);
        } finally {
            ui.invoke(w::close);
        }
        if (!closed.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the window did not close");
        }
    }

    private static void shoot(Dispatcher ui, SamplesWindow w, Path file, PrintStream out) throws Exception {
        SamplesWindow.writePng(ui.invoke(() -> SamplesWindow.paint(w.frame.getRootPane())), file);
        out.println("wrote " + file);
    }
}
