package dev.apartment.webview;

import dev.apartment.DeferrableEventArgs;

/**
 * Args of {@link WebView#navigationStarting()}: a top-level navigation is about to start. Set {@link #setCancel} to
 * stop it; take a deferral to decide later. Owner thread, like the event (a deferral may be completed on any
 * thread; fields set before it happen-before the navigation reads them).
 */
public final class NavigationStartingEventArgs extends DeferrableEventArgs {
    private final String uri;
    private final long navigationId;
    private final boolean userInitiated;
    private final boolean redirected;
    private volatile boolean cancel;

    NavigationStartingEventArgs(String uri, long navigationId, boolean userInitiated, boolean redirected) {
        this.uri = uri;
        this.navigationId = navigationId;
        this.userInitiated = userInitiated;
        this.redirected = redirected;
    }

    /** {@return where the navigation goes} */
    public String uri() {
        return uri;
    }

    /** {@return the id shared by every event of this navigation} */
    public long navigationId() {
        return navigationId;
    }

    /**
     * {@return true if the page started it (a link, {@code location.href = …}); false if the host did
     * ({@code navigate})}
     */
    public boolean isUserInitiated() {
        return userInitiated;
    }

    /** {@return true if this start is a server redirect of a navigation already started} */
    public boolean isRedirected() {
        return redirected;
    }

    /** {@return whether the navigation will be cancelled} */
    public boolean cancel() {
        return cancel;
    }

    /**
     * Cancels the navigation or lets it go on.
     *
     * @param cancel true to cancel it: it then ends with a failed NavigationCompleted; false to let it go on
     */
    public void setCancel(boolean cancel) {
        this.cancel = cancel;
    }
}
