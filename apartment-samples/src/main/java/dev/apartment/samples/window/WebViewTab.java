package dev.apartment.samples.window;

import dev.apartment.Dispatcher;
import dev.apartment.samples.AppSite;
import dev.apartment.webview.WebView;
import dev.apartment.webview.WebViewController;
import dev.apartment.webview.WebViewEnvironment;
import dev.apartment.webview.WebViewEnvironmentOptions;
import dev.apartment.webview.WebViewScriptException;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Point;
import java.awt.event.HierarchyEvent;
import java.awt.event.InputEvent;
import java.awt.event.MouseEvent;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTextArea;
import javax.swing.JTextField;

/**
 * A real web view in the window: a Chromium page, owned by the EDT's dispatcher, shown live by a
 * {@link WebViewPanel} that forwards the mouse and the keyboard to it. Around it:
 *
 * <ul>
 *   <li>an address field and Go ({@code navigate});</li>
 *   <li>"Run script (sync)": a synchronous {@code executeScript} inside the click handler, which waits on the EDT
 *       under {@code WaitPolicy.CALLS} and shows the result;</li>
 *   <li>a message box: the page's {@code chrome.webview.postMessage} calls arrive as {@code WebMessageReceived}, and
 *       "Post to page" sends {@code postWebMessageAsString};</li>
 *   <li>an event log, in order: navigation starting/completed, title changes, the app's own pages served by a
 *       {@code WebResourceRequested} handler with a deferral ({@link AppSite}), new-window requests;</li>
 *   <li>"Kill browser": kills the browser process tree, so {@code ProcessFailed} is raised; the tab then recovers
 *       with a new environment.</li>
 * </ul>
 *
 * <p>The browser starts when the tab is first shown, asynchronously ({@code createAsync}, then
 * {@code createControllerAsync}), so the window stays responsive meanwhile. Without a Chromium the page area says
 * what to install and the rest of the window works as before. EDT only; {@link #close()} ends the browser.
 */
final class WebViewTab extends JPanel {
    static final String SCRIPT = "({title: document.title, clicks: typeof clicks === 'number' ? clicks : 0,"
            + " viewport: innerWidth + 'x' + innerHeight})";

    private final Dispatcher ui;
    private final AppSite site = new AppSite();
    private final long origin = System.nanoTime();
    final WebViewPanel page;
    final JTextField address = new JTextField(AppSite.HOME, 30);
    final JButton go = new JButton("Go");
    final JButton script = new JButton("Run script (sync)");
    final JButton kill = new JButton("Kill browser");
    final JLabel result = new JLabel(" ");
    final JLabel status = new JLabel("Chromium starts when this tab is shown.");
    final JTextField outgoing = new JTextField("hello from Swing", 14);
    final JButton post = new JButton("Post to page");
    final JTextArea messages = Text.log(6);
    final JTextArea events = Text.log(12);

    private WebViewEnvironment env;
    private WebViewController controller;
    private boolean started;
    private boolean closed;
    private boolean unavailable;
    /**
     * Between NavigationStarting and NavigationCompleted. The script button is disabled meanwhile: the page's
     * document request waits for our WebResourceRequested handler, a message, which a wait under CALLS does not
     * run, and the browser does not answer a script while that navigation is held; a synchronous script then would
     * wait for ever.
     */
    private boolean navigating;
    private int environments;

    WebViewTab(Dispatcher ui) {
        super(new BorderLayout(4, 4));
        this.ui = ui;
        this.page = new WebViewPanel(ui);
        setBorder(BorderFactory.createEmptyBorder(6, 6, 6, 6));

        JPanel bar = new JPanel(new FlowLayout(FlowLayout.LEFT, 6, 2));
        address.setName("webview.address");
        go.setName("webview.go");
        script.setName("webview.script");
        kill.setName("webview.kill");
        result.setName("webview.result");
        status.setName("webview.status");
        outgoing.setName("webview.outgoing");
        post.setName("webview.post");
        messages.setName("webview.messages");
        events.setName("webview.events");
        bar.add(new JLabel("Address"));
        bar.add(address);
        bar.add(go);
        bar.add(script);
        bar.add(kill);
        go.addActionListener(e -> goClicked());
        address.addActionListener(e -> goClicked());
        script.addActionListener(e -> scriptClicked());
        kill.addActionListener(e -> killClicked());
        post.addActionListener(e -> postClicked());
        outgoing.addActionListener(e -> postClicked());
        JPanel top = new JPanel();
        top.setLayout(new BoxLayout(top, BoxLayout.Y_AXIS));
        bar.setAlignmentX(LEFT_ALIGNMENT);
        top.add(bar);
        JPanel lines = new JPanel(new BorderLayout());
        lines.setBorder(BorderFactory.createEmptyBorder(0, 8, 2, 8));
        lines.add(status, BorderLayout.NORTH);
        lines.add(result, BorderLayout.SOUTH);
        lines.setAlignmentX(LEFT_ALIGNMENT);
        top.add(lines);
        add(top, BorderLayout.NORTH);

        JPanel messageBox = new JPanel(new BorderLayout(4, 4));
        messageBox.setBorder(BorderFactory.createTitledBorder("Web messages"));
        JPanel send = new JPanel(new BorderLayout(4, 0));
        send.add(outgoing, BorderLayout.CENTER);
        send.add(post, BorderLayout.EAST);
        messageBox.add(send, BorderLayout.NORTH);
        messages.setLineWrap(true);
        messageBox.add(new JScrollPane(messages), BorderLayout.CENTER);
        JPanel eventBox = new JPanel(new BorderLayout());
        eventBox.setBorder(BorderFactory.createTitledBorder("Events, in order"));
        events.setLineWrap(true);
        events.setWrapStyleWord(true);
        eventBox.add(new JScrollPane(events), BorderLayout.CENTER);
        JSplitPane side = new JSplitPane(JSplitPane.VERTICAL_SPLIT, messageBox, eventBox);
        side.setResizeWeight(0.35);
        side.setMinimumSize(new Dimension(200, 100));
        JSplitPane split = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, page, side);
        split.setResizeWeight(0.7);
        split.setContinuousLayout(true);
        add(split, BorderLayout.CENTER);
        enableControls(false);

