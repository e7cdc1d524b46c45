package dev.apartment.samples.window;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherDeadlockException;
import dev.apartment.samples.BrowserProcess;
import dev.apartment.samples.EventLog;
import dev.apartment.samples.SimulatedWebView;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;

/**
 * Waiting without deadlocks, in a window: a {@link SimulatedWebView} that belongs to the EDT, whose completions come
 * back through {@code ui.callbacks()}, as WebView2's completed handlers do. "Safe wait" runs the synchronous wrapper
 * {@code executeScript}, which waits on the EDT under {@code WaitPolicy.CALLS}: the completion is a call, so it runs
 * during the wait and the handler gets its value. "Naive wait" blocks the EDT on the future of a delivery that only
 * the EDT can run; instead of freezing the window for good, the wait throws {@link DispatcherDeadlockException}
 * within about a second, and its message is shown.
 */
final class WaitingTab extends JPanel {
    static final String SCRIPT = "6 * 7";

    private final Dispatcher ui;
    private final EventLog events = new EventLog();
    private final BrowserProcess browser;
    private SimulatedWebView view;
    private int shown;
    final JButton safe = new JButton("Safe wait: executeScript(\"" + SCRIPT + "\")");
    final JButton naive = new JButton("Naive wait: block on the delivery");
    final JLabel result = new JLabel(" ");
    final JTextArea diagnosis = Text.log(12);

    WaitingTab(Dispatcher ui, Duration browserLatency) {
        super(new BorderLayout(8, 8));
        this.ui = ui;
        this.browser = new BrowserProcess(browserLatency, events);
        add(Text.intro("Waiting without deadlocks: synchronous wrappers over asynchronous completions",
                "A simulated webview belongs to the EDT; its scripts run on a 'browser-process' thread and every"
                        + " completion comes back to the EDT through ui.callbacks(). The safe wrapper waits with"
                        + " ui.waitFor(future, WaitPolicy.CALLS): the completion is a call, so it runs inside the"
                        + " wait. The naive wrapper blocks the EDT on a delivery only the EDT can run; Apartment"
                        + " sees the cycle and throws DispatcherDeadlockException instead of freezing the window"
                        + " for good (it is frozen for about a second)."), BorderLayout.NORTH);
        JPanel row = new JPanel(new FlowLayout(FlowLayout.LEFT, 10, 10));
        safe.setName("waiting.safe");
        naive.setName("waiting.naive");
        safe.addActionListener(e -> safeClicked());
        naive.addActionListener(e -> naiveClicked());
        row.add(safe);
        row.add(naive);
        JPanel center = new JPanel(new BorderLayout(4, 4));
        result.setName("waiting.result");
        result.setBorder(javax.swing.BorderFactory.createEmptyBorder(0, 12, 0, 12));
        JPanel top = new JPanel(new BorderLayout());
        top.add(row, BorderLayout.NORTH);
        top.add(result, BorderLayout.CENTER);
        center.add(top, BorderLayout.NORTH);
        diagnosis.setName("waiting.diagnosis");
        diagnosis.setLineWrap(true);
        center.add(new JScrollPane(diagnosis), BorderLayout.CENTER);
        add(center, BorderLayout.CENTER);
    }

    /** The webview, created on first use with the synchronous (CALLS) wrapper; EDT only. */
    private SimulatedWebView view() {
        if (view == null) {
            view = SimulatedWebView.create(browser, ui);
        }
        return view;
    }

    void safeClicked() {
        ui.verifyAccess();
        long start = System.nanoTime();
        String value = view().executeScript(SCRIPT);
        result.setText(String.format(Locale.ROOT, "executeScript(\"%s\") returned %s after %.0f ms, on '%s'",
                SCRIPT, value, (System.nanoTime() - start) / 1e6, Thread.currentThread().getName()));
        showEvents();
    }

    void naiveClicked() {
        ui.verifyAccess();
        SimulatedWebView v = view();
        long start = System.nanoTime();
        try {
            String value = v.executeScriptNaively(SCRIPT);
            result.setText("the naive wait returned " + value + " (the deadlock was not diagnosed)");
        } catch (DispatcherDeadlockException e) {
            result.setText(String.format(Locale.ROOT, "DispatcherDeadlockException after %.0f ms; the window was"
                    + " frozen meanwhile", (System.nanoTime() - start) / 1e6));
            showEvents();
            diagnosis.append("\n" + e.getClass().getSimpleName() + ": " + e.getMessage() + "\n\n");
        }
        showEvents();
    }

    private void showEvents() {
        List<EventLog.Event> all = events.events();
        for (; shown < all.size(); shown++) {
            EventLog.Event e = all.get(shown);
            diagnosis.append(String.format(Locale.ROOT, "#%-3d +%5d ms  %-16s %s%n", e.number(),
                    e.atNanos() / 1_000_000, e.thread(), e.what()));
        }
        diagnosis.setCaretPosition(diagnosis.getDocument().getLength());
    }

    void close() {
        browser.close();
    }
}
