package example.consumer;

import dev.apartment.Dispatcher;
import dev.apartment.swing.SwingPump;

import java.awt.EventQueue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Runs a dispatcher the way an application would, from the module path: every check that fails exits with status 1,
 * which fails the invoker build.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        // 1. Named modules, not the class path: this module, the core's and the Swing module's.
        check("example.consumer".equals(Main.class.getModule().getName()), "Main is in module example.consumer");
        check(Dispatcher.class.getModule().isNamed(), "Dispatcher is in a named module");
        check("dev.apartment".equals(Dispatcher.class.getModule().getName()), "Dispatcher's module is dev.apartment");
        check("dev.apartment.swing".equals(SwingPump.class.getModule().getName()),
                "SwingPump's module is dev.apartment.swing");

        // 2. A dispatcher thread of its own: invoke runs the work on it and returns its value.
        Dispatcher ui = Dispatcher.start("consumer-ui");
        Callable<Thread> whichThread = Thread::currentThread;
        Thread ranOn = ui.invoke(whichThread);
        int answer = ui.invoke(() -> 6 * 7);
        check(answer == 42, "invoke returned the work's value");
        check(ranOn == ui.thread(), "the work ran on the dispatcher thread (" + ranOn.getName() + ")");
        check(!ui.checkAccess(), "the main thread is not the dispatcher thread");
        ui.invokeShutdown();
        check(ui.awaitShutdown(Duration.ofSeconds(10)), "the dispatcher shut down");

        // 3. The dispatcher of the AWT event dispatch thread (headless: no window, the EDT still runs).
        Dispatcher edt = SwingPump.dispatcher();
        Callable<Boolean> onEdt = EventQueue::isDispatchThread;
        check(edt.invoke(onEdt), "SwingPump's work ran on the event dispatch thread");
        edt.invokeShutdown();
        check(edt.awaitShutdown(Duration.ofSeconds(10)), "the EDT dispatcher shut down");

        // 4. Each jar carries the licence it is distributed under.
        for (Module m : new Module[] {Dispatcher.class.getModule(), SwingPump.class.getModule()}) {
            check(startsWith(m, "META-INF/LICENSE", "Apache License"), m.getName() + " has META-INF/LICENSE");
            check(startsWith(m, "META-INF/NOTICE", "Apartment"), m.getName() + " has META-INF/NOTICE");
        }

        System.out.println("consumer: OK (module path, dispatcher " + ranOn.getName() + ", EDT dispatcher, licence)");
    }

    /** Whether {@code module}'s resource {@code name} exists and its text begins with {@code text} (blanks aside). */
    private static boolean startsWith(Module module, String name, String text) throws IOException {
        try (InputStream in = module.getResourceAsStream(name)) {
            return in != null && new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().startsWith(text);
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            System.err.println("consumer: FAILED: " + what);
            System.exit(1);
        }
        System.out.println("consumer: ok: " + what);
    }
}
