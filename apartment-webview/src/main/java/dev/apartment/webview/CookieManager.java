package dev.apartment.webview;

import dev.apartment.WaitPolicy;
import dev.apartment.webview.internal.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The cookies of a web view's profile (shared by every page of the environment): WebView2's
 * {@code CoreWebView2CookieManager}. Owner thread only, like its {@link WebView}. Its calls are carried out one
 * after the other in the order they are made, so a {@link #getCookiesAsync} after an {@link #addOrUpdateCookie}
 * sees the cookie (the browser itself answers cookie commands out of order when they overlap, so each is sent only
 * once the one before it was answered). A script's {@code document.cookie} is not in that order.
 *
 * <pre>{@code
 * CookieManager cookies = webView.cookieManager();
 * WebViewCookie c = cookies.createCookie("session", "42", "app.example", "/");
 * cookies.addOrUpdateCookie(c);
 * List<WebViewCookie> now = cookies.getCookies("https://app.example/");   // waits under CALLS
 * }</pre>
 */
public final class CookieManager {
    private final WebView webView;
    /** The last cookie command; the next is sent when it has been answered. Written on the owner thread only. */
    private CompletableFuture<JsonNode> tail = CompletableFuture.completedFuture(null);

    CookieManager(WebView webView) {
        this.webView = webView;
    }

    /**
     * A new cookie to configure and add: WebView2's {@code CreateCookie}.
     *
     * @param name   the cookie's name
     * @param value  its value
     * @param domain its domain, e.g. {@code example.com} or {@code .example.com}
     * @param path   its path, e.g. {@code /}
     * @return the cookie, not added yet ({@link #addOrUpdateCookie} adds it)
     * @throws NullPointerException if an argument is null
     */
    public WebViewCookie createCookie(String name, String value, String domain, String path) {
        webView.verifyAccess();
        return new WebViewCookie(name, value, domain, path);
    }

    /**
     * The cookies that would be sent to {@code uri}, or every cookie of the profile if {@code uri} is empty:
     * WebView2's {@code GetCookiesAsync}. Completes on the owner thread.
     *
     * @param uri the URI the cookies would be sent to, or the empty string for every cookie
     * @return the cookies, completed on the owner thread
     * @throws NullPointerException if {@code uri} is null
     */
    public CompletableFuture<List<WebViewCookie>> getCookiesAsync(String uri) {
        Objects.requireNonNull(uri, "uri");
        webView.checkUsable();
        CompletableFuture<JsonNode> r = uri.isEmpty()
                ? inOrder("Storage.getCookies", null)
                : inOrder("Network.getCookies", cookieUrls(uri));
        return webView.completions().deliver(r, "getting cookies", CookieManager::cookies);
    }

    /**
     * {@link #getCookiesAsync} and a wait under {@link WaitPolicy#CALLS}: usable inside any handler.
     *
     * @param uri the URI the cookies would be sent to, or the empty string for every cookie
     * @return the cookies
     */
    public List<WebViewCookie> getCookies(String uri) {
        return webView.dispatcher().waitFor(getCookiesAsync(uri), WaitPolicy.CALLS);
    }

    /**
     * Adds {@code cookie}, or replaces the one with its name, domain and path: WebView2's
     * {@code AddOrUpdateCookie}.
     *
     * @param cookie the cookie, from {@link #createCookie} or {@link #getCookies}
     * @throws NullPointerException if {@code cookie} is null
     */
    public void addOrUpdateCookie(WebViewCookie cookie) {
        Objects.requireNonNull(cookie, "cookie");
        webView.checkUsable();
        ObjectNode p = Json.object().put("name", cookie.name()).put("value", cookie.value())
                .put("domain", cookie.domain()).put("path", cookie.path()).put("secure", cookie.isSecure())
                .put("httpOnly", cookie.isHttpOnly()).put("sameSite", cookie.sameSite());
        if (!cookie.isSession()) {
            p.put("expires", cookie.expires());
        }
        inOrder("Network.setCookie", p);
    }

    /**
     * Deletes the cookies named {@code name} that would be sent to {@code uri}: WebView2's {@code DeleteCookies}.
     *
     * @param name the cookies' name
     * @param uri  the URI they would be sent to
     * @throws NullPointerException if an argument is null
     */
    public void deleteCookies(String name, String uri) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
        webView.checkUsable();
        inOrder("Network.deleteCookies", Json.object().put("name", name).put("url", uri));
    }

    /**
     * Deletes the cookie named {@code name} of exactly {@code domain} and {@code path}: WebView2's
     * {@code DeleteCookiesWithDomainAndPath}.
     *
     * @param name   the cookie's name
     * @param domain its domain, exactly
     * @param path   its path, exactly
     * @throws NullPointerException if an argument is null
     */
    public void deleteCookiesWithDomainAndPath(String name, String domain, String path) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(path, "path");
        webView.checkUsable();
        inOrder("Network.deleteCookies", Json.object().put("name", name).put("domain", domain).put("path", path));
    }

    /** Deletes every cookie of the profile: WebView2's {@code DeleteAllCookies}. */
    public void deleteAllCookies() {
        webView.checkUsable();
        inOrder("Network.clearBrowserCookies", null);
    }

    /** Sends {@code method} once the previous cookie command was answered (or failed). Owner thread. */
    private CompletableFuture<JsonNode> inOrder(String method, ObjectNode params) {
        CompletableFuture<JsonNode> next = tail.handle((r, e) -> null).thenCompose(x -> webView.send(method, params));
        tail = next;
        return next;
    }

    private static ObjectNode cookieUrls(String uri) {
        ObjectNode p = Json.object();
        p.putArray("urls").add(uri);
        return p;
    }

    private static List<WebViewCookie> cookies(JsonNode r) {
        List<WebViewCookie> out = new ArrayList<>();
        for (JsonNode c : r.path("cookies")) {
            WebViewCookie k = new WebViewCookie(c.path("name").asText(), c.path("value").asText(),
                    c.path("domain").asText(), c.path("path").asText());
            k.setHttpOnly(c.path("httpOnly").asBoolean());
            k.setSecure(c.path("secure").asBoolean());
            if (c.has("sameSite")) {
                k.setSameSite(c.get("sameSite").asText());
            }
            k.setExpires(c.path("session").asBoolean(false) ? -1 : c.path("expires").asDouble(-1));
            out.add(k);
        }
        return out;
    }
}
