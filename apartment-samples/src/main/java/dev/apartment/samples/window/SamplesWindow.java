package dev.apartment.samples.window;

import dev.apartment.Dispatcher;

import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import javax.imageio.ImageIO;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JTabbedPane;
import javax.swing.WindowConstants;

/**
 * The samples window: one tab per program of the WPF threading article, and two for the re-entrancy story, all
 * driven by the dispatcher of the AWT event dispatch thread ({@code SwingPump.dispatcher()}).
 *
 * <ol>
 *   <li>{@link WebViewTab}: a real web view (Chromium over the DevTools protocol), live, usable with the mouse and
 *       the keyboard, with a synchronous script, web messages, its events and a browser crash to recover from;</li>
 *   <li>{@link PrimeTab}: a prime search in SYSTEM_IDLE chunks on the EDT;</li>
 *   <li>{@link WeatherTab}: a slow fetch on a background thread, its result posted back;</li>
 *   <li>{@link WindowsTab}: extra windows whose work runs on dispatcher threads of their own;</li>
 *   <li>{@link NestedLoopTab}: a message box made of a nested frame, with an animation behind it;</li>
 *   <li>{@link WaitingTab}: synchronous wrappers over a simulated webview, and the naive wait diagnosed;</li>
 *   <li>{@link MonitorTab}: queue depth and latency of the EDT dispatcher, through {@code DispatcherHooks}.</li>
 * </ol>
 *
 * <p>Created, used and closed on the EDT. Closing the window (or {@link #close()}) stops every tab, closes the
 * extra windows and waits for their dispatcher threads, then runs the {@code onClosed} action once; shutting the
 * EDT's dispatcher down is the owner's business (the samples command does it, then exits).
 */
public final class SamplesWindow {

    /**
     * @param serverDelay    the weather server's answer time
     * @param busyFor        how long an extra window's "busy" work computes
     * @param browserLatency the simulated browser process's time per request
     */
    public record Settings(Duration serverDelay, Duration busyFor, Duration browserLatency) {
        public Settings {
            Objects.requireNonNull(serverDelay, "serverDelay");
            Objects.requireNonNull(busyFor, "busyFor");
            Objects.requireNonNull(browserLatency, "browserLatency");
        }

        /** A two-second server, three seconds of busy work, 40 ms per browser request. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofMillis(40));
        }
    }

    static final String TITLE = "Apartment samples - WPF threading on the Swing EDT";

    private final Dispatcher ui;
    private final Runnable onClosed;
    final JFrame frame = new JFrame(TITLE);
    final JTabbedPane tabs = new JTabbedPane();
    final PrimeTab primes;
    final WeatherTab weather;
    final WindowsTab windows;
    final NestedLoopTab nested;
    final WaitingTab waiting;
    final WebViewTab webView;
    final MonitorTab monitor;
    private boolean closed;

    private SamplesWindow(Dispatcher ui, Settings settings, Runnable onClosed) {
        this.ui = ui;
        this.onClosed = onClosed;
        monitor = new MonitorTab(ui); // first, so its hooks see the other tabs' work from the start
        primes = new PrimeTab(ui);
        weather = new WeatherTab(ui, settings.serverDelay());
        windows = new WindowsTab(ui, settings.busyFor());
        nested = new NestedLoopTab(ui);
        waiting = new WaitingTab(ui, settings.browserLatency());
        webView = new WebViewTab(ui);
        tabs.addTab("Web view", webView);
        tabs.addTab("Prime numbers", primes);
        tabs.addTab("Weather", weather);
        tabs.addTab("Multiple windows", windows);
        tabs.addTab("Nested loop", nested);
        tabs.addTab("Waiting without deadlocks", waiting);
        tabs.addTab("Monitor", monitor);
        frame.setContentPane(tabs);
        frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                close();
            }
        });
        frame.setSize(new Dimension(980, 640));
        frame.setLocationByPlatform(true);
    }

    /**
     * Builds the window and shows it. EDT only: {@code ui} must be the EDT's dispatcher.
     *
     * @param onClosed runs once, on the EDT, after the window has closed and every thread it started has ended
     */
    public static SamplesWindow open(Dispatcher ui, Settings settings, Runnable onClosed) {
        ui.verifyAccess();
        SamplesWindow w = new SamplesWindow(ui, settings, onClosed);
        w.frame.setVisible(true);
        return w;
    }

    /** Stops every tab's work, closes the extra windows, disposes the frame, then runs {@code onClosed}. EDT only. */
    public void close() {
        ui.verifyAccess();
        if (closed) {
            return;
        }
        closed = true;
        primes.stop();
        weather.stop();
        nested.stop();
        monitor.stop();
        windows.closeAll();
        waiting.close();
        webView.close();
        frame.dispose();
        onClosed.run();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Selects the tab whose title starts with {@code title}. EDT only. */
    void select(String title) {
        for (int i = 0; i < tabs.getTabCount(); i++) {
            if (tabs.getTitleAt(i).startsWith(title)) {
                tabs.setSelectedIndex(i);
                return;
            }
        }
        throw new IllegalArgumentException("no tab " + title);
    }

    /** Paints {@code c} (laid out and shown) into an image, without reading the screen. EDT only. */
    static BufferedImage paint(JComponent c) {
        c.validate();
        BufferedImage image = new BufferedImage(Math.max(1, c.getWidth()), Math.max(1, c.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            c.printAll(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Writes {@code image} as a PNG, creating the directory. */
    static Path writePng(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
        return file;
    }
}
