package dev.apartment.samples.window;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;
import dev.apartment.webview.CapturePreviewImageFormat;
import dev.apartment.webview.WebViewBounds;
import dev.apartment.webview.WebViewController;
import dev.apartment.webview.WebViewKeyEventKind;
import dev.apartment.webview.WebViewMouseEventKind;
import dev.apartment.webview.WebViewMouseEventVirtualKeys;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.event.ComponentAdapter;
import java.awt.event.ComponentEvent;
import java.awt.event.InputEvent;
import java.awt.event.KeyAdapter;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.MouseWheelEvent;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.swing.JComponent;
import javax.swing.SwingUtilities;

/**
 * A Swing component that shows a live page of a {@link WebViewController} and lets the user work it: the page is
 * captured with {@code capturePreviewAsync} about ten times a second (and right after every input) and painted on
 * the EDT; mouse buttons, moves, the wheel and keys are forwarded with {@code sendMouseInput} and
 * {@code sendKeyInput}, at the same coordinates, because the page's viewport follows the component's size
 * ({@code setBounds} on every resize).
 *
 * <p>EDT only: the component, its timer (a {@link DispatcherTimer} on the EDT's dispatcher) and the controller all
 * belong to the EDT, and every capture completes there as a call, so there is no lock anywhere. Without a controller
 * (none yet, or its browser died) it paints a message instead.
 */
final class WebViewPanel extends JComponent {
    /** Between two captures; a capture is never requested while one is in flight. */
    static final Duration FRAME_INTERVAL = Duration.ofMillis(100);
    /** How long a capture may take before the next one is requested regardless. */
    static final Duration CAPTURE_GIVE_UP = Duration.ofSeconds(2);

    private final Dispatcher ui;
    private final DispatcherTimer frames;
    private WebViewController controller;
    private BufferedImage image;
    private boolean captureInFlight;
    private boolean captureAgain;
    private long captureStarted;
    private long captureNumber;
    private int framesPainted;
    private List<String> message = List.of("Starting Chromium...");

    WebViewPanel(Dispatcher ui) {
        this.ui = ui;
        this.frames = new DispatcherTimer(DispatcherPriority.BACKGROUND, ui);
        frames.setInterval(FRAME_INTERVAL);
        frames.addTickHandler(t -> capture());
        setName("webview.page");
        setFocusable(true);
        setFocusTraversalKeysEnabled(false); // Tab goes to the page
        setPreferredSize(new Dimension(560, 400));
        setMinimumSize(new Dimension(200, 150));
        MouseAdapter mouse = new MouseAdapter() {
            @Override
            public void mousePressed(MouseEvent e) {
                requestFocusInWindow();
                send(e, e.getClickCount() == 2 && SwingUtilities.isLeftMouseButton(e)
                        ? WebViewMouseEventKind.LEFT_BUTTON_DOUBLE_CLICK
                        : SwingUtilities.isRightMouseButton(e) ? WebViewMouseEventKind.RIGHT_BUTTON_DOWN
                        : SwingUtilities.isMiddleMouseButton(e) ? WebViewMouseEventKind.MIDDLE_BUTTON_DOWN
                        : WebViewMouseEventKind.LEFT_BUTTON_DOWN, 0);
            }

            @Override
            public void mouseReleased(MouseEvent e) {
                send(e, SwingUtilities.isRightMouseButton(e) ? WebViewMouseEventKind.RIGHT_BUTTON_UP
                        : SwingUtilities.isMiddleMouseButton(e) ? WebViewMouseEventKind.MIDDLE_BUTTON_UP
                        : WebViewMouseEventKind.LEFT_BUTTON_UP, 0);
            }

            @Override
            public void mouseMoved(MouseEvent e) {
                send(e, WebViewMouseEventKind.MOVE, 0);
            }

            @Override
            public void mouseDragged(MouseEvent e) {
                send(e, WebViewMouseEventKind.MOVE, 0);
            }

            @Override
            public void mouseExited(MouseEvent e) {
                send(e, WebViewMouseEventKind.LEAVE, 0);
            }

            @Override
            public void mouseWheelMoved(MouseWheelEvent e) {
                // Swing: positive rotation is towards the user (down); WebView2: positive is away (up).
                int delta = (int) Math.round(-e.getPreciseWheelRotation() * 120);
                send(e, e.isShiftDown() ? WebViewMouseEventKind.HORIZONTAL_WHEEL : WebViewMouseEventKind.WHEEL,
                        e.isShiftDown() ? -delta : delta);
            }
        };
        addMouseListener(mouse);
        addMouseMotionListener(mouse);
        addMouseWheelListener(mouse);
        addKeyListener(new KeyAdapter() {
            @Override
            public void keyPressed(KeyEvent e) {
                int vk = windowsKey(e.getKeyCode());
                if (vk != 0) {
                    key(WebViewKeyEventKind.KEY_DOWN, vk, vk == 13 ? "\r" : "");
                    e.consume();
                }
            }

            @Override
            public void keyReleased(KeyEvent e) {
                int vk = windowsKey(e.getKeyCode());
                if (vk != 0) {
                    key(WebViewKeyEventKind.KEY_UP, vk, "");
                }
            }

            @Override
            public void keyTyped(KeyEvent e) {
                char c = e.getKeyChar();
                if (c < 32 || c == 127 || c == KeyEvent.CHAR_UNDEFINED || e.isControlDown() || e.isAltDown()) {
                    return;
                }
                int vk = Character.isLetterOrDigit(c) && c < 128 ? Character.toUpperCase(c) : 0;
                key(WebViewKeyEventKind.KEY_DOWN, vk, String.valueOf(c));
                key(WebViewKeyEventKind.KEY_UP, vk, "");
            }
        });
        addComponentListener(new ComponentAdapter() {
            @Override
            public void componentResized(ComponentEvent e) {
                fitPage();
            }
        });
    }

