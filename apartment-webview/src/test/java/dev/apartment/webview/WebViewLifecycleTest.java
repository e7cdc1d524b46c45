package dev.apartment.webview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apartment.Dispatcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Lifetimes: a killed browser, many environments in a row, the owner's shutdown. Nothing may be left behind. */
@RequiresChromium
@Timeout(value = 100, unit = TimeUnit.SECONDS)
class WebViewLifecycleTest {

    private final Dispatcher ui = Dispatcher.start("webview-lifecycle");

    @AfterEach
    void shutDown() throws InterruptedException {
        ui.invokeShutdown();
        assertThat(ui.awaitShutdown(Duration.ofSeconds(20))).isTrue();
    }

    @Test
    void killingTheBrowserRaisesProcessFailedOnceAndFailsEveryPendingFuture() throws Exception {
        AtomicInteger environmentEvents = new AtomicInteger();
        CompletableFuture<ProcessFailedEventArgs> failed = new CompletableFuture<>();
        CompletableFuture<ProcessFailedEventArgs> webViewFailed = new CompletableFuture<>();
        record Setup(WebViewEnvironment env, WebView web, CompletableFuture<String> pending,
                     List<ProcessHandle> tree) {
        }
        Setup s = ui.invoke(() -> {
            WebViewEnvironment env = WebViewEnvironment.create(WebViewEnvironmentOptions.defaults());
            WebView web = env.createController().webView();
            env.processFailed().addHandler(a -> {
                environmentEvents.incrementAndGet();
                failed.complete(a);
            });
            web.processFailed().addHandler(webViewFailed::complete);
            CompletableFuture<String> pending = web.executeScriptAsync("new Promise(() => {})");
            ProcessHandle browser = ProcessHandle.of(env.browserProcessId()).orElseThrow();
            List<ProcessHandle> tree = Stream.concat(Stream.of(browser), browser.descendants())
                    .collect(Collectors.toList());
            return new Setup(env, web, pending, tree);
        });
        s.tree.get(0).destroyForcibly(); // kill -9

        ProcessFailedEventArgs args = failed.get(30, TimeUnit.SECONDS);
        assertThat(args.processFailedKind()).isEqualTo(ProcessFailedKind.BROWSER_PROCESS_EXITED);
        assertThat(webViewFailed.get(10, TimeUnit.SECONDS).processFailedKind())
                .isEqualTo(ProcessFailedKind.BROWSER_PROCESS_EXITED);
        assertThatThrownBy(() -> s.pending.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebViewProcessFailedException.class);
        ui.invoke(() -> {
            assertThatThrownBy(() -> s.web.executeScriptAsync("1")).isInstanceOf(WebViewProcessFailedException.class);
            assertThatThrownBy(() -> s.env.createController()).isInstanceOf(WebViewProcessFailedException.class);
            assertThatThrownBy(() -> s.web.navigate("about:blank"))
                    .isInstanceOf(WebViewProcessFailedException.class);
        });
        // One more round trip through the queue: no second raise was waiting behind the first.
        ui.invoke(() -> { });
        assertThat(environmentEvents).hasValue(1);
        for (ProcessHandle p : s.tree) {
            p.onExit().get(20, TimeUnit.SECONDS);
        }
        ui.invoke(() -> s.env.close()); // still allowed, and a no-op for the process
    }

    @Test
    void twentyEnvironmentsCreatedAndClosedLeaveNoProcessThreadOrFileBehind() throws Exception {
        // Warm up the shared parts (the HTTP client's selector, the I/O pool, class loading) first.
        ui.invoke(() -> WebViewEnvironment.create(WebViewEnvironmentOptions.defaults()).close());
        awaitBrowserThreadsGone();
        long processesBefore = ProcessHandle.current().descendants().count();
        int fdsBefore = openFileDescriptors();
        int threadsBefore = Thread.activeCount();

        for (int i = 0; i < 20; i++) {
            String v = ui.invoke(() -> {
                WebViewEnvironment env = WebViewEnvironment.create(WebViewEnvironmentOptions.defaults());
                try {
                    return env.createController().webView().executeScript("'alive'");
                } finally {
                    env.close();
                }
            });
            assertThat(v).isEqualTo("\"alive\"");
            assertThat(ProcessHandle.current().descendants().count()).as("processes after close %d", i)
                    .isEqualTo(processesBefore);
        }
        awaitBrowserThreadsGone();
        assertThat(ProcessHandle.current().descendants().count()).isEqualTo(processesBefore);
        assertThat(openFileDescriptors()).as("open file descriptors").isLessThanOrEqualTo(fdsBefore + 2);
        assertThat(Thread.activeCount()).as("threads").isLessThanOrEqualTo(threadsBefore + 2);
        assertThat(browserThreads()).isEmpty();
    }

    @Test
    void theOwnersShutdownClosesTheEnvironment() throws Exception {
        Dispatcher other = Dispatcher.start("webview-short-lived");
        long pid = other.invoke(() -> WebViewEnvironment.create(WebViewEnvironmentOptions.defaults())
                .browserProcessId());
        ProcessHandle browser = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> tree = Stream.concat(Stream.of(browser), browser.descendants()).collect(
                Collectors.toList());
        other.invokeShutdown();
        assertThat(other.awaitShutdown(Duration.ofSeconds(20))).isTrue();
        for (ProcessHandle p : tree) {
            p.onExit().get(20, TimeUnit.SECONDS);
        }
        assertThat(browser.isAlive()).isFalse();
    }

    @Test
    void aTemporaryProfileIsDeletedAndAGivenOneKept() throws Exception {
        Path given = Files.createTempDirectory("webview-profile-test");
        try {
            ui.invoke(() -> {
                WebViewEnvironment env = WebViewEnvironment.create(WebViewEnvironmentOptions.builder()
                        .userDataFolder(given).build());
                assertThat(env.userDataFolder()).isEqualTo(given);
                env.close();
            });
            assertThat(given).isDirectory();
            try (Stream<Path> files = Files.list(given)) {
                assertThat(files.count()).as("the browser wrote its profile there").isPositive();
            }
        } finally {
            try (Stream<Path> walk = Files.walk(given)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Path temporary = ui.invoke(() -> {
            WebViewEnvironment env = WebViewEnvironment.create(WebViewEnvironmentOptions.defaults());
            Path folder = env.userDataFolder();
            assertThat(folder).as("a temporary profile while it runs").isDirectory()
                    .hasParent(Path.of(System.getProperty("java.io.tmpdir")));
            env.close();
            return folder;
        });
        assertThat(temporary).as("deleted by close()").doesNotExist();
    }

    private static int openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        }
    }

    private static List<Thread> browserThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("apartment-webview-browser")
                        || t.getName().startsWith("apartment-webview-reaper"))
                .collect(Collectors.toList());
    }

    /** The stderr drainers end when the browser closes its stderr, just after it exited: join them. */
    private static void awaitBrowserThreadsGone() throws InterruptedException {
        for (Thread t : browserThreads()) {
            t.join(10_000);
        }
    }
}
