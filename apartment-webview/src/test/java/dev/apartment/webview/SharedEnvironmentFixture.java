package dev.apartment.webview;

import dev.apartment.Dispatcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;

/**
 * The set-up of the web view test classes that share one browser: one environment per test class, created on a
 * dispatcher thread of its own ({@code ui}), and a fresh controller per test ({@code controller}, {@code web}); after
 * each test every controller of the environment is closed (new windows included), after the class the environment
 * and the dispatcher. A subclass's own {@code @BeforeEach} runs after this one's, its {@code @AfterAll} before.
 * Test classes run one after the other (no parallel execution is configured), so the static fields belong to the
 * class running now.
 */
abstract class SharedEnvironmentFixture {

    static Dispatcher ui;
    static WebViewEnvironment env;
    WebViewController controller;
    WebView web;

    @BeforeAll
    static void startEnvironment(TestInfo info) {
        ui = Dispatcher.start("webview-" + info.getTestClass().map(Class::getSimpleName).orElse("test"));
        env = ui.invoke(() -> WebViewEnvironment.create(WebViewEnvironmentOptions.defaults()));
    }

    @AfterAll
    static void stopEnvironment() throws InterruptedException {
        ui.invoke(() -> env.close());
        ui.invokeShutdown();
        ui.awaitShutdown(Duration.ofSeconds(20));
    }

    @BeforeEach
    void newController() {
        controller = ui.invoke(() -> env.createController());
        web = ui.invoke(() -> controller.webView());
    }

    @AfterEach
    void closeControllers() {
        ui.invoke(() -> {
            for (WebViewController c : env.controllers()) {
                c.close();
            }
        });
    }
}
