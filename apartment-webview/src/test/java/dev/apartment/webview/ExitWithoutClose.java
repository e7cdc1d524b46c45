package dev.apartment.webview;

import dev.apartment.Dispatcher;

/**
 * A program for {@link WebViewJvmExitTest}: creates an environment, prints its browser's pid, and exits the JVM
 * without closing anything.
 */
public final class ExitWithoutClose {
    private ExitWithoutClose() {
    }

    public static void main(String[] args) {
        Dispatcher ui = Dispatcher.start("exit-without-close");
        long pid = ui.invoke(() -> WebViewEnvironment.create(WebViewEnvironmentOptions.defaults())
                .browserProcessId());
        System.out.println(pid);
        System.out.flush();
        System.exit(0);
    }
}
