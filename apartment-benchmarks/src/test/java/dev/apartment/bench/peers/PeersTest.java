package dev.apartment.bench.peers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every peer starts, runs posts from two threads and from its own thread, answers invoke where it has one, and
 * stops. (JavaFX and the FX-hosted dispatcher are left to the smoke run: the toolkit can start only once per JVM and
 * the FX dispatcher's shutdown is final, so a JVM that runs them keeps both for good.) The Swing-hosted dispatcher
 * runs here, headless like AWT (surefire's {@code -Djava.awt.headless=true}).
 */
@Timeout(30)
class PeersTest {

    @ParameterizedTest
    @ValueSource(strings = {Peers.FLOOR, Peers.FLOOR_ALLOC, Peers.APARTMENT, Peers.NETTY, Peers.EXECUTOR, Peers.AWT,
            Peers.SWING_PUMP})
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

    /**
     * A later trial in the same JVM (as in the non-forked smoke run) works after the Swing-hosted peer stopped: its
     * stop shuts the dispatcher down and waits until AWT retired the EDT, so the next start attaches a new
     * dispatcher to a new EDT, and an {@code awt} trial in between gets an EDT of its own.
     */
    @Test
    void theSwingHostedPeerCanBeStartedAgainAfterItStopped() throws Exception {
        Thread firstEdt = runOneTrial(Peers.SWING_PUMP);
        assertThat(firstEdt.isAlive()).as("stop() left the EDT of the first dispatcher running").isFalse();
        runOneTrial(Peers.AWT);
        Thread secondEdt = runOneTrial(Peers.SWING_PUMP);
        assertThat(secondEdt).isNotSameAs(firstEdt);
        assertThat(secondEdt.isAlive()).isFalse();
    }

    /** Starts the peer, posts a task and invokes once, stops it; returns the loop thread. */
    private static Thread runOneTrial(String peer) throws Exception {
        EventLoopAdapter loop = Peers.started(peer);
        try {
            CompletableFuture<Thread> ran = new CompletableFuture<>();
            loop.post(() -> ran.complete(Thread.currentThread()));
            Thread t = ran.get(10, TimeUnit.SECONDS);
            assertThat(loop.<Thread>invoke(Thread::currentThread)).isSameAs(t);
            return t;
        } finally {
            loop.stop();
        }
    }
}
