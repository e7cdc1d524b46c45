package dev.apartment.javafx;

import static dev.apartment.javafx.FxTestSupport.await;
import static dev.apartment.javafx.FxTestSupport.blockFxThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherOperation;
import dev.apartment.DispatcherOperationStatus;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherShutdownException;
import dev.apartment.DispatcherTimer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javafx.application.Platform;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The FX dispatcher's life from before the toolkit starts to after its shutdown. It needs a JVM of its own (the
 * surefire execution for the tag {@code own-jvm}): the first test runs before anything started the toolkit, and the last one shuts down
 * the only dispatcher the FX thread can ever have. The tests run in order and build on each other.
 */
@Tag("own-jvm")
@Timeout(20)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FxLifecycleTest {

    @Test
    @Order(1)
    void beforeTheToolkitRunsThereIsNoDispatcher() {
        assertThatThrownBy(FxPump::dispatcher).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("toolkit is not running");
    }

    @Test
    @Order(2)
    void concurrentFirstCallsAttachOnce() throws Exception {
        FxTestSupport.startToolkit();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Dispatcher>> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                got.add(pool.submit(() -> {
                    go.await();
                    return FxPump.dispatcher();
                }));
            }
            CompletableFuture<Dispatcher> onFx = new CompletableFuture<>();
            Platform.runLater(() -> {
                await(go);
                onFx.complete(FxPump.dispatcher());
            });
            go.countDown();
            Dispatcher d = onFx.get();
            for (Future<Dispatcher> f : got) {
                assertThat(f.get()).isSameAs(d);
            }
            assertThat(FxTestSupport.dispatcher()).isSameAs(d);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void shutdownAbortsWhatIsQueuedAndLeavesJavaFxRunning() throws Exception {
        Dispatcher d = FxTestSupport.dispatcher();
        DispatcherTimer timer = d.invoke(() -> new DispatcherTimer(Duration.ofMinutes(1),
                DispatcherPriority.BACKGROUND, t -> { }, d)); // keeps the pump's timer set
        CountDownLatch release = blockFxThread();
        DispatcherOperation<Void> queued = d.post(() -> { }, DispatcherPriority.BACKGROUND);
        DispatcherOperation<Void> idle = d.post(() -> { }, DispatcherPriority.SYSTEM_IDLE);
        DispatcherOperation<Void> inactive = d.post(() -> { }, DispatcherPriority.INACTIVE);
        d.beginInvokeShutdown(DispatcherPriority.SEND);
        release.countDown();
        assertThat(d.awaitShutdown(FxTestSupport.SHUTDOWN)).isTrue();
        assertThat(List.of(queued.status(), idle.status(), inactive.status()))
                .containsOnly(DispatcherOperationStatus.ABORTED);
        assertThat(timer.isEnabled()).isFalse();
        assertThat(d.post(() -> { }).status()).isEqualTo(DispatcherOperationStatus.ABORTED);
        assertThatThrownBy(() -> d.invoke(() -> "x")).isInstanceOf(DispatcherShutdownException.class);

        // JavaFX goes on; the dispatcher stays the FX thread's, shut down; the timer thread has ended
        CountDownLatch alive = new CountDownLatch(1);
        Platform.runLater(alive::countDown);
        await(alive);
        assertThat(FxPump.dispatcher()).isSameAs(d);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("apartment-fx-timer")) {
                t.join(5_000);
                assertThat(t.isAlive()).as("timer thread alive after shutdown").isFalse();
            }
        }
    }
}
