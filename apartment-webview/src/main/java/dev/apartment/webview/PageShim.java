package dev.apartment.webview;

/**
 * The page side of web messages and new-window requests: a script injected into every document before the page's
 * own scripts, defining {@code window.chrome.webview} (WebView2's page API) over one DevTools binding.
 *
 * <p>Page to host: {@code postMessage(x)} calls the binding with {@code "m" + location.href + "\n" +
 * JSON.stringify(x)}; {@code window.open(url, name, features)} calls it with {@code "w" + JSON.stringify({…})} and
 * returns null; a change of {@code document.title} (seen by a mutation observer) calls it with {@code "t" + title}
 * (the headless browser reports no title changes of its own). Host to page: the host evaluates
 * {@code window.chrome.webview.__deliver(json)}, which dispatches a {@code MessageEvent} whose {@code data} is the
 * message. The binding is captured in a closure, so a page that
 * deletes the global does not break its own messaging.
 */
final class PageShim {

    /** The binding's global name; only the shim uses it. */
    static final String BINDING = "__apartmentWebViewPost";

    static final String SOURCE = ""
            + "(() => {\n"
            + "  if (window.chrome && window.chrome.webview && window.chrome.webview.__apartment) return;\n"
            + "  const post = globalThis." + BINDING + ";\n"
            + "  if (typeof post !== 'function') return;\n"
            + "  const target = new EventTarget();\n"
            + "  const webview = {\n"
            + "    __apartment: true,\n"
            + "    postMessage(message) {\n"
            + "      const json = JSON.stringify(message);\n"
            + "      if (json === undefined) throw new TypeError('chrome.webview.postMessage: the message has no JSON form');\n"
            + "      post('m' + location.href + '\\n' + json);\n"
            + "    },\n"
            + "    addEventListener(type, listener, options) { target.addEventListener(type, listener, options); },\n"
            + "    removeEventListener(type, listener, options) { target.removeEventListener(type, listener, options); },\n"
            + "    __deliver(data) { target.dispatchEvent(new MessageEvent('message', { data })); },\n"
            + "  };\n"
            + "  if (!window.chrome) window.chrome = {};\n"
            + "  Object.defineProperty(window.chrome, 'webview', { value: webview, configurable: false, enumerable: true });\n"
            + "  let lastTitle = null;\n"
            + "  const reportTitle = () => {\n"
            + "    const t = document.title;\n"
            + "    if (t !== lastTitle) { lastTitle = t; post('t' + t); }\n"
            + "  };\n"
            + "  new MutationObserver(reportTitle).observe(document, { subtree: true, childList: true, characterData: true });\n"
            + "  reportTitle();\n"
            + "  window.open = function (url, name, features) {\n"
            + "    const href = new URL(url === undefined || url === '' ? 'about:blank' : String(url), location.href).href;\n"
            + "    post('w' + JSON.stringify({ url: href, name: name === undefined ? '' : String(name),\n"
            + "        features: features === undefined ? '' : String(features) }));\n"
            + "    return null;\n"
            + "  };\n"
            + "})();\n";

    private PageShim() {
    }
}
