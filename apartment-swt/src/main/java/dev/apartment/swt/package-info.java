/**
 * A {@link dev.apartment.Dispatcher} bound to the thread of an SWT {@link org.eclipse.swt.widgets.Display}: start
 * with {@link dev.apartment.swt.SwtPump#attach(org.eclipse.swt.widgets.Display)} on that thread, and shut the
 * dispatcher down before disposing the display.
 *
 * <p>The automatic module {@code dev.apartment.swt} (no {@code module-info}: SWT's module name differs per platform,
 * see {@link dev.apartment.swt.SwtPump}). SWT is a {@code provided} dependency: the application brings the SWT jar of
 * its platform.
 */
package dev.apartment.swt;
