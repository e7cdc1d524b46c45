/**
 * The JDK Flight Recorder events of Apartment (names {@code dev.apartment.*}, category "Apartment"). They cost
 * nothing while no recording runs: an event class is instrumented only when JFR starts, until then its
 * {@code isEnabled()} is a constant false and the event objects are optimized away.
 */
package dev.apartment.internal.jfr;
