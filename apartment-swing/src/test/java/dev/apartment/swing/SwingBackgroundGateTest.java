package dev.apartment.swing;

import static dev.apartment.swing.SwingPumpTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;

import java.awt.ActiveEvent;
import java.awt.AWTEvent;
import java.awt.EventQueue;
import java.awt.Toolkit;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.MouseWheelEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import javax.swing.JLabel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The background gate on the EDT: a self-reposting SYSTEM_IDLE job (the WPF article's prime search) keeps running,
 * and every AWT event posted meanwhile — input, and the {@code invokeLater} runnables Swing repaints and timers are
 * made of — is handled before the job gets more than one more chunk.
 *
 * <p>Each event is posted from inside a SEND {@code invoke} on the EDT, between two chunks, so the chunk count at the
 * time of posting is exact. Shares the process-global EDT dispatcher (see {@link SwingPumpTest}); the job runs for
 * the whole class and stops after it.
 */
@Timeout(30)
class SwingBackgroundGateTest {
    private static final int EVENTS = 30;

    private static Dispatcher d;
    private static final AtomicInteger chunks = new AtomicInteger();
    private static final AtomicInteger primes = new AtomicInteger();
    private static boolean stop; // EDT only
    private static JLabel target;

    @BeforeAll
    static void startThePrimeSearch() throws Exception {
        d = SwingPump.dispatcher();
        target = d.invoke(() -> new JLabel("target")); // lightweight components exist headless too
        CountDownLatch started = new CountDownLatch(1);
        Runnable[] chunk = new Runnable[1];
        int[] next = {3};
        chunk[0] = () -> {
            for (int end = next[0] + 200; next[0] < end; next[0] += 2) { // a few microseconds of work
                if (isPrime(next[0])) {
                    primes.incrementAndGet();
                }
            }
            chunks.incrementAndGet();
            started.countDown();
            if (!stop) {
                d.post(chunk[0], DispatcherPriority.SYSTEM_IDLE);
            }
        };
        d.post(chunk[0], DispatcherPriority.SYSTEM_IDLE);
        await(started);
    }

    @AfterAll
    static void stopThePrimeSearch() {
        d.invoke(() -> stop = true, DispatcherPriority.SEND);
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE); // behind the last chunk
    }

    @Test
    void keyEventsRunBeforeTheNextChunk() {
        // Headless AWT has no focus owner, and the focus manager drops a key event it cannot deliver before any
        // listener sees it; an ActiveEvent KeyEvent is still a KEY_PRESSED event in the queue, and AWT reports its
        // dispatch to us.
        assertEachHandledWithinOneChunk(i -> new ObservedKeyEvent(target));
    }

    @Test
    void mouseEventsRunBeforeTheNextChunk() {
        assertEachHandledWithinOneChunk(i -> new MouseEvent(target, MouseEvent.MOUSE_PRESSED,
                System.currentTimeMillis(), 0, i, i, 1, false));
    }

    @Test
    void mouseWheelEventsRunBeforeTheNextChunk() {
        assertEachHandledWithinOneChunk(i -> new MouseWheelEvent(target, MouseEvent.MOUSE_WHEEL,
                System.currentTimeMillis(), 0, i, i, 0, false, MouseWheelEvent.WHEEL_UNIT_SCROLL, 1, 1));
    }

    @Test
    void invokeLaterRunnablesRunBeforeTheNextChunk() {
        // Swing's RepaintManager, javax.swing.Timer and SwingWorker reach the EDT this way: not input ids, but an
        // idle job must not starve them either.
        List<Integer> chunksBetween = new CopyOnWriteArrayList<>();
        int before = chunks.get();
        for (int i = 0; i < EVENTS; i++) {
            CountDownLatch handled = new CountDownLatch(1);
            d.invoke(() -> {
                int atPost = chunks.get();
                EventQueue.invokeLater(() -> {
                    chunksBetween.add(chunks.get() - atPost);
                    handled.countDown();
                });
            }, DispatcherPriority.SEND);
            await(handled);
        }
        assertThat(chunksBetween).hasSize(EVENTS).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
        assertThat(chunks.get() - before).as("the job kept going").isPositive();
    }

    /**
     * Posts {@link #EVENTS} events made by {@code event} (given its index), each from a SEND invoke on the EDT, and
     * checks that at most one chunk ran between posting and handling.
     */
    private void assertEachHandledWithinOneChunk(IntFunction<AWTEvent> event) {
        List<Integer> chunksBetween = new CopyOnWriteArrayList<>();
        int before = chunks.get();
        for (int i = 0; i < EVENTS; i++) {
            CountDownLatch handled = new CountDownLatch(1);
            int index = i;
            d.invoke(() -> {
                int atPost = chunks.get();
                Runnable onHandled = () -> {
                    chunksBetween.add(chunks.get() - atPost);
                    handled.countDown();
                };
                AWTEvent e = event.apply(index);
                if (e instanceof ObservedKeyEvent) {
                    ((ObservedKeyEvent) e).onHandled = onHandled;
                } else {
                    MouseAdapter listener = new MouseAdapter() { // a real listener on AWT's own dispatch path
                        @Override
                        public void mousePressed(MouseEvent m) {
                            handled(m);
                        }

                        @Override
                        public void mouseWheelMoved(MouseWheelEvent m) {
                            handled(m);
                        }

                        private void handled(MouseEvent m) {
                            if (m == e) {
                                target.removeMouseListener(this);
                                target.removeMouseWheelListener(this);
                                onHandled.run();
                            }
                        }
                    };
                    target.addMouseListener(listener);
                    target.addMouseWheelListener(listener);
                }
                Toolkit.getDefaultToolkit().getSystemEventQueue().postEvent(e);
            }, DispatcherPriority.SEND);
            await(handled);
        }
        assertThat(chunksBetween).hasSize(EVENTS).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
        assertThat(chunks.get() - before).as("the job kept going").isPositive();
    }

    private static boolean isPrime(int n) {
        for (int k = 3; k * k <= n; k += 2) {
            if (n % k == 0) {
                return false;
            }
        }
        return true;
    }

    /** A KEY_PRESSED event that tells when the EDT dispatches it. */
    private static final class ObservedKeyEvent extends KeyEvent implements ActiveEvent {
        private static final long serialVersionUID = 1L;
        transient Runnable onHandled;

        ObservedKeyEvent(JLabel source) {
            super(source, KeyEvent.KEY_PRESSED, System.currentTimeMillis(), 0, KeyEvent.VK_A, 'a');
        }

        @Override
        public void dispatch() {
            onHandled.run();
        }
    }
}
