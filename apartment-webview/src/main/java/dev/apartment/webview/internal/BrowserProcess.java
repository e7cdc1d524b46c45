package dev.apartment.webview.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Chromium child process: started with {@code --remote-debugging-port=0}, its DevTools WebSocket address read
 * from its stderr, its profile in a temporary folder unless one was given, ended by {@link #terminate()}.
 *
 * <p>Threads: {@link #start} runs on a thread of its own ({@code apartment-webview-browser-N}) that launches the
 * process, completes {@link #devToolsUri()} when the address line appears, and then keeps draining stderr (a full
 * pipe would stall the browser) until the process closes it, remembering the last lines for error messages. That
 * thread never runs user code and ends with the process. {@link #terminate()} may be called from any thread, any
 * number of times; it kills the process tree and blocks until the browser has exited (bounded) and the temporary
 * profile is gone.
 *
 * <p>Lifetime: every live process is in {@link #LIVE}, which one JVM shutdown hook ends, so a browser never
 * outlives the JVM that started it even when nobody closed its environment.
 */
public final class BrowserProcess {

    private static final Set<BrowserProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;
    private static int threadNumber;
    private static final int STDERR_TAIL_LINES = 20;
    private static final String LISTENING = "DevTools listening on ";

    private final Process process;
    private final Path userDataFolder;
    private final boolean temporaryProfile;
    private final CompletableFuture<URI> devToolsUri = new CompletableFuture<>();
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>(); // guarded by itself
    /** Children seen while the browser lived: once it dies they are re-parented and no longer its descendants. */
    private final Set<ProcessHandle> knownChildren = ConcurrentHashMap.newKeySet();
    /** The listening browser's pid (see {@link #pid()}); written by the stderr thread before the URI completes. */
    private volatile long browserPid;

    private BrowserProcess(Process process, Path userDataFolder, boolean temporaryProfile) {
        this.process = process;
        this.userDataFolder = userDataFolder;
        this.temporaryProfile = temporaryProfile;
    }

    /** The profile folder: the given one, or the temporary one that {@link #terminate()} deletes. */
    public Path userDataFolder() {
        return userDataFolder;
    }

    /** The command line for {@code executable}: what every environment needs, then {@code extra}. */
    static List<String> commandLine(Path executable, Path userDataFolder, boolean headless, List<String> extra) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.add("--remote-debugging-port=0");
        cmd.add("--user-data-dir=" + userDataFolder);
        // The machine may reach nothing but loopback: everything that phones home would fail loudly or stall.
        cmd.addAll(List.of("--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-gpu",
                "--disable-extensions", "--disable-breakpad", "--mute-audio", "--password-store=basic",
                "--use-mock-keychain", "--disable-features=Translate,MediaRouter,OptimizationHints"));
        if (headless && !executable.getFileName().toString().contains("headless-shell")) {
            cmd.add("--headless");
        }
        if (isRoot()) {
            cmd.add("--no-sandbox"); // Chromium refuses to start its sandbox as root
        }
        cmd.addAll(extra);
        cmd.add("about:blank");
        return cmd;
    }

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer && (Integer) uid == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * Starts the browser on a new thread and returns at once; {@link #devToolsUri()} completes when it listens, or
     * fails if it exits or stays silent for {@code startupTimeoutMillis}.
     */
    public static CompletableFuture<BrowserProcess> start(Path executable, Path userDataFolder, boolean headless,
                                                         List<String> extra, long startupTimeoutMillis) {
        CompletableFuture<BrowserProcess> started = new CompletableFuture<>();
        int n;
        synchronized (BrowserProcess.class) {
            n = ++threadNumber;
        }
        Thread t = new Thread(() -> launchAndDrain(executable, userDataFolder, headless, extra, started),
                "apartment-webview-browser-" + n);
        t.setDaemon(true);
        t.start();
        return started.thenCompose(bp -> bp.devToolsUri
                .orTimeout(startupTimeoutMillis, TimeUnit.MILLISECONDS)
                .handle((uri, e) -> {
                    if (e != null) {
                        bp.terminate();
                        Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                        throw new java.util.concurrent.CompletionException(new IllegalStateException(
                                "the browser " + executable + " did not report its DevTools address ("
                                        + (cause instanceof TimeoutException ? "timed out after "
                                        + startupTimeoutMillis + " ms" : cause.getMessage()) + "); its last "
                                        + "output:\n" + bp.stderrTail(), cause));
                    }
                    return bp;
                }));
    }

    private static void launchAndDrain(Path executable, Path folder, boolean headless, List<String> extra,
                                       CompletableFuture<BrowserProcess> started) {
        BrowserProcess bp;
        try {
            boolean temporary = folder == null;
            Path profile = temporary ? Files.createTempDirectory("apartment-webview-") : folder;
            if (!temporary) {
                Files.createDirectories(profile);
            }
            ProcessBuilder pb = new ProcessBuilder(commandLine(executable, profile, headless, extra));
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                if (temporary) {
                    deleteTree(profile);
                }
                throw e;
            }
            p.getOutputStream().close();
            bp = new BrowserProcess(p, profile, temporary);
            installHook();
            LIVE.add(bp);
        } catch (IOException | RuntimeException e) {
            started.completeExceptionally(new IllegalStateException("could not start the browser " + executable
                    + ": " + e.getMessage(), e));
            return;
        }
        started.complete(bp);
        bp.drain();
    }

    private void drain() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!devToolsUri.isDone()) {
                    int i = line.indexOf(LISTENING);
                    if (i >= 0) {
                        browserPid = findBrowserPid(); // before anyone can ask: the URI is not out yet
                        devToolsUri.complete(URI.create(line.substring(i + LISTENING.length()).trim()));
                        rememberChildren();
                        continue;
                    }
                }
                synchronized (stderrTail) {
                    if (stderrTail.size() == STDERR_TAIL_LINES) {
                        stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line);
                }
            }
        } catch (IOException e) {
            // the stream closed under us: the process is gone; the exit below tells the rest
        }
        if (!devToolsUri.isDone()) {
            devToolsUri.completeExceptionally(new IllegalStateException("the browser closed its output"
                    + (process.isAlive() ? "" : " and exited with status " + process.exitValue())));
        }
    }

    /** The DevTools browser endpoint, {@code ws://127.0.0.1:PORT/devtools/browser/ID}. */
    public CompletableFuture<URI> devToolsUri() {
        return devToolsUri;
    }

    /**
     * The browser's process id. Distributions often install a shell script that starts the real binary as its
     * child and waits for it ({@code /usr/bin/chromium-headless-shell} on Debian), so this is the child that listens
     * for DevTools if there is one, else the process started.
     */
    public long pid() {
        long p = browserPid;
        return p != 0 ? p : process.pid();
    }

    private long findBrowserPid() {
        return process.children()
                .filter(c -> c.info().arguments().map(a -> java.util.Arrays.asList(a).contains(
                        "--remote-debugging-port=0")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(process.pid());
    }

    /** Completes when the browser process has exited, on a JDK thread. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** The browser's last lines on stderr, for error messages. Any thread. */
    public String stderrTail() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    /**
     * Notes the browser's current descendants, so {@link #terminate()} can end them even after the browser died
     * (its children are then re-parented and no longer found through it). Called when the browser listens and after
     * every new page, whose renderer is a new child. Any thread.
     */
    public void rememberChildren() {
        if (process.isAlive()) {
            process.descendants().forEach(knownChildren::add);
        }
    }

    /**
     * Ends the process tree at once (SIGKILL to the browser and every child it had) and deletes the temporary
     * profile. A profile that is kept should be flushed first: ask the browser to close ({@code Browser.close})
     * and {@link #awaitExit} before calling this. Returns once every process of the tree has exited (bounded, 5 s in
     * all): a caller that looks up the browser's pid right afterwards finds it gone. Idempotent; any thread.
     */
    public void terminate() {
        rememberChildren();
        List<ProcessHandle> tree = new ArrayList<>(knownChildren);
        process.descendants().forEach(tree::add);
        process.destroyForcibly();
        for (ProcessHandle child : tree) {
            child.destroyForcibly();
        }
        // The whole tree, not only the process we started: Debian's launcher is a script whose child is the real
        // browser, and a caller that checks the browser's pid right after close() must find it gone.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        awaitExit(process.toHandle(), 5000);
        for (ProcessHandle child : tree) {
            long left = TimeUnit.NANOSECONDS.toMillis(giveUp - System.nanoTime());
            if (left <= 0) {
                break;
            }
            awaitExit(child, left);
        }
        LIVE.remove(this);
        if (temporaryProfile) {
            deleteTree(userDataFolder);
        }
    }

    /** Waits up to {@code millis} for the browser to exit on its own; true if it did. Any thread. */
    public boolean awaitExit(long millis) {
        return awaitExit(process.toHandle(), millis);
    }

    /** True if the profile is a temporary one, deleted by {@link #terminate()}: nothing in it needs flushing. */
    public boolean hasTemporaryProfile() {
        return temporaryProfile;
    }

    private static boolean awaitExit(ProcessHandle h, long millis) {
        try {
            h.onExit().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !h.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !h.isAlive();
        }
    }

    private static void installHook() {
        if (hookInstalled) {
            return;
        }
        synchronized (BrowserProcess.class) {
            if (hookInstalled) {
                return;
            }
            Thread hook = new Thread(() -> {
                for (BrowserProcess bp : LIVE) {
                    bp.process.descendants().forEach(ProcessHandle::destroyForcibly);
                    bp.process.destroyForcibly();
                    bp.knownChildren.forEach(ProcessHandle::destroyForcibly);
                }
            }, "apartment-webview-exit");
            Runtime.getRuntime().addShutdownHook(hook);
            hookInstalled = true;
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temporary folder the OS cleans anyway; never fail a close for it
        }
    }

    @Override
    public String toString() {
        return "BrowserProcess[pid " + process.pid() + "]";
    }
}
