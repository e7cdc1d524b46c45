package dev.apartment.swt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

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

    @Test
    void shutdownAfterDisposeOnTheUiThreadAbortsEverythingAndNoSwtExceptionEscapes() throws Exception {
        try (SwtUiThread ui = SwtUiThread.start("swt-ui-after")) {
            Dispatcher d = ui.dispatcher;
            CountDownLatch ticked = new CountDownLatch(1);
            DispatcherTimer timer = d.invoke(() -> new DispatcherTimer(Duration.ofMillis(2),
                    DispatcherPriority.BACKGROUND, t -> ticked.countDown(), d));
            SwtUiThread.await(ticked);

            ui.endLoop();
            ui.afterLoop(() -> {
                ui.display.dispose(); // the wrong order: the dispatcher still lives
                return null;
            });
            assertThat(ui.display.isDisposed()).isTrue();
            assertThat(d.hasShutdownStarted()).isFalse();

            // Posts from other threads: the signal finds the display disposed and is dropped, never thrown.
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
                t.start();
            }
            for (Thread t : posters) {
                t.join();
            }
            DispatcherOperation<String> inactive = d.invokeAsync(() -> "never", DispatcherPriority.INACTIVE);
            assertThat(ui.uncaught).isEmpty();

            // The display's thread shuts the dispatcher down: everything queued is aborted.
            assertThatCode(() -> ui.afterLoop(() -> {
                d.invokeShutdown();
                return null;
            })).doesNotThrowAnyException();
            assertThat(d.hasShutdownFinished()).isTrue();
            assertThat(timer.isEnabled()).isFalse();
            assertThat(posted).hasSize(400)
                    .allSatisfy(op -> assertThat(op.status()).isEqualTo(DispatcherOperationStatus.ABORTED));
            assertThat(inactive.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
            assertThat(d.post(() -> { }).status()).isEqualTo(DispatcherOperationStatus.ABORTED);
            assertThat(ui.uncaught).as("exceptions on the UI thread").isEmpty();
        }
    }
}
