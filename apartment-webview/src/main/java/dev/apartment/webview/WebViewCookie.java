package dev.apartment.webview;

import java.util.Objects;

/**
 * A cookie: WebView2's {@code CoreWebView2Cookie}. Made by {@link CookieManager#createCookie} (then set its
 * attributes and pass it to {@link CookieManager#addOrUpdateCookie}) or returned by
 * {@link CookieManager#getCookiesAsync}. Mutable and not thread-safe, like WebView2's; hand it between threads
 * with a happens-before edge.
 */
public final class WebViewCookie {
    private final String name;
    private String value;
    private final String domain;
    private final String path;
    private double expires = -1;
    private boolean httpOnly;
    private boolean secure;
    private String sameSite = "Lax";

    WebViewCookie(String name, String value, String domain, String path) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.path = Objects.requireNonNull(path, "path");
    }

    /** {@return the name} */
    public String name() {
        return name;
    }

    /** {@return the value} */
    public String value() {
        return value;
    }

    /**
     * Sets the value.
     *
     * @param value the new value
     */
    public void setValue(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** {@return the domain, e.g. {@code example.com} or {@code .example.com}} */
    public String domain() {
        return domain;
    }

    /** {@return the path} */
    public String path() {
        return path;
    }

    /** {@return the expiry in seconds since the epoch, or -1 for a session cookie} */
    public double expires() {
        return expires;
    }

    /**
     * Sets the expiry.
     *
     * @param expires seconds since the epoch, or -1 for a session cookie
     */
    public void setExpires(double expires) {
        this.expires = expires;
    }

    /** {@return true for a session cookie (no expiry)} */
    public boolean isSession() {
        return expires < 0;
    }

    /** {@return whether scripts cannot see it} */
    public boolean isHttpOnly() {
        return httpOnly;
    }

    /**
     * Sets whether scripts cannot see it.
     *
     * @param httpOnly true to hide it from scripts
     */
    public void setHttpOnly(boolean httpOnly) {
        this.httpOnly = httpOnly;
    }

    /** {@return whether it is sent over HTTPS only} */
    public boolean isSecure() {
        return secure;
    }

    /**
     * Sets whether it is sent over HTTPS only.
     *
     * @param secure true to send it over HTTPS only
     */
    public void setSecure(boolean secure) {
        this.secure = secure;
    }

    /** {@return the same-site policy: {@code Strict}, {@code Lax} or {@code None}} */
    public String sameSite() {
        return sameSite;
    }

    /**
     * Sets the same-site policy.
     *
     * @param sameSite {@code Strict}, {@code Lax} or {@code None}
     * @throws IllegalArgumentException unless {@code Strict}, {@code Lax} or {@code None}
     */
    public void setSameSite(String sameSite) {
        if (!"Strict".equals(sameSite) && !"Lax".equals(sameSite) && !"None".equals(sameSite)) {
            throw new IllegalArgumentException("sameSite must be Strict, Lax or None: " + sameSite);
        }
        this.sameSite = sameSite;
    }

    @Override
    public String toString() {
        return name + "=" + value + "; Domain=" + domain + "; Path=" + path;
    }
}