    /**
     * Shows {@code c}'s page from now on (null: none, paint {@code text} instead); the viewport takes this
     * component's size. EDT only.
     */
    void show(WebViewController c, List<String> text) {
        ui.verifyAccess();
        controller = c;
        message = List.copyOf(text);
        if (c == null) {
            frames.stop();
        } else {
            fitPage();
            frames.start();
            capture();
        }
        repaint();
    }

    /** The last frame painted, or null. EDT only. */
    BufferedImage frame() {
        return image;
    }

    /** How many captures have been painted so far. EDT only. */
    int framesPainted() {
        return framesPainted;
    }

    /** Stops capturing. EDT only. */
    void stop() {
        frames.stop();
        controller = null;
    }

    private void fitPage() {
        if (controller != null && getWidth() > 0 && getHeight() > 0 && !controller.isClosed()) {
            WebViewBounds b = controller.bounds();
            if (b.width() != getWidth() || b.height() != getHeight()) {
                try {
                    controller.setBounds(new WebViewBounds(0, 0, getWidth(), getHeight()));
                } catch (IllegalStateException e) {
                    return; // the browser died: the tab shows it and starts a new one
                }
                capture();
            }
        }
    }

    /**
     * Requests a capture unless one is in flight; then one more is taken when it arrives. A capture that has not
     * come back within {@link #CAPTURE_GIVE_UP} is given up (a browser busy loading may sit on one): its late
     * answer, if any, is ignored.
     */
    private void capture() {
        WebViewController c = controller;
        if (c == null || !isShowing()) {
            return; // nobody sees it: no captures while another tab is selected
        }
        if (captureInFlight && System.nanoTime() - captureStarted < CAPTURE_GIVE_UP.toNanos()) {
            captureAgain = true;
            return;
        }
        captureInFlight = true;
        captureStarted = System.nanoTime();
        long number = ++captureNumber;
        try {
            c.webView().capturePreviewAsync(CapturePreviewImageFormat.JPEG).whenComplete((bytes, e) -> {
                // on the EDT: the completion is a call through ui.callbacks()
                if (number != captureNumber) {
                    return; // given up on
                }
                captureInFlight = false;
                if (e == null && c == controller) {
                    painted(bytes);
                }
                if (captureAgain) {
                    captureAgain = false;
                    capture();
                }
            });
        } catch (IllegalStateException e) {
            captureInFlight = false; // closed or failed: the tab learns it from ProcessFailed
        }
    }

