package dev.apartment.samples.window;

import dev.apartment.Dispatcher;
import dev.apartment.DispatcherFrame;
import dev.apartment.DispatcherPriority;
import dev.apartment.DispatcherTimer;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Window;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.time.Duration;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;

/**
 * The article's nested pumping: a message box whose {@code show} does not return until OK is clicked, while the
 * window behind it keeps painting. The box is a plain, <em>non-modal</em> {@link JDialog}; what makes the click
 * handler wait is {@link Dispatcher#pushFrame}: a nested message loop on the EDT (an AWT {@code SecondaryLoop}) in
 * which AWT events and dispatcher items keep running, among them the ticks of a {@link DispatcherTimer} that moves
 * a ball behind the box. OK ends the frame, {@code pushFrame} returns, and the handler carries on after it.
 */
final class NestedLoopTab extends JPanel {
    private final Dispatcher ui;
    private final DispatcherTimer animation;
    final JButton show = new JButton("Show message box");
    final JLabel status = new JLabel("The handler has not run yet.");
    final JLabel frames = new JLabel("animation frame 0");
    final Ball ball = new Ball();
    /** The open box and its frame; EDT only. */
    JDialog box;
    JButton ok;
    private DispatcherFrame boxFrame;
    private int handlerRuns;
    private boolean handlerInside;

    NestedLoopTab(Dispatcher ui) {
        super(new BorderLayout(8, 8));
        this.ui = ui;
        add(Text.intro("Nested loop: a modal message box made of a nested frame",
                "The button's handler opens a box and calls ui.pushFrame(frame): a nested message loop on the EDT."
                        + " The dialog is not Swing-modal; the nested frame is what keeps the handler from going on."
                        + " Inside it, AWT events and dispatcher items still run, so the ball, moved by a"
                        + " DispatcherTimer at BACKGROUND, keeps bouncing behind the box. OK ends the frame and the"
                        + " handler continues after pushFrame."), BorderLayout.NORTH);
        JPanel row = new JPanel(new FlowLayout(FlowLayout.LEFT, 10, 10));
        show.setName("nested.show");
        show.addActionListener(e -> showClicked());
        row.add(show);
        frames.setName("nested.frames");
        row.add(frames);
        JPanel center = new JPanel(new BorderLayout(4, 4));
        center.add(row, BorderLayout.NORTH);
        ball.setBorder(BorderFactory.createLineBorder(Color.LIGHT_GRAY));
        center.add(ball, BorderLayout.CENTER);
        status.setName("nested.status");
        status.setBorder(BorderFactory.createEmptyBorder(4, 12, 8, 12));
        center.add(status, BorderLayout.SOUTH);
        add(center, BorderLayout.CENTER);

        animation = new DispatcherTimer(DispatcherPriority.BACKGROUND, ui);
        animation.setInterval(Duration.ofMillis(30));
        animation.addTickHandler(t -> {
            ball.advance();
            frames.setText("animation frame " + ball.frame());
        });
        animation.start();
    }

    /** The click handler: blocks in a nested frame until the box is closed, then continues. */
    void showClicked() {
        ui.verifyAccess();
        int run = ++handlerRuns;
        int framesBefore = ball.frame();
        handlerInside = true;
        status.setText("Handler " + run + " is inside pushFrame, waiting for OK; the ball keeps moving.");
        show.setEnabled(false);

        DispatcherFrame frame = new DispatcherFrame();
        boxFrame = frame;
        Window owner = SwingUtilities.getWindowAncestor(this);
        JDialog dialog = new JDialog(owner, "Message", java.awt.Dialog.ModalityType.MODELESS);
        JButton okButton = new JButton("OK");
        okButton.setName("nested.ok");
        okButton.addActionListener(e -> frame.setContinue(false));
        dialog.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        dialog.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                frame.setContinue(false);
            }
        });
        JPanel content = new JPanel(new BorderLayout(10, 10));
        content.setBorder(BorderFactory.createEmptyBorder(12, 16, 12, 16));
        content.add(new JLabel("<html>The click handler is waiting in a nested frame.<br>"
                + "The ball behind this box is still moving.</html>"), BorderLayout.CENTER);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT));
        buttons.add(okButton);
        content.add(buttons, BorderLayout.SOUTH);
        dialog.setContentPane(content);
        dialog.pack();
        dialog.setLocationRelativeTo(owner);
        box = dialog;
        ok = okButton;
        dialog.setVisible(true);
        try {
            ui.pushFrame(frame); // the "MessageBox.Show": returns when OK ends the frame
        } finally {
            dialog.dispose();
            box = null;
            ok = null;
            boxFrame = null;
            handlerInside = false;
            show.setEnabled(true);
        }
        status.setText("Handler " + run + " continued after pushFrame: the box was open for "
                + (ball.frame() - framesBefore) + " animation frames.");
    }

    boolean handlerInside() {
        return handlerInside;
    }

    /** Ends the open box's frame, if any (closing the samples window). */
    void stop() {
        if (boxFrame != null) {
            boxFrame.setContinue(false);
        }
        animation.stop();
    }

    /** A ball bouncing around the panel, one step per frame. */
    static final class Ball extends JComponent {
        private int frame;
        private double x = 20;
        private double y = 20;
        private double dx = 5;
        private double dy = 3.5;

        Ball() {
            setPreferredSize(new Dimension(300, 120));
        }

        void advance() {
            frame++;
            int w = Math.max(40, getWidth());
            int h = Math.max(40, getHeight());
            x += dx;
            y += dy;
            if (x < 0 || x > w - 30) {
                dx = -dx;
                x = Math.max(0, Math.min(x, w - 30));
            }
            if (y < 0 || y > h - 30) {
                dy = -dy;
                y = Math.max(0, Math.min(y, h - 30));
            }
            repaint();
        }

        int frame() {
            return frame;
        }

        @Override
        protected void paintComponent(Graphics g) {
            Graphics2D g2 = (Graphics2D) g.create();
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setColor(new Color(220, 80, 60));
            g2.fillOval((int) x, (int) y, 30, 30);
            g2.dispose();
        }
    }
}
