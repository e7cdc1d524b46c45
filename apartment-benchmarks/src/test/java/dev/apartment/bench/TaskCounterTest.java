package dev.apartment.bench;

import dev.apartment.bench.peers.EventLoopAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The completion check must notice a peer that loses or duplicates tasks. */
@Timeout(30)
class TaskCounterTest {
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** A loop on a single thread that runs each post {@code copies.test(task)} ? twice : once, or drops it. */
    private EventLoopAdapter loop(Predicate<Runnable> drop, Predicate<Runnable> twice) {
        return new EventLoopAdapter() {
            int seen;

            @Override
            public String name() {
                return "test-loop";
            }

            @Override
            public void start() {
            }

            @Override
            public void post(Runnable task) {
                thread.execute(() -> {
                    seen++;
                    if (drop.test(task) && seen == 3) {
                        return;
                    }
                    task.run();
                    if (twice.test(task) && seen == 3) {
                        task.run();
                    }
                });
            }

            @Override
            public boolean isLoopThread() {
                return false;
            }

            @Override
            public void stop() {
            }
        };
    }

    @Test
    void anHonestLoopPasses() {
        TaskCounter c = new TaskCounter(TimeUnit.SECONDS.toNanos(5));
        EventLoopAdapter l = loop(t -> false, t -> false);
        for (int round = 0; round < 3; round++) {
            c.expect(10);
            for (int i = 0; i < 10; i++) {
                l.post(c.task);
            }
            c.await(l);
        }
        assertThatCode(() -> c.verify(l)).doesNotThrowAnyException();
    }

    @Test
    void aLostTaskTimesOutLoudly() {
        TaskCounter c = new TaskCounter(TimeUnit.MILLISECONDS.toNanos(200));
        EventLoopAdapter l = loop(t -> t == c.task, t -> false);
        c.expect(10);
        for (int i = 0; i < 10; i++) {
            l.post(c.task);
        }
        assertThatThrownBy(() -> c.await(l)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lost tasks: 9 of 10");
    }

    @Test
    void aTaskRunTwiceIsCaughtByVerify() {
        TaskCounter c = new TaskCounter(TimeUnit.SECONDS.toNanos(5));
        EventLoopAdapter l = loop(t -> false, t -> t == c.task);
        c.expect(10);
        for (int i = 0; i < 10; i++) {
            l.post(c.task);
        }
        c.await(l); // signalled one task early
        assertThatThrownBy(() -> c.verify(l)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("11 tasks ran, 10 were posted");
    }
}
