package dev.apartment.javafx;

import static dev.apartment.javafx.FxTestSupport.await;
import static dev.apartment.javafx.FxTestSupport.blockFxThread;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherFrame;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;
import dev.apartment.WaitPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Group;
import javafx.scene.Scene;
import javafx.stage.Modality;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The FX dispatcher under JavaFX's own modal loop ({@code Stage.showAndWait} of an application-modal stage, the loop
 * that {@code Alert.showAndWait} runs too; javafx.controls is not on this module's path), which runs above the
 * dispatcher's frames and waits without the dispatcher knowing, beside other code's {@code Platform.runLater} and
 * animation pulses; and a deep nesting of frames and waits.
 */
@Timeout(30)
class FxModalLoopTest {
    private Dispatcher d;
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private Thread.UncaughtExceptionHandler previous;
    private final AtomicReference<Stage> alert = new AtomicReference<>();
    /** Counted down when the alert's showAndWait has returned. */
    private final CountDownLatch alertReturned = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        d = FxTestSupport.dispatcher();
        previous = d.invoke(() -> {
            Thread fx = Thread.currentThread();
            Thread.UncaughtExceptionHandler old = fx.getUncaughtExceptionHandler();
            fx.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
            return old;
        });
    }

    @AfterEach
    void stop() throws Exception {
        d.invoke(() -> {
            Stage a = alert.get();
            if (a != null && a.isShowing()) {
                a.close();
            }
        });
        if (alert.get() != null) {
            await(alertReturned); // a turn that closes the alert runs to its end inside the alert's loop
        }
        FxTestSupport.drain(d);
        d.invoke(() -> Thread.currentThread().setUncaughtExceptionHandler(previous));
        assertThat(uncaught).as("exceptions that reached the FX thread's handler").isEmpty();
    }

    /** Opens an application-modal stage (a dialog) and blocks in its modal loop until it is closed. FX thread. */
    private void showAlert() {
        Stage a = new Stage();
        a.initModality(Modality.APPLICATION_MODAL);
        a.setScene(new Scene(new Group(), 200, 100));
        alert.set(a);
        a.showAndWait();
        alertReturned.countDown();
    }

    private void closeAlert() {
        alert.get().close();
    }

    @Test
    void aWaitWhoseFutureCompletesUnderAnAlertKeepsTheDispatcherRunning() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> f = new CompletableFuture<>();
        CountDownLatch alertShows = new CountDownLatch(1);
        CountDownLatch waitReturned = new CountDownLatch(1);
        d.post(() -> {
            log.add("wait returned " + d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES));
            waitReturned.countDown();
        });
        d.post(() -> {
            log.add("alert opens");
            Platform.runLater(alertShows::countDown); // runs inside the alert's loop
            showAlert();
            log.add("alert closed");
        });
        await(alertShows);
        f.complete("value");

        assertDispatcherAliveUnderTheAlert();
        assertThat(waitReturned.getCount()).as("the wait returns only once the alert has closed").isEqualTo(1);
        d.post(this::closeAlert);
        await(waitReturned);
        assertThat(log).containsExactly("alert opens", "alert closed", "wait returned value");
    }

    /** The second exit request of the issue: it would have ended the outer frame's loop (or thrown). */
    @Test
    void anOuterFrameBelowTheWaitIsNotEndedWhenTheAlertCloses() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> f = new CompletableFuture<>();
        DispatcherFrame outer = new DispatcherFrame();
        CountDownLatch alertShows = new CountDownLatch(1);
        CountDownLatch waitReturned = new CountDownLatch(1);
        CountDownLatch outerReturned = new CountDownLatch(1);
        d.post(() -> {
            d.post(() -> {
                log.add("wait returned " + d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES));
                waitReturned.countDown();
            });
            d.post(() -> {
                Platform.runLater(alertShows::countDown);
                showAlert();
                log.add("alert closed");
            });
            d.pushFrame(outer);
            log.add("outer frame returned");
            outerReturned.countDown();
        });
        await(alertShows);
        f.complete("value");
        assertDispatcherAliveUnderTheAlert();
        d.post(this::closeAlert);
        await(waitReturned);

        boolean outerRuns = d.invoke(outer::shouldContinue, DispatcherPriority.BACKGROUND);
        assertThat(outerRuns).isTrue();
        assertThat(outerReturned.getCount()).as("the outer frame still runs").isEqualTo(1);
        outer.setContinue(false);
        await(outerReturned);
        assertThat(log).containsExactly("alert closed", "wait returned value", "outer frame returned");
    }

    @Test
    void anAlertClosedFromInsideAWaitNestedInItsLoopClosesAfterTheWait() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> f = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch alertReturned = new CountDownLatch(1);
        d.post(() -> {
            d.post(() -> {
                waiting.countDown();
                log.add("wait returned " + d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES));
            });
            showAlert();
            log.add("alert returned");
            alertReturned.countDown();
        });
        await(waiting);
        d.invoke(() -> {
            closeAlert(); // from an operation inside the wait, inside the alert's loop
            log.add("alert closed");
        });
        assertThat(alertReturned.getCount()).as("the alert's loop cannot end under the wait").isEqualTo(1);
        f.complete("value");
        await(alertReturned);
        assertThat(log).containsExactly("alert closed", "wait returned value", "alert returned");
    }

    @Test
    void workQueuedBehindAnOperationThatOpensAnAlertRunsWhileItShows() throws Exception {
        CountDownLatch release = blockFxThread();
        CountDownLatch secondRan = new CountDownLatch(1);
        d.post(this::showAlert);
        d.post(secondRan::countDown);
        release.countDown();
        await(secondRan); // no other post came: the turn asked for the next one before it opened the alert
        d.post(this::closeAlert);
    }

    /**
     * A second of NORMAL work on the FX thread leaves room for pulses (an {@code AnimationTimer}) and other code's
     * {@code runLater}: each gets the thread within a slice plus one operation.
     */
    @Test
    void aOneSecondNormalChainLetsPulsesAndRunLaterThrough() throws Exception {
        AtomicBoolean chainOn = new AtomicBoolean(true);
        AtomicLong chainRuns = new AtomicLong();
        Runnable[] link = new Runnable[1];
        link[0] = () -> {
            chainRuns.incrementAndGet();
            if (chainOn.get()) {
                d.post(link[0], DispatcherPriority.NORMAL);
            }
        };
        AtomicInteger ticks = new AtomicInteger();
        AnimationTimer animation = d.invoke(() -> {
            AnimationTimer a = new AnimationTimer() {
                @Override
                public void handle(long now) {
                    ticks.incrementAndGet();
                }
            };
            a.start();
            return a;
        });
        List<Long> waits = new ArrayList<>();
        try {
            d.post(link[0], DispatcherPriority.NORMAL);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() - end < 0) {
                CountDownLatch ran = new CountDownLatch(1);
                long posted = System.nanoTime();
                Platform.runLater(ran::countDown);
                await(ran);
                waits.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - posted));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // pacing of the probes, not a synchronization
            }
        } finally {
            chainOn.set(false);
            d.invoke(animation::stop);
        }
        waits.sort(null);
        assertThat(chainRuns.get()).as("the chain ran all along").isGreaterThan(1_000);
        assertThat(ticks.get()).as("animation pulses during the 1 s chain").isGreaterThanOrEqualTo(5);
        assertThat(waits.get(waits.size() / 2)).as("median runLater, ms, of %s", waits).isLessThanOrEqualTo(50L);
        assertThat(waits.get(waits.size() - 1)).as("longest runLater, ms, of %s", waits).isLessThan(250L);
    }

    /**
     * 500 frames and waits nested in one another, alternately, each level entered from an operation of the level
     * above. JavaFX allows {@value FxPump#MAX_NESTED_LOOPS} nested loops (JavaFX 25 enforces it; 17 overflows the
     * stack a little further on): the push beyond fails at once with an exception that names the limit, every level
     * past it fails the same way without nesting, the ones within it unwind in order, and nothing hangs.
     */
    @Test
    void fiveHundredNestedFramesAndWaitsStopAtJavaFxsLimitWithAClearException() throws Exception {
        int depth = 500;
        int limit = FxPump.MAX_NESTED_LOOPS;
        List<Integer> unwound = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        List<DispatcherFrame> frames = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            waits.add(new CompletableFuture<>());
            frames.add(new DispatcherFrame());
        }
        CountDownLatch deepest = new CountDownLatch(1);
        List<String> refusals = new CopyOnWriteArrayList<>();
        Runnable[] level = new Runnable[depth + 1];
        for (int i = depth; i >= 0; i--) {
            int n = i;
            level[i] = () -> {
                if (n == depth) {
                    deepest.countDown();
                    return;
                }
                d.post(level[n + 1]);
                try {
                    if (n % 2 == 0) {
                        d.pushFrame(frames.get(n));
                    } else {
                        d.waitFor(waits.get(n), WaitPolicy.CALLS_AND_MESSAGES);
                    }
                    unwound.add(n);
                } catch (IllegalStateException e) {
                    refusals.add(n + ": " + e.getMessage());
                }
            };
        }
        d.post(level[0]);
        await(deepest);
        assertThat(refusals).hasSize(depth - limit);
        assertThat(refusals.get(0)).startsWith(limit + ": too many nested JavaFX event loops").contains("JDK-8351733");
        assertThat(unwound).isEmpty();
        for (int i = limit - 1; i >= 0; i--) {
            if (i % 2 == 0) {
                frames.get(i).setContinue(false);
            } else {
                waits.get(i).complete(null);
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = limit - 1; i >= 0; i--) {
            expected.add(i);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (unwound.size() < limit && System.nanoTime() - end < 0) {
            d.invoke(() -> { }, DispatcherPriority.SYSTEM_IDLE);
        }
        assertThat(unwound).isEqualTo(expected);
    }

    /** A post, an invoke from this thread and a dispatcher timer all run while the alert shows. */
    private void assertDispatcherAliveUnderTheAlert() throws Exception {
        CountDownLatch posted = new CountDownLatch(1);
        d.post(posted::countDown);
        await(posted);
        boolean showing = d.invoke(() -> alert.get().isShowing());
        assertThat(showing).as("invoke runs while the alert shows").isTrue();
        CountDownLatch ticked = new CountDownLatch(2);
        DispatcherTimer timer = d.invoke(() -> new DispatcherTimer(Duration.ofMillis(5),
                DispatcherPriority.BACKGROUND, t -> ticked.countDown(), d));
        await(ticked);
        d.invoke(timer::stop);
    }
}
