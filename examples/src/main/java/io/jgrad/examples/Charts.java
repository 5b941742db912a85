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
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
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

    private static XYChart chart(String title, String xLabel, String yLabel, Map<String, Series> series) {
        XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        for (Map.Entry<String, Series> e : series.entrySet()) {
            Series s = e.getValue();
            if (s.size() == 0) continue;
            chart.addSeries(e.getKey(), s.xs(), s.ys()).setMarker(s.size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /**
     * Draws a two-class decision boundary: the classifier's score over a grid as a red/blue background (paler near
     * the boundary at score 0), the data points on top, and a caption.
     *
     * @param file       the PNG to write
     * @param points     the data, one {x0, x1} row each
     * @param labels     0 or 1 per point
     * @param scores     maps grid points (rows {x0, x1}) to scores; positive means class 1
     * @param resolution grid cells per side
     * @param caption    text drawn in the top left corner
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

        int cell = Math.max(1, 480 / resolution);
        int size = cell * resolution;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            for (int r = 0; r < resolution; r++) {
                for (int c = 0; c < resolution; c++) {
                    double score = s[r * resolution + c];
                    g.setColor(tint(score > 0 ? CLASS1 : CLASS0, Math.min(1.0, Math.abs(score))));
                    g.fillRect(c * cell, r * cell, cell, cell);
                }
            }
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setStroke(new BasicStroke(1f));
            int radius = 5;
            for (int i = 0; i < points.length; i++) {
                int px = (int) Math.round((points[i][0] - minX) / (maxX - minX) * size);
                int py = (int) Math.round((maxY - points[i][1]) / (maxY - minY) * size);
                g.setColor(labels[i] == 1 ? CLASS1 : CLASS0);
                g.fillOval(px - radius, py - radius, 2 * radius, 2 * radius);
                g.setColor(Color.BLACK);
                g.drawOval(px - radius, py - radius, 2 * radius, 2 * radius);
            }
            drawCaption(g, caption);
        } finally {
            g.dispose();
        }
        createParent(file);
        if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer available for " + file);
    }

    /** Draws the caption if the machine has fonts; the picture is still useful without it. */
    private static void drawCaption(Graphics2D g, String caption) {
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.setColor(Color.BLACK);
            g.drawString(caption, 8, 20);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("No caption: fonts are unavailable ({})", e.toString());
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
