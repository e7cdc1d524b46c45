package dev.apartment.bench.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Turns a JMH JSON result file into a PNG: one panel per comparison, the peers side by side as bars (value on top,
 * error bar where JMH gives one), the same color for a peer in every panel. Pure java.awt, headless.
 *
 * <pre>java -Djava.awt.headless=true -cp benchmarks.jar dev.apartment.bench.report.Chart results.json out.png</pre>
 */
public final class Chart {
    static final Map<String, Color> PEER_COLORS = Map.of(
            "floor", new Color(0x8C8C8C),
            "floorAlloc", new Color(0xBDBDBD),
            "apartment", new Color(0x1F5FBF),
            "netty", new Color(0x2CA02C),
            "executor", new Color(0xE6861A),
            "awt", new Color(0xC8372D),
            "swingPump", new Color(0x3F8FD8),
            "javafx", new Color(0x8E5DB8),
            "fxPump", new Color(0x14407F));
    static final Color OTHER = new Color(0x4A7FA8);

    private static final int COLUMNS = 2;
    private static final int PANEL_W = 760;
    private static final int PANEL_H = 380;
    private static final int HEADER_H = 96;
    private static final int MARGIN = 24;

    private Chart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Chart results.json out.png");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<Result> results = Result.read(in);
        if (results.isEmpty()) {
            System.err.println(in + ": no results");
            System.exit(1);
        }
        BufferedImage img = render(results, in.getFileName().toString());
        ImageIO.write(img, "png", out.toFile());
        System.out.println("wrote " + out + " (" + img.getWidth() + "x" + img.getHeight() + ", "
                + Panel.of(results).size() + " panels)");
    }

    static BufferedImage render(List<Result> results, String source) {
        List<Panel> panels = Panel.of(results);
        int rows = (panels.size() + COLUMNS - 1) / COLUMNS;
        int w = MARGIN * 2 + COLUMNS * PANEL_W;
        int h = HEADER_H + rows * PANEL_H + MARGIN;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);

        Result any = results.get(0);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 24));
        g.drawString("Apartment benchmarks (JMH)", MARGIN, 38);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.setColor(new Color(0x444444));
        g.drawString(source + "  -  " + results.size() + " results, " + any.forks + " fork(s) each"
                + (any.jdk.isEmpty() ? "" : ", JDK " + any.jdk), MARGIN, 62);
        drawLegend(g, MARGIN, 84, Result.peersIn(results));

        for (int i = 0; i < panels.size(); i++) {
            int x = MARGIN + (i % COLUMNS) * PANEL_W;
            int y = HEADER_H + (i / COLUMNS) * PANEL_H;
            drawPanel(g, panels.get(i), x, y, PANEL_W - 16, PANEL_H - 16);
        }
        g.dispose();
        return img;
    }

    private static void drawLegend(Graphics2D g, int x, int y, List<String> peers) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        for (String peer : peers) {
            g.setColor(PEER_COLORS.getOrDefault(peer, OTHER));
            g.fillRect(x, y - 11, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(peer, x + 20, y + 1);
            x += 20 + fm.stringWidth(peer) + 24;
        }
    }

    private static void drawPanel(Graphics2D g, Panel p, int x, int y, int w, int h) {
        g.setColor(new Color(0xF7F7F7));
        g.fillRect(x, y, w, h);
        g.setColor(new Color(0xDDDDDD));
        g.drawRect(x, y, w, h);

        double max = 0;
        for (Panel.Bar b : p.bars) {
            if (!Double.isNaN(b.value)) {
                double hi = b.value + (Double.isNaN(b.error) ? 0 : b.error);
                max = Math.max(max, hi);
            }
        }
        // nanoseconds from 2,000 up are shown in microseconds, the whole panel alike
        String unit = p.unit;
        double scale = 1;
        if (unit.startsWith("ns") && max >= 2_000) {
            scale = 1e-3;
            unit = "µs" + unit.substring(2);
        }
        max *= scale;
        if (max <= 0) {
            max = 1;
        }
        double step = niceStep(max / 4);
        double axisMax = Math.ceil(max / step) * step;

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(fit(g, p.title, w - 20), x + 10, y + 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(new Color(0x555555));
        g.drawString(fit(g, unit, w - 20), x + 10, y + 40);

        int left = x + 78;
        int right = x + w - 14;
        int top = y + 64;
        int bottom = y + h - 42;

        // grid and axis labels
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double v = 0; v <= axisMax + step / 2; v += step) {
            int yy = bottom - (int) Math.round((bottom - top) * v / axisMax);
            g.setColor(new Color(0xE0E0E0));
            g.drawLine(left, yy, right, yy);
            g.setColor(new Color(0x555555));
            String label = tick(v, step);
            g.drawString(label, left - 6 - fm.stringWidth(label), yy + 4);
        }
        g.setColor(new Color(0x888888));
        g.drawLine(left, bottom, right, bottom);

        int n = Math.max(p.bars.size(), 1);
        double slot = (right - left) / (double) n;
        int barW = (int) Math.min(90, slot * 0.62);
        for (int i = 0; i < p.bars.size(); i++) {
            Panel.Bar b = p.bars.get(i);
            int cx = left + (int) (slot * i + slot / 2);
            Color c = PEER_COLORS.getOrDefault(b.peer, OTHER);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            fm = g.getFontMetrics();
            String label = fit(g, b.label, (int) slot - 4);
            g.setColor(Color.BLACK);
            g.drawString(label, cx - fm.stringWidth(label) / 2, bottom + 18);
            if (Double.isNaN(b.value)) {
                g.setColor(new Color(0x888888));
                g.drawString("n/a", cx - fm.stringWidth("n/a") / 2, bottom - 6);
                continue;
            }
            double value = b.value * scale;
            int bh = (int) Math.round((bottom - top) * value / axisMax);
            g.setColor(c);
            g.fillRect(cx - barW / 2, bottom - bh, barW, Math.max(bh, 1));
            int labelY = bottom - bh - 6;
            if (!Double.isNaN(b.error) && b.error > 0) {
                int e = (int) Math.round((bottom - top) * b.error * scale / axisMax);
                g.setColor(new Color(0x222222));
                g.setStroke(new BasicStroke(1.5f));
                g.drawLine(cx, bottom - bh - e, cx, bottom - bh + e);
                g.drawLine(cx - 6, bottom - bh - e, cx + 6, bottom - bh - e);
                g.drawLine(cx - 6, bottom - bh + e, cx + 6, bottom - bh + e);
                g.setStroke(new BasicStroke(1f));
                labelY = bottom - bh - e - 6;
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            fm = g.getFontMetrics();
            String text = Panel.format(value);
            g.setColor(Color.BLACK);
            g.drawString(text, cx - fm.stringWidth(text) / 2, Math.max(labelY, top - 4));
        }
    }

    /** An axis label with as many decimals as the step needs: 0, 50, 100 or 0.00, 0.05, 0.10. */
    static String tick(double v, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(java.util.Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / pow;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * pow;
    }

    private static String fit(Graphics2D g, String s, int width) {
        FontMetrics fm = g.getFontMetrics();
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }
}
