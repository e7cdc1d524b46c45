package dev.apartment.samples;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherObject;
import dev.apartment.DispatcherOperation;
import dev.apartment.WrongDispatcherException;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Demonstrates one dispatcher thread per top-level window, as Windows Explorer gives each window its own thread:
 * when one window is stuck in a long operation, only that window stops answering. Window 1 loads a "heavy page"
 * for about a second on {@code window-1}; meanwhile {@code window-2} answers {@code invoke} round trips at once,
 * while a call into window 1 has to wait for the load to finish.
 *
 * <p>It also shows the rule that makes this safe: a window belongs to the thread that created it. Touching window
 * 1 from {@code window-2} throws {@link WrongDispatcherException}; the right way is to queue the work on window 1's
 * own dispatcher, where it runs once that thread is free.
 */
public final class MultipleWindows {

    /**
     * @param busyFor how long window 1's long operation computes
     * @param pings   how many round trips to the idle window 2 are timed while window 1 is busy
     */
    public record Settings(Duration busyFor, int pings) {
        public Settings {
            Objects.requireNonNull(busyFor, "busyFor");
            if (busyFor.isNegative() || pings < 1) {
                throw new IllegalArgumentException("invalid settings: " + busyFor + ", " + pings);
            }
        }

        /** One second of work, five round trips. */
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(1000), 5);
        }
    }

    /**
     * What happened. The {@code *Order} fields are positions in one sequence shared by every thread of the sample,
     * so "before" and "after" in them are facts about ordering, not about clocks.
     *
     * @param window1Thread          the thread owning window 1
     * @param window2Thread          the thread owning window 2
     * @param busyNanos              how long window 1's long operation ran
     * @param idleRoundTripNanos     each timed round trip to window 2 while window 1 was busy
     * @param idleAnsweredWhileBusy  true if window 1 was still busy when every one of window 2's answers arrived
     * @param busyStartedOrder       when window 1's long operation started
     * @param lastIdleAnswerOrder    when the last of window 2's answers arrived
     * @param busyFinishedOrder      when window 1's long operation ended
     * @param busyAnswerOrder        when window 1's answer to the call made during its operation arrived
     * @param busyRoundTripNanos     that call's round trip: it waited for the operation
     * @param freeRoundTripNanos     a round trip to window 1 once it was free again
     * @param wrongAccess            what touching window 1 from window 2's thread threw
     * @param queuedNavigateOrder    when the navigation window 2 queued on window 1's dispatcher ran
     * @param window1TitleAfter      window 1's title at the end
     */
    public record Result(String window1Thread, String window2Thread, long busyNanos, long[] idleRoundTripNanos,
            boolean idleAnsweredWhileBusy, int busyStartedOrder, int lastIdleAnswerOrder, int busyFinishedOrder,
            int busyAnswerOrder, long busyRoundTripNanos, long freeRoundTripNanos,
            WrongDispatcherException wrongAccess, int queuedNavigateOrder, String window1TitleAfter) {

        public long slowestIdleRoundTripNanos() {
            return Arrays.stream(idleRoundTripNanos).max().orElse(0);
        }

        void print(Report report) {
            report.fact("window 1 on '" + window1Thread + "'", "loading a heavy page: " + Report.wholeMs(busyNanos)
                    + " of work in one operation");
            StringBuilder trips = new StringBuilder();
            for (long t : idleRoundTripNanos) {
                trips.append(trips.length() == 0 ? "" : "  ").append(Report.ms(t));
            }
            report.fact("window 2 on '" + window2Thread + "'", "invoke round trips meanwhile: " + trips);
            report.fact("window 1 still busy then?", idleAnsweredWhileBusy ? "yes, for every answer" : "no");
            report.fact("invoke on window 1 meanwhile", Report.wholeMs(busyRoundTripNanos)
                    + " round trip (waited for the page to load)");
            report.fact("invoke on window 1 afterwards", Report.ms(freeRoundTripNanos) + " round trip");
            report.fact("order of events", "load started #" + busyStartedOrder + ", window 2's last answer #"
                    + lastIdleAnswerOrder + ", load finished #" + busyFinishedOrder + ", window 1's answer #"
                    + busyAnswerOrder);
            report.fact("window 1 touched on window-2", wrongAccess.getClass().getSimpleName() + ":");
            report.fact("", wrongAccess.getMessage());
            report.fact("queued on window 1 instead", "ran on '" + window1Thread + "' as event #" + queuedNavigateOrder
                    + ", after the load; title now \"" + window1TitleAfter + "\"");
            report.conclusion("A long operation stalls only its own thread: window 2 answered every call within "
                    + Report.ms(slowestIdleRoundTripNanos()) + " while window 1 could not answer for "
                    + Report.wholeMs(busyRoundTripNanos) + ". Each window's objects stay on their thread; other"
                    + " threads reach them by queueing work on that thread's dispatcher.");
        }
    }

    private MultipleWindows() {
    }

    /** Runs the sample on two new dispatcher threads, which have ended when this returns. */
    public static Result run(Settings settings) throws InterruptedException {
        Objects.requireNonNull(settings, "settings");
        AtomicInteger order = new AtomicInteger();
        try (DispatcherThread thread1 = new DispatcherThread("window-1");
                DispatcherThread thread2 = new DispatcherThread("window-2")) {
            Dispatcher w1 = thread1.dispatcher();
            Dispatcher w2 = thread2.dispatcher();
            // Each window is created on its own thread, so that is the thread it belongs to.
            BrowserWindow window1 = w1.invoke(() -> new BrowserWindow("Window 1"));
            BrowserWindow window2 = w2.invoke(() -> new BrowserWindow("Window 2"));

            LongOperation load = new LongOperation(settings.busyFor(), order);
            w1.post(() -> load.runOn(window1));
            Await.latch(load.started, "window 1's long operation to start");

            long[] idleTrips = new long[settings.pings()];
            boolean idleAnsweredWhileBusy = true;
            int lastIdleAnswer = 0;
            for (int i = 0; i < idleTrips.length; i++) {
                long start = System.nanoTime();
                w2.invoke(window2::title);
                idleTrips[i] = System.nanoTime() - start;
                lastIdleAnswer = order.incrementAndGet();
                idleAnsweredWhileBusy &= load.busy.get();
            }

            // Window 2's thread reaches for window 1's object directly: the object refuses.
            WrongDispatcherException wrongAccess = w2.invoke(() -> {
                try {
                    window1.navigate("https://example.org/from-window-2");
                    return null;
                } catch (WrongDispatcherException e) {
                    return e;
                }
            });
            if (wrongAccess == null) {
                throw new IllegalStateException("window 1 accepted a call from window-2's thread");
            }
            // The right way: queue the navigation on window 1's dispatcher; it runs when window-1 is free.
            int[] navigatedAt = new int[1];
            DispatcherOperation<Void> queued = w2.invoke(() -> window1.dispatcher().invokeAsync(() -> {
                window1.navigate("https://example.org/queued-by-window-2");
                navigatedAt[0] = order.incrementAndGet();
            }));

            long busyStart = System.nanoTime();
            w1.invoke(window1::title);
            long busyTrip = System.nanoTime() - busyStart;
            int busyAnswer = order.incrementAndGet();

            Await.result(queued.toCompletableFuture(), "the queued navigation to run on window 1");
            long freeStart = System.nanoTime();
            String titleAfter = w1.invoke(window1::title);
            long freeTrip = System.nanoTime() - freeStart;

            return new Result(thread1.threadName(), thread2.threadName(), load.elapsedNanos, idleTrips,
                    idleAnsweredWhileBusy, load.startedOrder, lastIdleAnswer, load.finishedOrder, busyAnswer,
                    busyTrip, freeTrip, wrongAccess, navigatedAt[0], titleAfter);
        }
    }

    /** A top-level window; like every UI object it may only be used on the thread that created it. */
    private static final class BrowserWindow extends DispatcherObject {
        private String title;
        private long pageChecksum;

        BrowserWindow(String title) {
            this.title = title;
        }

        String title() {
            verifyAccess();
            return title;
        }

        void navigate(String address) {
            verifyAccess();
            title = address;
        }

        /** Lays out an enormous page: pure computation, for as long as it takes. */
        void layOutHeavyPage(long nanos) {
            verifyAccess();
            long deadline = System.nanoTime() + nanos;
            long x = pageChecksum | 1;
            do {
                for (int i = 0; i < 10_000; i++) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                }
            } while (System.nanoTime() - deadline < 0);
            pageChecksum = x; // keeps the loop from being optimised away
            title = "Window 1 (heavy page loaded)";
        }
    }

    /**
     * Window 1's long operation, with the instrumentation the report needs. {@code busy} and the order numbers are
     * read by the driving thread, so they are atomics or published through the {@code started} latch and the
     * later {@code invoke} on window 1, which cannot run before this operation has returned.
     */
    private static final class LongOperation {
        private final long nanos;
        private final AtomicInteger order;
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicBoolean busy = new AtomicBoolean();
        int startedOrder;
        int finishedOrder;
        long elapsedNanos;

        LongOperation(Duration busyFor, AtomicInteger order) {
            this.nanos = busyFor.toNanos();
            this.order = order;
        }

        void runOn(BrowserWindow window) {
            busy.set(true);
            startedOrder = order.incrementAndGet();
            long start = System.nanoTime();
            started.countDown();
            try {
                window.layOutHeavyPage(nanos);
            } finally {
                elapsedNanos = System.nanoTime() - start;
                finishedOrder = order.incrementAndGet();
                busy.set(false);
            }
        }
    }
}
