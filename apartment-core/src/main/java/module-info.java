/**
 * Apartment: single-threaded-apartment dispatchers for the JVM.
 *
 * <p>The exported package {@code dev.apartment} holds the whole public model ({@link dev.apartment.Dispatcher}
 * and its collaborators); {@code dev.apartment.internal} holds the queues and the timer heap, {@code dev.apartment.internal.jfr} the Flight Recorder events; neither is
 * exported.
 */
module dev.apartment {
    requires jdk.jfr; // a JDK module: the Flight Recorder events in dev.apartment.internal.jfr
    exports dev.apartment;
}
