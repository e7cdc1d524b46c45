/** A consumer of Apartment on the module path. */
module example.consumer {
    requires dev.apartment;
    requires dev.apartment.swing;
    requires java.desktop;
}
