package dev.apartment.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * A frame (a nested loop) of a dispatcher, from its push to its pop: the event's start and end. The outermost frame
 * ({@code Dispatcher.run()}) is committed when the dispatcher stops.
 */
@Name(FrameEvent.NAME)
@Label("Dispatcher Frame")
@Description("A dispatcher frame (nested message loop) was pushed and popped")
@Category({"Apartment", "Dispatcher"})
@StackTrace(false)
@Threshold("10 ms")
public final class FrameEvent extends jdk.jfr.Event {
    public static final String NAME = "dev.apartment.Frame";

    @Label("Dispatcher")
    @Description("The name of the dispatcher's thread")
    public String dispatcher;

    @Label("Depth")
    @Description("1 for the outermost frame")
    public int depth;

    @Label("Kind")
    @Description("loop (run or pushFrame), wait (the nested loop of a dispatching wait)")
    public String kind;

    @Label("Toolkit Loop")
    @Description("Whether the frame ran as a nested loop of the toolkit (an attached pump)")
    public boolean toolkit;
}
