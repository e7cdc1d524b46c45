package dev.apartment.webview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apartment.webview.internal.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The order a forwarded input keeps against the page commands sent after it, with a recording connection whose
 * answers the test gives: a page command is written only once every earlier input is answered, held commands are
 * written in the order they were sent, and input is never held. (On a real browser the unordered case showed as a
 * script that ran before the keys sent ahead of it.)
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InputOrderTest {

    private final InputOrder order = new InputOrder();
    private final List<String> written = new ArrayList<>();
    private final Map<String, CompletableFuture<JsonNode>> answers = new LinkedHashMap<>();

    private CompletableFuture<JsonNode> write(String method, ObjectNode params) {
        String name = method + " " + params.path("n").asText();
        written.add(name);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        answers.put(name, answer);
        return answer;
    }

    private CompletableFuture<JsonNode> input(String n) {
        return order.input(write("Input.dispatchKeyEvent", Json.object().put("n", n)));
    }

    private CompletableFuture<JsonNode> page(String n) {
        return order.pageCommand("Runtime.evaluate", Json.object().put("n", n), this::write);
    }

    private void answer(String name) {
        answers.get(name).complete(Json.object().put("answered", name));
    }

    @Test
    void withNoInputUnansweredAPageCommandIsWrittenAtOnce() {
        CompletableFuture<JsonNode> script = page("1");
        assertThat(written).containsExactly("Runtime.evaluate 1");
        answer("Runtime.evaluate 1");
        assertThat(script.join().path("answered").asText()).isEqualTo("Runtime.evaluate 1");
    }

    @Test
    void aPageCommandWaitsForEveryEarlierInputAndHeldCommandsKeepTheirOrder() {
        input("a");
        input("b");
        CompletableFuture<JsonNode> first = page("1");
        input("c"); // input is never held back
        CompletableFuture<JsonNode> second = page("2");
        assertThat(written).containsExactly("Input.dispatchKeyEvent a", "Input.dispatchKeyEvent b",
                "Input.dispatchKeyEvent c");

        answer("Input.dispatchKeyEvent b");
        answer("Input.dispatchKeyEvent a");
        assertThat(written).as("the first script waited for a and b only").containsExactly(
                "Input.dispatchKeyEvent a", "Input.dispatchKeyEvent b", "Input.dispatchKeyEvent c",
                "Runtime.evaluate 1");
        answer("Input.dispatchKeyEvent c");
        assertThat(written).endsWith("Runtime.evaluate 1", "Runtime.evaluate 2");

        answer("Runtime.evaluate 2");
        answer("Runtime.evaluate 1");
        assertThat(first.join().path("answered").asText()).isEqualTo("Runtime.evaluate 1");
        assertThat(second.join().path("answered").asText()).isEqualTo("Runtime.evaluate 2");
    }

    @Test
    void aFailedInputDoesNotHoldLaterCommandsAndTheirFailureReachesTheCaller() {
        input("a");
        CompletableFuture<JsonNode> script = page("1");
        answers.get("Input.dispatchKeyEvent a").completeExceptionally(new IllegalStateException("no such target"));
        assertThat(written).endsWith("Runtime.evaluate 1");
        answers.get("Runtime.evaluate 1").completeExceptionally(new IllegalStateException("page gone"));
        assertThat(script).isCompletedExceptionally();
        assertThat(script.handle((r, e) -> e.getMessage()).join()).contains("page gone");
    }

    @Test
    void onceEverythingIsAnsweredCommandsGoOutAtOnceAgain() {
        input("a");
        page("1");
        answer("Input.dispatchKeyEvent a");
        answer("Runtime.evaluate 1");
        page("2");
        assertThat(written).endsWith("Runtime.evaluate 2");
    }
}
