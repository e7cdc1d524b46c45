package dev.apartment.samples;

import dev.apartment.DispatcherObject;

/**
 * A push button that can be disabled while the work it started is in flight. Thread-affine like {@link Label}: only
 * its owner thread may touch it.
 */
final class Button extends DispatcherObject {
    private String content;
    private boolean enabled = true;

    Button(String content) {
        this.content = content;
    }

    String content() {
        verifyAccess();
        return content;
    }

    void setContent(String content) {
        verifyAccess();
        this.content = content;
    }

    boolean isEnabled() {
        verifyAccess();
        return enabled;
    }

    void setEnabled(boolean enabled) {
        verifyAccess();
        this.enabled = enabled;
    }
}
