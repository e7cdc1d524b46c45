package dev.apartment.bench.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.CategoryTextAnnotation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.block.LengthConstraintType;
import org.jfree.chart.block.RectangleConstraint;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result file into a PNG: one JFreeChart bar chart per comparison ({@link Panel}), two to a row,
 * the peers side by side as bars (value on top, error bar where JMH gives one), the same color for a peer in every
 * panel, one legend for the whole picture. Headless.
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
    private static final int GAP = 16;
    private static final int HEADER_H = 96;
    private static final int MARGIN = 24;
    private static final Color GREY_TEXT = new Color(0x555555);

    private Chart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Chart results.json out.png");
            System.exit(2);
        }
        // before anything touches AWT: the chart is drawn into an image, on machines without a display
        System.setProperty("java.awt.headless", "true");
        // JFreeChart formats the axes in the default locale: the same digits as the values (Panel.format, ROOT)
        Locale.setDefault(Locale.ROOT);
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

    /**
     * The whole picture: a header (title, the run, the legend), then the panels' charts in a grid. JFreeChart draws
     * one chart per area, so the grid is laid out here.
     */
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
        int inner = w - 2 * MARGIN;
        drawTitle(g, text("Apartment benchmarks (JMH)", new Font(Font.SANS_SERIF, Font.BOLD, 24), Color.BLACK),
                MARGIN, 12, inner);
        drawTitle(g, text(source + "  -  " + results.size() + " results, " + any.forks + " fork(s) each"
                        + (any.jdk.isEmpty() ? "" : ", JDK " + any.jdk),
                new Font(Font.SANS_SERIF, Font.PLAIN, 14), new Color(0x444444)), MARGIN, 46, inner);
        drawTitle(g, legend(Result.peersIn(results)), MARGIN, 68, inner);

        for (int i = 0; i < panels.size(); i++) {
            int x = MARGIN + (i % COLUMNS) * PANEL_W;
            int y = HEADER_H + (i / COLUMNS) * PANEL_H;
            chart(panels.get(i)).draw(g, new Rectangle2D.Double(x, y, PANEL_W - GAP, PANEL_H - GAP));
        }
        g.dispose();
        return img;
    }

    /**
     * One panel as a bar chart: a category per bar, colored by its peer. Nanoseconds from 2,000 up are shown in
     * microseconds, the whole panel alike, so that the labels stay short.
     */
    static JFreeChart chart(Panel p) {
        double max = 0;
        for (Panel.Bar b : p.bars) {
            if (!Double.isNaN(b.value)) {
                max = Math.max(max, b.value + (Double.isNaN(b.error) ? 0 : b.error));
            }
        }
        String unit = p.unit;
        double scale = 1;
        if (unit.startsWith("ns") && max >= 2_000) {
            scale = 1e-3;
            unit = "µs" + unit.substring(2);
        }

        // a few pixels between an error bar and the value above it: 1.5% of the tallest bar, about 1.3% of the axis
        double gap = max * scale * 0.015;
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        List<Paint> colors = new ArrayList<>();
        List<CategoryTextAnnotation> labels = new ArrayList<>();
        for (Panel.Bar b : p.bars) {
            boolean none = Double.isNaN(b.value);
            boolean errorBar = !none && !Double.isNaN(b.error) && b.error > 0;
            double value = b.value * scale;
            double error = errorBar ? b.error * scale : 0;
            // a missing error is null, not NaN: the renderer draws no error bar then
            data.add(none ? null : value, errorBar ? error : null, "score", b.label);
            colors.add(PEER_COLORS.getOrDefault(b.peer, OTHER));
            // the value stands above the bar's error bar, as a data-anchored annotation (an item label would sit on
            // the bar's top, across the error bar)
            CategoryTextAnnotation label = new CategoryTextAnnotation(
                    none ? "n/a" : Panel.format(value), b.label, none ? 0 : value + error + gap);
            label.setFont(new Font(Font.SANS_SERIF, none ? Font.PLAIN : Font.BOLD, 13));
            label.setPaint(none ? new Color(0x888888) : Color.BLACK);
            label.setTextAnchor(TextAnchor.BOTTOM_CENTER);
            labels.add(label);
        }

        StatisticalBarRenderer bars = new StatisticalBarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return colors.get(column); // one series; the color goes with the bar's peer
            }
        };
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setDrawBarOutline(false);
        bars.setMaximumBarWidth(0.13);
        bars.setErrorIndicatorPaint(new Color(0x222222));
        bars.setErrorIndicatorStroke(new BasicStroke(1.5f));

        CategoryAxis x = new CategoryAxis();
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        x.setTickLabelPaint(Color.BLACK);
        x.setTickMarksVisible(false);
        x.setAxisLinePaint(new Color(0x888888));
        x.setCategoryMargin(0.38);
        x.setLowerMargin(0.02);
        x.setUpperMargin(0.02);
        x.setMaximumCategoryLabelLines(2);
        x.setMaximumCategoryLabelWidthRatio(1.5f); // a label may use the gap beside its bar: "apartment" on one line

        NumberAxis y = new NumberAxis();
        y.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        y.setTickLabelPaint(GREY_TEXT);
        y.setAxisLineVisible(false);
        y.setTickMarksVisible(false);
        // JFreeChart picks the finest tick unit whose labels do not overlap; space above and below each label keeps
        // it to about five grid lines per panel
        y.setTickLabelInsets(new RectangleInsets(12, 4, 12, 6));
        y.setUpperMargin(0.12); // room for the value above the tallest bar
        y.setAutoRangeIncludesZero(true);

        CategoryPlot plot = new CategoryPlot(data, x, y, bars);
        plot.setBackgroundPaint(null);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(new Color(0xE0E0E0));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setInsets(new RectangleInsets(8, 4, 4, 8));
        for (CategoryTextAnnotation label : labels) {
            plot.addAnnotation(label);
        }
        if (max <= 0) {
            y.setRange(new Range(0, 1)); // nothing measured above zero: an axis to show the n/a on
        }

        JFreeChart chart = new JFreeChart(plot);
        chart.removeLegend(); // one legend for all panels, in the header
        chart.setBackgroundPaint(new Color(0xF7F7F7));
        chart.setBorderVisible(true);
        chart.setBorderPaint(new Color(0xDDDDDD));
        chart.setBorderStroke(new BasicStroke(1f));
        chart.setPadding(new RectangleInsets(6, 6, 4, 6));
        TextTitle title = text(p.title, new Font(Font.SANS_SERIF, Font.BOLD, 16), Color.BLACK);
        title.setMaximumLinesToDisplay(2);
        chart.setTitle(title);
        chart.addSubtitle(text(unit, new Font(Font.SANS_SERIF, Font.PLAIN, 13), GREY_TEXT));
        return chart;
    }

    /** A left-aligned title line. */
    private static TextTitle text(String s, Font font, Color color) {
        TextTitle t = new TextTitle(s, font);
        t.setPaint(color);
        t.setHorizontalAlignment(HorizontalAlignment.LEFT);
        t.setTextAlignment(HorizontalAlignment.LEFT);
        t.setPadding(new RectangleInsets(1, 0, 1, 0));
        return t;
    }

    /** The peers' colors, as a square and a name each, in a row. */
    private static LegendTitle legend(List<String> peers) {
        LegendItemCollection items = new LegendItemCollection();
        for (String peer : peers) {
            items.add(new LegendItem(peer, null, null, null, new Rectangle2D.Double(-7, -7, 14, 14),
                    PEER_COLORS.getOrDefault(peer, OTHER)));
        }
        LegendTitle legend = new LegendTitle(() -> items);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        legend.setHorizontalAlignment(HorizontalAlignment.LEFT);
        legend.setFrame(BlockBorder.NONE);
        legend.setBackgroundPaint(null);
        legend.setItemLabelPadding(new RectangleInsets(2, 6, 2, 18));
        return legend;
    }

    /**
     * A title outside any chart (the header's): laid out within the width, then drawn at its own height. The
     * constraint is the one JFreeChart gives its own titles (a range each way; TextTitle implements no other).
     */
    private static void drawTitle(Graphics2D g, Title t, double x, double y, double width) {
        double height = t.arrange(g, new RectangleConstraint(width, new Range(0, width), LengthConstraintType.RANGE,
                HEADER_H, new Range(0, HEADER_H), LengthConstraintType.RANGE)).getHeight();
        t.draw(g, new Rectangle2D.Double(x, y, width, height));
    }
}
