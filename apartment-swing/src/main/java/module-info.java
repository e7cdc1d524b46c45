/**
 * Apartment on Swing: a {@link dev.apartment.Dispatcher} hosted on the AWT event dispatch thread
 * ({@link dev.apartment.swing.SwingPump}).
 */
module dev.apartment.swing {
    requires transitive dev.apartment;
    requires java.desktop;

    exports dev.apartment.swing;
}
