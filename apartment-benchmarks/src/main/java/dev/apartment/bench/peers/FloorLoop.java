package dev.apartment.bench.peers;

import org.jctools.queues.MpscArrayQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor: a bare consumer thread draining a JCTools {@link MpscArrayQueue} and running the tasks it finds, parking
 * when the queue is empty. No priorities, no operation objects, no allocation per post: the benchmarks post
 * preallocated tasks, so this is what moving a reference from one thread to another and calling it costs.
 *
 * <p>Wake-up protocol (the same shape as the Dispatcher's): after spinning up to 50 µs on an empty queue (the
 * Dispatcher's default idle spin), the consumer writes {@code parked = true}, re-checks
 * {@link MpscArrayQueue#isEmpty()} (which reads the producer index the producers CAS), then parks; a producer offers
 * (CAS on the producer index), then reads {@code parked}. Both sides use volatile accesses, so one always sees the
 * other and no wake-up is lost. Only the producer that flips {@code parked} from true to false calls unpark.
 *
 * <p>The queue is bounded ({@value #CAPACITY} slots, larger than any batch the benchmarks post); a full queue makes
 * a foreign producer spin until the consumer frees a slot, and makes a post from the consumer thread itself fail.
 *
 * <p>{@link Peers#FLOOR_ALLOC} is the same loop posting each task inside a fresh 48-byte object (the size of an
 * Apartment operation), which the consumer reads and runs: the floor of any design that allocates one object per
 * post on the producer's core and reads it on the consumer's. Not in the default parameter lists; run it with
 * {@code -p peer=floorAlloc}.
 */
public final class FloorLoop implements EventLoopAdapter {
    public static final int CAPACITY = 1 << 18;
    /** The same idle spin as the Dispatcher's default, so both are compared like for like. */
    static final long SPIN_NANOS = 50_000L;

    private static final VarHandle PARKED;

    static {
        try {
            PARKED = MethodHandles.lookup().findVarHandle(FloorLoop.class, "parked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final boolean allocating;
    private final MpscArrayQueue<Runnable> queue = new MpscArrayQueue<>(CAPACITY);
    private final Thread thread = new Thread(this::consume, "floor-consumer");
    @SuppressWarnings("unused") // through PARKED
    private volatile boolean parked;
    private volatile boolean running = true;

    /** @param allocating whether each post wraps its task in a fresh 48-byte {@link Carrier} */
    FloorLoop(boolean allocating) {
        this.allocating = allocating;
    }

    /** One object per post, 48 bytes like an Apartment operation: 12-byte header, the task, 8 ints. */
    static final class Carrier implements Runnable {
        final Runnable task;
        int p0, p1, p2, p3, p4, p5, p6, p7;

        Carrier(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            task.run();
        }
    }

    @Override
    public String name() {
        return allocating ? Peers.FLOOR_ALLOC : Peers.FLOOR;
    }

    @Override
    public void start() {
        thread.start();
    }

    @Override
    public void post(Runnable task) {
        Runnable item = allocating ? new Carrier(task) : task;
        while (!queue.offer(item)) {
            if (Thread.currentThread() == thread) {
                throw new IllegalStateException("floor queue full (" + CAPACITY + ") on a post from its own thread");
            }
            Thread.onSpinWait();
        }
        if (parked && PARKED.compareAndSet(this, true, false)) {
            LockSupport.unpark(thread);
        }
    }

    private void consume() {
        final MpscArrayQueue<Runnable> q = queue;
        for (;;) {
            Runnable r = q.relaxedPoll();
            if (r != null) {
                r.run();
                continue;
            }
            if (!running) {
                return;
            }
            if (spinWhileEmpty(q)) {
                continue;
            }
            parked = true;
            if (q.isEmpty() && running) {
                LockSupport.park(this);
            }
            parked = false;
        }
    }

    /**
     * Spins up to {@value #SPIN_NANOS} ns for the next task before parking, the Dispatcher's default idle spin:
     * without it a consumer that outruns its producer parks after every task and each post pays an unpark, which
     * is no floor at all.
     */
    private boolean spinWhileEmpty(MpscArrayQueue<Runnable> q) {
        long start = System.nanoTime();
        for (int i = 1; ; i++) {
            if (!q.isEmpty() || !running) {
                return true;
            }
            Thread.onSpinWait();
            if ((i & 63) == 0 && System.nanoTime() - start > SPIN_NANOS) {
                return false;
            }
        }
    }

    @Override
    public boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        Peers.joinOrFail(thread, name());
    }
}
