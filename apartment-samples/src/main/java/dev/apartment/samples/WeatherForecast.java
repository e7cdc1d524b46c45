package dev.apartment.samples;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherObject;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Demonstrates handing a blocking operation to a background thread and bringing its result back to the UI thread:
 * the article's weather program. The click handler disables the button and starts a clock animation, a
 * {@code weather-fetcher} thread waits for a (simulated, slow) server, and the result travels back through the UI
 * dispatcher's {@link Dispatcher#executor executor}, where it may touch the widgets again. Meanwhile the UI thread
 * keeps ticking the animation and answers an {@code invoke} from another thread at once.
 *
 * <p>The widgets belong to {@code ui}; the fetcher never touches them, it only returns a string. The
 * {@link CompletableFuture} chain is what carries that string across: {@code supplyAsync} on the fetcher, then
 * {@code handleAsync} on the UI dispatcher's executor, which is a post at {@link DispatcherPriority#NORMAL}.
 */
public final class WeatherForecast {

    /**
     * @param networkDelay   how long the simulated server takes to answer (a real delay: it is the point)
     * @param animationFrame the clock animation's frame interval
     */
    public record Settings(Duration networkDelay, Duration animationFrame) {
        public Settings {
            Objects.requireNonNull(networkDelay, "networkDelay");
            Objects.requireNonNull(animationFrame, "animationFrame");
            if (networkDelay.isNegative() || animationFrame.isNegative() || animationFrame.isZero()) {
                throw new IllegalArgumentException("invalid settings: " + networkDelay + ", " + animationFrame);
            }
        }

