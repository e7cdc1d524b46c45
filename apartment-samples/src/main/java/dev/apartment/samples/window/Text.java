package dev.apartment.samples.window;

import java.awt.BorderLayout;
import java.awt.Font;

import javax.swing.BorderFactory;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextArea;
import javax.swing.UIManager;

/** The small pieces of text every tab shows: a title and an explanation that wraps. EDT only. */
final class Text {
    private Text() {
    }

    /** A bold title over a paragraph that wraps to the tab's width. */
    static JComponent intro(String title, String body) {
        JPanel panel = new JPanel(new BorderLayout(0, 4));
        panel.setBorder(BorderFactory.createEmptyBorder(10, 12, 4, 12));
        JLabel heading = new JLabel(title);
        heading.setFont(heading.getFont().deriveFont(Font.BOLD, heading.getFont().getSize2D() + 3f));
        panel.add(heading, BorderLayout.NORTH);
        panel.add(paragraph(body), BorderLayout.CENTER);
        return panel;
    }

    /** Read-only wrapping text in the label font, on the panel's background. */
    static JTextArea paragraph(String body) {
        JTextArea text = new JTextArea(body);
        text.setEditable(false);
        text.setFocusable(false);
        text.setLineWrap(true);
        text.setWrapStyleWord(true);
        text.setOpaque(false);
        text.setFont(UIManager.getFont("Label.font"));
        text.setBorder(null);
        return text;
    }

    /** A read-only monospaced text area for logs and diagnoses. */
    static JTextArea log(int rows) {
        JTextArea text = new JTextArea(rows, 60);
        text.setEditable(false);
        text.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 11));
        return text;
    }
}
