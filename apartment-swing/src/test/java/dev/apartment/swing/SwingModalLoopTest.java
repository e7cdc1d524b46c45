package dev.apartment.swing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherFrame;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;
import dev.apartment.WaitPolicy;

import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Window;
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
import java.util.concurrent.locks.LockSupport;

import javax.swing.JDialog;
import javax.swing.JOptionPane;
import javax.swing.Timer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The EDT dispatcher under Swing's own modal loops ({@code JOptionPane}, a modal {@code JDialog}), which run above the
 * dispatcher's frames and waits without the dispatcher knowing, and beside other code's {@code invokeLater},
 * {@code invokeAndWait} and Swing timers. The dialogs need a display (CI runs under Xvfb); the fair-share test runs
 * headless too.
 */
@Timeout(30)
class SwingModalLoopTest {
    private Dispatcher ui;
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private Thread.UncaughtExceptionHandler previous;

    @BeforeEach
    void start() throws Exception {
        ui = SwingPump.dispatcher();
        previous = ui.invoke(() -> {
            Thread edt = Thread.currentThread();
            Thread.UncaughtExceptionHandler old = edt.getUncaughtExceptionHandler();
            edt.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
            return old;
        });
    }

    @AfterEach
    void stop() throws Exception {
        ui.invoke(() -> {
            for (Window w : Window.getWindows()) {
                w.dispose();
            }
            Thread.currentThread().setUncaughtExceptionHandler(previous);
        }, DispatcherPriority.SYSTEM_IDLE);
        assertThat(uncaught).as("exceptions that reached the EDT's handler").isEmpty();
    }

    @Test
    void aWaitWhoseFutureCompletesUnderJOptionPaneKeepsTheDispatcherRunning() throws Exception {
        needsDisplay();
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> f = new CompletableFuture<>();
        CountDownLatch waitReturned = new CountDownLatch(1);
        ui.post(() -> {
            log.add("wait returned " + ui.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES));
            waitReturned.countDown();
        });
        ui.post(() -> {
            log.add("dialog opens");
            JOptionPane.showMessageDialog(null, "modal", "apartment test", JOptionPane.INFORMATION_MESSAGE);
            log.add("dialog closed");
        });
        awaitDialog();
        f.complete("value");

