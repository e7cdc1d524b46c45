package dev.apartment.bench.peers;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** {@link Executors#newSingleThreadExecutor()}: a ThreadPoolExecutor over a LinkedBlockingQueue. */
public final class ExecutorLoop implements EventLoopAdapter {
    private volatile Thread thread;
    private ExecutorService executor;

    @Override
    public String name() {
        return Peers.EXECUTOR;
    }

    @Override
    public void start() throws Exception {
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "executor-bench"));
        executor.submit(() -> thread = Thread.currentThread()).get();
    }

    @Override
    public void post(Runnable task) {
        executor.execute(task);
    }

    @Override
    public boolean supportsInvoke() {
        return true;
    }

    /** {@code submit(task).get()}. */
    @Override
    public <T> T invoke(Callable<T> task) throws Exception {
        return executor.submit(task).get();
    }

    @Override
    public boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void stop() throws InterruptedException {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("executor: not terminated 10 s after shutdown");
        }
        Peers.joinOrFail(thread, "executor");
    }
}
