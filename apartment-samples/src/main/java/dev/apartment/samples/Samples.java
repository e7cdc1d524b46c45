package dev.apartment.samples;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;
import dev.apartment.samples.window.SamplesWindow;
import dev.apartment.samples.window.Screenshots;
import dev.apartment.swing.SwingPump;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/**
 * The samples' command: the WPF threading article's programs, and the synchronous wrappers a webview host needs,
 * run on Apartment dispatchers, in a Swing window when there is a display and as a tour in the terminal otherwise.
 *
 * <pre>
 * java -jar apartment-samples.jar             # the window if there is a display, else the headless tour
 * java -jar apartment-samples.jar --headless  # the headless tour
 * </pre>
 *
 * <p>The window ({@link SamplesWindow}) runs on the dispatcher of the AWT event dispatch thread
 * ({@code SwingPump.dispatcher()}): a live page of a real web view first (when a Chromium is installed), then one
 * tab per program plus a monitor of that dispatcher; closing it shuts every
 * dispatcher down and the JVM exits. The hidden option {@code --screenshots DIR} opens the window, drives a few
 * tabs, paints them into PNG files in {@code DIR} and exits ({@code screenshots.sh} runs it under Xvfb).
 *
 * <p>The headless tour:
 * <ol>
 *   <li>{@link PrimeSearch}: long work on the UI thread, in idle-priority chunks, while input stays responsive;</li>
 *   <li>{@link WeatherForecast}: a blocking call on a background thread, its result posted back to the UI;</li>
 *   <li>{@link MultipleWindows}: one dispatcher thread per window, so a busy window stalls only itself;</li>
 *   <li>{@link RealWebView}: a real web view (Chromium over the DevTools protocol) on a {@code ui} dispatcher,
 *       synchronous wrappers waiting under {@link dev.apartment.WaitPolicy#CALLS} inside its click and web-message
 *       handlers, a deferred resource response, and the naive wait diagnosed as a deadlock instead of hanging;
 *       without a Chromium, what to install and the same story over {@link SynchronousWrappers}' simulated
 *       webview.</li>
 * </ol>
 *
 * <p>Every dispatcher the tour starts is shut down and its thread joined before the next program starts, so the
 * JVM exits on its own when {@code main} returns: a leaked dispatcher thread would show up as a command that
 * never ends.
 */
