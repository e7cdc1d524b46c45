package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;

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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A toolkit-hosted dispatcher meets the toolkit's own modal loops (a dialog's, which the dispatcher did not start and
 * cannot see) and other code's events: nothing freezes, each frame's loop is asked to exit exactly once
 * ({@link ToyToolkit} fails a second request), no work is stranded, the toolkit gets its share, and the pump is never
 * called after shutdown. The same scenarios run on the real toolkits in apartment-swing, -javafx and -swt.
 */
@Timeout(20)
class ToolkitLoopTest {
    private ToyToolkit toolkit;
    private Dispatcher d;
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        toolkit = new ToyToolkit("toy-ui");
        d = toolkit.dispatcher();
        d.invoke(() -> toolkit.thread().setUncaughtExceptionHandler((t, e) -> uncaught.add(e)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        toolkit.close();
        assertThat(uncaught).as("exceptions that reached the toolkit thread's handler").isEmpty();
    }

    /**
     * Toolkit code that throws inside a dispatch turn (here the pump's {@code input()}) ends the turn; the toolkit
     * reports the exception and goes on, and the work the turn had not run yet still runs, without another post.
     */
    @Test
    void workRemainingWhenTheToolkitThrowsInATurnRunsInTheNextTurn() throws Exception {
        CountDownLatch bothRan = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        toolkit.postEvent(() -> {
            blocked.countDown();
            await(release);
        });
        await(blocked); // both posts below go out under one signal, to one turn
        RuntimeException failure = new IllegalStateException("the toolkit failed inside a turn");
        toolkit.inputFailure = failure;
        d.post(bothRan::countDown);
        d.post(bothRan::countDown);
        release.countDown();
        assertThat(bothRan.await(5, TimeUnit.SECONDS)).as("the queued posts ran after the failed turn").isTrue();
        assertThat(toolkit.inputFailure).as("the failure was thrown").isNull();
        assertThat(uncaught).as("the toolkit reported it").containsExactly(failure);
        uncaught.clear();
    }

    /** The freeze: a wait's future completes while a modal dialog opened inside the wait shows. */
    @Test
    void aWaitWhoseFutureCompletesUnderAModalDialogKeepsDispatchingAndReturnsAfterTheDialogCloses() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> f = new CompletableFuture<>();
        AtomicBoolean dialogClosed = new AtomicBoolean();
        CountDownLatch dialogShows = new CountDownLatch(1);
        CountDownLatch waitReturned = new CountDownLatch(1);
        d.post(() -> {
            log.add("wait returned " + d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES));
            waitReturned.countDown();
        });
        d.post(() -> {
            log.add("dialog opens");
            dialogShows.countDown();
            toolkit.runModalLoop(dialogClosed::get);
            log.add("dialog closed");
        });
        await(dialogShows);
        f.complete("value"); // from this thread, while the dialog shows

        assertDispatcherAliveInsideTheDialog();
        assertThat(waitReturned.getCount()).as("the wait returns only once the dialog has closed").isEqualTo(1);

