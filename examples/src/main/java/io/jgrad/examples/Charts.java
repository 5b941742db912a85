package io.jgrad.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PNG pictures of training: loss and accuracy curves (XChart), and a 2-D classifier's decision boundary. */
final class Charts {

    private static final Logger LOG = LoggerFactory.getLogger(Charts.class);
    private static final int CHART_WIDTH = 640;
    private static final int CHART_HEIGHT = 420;
    private static final Color CLASS0 = new Color(0xD6, 0x27, 0x28);
    private static final Color CLASS1 = new Color(0x1F, 0x77, 0xB4);

    private Charts() {
    }

    /**
     * Writes a PNG with a loss chart and, when {@code accuracy} has series, an accuracy chart beside it.
     *
     * @param file     the PNG to write (parent folders are created)
     * @param title    what was trained
     * @param xLabel   the x axis, such as "step" or "epoch"
     * @param loss     named loss curves, each a series of (x, y) points
     * @param accuracy named accuracy curves in [0, 1], possibly empty
     */
    static void writeCurves(Path file, String title, String xLabel, Map<String, Series> loss, Map<String, Series> accuracy)
            throws IOException {
        List<XYChart> charts = new ArrayList<>();
        charts.add(chart(title + ": loss", xLabel, "loss", loss));
        if (!accuracy.isEmpty()) charts.add(chart(title + ": accuracy", xLabel, "accuracy", accuracy));
        // Rendered in memory first, so a failure (such as a machine without fonts) leaves no empty file behind.
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(charts, 1, charts.size(), png, BitmapEncoder.BitmapFormat.PNG);
        createParent(file);
        Files.write(file, png.toByteArray());
    }

    /** Something that writes a picture. */
    interface Writer {
        void write() throws IOException;
    }

