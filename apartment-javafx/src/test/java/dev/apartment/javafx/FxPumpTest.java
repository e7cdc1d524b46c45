package dev.apartment.javafx;

import static dev.apartment.javafx.FxTestSupport.await;
import static dev.apartment.javafx.FxTestSupport.blockFxThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherFrame;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;
import dev.apartment.WaitPolicy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The FX dispatcher ({@link FxPump}) on Monocle's headless platform: the dispatcher's semantics on JavaFX's
 * application thread, side by side with {@code Platform.runLater}. Every test uses the one shared dispatcher of
 * {@link FxTestSupport} and leaves it idle.
 */
@Timeout(20)
class FxPumpTest {
    private Dispatcher d;

    @BeforeEach
    void start() {
        d = FxTestSupport.dispatcher();
    }

    @AfterEach
    void idle() {
        FxTestSupport.drain(d);
        assertThat(d.hasShutdownStarted()).isFalse();
    }

    @Test
    void theDispatcherIsTheFxThreadsFromEveryThread() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Dispatcher>> got = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 8; i++) {
                got.add(pool.submit(FxPump::dispatcher));
            }
            for (Future<Dispatcher> f : got) {
                assertThat(f.get()).isSameAs(d);
            }
        } finally {
            pool.shutdownNow();
        }
        Thread fx = d.invoke(Thread::currentThread);
        assertThat(d.thread()).isSameAs(fx);
        assertThat(d.invoke(() -> Platform.isFxApplicationThread() && FxPump.dispatcher() == d
                && Dispatcher.current() == d)).isTrue();
        assertThat(Dispatcher.fromThread(fx)).isSameAs(d);
    }

    @Test
    void postsRunOnTheFxThreadInPriorityOrder() {
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch release = blockFxThread(); // everything below queues up
        d.post(() -> log.add("background " + Platform.isFxApplicationThread()), DispatcherPriority.BACKGROUND);
        d.post(() -> log.add("idle " + Platform.isFxApplicationThread()), DispatcherPriority.SYSTEM_IDLE);
        d.post(() -> log.add("normal " + Platform.isFxApplicationThread()), DispatcherPriority.NORMAL);
        d.post(() -> log.add("render " + Platform.isFxApplicationThread()), DispatcherPriority.RENDER);
        d.post(() -> log.add("send " + Platform.isFxApplicationThread()), DispatcherPriority.SEND);
        d.post(() -> log.add("normal 2 " + Platform.isFxApplicationThread()), DispatcherPriority.NORMAL);
        release.countDown();
        FxTestSupport.drain(d);
        assertThat(log).containsExactly("send true", "normal true", "normal 2 true", "render true",
                "background true", "idle true");
    }

    @Test
    void invokeFromAForeignThreadRunsOnTheFxThread() {
        assertThat(d.invoke(() -> Platform.isFxApplicationThread() ? "on fx" : "elsewhere")).isEqualTo("on fx");
        assertThat(d.invoke(() -> Thread.currentThread().getName(), DispatcherPriority.BACKGROUND))
                .isEqualTo(d.thread().getName());
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        assertThatThrownBy(() -> d.invoke(() -> {
            throw boom;
        })).isSameAs(boom);
    }

    @Test
    void invokeOnTheFxThreadBelowSendRunsANestedEventLoopThatRunsRunLater() {
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> { // plain JavaFX code on the FX thread, not a dispatcher operation
            Platform.runLater(() -> log.add("runLater, nested loop " + Platform.isNestedLoopRunning()));
            String r = d.invoke(() -> "invoked, nested loop " + Platform.isNestedLoopRunning(),
                    DispatcherPriority.BACKGROUND);
            log.add(r);
            log.add("invoke returned, nested loop " + Platform.isNestedLoopRunning());
            log.add("send inline " + d.invoke(() -> "yes", DispatcherPriority.SEND));
            done.countDown();
        });
        await(done);
        assertThat(log).containsExactly("runLater, nested loop true", "invoked, nested loop true",
                "invoke returned, nested loop false", "send inline yes");
    }

    @Test
    void aFrameIsANestedEventLoopThatAnotherThreadEnds() {
        List<String> log = new CopyOnWriteArrayList<>();
        DispatcherFrame frame = new DispatcherFrame();
        CountDownLatch inside = new CountDownLatch(1);
        d.post(() -> {
            d.post(() -> {
                log.add("post in frame, nested loop " + Platform.isNestedLoopRunning());
                inside.countDown();
            });
            d.pushFrame(frame);
            log.add("frame returned, nested loop " + Platform.isNestedLoopRunning());
        });
        await(inside);
        CountDownLatch ran = new CountDownLatch(1);
        Platform.runLater(() -> {
            log.add("runLater in frame, nested loop " + Platform.isNestedLoopRunning());
            ran.countDown();
        });
        await(ran);
        frame.setContinue(false); // from the test thread
        FxTestSupport.drain(d);
        assertThat(log).containsExactly("post in frame, nested loop true", "runLater in frame, nested loop true",
                "frame returned, nested loop false");
    }

    @Test
    void aWaitUnderCallsLetsACompletionInButNoRunLaterAndNoPost() {
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch runLaterRan = new CountDownLatch(1);
        String r = d.invoke(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            Platform.runLater(() -> {
                log.add("runLater");
                runLaterRan.countDown();
            });
            d.post(() -> log.add("post"), DispatcherPriority.SEND);
            new Thread(() -> d.callbacks().execute(() -> {
                log.add("completion on fx " + Platform.isFxApplicationThread() + ", nested loop "
                        + Platform.isNestedLoopRunning());
                f.complete("done");
            }), "completer").start();
            String v = d.waitFor(f, WaitPolicy.CALLS);
            log.add("wait returned");
            return v;
        }, DispatcherPriority.NORMAL);
        assertThat(r).isEqualTo("done");
        await(runLaterRan);
        FxTestSupport.drain(d);
        assertThat(log).hasSize(4)
                .startsWith("completion on fx true, nested loop false", "wait returned")
                .contains("runLater", "post");
    }

    @Test
    void aWaitUnderCallsAndMessagesLetsRunLaterPostsAndCompletionsIn() {
        List<String> log = new CopyOnWriteArrayList<>();
        boolean all = d.invoke(() -> {
            CompletableFuture<Void> byRunLater = new CompletableFuture<>();
            CompletableFuture<Void> byPost = new CompletableFuture<>();
            CompletableFuture<Void> byCompletion = new CompletableFuture<>();
            Platform.runLater(() -> {
                log.add("runLater, nested loop " + Platform.isNestedLoopRunning());
                byRunLater.complete(null);
            });
            d.post(() -> {
                log.add("post, nested loop " + Platform.isNestedLoopRunning());
                byPost.complete(null);
            }, DispatcherPriority.BACKGROUND);
            new Thread(() -> d.callbacks().execute(() -> {
                log.add("completion");
                byCompletion.complete(null);
            }), "completer").start();
            boolean ok = d.waitForAll(WaitPolicy.CALLS_AND_MESSAGES, Duration.ofSeconds(5), byRunLater, byPost,
                    byCompletion);
            log.add("wait returned");
            return ok;
        }, DispatcherPriority.NORMAL);
        assertThat(all).isTrue();
        assertThat(log).hasSize(4).endsWith("wait returned")
                .contains("runLater, nested loop true", "post, nested loop true", "completion");
    }

    @Test
    void aDispatcherTimerTicksOnTheFxThread() {
        CountDownLatch ticks = new CountDownLatch(3);
        List<Boolean> onFx = new CopyOnWriteArrayList<>();
        DispatcherTimer timer = d.invoke(() -> new DispatcherTimer(Duration.ofMillis(5),
                DispatcherPriority.BACKGROUND, t -> {
                    onFx.add(Platform.isFxApplicationThread());
                    ticks.countDown();
                }, d));
        await(ticks);
        d.invoke(timer::stop);
        assertThat(onFx).hasSizeGreaterThanOrEqualTo(3).containsOnly(true);
    }

    @Test
    void aTimeoutOnTheFxThreadEndsTheWaitThroughThePumpsTimer() {
        // an invoke that cannot start within its timeout: the deadline comes from the pump's timer, in a nested loop
        CompletableFuture<Void> never = new CompletableFuture<>();
        boolean done = d.invoke(() -> d.waitForAll(WaitPolicy.CALLS_AND_MESSAGES, Duration.ofMillis(30), never));
        assertThat(done).isFalse();
    }

    @Test
    void aSelfRepostingIdleJobDoesNotStarveRunLater() {
        // The prime-search pattern: a SYSTEM_IDLE job that reposts itself forever. JavaFX cannot say whether input
        // waits, so the dispatcher yields to the FX queue between slices: a runLater posted meanwhile runs while the
        // job is still going, and the job goes on afterwards.
        AtomicInteger chunks = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        boolean[] stop = new boolean[1]; // FX thread only
        Runnable[] chunk = new Runnable[1];
        chunk[0] = () -> {
            chunks.incrementAndGet();
            started.countDown();
            if (!stop[0]) {
                d.post(chunk[0], DispatcherPriority.SYSTEM_IDLE);
            }
        };
        d.post(chunk[0], DispatcherPriority.SYSTEM_IDLE);
        await(started);
        for (int i = 0; i < 5; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            int[] atRun = new int[1];
            boolean[] jobGoing = new boolean[1];
            Platform.runLater(() -> {
                atRun[0] = chunks.get();
                jobGoing[0] = !stop[0];
                ran.countDown();
            });
            await(ran);
            assertThat(jobGoing[0]).isTrue();
            // and the job resumes after the runnable: NORMAL work and more chunks still get through
            int before = atRun[0];
            CountDownLatch more = new CountDownLatch(1);
            d.post(() -> {
                if (chunks.get() > before) {
                    more.countDown();
                }
            }, DispatcherPriority.SYSTEM_IDLE);
            await(more);
        }
        d.invoke(() -> stop[0] = true, DispatcherPriority.SEND);
    }
}
