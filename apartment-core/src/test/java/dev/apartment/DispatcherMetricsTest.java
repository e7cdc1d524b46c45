package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Dispatcher#metrics()}: counters and per-priority queue depth, read from other threads. */
@Timeout(20)
class DispatcherMetricsTest {
    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    @Test
    void aNewDispatcherHasCountedOnlyItsOuterFrame() throws Exception {
        Dispatcher d = dispatchers.start("metrics-new");
        d.invoke(() -> null); // the loop is running
        DispatcherMetrics m = d.metrics();
        assertThat(m.posted()).isEqualTo(1);
        assertThat(m.completed()).isEqualTo(1);
        assertThat(m.queueDepth()).isZero();
        assertThat(m.framesPushed()).isEqualTo(1);
        assertThat(m.failed()).isZero();
        assertThat(m.aborted()).isZero();
        assertThat(m.deadlocksDiagnosed()).isZero();
        assertThat(m.stallsReported()).isZero();
    }

    @Test
    void queueDepthPerPriorityIsReadFromAnotherThreadWhileTheOwnerIsBusy() throws Exception {
        Dispatcher d = dispatchers.start("metrics-depth");
        CountDownLatch release = TestDispatchers.block(d); // one SEND operation, running
        for (int i = 0; i < 3; i++) {
            d.post(() -> { }, DispatcherPriority.INPUT);
        }
        DispatcherOperation<Void> background = d.post(() -> { }, DispatcherPriority.BACKGROUND);
        DispatcherOperation<Void> inactive = d.post(() -> { }, DispatcherPriority.INACTIVE);
        DispatcherOperation<Void> doomed = d.post(() -> { }, DispatcherPriority.NORMAL);

        DispatcherMetrics m = d.metrics();
        assertThat(m.queueDepth(DispatcherPriority.INPUT)).isEqualTo(3);
        assertThat(m.queueDepth(DispatcherPriority.BACKGROUND)).isEqualTo(1);
        assertThat(m.queueDepth(DispatcherPriority.INACTIVE)).isEqualTo(1);
        assertThat(m.queueDepth(DispatcherPriority.NORMAL)).isEqualTo(1);
        assertThat(m.queueDepth(DispatcherPriority.SEND)).as("the running one is not queued").isZero();
        assertThat(m.queueDepth()).isEqualTo(6);
        assertThat(m.posted()).isEqualTo(7);
        assertThat(m.started()).isEqualTo(1);
        assertThat(m.completed()).isZero();
        assertThat(m.toString()).contains("INPUT=3").contains("BACKGROUND=1").contains("posted=7");

        assertThat(background.setPriority(DispatcherPriority.INPUT)).isTrue();
        assertThat(doomed.abort()).isTrue();
        m = d.metrics();
        assertThat(m.queueDepth(DispatcherPriority.INPUT)).isEqualTo(4);
        assertThat(m.queueDepth(DispatcherPriority.BACKGROUND)).isZero();
        assertThat(m.queueDepth(DispatcherPriority.NORMAL)).isZero();
        assertThat(m.aborted()).isEqualTo(1);
        assertThat(m.posted()).as("a priority change is not a post").isEqualTo(7);

        release.countDown();
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE); // after everything runnable
        m = d.metrics();
        assertThat(m.queueDepth()).as("only the INACTIVE one is left").isEqualTo(1);
        assertThat(m.queueDepth(DispatcherPriority.INACTIVE)).isEqualTo(1);
        assertThat(m.started()).isEqualTo(1 + 4 + 1);
        assertThat(m.completed()).isEqualTo(m.started());
        assertThat(m.posted()).isEqualTo(8);