    /**
     * Writes a picture, turning a failure into a warning: the pictures come after training, whose results are
     * already printed, and a headless machine without fonts (AWT's "Fontconfig head is null") should not turn a
     * successful run into an error.
     *
     * @return whether the picture was written
     */
    static boolean writeOrWarn(Path file, Writer writer) {
        try {
            writer.write();
            return true;
        } catch (IOException e) {
            LOG.warn("Could not write {}: {}", file, e.toString());
            return false;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Could not draw {}: {} (charts need AWT with fonts: install fontconfig and a font such as DejaVu)",
                    file, e.toString());
            return false;
        }
    }

    /**
     * Line styles by series, so that curves that coincide (the moons demo's two engines agree to rounding) stay
     * visible: the first a wide translucent band, the next ones thin dark dashes or dots drawn on top of it.
     */
    private static final BasicStroke[] LINES = {
        new BasicStroke(9f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 4f}, 0f),
        new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1f, 4f}, 0f)};
    private static final Color[] LINE_COLORS = {new Color(0x1F, 0x77, 0xB4, 0x80), new Color(0xD6, 0x27, 0x28),
            new Color(0x2C, 0xA0, 0x2C)};
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE};

    private static XYChart chart(String title, String xLabel, String yLabel, Map<String, Series> series) {
        XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendVisible(series.size() > 1);
        // below the plot, where it can hide no curve
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        boolean integerX = true;
        int index = 0;
        for (Map.Entry<String, Series> e : series.entrySet()) {
            Series s = e.getValue();
            if (s.size() == 0) continue;
            int style = index++ % LINES.length;
            XYSeries added = chart.addSeries(e.getKey(), s.xs(), s.ys());
            if (series.size() == 1) { // nothing to tell apart: a plain line
                added.setLineStyle(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                added.setLineColor(LINE_COLORS[1]);
                added.setMarkerColor(LINE_COLORS[1]);
            } else {
                added.setLineStyle(LINES[style]);
                added.setLineColor(LINE_COLORS[style]);
                added.setMarkerColor(LINE_COLORS[style]);
            }
            added.setMarker(s.size() > 40 ? SeriesMarkers.NONE : MARKERS[style]);
            for (double x : s.xs()) {
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                integerX &= x == Math.rint(x);
            }
            for (double y : s.ys()) {
                if (!Double.isFinite(y)) continue;
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
        }
        if (index == 0) return chart;
        // A single point (one epoch) would get an empty range and ticks such as .0044437531: give it room.
        if (minX == maxX) {
            styler.setXAxisMin(minX - 1);
            styler.setXAxisMax(maxX + 1);
        }
        if (minY == maxY) {
            double pad = Math.max(Math.abs(minY) * 0.1, 0.01);
            minY -= pad;
            maxY += pad;
            styler.setYAxisMin(minY);
            styler.setYAxisMax(maxY);
        }
        if (integerX) {
            // steps and epochs: whole numbers only, no 1.5th epoch
            styler.setxAxisTickLabelsFormattingFunction(v -> v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", Math.round(v)) : "");
        } else {
            styler.setXAxisDecimalPattern(decimalPattern(minX, maxX));
        }
        styler.setYAxisDecimalPattern(decimalPattern(minY, maxY));
        return chart;
    }

    /**
     * A tick-label pattern with as many decimals as ticks across [min, max] need to differ (about ten ticks), and no
     * more: "0.0" for a range of 1, "0.000" for 0.05, "#,##0" from 10 on.
     */
    static String decimalPattern(double min, double max) {
        double span = max - min;
        if (!(span > 0) || !Double.isFinite(span)) span = Math.max(Math.abs(max), 1e-3);
        int decimals = (int) Math.max(0, Math.min(8, Math.ceil(-Math.log10(span)) + 1));
        return decimals == 0 ? "#,##0" : "0." + "0".repeat(decimals);
    }

    /** The decision-boundary picture: the plot's square and its place in the image, with room for axes and legend. */
    static final int PLOT_SIZE = 480;
    static final int PLOT_LEFT = 64;
    static final int PLOT_TOP = 36;
    private static final int BOUNDARY_WIDTH = PLOT_LEFT + PLOT_SIZE + 20;
    private static final int BOUNDARY_HEIGHT = PLOT_TOP + PLOT_SIZE + 78;
    /** Where the legend's two class markers are drawn (centres), below the x axis. */
    static final int LEGEND_Y = PLOT_TOP + PLOT_SIZE + 62;
    static final int LEGEND_CLASS0_X = PLOT_LEFT + 14;
    static final int LEGEND_CLASS1_X = PLOT_LEFT + 104;
    private static final int POINT_RADIUS = 5;

    /**
     * Draws a two-class decision boundary: the classifier's score over a grid as a red/blue background (paler near
     * the boundary at score 0), the data points on top, axes x0 and x1 with ticks, a legend of the two classes, and
     * a caption above the plot.
     *
     * @param file       the PNG to write
     * @param points     the data, one {x0, x1} row each
     * @param labels     0 or 1 per point
     * @param scores     maps grid points (rows {x0, x1}) to scores; positive means class 1
     * @param resolution grid cells per side
     * @param caption    text drawn above the plot
     */
    static void writeDecisionBoundary(Path file, double[][] points, int[] labels, Function<double[][], double[]> scores,
                                      int resolution, String caption) throws IOException {
        if (points.length != labels.length || points.length == 0) {
            throw new IllegalArgumentException("decision boundary: need one label per point, got " + points.length
                    + " points and " + labels.length + " labels");
        }
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (double[] p : points) {
            minX = Math.min(minX, p[0]);
            maxX = Math.max(maxX, p[0]);
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        // A margin of a quarter unit, as micrograd's demo plot.
        minX -= 0.25;
        maxX += 0.25;
        minY -= 0.25;
        maxY += 0.25;

        double[][] grid = new double[resolution * resolution][];
        for (int r = 0; r < resolution; r++) {
            for (int c = 0; c < resolution; c++) {
                // Row 0 is the top of the picture, so y runs downwards.
                grid[r * resolution + c] = new double[] {
                        minX + (maxX - minX) * (c + 0.5) / resolution, maxY - (maxY - minY) * (r + 0.5) / resolution};
            }
        }
        double[] s = scores.apply(grid);
        if (s.length != grid.length) {
            throw new IllegalStateException("decision boundary: the classifier returned " + s.length + " scores for "
                    + grid.length + " grid points");
        }

        BufferedImage image = new BufferedImage(BOUNDARY_WIDTH, BOUNDARY_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, BOUNDARY_WIDTH, BOUNDARY_HEIGHT);
            for (int r = 0; r < resolution; r++) {
                for (int c = 0; c < resolution; c++) {
                    double score = s[r * resolution + c];
                    g.setColor(tint(score > 0 ? CLASS1 : CLASS0, Math.min(1.0, Math.abs(score))));
                    // cell edges rounded from exact fractions, so the cells tile the square at any resolution
                    int x0 = PLOT_LEFT + c * PLOT_SIZE / resolution, x1 = PLOT_LEFT + (c + 1) * PLOT_SIZE / resolution;
                    int y0 = PLOT_TOP + r * PLOT_SIZE / resolution, y1 = PLOT_TOP + (r + 1) * PLOT_SIZE / resolution;
                    g.fillRect(x0, y0, x1 - x0, y1 - y0);
                }
            }
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setStroke(new BasicStroke(1f));
            for (int i = 0; i < points.length; i++) {
                int px = PLOT_LEFT + (int) Math.round((points[i][0] - minX) / (maxX - minX) * PLOT_SIZE);
                int py = PLOT_TOP + (int) Math.round((maxY - points[i][1]) / (maxY - minY) * PLOT_SIZE);
                drawPoint(g, px, py, labels[i] == 1 ? CLASS1 : CLASS0);
            }
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF); // crisp axes
            g.setColor(Color.BLACK);
            g.drawRect(PLOT_LEFT, PLOT_TOP, PLOT_SIZE, PLOT_SIZE);
            Text text = new Text(g);
            // ticks every half unit, labelled every unit
            for (double t = Math.ceil(minX * 2) / 2; t <= maxX; t += 0.5) {
                int px = PLOT_LEFT + (int) Math.round((t - minX) / (maxX - minX) * PLOT_SIZE);
                boolean major = t == Math.rint(t);
                g.setColor(Color.BLACK);
                g.drawLine(px, PLOT_TOP + PLOT_SIZE, px, PLOT_TOP + PLOT_SIZE + (major ? 6 : 3));
                if (major) text.draw(String.format(Locale.ROOT, "%.0f", t), px, PLOT_TOP + PLOT_SIZE + 20, 12, false, 1);
            }
            for (double t = Math.ceil(minY * 2) / 2; t <= maxY; t += 0.5) {
                int py = PLOT_TOP + (int) Math.round((maxY - t) / (maxY - minY) * PLOT_SIZE);
                boolean major = t == Math.rint(t);
                g.setColor(Color.BLACK);
                g.drawLine(PLOT_LEFT - (major ? 6 : 3), py, PLOT_LEFT, py);
                if (major) text.draw(String.format(Locale.ROOT, "%.0f", t), PLOT_LEFT - 9, py + 4, 12, false, 2);
            }
            text.draw("x0", PLOT_LEFT + PLOT_SIZE / 2, PLOT_TOP + PLOT_SIZE + 36, 13, false, 1);
            text.draw("x1", PLOT_LEFT - 40, PLOT_TOP + PLOT_SIZE / 2 + 4, 13, false, 1);
            text.draw(caption, PLOT_LEFT, 24, 14, true, 0);
            // the legend: the two classes' markers, and what the background means
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            drawPoint(g, LEGEND_CLASS0_X, LEGEND_Y, CLASS0);
            text.draw("class 0", LEGEND_CLASS0_X + 10, LEGEND_Y + 5, 12, false, 0);
            drawPoint(g, LEGEND_CLASS1_X, LEGEND_Y, CLASS1);
            text.draw("class 1", LEGEND_CLASS1_X + 10, LEGEND_Y + 5, 12, false, 0);
            text.draw("shading: the predicted class", LEGEND_CLASS1_X + 80, LEGEND_Y + 5, 12, false, 0);
        } finally {
            g.dispose();
        }
        createParent(file);
        if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer available for " + file);
    }

    private static void drawPoint(Graphics2D g, int x, int y, Color color) {
        g.setColor(color);
        g.fillOval(x - POINT_RADIUS, y - POINT_RADIUS, 2 * POINT_RADIUS, 2 * POINT_RADIUS);
        g.setColor(Color.BLACK);
        g.drawOval(x - POINT_RADIUS, y - POINT_RADIUS, 2 * POINT_RADIUS, 2 * POINT_RADIUS);
    }

    /**
     * Text on a picture if the machine has fonts: a headless machine without them (AWT's "Fontconfig head is null")
     * still gets the picture, without its words. After the first failure no more text is tried.
     */
    private static final class Text {
        private final Graphics2D g;
        private boolean broken;

        Text(Graphics2D g) {
            this.g = g;
        }

        /** Draws s with its baseline at y; align 0 puts its left end at x, 1 its centre, 2 its right end. */
        void draw(String s, int x, int baseline, int size, boolean bold, int align) {
            if (broken) return;
            try {
                g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size));
                g.setColor(Color.BLACK);
                int width = g.getFontMetrics().stringWidth(s);
                g.drawString(s, x - (align == 0 ? 0 : align == 1 ? width / 2 : width), baseline);
            } catch (RuntimeException | LinkageError | InternalError e) {
                broken = true;
                LOG.debug("No text on the picture: fonts are unavailable ({})", e.toString());
            }
        }
    }

    /** The colour mixed with white: strength 0 gives a pale tint, 1 a medium one (the points stay the darkest). */
    private static Color tint(Color color, double strength) {
        double keep = 0.25 + 0.35 * strength;
        return new Color(mix(color.getRed(), keep), mix(color.getGreen(), keep), mix(color.getBlue(), keep));
    }

    private static int mix(int channel, double keep) {
        return (int) Math.round(255 - (255 - channel) * keep);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
    }

    /** A curve: x and y values of equal length, grown point by point. */
    static final class Series {
        private final List<double[]> points = new ArrayList<>();

        void add(double x, double y) {
            points.add(new double[] {x, y});
        }

        int size() {
            return points.size();
        }

        double[] xs() {
            return points.stream().mapToDouble(p -> p[0]).toArray();
        }

        double[] ys() {
            return points.stream().mapToDouble(p -> p[1]).toArray();
        }

        double lastY() {
            if (points.isEmpty()) throw new IllegalStateException("empty series");
            return points.get(points.size() - 1)[1];
        }
    }
}
