/**
 * Apartment on JavaFX: {@link dev.apartment.javafx.FxPump#dispatcher()} is the {@link dev.apartment.Dispatcher} of
 * the JavaFX application thread.
 */
package dev.apartment.javafx;
