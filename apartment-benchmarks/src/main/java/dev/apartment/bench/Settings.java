package dev.apartment.bench;

/**
 * Constants shared by the benchmark annotations. The annotations carry the report's settings (3 forks, 3 warm-up
 * and 5 measured iterations of 1 s), so a bare {@code java -jar benchmarks.jar} reproduces them; {@code run.sh}
 * passes the same on the command line.
 */
public final class Settings {
    /** Posts per producer and per invocation in the batch benchmarks; throughput is reported per post. */
    public static final int BATCH = 100_000;

    /** AWT without a display. */
    public static final String AWT_HEADLESS = "-Djava.awt.headless=true";
    /** JavaFX on Monocle's headless platform with the software renderer. */
    public static final String FX_GLASS = "-Dglass.platform=Monocle";
    public static final String FX_MONOCLE = "-Dmonocle.platform=Headless";
    public static final String FX_PRISM = "-Dprism.order=sw";
    /** A fixed heap, the same for every fork. */
    public static final String XMS = "-Xms1g";
    public static final String XMX = "-Xmx1g";
    /**
     * The heap's pages touched at start-up, not by the first allocations. On the project's 2-vCPU VM, Apartment ran
     * at a fifth of its steady speed for the first 3-4 s of every fork, longer than the warm-up; the slow phase ended
     * with the first collection of the grown young generation (so: first touches of fresh heap pages), and with
     * this flag the first warm-up iteration is already near the steady figure.
     */
    public static final String PRETOUCH = "-XX:+AlwaysPreTouch";

    private Settings() {
    }
}
