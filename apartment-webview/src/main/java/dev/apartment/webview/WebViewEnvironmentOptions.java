package dev.apartment.webview;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link WebViewEnvironment} starts its browser: WebView2's {@code CoreWebView2EnvironmentOptions} plus the
 * browser executable and user data folder that WebView2 takes as separate arguments. Immutable; build one with
 * {@link #builder()}, or use {@link #defaults()}.
 *
 * <pre>{@code
 * WebViewEnvironmentOptions options = WebViewEnvironmentOptions.builder()
 *         .browserExecutable(Path.of("/usr/bin/chromium"))
 *         .additionalBrowserArguments("--lang=de")
 *         .build();
 * }</pre>
 *
 * <p>Where the browser comes from, first match wins: {@link Builder#browserExecutable(Path)}; the system property
 * {@value #BROWSER_PROPERTY}; the environment variable {@value #BROWSER_ENVIRONMENT_VARIABLE}; the first of
 * {@code chromium-headless-shell}, {@code chromium}, {@code chromium-browser}, {@code google-chrome} on the
 * {@code PATH}. Nothing is ever downloaded. Thread-safe (immutable).
 */
public final class WebViewEnvironmentOptions {

    /** The system property naming the browser executable when the options name none. */
    public static final String BROWSER_PROPERTY = "apartment.webview.browser";
    /** The environment variable naming the browser executable when neither the options nor the property do. */
    public static final String BROWSER_ENVIRONMENT_VARIABLE = "APARTMENT_WEBVIEW_BROWSER";

    private static final WebViewEnvironmentOptions DEFAULTS = builder().build();

    private final Path browserExecutable;
    private final Path userDataFolder;
    private final List<String> additionalBrowserArguments;
    private final boolean headless;

    private WebViewEnvironmentOptions(Builder b) {
        this.browserExecutable = b.browserExecutable;
        this.userDataFolder = b.userDataFolder;
        this.additionalBrowserArguments = List.copyOf(b.additionalBrowserArguments);
        this.headless = b.headless;
    }

    /** {@return the options with every default: browser found as described above, temporary profile, headless} */
    public static WebViewEnvironmentOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder with every default} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the browser executable named explicitly, or null to look it up} */
    public Path browserExecutable() {
        return browserExecutable;
    }

    /**
     * {@return the user data folder (the browser profile: cookies, cache), or null for a temporary one that is created
     * when the environment starts and deleted when its browser has exited} A folder given here is kept.
     */
    public Path userDataFolder() {
        return userDataFolder;
    }

    /** {@return extra command-line arguments for the browser, after the ones the environment needs} */
    public List<String> additionalBrowserArguments() {
        return additionalBrowserArguments;
    }

    /**
     * {@return true (the default) to run the browser without windows of its own: the pages render off screen, and the
     * host shows them however it likes ({@link WebView#capturePreviewAsync})} {@code chromium-headless-shell} is
     * headless whatever this says.
     */
    public boolean headless() {
        return headless;
    }

    @Override
    public String toString() {
        return "WebViewEnvironmentOptions[browserExecutable=" + browserExecutable + ", userDataFolder="
                + userDataFolder + ", additionalBrowserArguments=" + additionalBrowserArguments + ", headless="
                + headless + "]";
    }

    /** Builds {@link WebViewEnvironmentOptions}. Not thread-safe; one builder per thread. */
    public static final class Builder {
        private Path browserExecutable;
        private Path userDataFolder;
        private final List<String> additionalBrowserArguments = new ArrayList<>();
        private boolean headless = true;

        private Builder() {
        }

        /**
         * Runs this executable instead of looking one up.
         *
         * @param executable the browser's executable (Chromium or {@code chromium-headless-shell})
         * @return this builder
         */
        public Builder browserExecutable(Path executable) {
            this.browserExecutable = Objects.requireNonNull(executable, "executable");
            return this;
        }

        /**
         * Keeps the profile in {@code folder} (created if missing, never deleted) instead of a temporary one.
         *
         * @param folder the user data folder
         * @return this builder
         */
        public Builder userDataFolder(Path folder) {
            this.userDataFolder = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /**
         * Appends browser command-line arguments.
         *
         * @param arguments the arguments, in order
         * @return this builder
         */
        public Builder additionalBrowserArguments(String... arguments) {
            Objects.requireNonNull(arguments, "arguments");
            for (int i = 0; i < arguments.length; i++) {
                additionalBrowserArguments.add(Objects.requireNonNull(arguments[i], "arguments[" + i + "]"));
            }
            return this;
        }

        /**
         * Whether the browser runs without windows of its own (default true); see
         * {@link WebViewEnvironmentOptions#headless()}.
         *
         * @param headless true for no windows of its own
         * @return this builder
         */
        public Builder headless(boolean headless) {
            this.headless = headless;
            return this;
        }

        /** {@return the options} */
        public WebViewEnvironmentOptions build() {
            return new WebViewEnvironmentOptions(this);
        }
    }
}
