package dev.apartment.samples.window;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherObject;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.GridLayout;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.WindowConstants;

/**
 * The article's "multiple windows, multiple threads" program, as far as Swing allows. WPF gives each window a
 * thread of its own that both owns its elements and runs its work. Swing has one UI thread, the EDT, for every
 * window, so here each new window's <em>work</em> gets a dispatcher thread of its own ({@link Dispatcher#start}):
 * a page object created there, which computes, answers pings and ticks a heartbeat on that thread. Its results
 * reach the window's components through {@code ui.post(...)}, because Swing components may only be touched on the
 * EDT. Making one window busy stops that window's heartbeat and pings; the other windows and the main window keep
 * answering, which is the program's point.
 */
final class WindowsTab extends JPanel {
    private final Dispatcher ui;
    private final Duration busyFor;
    private final List<WorkerWindow> windows = new ArrayList<>();
    private int opened;
    final JButton newWindow = new JButton("New window");
    final JLabel count = new JLabel("no extra windows open");
    final JTextArea log = Text.log(8);

    WindowsTab(Dispatcher ui, Duration busyFor) {
        super(new BorderLayout(8, 8));
        this.ui = ui;
        this.busyFor = busyFor;
        add(Text.intro("Multiple windows, multiple threads",
                "Swing has a single UI thread, the EDT, for all its windows, so a window cannot own a thread the"
                        + " way a WPF window does. What each new window gets is a dispatcher thread of its own for"
                        + " its work: a page object created on that thread computes there, answers pings there and"
                        + " ticks a heartbeat there, and the results reach the window's labels through ui.post(...)."
                        + " Make one window busy: its heartbeat and pings stop until the work is done, while the"
                        + " other windows and this one keep answering."), BorderLayout.NORTH);
        JPanel row = new JPanel(new FlowLayout(FlowLayout.LEFT, 10, 10));
        newWindow.setName("windows.new");
        newWindow.addActionListener(e -> openWindow());
        row.add(newWindow);
        count.setName("windows.count");
        row.add(count);
        JPanel center = new JPanel(new BorderLayout());
        center.add(row, BorderLayout.NORTH);
        center.add(new JScrollPane(log), BorderLayout.CENTER);
        add(center, BorderLayout.CENTER);
    }

    /** The click handler: a new window whose work runs on a new dispatcher thread. */
    WorkerWindow openWindow() {
        ui.verifyAccess();
        WorkerWindow w = new WorkerWindow(++opened);
        windows.add(w);
        updateCount();
        w.frame.setLocation(80 + 40 * (opened % 8), 80 + 30 * (opened % 8));
        w.frame.setVisible(true);
        return w;
    }

    List<WorkerWindow> windows() {
        return List.copyOf(windows);
    }

    private void updateCount() {
        count.setText(windows.isEmpty() ? "no extra windows open" : windows.size() + " extra window"
                + (windows.size() == 1 ? "" : "s") + " open, each with its own dispatcher thread");
    }

    private void log(String line) {
        log.append(line + "\n");
        log.setCaretPosition(log.getDocument().getLength());
    }

    /** Closes every extra window and waits (bounded) for their threads to end. */
    void closeAll() {
        for (WorkerWindow w : List.copyOf(windows)) {
            w.close();
        }
        for (WorkerWindow w : List.copyOf(windows)) {
            w.join();
        }
        windows.clear();
    }

    /** Lives on its window's dispatcher thread: the window's work and state. */
    static final class Page extends DispatcherObject {
        private final String title;
        private long checksum = 1;
        private int beats;

        Page(String title) {
            this.title = title;
        }

        String title() {
            verifyAccess();
            return title;
        }

        int beat() {
            verifyAccess();
            return ++beats;
        }

