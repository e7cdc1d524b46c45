package dev.apartment.samples.window;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherOperation;
import dev.apartment.DispatcherPriority;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.Font;
import java.util.Locale;

import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;

/**
 * The article's prime numbers program, in Swing: a long search done <em>on the UI thread</em> without freezing it.
 * Start queues a chunk of the search at {@link DispatcherPriority#SYSTEM_IDLE} on the EDT's dispatcher; each chunk
 * checks odd numbers for about a millisecond, shows the biggest prime so far, and queues the next chunk. The
 * EDT dispatcher runs items below {@code LOADED} only while AWT's event queue is empty, so mouse, keyboard, repaint
 * and resize events always go first, and the window stays responsive however long the search runs. Stop aborts the
 * pending chunk; Resume carries on from where it stopped. There is no second thread, so the label is updated
 * directly.
 *
 * <p>EDT only, like every Swing component.
 */
final class PrimeTab extends JPanel {
    private static final long CHUNK_NANOS = 1_000_000L;

    private final Dispatcher ui;
    final JButton startStop = new JButton("Start");
    final JLabel biggestPrime = new JLabel("3");
    final JLabel progress = new JLabel("not started");
    final JButton clickMe = new JButton("Click me while it searches");
    final JLabel clicks = new JLabel("not clicked yet");
    private int clickCount;

    private long candidate = 5;
    private long biggest = 3;
    private long primesFound = 2; // 2 and 3
    private long chunks;
    private DispatcherOperation<Void> nextChunk;

    PrimeTab(Dispatcher ui) {
        super(new BorderLayout(8, 8));
        this.ui = ui;
        add(Text.intro("Prime numbers: long work in idle time, on the UI thread",
                "The search runs on the event dispatch thread itself, cut into chunks of about a millisecond queued"
                        + " at SYSTEM_IDLE on SwingPump's dispatcher; each chunk queues the next. Items below LOADED"
                        + " run only while AWT's event queue is empty, so drag, resize and click the window while it"
                        + " searches: input and painting always go first."), BorderLayout.NORTH);
        JPanel row = new JPanel(new FlowLayout(FlowLayout.LEFT, 10, 10));
        startStop.setName("prime.startStop");
        startStop.addActionListener(e -> startOrStop());
        row.add(startStop);
        row.add(new JLabel("Biggest prime found:"));
        biggestPrime.setName("prime.biggest");
        biggestPrime.setFont(biggestPrime.getFont().deriveFont(Font.BOLD, 22f));
        row.add(biggestPrime);
        progress.setName("prime.progress");
        JPanel progressRow = new JPanel(new FlowLayout(FlowLayout.LEFT, 14, 0));
        progressRow.add(progress);
        JPanel clickRow = new JPanel(new FlowLayout(FlowLayout.LEFT, 10, 10));
        clickMe.setName("prime.clickMe");
        clickMe.addActionListener(e -> clicks.setText("clicked " + (++clickCount) + " times, " + biggestPrime.getText()
                + " on the label at the time"));
        clicks.setName("prime.clicks");
        clickRow.add(clickMe);
        clickRow.add(clicks);
        JPanel center = new JPanel(new java.awt.GridLayout(0, 1));
        center.add(row);
        center.add(progressRow);
        center.add(clickRow);
        JPanel north = new JPanel(new BorderLayout());
        north.add(center, BorderLayout.NORTH);
        add(north, BorderLayout.CENTER);
    }

    /** The button's click handler: Start, Stop and Resume. */
    void startOrStop() {
        ui.verifyAccess();
        if (isRunning()) {
            stop();
            startStop.setText("Resume");
        } else {
            startStop.setText("Stop");
            nextChunk = ui.post(this::checkNextNumbers, DispatcherPriority.SYSTEM_IDLE);
        }
    }

    boolean isRunning() {
        return nextChunk != null;
    }

    /** Aborts the pending chunk, if any; the search can resume later. */
    void stop() {
        if (nextChunk != null) {
            nextChunk.abort();
            nextChunk = null;
        }
    }

    /** One chunk at SYSTEM_IDLE: about a millisecond of odd numbers, then the next chunk is queued. */
    private void checkNextNumbers() {
        long deadline = System.nanoTime() + CHUNK_NANOS;
        do {
            if (isPrime(candidate)) {
                biggest = candidate;
                primesFound++;
            }
            candidate += 2;
        } while (System.nanoTime() - deadline < 0);
        chunks++;
        biggestPrime.setText(Long.toString(biggest));
        progress.setText(String.format(Locale.ROOT, "%,d primes below %,d, in %,d idle chunks", primesFound,
                candidate, chunks));
        if (nextChunk != null) { // not stopped while this chunk ran
            nextChunk = ui.post(this::checkNextNumbers, DispatcherPriority.SYSTEM_IDLE);
        }
    }

    static boolean isPrime(long n) {
        if (n % 2 == 0) {
            return n == 2;
        }
        for (long i = 3; i * i <= n; i += 2) {
            if (n % i == 0) {
                return false;
            }
        }
        return n > 1;
    }

    long biggest() {
        return biggest;
    }
}
