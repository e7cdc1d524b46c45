/**
 * A {@link dev.apartment.Dispatcher} bound to the AWT event dispatch thread: start with
 * {@link dev.apartment.swing.SwingPump#dispatcher()}.
 */
package dev.apartment.swing;
