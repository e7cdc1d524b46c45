package dev.apartment.samples;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherHooks;
import dev.apartment.DispatcherObject;
import dev.apartment.DispatcherOperation;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Demonstrates a long-running calculation done <em>on the UI thread</em> without freezing it: the search for primes
 * is cut into tiny chunks queued at {@link DispatcherPriority#SYSTEM_IDLE}, each checking one odd number and queueing
 * the next, so whatever is more urgent - here simulated key presses at {@link DispatcherPriority#INPUT} - runs
 * between two chunks. This is the article's single-threaded "prime numbers" program (and how a word processor
 * spell-checks in idle time): no second thread, so the label showing the biggest prime is updated directly.
 *
 * <p>Everything the search touches lives in one {@link DispatcherObject} on the {@code ui} thread, so none of it
 * needs a lock; the only foreign threads are the input feeder, which only posts, and the caller, which reads the
 * result through {@code invoke}.
 */
public final class PrimeSearch {

    /**
     * @param searchFor     how long the search runs before a timer "clicks" Stop
     * @param inputItems    how many key presses the feeder thread simulates meanwhile
     * @param inputInterval the pause between two key presses
     */
    public record Settings(Duration searchFor, int inputItems, Duration inputInterval) {
        public Settings {
            Objects.requireNonNull(searchFor, "searchFor");
            Objects.requireNonNull(inputInterval, "inputInterval");
            if (searchFor.isNegative() || searchFor.isZero() || inputItems < 0 || inputInterval.isNegative()) {
                throw new IllegalArgumentException("invalid settings: " + searchFor + ", " + inputItems + ", "
                        + inputInterval);
            }
        }

        /** 1.5 s of searching under 300 key presses, one every 2 ms. */
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(1500), 300, Duration.ofMillis(2));
        }
    }

    /**
     * What the search did.
     *
     * @param uiThread                   the name of the thread that owned the label and ran every chunk
     * @param searchedNanos              from Start to Stop
     * @param primesFound                primes up to {@code lastChecked}, 2 included
     * @param biggestPrime               the biggest of them
     * @param labelText                  what the "biggest prime" label showed at the end
     * @param lastPrimes                 the last few primes found, in increasing order
     * @param lastChecked                the last number the search checked
     * @param chunksRun                  how many SYSTEM_IDLE chunks ran
     * @param inputPosted                key presses the feeder posted
     * @param inputHandled               key presses the UI thread handled
     * @param inputHandledWhileSearching of those, the ones handled while the search was running
     * @param inputLatencyNanos          per key press, from post to run, sorted ascending
     * @param operationsByPriority       operations the {@code ui} dispatcher started while searching, indexed by
     *                                   {@link DispatcherPriority#value()}, counted by a {@link DispatcherHooks}
     * @param longestStallNanos          the longest time between the starts of two operations on {@code ui} while
     *                                   searching: time in which the thread ran nothing at all
     */
    public record Result(String uiThread, long searchedNanos, long primesFound, long biggestPrime, String labelText,
            List<Long> lastPrimes, long lastChecked, long chunksRun, int inputPosted, int inputHandled,
            int inputHandledWhileSearching, long[] inputLatencyNanos, long[] operationsByPriority,
            long longestStallNanos) {

        public long medianLatencyNanos() {
            return percentile(50);
        }

        public long p99LatencyNanos() {
            return percentile(99);
        }

        public long worstLatencyNanos() {
            return inputLatencyNanos.length == 0 ? 0 : inputLatencyNanos[inputLatencyNanos.length - 1];
        }

        private long percentile(int p) {
            if (inputLatencyNanos.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100.0 * inputLatencyNanos.length);
            return inputLatencyNanos[Math.max(0, rank - 1)];
        }

        void print(Report report) {
            report.fact("searched for", Report.wholeMs(searchedNanos) + " (until a timer clicked Stop at INPUT)");
            report.fact("numbers checked", "3 .. " + Report.count(lastChecked) + ", one odd number per chunk");
            report.fact("idle chunks run", Report.count(chunksRun) + " at SYSTEM_IDLE, each queueing the next;"
                    + " Stop aborted the last");
            report.fact("primes found", Report.count(primesFound));
            report.fact("biggest prime (label)", "\"" + labelText + "\"");
            StringJoiner last = new StringJoiner(", ", "... ", "");
            lastPrimes.forEach(p -> last.add(Report.count(p)));
            report.fact("last primes found", last.toString());
            report.fact("key presses handled", inputHandled + " of " + inputPosted + " at INPUT, "
                    + inputHandledWhileSearching + " of them while the search ran");
            report.fact("key press latency", "median " + Report.ms(medianLatencyNanos()) + "   p99 "
                    + Report.ms(p99LatencyNanos()) + "   worst " + Report.ms(worstLatencyNanos()));
            StringJoiner ops = new StringJoiner("   ");
            for (int level = operationsByPriority.length - 1; level >= 0; level--) {
                if (operationsByPriority[level] > 0) {
                    ops.add(DispatcherPriority.fromValue(level) + " " + Report.count(operationsByPriority[level]));
                }
            }
            report.fact("operations run on '" + uiThread + "'", ops + "   (seen by DispatcherHooks)");
            report.fact("longest stall of '" + uiThread + "'", Report.ms(longestStallNanos)
                    + " between two operations (GC, JIT or other processes)");
            report.conclusion("No key press waited behind the idle work queued before it: the dispatcher always"
                    + " runs the highest priority it holds and SYSTEM_IDLE is the lowest, so a key press waits for the"
                    + " chunk already running, which checks a single number in microseconds. Waits longer"
                    + " than that are time in which '" + uiThread + "' ran nothing at all (its longest stall above):"
                    + " garbage collection, JIT compilation, or other processes on a busy machine.");
        }
    }

    private PrimeSearch() {
    }

    /** Runs the sample on a new {@code ui} dispatcher thread, which has ended when this returns. */
    public static Result run(Settings settings) throws InterruptedException {
        Objects.requireNonNull(settings, "settings");
        try (DispatcherThread uiThread = new DispatcherThread("ui")) {
            Dispatcher ui = uiThread.dispatcher();
            OperationMonitor monitor = new OperationMonitor();
            ui.addHooks(monitor);
            PrimeWindow window = ui.invoke(() -> new PrimeWindow(settings, monitor));

            // A click is input: it goes through the queue at INPUT like any other key or mouse event.
            ui.invoke(window::startOrStop, DispatcherPriority.INPUT);
            Thread feeder = new Thread(() -> typeKeys(ui, window, settings), "input-feeder");
            feeder.start();

            Await.result(window.stopped, "the prime search to stop");
            Await.join(feeder);
            Await.latch(window.allInputHandled, "the UI thread to handle every key press");
            return ui.invoke(window::result);
        }
    }

    /** The feeder thread: a user typing steadily while the search runs. */
    private static void typeKeys(Dispatcher ui, PrimeWindow window, Settings settings) {
        long pause = settings.inputInterval().toNanos();
        for (int i = 0; i < settings.inputItems(); i++) {
            long postedAt = System.nanoTime();
            DispatcherOperation<Void> key = ui.post(() -> window.keyPressed(postedAt), DispatcherPriority.INPUT);
            if (key.isCancelled()) {
                return; // the dispatcher shut down: the sample is being torn down
            }
            try {
                TimeUnit.NANOSECONDS.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** True for odd {@code n >= 3} that no odd number up to its square root divides. */
    static boolean isOddPrime(long n) {
        for (long d = 3; d * d <= n; d += 2) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The prime window: its widgets and the search's state. Created on the {@code ui} thread, so it and its widgets
     * belong to it; every method checks that it is called there.
     */
    private static final class PrimeWindow extends DispatcherObject {
        private static final int LAST_PRIMES = 5;

        private final Settings settings;
        private final OperationMonitor monitor;
        private final Label bigPrime = new Label("2");
        private final Label keys = new Label("");
        private final Button startStop = new Button("Start");
        private final long[] latencies;
        private final ArrayDeque<Long> lastPrimes = new ArrayDeque<>();
        // completed on the ui thread; the driving thread waits on them
        private final CompletableFuture<Void> stopped = new CompletableFuture<>();
        private final CountDownLatch allInputHandled;

        private boolean continueCalculating;
        private DispatcherOperation<Void> nextChunk;
        private long candidate = 3;
        private long primesFound = 1; // 2, the one even prime, is known before the search starts
        private long biggestPrime = 2;
        private long chunks;
        private long startedAt;
        private long searchedNanos;
        private int inputHandled;
        private int inputHandledWhileSearching;
        private long[] operationsWhileSearching = new long[0];
        private long longestStall;

        PrimeWindow(Settings settings, OperationMonitor monitor) {
            this.settings = settings;
            this.monitor = monitor;
            this.latencies = new long[settings.inputItems()];
            this.allInputHandled = new CountDownLatch(settings.inputItems());
            lastPrimes.add(2L);
        }

        /** The Start/Stop button's click handler. */
        void startOrStop() {
            verifyAccess();
            if (continueCalculating) {
                continueCalculating = false;
                nextChunk.abort(); // the chunk already queued would check one more number after Stop
                searchedNanos = System.nanoTime() - startedAt;
                startStop.setContent("Resume");
                operationsWhileSearching = monitor.started();
                longestStall = monitor.longestStall();
                stopped.complete(null);
            } else {
                continueCalculating = true;
                startedAt = System.nanoTime();
                monitor.reset();
                startStop.setContent("Stop");
                nextChunk = dispatcher().post(this::checkNextNumber, DispatcherPriority.SYSTEM_IDLE);
                // Stands in for the user clicking Stop: a timer tick at INPUT, the priority a real click would have.
                DispatcherTimer clickStop = new DispatcherTimer(DispatcherPriority.INPUT, dispatcher());
                clickStop.setInterval(settings.searchFor());
                clickStop.addTickHandler(timer -> {
                    timer.stop();
                    startOrStop();
                });
                clickStop.start();
            }
        }

        /** One chunk: small enough that nothing queued behind it waits long. */
        private void checkNextNumber() {
            verifyAccess();
            chunks++;
            if (isOddPrime(candidate)) {
                primesFound++;
                biggestPrime = candidate;
                bigPrime.setText(Long.toString(candidate)); // same thread that created the label: no hop needed
                if (lastPrimes.size() == LAST_PRIMES) {
                    lastPrimes.removeFirst();
                }
                lastPrimes.addLast(candidate);
            }
            candidate += 2;
            if (continueCalculating) {
                nextChunk = dispatcher().post(this::checkNextNumber, DispatcherPriority.SYSTEM_IDLE);
            }
        }

        void keyPressed(long postedAt) {
            verifyAccess();
            long latency = System.nanoTime() - postedAt;
            latencies[inputHandled++] = latency;
            if (continueCalculating) {
                inputHandledWhileSearching++;
            }
            keys.setText(inputHandled + " keys typed");
            allInputHandled.countDown();
        }

        Result result() {
            verifyAccess();
            long[] sorted = Arrays.copyOf(latencies, inputHandled);
            Arrays.sort(sorted);
            return new Result(Thread.currentThread().getName(), searchedNanos, primesFound, biggestPrime,
                    bigPrime.text(), List.copyOf(lastPrimes), candidate - 2, chunks,
                    settings.inputItems(), inputHandled, inputHandledWhileSearching, sorted,
                    operationsWhileSearching, longestStall);
        }
    }

    /**
     * Counts the operations a dispatcher starts, per priority, and the longest pause between two starts. Hooks for
     * started operations run on the owner thread, so plain fields suffice as long as they are read there too.
     */
    private static final class OperationMonitor implements DispatcherHooks {
        private final long[] started = new long[DispatcherPriority.SEND.value() + 1];
        private boolean anyStarted;
        private long lastStart;
        private long longestStall;

        @Override
        public void operationStarted(DispatcherOperation<?> operation) {
            long now = System.nanoTime();
            if (anyStarted) {
                longestStall = Math.max(longestStall, now - lastStart);
            }
            anyStarted = true;
            lastStart = now;
            started[operation.priority().value()]++;
        }

        void reset() {
            Arrays.fill(started, 0);
            anyStarted = false;
            longestStall = 0;
        }

        long[] started() {
            return started.clone();
        }

        long longestStall() {
            return longestStall;
        }
    }
}
