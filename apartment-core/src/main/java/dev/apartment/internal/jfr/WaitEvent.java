package dev.apartment.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/** A wait: an invoke, a waitFor, a lock acquire, a blocking get on an operation's future. */
@Name(WaitEvent.NAME)
@Label("Dispatcher Wait")
@Description("A thread waited for operations or futures, dispatching what the wait policy admits")
@Category({"Apartment", "Dispatcher"})
@Threshold("10 ms")
public final class WaitEvent extends jdk.jfr.Event {
    public static final String NAME = "dev.apartment.Wait";

    @Label("Dispatcher")
    @Description("The name of the waiting dispatcher's thread; null for a thread without a dispatcher")
    public String dispatcher;

    @Label("Wait")
    @Description("What waited: an invoke, waitFor, a lock, ...")
    public String what;

    @Label("Policy")
    @Description("What the wait dispatched: CALLS, CALLS_AND_MESSAGES or NONE")
    public String policy;

    @Label("Outcome")
    @Description("satisfied, timed out, unwound by shutdown, interrupted, deadlock, or failed")
    public String outcome;
}
