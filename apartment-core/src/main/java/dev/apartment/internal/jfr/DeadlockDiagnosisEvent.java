package dev.apartment.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A wait was diagnosed as a deadlock and is about to throw {@code DispatcherDeadlockException}; committed by the
 * waiting thread, whose stack is the event's stack trace.
 */
@Name(DeadlockDiagnosisEvent.NAME)
@Label("Dispatcher Deadlock Diagnosis")
@Description("A wait can never end: it throws DispatcherDeadlockException naming every thread and operation")
@Category({"Apartment", "Dispatcher"})
public final class DeadlockDiagnosisEvent extends jdk.jfr.Event {
    public static final String NAME = "dev.apartment.DeadlockDiagnosis";

    @Label("Dispatcher")
    @Description("The name of the waiting dispatcher's thread")
    public String dispatcher;

    @Label("Policy")
    @Description("The policy of the wait that throws")
    public String policy;

    @Label("Diagnosis")
    @Description("The exception's message: every thread and operation of the cycle")
    public String diagnosis;
}
