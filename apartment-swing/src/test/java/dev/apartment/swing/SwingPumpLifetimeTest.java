package dev.apartment.swing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherOperation;
import dev.apartment.DispatcherOperationStatus;
import dev.apartment.DispatcherPriority;

import java.awt.EventQueue;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher and the EDT's lifetime: AWT retires an idle EDT after about a second and starts a new one for the
 * next event, so the pump keeps the EDT alive while the dispatcher lives, and lets it go once it shut down. The last
 * test shuts the process-global dispatcher down; surefire runs this class in a JVM of its own.
 */
@Timeout(30)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwingPumpLifetimeTest {

    @Test
    @Order(1)
    void theEdtOutlivesAnIdlePeriodWhileTheDispatcherLives() throws Exception {
        Dispatcher d = SwingPump.dispatcher();
        Thread edt = d.thread();
        // Nothing happens for three seconds, three times AWT's grace period: the join is an assertion that the
        // EDT does not end, not a synchronization.
        edt.join(3_000);
        assertThat(edt.isAlive()).as("the EDT after an idle period").isTrue();
        assertThat(currentEdt()).isSameAs(edt);
        assertThat(d.invoke(Thread::currentThread, DispatcherPriority.BACKGROUND)).isSameAs(edt);
        assertThat(SwingPump.dispatcher()).isSameAs(d);
    }

    @Test
    @Order(2)
    void shutdownAbortsWhatIsQueuedAndReleasesTheEdtForANewDispatcher() throws Exception {
        Dispatcher d = SwingPump.dispatcher();
        Thread edt = d.thread();
        CountDownLatch release = SwingPumpTest.blockEdt(); // the items below queue up
        DispatcherOperation<Void> queued = d.post(() -> { }, DispatcherPriority.BACKGROUND);
        DispatcherOperation<String> inactive = d.invokeAsync(() -> "never", DispatcherPriority.INACTIVE);
        d.beginInvokeShutdown(DispatcherPriority.SEND);
        release.countDown();
        assertThat(d.awaitShutdown(Duration.ofSeconds(10))).isTrue();
        assertThat(queued.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
        assertThat(inactive.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
        assertThat(d.post(() -> { }).status()).isEqualTo(DispatcherOperationStatus.ABORTED);

        // The keep-alive stopped with the dispatcher: AWT retires the idle EDT as it would without Apartment ...
        edt.join(15_000);
        assertThat(edt.isAlive()).as("the EDT once the dispatcher shut down").isFalse();
        // ... and the next call attaches a new dispatcher to the new EDT.
        Dispatcher next = SwingPump.dispatcher();
        assertThat(next).isNotSameAs(d);
        assertThat(next.hasShutdownStarted()).isFalse();
        Thread newEdt = currentEdt();
        assertThat(next.thread()).isSameAs(newEdt).isNotSameAs(edt);
        assertThat(next.invoke(Thread::currentThread, DispatcherPriority.BACKGROUND)).isSameAs(newEdt);
        next.invokeShutdown();
        assertThat(next.awaitShutdown(Duration.ofSeconds(10))).isTrue();
    }

    private static Thread currentEdt() throws Exception {
        AtomicReference<Thread> t = new AtomicReference<>();
        EventQueue.invokeAndWait(() -> t.set(Thread.currentThread()));
        return t.get();
    }
}
