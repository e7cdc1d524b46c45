package dev.apartment.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The stall watchdog found an operation running past its budget. Committed by the watchdog thread, so the owner's
 * stack is a field, not the event's stack trace.
 */
@Name(StallEvent.NAME)
@Label("Dispatcher Stall")
@Description("An operation ran on a dispatcher thread for longer than the stall watchdog's budget")
@Category({"Apartment", "Dispatcher"})
@StackTrace(false)
public final class StallEvent extends jdk.jfr.Event {
    public static final String NAME = "dev.apartment.Stall";

    @Label("Dispatcher")
    @Description("The name of the dispatcher's thread")
    public String dispatcher;

    @Label("Owner Thread")
    public Thread ownerThread;

    @Label("Operation")
    public String operation;

    @Label("Priority")
    public String priority;

    @Label("Running For")
    @Description("How long the operation had run when the stall was seen (a lower bound)")
    @Timespan(Timespan.NANOSECONDS)
    public long runningFor;

    @Label("Budget")
    @Timespan(Timespan.NANOSECONDS)
    public long budget;

    @Label("Owner Stack")
    @Description("The owner thread's stack when the stall was seen")
    public String ownerStack;
}
