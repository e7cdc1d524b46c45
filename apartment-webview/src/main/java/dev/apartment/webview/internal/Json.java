package dev.apartment.webview.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one Jackson mapper of the module (thread-safe once configured) and the few idioms around it. */
public final class Json {
    /** Shared: an ObjectMapper is thread-safe for reading and writing once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** A new empty object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses {@code text}; the text came from the browser or the caller, so a failure is an argument error. */
    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The JSON text of {@code node}. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of our own never fails to serialize
        }
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String quote(String s) {
        return write(MAPPER.getNodeFactory().textNode(s));
    }
}
