package dev.apartment.swing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;

import java.awt.Graphics;
import java.awt.GraphicsEnvironment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.swing.JFrame;
import javax.swing.JLabel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With a window on screen, AWT dispatches paint events only when nothing else is queued. An idle-priority job that
 * updates a label must still run (the dispatcher's turn after a paint must come behind the paint, not ahead of it
 * forever) and the label must keep repainting while it does. Needs a display (CI runs it under Xvfb).
 */
@Timeout(30)
class SwingPaintGateTest {

    @Test
    void anIdleJobAndTheRepaintsItCausesTakeTurns() throws Exception {
        Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(), "needs a display (CI runs under xvfb-run)");
        Dispatcher ui = SwingPump.dispatcher();
        AtomicInteger chunks = new AtomicInteger();
        AtomicInteger paints = new AtomicInteger();
        boolean[] stop = new boolean[1];
        JFrame[] frame = new JFrame[1];
        JLabel label = ui.invoke(() -> {
            JLabel l = new JLabel("0") {
                private static final long serialVersionUID = 1L;

                @Override
                protected void paintComponent(Graphics g) {
                    paints.incrementAndGet();
                    super.paintComponent(g);
                }
            };
            frame[0] = new JFrame("paint gate");
            frame[0].add(l);
            frame[0].setSize(300, 120);
            frame[0].setVisible(true);
            return l;
        });
        try {
            Runnable[] chunk = new Runnable[1];
            chunk[0] = () -> {
                label.setText(Integer.toString(chunks.incrementAndGet())); // asks for a repaint every time
                if (!stop[0]) {
                    ui.post(chunk[0], DispatcherPriority.SYSTEM_IDLE);
                }
            };
            ui.post(chunk[0], DispatcherPriority.SYSTEM_IDLE);
            int paintsBefore = paints.get();
            // Both go on: thousands of chunks, and repaints among them (bounded waits, no timing figures).
            for (int i = 0; i < 500 && (chunks.get() < 1_000 || paints.get() < paintsBefore + 10); i++) {
                CountDownLatch tick = new CountDownLatch(1);
                assertThat(tick.await(10, TimeUnit.MILLISECONDS)).isFalse();
            }
            assertThat(chunks.get()).as("idle chunks ran").isGreaterThanOrEqualTo(1_000);
            assertThat(paints.get()).as("the label repainted meanwhile").isGreaterThanOrEqualTo(paintsBefore + 10);
        } finally {
            ui.invoke(() -> {
                stop[0] = true;
                frame[0].dispose();
            });
        }
    }
}
