package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class ProcessingDisabledTest {

    private static final Duration SHUTDOWN = TestDispatchers.SHUTDOWN;

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private Dispatcher start(String name) {
        return dispatchers.start(name);
    }

    /** Pushes a frame that a queued post ends: proves a nested loop can run again. Owner thread. */
    private static Throwable tryNestedLoop(Dispatcher d) {
        DispatcherFrame frame = new DispatcherFrame();
        DispatcherOperation<Void> ender = d.post(() -> frame.setContinue(false), DispatcherPriority.SEND);
        try {
            d.pushFrame(frame);
            return null;
        } catch (Throwable t) {
            ender.abort();
            return t;
        }
    }

    @Test
    @SuppressWarnings("try") // the holder is only closed: that is the point of the block
    void whileHeldNestedLoopsAndOwnerWaitsThrow() {
        Dispatcher d = start("disabled-throws");
        AtomicBoolean invokedRan = new AtomicBoolean();
        List<Throwable> thrown = d.invoke(() -> {
            List<Throwable> t = new ArrayList<>();
            DispatcherOperation<Void> pending = d.post(() -> { }, DispatcherPriority.BACKGROUND);
            try (DispatcherProcessingDisabled off = d.disableProcessing()) {
                t.add(catchThrowable(() -> d.pushFrame(new DispatcherFrame())));
                t.add(catchThrowable(() -> d.invoke(() -> invokedRan.set(true), DispatcherPriority.NORMAL)));
                t.add(catchThrowable(() -> d.invoke(() -> invokedRan.getAndSet(true), DispatcherPriority.BACKGROUND,
                        Duration.ofSeconds(1))));
                t.add(catchThrowable(pending::await));
                t.add(catchThrowable(() -> pending.await(Duration.ofSeconds(1))));
                t.add(catchThrowable(pending::get));
                t.add(catchThrowable(() -> pending.get(1, TimeUnit.SECONDS)));
            }
            return t;
        });
        assertThat(thrown).hasSize(7).allSatisfy(e -> assertThat(e).isInstanceOf(IllegalStateException.class));
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(invokedRan.get()).as("a refused owner-thread invoke never runs later").isFalse();
    }

    @Test
    @SuppressWarnings("try") // the holder is only closed: that is the point of the block
    void postingStillWorksAndThePostsRunAfterwards() {
        Dispatcher d = start("disabled-post");
        List<String> log = new CopyOnWriteArrayList<>();
        List<DispatcherOperation<?>> posted = d.invoke(() -> {
            List<DispatcherOperation<?>> ops = new ArrayList<>();
            try (DispatcherProcessingDisabled off = d.disableProcessing()) {
                ops.add(d.post(() -> log.add("post")));
                ops.add(d.invokeAsync(() -> log.add("invokeAsync"), DispatcherPriority.BACKGROUND));
                ops.add(d.post(() -> log.add("send post"), DispatcherPriority.SEND));
                log.add("closing");
            }
            log.add("closed");
            for (DispatcherOperation<?> op : ops) {
                assertThat(op.status()).as("queued, not run, while the operation is on the stack")
                        .isEqualTo(DispatcherOperationStatus.PENDING);
            }
            return ops;
        });
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(log).containsExactly("closing", "closed", "send post", "post", "invokeAsync");
        assertThat(posted).allSatisfy(op -> assertThat(op.status()).isEqualTo(DispatcherOperationStatus.COMPLETED));
    }

    @Test
    @SuppressWarnings("try") // the holder is only closed: that is the point of the block
    void sendInvokeOnTheOwnerStillRunsInline() {
        Dispatcher d = start("disabled-send");
        String r = d.invoke(() -> {
            try (DispatcherProcessingDisabled off = d.disableProcessing()) {
                return d.invoke(() -> "inline " + Thread.currentThread().getName());
            }
        });
        assertThat(r).isEqualTo("inline disabled-send");
    }

    @Test
    void foreignThreadsCanStillInvokeWhileAnotherOperationLeftProcessingDisabled() {
        Dispatcher d = start("disabled-foreign");
        DispatcherProcessingDisabled holder = d.invoke(d::disableProcessing);
        // the top-level loop keeps running operations; only nested loops are refused
        assertThat(d.invoke(() -> "ran", DispatcherPriority.BACKGROUND)).isEqualTo("ran");
        assertThat(d.invoke(() -> tryNestedLoop(d))).isInstanceOf(IllegalStateException.class);
        d.invoke(holder::close);
        assertThat(d.invoke(() -> tryNestedLoop(d))).isNull();
    }

    @Test
    void nestedHoldersKeepProcessingDisabledUntilTheLastOneCloses() {
        Dispatcher d = start("disabled-nested");
        List<Object> results = d.invoke(() -> {
            List<Object> r = new ArrayList<>();
            DispatcherProcessingDisabled outer = d.disableProcessing();
            DispatcherProcessingDisabled inner = d.disableProcessing();
            inner.close();
            r.add(tryNestedLoop(d)); // outer still held
            inner.close(); // a second close of the same holder must not release the outer one
            r.add(tryNestedLoop(d));
            outer.close();
            r.add(tryNestedLoop(d));
            outer.close();
            r.add(tryNestedLoop(d));
            return r;
        });
        assertThat(results.get(0)).isInstanceOf(IllegalStateException.class);
        assertThat(results.get(1)).isInstanceOf(IllegalStateException.class);
        assertThat(results.get(2)).as("nested loops work again once every holder is closed").isNull();
        assertThat(results.get(3)).as("closing twice is harmless").isNull();
    }

    @Test
    @SuppressWarnings("try") // the holder is only closed: that is the point of the block
    void closingTwiceIsHarmless() {
        Dispatcher d = start("disabled-twice");
        Throwable[] r = d.invoke(() -> {
            DispatcherProcessingDisabled off = d.disableProcessing();
            off.close();
            Throwable second = catchThrowable(off::close);
            return new Throwable[] {second, tryNestedLoop(d)};
        });
        assertThat(r[0]).isNull();
        assertThat(r[1]).isNull();
        // and a later holder still disables processing: the counter did not go below zero
        Throwable later = d.invoke(() -> {
            try (DispatcherProcessingDisabled off = d.disableProcessing()) {
                return tryNestedLoop(d);
            }
        });
        assertThat(later).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeOffTheOwnerThreadThrowsAndKeepsProcessingDisabled() {
        Dispatcher d = start("disabled-close-foreign");
        DispatcherProcessingDisabled holder = d.invoke(d::disableProcessing);
        assertThatThrownBy(holder::close).isInstanceOf(WrongDispatcherException.class);
        assertThat(d.invoke(() -> tryNestedLoop(d))).as("still disabled").isInstanceOf(IllegalStateException.class);
        d.invoke(holder::close);
        assertThat(d.invoke(() -> tryNestedLoop(d))).isNull();
    }

    @Test
    void disableProcessingOffTheOwnerThreadThrowsAndDisablesNothing() {
        Dispatcher d = start("disabled-foreign-call");
        assertThatThrownBy(d::disableProcessing)
                .isInstanceOf(WrongDispatcherException.class)
                .hasMessageContaining("disabled-foreign-call");
        assertThat(d.invoke(() -> tryNestedLoop(d))).isNull();
    }
}
