package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A dispatcher hosted on someone else's loop through {@link DispatcherPump} (here {@link ToyToolkit}): the same
 * semantics as on its own thread, plus the background gate for toolkit input.
 */
@Timeout(10)
class DispatcherPumpTest {
    private ToyToolkit toolkit;
    private Dispatcher d;

    @BeforeEach
    void start() throws InterruptedException {
        toolkit = new ToyToolkit("toy-ui");
        d = toolkit.dispatcher();
    }

    @AfterEach
    void stop() throws InterruptedException {
        toolkit.close();
        assertThat(d.hasShutdownFinished()).isTrue();
    }

    @Test
    void postsRunOnTheToolkitThreadInPriorityOrderAndSignalsCoalesce() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        toolkit.postEvent(() -> await(release)); // the toolkit is busy: everything below queues up
        for (int i = 0; i < 100; i++) {
            d.post(() -> { }, DispatcherPriority.BACKGROUND);
        }
        d.post(() -> log.add("background on " + Thread.currentThread().getName()), DispatcherPriority.BACKGROUND);
        d.post(() -> log.add("normal"), DispatcherPriority.NORMAL);
        d.post(() -> log.add("send"), DispatcherPriority.SEND);
        assertThat(toolkit.signals.get()).as("102 posts, one signal").isEqualTo(1);
        release.countDown();
        assertThat(d.invoke(() -> "done", DispatcherPriority.SYSTEM_IDLE)).isEqualTo("done");
        assertThat(log).containsExactly("send", "normal", "background on toy-ui");
        assertThat(Dispatcher.fromThread(toolkit.thread())).isSameAs(d);
    }

    @Test
    void attachRequiresTheToolkitThreadAndOnlyOnce() throws Exception {
        assertThatThrownBy(() -> Dispatcher.attach(toolkit)).isInstanceOf(WrongDispatcherException.class);
        Throwable again = d.invoke(() -> {
            try {
                Dispatcher.attach(toolkit);
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertThat(again).isInstanceOf(IllegalStateException.class).hasMessageContaining("already has");
    }

    @Test
    void aFrameIsANestedToolkitLoopAndExitsFromAnyThread() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        DispatcherFrame frame = new DispatcherFrame();
        CountDownLatch inside = new CountDownLatch(1);
        d.post(() -> {
            d.post(() -> {
                log.add("post in frame at depth " + toolkit.nestingDepth());
                inside.countDown();
            });
            d.pushFrame(frame);
            log.add("frame returned");
        });
        await(inside);
        CountDownLatch inputRan = new CountDownLatch(1);
        toolkit.postInput(() -> {
            log.add("toolkit input at depth " + toolkit.nestingDepth());
            inputRan.countDown();
        });
        await(inputRan);
        frame.setContinue(false);
        assertThat(d.invoke(() -> "after", DispatcherPriority.SYSTEM_IDLE)).isEqualTo("after");
        assertThat(log).containsExactly("post in frame at depth 1", "toolkit input at depth 1", "frame returned");
    }

    @Test
    void workQueuedWhenANestedLoopExitsStillRunsWhenNoDispatchTurnIsAroundIt() throws Exception {
        // A toolkit event handler (not a dispatch turn) pushes a frame; the turn that ends it returns before running
        // what was queued meanwhile, so leaving the nested loop must signal again, or that work waits for the next post.
        // Here the frame is an invoke's wait on the toolkit thread, ended by its own operation: nothing wakes it.
        CountDownLatch after = new CountDownLatch(1);
        toolkit.postEvent(() -> d.invoke(() -> {
            d.post(after::countDown, DispatcherPriority.BACKGROUND); // behind the invoked operation, same level
        }, DispatcherPriority.BACKGROUND));
        await(after);
    }

    @Test
    void aWaitUnderCallsLetsNoToolkitEventInButCallsRun() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        String r = d.invoke(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            toolkit.postInput(() -> log.add("toolkit input"));
            d.post(() -> log.add("post"));
            new Thread(() -> d.callbacks().execute(() -> {
                log.add("completion at depth " + toolkit.nestingDepth());
                f.complete("done");
            }), "completer").start();
            return d.waitFor(f, WaitPolicy.CALLS);
        }, DispatcherPriority.NORMAL);
        assertThat(r).isEqualTo("done");
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        assertThat(log).startsWith("completion at depth 0").contains("toolkit input", "post");
    }

    @Test
    void aWaitUnderCallsAndMessagesRunsToolkitEventsInANestedLoop() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        String r = d.invoke(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            toolkit.postInput(() -> {
                log.add("toolkit input at depth " + toolkit.nestingDepth());
                f.complete("completed by input");
            });
            return d.waitFor(f, WaitPolicy.CALLS_AND_MESSAGES);
        }, DispatcherPriority.NORMAL);
        assertThat(r).isEqualTo("completed by input");
        assertThat(log).containsExactly("toolkit input at depth 1");
        // and an invoke on the owner below SEND is such a wait too
        assertThat(d.invoke(() -> d.invoke(() -> "nested", DispatcherPriority.BACKGROUND), DispatcherPriority.NORMAL))
                .isEqualTo("nested");
    }

    @Test
    void toolkitInputRunsBeforeLowPriorityWork() throws Exception {
        // A self-reposting SYSTEM_IDLE job (the prime search): each input event posted meanwhile is handled before
        // the job gets more than one more chunk.
        IdleJob job = new IdleJob(d);
        AtomicInteger chunks = job.chunks;
        List<Integer> chunksBetween = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            CountDownLatch handled = new CountDownLatch(1);
            int[] atPost = new int[1];
            d.invoke(() -> { // between two chunks: the input arrives while the job is running
                atPost[0] = chunks.get();
                toolkit.postInput(() -> {
                    chunksBetween.add(chunks.get() - atPost[0]);
                    handled.countDown();
                });
            }, DispatcherPriority.SEND);
            await(handled);
        }
        job.stop();
        assertThat(chunksBetween).hasSize(20).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
    }

    @Test
    void lowPriorityWorkGoesBackToTheToolkitAfterASliceEvenWithoutInput() throws Exception {
        // The toy toolkit reports only input events; a plain toolkit event (a repaint, a toolkit timer) still gets
        // its turn while a self-reposting idle job runs: the slice bounds every stretch of low-priority work.
        IdleJob job = new IdleJob(d);
        AtomicInteger chunks = job.chunks;
        for (int i = 0; i < 3; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            int[] seen = new int[1];
            toolkit.postEvent(() -> {
                seen[0] = chunks.get();
                ran.countDown();
            });
            await(ran);
            assertThat(d.invoke(chunks::get, DispatcherPriority.SEND)).as("the job goes on after the event")
                    .isGreaterThanOrEqualTo(seen[0]);
        }
        job.stop();
    }

    @Test
    void timersTickThroughThePumpsTimer() throws Exception {
        CountDownLatch ticks = new CountDownLatch(3);
        List<Thread> on = new CopyOnWriteArrayList<>();
        DispatcherTimer timer = d.invoke(() -> new DispatcherTimer(Duration.ofMillis(5),
                DispatcherPriority.BACKGROUND, t -> {
                    on.add(Thread.currentThread());
                    ticks.countDown();
                }, d));
        await(ticks);
        d.invoke(timer::stop);
        assertThat(on).allMatch(t -> t == toolkit.thread());
    }

    @Test
    void anUnhandledExceptionShutsTheDispatcherDownButNotTheToolkit() throws Exception {
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        d.invoke(() -> toolkit.thread().setUncaughtExceptionHandler((t, e) -> reported.complete(e)));
        RuntimeException boom = new RuntimeException("boom");
        d.post(() -> {
            throw boom;
        });
        assertThat(reported.get(5, TimeUnit.SECONDS)).isSameAs(boom);
        assertThat(d.awaitShutdown(TestDispatchers.SHUTDOWN)).isTrue();
        CountDownLatch toolkitAlive = new CountDownLatch(1);
        toolkit.postEvent(toolkitAlive::countDown);
        await(toolkitAlive);
        assertThat(d.post(() -> { }).status()).isEqualTo(DispatcherOperationStatus.ABORTED);
    }

    @Test
    void shutdownFromAnotherThreadAbortsWhatIsQueued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        toolkit.postEvent(() -> await(release));
        DispatcherOperation<Void> queued = d.post(() -> { }, DispatcherPriority.BACKGROUND);
        d.beginInvokeShutdown(DispatcherPriority.SEND);
        release.countDown();
        assertThat(d.awaitShutdown(TestDispatchers.SHUTDOWN)).isTrue();
        assertThat(queued.status()).isEqualTo(DispatcherOperationStatus.ABORTED);
    }

    @Test
    void aToolkitThatRefusesANestedLoopFailsTheCallerNotTheDispatcher() throws Exception {
        DispatcherOperation<?>[] queued = new DispatcherOperation<?>[1];
        d.addHooks(new DispatcherHooks() {
            @Override
            public void operationPosted(DispatcherOperation<?> operation) {
                if (operation.priority() == DispatcherPriority.BACKGROUND) {
                    queued[0] = operation;
                }
            }
        });
        Throwable thrown = d.invoke(() -> {
            toolkit.refuseNestedLoops = true;
            try {
                d.invoke(() -> "never", DispatcherPriority.BACKGROUND); // needs a nested loop
                return null;
            } catch (IllegalStateException e) {
                return e;
            } finally {
                toolkit.refuseNestedLoops = false;
            }
        });
        assertThat(thrown).hasMessageContaining("cannot enter a nested loop");
        assertThat(queued[0].status()).as("the invoke's operation does not run behind the caller's back")
                .isEqualTo(DispatcherOperationStatus.ABORTED);
        assertThat(d.hasShutdownStarted()).isFalse();
        assertThat(d.invoke(() -> "still alive", DispatcherPriority.NORMAL)).isEqualTo("still alive");
    }

    /** A self-reposting SYSTEM_IDLE job, like a prime search: counts its chunks until stopped. */
    private static final class IdleJob {
        final AtomicInteger chunks = new AtomicInteger();
        private final Dispatcher d;
        private boolean stop; // owner thread

        /** Starts the job and returns once its first chunk ran. */
        IdleJob(Dispatcher d) {
            this.d = d;
            CountDownLatch started = new CountDownLatch(1);
            d.post(() -> {
                started.countDown();
                chunk();
            }, DispatcherPriority.SYSTEM_IDLE);
            await(started);
        }

        private void chunk() {
            chunks.incrementAndGet();
            if (!stop) {
                d.post(this::chunk, DispatcherPriority.SYSTEM_IDLE);
            }
        }

        void stop() {
            d.invoke(() -> stop = true, DispatcherPriority.SEND);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
