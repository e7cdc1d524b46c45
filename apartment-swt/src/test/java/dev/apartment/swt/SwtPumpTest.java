package dev.apartment.swt;

import static dev.apartment.swt.SwtUiThread.await;
import static dev.apartment.swt.SwtUiThread.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher on an SWT display's thread: the core's semantics, with SWT's events, {@code asyncExec} runnables
 * and timers sharing the thread. Every test shares one display and its dispatcher (a thread of the class's own, see
 * {@link SwtUiThread}) and leaves it idle, at its outermost level; {@link #idle()} checks that nothing reached the
 * thread's uncaught-exception handler.
 */
@Timeout(30)
class SwtPumpTest {
    private static SwtUiThread ui;
    private static Dispatcher d;

    @BeforeAll
    static void start() {
        ui = SwtUiThread.start("swt-ui");
        d = ui.dispatcher;
    }

    @AfterAll
    static void stop() throws Exception {
        if (ui != null) {
            ui.close();
            assertThat(ui.uncaught).isEmpty();
        }
    }

    @AfterEach
    void idle() {
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE); // everything queued ran
        assertThat(ui.uncaught).as("exceptions on the UI thread").isEmpty();
    }

    @Test
    void attachIsIdempotentOnTheDisplaysThreadAndRefusedElsewhere() {
        assertThat(d.thread()).isSameAs(ui.thread);
        assertThat(Dispatcher.fromThread(ui.thread)).isSameAs(d);
        assertThat(d.invoke(() -> SwtPump.attach(ui.display))).isSameAs(d);
        assertThat(d.invoke(() -> ui.display.getData(SwtPump.DISPLAY_KEY))).isSameAs(d);
        assertThatThrownBy(() -> SwtPump.attach(ui.display)).isInstanceOf(SWTException.class)
                .satisfies(e -> assertThat(((SWTException) e).code).isEqualTo(SWT.ERROR_THREAD_INVALID_ACCESS));
    }

    @Test
    void postsRunOnTheUiThreadInPriorityOrder() {
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch release = ui.block(); // everything below queues up
        d.post(() -> log.add("system idle"), DispatcherPriority.SYSTEM_IDLE);
        d.post(() -> log.add("background"), DispatcherPriority.BACKGROUND);
        d.post(() -> log.add("normal"), DispatcherPriority.NORMAL);
        d.post(() -> log.add("send on the UI thread " + (Display.getCurrent() == ui.display)),
                DispatcherPriority.SEND);
        d.post(() -> log.add("normal 2"), DispatcherPriority.NORMAL);
        d.post(() -> log.add("input"), DispatcherPriority.INPUT);
        release.countDown();
        assertThat(d.invoke(() -> "done", DispatcherPriority.SYSTEM_IDLE)).isEqualTo("done");
        assertThat(log).containsExactly("send on the UI thread true", "normal", "normal 2", "input", "background",
                "system idle");
    }

    @Test
    void postsFromManyThreadsAllRunInEachThreadsOrder() throws Exception {
        int threads = 4;
        int each = 20_000;
        int[] last = new int[threads]; // UI thread only
        AtomicInteger outOfOrder = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(threads * each);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < threads; p++) {
            int producer = p;
            producers.add(new Thread(() -> {
                for (int i = 1; i <= each; i++) {
                    int seq = i;
                    d.post(() -> {
                        if (last[producer] + 1 != seq) {
                            outOfOrder.incrementAndGet();
                        }
                        last[producer] = seq;
                        ran.countDown();
                    });
                }
            }, "producer-" + p));
        }
        producers.forEach(Thread::start);
        for (Thread t : producers) {
            t.join();
        }
        assertThat(ran.await(20, TimeUnit.SECONDS)).as("all posts ran").isTrue();
        assertThat(outOfOrder.get()).isZero();
    }

    @Test
    void invokeFromAnotherThreadRunsOnTheUiThreadAndRethrows() {
        assertThat(d.invoke(() -> Display.getCurrent() == ui.display)).isTrue();
        assertThat(d.invoke(() -> 6 * 7, DispatcherPriority.BACKGROUND)).isEqualTo(42);
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> d.invoke(() -> {
            throw boom;
        })).isSameAs(boom);
    }

    @Test
    void invokeOnTheUiThreadBelowSendRunsTheItemInsideThePumpsNestedLoop() {
        // (that SWT's runnables run in such a loop: the frame and CALLS_AND_MESSAGES tests; here the order of the
        // item and an SWT runnable queued before it is not fixed, since SWT cannot say whether work waits)
        List<Boolean> innerInPumpLoop = new CopyOnWriteArrayList<>();
        String r = d.invoke(() -> {
            innerInPumpLoop.add(inPumpLoop());
            return d.invoke(() -> {
                innerInPumpLoop.add(inPumpLoop());
                return "inner";
            }, DispatcherPriority.BACKGROUND);
        }, DispatcherPriority.NORMAL);
        assertThat(r).isEqualTo("inner");
        assertThat(innerInPumpLoop).containsExactly(false, true);
    }

    /** Whether the calling code runs inside a nested loop of the pump (SwtPump.enterNestedLoop is on the stack). */
    private static boolean inPumpLoop() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f ->
                f.getClassName().equals(SwtPump.class.getName()) && f.getMethodName().equals("enterNestedLoop")));
    }

    @Test
    void aFrameIsAReadAndDispatchLoopThatAnotherThreadEnds() {
        List<String> log = new CopyOnWriteArrayList<>();
        DispatcherFrame frame = new DispatcherFrame();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        boolean[] inFrame = new boolean[1];
        d.post(() -> {
            d.post(() -> {
                log.add("post in frame: " + inFrame[0]);
                inside.countDown();
            });
            inFrame[0] = true;
            d.pushFrame(frame);
            inFrame[0] = false;
            log.add("frame returned");
            returned.countDown();
        });
        await(inside);
        assertThat(get(ui.asyncExec(() -> "asyncExec in frame: " + inFrame[0]))).isEqualTo("asyncExec in frame: true");
        assertThat(returned.getCount()).as("the frame runs until told to stop").isEqualTo(1);
        frame.setContinue(false); // from the test thread
        await(returned);
        assertThat(log).containsExactly("post in frame: true", "frame returned");
    }

    @Test
    void nestedFramesEndInnermostFirstEachByItsOwnKey() {
        List<String> log = new CopyOnWriteArrayList<>();
        DispatcherFrame outer = new DispatcherFrame();
        DispatcherFrame inner = new DispatcherFrame();
        CountDownLatch innerRunning = new CountDownLatch(1);
        CountDownLatch outerReturned = new CountDownLatch(1);
        d.post(() -> {
            d.post(() -> {
                d.post(innerRunning::countDown);
                d.pushFrame(inner);
                log.add("inner returned");
            });
            d.pushFrame(outer);
            log.add("outer returned");
            outerReturned.countDown();
        });
        await(innerRunning);
        outer.setContinue(false); // the outer frame's exit waits for the inner loop above it
        assertThat(d.invoke(() -> "still inside the inner frame")).isNotNull();
        assertThat(log).isEmpty();
        inner.setContinue(false);
        await(outerReturned);
        assertThat(log).containsExactly("inner returned", "outer returned");
    }

    @Test
    void aWaitUnderCallsLetsACompletionInButNoSwtRunnableAndNoPost() {
        List<String> log = new CopyOnWriteArrayList<>();
        String r = d.invoke(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            ui.display.asyncExec(() -> log.add("asyncExec"));
            d.post(() -> log.add("post"));
            new Thread(() -> d.callbacks().execute(() -> {
                log.add("completion on the UI thread " + (Display.getCurrent() == ui.display));
                f.complete("done");
            }), "completer").start();
            String v = d.waitFor(f, WaitPolicy.CALLS);
            log.add("wait returned");
            return v;
        }, DispatcherPriority.NORMAL);
        assertThat(r).isEqualTo("done");
        get(ui.asyncExec(() -> null)); // the SWT runnable queued before this one ran by then
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(log).hasSize(4).startsWith("completion on the UI thread true", "wait returned")
                .contains("asyncExec", "post");
    }

    @Test
    void aWaitUnderCallsAndMessagesLetsSwtRunnablesAndPostsIn() {
        List<String> log = new CopyOnWriteArrayList<>();
        String r = d.invoke(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            AtomicInteger missing = new AtomicInteger(2);
            Runnable arrived = () -> {
                if (missing.decrementAndGet() == 0) {
                    f.complete("both ran inside the wait");
                }
            };
            ui.display.asyncExec(() -> {
                log.add("asyncExec");
                arrived.run();
            });
            d.post(() -> {
                log.add("post");
                arrived.run();
            });
            String v = d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES);
            log.add("wait returned");
            return v;
        }, DispatcherPriority.NORMAL);
        assertThat(r).isEqualTo("both ran inside the wait");
        assertThat(log).hasSize(3).contains("asyncExec", "post").endsWith("wait returned");
    }

    @Test
    void aWaitUnderCallsEnteredFromAPlainSwtRunnableLeavesNothingStranded() {
        // issue 12 (5): a CALLS wait in plain SWT code (no dispatch turn below it) holds back a post that arrives
        // while it waits; leaving the wait must signal, though no other post comes. The post comes from another
        // thread once a call has shown the wait to be running (a post from the UI thread itself: see
        // aPostFromPlainSwtCodeOnTheUiThreadRuns).
        CompletableFuture<String> f = new CompletableFuture<>();
        CountDownLatch postRan = new CountDownLatch(1);
        CompletableFuture<String> waited = ui.asyncExec(() -> {
            new Thread(() -> {
                CountDownLatch inWait = new CountDownLatch(1);
                d.callbacks().execute(inWait::countDown); // a call: runs inside the wait
                await(inWait);
                d.post(postRan::countDown);
                f.complete("done");
            }, "completer").start();
            return d.waitFor(f, WaitPolicy.CALLS);
        });
        assertThat(get(waited)).isEqualTo("done");
        await(postRan);
    }

    @Test
    void aPostFromPlainSwtCodeOnTheUiThreadRuns() {
        // an SWT listener or asyncExec runnable (no dispatch turn running) posts to the dispatcher, and nothing else
        // comes along to signal it
        CountDownLatch ran = new CountDownLatch(1);
        get(ui.asyncExec(() -> d.post(ran::countDown)));
        await(ran);
    }

    @Test
    void aDispatcherTimerTicksOnTheUiThread() {
        CountDownLatch ticks = new CountDownLatch(5);
        List<Boolean> onUiThread = new CopyOnWriteArrayList<>();
        DispatcherTimer timer = d.invoke(() -> new DispatcherTimer(Duration.ofMillis(3),
                DispatcherPriority.BACKGROUND, t -> {
                    onUiThread.add(Display.getCurrent() == ui.display);
                    ticks.countDown();
                }, d));
        await(ticks);
        d.invoke(timer::stop);
        assertThat(onUiThread).hasSizeGreaterThanOrEqualTo(5).containsOnly(true);
    }

    @Test
    void aTimedWaitOnTheUiThreadEndsAtItsDeadlineThroughThePumpsTimer() {
        long start = System.nanoTime();
        boolean done = d.invoke(() -> d.waitForAll(WaitPolicy.CALLS_AND_MESSAGES, Duration.ofMillis(30),
                new CompletableFuture<Void>()));
        assertThat(done).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
    }

    @Test
    void aDeadlineWeeksAwayArmsTheTimerWithoutOverflow() {
        // 30 days: more than Integer.MAX_VALUE ms, which the README's old sketch cast to a negative int; the pump
        // clamps it (timerMillis below), SWT accepts it, and the wait still ends by its future
        CompletableFuture<String> f = new CompletableFuture<>();
        CompletableFuture<Boolean> waited = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        d.post(() -> {
            d.post(waiting::countDown); // runs inside the wait's loop
            waited.complete(d.waitForAll(WaitPolicy.CALLS_AND_MESSAGES, Duration.ofDays(30), f));
        });
        await(waiting);
        assertThat(waited).isNotDone();
        f.complete("done");
        assertThat(get(waited)).isTrue();
    }

    @Test
    void timerMillisRoundsUpAndClampsWithoutOverflow() {
        assertThat(SwtPump.timerMillis(0)).isZero();
        assertThat(SwtPump.timerMillis(1)).isEqualTo(1);
        assertThat(SwtPump.timerMillis(1_000_000)).isEqualTo(1);
        assertThat(SwtPump.timerMillis(1_000_001)).isEqualTo(2);
        assertThat(SwtPump.timerMillis(Duration.ofDays(30).toNanos())).isEqualTo(Integer.MAX_VALUE);
        assertThat(SwtPump.timerMillis(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }
}
