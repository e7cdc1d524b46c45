package dev.apartment.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * One operation run by a dispatcher, from start to end, on its owner thread (the event's thread).
 *
 * <p>Enabled by default with a 10 ms threshold, so a recording started with the JDK's default settings shows the
 * operations long enough to be felt, and nothing else; set the threshold to 0 to see every operation. While the
 * event is enabled, each post also reads the clock once, for {@link #queueWait}.
 */
@Name(OperationRunEvent.NAME)
@Label("Dispatcher Operation")
@Description("An operation ran on the owner thread of a dispatcher")
@Category({"Apartment", "Dispatcher"})
@StackTrace(false)
@Threshold("10 ms")
public final class OperationRunEvent extends jdk.jfr.Event {
    public static final String NAME = "dev.apartment.OperationRun";

    @Label("Dispatcher")
    @Description("The name of the dispatcher's thread")
    public String dispatcher;

    @Label("Priority")
    public String priority;

    @Label("Kind")
    @Description("CALL (an invoke, a completion callback) or MESSAGE (a post)")
    public String kind;

    @Label("Queue Wait")
    @Description("From the post to the start; -1 if the operation was posted while this event was disabled")
    @Timespan(Timespan.NANOSECONDS)
    public long queueWait;

    @Label("Task")
    @Description("The class of the Runnable or Callable")
    public Class<?> task;

    @Label("Failed")
    @Description("Whether the operation ended with an exception")
    public boolean failed;

    /**
     * Whether a post should read the clock for the queue wait. Costs nothing while no recording runs: the event
     * class is not instrumented then, this returns a constant false and the allocation is optimized away.
     */
    public static boolean stampPosts() {
        return new OperationRunEvent().isEnabled();
    }
}