        d.post(() -> dialogClosed.set(true)); // the user closes the dialog
        await(waitReturned);
        assertThat(log).containsExactly("dialog opens", "dialog closed", "wait returned value");
        assertThat(toolkit.exitRequests.get()).as("the wait's loop was asked to exit once").isEqualTo(1);
    }

    /** The same with an outer frame below the wait: the wait's exit must not end the outer frame's loop. */
    @Test
    void anOuterFrameBelowTheWaitIsNotEndedByTheWaitsExit() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> f = new CompletableFuture<>();
        DispatcherFrame outer = new DispatcherFrame();
        AtomicBoolean dialogClosed = new AtomicBoolean();
        CountDownLatch dialogShows = new CountDownLatch(1);
        CountDownLatch waitReturned = new CountDownLatch(1);
        CountDownLatch outerReturned = new CountDownLatch(1);
        d.post(() -> {
            d.post(() -> {
                log.add("wait returned " + d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES));
                waitReturned.countDown();
            });
            d.post(() -> {
                dialogShows.countDown();
                toolkit.runModalLoop(dialogClosed::get);
                log.add("dialog closed");
            });
            d.pushFrame(outer);
            log.add("outer frame returned");
            outerReturned.countDown();
        });
        await(dialogShows);
        f.complete("value");
        assertDispatcherAliveInsideTheDialog();
        d.post(() -> dialogClosed.set(true));
        await(waitReturned);

        // The outer frame still runs: a post runs inside it, and it has not returned.
        boolean outerRuns = d.invoke(() -> d.isRunning() && outer.shouldContinue(), DispatcherPriority.BACKGROUND);
        assertThat(outerRuns).isTrue();
        assertThat(outerReturned.getCount()).isEqualTo(1);
        outer.setContinue(false);
        await(outerReturned);
        assertThat(log).containsExactly("dialog closed", "wait returned value", "outer frame returned");
        assertThat(toolkit.exitRequests.get()).as("one exit request per loop").isEqualTo(2);
    }

    /** The reverse nesting: the dialog is closed from inside a wait nested in its modal loop. */
    @Test
    void aDialogClosedFromInsideAWaitNestedInItsLoopEndsAfterTheWait() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> f = new CompletableFuture<>();
        AtomicBoolean dialogClosed = new AtomicBoolean();
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch dialogReturned = new CountDownLatch(1);
        d.post(() -> {
            d.post(() -> {
                waiting.countDown();
                log.add("wait returned " + d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES));
            });
            toolkit.runModalLoop(dialogClosed::get);
            log.add("dialog returned");
            dialogReturned.countDown();
        });
        await(waiting);
        d.invoke(() -> {
            dialogClosed.set(true); // closed from an operation that runs inside the wait, inside the dialog
            log.add("dialog closed");
        });
        assertThat(dialogReturned.getCount()).as("the dialog's loop cannot end under the wait").isEqualTo(1);
        f.complete("value");
        await(dialogReturned);
        assertThat(log).containsExactly("dialog closed", "wait returned value", "dialog returned");
    }

    /** Work queued behind an operation that opens a modal dialog runs inside the dialog, with no other post. */
    @Test
    void workQueuedBehindAnOperationThatOpensADialogRunsInsideIt() throws Exception {
        AtomicBoolean dialogClosed = new AtomicBoolean();
        CountDownLatch secondRan = new CountDownLatch(1);
        AtomicInteger depthOfSecond = new AtomicInteger(-1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        toolkit.postEvent(() -> {
            blocked.countDown();
            await(release);
        });
        await(blocked); // both posts below go out under one signal
        int signalsBefore = toolkit.signals.get();
        d.post(() -> toolkit.runModalLoop(dialogClosed::get));
        d.post(() -> {
            depthOfSecond.set(toolkit.modalDepth());
            secondRan.countDown();
        });
        int signals = toolkit.signals.get() - signalsBefore;
        release.countDown();
        assertThat(signals).as("two posts, one signal").isEqualTo(1);
        await(secondRan);
        assertThat(depthOfSecond.get()).as("it ran inside the dialog").isEqualTo(1);
        d.invoke(() -> dialogClosed.set(true));
    }

    /**
     * A wait under CALLS entered from plain toolkit code (no dispatch turn around it) holds posts back; when it ends it
     * must signal, or they wait for the next unrelated post. Repeated: the post may or may not find the owner parked.
     */
    @Test
    void aCallsWaitEnteredFromToolkitCodeSignalsForWhatItHeldBack() throws Exception {
        d.setIdleSpin(Duration.ZERO); // idle means parked at once: the post below wakes a parked owner, no signal
        java.util.concurrent.atomic.AtomicReference<CountDownLatch> idle = new java.util.concurrent.atomic.AtomicReference<>();
        d.addHooks(new DispatcherHooks() {
            @Override
            public void dispatcherInactive(Dispatcher dispatcher) {
                CountDownLatch l = idle.get();
                if (l != null) {
                    l.countDown();
                }
            }
        });
        for (int i = 0; i < 20; i++) {
            CompletableFuture<String> f = new CompletableFuture<>();
            CountDownLatch returned = new CountDownLatch(1);
            CountDownLatch postRan = new CountDownLatch(1);
            CountDownLatch waiting = new CountDownLatch(1);
            idle.set(waiting);
            toolkit.postEvent(() -> {
                d.waitFor(f, WaitPolicy.CALLS);
                returned.countDown();
            });
            await(waiting); // the wait's loop is idle
            CountDownLatch heldBack = new CountDownLatch(1);
            idle.set(heldBack);
            d.post(postRan::countDown); // a message: the call-only wait takes it in and holds it back
            await(heldBack);
            idle.set(null);
            f.complete("done"); // another thread ends the wait: no dispatcher signal comes from this
            await(returned);
            await(postRan);
        }
    }

    /** No pump call once shutdown has finished, however posts and aborts race with it; nothing stays pending. */
    @Test
    void thePumpIsNeverCalledAfterShutdownHasFinished() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<DispatcherOperation<?>> ops = new CopyOnWriteArrayList<>();
        List<Thread> posters = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread p = new Thread(() -> {
                List<DispatcherOperation<?>> mine = new ArrayList<>();
                while (!stop.get()) {
                    DispatcherOperation<?> op = d.invokeAsync(() -> null, DispatcherPriority.BACKGROUND);
                    if (mine.size() < 100_000) {
                        mine.add(op);
                    }
                    if (mine.size() % 7 == 0) {
                        op.abort();
                    }
                }
                ops.addAll(mine);
            }, "poster-" + t);
            posters.add(p);
            p.start();
        }
        d.invoke(() -> { }, DispatcherPriority.BACKGROUND); // the posters are under way
        d.invokeShutdown();
        assertThat(d.awaitShutdown(Duration.ofSeconds(5))).isTrue();
        toolkit.dispose(); // as an application disposes its display after shutting the dispatcher down
        for (int i = 0; i < 1_000; i++) {
            assertThat(d.invokeAsync(() -> null).status()).isEqualTo(DispatcherOperationStatus.ABORTED);
        }
        stop.set(true);
        for (Thread p : posters) {
            p.join(5_000);
        }
        assertThat(toolkit.callsAfterDispose.get()).as("pump calls after dispose").isZero();
        assertThat(ops).isNotEmpty().allSatisfy(op -> assertThat(op.isDone()).as("%s done", op).isTrue());
    }

    /**
     * SWT's case: the toolkit thread shuts the dispatcher down while it holds a lock that a signal from another thread
     * waits for (Display.dispose holds the one asyncExec takes). Shutdown waits for signals under way only briefly, so
     * it finishes; the late signal then finds the toolkit disposed, which a pump must tolerate.
     */
    @Test
    void shutdownOnTheToolkitThreadWhileItHoldsALockASignalWaitsForDoesNotDeadlock() throws Exception {
        Object lock = new Object();
        toolkit.signalLock = lock;
        java.util.concurrent.atomic.AtomicReference<Thread> poster = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch holding = new CountDownLatch(1);
        CompletableFuture<Boolean> shutDown = new CompletableFuture<>();
        toolkit.postEvent(() -> {
            synchronized (lock) {
                holding.countDown();
                Thread p;
                while ((p = poster.get()) == null || p.getState() != Thread.State.BLOCKED) {
                    Thread.onSpinWait(); // until the poster waits for the lock inside the pump's signal
                }
                d.invokeShutdown();
                toolkit.dispose();
                shutDown.complete(d.hasShutdownFinished());
            }
        });
        await(holding);
        DispatcherOperation<?>[] op = new DispatcherOperation<?>[1];
        Thread p = new Thread(() -> op[0] = d.invokeAsync(() -> null), "poster");
        poster.set(p);
        p.start();
        assertThat(shutDown.get(5, TimeUnit.SECONDS)).as("shutdown finished on the toolkit thread").isTrue();
        p.join(5_000);
        assertThat(p.isAlive()).isFalse();
        assertThat(op[0].status()).isEqualTo(DispatcherOperationStatus.ABORTED);
        assertThat(toolkit.callsAfterDispose.get()).as("only the signal that was already under way").isLessThanOrEqualTo(1);
    }

    /**
     * Foreground work does not starve the toolkit: a self-reposting NORMAL chain runs for a second while another
     * thread posts toolkit events every 5 ms; each gets the thread within a slice plus one operation. The bound
     * asserted leaves room for a loaded CI machine; the typical wait is asserted tighter.
     */
    @Test
    void aForegroundChainLetsToolkitEventsRunEverySlice() throws Exception {
        AtomicBoolean chainOn = new AtomicBoolean(true);
        AtomicLong chainRuns = new AtomicLong();
        Runnable[] link = new Runnable[1];
        link[0] = () -> {
            chainRuns.incrementAndGet();
            if (chainOn.get()) {
                d.post(link[0], DispatcherPriority.NORMAL);
            }
        };
        d.post(link[0], DispatcherPriority.NORMAL);
        List<Long> waits = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() - end < 0) {
            CountDownLatch ran = new CountDownLatch(1);
            long posted = System.nanoTime();
            AtomicLong took = new AtomicLong();
            toolkit.postEvent(() -> {
                took.set(System.nanoTime() - posted);
                ran.countDown();
            });
            await(ran);
            waits.add(TimeUnit.NANOSECONDS.toMillis(took.get()));
            LockSupportPause.pause(5);
        }
        chainOn.set(false);
        waits.sort(null);
        assertThat(chainRuns.get()).as("the chain ran meanwhile").isGreaterThan(1_000);
        assertThat(waits.size()).as("toolkit events that got through in one second").isGreaterThan(10);
        assertThat(waits.get(waits.size() / 2)).as("median wait, ms, of %s", waits).isLessThanOrEqualTo(50L);
        assertThat(waits.get(waits.size() - 1)).as("longest wait, ms").isLessThan(250);
    }

    /** Posts, an invoke from another thread and a timer all run while the dialog shows. */
    private void assertDispatcherAliveInsideTheDialog() throws Exception {
        CountDownLatch posted = new CountDownLatch(1);
        d.post(posted::countDown);
        await(posted);
        assertThat(d.invoke(() -> toolkit.modalDepth())).as("invoke runs inside the dialog").isEqualTo(1);
        CountDownLatch ticked = new CountDownLatch(2);
        DispatcherTimer timer = d.invoke(() -> new DispatcherTimer(Duration.ofMillis(5), DispatcherPriority.BACKGROUND,
                t -> ticked.countDown(), d));
        await(ticked);
        d.invoke(timer::stop);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).as("latch within 5 s").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A pause between two probes of the test's own pacing, not a synchronization. */
    private static final class LockSupportPause {
        static void pause(long millis) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
        }
    }
}
