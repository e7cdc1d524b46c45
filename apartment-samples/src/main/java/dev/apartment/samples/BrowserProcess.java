package dev.apartment.samples;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated browser process behind a {@link SimulatedWebView}: one background thread, {@code browser-process},
 * that does the slow work of a real webview (starting the environment, running scripts) one request at a time,
 * each after a fixed latency. Like the real thing it knows nothing about dispatchers; whoever hands it a request
 * decides how the answer travels back.
 *
 * <p>The page it hosts is fixed, and its script engine understands just enough for the tour: {@code document.title}
 * and integer arithmetic such as {@code 6 * 7}. Results are JSON text, as WebView2's {@code ExecuteScript} returns
 * them. Closing it stops the thread and joins it, so a sample that owns one leaves no thread behind.
 */
public final class BrowserProcess implements AutoCloseable {
    static final String THREAD_NAME = "browser-process";
    static final String PAGE_TITLE = "Apartment samples";

    private static final Pattern ARITHMETIC = Pattern.compile("\\s*(-?\\d{1,9})\\s*([-+*])\\s*(-?\\d{1,9})\\s*");
    private static final Runnable STOP = () -> { };

    private final Duration latency;
    private final EventLog log;
    private final BlockingQueue<Runnable> requests = new LinkedBlockingQueue<>();
    private final Thread thread;

    public BrowserProcess(Duration latency, EventLog log) {
        this.latency = Objects.requireNonNull(latency, "latency");
        this.log = Objects.requireNonNull(log, "log");
        this.thread = new Thread(this::serve, THREAD_NAME);
        thread.start();
    }

    /** Runs {@code request} on the browser process after the latency. Any thread. */
    void execute(Runnable request) {
        Objects.requireNonNull(request, "request");
        requests.add(request);
    }

    EventLog log() {
        return log;
    }

    String threadName() {
        return thread.getName();
    }

    /** The browser's script engine. Browser process only; throws for what it does not understand. */
    String evaluate(String script) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("scripts run on '" + THREAD_NAME + "', not on '"
                    + Thread.currentThread().getName() + "'");
        }
        if (script.trim().equals("document.title")) {
            return "\"" + PAGE_TITLE + "\"";
        }
        Matcher m = ARITHMETIC.matcher(script);
        if (m.matches()) {
            long a = Long.parseLong(m.group(1));
            long b = Long.parseLong(m.group(3));
            switch (m.group(2)) {
                case "+":
                    return Long.toString(a + b);
                case "-":
                    return Long.toString(a - b);
                default:
                    return Long.toString(a * b);
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT, "SyntaxError: cannot evaluate '%s'", script));
    }

    private void serve() {
        for (;;) {
            Runnable request;
            try {
                request = requests.take();
            } catch (InterruptedException e) {
                return;
            }
            if (request == STOP) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(latency.toNanos()); // the simulated cost of the work, not a handshake
                request.run();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A request delivers its own failures to whoever waits for it; an escaping one is a bug in the
                // sample, and must not stop the process from answering the requests after it.
                log.add("request failed on the browser process: " + e);
            }
        }
    }

    /**
     * Finishes the requests already made, then stops the thread and waits, for a bounded time, until it has ended.
     * Like {@link DispatcherThread#close()} it does not throw {@link InterruptedException}: an interrupted close
     * keeps the interrupt status and returns.
     */
    @Override
    public void close() {
        requests.add(STOP);
        try {
            thread.join(Await.LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("thread '" + THREAD_NAME + "' did not end within "
                    + Await.LIMIT.toSeconds() + " s of its stop request");
        }
    }
}
