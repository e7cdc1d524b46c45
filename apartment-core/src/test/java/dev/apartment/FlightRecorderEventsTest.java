package dev.apartment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import jdk.jfr.EventType;
import jdk.jfr.SettingDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.apartment.internal.jfr.DeadlockDiagnosisEvent;
import dev.apartment.internal.jfr.FrameEvent;
import dev.apartment.internal.jfr.OperationRunEvent;
import dev.apartment.internal.jfr.StallEvent;
import dev.apartment.internal.jfr.WaitEvent;

/**
 * The Flight Recorder events, recorded with a {@link RecordingStream} (every Apartment event enabled, threshold 0)
 * and checked field by field. Events reach the stream in its flushes (about once a second), so each check waits
 * for the event it expects, with a deadline.
 */
@Timeout(30)
class FlightRecorderEventsTest {
    private static final String[] EVENTS = {OperationRunEvent.NAME, FrameEvent.NAME, WaitEvent.NAME, StallEvent.NAME,
        DeadlockDiagnosisEvent.NAME};

    @RegisterExtension
    final TestDispatchers dispatchers = new TestDispatchers();

    private RecordingStream stream;
    private final LinkedBlockingQueue<RecordedEvent> received = new LinkedBlockingQueue<>();
    private final List<RecordedEvent> seen = new ArrayList<>();

    private final AtomicLong flushes = new AtomicLong();

    @BeforeEach
    void record() throws InterruptedException {
        startStream();
    }

    private void startStream() throws InterruptedException {
        stream = new RecordingStream();
        for (String name : EVENTS) {
            stream.enable(name).withThreshold(Duration.ZERO);
            stream.onEvent(name, received::add);
        }
        CountDownLatch started = new CountDownLatch(1);
        stream.onFlush(() -> {
            flushes.incrementAndGet();
            started.countDown();
        });
        stream.startAsync();
        assertThat(started.await(10, TimeUnit.SECONDS)).as("the recording stream flushed once").isTrue();
    }

    @AfterEach
    void stop() {
        stream.close();
    }

