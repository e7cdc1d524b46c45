package dev.apartment.webview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.Dispatcher;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A JVM that exits without closing its environment takes the browser with it (the shutdown hook). */
@RequiresChromium
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebViewJvmExitTest {

    @Test
    void theBrowserDoesNotOutliveTheJvm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = String.join(File.pathSeparator,
                Path.of("target", "test-classes").toAbsolutePath().toString(),
                location(WebViewEnvironment.class), location(Dispatcher.class), location(ObjectMapper.class),
                location(com.fasterxml.jackson.core.JsonFactory.class),
                location(com.fasterxml.jackson.annotation.JsonProperty.class));
        Process child = new ProcessBuilder(List.of(java, "-cp", classPath, ExitWithoutClose.class.getName()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long browserPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            browserPid = Long.parseLong(out.readLine().trim());
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        ProcessHandle browser = ProcessHandle.of(browserPid).orElse(null);
        if (browser != null) {
            try {
                browser.onExit().get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                browser.descendants().forEach(ProcessHandle::destroyForcibly); // do not leave it running
                browser.destroyForcibly();
                throw new AssertionError("the browser (pid " + browserPid + ") outlived the JVM that started it");
            }
        }
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