        addHierarchyListener(e -> {
            if ((e.getChangeFlags() & HierarchyEvent.SHOWING_CHANGED) != 0 && isShowing()) {
                start();
            }
        });
    }

    /** Starts the browser if it has not been started. EDT only; also called when the tab is first shown. */
    void start() {
        ui.verifyAccess();
        if (started || closed) {
            return;
        }
        started = true;
        startEnvironment();
    }

    /** True once a page is shown and the controls work. EDT only. */
    boolean isReady() {
        return controller != null && !unavailable;
    }

    /** True if no Chromium could be started. EDT only. */
    boolean isUnavailable() {
        return unavailable;
    }

    /** The current controller, or null. EDT only. */
    WebViewController controller() {
        return controller;
    }

    private void startEnvironment() {
        environments++;
        status.setText("Starting Chromium" + (environments > 1 ? " again (environment #" + environments + ")" : "")
                + "...");
        page.show(null, List.of("Starting Chromium..."));
        CompletableFuture<WebViewEnvironment> creating;
        try {
            creating = WebViewEnvironment.createAsync(WebViewEnvironmentOptions.defaults());
        } catch (IllegalStateException e) {
            showUnavailable(e.getMessage());
            return;
        }
        // The completions run on the EDT (calls through ui.callbacks()), one after the other: no locks.
        creating.thenCompose(e -> {
            if (closed) {
                e.close();
                throw new IllegalStateException("the window closed");
            }
            env = e;
            e.processFailed().addHandler(a -> processFailed(e, a.processFailedKind() + ": " + a.reason()));
            log("environment #" + environments + " created: Chromium pid " + e.browserProcessId());
            return e.createControllerAsync();
        }).whenComplete((c, ex) -> {
            if (ex != null) {
                if (!closed) {
                    showUnavailable(unwrap(ex).getMessage());
                }
                return;
            }
            if (closed) {
                return;
            }
            controllerReady(c);
        });
    }

    private void controllerReady(WebViewController c) {
        controller = c;
        WebView web = c.webView();
        site.serve(web, what -> {
            if (ui.checkAccess()) {
                log(what);
            } else {
                // the resource server's steps: a call, like the response that follows, so they stay in order
                ui.callbacks().execute(() -> log(what));
            }
        });
        web.navigationStarting().addHandler(a -> {
            navigating = true;
            script.setEnabled(false);
            address.setText(a.uri());
            log("NavigationStarting " + a.uri() + (a.isUserInitiated() ? " (page)" : " (host)"));
        });
        web.navigationCompleted().addHandler(a -> {
            navigating = false;
            script.setEnabled(controller != null);
            log("NavigationCompleted " + (a.isSuccess() ? "success" : "failed: " + a.webErrorStatus()) + ", HTTP "
                    + a.httpStatusCode());
        });
        web.documentTitleChanged().addHandler(a -> log("DocumentTitleChanged \"" + a.title() + "\""));
        web.newWindowRequested().addHandler(a -> {
            log("NewWindowRequested " + a.uri() + ": handled, opened in this view");
            a.setHandled(true);
            String uri = a.uri();
            ui.post(() -> {
                if (controller == c) {
                    web.navigate(uri);
                }
            });
        });
        web.webMessageReceived().addHandler(a -> {
            messages.append("page -> host: " + a.webMessageAsJson() + "\n");
            messages.setCaretPosition(messages.getDocument().getLength());
        });
        web.processFailed().addHandler(a -> log("WebView.ProcessFailed " + a.processFailedKind()));
        page.show(c, List.of());
        enableControls(true);
        status.setText("Chromium pid " + env.browserProcessId() + ": a live page; click, scroll and type in it.");
        log("controller created; navigate(\"" + AppSite.HOME + "\")");
        web.navigate(AppSite.HOME);
    }

    private void processFailed(WebViewEnvironment failed, String reason) {
        log("ProcessFailed " + reason.lines().findFirst().orElse(reason));
        if (failed != env || closed) {
            return;
        }
        env = null;
        controller = null;
        navigating = false;
        enableControls(false);
        failed.close();
        log("recovering: a new environment");
        startEnvironment();
    }

    private void showUnavailable(String why) {
        unavailable = true;
        enableControls(false);
        status.setText("No real web view: Chromium is not installed or did not start.");
        page.show(null, List.of("No Chromium, so no real web view here (the other tabs work).",
                "Install it from the OS package manager, e.g. on Debian or Ubuntu:",
                "    apt-get install chromium-headless-shell    (or: apt-get install chromium)",
                "then start the samples again.", " ", "Details: " + why.lines().findFirst().orElse(why)));
        log("no web view: " + why);
    }

    private void enableControls(boolean on) {
        go.setEnabled(on);
        address.setEnabled(on);
        script.setEnabled(on && !navigating);
        kill.setEnabled(on);
        post.setEnabled(on);
        outgoing.setEnabled(on);
    }

    void goClicked() {
        ui.verifyAccess();
        if (controller == null) {
            return;
        }
        String uri = address.getText().strip();
        if (!uri.contains(":")) {
            uri = AppSite.ORIGIN + (uri.startsWith("/") ? "" : "/") + uri;
        }
        try {
            controller.webView().navigate(uri);
        } catch (RuntimeException e) {
            log("navigate failed: " + e.getMessage());
        }
    }

    /**
     * The click handler with a synchronous script: {@code executeScript} waits on the EDT under CALLS, so the
     * completion runs inside the wait, and the result is shown before the handler returns.
     */
    void scriptClicked() {
        ui.verifyAccess();
        if (controller == null || navigating) {
            return;
        }
        long start = System.nanoTime();
        try {
            String value = controller.webView().executeScript(SCRIPT);
            result.setText(String.format(Locale.ROOT, "executeScript returned %s after %.0f ms, inside the click"
                    + " handler on '%s'", value, (System.nanoTime() - start) / 1e6, Thread.currentThread().getName()));
        } catch (WebViewScriptException e) {
            result.setText("the script threw: " + e.getMessage());
        } catch (IllegalStateException e) {
            result.setText("executeScript failed: " + e.getMessage());
        }
    }

    void postClicked() {
        ui.verifyAccess();
        if (controller == null) {
            return;
        }
        String text = outgoing.getText();
        controller.webView().postWebMessageAsString(text);
        messages.append("host -> page: \"" + text + "\"\n");
    }

    /** Kills the browser's whole process tree, as a crash would: ProcessFailed follows, then recovery. */
    void killClicked() {
        ui.verifyAccess();
        if (env == null) {
            return;
        }
        long pid = env.browserProcessId();
        log("killing the browser process tree (pid " + pid + ")");
        enableControls(false);
        ProcessHandle.of(pid).ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    /**
     * Where the centre of the page's element {@code id} is, in this tab's page component: a synchronous script.
     * For the screenshots and the tests, which click it as a user would. EDT only.
     */
    Point centerOf(String id) {
        ui.verifyAccess();
        String xy = controller.webView().executeScript("(() => { const r = document.getElementById('" + id
                + "').getBoundingClientRect(); return Math.round(r.left + r.width / 2) + ',' +"
                + " Math.round(r.top + r.height / 2); })()");
        String[] parts = xy.replace("\"", "").split(",");
        return new Point(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    /** A left click at {@code p} on the page component, as AWT delivers one: pressed, released, clicked. EDT only. */
    void clickPage(Point p) {
        ui.verifyAccess();
        long when = System.currentTimeMillis();
        page.dispatchEvent(new MouseEvent(page, MouseEvent.MOUSE_PRESSED, when,
                InputEvent.BUTTON1_DOWN_MASK, p.x, p.y, 1, false, MouseEvent.BUTTON1));
        page.dispatchEvent(new MouseEvent(page, MouseEvent.MOUSE_RELEASED, when, 0,
                p.x, p.y, 1, false, MouseEvent.BUTTON1));
        page.dispatchEvent(new MouseEvent(page, MouseEvent.MOUSE_CLICKED, when, 0,
                p.x, p.y, 1, false, MouseEvent.BUTTON1));
    }

    private void log(String what) {
        events.append(String.format(Locale.ROOT, "+%6d ms  %s%n", (System.nanoTime() - origin) / 1_000_000, what));
        events.setCaretPosition(events.getDocument().getLength());
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** Ends the browser and the resource server. EDT only; idempotent. */
    void close() {
        ui.verifyAccess();
        if (closed) {
            return;
        }
        closed = true;
        page.stop();
        if (env != null) {
            env.close();
            env = null;
        }
        controller = null;
        site.close();
    }
}
