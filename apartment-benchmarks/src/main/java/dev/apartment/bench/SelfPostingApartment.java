package dev.apartment.bench;

import static dev.apartment.bench.Settings.BATCH;

import dev.apartment.Dispatcher;
import dev.apartment.bench.peers.ApartmentLoop;
import dev.apartment.bench.peers.Peers;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link SelfPost}'s workload on Apartment alone (a task on the loop thread posts a batch to its own dispatcher),
 * for the benchmarks that measure one setting around it: subclasses are the {@code @State}s and set it up in
 * {@link #beforeStart()} / {@link #afterStart()}.
 */
public abstract class SelfPostingApartment {
    ApartmentLoop loop;
    final TaskCounter counter = new TaskCounter();
    private final Runnable postBatchFromLoop = () -> {
        Dispatcher d = loop.dispatcher();
        Runnable task = counter.task;
        for (int i = 0; i < BATCH; i++) {
            d.post(task);
        }
    };

    /** Before the dispatcher starts. */
    void beforeStart() throws Exception {
    }

    /** Once the dispatcher runs ({@link #loop} is set). */
    void afterStart() {
    }

    /** After the dispatcher stopped. */
    void afterStop() {
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        beforeStart();
        loop = (ApartmentLoop) Peers.started(Peers.APARTMENT);
        afterStart();
    }

    @TearDown(Level.Iteration)
    public void verify() {
        counter.verify(loop);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        loop.stop();
        afterStop();
    }

    /** One batch: posted from the loop thread, awaited here. */
    void run() {
        counter.expect(BATCH);
        loop.post(postBatchFromLoop);
        counter.await(loop);
    }
}
