package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Posts bound to a frame ({@link FrameScope}): never inside a deeper frame, in posting order once it exits. */
@Timeout(10)
class FrameScopeTest {

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    /** Pushes a nested frame that exits from a SYSTEM_IDLE post: everything queued before it runs inside. */
    private static void modal(Dispatcher d, List<String> log) {
        DispatcherFrame frame = new DispatcherFrame();
        d.post(() -> {
            log.add("modal closes");
            frame.setContinue(false);
        }, DispatcherPriority.SYSTEM_IDLE);
        log.add("modal opens");
        d.pushFrame(frame);
        log.add("modal closed");
    }

    @Test
    void aScopedPostDoesNotRunInsideADeeperFrameAndRunsAfterItInPostingOrder() {
        Dispatcher d = dispatchers.start("scope-modal");
        List<String> log = new CopyOnWriteArrayList<>();
        d.invoke(() -> {
            FrameScope here = d.currentFrameScope();
            assertThat(here.depth()).isEqualTo(1);
            d.post(() -> log.add("scoped 1"), DispatcherPriority.NORMAL, here);
            d.post(() -> log.add("plain"), DispatcherPriority.NORMAL);
            d.post(() -> log.add("scoped 2"), DispatcherPriority.NORMAL, here);
            modal(d, log);
        }, DispatcherPriority.NORMAL);
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(log).containsExactly("modal opens", "plain", "modal closes", "modal closed", "scoped 1",
                "scoped 2");
    }

    @Test
    void aScopeCapturedInsideANestedFrameRunsThereButNotDeeper() {
        Dispatcher d = dispatchers.start("scope-nested");
        List<String> log = new CopyOnWriteArrayList<>();
        d.invoke(() -> {
            DispatcherFrame outerModal = new DispatcherFrame();
            d.post(() -> {
                FrameScope inModal = d.currentFrameScope();
                assertThat(inModal.depth()).isEqualTo(2);
                d.post(() -> log.add("bound to the modal"), DispatcherPriority.NORMAL, inModal);
                modal(d, log); // depth 3: the bound post waits
                d.post(() -> outerModal.setContinue(false), DispatcherPriority.SYSTEM_IDLE);
            });
            d.pushFrame(outerModal);
            log.add("outer modal closed");
        }, DispatcherPriority.NORMAL);
        assertThat(log).containsExactly("modal opens", "modal closes", "modal closed", "bound to the modal",
                "outer modal closed");
    }

    @Test
    void aForeignThreadPostsWithACapturedScope() throws Exception {
        Dispatcher d = dispatchers.start("scope-foreign");
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<DispatcherOperation<Void>> posted = new CompletableFuture<>();
        d.invoke(() -> {
            FrameScope here = d.currentFrameScope();
            DispatcherFrame frame = new DispatcherFrame();
            Thread worker = new Thread(() -> {
                posted.complete(d.post(() -> log.add("worker result"), DispatcherPriority.SEND, here));
                d.post(() -> {
                    log.add("modal closes");
                    frame.setContinue(false);
                }, DispatcherPriority.SYSTEM_IDLE);
            }, "worker");
            worker.start();
            log.add("modal opens");
            d.pushFrame(frame); // the SEND-priority result arrives inside, and waits
            log.add("modal closed");
        }, DispatcherPriority.NORMAL);
        assertThat(posted.get(5, TimeUnit.SECONDS).await(Duration.ofSeconds(5)))
                .isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertThat(log).containsExactly("modal opens", "modal closes", "modal closed", "worker result");
    }

    @Test
    void aDispatchingWaitIsADeeperFrameToo() {
        Dispatcher d = dispatchers.start("scope-wait");
        List<String> log = new CopyOnWriteArrayList<>();
        d.invoke(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            d.post(() -> log.add("scoped"), DispatcherPriority.SEND, d.currentFrameScope());
            d.post(() -> f.complete("done"), DispatcherPriority.BACKGROUND);
            log.add(d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES));
        });
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(log).containsExactly("done", "scoped");
    }

    @Test
    void aHeldOperationCanBeAbortedOrRaisedAndIsAbortedAtShutdown() throws Exception {
        Dispatcher d = dispatchers.start("scope-held");
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch inModal = new CountDownLatch(1);
        CountDownLatch changed = new CountDownLatch(1);
        DispatcherOperation<?>[] ops = new DispatcherOperation<?>[3];
        DispatcherOperation<Void> handler = d.invokeAsync(() -> {
            FrameScope here = d.currentFrameScope();
            ops[0] = d.post(() -> log.add("aborted one"), DispatcherPriority.NORMAL, here);
            ops[1] = d.post(() -> log.add("background, raised"), DispatcherPriority.BACKGROUND, here);
            ops[2] = d.post(() -> log.add("normal"), DispatcherPriority.NORMAL, here);
            DispatcherFrame frame = new DispatcherFrame();
            d.post(() -> {
                inModal.countDown(); // the scoped posts have been met and held by now: they were ahead
                try {
                    changed.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                frame.setContinue(false);
            }, DispatcherPriority.SYSTEM_IDLE);
            d.pushFrame(frame);
            return null;
        });
        assertThat(inModal.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ops[0].abort()).isTrue();
        assertThat(ops[1].setPriority(DispatcherPriority.SEND)).isTrue();
        changed.countDown();
        handler.await(Duration.ofSeconds(5));
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(log).containsExactly("background, raised", "normal");
        assertThat(ops[0].status()).isEqualTo(DispatcherOperationStatus.ABORTED);

        // held when the dispatcher shuts down: aborted, its future completes
        CompletableFuture<DispatcherOperation<Void>> held = new CompletableFuture<>();
        d.post(() -> {
            held.complete(d.post(() -> log.add("never"), DispatcherPriority.NORMAL, d.currentFrameScope()));
            d.beginInvokeShutdown(DispatcherPriority.SEND);
            d.pushFrame(new DispatcherFrame()); // exits at shutdown, before the held post can run
        });
        assertThat(d.awaitShutdown(TestDispatchers.SHUTDOWN)).isTrue();
        DispatcherOperation<Void> never = held.get(5, TimeUnit.SECONDS);
        assertThat(never.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
        assertThat(never.toCompletableFuture().handle((v, e) -> e)).isCompletedWithValueMatching(
                e -> e instanceof OperationAbortedException);
        assertThat(log).doesNotContain("never");
    }

    @Test
    void badScopesAreRejected() throws Exception {
        Dispatcher a = dispatchers.start("scope-a");
        Dispatcher b = dispatchers.start("scope-b");
        FrameScope scopeOfA = a.invoke(a::currentFrameScope);
        assertThatThrownBy(() -> b.post(() -> { }, DispatcherPriority.NORMAL, scopeOfA))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another dispatcher");
        assertThatThrownBy(() -> a.post(() -> { }, DispatcherPriority.NORMAL, (FrameScope) null))
                .hasMessageContaining("scope");
        assertThatThrownBy(() -> a.post(() -> { }, DispatcherPriority.INVALID, scopeOfA))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(a::currentFrameScope).isInstanceOf(WrongDispatcherException.class);
    }
}
