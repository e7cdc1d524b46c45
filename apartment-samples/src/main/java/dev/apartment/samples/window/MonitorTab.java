package dev.apartment.samples.window;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherHooks;
import dev.apartment.DispatcherOperation;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;

import java.awt.BasicStroke;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

import javax.swing.JComponent;
import javax.swing.JPanel;
import javax.swing.JTextArea;

/**
 * A live view of the EDT dispatcher through {@link DispatcherHooks}: per priority, how many operations were posted,
 * started and completed, how many are queued now, and how long they waited in the queue and ran. A chart shows the
 * queue depth per priority and the longest queue wait of each sampling interval. Nothing here needs the core's
 * internals: the hooks count, and two small maps hold the post and start time of each operation in flight.
 */
final class MonitorTab extends JPanel {
    /** Priorities drawn in the chart, with their colors. */
    private static final DispatcherPriority[] SHOWN = {DispatcherPriority.SEND, DispatcherPriority.NORMAL,
        DispatcherPriority.RENDER, DispatcherPriority.INPUT, DispatcherPriority.BACKGROUND,
        DispatcherPriority.SYSTEM_IDLE};
    private static final Color[] COLORS = {new Color(200, 40, 40), new Color(40, 90, 200), new Color(150, 60, 180),
        new Color(230, 140, 20), new Color(40, 150, 80), new Color(120, 120, 120)};
    static final int HISTORY = 120;

    private final Dispatcher ui;
    final Hooks hooks = new Hooks();
    private final DispatcherTimer sampler;
    final JTextArea table = Text.log(12);
    final Chart chart = new Chart();
    private int samples;

    MonitorTab(Dispatcher ui) {
        super(new BorderLayout(8, 8));
        this.ui = ui;
        add(Text.intro("Monitor: the EDT dispatcher, seen through DispatcherHooks",
                "Hooks count every operation posted, started and completed on SwingPump's dispatcher, per priority,"
                        + " and time its wait in the queue and its run. The chart samples every 250 ms: queue depth"
                        + " per priority (lines) and the longest queue wait of the interval (grey bars, right"
                        + " scale). Start the prime search or fetch the forecast and watch."), BorderLayout.NORTH);
        table.setName("monitor.table");
        JPanel center = new JPanel(new BorderLayout(4, 4));
        center.add(chart, BorderLayout.CENTER);
        center.add(table, BorderLayout.SOUTH);
        add(center, BorderLayout.CENTER);
        ui.addHooks(hooks);
        sampler = new DispatcherTimer(DispatcherPriority.BACKGROUND, ui);
        sampler.setInterval(Duration.ofMillis(250));
        sampler.addTickHandler(t -> sample());
        sampler.start();
    }

