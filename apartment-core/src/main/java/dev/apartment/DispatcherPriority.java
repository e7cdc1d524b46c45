package dev.apartment;

/**
 * The priority of a {@link DispatcherOperation}: WPF's levels with WPF's numeric values.
 *
 * <p>The dispatcher always runs the pending operation of the highest priority; within one priority it runs them
 * in posting order. {@link #INACTIVE} operations stay queued until their priority is raised or they are aborted;
 * {@link #INVALID} is rejected by every API.
 *
 * <table>
 *   <caption>Groups</caption>
 *   <tr><th>group</th><th>levels</th></tr>
 *   <tr><td>foreground</td><td>{@link #LOADED} .. {@link #SEND}: always run before toolkit input</td></tr>
 *   <tr><td>background</td><td>{@link #BACKGROUND}, {@link #INPUT}</td></tr>
 *   <tr><td>idle</td><td>{@link #SYSTEM_IDLE} .. {@link #CONTEXT_IDLE}</td></tr>
 * </table>
 */
public enum DispatcherPriority {
    /** Not a priority: every API that takes a priority rejects it with {@link IllegalArgumentException}. */
    INVALID(-1),
    /** Never runs: the operation waits in the queue until its priority is raised or it is aborted. */
    INACTIVE(0),
    /** Runs when the system is idle. */
    SYSTEM_IDLE(1),
    /** Runs when the application is idle. */
    APPLICATION_IDLE(2),
    /** Runs after background operations. */
    CONTEXT_IDLE(3),
    /** Runs after all other non-idle operations: the default for timers and for {@link Dispatcher#yield()}. */
    BACKGROUND(4),
    /** The priority of input. */
    INPUT(5),
    /** Runs after layout and render, before input: used for "loaded" notifications. */
    LOADED(6),
    /** The priority of rendering. */
    RENDER(7),
    /** The priority of data binding. */
    DATA_BIND(8),
    /** The default priority of posted operations. */
    NORMAL(9),
    /** The highest priority; {@link Dispatcher#invoke} on the owner thread at SEND runs inline. */
    SEND(10);

    private static final DispatcherPriority[] BY_VALUE = {
        INACTIVE, SYSTEM_IDLE, APPLICATION_IDLE, CONTEXT_IDLE, BACKGROUND, INPUT, LOADED, RENDER, DATA_BIND, NORMAL, SEND
    };

    private final int value;

    DispatcherPriority(int value) {
        this.value = value;
    }

    /** {@return WPF's numeric value: -1 for {@link #INVALID}, 0 for {@link #INACTIVE} up to 10 for {@link #SEND}} */
    public int value() {
        return value;
    }

    /**
     * {@return the priority with the given WPF value}
     *
     * @param value a WPF value, -1..10
     * @throws IllegalArgumentException if {@code value} is not in -1..10
     */
    public static DispatcherPriority fromValue(int value) {
        if (value == -1) {
            return INVALID;
        }
        if (value < 0 || value >= BY_VALUE.length) {
            throw new IllegalArgumentException("no DispatcherPriority has the value " + value + " (valid: -1..10)");
        }
        return BY_VALUE[value];
    }

    /** {@return true for {@link #LOADED} .. {@link #SEND}: these run before toolkit input} */
    public boolean isForeground() {
        return value >= LOADED.value;
    }

    /** {@return true for {@link #BACKGROUND} and {@link #INPUT}} */
    public boolean isBackground() {
        return value == BACKGROUND.value || value == INPUT.value;
    }

    /** {@return true for {@link #SYSTEM_IDLE} .. {@link #CONTEXT_IDLE}} */
    public boolean isIdle() {
        return value >= SYSTEM_IDLE.value && value <= CONTEXT_IDLE.value;
    }

    /**
     * Returns {@code priority} if it may be used to queue an operation.
     *
     * @throws NullPointerException     if {@code priority} is null
     * @throws IllegalArgumentException if {@code priority} is {@link #INVALID}
     */
    static DispatcherPriority checkValid(DispatcherPriority priority, String argument) {
        if (priority == null) {
            throw new NullPointerException(argument + " must not be null");
        }
        if (priority == INVALID) {
            throw new IllegalArgumentException(argument + " must not be DispatcherPriority.INVALID");
        }
        return priority;
    }
}
