package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(10)
class DispatcherFrameTest {

    private static final Duration SHUTDOWN = TestDispatchers.SHUTDOWN;

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private Dispatcher start(String name) {
        return dispatchers.start(name);
    }

    /** Signals the first time the owner goes idle while {@code armed} is set. */
    private static final class IdleProbe implements DispatcherHooks {
        final AtomicBoolean armed = new AtomicBoolean();
        final CountDownLatch idle = new CountDownLatch(1);

        @Override
        public void dispatcherInactive(Dispatcher dispatcher) {
            if (armed.get()) {
                idle.countDown();
            }
        }
    }

    /** Waits until {@code t} is really parked, so that a wake-up has something to wake. */
    private static void awaitParked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime() - deadline).as("%s parks", t.getName()).isNegative();
            Thread.onSpinWait();
        }
    }

    @Test
    void pushFrameRunsUntilSetContinueFalseOnTheOwner() {
        Dispatcher d = start("frame-owner-exit");
        List<String> log = new CopyOnWriteArrayList<>();
        DispatcherOperation<Void> op = d.invokeAsync(() -> {
            DispatcherFrame frame = new DispatcherFrame();
            d.post(() -> log.add("a"));
            d.post(() -> {
                log.add("b");
                frame.setContinue(false);
            });
            d.post(() -> log.add("c")); // the frame is asked to stop before this one: it runs after pushFrame
            d.pushFrame(frame);
            log.add("returned, shouldContinue=" + frame.shouldContinue());
        });
        op.toCompletableFuture().join();
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(log).containsExactly("a", "b", "returned, shouldContinue=false", "c");
    }

    @Test
    void setContinueFromAnotherThreadWakesAParkedFrame() throws Exception {
        Dispatcher d = start("frame-foreign-exit");
        IdleProbe probe = new IdleProbe();
        d.addHooks(probe);
        DispatcherFrame frame = new DispatcherFrame();
        AtomicBoolean returned = new AtomicBoolean();
        DispatcherOperation<Void> op = d.invokeAsync(() -> {
            probe.armed.set(true);
            d.pushFrame(frame);
            returned.set(true);
        });
        assertThat(probe.idle.await(5, TimeUnit.SECONDS)).isTrue();
        awaitParked(d.thread());
        assertThat(op.status()).isEqualTo(DispatcherOperationStatus.EXECUTING);
        assertThat(frame.shouldContinue()).isTrue();

        frame.setContinue(false);
        op.toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(returned.get()).isTrue();
        assertThat(frame.shouldContinue()).isFalse();
    }

    @Test
    void aNestedFrameRunsOtherOperationsAndOnlyItsOwnExitEndsIt() {
        Dispatcher d = start("frame-nested");
        List<String> log = new CopyOnWriteArrayList<>();
        DispatcherFrame outer = new DispatcherFrame();
        DispatcherFrame inner = new DispatcherFrame();
        DispatcherOperation<Void> a = d.invokeAsync(() -> {
            log.add("A start");
            d.post(() -> {
                log.add("B start");
                d.post(() -> {
                    outer.setContinue(false); // the outer frame is not on top: the inner one goes on
                    log.add("C");
                });
                d.post(() -> {
                    log.add("D");
                    inner.setContinue(false);
                });
                d.pushFrame(inner);
                log.add("B end");
            });
            d.pushFrame(outer);
            log.add("A end");
        });
        a.toCompletableFuture().join();
        assertThat(log).containsExactly("A start", "B start", "C", "D", "B end", "A end");
    }

    @Test
    void exitAllFramesStopsEveryExitWhenRequestedFrame() throws Exception {
        Dispatcher d = start("frame-exit-all");
        List<String> log = new CopyOnWriteArrayList<>();
        IdleProbe probe = new IdleProbe();
        d.addHooks(probe);
        DispatcherFrame outer = new DispatcherFrame();
        DispatcherFrame inner = new DispatcherFrame(true);
        // Read on the owner thread while the request is in force: once the outermost frame has returned, the request
        // is reset (as in WPF), and until the shutdown that follows has started, shouldContinue() is true again.
        AtomicBoolean innerContinues = new AtomicBoolean(true);
        DispatcherOperation<Void> a = d.invokeAsync(() -> {
            d.post(() -> {
                probe.armed.set(true);
                d.pushFrame(inner);
                innerContinues.set(inner.shouldContinue());
                log.add("inner returned");
            });
            d.pushFrame(outer);
            log.add("outer returned");
        });
        assertThat(probe.idle.await(5, TimeUnit.SECONDS)).isTrue();
        awaitParked(d.thread());

        d.exitAllFrames(); // from a foreign thread, while parked
        a.toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(log).containsExactly("inner returned", "outer returned");
        assertThat(innerContinues.get()).as("an exit request counts for an exit-when-requested frame").isFalse();
        // run() is an exit-when-requested frame too: a start() thread's loop ends, and with it the dispatcher
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
        d.thread().join(5_000);
        assertThat(d.thread().isAlive()).isFalse();
    }

    @Test
    void exitAllFramesDoesNotStopAFrameThatIgnoresExitRequests() throws Exception {
        Dispatcher d = start("frame-exit-all-ignored");
        IdleProbe probe = new IdleProbe();
        d.addHooks(probe);
        DispatcherFrame stubborn = new DispatcherFrame(false);
        AtomicBoolean inFrame = new AtomicBoolean();
        AtomicReference<String> seenInFrame = new AtomicReference<>();
        DispatcherOperation<Void> a = d.invokeAsync(() -> {
            inFrame.set(true);
            probe.armed.set(true);
            d.pushFrame(stubborn);
            inFrame.set(false);
        });
        assertThat(probe.idle.await(5, TimeUnit.SECONDS)).isTrue();
        awaitParked(d.thread());

        d.exitAllFrames();
        assertThat(stubborn.shouldContinue()).isTrue();
        // this post can only run inside the frame: had it exited, run() would have ended and aborted the post
        DispatcherOperation<Void> probePost = d.post(() -> {
            seenInFrame.set(inFrame.get() ? "inside the frame" : "outside");
            stubborn.setContinue(false);
        });
        a.toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(probePost.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertThat(seenInFrame.get()).isEqualTo("inside the frame");
    }

    @Test
    void exitWhenRequestedFramesExitAtShutdown() throws Exception {
        Dispatcher d = start("frame-shutdown");
        IdleProbe probe = new IdleProbe();
        d.addHooks(probe);
        DispatcherFrame frame = new DispatcherFrame();
        AtomicReference<String> afterPush = new AtomicReference<>();
        DispatcherOperation<Void> a = d.invokeAsync(() -> {
            probe.armed.set(true);
            d.pushFrame(frame);
            afterPush.set("started=" + d.hasShutdownStarted() + " finished=" + d.hasShutdownFinished());
        });
        assertThat(probe.idle.await(5, TimeUnit.SECONDS)).isTrue();

        d.invokeShutdown();
        a.toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(afterPush.get()).isEqualTo("started=true finished=false");
        assertThat(frame.shouldContinue()).isFalse();
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
    }

    @Test
    void aFrameThatIgnoresExitRequestsKeepsRunningThroughShutdownUntilItIsEnded() throws Exception {
        Dispatcher d = start("frame-shutdown-ignored");
        IdleProbe probe = new IdleProbe();
        d.addHooks(probe);
        DispatcherFrame stubborn = new DispatcherFrame(false);
        AtomicBoolean inFrame = new AtomicBoolean();
        DispatcherOperation<Void> a = d.invokeAsync(() -> {
            inFrame.set(true);
            probe.armed.set(true);
            d.pushFrame(stubborn);
            inFrame.set(false);
        });
        assertThat(probe.idle.await(5, TimeUnit.SECONDS)).isTrue();

        d.invokeShutdown(); // returns once shutdown has started; the frame still unwinds it
        assertThat(d.hasShutdownStarted()).isTrue();
        assertThat(d.hasShutdownFinished()).isFalse();
        AtomicReference<String> seen = new AtomicReference<>();
        DispatcherOperation<Void> inside = d.post(() -> {
            seen.set("inFrame=" + inFrame.get() + " started=" + d.hasShutdownStarted());
            stubborn.setContinue(false);
        });
        a.toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(inside.status()).isEqualTo(DispatcherOperationStatus.COMPLETED);
        assertThat(seen.get()).isEqualTo("inFrame=true started=true");
        assertThat(d.awaitShutdown(SHUTDOWN)).isTrue();
    }

    @Test
    void pushFrameOffTheOwnerThreadThrows() {
        Dispatcher d = start("frame-wrong-thread");
        DispatcherFrame frame = new DispatcherFrame();
        assertThatThrownBy(() -> d.pushFrame(frame))
                .isInstanceOf(WrongDispatcherException.class)
                .hasMessageContaining("frame-wrong-thread")
                .hasMessageContaining(Thread.currentThread().getName());
        // the refused push left the frame untouched: it still works on the owner
        d.invoke(() -> {
            d.post(() -> frame.setContinue(false));
            d.pushFrame(frame);
        }, DispatcherPriority.NORMAL);
        assertThat(frame.shouldContinue()).isFalse();
    }

    @Test
    void pushFrameRejectsNull() {
        Dispatcher d = start("frame-null");
        assertThatThrownBy(() -> d.pushFrame(null)).isInstanceOf(NullPointerException.class);
        Throwable onOwner = d.invoke(() -> {
            try {
                d.pushFrame(null);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(onOwner).isInstanceOf(NullPointerException.class);
    }
}
