package dev.apartment.webview.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the browser executable: an explicit path, then the system property, then the environment variable, then
 * the well-known names on the {@code PATH}. Stateless; any thread.
 */
public final class BrowserLocator {

    /** The executables looked for on the PATH, in this order; the first is the smallest and headless only. */
    static final List<String> PATH_NAMES = List.of("chromium-headless-shell", "chromium", "chromium-browser",
            "google-chrome");

    /** What to install; part of every "not found" message, and of the test extension's. */
    public static final String INSTALL_HINT = "install Chromium from the OS package manager, e.g. on Debian or "
            + "Ubuntu: apt-get install chromium-headless-shell (or: apt-get install chromium)";

    private BrowserLocator() {
    }

    /**
     * The executable to run.
     *
     * @param explicit      the path from the options, or null
     * @param property      the system property's value, or null
     * @param environment   the environment variable's value, or null
     * @throws IllegalStateException naming the package to install if nothing is found, or naming the setting that
     *                               points at a file that is not executable
     */
    public static Path locate(Path explicit, String property, String environment) {
        if (explicit != null) {
            return requireExecutable(explicit, "WebViewEnvironmentOptions.browserExecutable");
        }
        if (property != null && !property.isBlank()) {
            return requireExecutable(Path.of(property), "the system property apartment.webview.browser");
        }
        if (environment != null && !environment.isBlank()) {
            return requireExecutable(Path.of(environment), "the environment variable APARTMENT_WEBVIEW_BROWSER");
        }
        Path found = onPath(System.getenv("PATH"));
        if (found == null) {
            throw new IllegalStateException("no Chromium found: none of " + PATH_NAMES + " is on the PATH, and "
                    + "neither the options, the system property apartment.webview.browser nor the environment "
                    + "variable APARTMENT_WEBVIEW_BROWSER names one; " + INSTALL_HINT);
        }
        return found;
    }

    /** The executable found with the process's own settings, or null: for tests that decide whether to run. */
    public static Path locateOrNull() {
        try {
            return locate(null, System.getProperty("apartment.webview.browser"),
                    System.getenv("APARTMENT_WEBVIEW_BROWSER"));
        } catch (IllegalStateException e) {
            return null;
        }
    }

    static Path onPath(String path) {
        if (path == null) {
            return null;
        }
        for (String name : PATH_NAMES) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static Path requireExecutable(Path p, String setting) {
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw new IllegalStateException(setting + " names " + p + ", which is not an executable file; "
                    + INSTALL_HINT);
        }
        return p;
    }
}