        inactive.setPriority(DispatcherPriority.NORMAL);
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        m = d.metrics();
        assertThat(m.queueDepth()).isZero();
        assertThat(m.posted()).isEqualTo(m.started() + m.aborted());
    }

    @Test
    void postsOfTheFirstForeignThreadAndOfEveryOtherThreadAreCountedAlike() throws Exception {
        // The first foreign thread to post counts in an array of its own, the others in adders: both must add up,
        // also after the first one has ended.
        Dispatcher d = dispatchers.start("metrics-posters");
        // the first foreign poster: claims, then ends
        CountDownLatch release = TestDispatchers.onNewThread("first poster", () -> TestDispatchers.block(d));
        DispatcherPriority[] levels = {DispatcherPriority.SYSTEM_IDLE, DispatcherPriority.BACKGROUND,
            DispatcherPriority.INPUT, DispatcherPriority.NORMAL, DispatcherPriority.SEND};
        for (int t = 0; t < 3; t++) {
            TestDispatchers.onNewThread("poster " + t, () -> {
                for (int i = 0; i < 1_000; i++) {
                    d.post(() -> { }, levels[i % levels.length]);
                }
                return null;
            });
        }
        d.post(() -> { }, DispatcherPriority.SEND); // and the test thread itself

        DispatcherMetrics m = d.metrics();
        assertThat(m.posted()).isEqualTo(1 + 3_000 + 1);
        for (DispatcherPriority level : levels) {
            assertThat(m.queueDepth(level)).as("%s", level).isEqualTo(level == DispatcherPriority.SEND ? 601 : 600);
        }
        release.countDown();
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        m = d.metrics();
        assertThat(m.queueDepth()).isZero();
        assertThat(m.posted()).isEqualTo(m.started()).isEqualTo(1 + 3_000 + 1 + 1);
    }

    @Test
    void failuresSelfPostsTimerTicksAndFramesAreCounted() throws Exception {
        Dispatcher d = dispatchers.start("metrics-kinds");
        d.addUnhandledExceptionHandler(args -> args.setHandled(true));
        CountDownLatch ticked = new CountDownLatch(3);
        d.invoke(() -> {
            for (int i = 0; i < 10; i++) {
                d.post(() -> { }); // owner self-posts: counted on the owner's side
            }
            d.post(() -> {
                throw new IllegalStateException("planned");
            });
            DispatcherTimer timer = new DispatcherTimer(DispatcherPriority.NORMAL, d);
            timer.setInterval(Duration.ZERO);
            timer.addTickHandler(t -> {
                ticked.countDown();
                if (ticked.getCount() == 0) {
                    t.stop();
                }
            });
            timer.start();
            DispatcherFrame frame = new DispatcherFrame();
            d.post(() -> frame.setContinue(false), DispatcherPriority.SYSTEM_IDLE);
            d.pushFrame(frame);
        });
        assertThat(ticked.await(5, TimeUnit.SECONDS)).isTrue();
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        d.invoke(() -> null, DispatcherPriority.SEND); // from a foreign thread a SEND invoke is queued too
        DispatcherMetrics m = d.metrics();
        assertThat(m.failed()).isEqualTo(1);
        assertThat(m.framesPushed()).isEqualTo(2);
        // 1 invoke + 10 self-posts + 1 thrower + 3 ticks + 1 frame exit + 2 invokes
        assertThat(m.posted()).isEqualTo(18);
        assertThat(m.completed()).isEqualTo(18);
        assertThat(m.queueDepth()).isZero();
    }

    @Test
    void anInlineSendInvokeOnTheOwnerIsNotAnOperation() throws Exception {
        Dispatcher d = dispatchers.start("metrics-inline");
        long[] before = new long[1];
        d.invoke(() -> {
            before[0] = d.metrics().posted();
            d.invoke(() -> null, DispatcherPriority.SEND);
        });
        assertThat(d.metrics().posted()).isEqualTo(before[0]);
    }

    @Test
    void queuedWorkIsAbortedAtShutdownAndCounted() throws Exception {
        Dispatcher d = dispatchers.start("metrics-shutdown");
        CountDownLatch release = TestDispatchers.block(d);
        for (int i = 0; i < 5; i++) {
            d.post(() -> { }, DispatcherPriority.BACKGROUND);
        }
        d.beginInvokeShutdown(DispatcherPriority.SEND);
        release.countDown();
        assertThat(d.awaitShutdown(Duration.ofSeconds(5))).isTrue();
        d.post(() -> { }); // after shutdown: an already-aborted operation, counted as posted and aborted
        DispatcherMetrics m = d.metrics();
        assertThat(m.queueDepth()).isZero();
        assertThat(m.aborted()).isEqualTo(6);
        assertThat(m.posted()).isEqualTo(m.started() + m.aborted());
    }

    @Test
    void anInvalidPriorityIsRejected() {
        Dispatcher d = dispatchers.start("metrics-invalid");
        assertThatThrownBy(() -> d.metrics().queueDepth(DispatcherPriority.INVALID))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority");
        assertThatThrownBy(() -> d.metrics().queueDepth(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("priority");
    }

    /**
     * Producers post at random priorities, change some and abort some while a reader takes snapshots; every
     * snapshot keeps the documented inequalities, and at the end the counts add up exactly.
     */
    @Test
    @Timeout(60)
    void countsAddUpExactlyAfterARaceOfPostsAbortsAndPriorityChanges() throws Exception {
        Dispatcher d = dispatchers.start("metrics-race");
        int producers = 3;
        int perProducer = 30_000;
        // Threads of the test's own: the common pool has a single worker on 2 cores (JDK 25 uses it even then), and
        // the reader's loop would hold it while the producers wait for a turn.
        ExecutorService threads = Executors.newFixedThreadPool(producers + 1);
        try {
            race(d, producers, perProducer, threads);
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void race(Dispatcher d, int producers, int perProducer, ExecutorService threads) throws Exception {
        AtomicLong ran = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong snapshots = new AtomicLong();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            while (!done.get()) {
                DispatcherMetrics m = d.metrics();
                for (DispatcherPriority p : DispatcherPriority.values()) {
                    if (p != DispatcherPriority.INVALID) {
                        assertThat(m.queueDepth(p)).isNotNegative();
                    }
                }
                // read in causal order: these hold in every snapshot, also mid-race
                assertThat(m.failed()).isLessThanOrEqualTo(m.completed());
                assertThat(m.completed()).isLessThanOrEqualTo(m.started());
                assertThat(m.started() + m.aborted()).isLessThanOrEqualTo(m.posted());
                snapshots.incrementAndGet();
            }
        }, threads);
        List<CompletableFuture<Long>> aborts = new ArrayList<>();
        DispatcherPriority[] runnable = {DispatcherPriority.SYSTEM_IDLE, DispatcherPriority.APPLICATION_IDLE,
            DispatcherPriority.CONTEXT_IDLE, DispatcherPriority.BACKGROUND, DispatcherPriority.INPUT,
            DispatcherPriority.LOADED, DispatcherPriority.RENDER, DispatcherPriority.DATA_BIND,
            DispatcherPriority.NORMAL, DispatcherPriority.SEND};
        for (int p = 0; p < producers; p++) {
            aborts.add(CompletableFuture.supplyAsync(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                long aborted = 0;
                for (int i = 0; i < perProducer; i++) {
                    DispatcherOperation<Void> op = d.post(ran::incrementAndGet, runnable[r.nextInt(runnable.length)]);
                    int dice = r.nextInt(10);
                    if (dice == 0 && op.abort()) {
                        aborted++;
                    } else if (dice == 1) {
                        op.setPriority(runnable[r.nextInt(runnable.length)]);
                    }
                }
                return aborted;
            }, threads));
        }
        long aborted = 0;
        try {
            for (CompletableFuture<Long> f : aborts) {
                aborted += f.get(30, TimeUnit.SECONDS);
            }
            d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE);
        } finally {
            done.set(true);
        }
        reader.get(10, TimeUnit.SECONDS);

        DispatcherMetrics m = d.metrics();
        long posts = (long) producers * perProducer;
        assertThat(ran.get()).isEqualTo(posts - aborted);
        assertThat(m.posted()).isEqualTo(posts + 1);
        assertThat(m.aborted()).isEqualTo(aborted);
        assertThat(m.started()).isEqualTo(posts - aborted + 1);
        assertThat(m.completed()).isEqualTo(m.started());
        assertThat(m.queueDepth()).isZero();
        assertThat(snapshots.get()).isPositive();
    }
}
