package dev.apartment.samples.window;

import java.awt.AWTEvent;
import java.awt.EventQueue;
import java.awt.Toolkit;
import java.awt.event.InvocationEvent;

/**
 * A WORKAROUND for a starvation bug in apartment-swing 0.1.0 (reported, not fixed here): {@code SwingPump.input()}
 * counts the pump's own queued signal and timer events as pending toolkit input, and {@code Dispatcher} clears its
 * "signal pending" flag on every pump turn, timer turns included. Once a timer turn runs while a signal is queued,
 * two signal events ping-pong in the {@link EventQueue}, each turn sees the other one, reports input pending and
 * signals again, and nothing below {@code LOADED} ever runs again: idle work, BACKGROUND timers, SYSTEM_IDLE
 * invokes. It happens within a second of showing a window with a timer.
 *
 * <p>Pushed on top of the system event queue, this queue hides the pump's own events from {@link #peekEvent()}
 * (the only method the pump's gate calls), so the gate sees real input only. It recognizes them by the class of
 * their runnable, as {@link InvocationEvent#paramString()} prints it: brittle, and to be deleted with the fix.
 */
final class SignalAwareEventQueue extends EventQueue {
    private static boolean installed;

    /** Pushes the queue once. Any thread. */
    static synchronized void install() {
        if (!installed) {
            installed = true;
            Toolkit.getDefaultToolkit().getSystemEventQueue().push(new SignalAwareEventQueue());
        }
    }

    @Override
    public AWTEvent peekEvent() {
        AWTEvent e = super.peekEvent();
        if (e instanceof InvocationEvent && e.paramString().contains("dev.apartment.swing.SwingPump$$Lambda")) {
            return null;
        }
        return e;
    }
}
