package dev.apartment.swt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherOperation;
import dev.apartment.DispatcherOperationStatus;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher's shutdown and the display's disposal, in both orders. Each test has a display and a UI thread of
 * its own ({@link SwtUiThread}); nothing may reach that thread's uncaught-exception handler (an
 * {@code SWTException: Device is disposed} from a signal would), and no operation may stay PENDING once the
 * dispatcher has shut down.
 */
@Timeout(60)
class SwtLifetimeTest {

    @Test
    void shutdownBeforeDisposeAbortsWhatIsQueuedAndLeavesNothingToTheDisposedDisplay() throws Exception {
        try (SwtUiThread ui = SwtUiThread.start("swt-ui-before")) {
            Dispatcher d = ui.dispatcher;
            CountDownLatch ticked = new CountDownLatch(1);
            DispatcherTimer timer = d.invoke(() -> new DispatcherTimer(Duration.ofMillis(2),
                    DispatcherPriority.BACKGROUND, t -> ticked.countDown(), d));
            SwtUiThread.await(ticked);
            CountDownLatch release = ui.block(); // the items below queue up
            DispatcherOperation<Void> queued = d.post(() -> { }, DispatcherPriority.BACKGROUND);
            DispatcherOperation<String> inactive = d.invokeAsync(() -> "never", DispatcherPriority.INACTIVE);
            d.beginInvokeShutdown(DispatcherPriority.SEND);
            release.countDown();
            assertThat(d.awaitShutdown(SwtUiThread.SHUTDOWN)).isTrue();
            assertThat(queued.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
            assertThat(inactive.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
            assertThat(timer.isEnabled()).isFalse();

            ui.endLoop();
            ui.afterLoop(() -> {
                ui.display.dispose();
                return null;
            });
            assertThat(ui.display.isDisposed()).isTrue();
            // from another thread and from the UI thread: aborted at once, no pump call, nothing thrown
            assertThat(d.post(() -> { }).status()).isEqualTo(DispatcherOperationStatus.ABORTED);
            assertThat(ui.<DispatcherOperationStatus>afterLoop(() -> d.post(() -> { }).status()))
                    .isEqualTo(DispatcherOperationStatus.ABORTED);
            assertThat(ui.uncaught).isEmpty();
        }
    }

    /**
     * The wrong order: the display is disposed while the dispatcher lives, with work queued and another thread
     * posting. The dispatcher goes down with the display (queued work and later posts end ABORTED, an invoke from
     * another thread fails at once) and no SWTException reaches any thread.
     */
    @Test
    void disposingTheDisplayFirstShutsTheDispatcherDownWithIt() throws Exception {
        try (SwtUiThread ui = SwtUiThread.start("swt-ui-after")) {
            Dispatcher d = ui.dispatcher;
            CountDownLatch ticked = new CountDownLatch(1);
            DispatcherTimer timer = d.invoke(() -> new DispatcherTimer(Duration.ofMillis(2),
                    DispatcherPriority.BACKGROUND, t -> ticked.countDown(), d));
            SwtUiThread.await(ticked);
            ui.endLoop(); // SWT's loop has ended: the items below stay queued until the display goes
            DispatcherOperation<Void> queued = d.post(() -> { }, DispatcherPriority.BACKGROUND);
            DispatcherOperation<String> inactive = d.invokeAsync(() -> "never", DispatcherPriority.INACTIVE);

            // Posts from other threads while the display is disposed: their signals are dropped, never thrown.
            List<DispatcherOperation<?>> posted = new ArrayList<>();
            List<Thread> posters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> {
                    for (int j = 0; j < 100; j++) {
                        DispatcherOperation<?> op = d.post(() -> { }, DispatcherPriority.NORMAL);
                        synchronized (posted) {
                            posted.add(op);
                        }
                    }
                }, "poster-" + i);
                posters.add(t);
            }
            posters.forEach(Thread::start);
            ui.afterLoop(() -> {
                ui.display.dispose(); // the wrong order: the dispatcher still lives
                return null;
            });
            for (Thread t : posters) {
                t.join();
            }
            assertThat(ui.display.isDisposed()).isTrue();
            assertThat(d.hasShutdownFinished()).as("shut down with the display").isTrue();
            assertThat(timer.isEnabled()).isFalse();
            // Display.dispose() first runs the display's pending runnables (a signal among them), so the queued
            // post may have run; either way it ended.
            assertThat(queued.isDone()).isTrue();
            assertThat(inactive.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
            assertThat(posted).hasSize(400).allSatisfy(op -> assertThat(op.isDone()).as("%s done", op).isTrue());
            assertThat(d.post(() -> { }).status()).isEqualTo(DispatcherOperationStatus.ABORTED);
            assertThatThrownBy(() -> d.invoke(() -> "late")).isInstanceOf(RuntimeException.class);
            assertThatCode(d::invokeShutdown).doesNotThrowAnyException(); // from another thread: nothing to wait for
            assertThat(ui.uncaught).as("exceptions on the UI thread").isEmpty();
        }
    }
}