        /** Pure computation for as long as it takes: the long operation that monopolizes the thread. */
        long layOut(long nanos) {
            verifyAccess();
            long deadline = System.nanoTime() + nanos;
            long x = checksum | 1;
            do {
                for (int i = 0; i < 10_000; i++) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                }
            } while (System.nanoTime() - deadline < 0);
            checksum = x;
            return x;
        }
    }

    /** One extra window: Swing components on the EDT, its page on its own dispatcher thread. */
    final class WorkerWindow {
        final int number;
        final JFrame frame;
        final Dispatcher worker;
        final Page page;
        final JButton busy = new JButton("Busy for " + busyFor.toMillis() + " ms");
        final JButton ping = new JButton("Ping");
        final JLabel heartbeat = new JLabel("heartbeat: -");
        final JLabel status = new JLabel("idle");
        final JLabel pong = new JLabel("not pinged yet");
        private int pings;

        WorkerWindow(int number) {
            this.number = number;
            this.worker = Dispatcher.start("samples-window-" + number);
            this.page = worker.invoke(() -> new Page("Window " + number)); // created on, so owned by, that thread
            frame = new JFrame("Window " + number + " - work on '" + worker.thread().getName() + "'");
            frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
            frame.addWindowListener(new WindowAdapter() {
                @Override
                public void windowClosing(WindowEvent e) {
                    close();
                }
            });
            busy.setName("window" + number + ".busy");
            ping.setName("window" + number + ".ping");
            busy.addActionListener(e -> makeBusy());
            ping.addActionListener(e -> ping());
            JPanel buttons = new JPanel(new FlowLayout(FlowLayout.LEFT));
            buttons.add(busy);
            buttons.add(ping);
            JPanel labels = new JPanel(new GridLayout(0, 1, 4, 4));
            labels.add(heartbeat);
            labels.add(status);
            labels.add(pong);
            JPanel content = new JPanel(new BorderLayout(6, 6));
            content.setBorder(javax.swing.BorderFactory.createEmptyBorder(8, 8, 8, 8));
            content.add(buttons, BorderLayout.NORTH);
            content.add(labels, BorderLayout.CENTER);
            frame.setContentPane(content);
            frame.setSize(380, 170);

            // The heartbeat ticks on the window's own thread and reports to the EDT: it stops while that thread
            // is busy, and only then.
            worker.invoke(() -> {
                DispatcherTimer timer = new DispatcherTimer(DispatcherPriority.BACKGROUND, worker);
                timer.setInterval(Duration.ofMillis(200));
                timer.addTickHandler(t -> {
                    int beat = page.beat();
                    ui.post(() -> heartbeat.setText("heartbeat " + beat + " from '"
                            + Thread.currentThread().getName() + "' via '" + worker.thread().getName() + "'"));
                });
                timer.start();
            });
        }

        /** The Busy button: the long operation goes to this window's thread; the EDT returns at once. */
        void makeBusy() {
            ui.verifyAccess();
            busy.setEnabled(false);
            status.setText("busy: laying out a heavy page on '" + worker.thread().getName() + "'");
            log("window " + number + ": busy for " + busyFor.toMillis() + " ms on its own thread");
            long start = System.nanoTime();
            worker.post(() -> {
                page.layOut(busyFor.toNanos());
                long took = System.nanoTime() - start;
                ui.post(() -> {
                    status.setText(String.format(Locale.ROOT, "idle again: the page took %,d ms", took / 1_000_000));
                    busy.setEnabled(true);
                    log("window " + number + ": done");
                });
            });
        }

        /** The Ping button: a round trip to this window's thread, answered when that thread is free. */
        void ping() {
            ui.verifyAccess();
            int n = ++pings;
            long start = System.nanoTime();
            pong.setText("ping " + n + " sent, waiting for '" + worker.thread().getName() + "'");
            worker.invokeAsync(page::title).toCompletableFuture().thenAcceptAsync(title -> {
                String took = String.format(Locale.ROOT, "%.1f ms", (System.nanoTime() - start) / 1e6);
                pong.setText("ping " + n + " answered by " + title + " in " + took);
                log("window " + number + ": ping " + n + " answered in " + took);
            }, ui.executor(DispatcherPriority.NORMAL));
        }

        void close() {
            if (windows.remove(this)) {
                updateCount();
                log("window " + number + ": closed; its dispatcher shuts down");
            }
            frame.dispose();
            worker.beginInvokeShutdown(DispatcherPriority.SEND);
        }

        void join() {
            try {
                if (worker.awaitShutdown(Duration.ofSeconds(5))) {
                    worker.thread().join(5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
