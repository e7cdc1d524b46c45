package dev.apartment.bench.peers;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every peer starts, runs posts from two threads and from its own thread, answers invoke where it has one, and
 * stops. (JavaFX is left to the smoke run: its toolkit can start only once per JVM.)
 */
@Timeout(30)
class PeersTest {

    @ParameterizedTest
    @ValueSource(strings = {Peers.FLOOR, Peers.FLOOR_ALLOC, Peers.APARTMENT, Peers.NETTY, Peers.EXECUTOR, Peers.AWT})
    void postsRunOnTheLoopThreadAndTheLoopStops(String peer) throws Exception {
        EventLoopAdapter loop = Peers.started(peer);
        try {
            int n = 10_000;
            AtomicInteger offLoop = new AtomicInteger();
            CountDownLatch ran = new CountDownLatch(3 * n);
            Runnable task = () -> {
                if (!loop.isLoopThread()) {
                    offLoop.incrementAndGet();
                }
                ran.countDown();
            };
            Thread other = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    loop.post(task);
                }
            });
            other.start();
            for (int i = 0; i < n; i++) {
                loop.post(task);
            }
            loop.post(() -> {
                for (int i = 0; i < n; i++) {
                    loop.post(task); // from the loop thread to itself
                }
            });
            other.join();
            assertThat(ran.await(30, TimeUnit.SECONDS)).as("all posts ran").isTrue();
            assertThat(offLoop).hasValue(0);
            if (loop.supportsInvoke()) {
                assertThat(loop.<Boolean>invoke(loop::isLoopThread)).isTrue();
            }
        } finally {
            loop.stop();
        }
    }
}