    private void painted(byte[] bytes) {
        try {
            BufferedImage next = ImageIO.read(new ByteArrayInputStream(bytes));
            if (next != null) {
                image = next;
                framesPainted++;
                repaint();
            }
        } catch (IOException e) {
            // a broken frame: the next one will do
        }
    }

    private void send(MouseEvent e, WebViewMouseEventKind kind, int mouseData) {
        WebViewController c = controller;
        if (c == null) {
            return;
        }
        Set<WebViewMouseEventVirtualKeys> keys = EnumSet.noneOf(WebViewMouseEventVirtualKeys.class);
        int mods = e.getModifiersEx();
        if ((mods & InputEvent.BUTTON1_DOWN_MASK) != 0) {
            keys.add(WebViewMouseEventVirtualKeys.LEFT_BUTTON);
        }
        if ((mods & InputEvent.BUTTON3_DOWN_MASK) != 0) {
            keys.add(WebViewMouseEventVirtualKeys.RIGHT_BUTTON);
        }
        if ((mods & InputEvent.BUTTON2_DOWN_MASK) != 0) {
            keys.add(WebViewMouseEventVirtualKeys.MIDDLE_BUTTON);
        }
        if (e.isShiftDown()) {
            keys.add(WebViewMouseEventVirtualKeys.SHIFT);
        }
        if (e.isControlDown()) {
            keys.add(WebViewMouseEventVirtualKeys.CONTROL);
        }
        try {
            c.sendMouseInput(kind, keys, mouseData, e.getX(), e.getY());
        } catch (IllegalStateException ex) {
            return;
        }
        if (kind != WebViewMouseEventKind.MOVE) {
            capture(); // show the effect at once rather than at the next tick
        }
    }

    private void key(WebViewKeyEventKind kind, int vk, String text) {
        WebViewController c = controller;
        if (c == null) {
            return;
        }
        try {
            c.sendKeyInput(kind, vk, text);
        } catch (IllegalStateException ex) {
            return;
        }
        capture();
    }

    /** The Windows virtual-key code of a non-printing Swing key, or 0 for keys that arrive as typed text. */
    static int windowsKey(int swingKeyCode) {
        switch (swingKeyCode) {
            case KeyEvent.VK_BACK_SPACE: return 8;
            case KeyEvent.VK_TAB: return 9;
            case KeyEvent.VK_ENTER: return 13;
            case KeyEvent.VK_ESCAPE: return 27;
            case KeyEvent.VK_PAGE_UP: return 33;
            case KeyEvent.VK_PAGE_DOWN: return 34;
            case KeyEvent.VK_END: return 35;
            case KeyEvent.VK_HOME: return 36;
            case KeyEvent.VK_LEFT: return 37;
            case KeyEvent.VK_UP: return 38;
            case KeyEvent.VK_RIGHT: return 39;
            case KeyEvent.VK_DOWN: return 40;
            case KeyEvent.VK_DELETE: return 46;
            default: return 0;
        }
    }

    @Override
    protected void paintComponent(Graphics g) {
        Graphics2D g2 = (Graphics2D) g.create();
        try {
            g2.setColor(new Color(0xF2F2F2));
            g2.fillRect(0, 0, getWidth(), getHeight());
            if (controller != null && image != null) {
                g2.drawImage(image, 0, 0, null);
            } else {
                if (image != null) {
                    g2.drawImage(image, 0, 0, null);
                    g2.setColor(new Color(255, 255, 255, 200));
                    g2.fillRect(0, 0, getWidth(), getHeight());
                }
                g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g2.setColor(new Color(0x333333));
                g2.setFont(getFont() == null ? new Font(Font.SANS_SERIF, Font.PLAIN, 13) : getFont());
                int y = 30;
                for (String line : message) {
                    g2.drawString(line, 16, y);
                    y += g2.getFontMetrics().getHeight() + 2;
                }
            }
        } finally {
            g2.dispose();
        }
    }
}
