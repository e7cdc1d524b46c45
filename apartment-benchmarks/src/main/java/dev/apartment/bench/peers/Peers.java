package dev.apartment.bench.peers;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Makes an {@link EventLoopAdapter} from the {@code peer} parameter of a benchmark. */
public final class Peers {
    /** The bare JCTools MPSC consumer: no priorities, no allocation per post ({@link FloorLoop}). */
    public static final String FLOOR = "floor";
    /** The floor with one fresh 48-byte object per post: not in the default parameter lists ({@link FloorLoop}). */
    public static final String FLOOR_ALLOC = "floorAlloc";
    /** Apartment's {@code Dispatcher} with its default pump (its own thread, park/unpark). */
    public static final String APARTMENT = "apartment";
    /** {@code Executors.newSingleThreadExecutor()}. */
    public static final String EXECUTOR = "executor";
    /** Netty's {@code DefaultEventLoop}. */
    public static final String NETTY = "netty";
    /** {@code java.awt.EventQueue.invokeLater}, headless. */
    public static final String AWT = "awt";
    /** {@code javafx.application.Platform.runLater} on Monocle's headless platform. */
    public static final String JAVAFX = "javafx";
    /** Apartment's dispatcher hosted on the AWT event dispatch thread: {@code SwingPump.dispatcher()}, headless. */
    public static final String SWING_PUMP = "swingPump";
    /** Apartment's dispatcher hosted on the JavaFX application thread: {@code FxPump.dispatcher()}, Monocle. */
    public static final String FX_PUMP = "fxPump";

    private Peers() {
    }

    public static EventLoopAdapter create(String peer) {
        switch (peer) {
            case FLOOR:
                return new FloorLoop(false);
            case FLOOR_ALLOC:
                return new FloorLoop(true);
            case APARTMENT:
                return new ApartmentLoop();
            case EXECUTOR:
                return new ExecutorLoop();
            case NETTY:
                return new NettyLoop();
            case AWT:
                return new AwtLoop();
            case JAVAFX:
                return new JavaFxLoop();
            case SWING_PUMP:
                return new SwingPumpLoop();
            case FX_PUMP:
                return new FxPumpLoop();
            default:
                throw new IllegalArgumentException("unknown peer '" + peer + "' (known: " + FLOOR + ", " + FLOOR_ALLOC
                        + ", " + APARTMENT + ", " + EXECUTOR + ", " + NETTY + ", " + AWT + ", " + JAVAFX + ", "
                        + SWING_PUMP + ", " + FX_PUMP + ")");
        }
    }

    /**
     * Starts the peer named {@code peer} and checks that it works as the benchmarks assume: a posted task runs, on a
     * thread where {@link EventLoopAdapter#isLoopThread()} is true (and false here). On failure nothing is left
     * running.
     */
    public static EventLoopAdapter started(String peer) throws Exception {
        EventLoopAdapter loop = create(peer);
        loop.start();
        try {
            if (loop.isLoopThread()) {
                throw new IllegalStateException(peer + ": isLoopThread() is true on the benchmark thread");
            }
            CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
            loop.post(() -> onLoop.complete(loop.isLoopThread()));
            if (!onLoop.get(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(peer + ": a posted task ran where isLoopThread() is false");
            }
        } catch (Exception | Error e) {
            try {
                loop.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return loop;
    }

    static void joinOrFail(Thread t, String what) throws InterruptedException {
        if (t == null) {
            return;
        }
        t.join(10_000);
        if (t.isAlive()) {
            throw new IllegalStateException(what + ": thread " + t.getName() + " still alive 10 s after stop");
        }
    }
}