        /** A server that takes a second, a clock drawn every 40 ms. */
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(1000), Duration.ofMillis(40));
        }
    }

    /** The steps of the timeline, in the order they happen. */
    public enum Step {
        /** The user clicked "Fetch Forecast" (ui). */
        CLICKED,
        /** The fetcher started waiting for the server (weather-fetcher). */
        FETCH_STARTED,
        /** Another thread asked the UI thread how things stand, halfway through the fetch (main). */
        PROBED,
        /** The server answered; the result is handed to the UI dispatcher (weather-fetcher). */
        FETCHED,
        /** The UI showed the forecast and re-enabled the button (ui). */
        UPDATED
    }

    /** One line of the timeline: what happened, on which thread, how long after the click. */
    public record Event(int number, long atNanos, String thread, Step step, String description) {
    }

    /**
     * What happened.
     *
     * @param uiThread           the name of the thread that owns the widgets
     * @param timeline           every step, in the order it happened
     * @param forecast           the forecast shown, or null if the fetch failed
     * @param framesDuringFetch  clock frames drawn on {@code ui} while the fetcher waited for the server
     * @param probeRoundTripNanos how long the mid-fetch {@code invoke} on {@code ui} took, round trip
     * @param buttonEnabledWhenProbed whether the button was enabled at the probe (it must not be: fetch in flight)
     * @param buttonEnabledAfter whether the button was enabled again at the end
     * @param buttonContentAfter the button's text at the end
     * @param labelAfter         the label's text at the end
     */
    public record Result(String uiThread, List<Event> timeline, String forecast, int framesDuringFetch,
            long probeRoundTripNanos, boolean buttonEnabledWhenProbed, boolean buttonEnabledAfter,
            String buttonContentAfter, String labelAfter) {

        /** The first event of {@code step}. */
        public Event event(Step step) {
            return timeline.stream().filter(e -> e.step() == step).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + step + " in the timeline"));
        }

        void print(Report report) {
            int threadWidth = timeline.stream().mapToInt(e -> e.thread().length()).max().orElse(0);
            report.row(String.format(Locale.ROOT, "%-3s %-12s %-" + threadWidth + "s  %s", "#", "after click",
                    "thread", "what"));
            for (Event e : timeline) {
                report.row(String.format(Locale.ROOT, "%-3d %-12s %-" + threadWidth + "s  %s", e.number(),
                        "+" + Report.wholeMs(e.atNanos()), e.thread(), e.description()));
            }
            report.blank();
            report.fact("forecast shown", forecast == null ? "(none: the fetch failed)" : forecast);
            report.fact("button at the end", "\"" + buttonContentAfter + "\", "
                    + (buttonEnabledAfter ? "enabled" : "disabled"));
            report.fact("clock frames during the fetch", framesDuringFetch + " drawn on '" + uiThread + "' at RENDER");
            report.fact("mid-fetch invoke round trip", Report.ms(probeRoundTripNanos));
            report.conclusion("The server call blocked '" + event(Step.FETCH_STARTED).thread() + "' for "
                    + Report.wholeMs(event(Step.FETCHED).atNanos() - event(Step.FETCH_STARTED).atNanos())
                    + "; '" + uiThread + "' kept animating and answering meanwhile, and the widgets were only ever"
                    + " touched on '" + uiThread + "', because the result came back as a post to its dispatcher.");
        }
    }

    private WeatherForecast() {
    }

    /** Runs the sample on a new {@code ui} dispatcher thread, which has ended when this returns. */
    public static Result run(Settings settings) throws InterruptedException {
        Objects.requireNonNull(settings, "settings");
        Timeline timeline = new Timeline();
        WeatherServer server = new WeatherServer(settings.networkDelay(), timeline);
        try (DispatcherThread uiThread = new DispatcherThread("ui")) {
            Dispatcher ui = uiThread.dispatcher();
            ForecastWindow window = ui.invoke(() -> new ForecastWindow(settings, timeline, server.framesDrawn));

            CompletableFuture<String> updated = ui.invoke(() -> window.forecastButtonClicked(server),
                    DispatcherPriority.INPUT);

            // Look in halfway through the wait, when the clock has had time to move.
            Await.latch(server.started, "the fetcher to call the server");
            TimeUnit.NANOSECONDS.sleep(settings.networkDelay().toNanos() / 2);
            long probeStart = System.nanoTime();
            ForecastWindow.State probed = ui.invoke(window::state);
            long probeRoundTrip = System.nanoTime() - probeStart;
            timeline.add(Step.PROBED, "invoke on '" + ui.thread().getName() + "': button " + probed
                    + "; answered in " + Report.ms(probeRoundTrip));

            String forecast = Await.result(updated, "the forecast to reach the UI");
            ForecastWindow.State after = ui.invoke(window::state);
            return new Result(ui.thread().getName(), timeline.events(), forecast, server.framesDuringFetch,
                    probeRoundTrip, probed.buttonEnabled(), after.buttonEnabled(), after.buttonContent(),
                    after.label());
        }
    }

    /** The weather window on the UI thread: a button, a label and a clock animation. */
    private static final class ForecastWindow extends DispatcherObject {
        private static final String FETCH = "Fetch Forecast";

        /** What another thread may learn about the window: copied out on the UI thread. */
        record State(String buttonContent, boolean buttonEnabled, String label, int clockFrame) {
            @Override
            public String toString() {
                return "\"" + buttonContent + "\" (" + (buttonEnabled ? "enabled" : "disabled") + "), clock at frame "
                        + clockFrame;
            }
        }

        private final Timeline timeline;
        private final Button fetchButton = new Button(FETCH);
        private final Label weatherText = new Label("");
        private final DispatcherTimer clock;
        private final AtomicInteger framesDrawn; // a copy of clockFrame the fetcher can read for the report
        private int clockFrame;

        ForecastWindow(Settings settings, Timeline timeline, AtomicInteger framesDrawn) {
            this.timeline = timeline;
            this.framesDrawn = framesDrawn;
            // RENDER: the animation is painting, which must not wait behind input or idle work.
            this.clock = new DispatcherTimer(DispatcherPriority.RENDER, dispatcher());
            clock.setInterval(settings.animationFrame());
            clock.addTickHandler(timer -> drawClockFrame());
        }

        /** The button's click handler: must return at once, so the blocking call goes to another thread. */
        CompletableFuture<String> forecastButtonClicked(WeatherServer server) {
            verifyAccess();
            fetchButton.setEnabled(false);
            fetchButton.setContent("Contacting Server");
            weatherText.setText("");
            clockFrame = 0;
            clock.start();
            timeline.add(Step.CLICKED, "click: button disabled (\"Contacting Server\"), clock animation started");
            Executor uiExecutor = dispatcher().executor(DispatcherPriority.NORMAL);
            return CompletableFuture.supplyAsync(server::fetchTomorrow, WeatherServer.FETCHER)
                    .handleAsync(this::updateUserInterface, uiExecutor);
        }

        /** Runs on the UI thread, so it may touch the widgets again. */
        private String updateUserInterface(String weather, Throwable failure) {
            verifyAccess();
            clock.stop();
            fetchButton.setEnabled(true);
            fetchButton.setContent(FETCH);
            weatherText.setText(weather != null ? weather : "no forecast: " + failure);
            timeline.add(Step.UPDATED, "update: label \"" + weatherText.text() + "\", clock stopped at frame "
                    + clockFrame + ", button re-enabled");
            return weather;
        }

        private void drawClockFrame() {
            verifyAccess();
            framesDrawn.set(++clockFrame);
        }

        State state() {
            verifyAccess();
            return new State(fetchButton.content(), fetchButton.isEnabled(), weatherText.text(), clockFrame);
        }
    }

    /** The remote weather service, simulated; it knows nothing about dispatchers. */
    private static final class WeatherServer {
        /** One thread per fetch, named so the timeline shows where the blocking happened. */
        static final Executor FETCHER = task -> new Thread(task, "weather-fetcher").start();

        private final Duration delay;
        private final Timeline timeline;
        final AtomicInteger framesDrawn = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        // written before the fetch's future completes, read after: the future chain orders the two
        int framesDuringFetch;

        WeatherServer(Duration delay, Timeline timeline) {
            this.delay = delay;
            this.timeline = timeline;
        }

        String fetchTomorrow() {
            timeline.add(Step.FETCH_STARTED, "fetching tomorrow's forecast (the server takes "
                    + Report.wholeMs(delay.toNanos()) + ")");
            int framesBefore = framesDrawn.get();
            started.countDown();
            try {
                TimeUnit.NANOSECONDS.sleep(delay.toNanos()); // the network
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the server", e);
            }
            String weather = ThreadLocalRandom.current().nextBoolean() ? "rainy" : "sunny";
            framesDuringFetch = framesDrawn.get() - framesBefore;
            timeline.add(Step.FETCHED, "server answered \"" + weather + "\"; handing it to the UI dispatcher");
            return weather;
        }
    }

    /** Events from several threads, numbered in the order they were recorded. */
    private static final class Timeline {
        private final List<Event> events = new ArrayList<>();
        private long origin;

        synchronized void add(Step step, String description) {
            long now = System.nanoTime();
            if (events.isEmpty()) {
                origin = now;
            }
            events.add(new Event(events.size() + 1, now - origin, Thread.currentThread().getName(), step,
                    description));
        }

        synchronized List<Event> events() {
            return List.copyOf(events);
        }
    }
}
