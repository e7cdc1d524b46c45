/**
 * Single-threaded apartments for the JVM.
 *
 * <p>A {@link dev.apartment.Dispatcher} owns one thread and runs {@link dev.apartment.DispatcherOperation operations}
 * on it one at a time, highest {@link dev.apartment.DispatcherPriority priority} first and FIFO within a priority.
 * Objects that belong to that thread extend {@link dev.apartment.DispatcherObject}. Nested loops
 * ({@link dev.apartment.DispatcherFrame}) keep the thread responsive while code on it waits, so a synchronous
 * {@code invoke} on the owner thread never deadlocks. {@link dev.apartment.DispatcherTimer} ticks on the owner
 * thread; {@link dev.apartment.SynchronizationContext} lets toolkit-agnostic code return to the thread it came from.
 *
 * <p>Where to start: {@link dev.apartment.Dispatcher#start(String)}, {@link dev.apartment.Dispatcher#post},
 * {@link dev.apartment.Dispatcher#invoke(java.util.concurrent.Callable)},
 * {@link dev.apartment.Dispatcher#invokeAsync(java.util.concurrent.Callable)}.
 */
package dev.apartment;
