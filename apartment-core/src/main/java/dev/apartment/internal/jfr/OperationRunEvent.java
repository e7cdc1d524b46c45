package dev.apartment.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * One operation run by a dispatcher, from start to end, on its owner thread (the event's thread).
 *
 * <p>Off by default: a dispatcher runs millions of operations a second, and while this event is enabled every post
 * reads the clock (for {@link #queueWait}) and every operation is timed, which costs several times the price of a
 * post (see the {@code FlightRecorder} benchmark). Turn it on for a diagnosis, with a threshold to keep only the
 * operations long enough to be felt ({@code 10 ms} unless set), or {@code 0 ms} for all of them.
 */
@Name(OperationRunEvent.NAME)
@Label("Dispatcher Operation")
@Description("An operation ran on the owner thread of a dispatcher")
@Category({"Apartment", "Dispatcher"})
@StackTrace(false)
@Threshold("10 ms")
@Enabled(false)
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
