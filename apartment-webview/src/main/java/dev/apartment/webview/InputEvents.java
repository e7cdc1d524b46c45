package dev.apartment.webview;

import dev.apartment.webview.internal.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * The DevTools form of the input a host forwards with {@link WebViewController#sendMouseInput} and
 * {@link WebViewController#sendKeyInput}: {@code Input.dispatchMouseEvent} and {@code Input.dispatchKeyEvent}
 * parameters. One per controller, owner thread only (it remembers the click count of the last press, so that the
 * release of a double click is a double click's release).
 */
final class InputEvents {
    private int clickCount = 1;

    /** {@code Input.dispatchMouseEvent}'s parameters for one mouse event, in the page's CSS pixels. */
    ObjectNode mouse(WebViewMouseEventKind kind, Set<WebViewMouseEventVirtualKeys> keys, int mouseData, int x, int y) {
        String type;
        String button = "none";
        switch (kind) {
            case LEFT_BUTTON_DOWN:
            case LEFT_BUTTON_DOUBLE_CLICK:
            case RIGHT_BUTTON_DOWN:
            case MIDDLE_BUTTON_DOWN:
                type = "mousePressed";
                clickCount = kind == WebViewMouseEventKind.LEFT_BUTTON_DOUBLE_CLICK ? 2 : 1;
                button = kind == WebViewMouseEventKind.RIGHT_BUTTON_DOWN ? "right"
                        : kind == WebViewMouseEventKind.MIDDLE_BUTTON_DOWN ? "middle" : "left";
                break;
            case LEFT_BUTTON_UP:
            case RIGHT_BUTTON_UP:
            case MIDDLE_BUTTON_UP:
                type = "mouseReleased";
                button = kind == WebViewMouseEventKind.RIGHT_BUTTON_UP ? "right"
                        : kind == WebViewMouseEventKind.MIDDLE_BUTTON_UP ? "middle" : "left";
                break;
            case WHEEL:
            case HORIZONTAL_WHEEL:
                type = "mouseWheel";
                break;
            case LEAVE:
                type = "mouseMoved";
                x = -1; // the protocol has no "leave": a move out of the page has the same effect on hover state
                y = -1;
                break;
            default:
                type = "mouseMoved";
                break;
        }
        ObjectNode p = Json.object().put("type", type).put("x", x).put("y", y).put("button", button)
                .put("buttons", buttons(keys)).put("modifiers", modifiers(keys));
        if (type.equals("mousePressed") || type.equals("mouseReleased")) {
            p.put("clickCount", clickCount);
        }
        if (kind == WebViewMouseEventKind.WHEEL) {
            p.put("deltaX", 0).put("deltaY", -mouseData); // WebView2: positive is away from the user, i.e. up
        } else if (kind == WebViewMouseEventKind.HORIZONTAL_WHEEL) {
            p.put("deltaX", mouseData).put("deltaY", 0);
        }
        return p;
    }

    /** {@code Input.dispatchKeyEvent}'s parameters for one key event. */
    static ObjectNode key(WebViewKeyEventKind kind, int virtualKeyCode, String text) {
        String name = keyName(virtualKeyCode, text);
        ObjectNode p = Json.object().put("windowsVirtualKeyCode", virtualKeyCode).put("key", name);
        if (kind == WebViewKeyEventKind.KEY_UP) {
            return p.put("type", "keyUp");
        }
        if (text.isEmpty()) {
            return p.put("type", "rawKeyDown");
        }
        return p.put("type", "keyDown").put("text", text).put("unmodifiedText", text);
    }

    /** The DOM {@code KeyboardEvent.key} of a Windows virtual key code, or the text it types. */
    static String keyName(int vk, String text) {
        switch (vk) {
            case 8: return "Backspace";
            case 9: return "Tab";
            case 13: return "Enter";
            case 16: return "Shift";
            case 17: return "Control";
            case 18: return "Alt";
            case 27: return "Escape";
            case 33: return "PageUp";
            case 34: return "PageDown";
            case 35: return "End";
            case 36: return "Home";
            case 37: return "ArrowLeft";
            case 38: return "ArrowUp";
            case 39: return "ArrowRight";
            case 40: return "ArrowDown";
            case 46: return "Delete";
            default: return text.isEmpty() ? "Unidentified" : text;
        }
    }

    private static int buttons(Set<WebViewMouseEventVirtualKeys> keys) {
        return (keys.contains(WebViewMouseEventVirtualKeys.LEFT_BUTTON) ? 1 : 0)
                | (keys.contains(WebViewMouseEventVirtualKeys.RIGHT_BUTTON) ? 2 : 0)
                | (keys.contains(WebViewMouseEventVirtualKeys.MIDDLE_BUTTON) ? 4 : 0);
    }

    private static int modifiers(Set<WebViewMouseEventVirtualKeys> keys) {
        return (keys.contains(WebViewMouseEventVirtualKeys.CONTROL) ? 2 : 0)
                | (keys.contains(WebViewMouseEventVirtualKeys.SHIFT) ? 8 : 0);
    }
}