public final class Samples {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar apartment-samples.jar [--headless] [--help]",
            "",
            "Runs the WPF threading article's programs on Apartment dispatchers: prime numbers (idle-time work),",
            "weather (a background fetch), multiple windows (a thread each) and a nested loop, then a real web",
            "view (Chromium over the DevTools protocol; a simulated one if none is installed) and waiting",
            "without deadlocks inside its handlers.",
            "With a display it opens a Swing window with one tab per program and a monitor of the EDT's",
            "dispatcher; closing the window exits. Without a display it prints a report in the terminal.",
            "",
            "  --headless  run the tour in the terminal even when a display is available",
            "  --help      print this help and exit",
            "");

    /** The tour's body, replaceable so that argument handling can be tested without running the programs. */
    @FunctionalInterface
    interface Tour {
        void run(Report report) throws Exception;
    }

    /**
     * The window mode, replaceable for the same reason: opens the window and returns once it is closed, or, with a
     * screenshot directory, writes the screenshots and returns.
     */
    @FunctionalInterface
    interface Window {
        void run(Path screenshots, PrintStream out) throws Exception;
    }

    private Samples() {
    }

    public static void main(String[] args) {
        boolean[] windowShown = new boolean[1];
        int status = run(args, System.out, System.err, Samples::displayAvailable, Samples::tour,
                (screenshots, out) -> {
                    windowShown[0] = true;
                    window(screenshots, out);
                });
        if (status != 0 || windowShown[0]) {
            System.exit(status); // after a window, AWT's own threads may linger: exit explicitly
        }
        // headless, status 0: return normally; the JVM exits because no dispatcher thread is left
    }

    /** {@link #run(String[], PrintStream, PrintStream, BooleanSupplier, Tour, Window)} without a window mode. */
    static int run(String[] args, PrintStream out, PrintStream err, BooleanSupplier displayAvailable, Tour tour) {
        return run(args, out, err, displayAvailable, tour, (dir, o) -> {
            throw new IllegalStateException("no window in this run");
        });
    }

    /**
     * Parses {@code args} and runs {@code window} (with a display and without {@code --headless}) or {@code tour}.
     *
     * @return the exit status: 0 on success and for {@code --help}, 1 if the tour or the window failed, 2 for bad
     *         arguments
     */
    static int run(String[] args, PrintStream out, PrintStream err, BooleanSupplier displayAvailable, Tour tour,
            Window window) {
        boolean headless = false;
        Path screenshots = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--headless":
                    headless = true;
                    break;
                case "--help":
                case "-h":
                    out.print(USAGE);
                    out.flush();
                    return 0;
                case "--screenshots": // hidden: for screenshots.sh
                    if (i + 1 == args.length) {
                        err.println("--screenshots needs a directory");
                        return 2;
                    }
                    screenshots = Path.of(args[++i]);
                    break;
                default:
                    err.println("unknown argument: " + arg);
                    err.print(USAGE);
                    err.flush();
                    return 2;
            }
        }
        boolean display = displayAvailable.getAsBoolean();
        if (screenshots != null && (headless || !display)) {
            err.println("--screenshots needs a display (try xvfb-run) and no --headless");
            return 2;
        }
        if (!headless && display) {
            try {
                window.run(screenshots, out);
                out.flush();
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("interrupted");
                return 1;
            } catch (Exception e) {
                out.flush();
                err.println("the samples window failed: " + e);
                e.printStackTrace(err);
                return 1;
            }
        }
        try {
            tour.run(new Report(out));
            out.flush();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("the tour was interrupted");
            return 1;
        } catch (Exception e) {
            out.flush();
            err.println("the tour failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /**
     * The window mode: opens {@link SamplesWindow} on the EDT through its dispatcher and waits until it is closed
     * (or takes the screenshots), then shuts the EDT's dispatcher down. The window has already shut down every
     * other dispatcher it started.
     */
    static void window(Path screenshots, PrintStream out) throws Exception {
        Dispatcher ui = SwingPump.dispatcher();
        try {
            if (screenshots != null) {
                Screenshots.take(screenshots, out);
                return;
            }
            CountDownLatch closed = new CountDownLatch(1);
            ui.invoke(() -> SamplesWindow.open(ui, SamplesWindow.Settings.defaults(), closed::countDown));
            out.println("The samples window is open; close it to exit (--headless runs the tour in this terminal).");
            out.flush();
            closed.await();
        } finally {
            ui.beginInvokeShutdown(DispatcherPriority.SEND);
            ui.awaitShutdown(Duration.ofSeconds(5));
        }
    }

    /** The only use of AWT: asking whether there is a screen at all, without starting a toolkit. */
    static boolean displayAvailable() {
        try {
            return !java.awt.GraphicsEnvironment.isHeadless();
        } catch (LinkageError e) {
            return false; // a runtime image without java.desktop has no display either
        }
    }

    /**
     * Section 4: the seed's scenario with a real web view ({@link RealWebView}) when a Chromium is found; otherwise
     * what to install, then the same story over a simulated one ({@link SynchronousWrappers}), labelled as such.
     */
    static void webView(Report report) throws InterruptedException {
        RealWebView.Result real = null;
        String unavailable = null;
        try {
            real = RealWebView.run();
        } catch (RealWebView.Unavailable e) {
            unavailable = e.getMessage();
        }
        if (real != null) {
            report.section(4, "Waiting without deadlocks: a real web view, synchronous wrappers in its handlers");
            report.paragraph("A Chromium child process, driven over the DevTools protocol by apartment-webview,"
                    + " belongs to 'ui'; every completion and event comes back to 'ui' as a call through"
                    + " callbacks(), as WebView2's do. A click handler creates the environment and a controller with"
                    + " synchronous wrappers (waitFor under CALLS) while a key press waits in the queue; the app"
                    + " serves its own page through WebResourceRequested with a deferral; the page's first web"
                    + " message is handled by creating a second controller, running scripts and reading cookies, all"
                    + " synchronously inside the handler; then a naive wrapper blocks 'ui' on work only 'ui' can"
                    + " do.");
            real.print(report);
            return;
        }
        report.section(4, "Waiting without deadlocks - SIMULATED web view (no Chromium found)");
        report.paragraph("No real web view: " + unavailable);
        report.paragraph("With a Chromium installed (apt-get install chromium-headless-shell) this section runs"
                + " against it. Meanwhile, the same story over a SIMULATED web view: a stand-in that belongs to"
                + " 'ui', whose creation and scripts happen on a 'browser-process' thread and whose completions come"
                + " back to 'ui' through callbacks(), as WebView2's completed handlers do. A click handler on 'ui'"
                + " uses synchronous wrappers that wait with waitFor(future, CALLS) while a key press waits in the"
                + " queue; a second click uses a naive wrapper that blocks 'ui' on a delivery only 'ui' can run.");
        report.flush();
        SynchronousWrappers.run(SynchronousWrappers.Settings.defaults()).print(report);
    }

    /** The article's three programs, in its order, then the synchronous wrappers of a webview host. */
    static void tour(Report report) throws InterruptedException {
        long start = System.nanoTime();
        report.header("Apartment - a headless tour of the WPF threading samples",
                "The three programs of the WPF \"Threading Model\" article, then synchronous wrappers inside the"
                        + " handlers of a real web view (Chromium; a simulated one if none is installed), each on its"
                        + " own dev.apartment.Dispatcher threads."
                        + " Java " + Runtime.version().feature() + ", " + Runtime.getRuntime().availableProcessors()
                        + " processors.");

        report.section(1, "Prime numbers: long work in idle time, on the UI thread");
        report.paragraph("A prime search on the 'ui' thread checks one odd number per operation at SYSTEM_IDLE and"
                + " queues the next; a label on that thread shows the biggest prime so far. Meanwhile an"
                + " 'input-feeder' thread posts key presses at INPUT, and the time from post to run is measured.");
        report.flush();
        PrimeSearch.run(PrimeSearch.Settings.defaults()).print(report);

        report.section(2, "Weather: a blocking call on a background thread, the result posted back");
        report.paragraph("Clicking Fetch disables the button and starts a clock animation on 'ui'; a"
                + " 'weather-fetcher' thread waits for a slow server, then hands the forecast to the UI dispatcher,"
                + " which shows it and re-enables the button.");
        report.flush();
        WeatherForecast.run(WeatherForecast.Settings.defaults()).print(report);

        report.section(3, "Multiple windows, multiple threads");
        report.paragraph("Two windows, each created on and owned by its own dispatcher thread. Window 1 runs a long"
                + " operation; the 'main' thread times invoke round trips to both windows meanwhile, and window 2's"
                + " thread tries to touch window 1 directly.");
        report.flush();
        MultipleWindows.run(MultipleWindows.Settings.defaults()).print(report);

        webView(report);

        report.blank();
        report.paragraph("Tour finished in " + Report.wholeMs(System.nanoTime() - start)
                + "; every dispatcher was shut down and its thread has ended.");
    }
}
