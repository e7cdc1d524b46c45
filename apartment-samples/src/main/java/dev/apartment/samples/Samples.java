package dev.apartment.samples;

import java.io.PrintStream;
import java.util.function.BooleanSupplier;

/**
 * The samples' command: a tour of the WPF threading article's three programs, and of the synchronous wrappers a
 * webview host needs, run on Apartment dispatchers and reported in the terminal.
 *
 * <pre>
 * java -jar apartment-samples.jar --headless
 * </pre>
 *
 * <ol>
 *   <li>{@link PrimeSearch}: long work on the UI thread, in idle-priority chunks, while input stays responsive;</li>
 *   <li>{@link WeatherForecast}: a blocking call on a background thread, its result posted back to the UI;</li>
 *   <li>{@link MultipleWindows}: one dispatcher thread per window, so a busy window stalls only itself;</li>
 *   <li>{@link SynchronousWrappers}: synchronous wrappers over a thread-affine component's asynchronous
 *       completions, waiting under {@link dev.apartment.WaitPolicy#CALLS}, and the naive wait diagnosed as a
 *       deadlock instead of hanging.</li>
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
            "Runs four programs on Apartment dispatchers and prints a report: the WPF threading article's",
            "prime numbers (idle-time work), weather (a background fetch) and multiple windows (a thread each),",
            "then waiting without deadlocks (synchronous wrappers over a simulated webview's async API).",
            "",
            "  --headless  run in the terminal (the only mode for now; a window version is coming)",
            "  --help      print this help and exit",
            "");

    /** The tour's body, replaceable so that argument handling can be tested without running the programs. */
    @FunctionalInterface
    interface Tour {
        void run(Report report) throws Exception;
    }

    private Samples() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err, Samples::displayAvailable, Samples::tour);
        if (status != 0) {
            System.exit(status);
        }
        // status 0: return normally; the JVM exits because no dispatcher thread is left
    }

    /**
     * Parses {@code args} and runs {@code tour}.
     *
     * @return the exit status: 0 on success and for {@code --help}, 1 if the tour failed, 2 for bad arguments
     */
    static int run(String[] args, PrintStream out, PrintStream err, BooleanSupplier displayAvailable, Tour tour) {
        boolean headless = false;
        for (String arg : args) {
            switch (arg) {
                case "--headless":
                    headless = true;
                    break;
                case "--help":
                case "-h":
                    out.print(USAGE);
                    out.flush();
                    return 0;
                default:
                    err.println("unknown argument: " + arg);
                    err.print(USAGE);
                    err.flush();
                    return 2;
            }
        }
        if (!headless && displayAvailable.getAsBoolean()) {
            out.println("The Swing window version of the tour is coming in a later release; running the headless"
                    + " tour in this terminal.");
            out.println();
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

    /** The only use of AWT: asking whether there is a screen at all, without starting a toolkit. */
    static boolean displayAvailable() {
        try {
            return !java.awt.GraphicsEnvironment.isHeadless();
        } catch (LinkageError e) {
            return false; // a runtime image without java.desktop has no display either
        }
    }

    /** The article's three programs, in its order, then the synchronous wrappers of a webview host. */
    static void tour(Report report) throws InterruptedException {
        long start = System.nanoTime();
        report.header("Apartment - a headless tour of the WPF threading samples",
                "The three programs of the WPF \"Threading Model\" article, then synchronous wrappers over a"
                        + " simulated webview's asynchronous API, each on its own dev.apartment.Dispatcher threads."
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

        report.section(4, "Waiting without deadlocks: synchronous wrappers over asynchronous completions");
        report.paragraph("A simulated webview belongs to 'ui'; creating it and running scripts happen on a"
                + " 'browser-process' thread, and each completion comes back to 'ui' through callbacks(), as"
                + " WebView2's completed handlers do. A click handler on 'ui' uses synchronous wrappers that wait"
                + " with waitFor(future, CALLS) while a key press waits in the queue; a second click uses a naive"
                + " wrapper that blocks 'ui' on a delivery only 'ui' can run.");
        report.flush();
        SynchronousWrappers.run(SynchronousWrappers.Settings.defaults()).print(report);

        report.blank();
        report.paragraph("Tour finished in " + Report.wholeMs(System.nanoTime() - start)
                + "; every dispatcher was shut down and its thread has ended.");
    }
}
