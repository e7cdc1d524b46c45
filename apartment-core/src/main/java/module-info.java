/**
 * Apartment: single-threaded-apartment dispatchers for the JVM.
 *
 * <p>The exported package {@code dev.apartment} holds the whole public model ({@link dev.apartment.Dispatcher}
 * and its collaborators); {@code dev.apartment.internal} holds the queues and the timer heap and is not exported.
 */
module dev.apartment {
    exports dev.apartment;
}
