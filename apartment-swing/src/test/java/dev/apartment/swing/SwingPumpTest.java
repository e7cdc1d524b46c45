package dev.apartment.swing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherFrame;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;
import dev.apartment.WaitPolicy;

import java.awt.EventQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher on the AWT event dispatch thread: the core's semantics, with AWT events sharing the thread. Runs
 * headless (AWT has an EDT, {@code invokeLater} and secondary loops without a display) and with a display alike.
 *
 * <p>The EDT is process-global, so every test here shares the one dispatcher {@link SwingPump#dispatcher()} attaches
 * and none shuts it down (a shut-down EDT dispatcher stays shut down until AWT retires that EDT); each test leaves it
 * idle. Shutdown is tested last in {@link SwingPumpLifetimeTest}, which runs in a JVM of its own (surefire forks one
 * per test class).
 */
@Timeout(20)
class SwingPumpTest {
    private static Dispatcher d;

    @BeforeAll
    static void attach() {
        d = SwingPump.dispatcher();
    }

    @Test
    void postsRunOnTheEdtInPriorityOrder() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch release = blockEdt(); // everything below queues up
        d.post(() -> log.add("system idle"), DispatcherPriority.SYSTEM_IDLE);
        d.post(() -> log.add("background"), DispatcherPriority.BACKGROUND);
        d.post(() -> log.add("normal"), DispatcherPriority.NORMAL);
        d.post(() -> log.add("send on EDT " + EventQueue.isDispatchThread()), DispatcherPriority.SEND);
        d.post(() -> log.add("normal 2"), DispatcherPriority.NORMAL);
        release.countDown();
        assertThat(d.invoke(() -> "done", DispatcherPriority.SYSTEM_IDLE)).isEqualTo("done");
        assertThat(log).containsExactly("send on EDT true", "normal", "normal 2", "background", "system idle");
    }

    @Test
    void dispatcherIsTheSameFromEveryThreadAndOwnsTheEdt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Dispatcher>> all = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                all.add(pool.submit(SwingPump::dispatcher));
            }
            for (Future<Dispatcher> f : all) {
                assertThat(f.get()).isSameAs(d);
            }
        } finally {
            pool.shutdown();
        }
        AtomicReference<Thread> edt = new AtomicReference<>();
        AtomicReference<Dispatcher> onEdt = new AtomicReference<>();
        EventQueue.invokeAndWait(() -> {
            edt.set(Thread.currentThread());
            onEdt.set(SwingPump.dispatcher());
        });
        assertThat(onEdt.get()).isSameAs(d);
        assertThat(d.thread()).isSameAs(edt.get());
        assertThat(Dispatcher.fromThread(edt.get())).isSameAs(d);
    }

    @Test
    void invokeFromAForeignThreadRunsOnTheEdtAndRethrows() {
        assertThat(d.invoke(EventQueue::isDispatchThread)).isTrue();
        assertThat(d.invoke(() -> 6 * 7, DispatcherPriority.BACKGROUND)).isEqualTo(42);
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> d.invoke(() -> {
            throw boom;
        })).isSameAs(boom);
    }

    @Test
    void invokeOnTheEdtBelowSendPumpsASecondaryLoopInWhichAwtEventsRun() {
        List<String> log = new CopyOnWriteArrayList<>();
        boolean[] insideInvoke = new boolean[1];
        String r = d.invoke(() -> {
            EventQueue.invokeLater(() -> log.add("awt event, inside the invoke: " + insideInvoke[0]));
            insideInvoke[0] = true;
            // BACKGROUND waits behind the AWT event, which must run in the nested loop for the invoke to end
            String inner = d.invoke(() -> {
                log.add("background item");
                return "inner";
            }, DispatcherPriority.BACKGROUND);
            insideInvoke[0] = false;
            return inner;
        }, DispatcherPriority.NORMAL);
        assertThat(r).isEqualTo("inner");
        assertThat(log).containsExactly("awt event, inside the invoke: true", "background item");
    }

    @Test
    void aFrameIsASecondaryLoopAndExitsFromAnyThread() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        DispatcherFrame frame = new DispatcherFrame();
        CountDownLatch inside = new CountDownLatch(1);
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
        });
        await(inside);
        CountDownLatch awtRan = new CountDownLatch(1);
        EventQueue.invokeLater(() -> {
            log.add("awt event in frame: " + inFrame[0]);
            awtRan.countDown();
        });
        await(awtRan);
        frame.setContinue(false); // from the test thread
        assertThat(d.invoke(() -> "after", DispatcherPriority.SYSTEM_IDLE)).isEqualTo("after");
        assertThat(log).containsExactly("post in frame: true", "awt event in frame: true", "frame returned");
    }

    @Test
    void aWaitUnderCallsLetsACompletionInButNoAwtEventAndNoPost() {
        List<String> log = new CopyOnWriteArrayList<>();
        String r = d.invoke(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            EventQueue.invokeLater(() -> log.add("awt event"));
            d.post(() -> log.add("post"));
            new Thread(() -> d.callbacks().execute(() -> {
                log.add("completion on EDT " + EventQueue.isDispatchThread());
                f.complete("done");
            }), "completer").start();
            String v = d.waitFor(f, WaitPolicy.CALLS);
            log.add("wait returned");
            return v;
        }, DispatcherPriority.NORMAL);
        assertThat(r).isEqualTo("done");
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE); // runs once the EventQueue is empty: all ran by then
        assertThat(log).hasSize(4).startsWith("completion on EDT true", "wait returned")
                .contains("awt event", "post");
    }

    @Test
    void aWaitUnderCallsAndMessagesLetsAwtEventsAndPostsIn() {
        List<String> log = new CopyOnWriteArrayList<>();
        String r = d.invoke(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            AtomicInteger missing = new AtomicInteger(2);
            Runnable arrived = () -> {
                if (missing.decrementAndGet() == 0) {
                    f.complete("both ran inside the wait");
                }
            };
            EventQueue.invokeLater(() -> {
                log.add("awt event");
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
        assertThat(log).hasSize(3).contains("awt event", "post").endsWith("wait returned");
    }

    @Test
    void aDispatcherTimerTicksOnTheEdt() throws Exception {
        CountDownLatch ticks = new CountDownLatch(5);
        List<Boolean> onEdt = new CopyOnWriteArrayList<>();
        DispatcherTimer timer = d.invoke(() -> new DispatcherTimer(Duration.ofMillis(3),
                DispatcherPriority.BACKGROUND, t -> {
                    onEdt.add(EventQueue.isDispatchThread());
                    ticks.countDown();
                }, d));
        await(ticks);
        d.invoke(timer::stop);
        assertThat(onEdt).hasSizeGreaterThanOrEqualTo(5).containsOnly(true);
    }

    @Test
    void aTimedWaitOnTheEdtEndsAtItsDeadline() {
        // the pump's one-shot timer wakes the EDT for the deadline: nothing else arrives
        long start = System.nanoTime();
        boolean done = d.invoke(() -> d.waitForAll(WaitPolicy.CALLS_AND_MESSAGES, Duration.ofMillis(30),
                new CompletableFuture<Void>()));
        assertThat(done).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
    }

    /**
     * Occupies the EDT with a plain AWT event until the returned latch is released, and returns only once the EDT is
     * inside it: a dispatch turn queued on the EDT before it (left by an earlier test) would otherwise run first and
     * pick the highest of the posts made so far.
     */
    static CountDownLatch blockEdt() {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventQueue.invokeLater(() -> {
            blocked.countDown();
            await(release);
        });
        await(blocked);
        return release;
    }

    static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released in time").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
