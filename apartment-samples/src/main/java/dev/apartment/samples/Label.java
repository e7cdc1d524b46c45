package dev.apartment.samples;

import dev.apartment.DispatcherObject;

/**
 * A text label, the smallest thread-affine widget: it belongs to the dispatcher of the thread that created it, and
 * every method starts with {@link #verifyAccess()}, as every method of a WPF element does.
 *
 * <p>There is deliberately no locking and no {@code volatile} here: the owner thread is the only one that may read
 * or write the text, and the access check is what turns a forgotten hop onto that thread into an exception
 * instead of a data race.
 */
final class Label extends DispatcherObject {
    private String text;

    Label(String text) {
        this.text = text;
    }

    String text() {
        verifyAccess();
        return text;
    }

    void setText(String text) {
        verifyAccess();
        this.text = text;
    }
}
