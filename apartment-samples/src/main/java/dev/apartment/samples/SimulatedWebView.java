package dev.apartment.samples;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherDeadlockException;
import dev.apartment.DispatcherObject;
import dev.apartment.DispatcherOperation;
import dev.apartment.WaitPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A simulated webview: a thread-affine component whose API is asynchronous, like WebView2's environment and
 * controller. Creating one and running a script happen on the {@link BrowserProcess}'s thread, and each completion
 * comes back to the UI thread through {@link Dispatcher#callbacks()}, the way WebView2 calls its completed handlers
 * on the thread that made the request. The webview belongs to that UI thread: every method checks access.
 *
 * <p>{@link #create} and {@link #executeScript} are the synchronous wrappers that callers want. They wait with
 * {@link Dispatcher#waitFor(java.util.concurrent.Future, WaitPolicy) waitFor} under {@link WaitPolicy#CALLS}: the
 * completions they wait for are calls, so they run during the wait, while input and posts wait until it returns.
 * {@link #executeScriptNaively} is the wrapper not to write, kept for contrast: it blocks the UI thread on a
 * completion that only the UI thread can run, which Apartment diagnoses instead of hanging.
 */
public final class SimulatedWebView extends DispatcherObject {

    /** A completion handler that ran: which request it finished, on which thread, at which place in the log. */
    public record Completion(String request, String thread, int order) {
    }

    private final BrowserProcess browser;
    private final List<Completion> completions = new ArrayList<>();

    /** Runs in the creation's completion handler, so the webview belongs to the thread that handler runs on. */
    private SimulatedWebView(BrowserProcess browser) {
        this.browser = browser;
        completed("create");
    }

    // --- the asynchronous API -------------------------------------------------------------------------------

    /**
     * Starts creating a webview for {@code ui}. The browser process starts the environment and the controller; the
     * completion handler then runs on {@code ui}'s thread (through its {@link Dispatcher#callbacks() callbacks}),
     * creates the webview there, so that it belongs to {@code ui}, and completes the returned future. Any thread.
     */
    public static CompletableFuture<SimulatedWebView> createAsync(BrowserProcess browser, Dispatcher ui) {
        Objects.requireNonNull(browser, "browser");
        Objects.requireNonNull(ui, "ui");
        CompletableFuture<SimulatedWebView> created = new CompletableFuture<>();
        browser.execute(() -> {
            browser.log().add("environment and controller started; completion sent through callbacks()");
            ui.callbacks().execute(() -> {
                try {
                    ui.verifyAccess(); // the completed handler runs on the UI thread, or not at all
                    created.complete(new SimulatedWebView(browser));
                } catch (RuntimeException e) {
                    created.completeExceptionally(e);
                }
            });
        });
        return created;
    }

    /**
     * Starts running {@code script} in the page. It is evaluated on the browser process; the completion handler
     * runs on this webview's thread and completes the returned future with the result, as JSON text, or with the
     * script's error. Owner thread only.
     */
    public CompletableFuture<String> executeScriptAsync(String script) {
        verifyAccess();
        Objects.requireNonNull(script, "script");
        Dispatcher ui = dispatcher();
        CompletableFuture<String> result = new CompletableFuture<>();
        browser.execute(() -> {
            String value;
            try {
                value = browser.evaluate(script);
            } catch (RuntimeException e) {
                ui.callbacks().execute(() -> result.completeExceptionally(e));
                return;
            }
            browser.log().add("evaluated " + script + " = " + value + "; completion sent through callbacks()");
            ui.callbacks().execute(() -> {
                try {
                    completed(script); // checks access: the completed handler runs on the owner, or fails
                    result.complete(value);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        });
        return result;
    }

    // --- synchronous wrappers -------------------------------------------------------------------------------

    /**
     * Creates a webview for {@code ui} and returns it once it exists. On {@code ui}'s thread, even inside an
     * operation, it does not deadlock: the wait dispatches calls, and the completion is one. Input and posts of
     * {@code ui} wait until it returns, so no input or posted handler runs re-entrantly inside it.
     */
    public static SimulatedWebView create(BrowserProcess browser, Dispatcher ui) {
        return ui.waitFor(createAsync(browser, ui), WaitPolicy.CALLS);
    }

    /**
     * Runs {@code script} and returns its result. Owner thread only; safe inside an operation, for the same reason
     * as {@link #create}: only calls run during the wait, among them the completion it waits for.
     */
    public String executeScript(String script) {
        return dispatcher().waitFor(executeScriptAsync(script), WaitPolicy.CALLS);
    }

    /**
     * Don't: the wrapper of the webview library whose UI thread deadlocked. The result is delivered to the UI thread
     * as an ordinary operation, and the UI thread blocks on that operation's future, dispatching nothing while it
     * waits. Only the UI thread can run the delivery, so without Apartment it would wait forever; because the
     * future belongs to an operation, the wait-for graph sees the cycle and the wait throws instead.
     *
     * <p>The diagnosis needs an operation to look at: the same blocking wait on a plain {@link CompletableFuture}
     * completed by a callback would still hang, since the library cannot know who would complete it.
     *
     * @throws DispatcherDeadlockException within about a second, naming this thread and the delivery
     */
    public String executeScriptNaively(String script) {
        verifyAccess();
        Objects.requireNonNull(script, "script");
        Dispatcher ui = dispatcher();
        CompletableFuture<DispatcherOperation<String>> handedOver = new CompletableFuture<>();
        browser.execute(() -> {
            try {
                String value = browser.evaluate(script);
                DispatcherOperation<String> delivery = ui.invokeAsync(() -> {
                    completed(script);
                    return value;
                });
                browser.log().add("evaluated " + script + " = " + value + "; delivery queued on '" + ui.thread().getName() + "' as "
                        + delivery.kind() + " with invokeAsync");
                handedOver.complete(delivery);
            } catch (RuntimeException e) {
                handedOver.completeExceptionally(e);
            }
        });
        // The handshake: the browser process does not need this thread to hand the delivery over, so this blocking
        // wait ends. Only once the delivery exists is there a cycle for the library to see.
        DispatcherOperation<String> delivery = handedOver.join();
        browser.log().add("delivery handed over; blocking on its future with join(), dispatching nothing");
        return delivery.toCompletableFuture().join(); // blocks this thread until this thread runs the delivery
    }

    // --- state ----------------------------------------------------------------------------------------------

    /** The completion handlers that have run so far, the creation's first. Owner thread only. */
    public List<Completion> completions() {
        verifyAccess();
        return List.copyOf(completions);
    }

    private void completed(String request) {
        verifyAccess();
        String thread = Thread.currentThread().getName();
        int order = browser.log().add("completion handler of " + request + " ran");
        completions.add(new Completion(request, thread, order));
    }
}
