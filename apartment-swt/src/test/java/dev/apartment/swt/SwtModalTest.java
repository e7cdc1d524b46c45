package dev.apartment.swt;

import static dev.apartment.swt.SwtUiThread.await;
import static dev.apartment.swt.SwtUiThread.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherFrame;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;
import dev.apartment.WaitPolicy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.MessageBox;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SWT's own modal loops above the dispatcher's (issue 12): an {@code APPLICATION_MODAL} {@link Shell} with its own
 * {@code readAndDispatch} loop, and a {@link MessageBox}, whose {@code open()} blocks in GTK's native dialog loop,
 * opened from dispatcher operations while other threads post, invoke and a {@link DispatcherTimer} ticks. The
 * dispatcher must keep running inside them, its frames and waits must return only when control comes back to them,
 * and no frame may be ended early. One display for the class ({@link SwtUiThread}); each test closes what it opened
 * and leaves the dispatcher idle, at its outermost level, with nothing on the UI thread's uncaught-exception handler.
 */
@Timeout(60)
class SwtModalTest {
    private static SwtUiThread ui;
    private static Dispatcher d;

    /** The modal Shell a test opened, while its loop runs (UI thread writes; tests read). */
    private volatile Shell modal;
    private final AtomicBoolean modalLoopRunning = new AtomicBoolean();
    private final CountDownLatch modalShown = new CountDownLatch(1);
    private final CountDownLatch modalReturned = new CountDownLatch(1);
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        ui = SwtUiThread.start("swt-ui");
        d = ui.dispatcher;
    }

    @AfterAll
    static void stop() throws Exception {
        if (ui != null) {
            ui.close();
            assertThat(ui.uncaught).isEmpty();
        }
    }

    @AfterEach
    void idle() {
        Shell[] left = d.invoke(() -> ui.display.getShells(), DispatcherPriority.SYSTEM_IDLE);
        assertThat(left).as("shells left open").isEmpty();
        assertThat(ui.uncaught).as("exceptions on the UI thread").isEmpty();
    }

    /**
     * UI thread, in an operation: opens an application-modal Shell and runs its loop until it is disposed, the way an
     * SWT dialog does; logs when the loop has ended.
     */
    private void runModalShell() {
        Shell parent = new Shell(ui.display);
        Shell shell = new Shell(parent, SWT.APPLICATION_MODAL | SWT.DIALOG_TRIM);
        shell.setText("modal");
        shell.setSize(200, 100);
        shell.open();
        modal = shell;
        modalLoopRunning.set(true);
        modalShown.countDown();
        try {
            while (!shell.isDisposed()) {
                if (!ui.display.readAndDispatch()) {
                    ui.display.sleep();
                }
            }
        } finally {
            modalLoopRunning.set(false);
            parent.dispose();
        }
        log.add("modal loop returned");
        modalReturned.countDown();
    }

    /** Closes the modal Shell from a dispatcher operation, as a button's handler would. */
    private void closeModalFromAnOperation() {
        d.invoke(() -> {
            log.add("closing the modal");
            modal.dispose();
        });
    }

    /**
     * While {@code showing} holds on the UI thread: a post from another thread, an {@code invoke} from another
     * thread and a {@link DispatcherTimer}'s ticks all run, and see it hold.
     */
    private void assertDispatcherRunsWhile(BooleanSupplier showing) throws Exception {
        CompletableFuture<Boolean> posted = new CompletableFuture<>();
        Thread poster = new Thread(() -> d.post(() -> posted.complete(showing.getAsBoolean())), "poster");
        poster.start();
        assertThat(get(posted)).as("a post from another thread ran while the dialog showed").isTrue();
        poster.join();

        CompletableFuture<Boolean> invoked = new CompletableFuture<>();
        Thread invoker = new Thread(() -> invoked.complete(d.invoke(showing::getAsBoolean)), "invoker");
        invoker.start();
        assertThat(get(invoked)).as("an invoke from another thread ran while the dialog showed").isTrue();
        invoker.join();

        CountDownLatch ticks = new CountDownLatch(3);
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        DispatcherTimer timer = d.invoke(() -> new DispatcherTimer(Duration.ofMillis(5),
                DispatcherPriority.BACKGROUND, t -> {
                    seen.add(showing.getAsBoolean());
                    ticks.countDown();
                }, d));
        await(ticks);
        d.invoke(timer::stop);
        assertThat(seen).as("timer ticks while the dialog showed").hasSizeGreaterThanOrEqualTo(3).containsOnly(true);
    }

    @Test
    void aModalShellOpenedFromAnOperationKeepsTheDispatcherRunning() throws Exception {
        CountDownLatch opReturned = new CountDownLatch(1);
        d.post(() -> {
            runModalShell();
            opReturned.countDown();
        });
        await(modalShown);
        assertDispatcherRunsWhile(modalLoopRunning::get);
        closeModalFromAnOperation();
        await(opReturned);
        assertThat(log).containsExactly("closing the modal", "modal loop returned");
    }

    @Test
    void aMessageBoxOpenedFromAnOperationKeepsTheDispatcherRunning() throws Exception {
        // MessageBox.open() blocks in gtk_dialog_run, GTK's own loop; SWT runs asyncExec runnables (the pump's
        // signals) from an idle callback meanwhile, and timerExec timers are GLib sources that fire there too.
        AtomicBoolean boxOpen = new AtomicBoolean();
        Shell[] parent = new Shell[1];
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        d.post(() -> {
            parent[0] = new Shell(ui.display);
            MessageBox box = new MessageBox(parent[0], SWT.OK | SWT.APPLICATION_MODAL);
            box.setText("message");
            box.setMessage("the dispatcher keeps running");
            boxOpen.set(true);
            int r = box.open();
            boxOpen.set(false);
            answer.complete(r);
        });
        // the first post of these runs after the operation above has started: inside the box, or it sees false
        assertDispatcherRunsWhile(boxOpen::get);
        // Many round trips while it shows: SWT's idle callback in gtk_dialog_run loses an asyncExec runnable now and
        // then (SwtPump, "native dialogs"), which without the pump's watch froze the dispatcher within a few.
        for (int i = 0; i < 200; i++) {
            assertThat(d.invoke(boxOpen::get, DispatcherPriority.NORMAL, Duration.ofSeconds(5)))
                    .as("round trip %d inside the MessageBox", i).isTrue();
        }
        assertThat(answer).isNotDone();
        // Closes it under Xvfb without input: disposing the parent destroys the GTK dialog (SWT makes it
        // destroy-with-parent), and gtk_dialog_run returns.
        d.invoke(() -> parent[0].dispose());
        assertThat(get(answer)).isNotNull();
        assertThat(boxOpen).isFalse();
    }

    @Test
    void aPostMadeByTheOperationThatOpensTheModalRunsInsideIt() throws Exception {
        // the operation posts (on the UI thread), then enters SWT's modal loop; no other post comes to help
        CompletableFuture<Boolean> posted = new CompletableFuture<>();
        d.post(() -> {
            d.post(() -> posted.complete(modalLoopRunning.get()));
            runModalShell();
        });
        await(modalShown);
        assertThat(get(posted)).as("the post ran inside the modal's loop").isTrue();
        closeModalFromAnOperation();
        await(modalReturned); // the modal's loop ends at its next check, after the turn that closed it
        assertThat(log).containsExactly("closing the modal", "modal loop returned");
    }

    @Test
    void workQueuedBehindAnOperationThatOpensAModalRunsInsideIt() throws Exception {
        // issue 12 (4): two operations under one signal; the first opens the modal; no later post comes to help
        CountDownLatch release = ui.block();
        CompletableFuture<Boolean> second = new CompletableFuture<>();
        d.post(this::runModalShell);
        d.post(() -> second.complete(modalLoopRunning.get()));
        release.countDown();
        assertThat(get(second)).as("the second operation ran inside the modal's loop").isTrue();
        closeModalFromAnOperation();
        await(modalReturned); // the modal's loop ends at its next check, after the turn that closed it
        assertThat(log).containsExactly("closing the modal", "modal loop returned");
    }

    @Test
    void aWaitWhoseFutureCompletesUnderAModalReturnsAfterItClosesAndNothingFreezes() throws Exception {
        // issue 12 (1): the freeze. A waits (CALLS_AND_MESSAGES); B, run inside that wait, opens the modal; the future
        // completes while it shows.
        CompletableFuture<String> f = new CompletableFuture<>();
        CompletableFuture<String> waited = new CompletableFuture<>();
        d.post(() -> {
            d.post(this::runModalShell);
            String v = d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES);
            log.add("wait returned, modal loop running: " + modalLoopRunning.get());
            waited.complete(v);
        });
        await(modalShown);
        f.complete("done");
        assertDispatcherRunsWhile(modalLoopRunning::get);
        assertThat(waited).as("the wait cannot return while the modal's loop runs above it").isNotDone();
        closeModalFromAnOperation();
        assertThat(get(waited)).isEqualTo("done");
        assertThat(log).containsExactly("closing the modal", "modal loop returned",
                "wait returned, modal loop running: false");
    }

    @Test
    void theSameWithAnOuterFrameBelowLeavesThatFrameRunning() throws Exception {
        DispatcherFrame outer = new DispatcherFrame();
        AtomicBoolean inOuter = new AtomicBoolean();
        CountDownLatch outerReturned = new CountDownLatch(1);
        CompletableFuture<String> f = new CompletableFuture<>();
        CompletableFuture<String> waited = new CompletableFuture<>();
        d.post(() -> {
            d.post(() -> {
                d.post(this::runModalShell);
                String v = d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES);
                log.add("wait returned");
                waited.complete(v);
            });
            inOuter.set(true);
            d.pushFrame(outer);
            inOuter.set(false);
            log.add("outer frame returned, continue=" + outer.shouldContinue());
            outerReturned.countDown();
        });
        await(modalShown);
        f.complete("done");
        assertDispatcherRunsWhile(modalLoopRunning::get);
        closeModalFromAnOperation();
        assertThat(get(waited)).isEqualTo("done");
        // the outer frame was not ended with the wait: posts still run inside it
        assertThat(d.invoke(inOuter::get)).as("still inside the outer frame").isTrue();
        assertThat(outerReturned.getCount()).isEqualTo(1);
        outer.setContinue(false);
        await(outerReturned);
        assertThat(log).containsExactly("closing the modal", "modal loop returned", "wait returned",
                "outer frame returned, continue=false");
    }

    @Test
    void aModalClosedFromInsideAWaitNestedInItsLoop() throws Exception {
        // the reverse nesting: the modal's loop below, a wait of the dispatcher's above it, the modal disposed from
        // inside the wait; the modal's loop ends when the wait has returned
        CompletableFuture<String> f = new CompletableFuture<>();
        CompletableFuture<String> waited = new CompletableFuture<>();
        CountDownLatch opReturned = new CountDownLatch(1);
        d.post(() -> {
            runModalShell();
            opReturned.countDown();
        });
        await(modalShown);
        CountDownLatch closedInsideWait = new CountDownLatch(1);
        d.post(() -> {
            d.post(() -> {
                log.add("closing the modal inside the wait");
                modal.dispose();
                closedInsideWait.countDown();
            });
            String v = d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES);
            log.add("wait returned, modal loop running: " + modalLoopRunning.get());
            waited.complete(v);
        });
        await(closedInsideWait);
        assertDispatcherRunsWhile(() -> !waited.isDone()); // inside the wait, the modal's loop below it
        assertThat(opReturned.getCount()).as("the modal's loop cannot return below the wait").isEqualTo(1);
        f.complete("done");
        assertThat(get(waited)).isEqualTo("done");
        await(opReturned);
        assertThat(log).containsExactly("closing the modal inside the wait", "wait returned, modal loop running: true",
                "modal loop returned");
    }

    @Test
    void aModalOpenedByAPlainSwtRunnableKeepsTheDispatcherRunning() throws Exception {
        // the modal's loop below no dispatch turn at all: the application's own code opened it
        CompletableFuture<Void> closed = ui.asyncExec(() -> {
            runModalShell();
            return null;
        });
        await(modalShown);
        assertDispatcherRunsWhile(() -> Display.getCurrent() != null && modalLoopRunning.get());
        closeModalFromAnOperation();
        get(closed);
    }
}
