package dev.apartment.bench.peers;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Netty's {@link DefaultEventLoop}: a SingleThreadEventLoop that blocks on its task queue when idle. */
public final class NettyLoop implements EventLoopAdapter {
    private DefaultEventLoop loop;
    private volatile Thread thread;

    @Override
    public String name() {
        return Peers.NETTY;
    }

    @Override
    public void start() throws Exception {
        loop = new DefaultEventLoop(new DefaultThreadFactory("netty-bench"));
        loop.submit(() -> thread = Thread.currentThread()).sync();
    }

    @Override
    public void post(Runnable task) {
        loop.execute(task);
    }

    @Override
    public boolean supportsInvoke() {
        return true;
    }

    /** {@code submit(task).sync()}, then the value. */
    @Override
    public <T> T invoke(Callable<T> task) throws Exception {
        return loop.submit(task).sync().getNow();
    }

    @Override
    public boolean isLoopThread() {
        return loop.inEventLoop();
    }

    @Override
    public void stop() throws InterruptedException {
        if (loop == null) {
            return;
        }
        if (!loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("netty: event loop not terminated 10 s after shutdownGracefully");
        }
        Peers.joinOrFail(thread, "netty");
    }
}
