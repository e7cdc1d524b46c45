/**
 * Apartment on JavaFX: {@link dev.apartment.javafx.FxPump} binds a {@link dev.apartment.Dispatcher} to the JavaFX
 * application thread.
 */
module dev.apartment.javafx {
    requires transitive dev.apartment;
    requires javafx.graphics;

    exports dev.apartment.javafx;
}