        assertDispatcherAliveUnderTheDialog();
        assertThat(waitReturned.getCount()).as("the wait returns only once the dialog has closed").isEqualTo(1);
        ui.post(SwingModalLoopTest::closeDialogs);
        await(waitReturned);
        assertThat(log).containsExactly("dialog opens", "dialog closed", "wait returned value");
    }

    @Test
    void anOuterFrameBelowTheWaitIsNotEndedWhenAModalJDialogCloses() throws Exception {
        needsDisplay();
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> f = new CompletableFuture<>();
        DispatcherFrame outer = new DispatcherFrame();
        CountDownLatch waitReturned = new CountDownLatch(1);
        CountDownLatch outerReturned = new CountDownLatch(1);
        ui.post(() -> {
            ui.post(() -> {
                log.add("wait returned " + ui.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES));
                waitReturned.countDown();
            });
            ui.post(() -> {
                JDialog dialog = new JDialog((java.awt.Frame) null, "apartment test", true);
                dialog.setSize(200, 100);
                dialog.setVisible(true); // AWT's modal loop, until disposed
                log.add("dialog closed");
            });
            ui.pushFrame(outer);
            log.add("outer frame returned");
            outerReturned.countDown();
        });
        awaitDialog();
        f.complete("value");
        assertDispatcherAliveUnderTheDialog();
        ui.post(SwingModalLoopTest::closeDialogs);
        await(waitReturned);

        boolean outerRuns = ui.invoke(outer::shouldContinue, DispatcherPriority.BACKGROUND);
        assertThat(outerRuns).isTrue();
        assertThat(outerReturned.getCount()).as("the outer frame still runs").isEqualTo(1);
        outer.setContinue(false);
        await(outerReturned);
        assertThat(log).containsExactly("dialog closed", "wait returned value", "outer frame returned");
    }

    @Test
    void aDialogClosedFromInsideAWaitNestedInItsModalLoopClosesAfterTheWait() throws Exception {
        needsDisplay();
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<String> f = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch dialogReturned = new CountDownLatch(1);
        ui.post(() -> {
            ui.post(() -> {
                waiting.countDown();
                log.add("wait returned " + ui.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES));
            });
            JOptionPane.showMessageDialog(null, "modal", "apartment test", JOptionPane.INFORMATION_MESSAGE);
            log.add("dialog returned");
            dialogReturned.countDown();
        });
        await(waiting);
        ui.invoke(() -> {
            closeDialogs(); // from an operation inside the wait, inside the dialog's loop
            log.add("dialog closed");
        });
        assertThat(dialogReturned.getCount()).as("the dialog's loop cannot end under the wait").isEqualTo(1);
        f.complete("value");
        await(dialogReturned);
        assertThat(log).containsExactly("dialog closed", "wait returned value", "dialog returned");
    }

    @Test
    void workQueuedBehindAnOperationThatOpensADialogRunsWhileItShows() throws Exception {
        needsDisplay();
        CountDownLatch release = blockEdt();
        CountDownLatch secondRan = new CountDownLatch(1);
        ui.post(() -> JOptionPane.showMessageDialog(null, "modal", "apartment test", JOptionPane.PLAIN_MESSAGE));
        ui.post(secondRan::countDown);
        release.countDown();
        await(secondRan); // no other post came: the turn asked for the next one before it opened the dialog
        ui.post(SwingModalLoopTest::closeDialogs);
    }

    /**
     * A second of NORMAL work on the EDT leaves room for a 5 ms Swing timer and for other threads'
     * {@code invokeAndWait}: each gets the EDT within a slice plus one operation. Runs headless too.
     */
    @Test
    void aOneSecondNormalChainLetsSwingTimersAndInvokeAndWaitThrough() throws Exception {
        AtomicBoolean chainOn = new AtomicBoolean(true);
        AtomicLong chainRuns = new AtomicLong();
        Runnable[] link = new Runnable[1];
        link[0] = () -> {
            chainRuns.incrementAndGet();
            if (chainOn.get()) {
                ui.post(link[0], DispatcherPriority.NORMAL);
            }
        };
        AtomicInteger timerFires = new AtomicInteger();
        Timer timer = ui.invoke(() -> {
            Timer t = new Timer(5, e -> timerFires.incrementAndGet());
            t.start();
            return t;
        });
        List<Long> waits = new ArrayList<>();
        try {
            ui.post(link[0], DispatcherPriority.NORMAL);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() - end < 0) {
                long posted = System.nanoTime();
                EventQueue.invokeAndWait(() -> { });
                waits.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - posted));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // pacing of the probes, not a synchronization
            }
        } finally {
            chainOn.set(false);
            ui.invoke(timer::stop);
        }
        waits.sort(null);
        assertThat(chainRuns.get()).as("the chain ran all along").isGreaterThan(1_000);
        assertThat(timerFires.get()).as("5 ms Swing timer fires during the 1 s chain").isGreaterThanOrEqualTo(10);
        assertThat(waits.get(waits.size() / 2)).as("median invokeAndWait, ms, of %s", waits).isLessThanOrEqualTo(50L);
        assertThat(waits.get(waits.size() - 1)).as("longest invokeAndWait, ms, of %s", waits).isLessThan(250L);
    }

    /** A post, an invoke from this thread and a dispatcher timer all run while the dialog shows. */
    private void assertDispatcherAliveUnderTheDialog() throws Exception {
        CountDownLatch posted = new CountDownLatch(1);
        ui.post(posted::countDown);
        await(posted);
        boolean dialogShows = ui.invoke(SwingModalLoopTest::aDialogShows);
        assertThat(dialogShows).as("invoke runs while the dialog shows").isTrue();
        CountDownLatch ticked = new CountDownLatch(2);
        DispatcherTimer timer = ui.invoke(() -> new DispatcherTimer(Duration.ofMillis(5),
                DispatcherPriority.BACKGROUND, t -> ticked.countDown(), ui));
        await(ticked);
        ui.invoke(timer::stop);
    }

    /** Waits until the EDT shows a modal dialog (polled from this thread through the dispatcher). */
    private void awaitDialog() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!ui.invoke(SwingModalLoopTest::aDialogShows)) {
            assertThat(System.nanoTime() - end).as("a dialog within 5 s").isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polling pace
        }
    }

    private static boolean aDialogShows() {
        for (Window w : Window.getWindows()) {
            if (w instanceof JDialog && w.isShowing()) {
                return true;
            }
        }
        return false;
    }

    private static void closeDialogs() {
        for (Window w : Window.getWindows()) {
            if (w instanceof JDialog) {
                w.dispose();
            }
        }
    }

    private static CountDownLatch blockEdt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        EventQueue.invokeLater(() -> {
            blocked.countDown();
            await(release);
        });
        await(blocked);
        return release;
    }

    private static void needsDisplay() {
        Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(), "needs a display (CI runs under xvfb-run)");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).as("latch within 5 s").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