    /** The first event of {@code name} on {@code thread} that matches, waiting for it up to 10 s. */
    private RecordedEvent awaitEvent(String name, String thread, Predicate<RecordedEvent> matches)
            throws InterruptedException {
        Predicate<RecordedEvent> wanted = e -> e.getEventType().getName().equals(name)
                && (thread == null || e.getString("dispatcher") != null && e.getString("dispatcher").equals(thread))
                && matches.test(e);
        for (RecordedEvent e : seen) {
            if (wanted.test(e)) {
                return e;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (;;) {
            RecordedEvent e = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(e).as("a %s event from %s in time", name, thread).isNotNull();
            seen.add(e);
            if (wanted.test(e)) {
                return e;
            }
        }
    }

    @Test
    void anOperationRunHasItsPriorityKindQueueWaitTaskAndOutcome() throws Exception {
        Dispatcher d = dispatchers.start("jfr-ops");
        d.addUnhandledExceptionHandler(args -> args.setHandled(true));
        CountDownLatch release = TestDispatchers.block(d);
        long beforePost = System.nanoTime();
        d.post(new NamedTask(), DispatcherPriority.BACKGROUND);
        long posted = System.nanoTime();
        d.post(() -> {
            throw new IllegalStateException("planned");
        }, DispatcherPriority.INPUT);
        CompletableFuture<Integer> call = new CompletableFuture<>();
        new Thread(() -> call.complete(d.invoke(() -> 42)), "jfr-ops-caller").start();
        long released = System.nanoTime(); // the BACKGROUND post cannot start before this
        release.countDown();
        assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo(42);
        d.invoke(() -> null, DispatcherPriority.SYSTEM_IDLE); // after the BACKGROUND post
        long ended = System.nanoTime();

        RecordedEvent run = awaitEvent(OperationRunEvent.NAME, "jfr-ops",
                e -> "BACKGROUND".equals(e.getString("priority")));
        assertThat(run.getString("kind")).isEqualTo("MESSAGE");
        assertThat(run.getClass("task").getName()).isEqualTo(NamedTask.class.getName());
        assertThat(run.getBoolean("failed")).isFalse();
        // 1 µs resolution (units of 1,024 ns): allow 2 µs either side
        assertThat(run.getDuration("queueWait").toNanos()).isBetween(released - posted - 2_048, ended - beforePost + 2_048);
        assertThat(run.getThread().getJavaName()).isEqualTo("jfr-ops");
        assertThat(run.getDuration().isNegative()).isFalse();

        RecordedEvent failed = awaitEvent(OperationRunEvent.NAME, "jfr-ops",
                e -> "INPUT".equals(e.getString("priority")));
        assertThat(failed.getBoolean("failed")).isTrue();
        RecordedEvent invoke = awaitEvent(OperationRunEvent.NAME, "jfr-ops", e -> "CALL".equals(e.getString("kind")));
        assertThat(invoke.getString("priority")).isEqualTo("SEND");
        assertThat(invoke.getDuration("queueWait").isNegative()).isFalse();
    }

    @Test
    void aLongOperationShowsItsDuration() throws Exception {
        Dispatcher d = dispatchers.start("jfr-long");
        d.invoke(() -> {
            long end = System.nanoTime() + 20_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait(); // busy on purpose: the event's duration must cover it
            }
        }, DispatcherPriority.LOADED);
        RecordedEvent run = awaitEvent(OperationRunEvent.NAME, "jfr-long",
                e -> "LOADED".equals(e.getString("priority")));
        assertThat(run.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aNestedFrameIsOneEventFromPushToPopWithItsDepth() throws Exception {
        Dispatcher d = dispatchers.start("jfr-frames");
        d.invoke(() -> {
            DispatcherFrame frame = new DispatcherFrame();
            d.post(() -> frame.setContinue(false));
            d.pushFrame(frame);
        });
        RecordedEvent frame = awaitEvent(FrameEvent.NAME, "jfr-frames", e -> e.getInt("depth") == 2);
        assertThat(frame.getString("kind")).isEqualTo("loop");
        assertThat(frame.getBoolean("toolkit")).isFalse();
        assertThat(frame.getThread().getJavaName()).isEqualTo("jfr-frames");
    }

    @Test
    void aDispatchingWaitRecordsItsFramePolicyAndOutcome() throws Exception {
        Dispatcher d = dispatchers.start("jfr-wait");
        d.invoke(() -> {
            CompletableFuture<String> reply = new CompletableFuture<>();
            d.callbacks().execute(() -> reply.complete("done"));
            assertThat(d.waitFor(reply, WaitPolicy.CALLS)).isEqualTo("done");
            CompletableFuture<String> never = new CompletableFuture<>();
            assertThat(d.waitForAll(WaitPolicy.CALLS_AND_MESSAGES, Duration.ofMillis(5), never)).isFalse();
        });
        RecordedEvent satisfied = awaitEvent(WaitEvent.NAME, "jfr-wait", e -> "CALLS".equals(e.getString("policy")));
        assertThat(satisfied.getString("outcome")).isEqualTo("satisfied");
        assertThat(satisfied.getString("what")).isEqualTo("waitFor");
        RecordedEvent timedOut = awaitEvent(WaitEvent.NAME, "jfr-wait",
                e -> "CALLS_AND_MESSAGES".equals(e.getString("policy")));
        assertThat(timedOut.getString("outcome")).isEqualTo("timed out");
        assertThat(timedOut.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(5));
        RecordedEvent frame = awaitEvent(FrameEvent.NAME, "jfr-wait", e -> "wait".equals(e.getString("kind")));
        assertThat(frame.getInt("depth")).isEqualTo(2);
    }

    @Test
    void aWaitOfAThreadWithoutADispatcherHasNoDispatcherAndPolicyNone() throws Exception {
        Dispatcher d = dispatchers.start("jfr-foreign");
        d.setIdleSpin(Duration.ZERO); // the caller blocks at once instead of spinning first
        CountDownLatch release = TestDispatchers.block(d);
        Thread caller = new Thread(() -> d.invoke(() -> null), "jfr-foreign-caller");
        caller.start();
        // the call must really wait for the blocked owner: release it only once the caller is parked in the wait
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (caller.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime() - deadline).as("the caller parks in its wait").isNegative();
            Thread.onSpinWait();
        }
        release.countDown();
        caller.join(5_000);
        RecordedEvent wait = awaitEvent(WaitEvent.NAME, null,
                e -> e.getThread() != null && "jfr-foreign-caller".equals(e.getThread().getJavaName()));
        assertThat(wait.getString("dispatcher")).isNull();
        assertThat(wait.getString("policy")).isEqualTo("NONE");
        assertThat(wait.getString("outcome")).isEqualTo("satisfied");
        assertThat(wait.getString("what")).contains("jfr-foreign");
    }

    @Test
    void aDeadlockDiagnosisIsRecordedWithTheMessageAndTheFailedWait() throws Exception {
        Dispatcher d = dispatchers.start("jfr-deadlock");
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        d.post(() -> {
            try {
                DispatcherOperation<String> own = d.invokeAsync(() -> "x");
                d.waitFor(own, WaitPolicy.NONE);
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        Throwable t = thrown.get(5, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(DispatcherDeadlockException.class);

        RecordedEvent diagnosis = awaitEvent(DeadlockDiagnosisEvent.NAME, "jfr-deadlock", e -> true);
        assertThat(diagnosis.getString("policy")).isEqualTo("NONE");
        assertThat(diagnosis.getString("diagnosis")).isEqualTo(t.getMessage());
        assertThat(diagnosis.getStackTrace()).as("the waiting thread's stack").isNotNull();
        RecordedEvent wait = awaitEvent(WaitEvent.NAME, "jfr-deadlock", e -> "deadlock".equals(e.getString("outcome")));
        assertThat(wait.getString("policy")).isEqualTo("NONE");
        assertThat(d.metrics().deadlocksDiagnosed()).isEqualTo(1);
    }

    @Test
    void aStallIsRecordedWithTheOwnersStack() throws Exception {
        Dispatcher d = dispatchers.start("jfr-stall");
        CountDownLatch reported = new CountDownLatch(1);
        d.setStallWatchdog(Duration.ofMillis(50), r -> reported.countDown());
        CountDownLatch release = new CountDownLatch(1);
        d.post(() -> stallHere(release), DispatcherPriority.INPUT);
        assertThat(reported.await(5, TimeUnit.SECONDS)).isTrue();
        release.countDown();

        RecordedEvent stall = awaitEvent(StallEvent.NAME, "jfr-stall", e -> true);
        assertThat(stall.getString("priority")).isEqualTo("INPUT");
        assertThat(stall.getString("operation")).contains("EXECUTING").contains("jfr-stall");
        assertThat(stall.getThread("ownerThread").getJavaName()).isEqualTo("jfr-stall");
        assertThat(stall.getDuration("runningFor")).isGreaterThan(Duration.ofMillis(50));
        assertThat(stall.getDuration("budget")).isEqualTo(Duration.ofMillis(50));
        assertThat(stall.getString("ownerStack")).contains("stallHere");
        assertThat(d.metrics().stallsReported()).isEqualTo(1);
    }

    @Test
    void theOperationEventIsOffByDefaultWithATenMillisecondThresholdAndNoPostIsTimedWhileItIsOff() throws Exception {
        EventType type = EventType.getEventType(OperationRunEvent.class);
        assertThat(defaultOf(type, "threshold")).isEqualTo("10 ms");
        assertThat(defaultOf(type, "enabled")).as("off unless asked for").isEqualTo("false");
        assertThat(defaultOf(EventType.getEventType(FrameEvent.class), "enabled")).isEqualTo("true");
        assertThat(defaultOf(EventType.getEventType(StallEvent.class), "threshold")).isEqualTo("0 ns");

        Dispatcher d = dispatchers.start("jfr-off");
        DispatcherOperation<Void> timed = d.post(() -> { });
        stream.close(); // no recording any more: posts are not timed
        DispatcherOperation<Void> untimed = d.post(() -> { });
        assertThat(timed.queueWaitNanos(System.nanoTime())).isNotNegative();
        assertThat(untimed.queueWaitNanos(System.nanoTime())).isEqualTo(-1L);
    }

    @Test
    void aFramePushedBeforeTheRecordingStartedIsNotRecordedWithABogusStart() throws Exception {
        stream.close();
        Dispatcher before = dispatchers.start("jfr-before"); // its run() frame begins with no recording
        before.invoke(() -> null);
        received.clear();
        startStream();
        before.beginInvokeShutdown(DispatcherPriority.SEND); // the frame ends while recording
        assertThat(before.awaitShutdown(Duration.ofSeconds(5))).isTrue();
        Dispatcher marker = dispatchers.start("jfr-marker");
        marker.invoke(() -> null, DispatcherPriority.LOADED);
        awaitEvent(OperationRunEvent.NAME, "jfr-marker", e -> "LOADED".equals(e.getString("priority")));
        long flushed = flushes.get(); // one more flush: whatever was committed before the marker has arrived
        while (flushes.get() < flushed + 2) {
            RecordedEvent e = received.poll(100, TimeUnit.MILLISECONDS);
            if (e != null) {
                seen.add(e);
            }
        }
        received.drainTo(seen);
        assertThat(seen).noneMatch(e -> e.getEventType().getName().equals(FrameEvent.NAME)
                && "jfr-before".equals(e.getString("dispatcher")));
    }

    private static String defaultOf(EventType type, String setting) {
        return type.getSettingDescriptors().stream().filter(s -> s.getName().equals(setting))
                .map(SettingDescriptor::getDefaultValue).findFirst().orElse(null);
    }

    private static void stallHere(CountDownLatch release) {
        try {
            release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A task class of its own, so the event's task field can be checked by name. */
    private static final class NamedTask implements Runnable {
        @Override
        public void run() {
        }
    }
}