    /** A sampling tick, on the EDT: one chart column and the table. */
    void sample() {
        ui.verifyAccess();
        samples++;
        long[] depth = new long[SHOWN.length];
        for (int i = 0; i < SHOWN.length; i++) {
            depth[i] = hooks.queued.get(SHOWN[i].value());
        }
        chart.add(depth, hooks.takeIntervalMaxWait());
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-17s %9s %9s %9s %7s %12s %12s%n", "priority", "posted", "started",
                "completed", "queued", "avg wait ms", "avg run ms"));
        for (int p = DispatcherPriority.SEND.value(); p >= DispatcherPriority.SYSTEM_IDLE.value(); p--) {
            long posted = hooks.posted.get(p);
            long started = hooks.started.get(p);
            if (posted == 0 && started == 0) {
                continue;
            }
            long completed = hooks.completed.get(p);
            sb.append(String.format(Locale.ROOT, "%-17s %9d %9d %9d %7d %12.3f %12.3f%n",
                    DispatcherPriority.fromValue(p), posted, started, completed, hooks.queued.get(p),
                    started == 0 ? 0.0 : hooks.waitNanos.get(p) / 1e6 / started,
                    completed == 0 ? 0.0 : hooks.runNanos.get(p) / 1e6 / completed));
        }
        sb.append(String.format(Locale.ROOT, "samples %d, operations in flight (timed) %d", samples,
                hooks.inFlight()));
        table.setText(sb.toString());
    }

    int samples() {
        return samples;
    }

    void stop() {
        sampler.stop();
        ui.removeHooks(hooks);
    }

    /**
     * The counting hooks. {@code operationPosted}, {@code operationAborted} and {@code operationPriorityChanged} run
     * on any thread, so the counters are atomic and the post times live in a concurrent map; started and completed
     * run on the owner (the EDT), so the start times and the interval's maximum are plain owner-only state. An
     * operation counts as queued from its post (seen by these hooks) until it starts or is aborted; operations
     * posted before the hooks were added are counted when they start, but never as queued.
     */
    static final class Hooks implements DispatcherHooks {
        private static final int LEVELS = DispatcherPriority.SEND.value() + 1;
        final AtomicLongArray posted = new AtomicLongArray(LEVELS);
        final AtomicLongArray started = new AtomicLongArray(LEVELS);
        final AtomicLongArray completed = new AtomicLongArray(LEVELS);
        final AtomicLongArray queued = new AtomicLongArray(LEVELS);
        final AtomicLongArray waitNanos = new AtomicLongArray(LEVELS);
        final AtomicLongArray runNanos = new AtomicLongArray(LEVELS);
        private final Map<DispatcherOperation<?>, Long> postedAt = new ConcurrentHashMap<>();
        // owner thread only
        private final Map<DispatcherOperation<?>, Long> startedAt = new IdentityHashMap<>();
        private long intervalMaxWait;

        @Override
        public void operationPosted(DispatcherOperation<?> operation) {
            int p = operation.priority().value();
            posted.incrementAndGet(p);
            if (postedAt.put(operation, System.nanoTime()) == null) {
                queued.incrementAndGet(p);
            }
        }

        @Override
        public void operationPriorityChanged(DispatcherOperation<?> operation, DispatcherPriority previous) {
            if (postedAt.containsKey(operation)) {
                queued.decrementAndGet(previous.value());
                queued.incrementAndGet(operation.priority().value());
            }
        }

        @Override
        public void operationAborted(DispatcherOperation<?> operation) {
            if (postedAt.remove(operation) != null) {
                queued.decrementAndGet(operation.priority().value());
            }
        }

        @Override
        public void operationStarted(DispatcherOperation<?> operation) {
            long now = System.nanoTime();
            int p = operation.priority().value();
            started.incrementAndGet(p);
            Long at = postedAt.remove(operation);
            if (at != null) {
                queued.decrementAndGet(p);
                long wait = now - at;
                waitNanos.addAndGet(p, wait);
                intervalMaxWait = Math.max(intervalMaxWait, wait);
            }
            startedAt.put(operation, now);
        }

        @Override
        public void operationCompleted(DispatcherOperation<?> operation) {
            int p = operation.priority().value();
            completed.incrementAndGet(p);
            Long at = startedAt.remove(operation);
            if (at != null) {
                runNanos.addAndGet(p, System.nanoTime() - at);
            }
        }

        /** Owner thread: the longest queue wait since the last call. */
        long takeIntervalMaxWait() {
            long max = intervalMaxWait;
            intervalMaxWait = 0;
            return max;
        }

        int inFlight() {
            return startedAt.size();
        }

        long total(AtomicLongArray counts) {
            long sum = 0;
            for (int i = 0; i < counts.length(); i++) {
                sum += counts.get(i);
            }
            return sum;
        }
    }

    /** Queue depth per priority (lines, left scale) and the longest wait per interval (bars, right scale). */
    static final class Chart extends JComponent {
        private final long[][] depth = new long[HISTORY][];
        private final long[] maxWait = new long[HISTORY];
        private int size;
        private int next;

        Chart() {
            setPreferredSize(new Dimension(600, 200));
            setName("monitor.chart");
        }

        void add(long[] depths, long wait) {
            depth[next] = depths;
            maxWait[next] = wait;
            next = (next + 1) % HISTORY;
            size = Math.min(HISTORY, size + 1);
            repaint();
        }

        int columns() {
            return size;
        }

        @Override
        protected void paintComponent(Graphics g) {
            Graphics2D g2 = (Graphics2D) g.create();
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int left = 44;
            int right = getWidth() - 56;
            int top = 26;
            int bottom = getHeight() - 18;
            g2.setColor(Color.WHITE);
            g2.fillRect(left, top, right - left, bottom - top);
            g2.setColor(Color.LIGHT_GRAY);
            g2.drawRect(left, top, right - left, bottom - top);
            long maxDepth = 4;
            long maxW = 1_000_000; // at least 1 ms on the scale
            for (int i = 0; i < size; i++) {
                for (long d : depth[i]) {
                    maxDepth = Math.max(maxDepth, d);
                }
                maxW = Math.max(maxW, maxWait[i]);
            }
            double step = (right - left) / (double) (HISTORY - 1);
            int first = (next - size + HISTORY) % HISTORY;
            g2.setColor(new Color(200, 200, 200));
            for (int i = 0; i < size; i++) {
                int x = (int) (left + (HISTORY - size + i) * step);
                int h = (int) ((bottom - top) * (maxWait[(first + i) % HISTORY] / (double) maxW));
                g2.fillRect(x - 1, bottom - h, Math.max(2, (int) step - 1), h);
            }
            g2.setStroke(new BasicStroke(1.8f));
            for (int s = 0; s < SHOWN.length; s++) {
                g2.setColor(COLORS[s]);
                int px = -1;
                int py = -1;
                for (int i = 0; i < size; i++) {
                    long d = Math.max(0, depth[(first + i) % HISTORY][s]);
                    int x = (int) (left + (HISTORY - size + i) * step);
                    int y = (int) (bottom - (bottom - top) * (d / (double) maxDepth));
                    if (px >= 0) {
                        g2.drawLine(px, py, x, y);
                    }
                    px = x;
                    py = y;
                }
            }
            Font small = getFont().deriveFont(10f);
            g2.setFont(small);
            g2.setColor(Color.DARK_GRAY);
            g2.drawString(Long.toString(maxDepth), 6, top + 8);
            g2.drawString("0", 6, bottom);
            g2.drawString("queued", 4, top - 12);
            g2.drawString(String.format(Locale.ROOT, "%.1f ms", maxW / 1e6), right + 4, top + 8);
            g2.drawString("max wait", right + 4, top - 12);
            int lx = left + 60;
            for (int s = 0; s < SHOWN.length; s++) {
                g2.setColor(COLORS[s]);
                g2.fillRect(lx, 8, 10, 10);
                g2.setColor(Color.DARK_GRAY);
                String name = SHOWN[s].name();
                g2.drawString(name, lx + 13, 17);
                lx += 20 + g2.getFontMetrics().stringWidth(name);
            }
            g2.drawString("last " + HISTORY / 4 + " s", left, bottom + 13);
            g2.dispose();
        }
    }
}
