package io.jgrad.examples;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Pictures of what a small image classifier learnt: its first convolution's filters (blue negative, red positive on
 * one scale for all, so their strengths compare) and a grid of the test images it gets wrong, each captioned
 * "label → prediction".
 */
final class DigitPictures {
    private static final int MARGIN = 12;
    private static final int TITLE = 28;

    private DigitPictures() {
    }

    /** filters [count, k, k] (row-major, one input channel) as a grid of 8 per row, each weight a square of cells. */
    static void writeFilters(Path file, String title, float[] weights, int count, int k) throws IOException {
        int cell = Math.max(8, 72 / k), side = cell * k, perRow = Math.min(8, count), rows = (count + perRow - 1) / perRow;
        int gap = 10;
        int width = 2 * MARGIN + perRow * side + (perRow - 1) * gap, height = TITLE + 2 * MARGIN + rows * side + (rows - 1) * gap + 20;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double scale = 0;
        for (float v : weights) scale = Math.max(scale, Math.abs(v));
        for (int f = 0; f < count; f++) {
            int x0 = MARGIN + (f % perRow) * (side + gap), y0 = TITLE + MARGIN + (f / perRow) * (side + gap);
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) {
                    g.setColor(diverging(weights[(f * k + r) * k + c] / scale));
                    g.fillRect(x0 + c * cell, y0 + r * cell, cell, cell);
                }
            }
            g.setColor(Color.GRAY);
            g.drawRect(x0 - 1, y0 - 1, side + 1, side + 1);
        }
        text(g, title, MARGIN, 20, 15);
        text(g, String.format(java.util.Locale.ROOT, "blue < 0 < red, full colour at |w| = %.3f", scale), MARGIN, height - 8, 11);
        g.dispose();
        write(img, file);
    }

    /**
     * Up to {@code most} misclassified images (pixels [n, 784], any scale: each picture is stretched to its own range)
     * in a grid of 8 per row, enlarged 3 times, with "label → prediction" under each.
     */
    static void writeMisclassified(Path file, float[] pixels, long[] labels, long[] predicted, int most) throws IOException {
        int n = labels.length, wrongCount = 0;
        int[] wrong = new int[Math.min(most, n)];
        int total = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] == predicted[i]) continue;
            total++;
            if (wrongCount < wrong.length) wrong[wrongCount++] = i;
        }
        int zoom = 3, side = 28 * zoom, caption = 18, perRow = 8, rows = Math.max(1, (wrongCount + perRow - 1) / perRow), gap = 8;
        int width = 2 * MARGIN + perRow * side + (perRow - 1) * gap, height = TITLE + 2 * MARGIN + rows * (side + caption + gap);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        for (int j = 0; j < wrongCount; j++) {
            int i = wrong[j];
            int x0 = MARGIN + (j % perRow) * (side + gap), y0 = TITLE + MARGIN + (j / perRow) * (side + caption + gap);
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (int p = 0; p < 784; p++) {
                lo = Math.min(lo, pixels[i * 784 + p]);
                hi = Math.max(hi, pixels[i * 784 + p]);
            }
            for (int p = 0; p < 784; p++) {
                float t = hi > lo ? (pixels[i * 784 + p] - lo) / (hi - lo) : 0;
                int grey = 255 - Math.round(255 * t); // dark ink on white, as on paper
                g.setColor(new Color(grey, grey, grey));
                g.fillRect(x0 + (p % 28) * zoom, y0 + (p / 28) * zoom, zoom, zoom);
            }
            g.setColor(Color.LIGHT_GRAY);
            g.drawRect(x0 - 1, y0 - 1, side + 1, side + 1);
            text(g, labels[i] + " \u2192 " + predicted[i], x0 + side / 2 - 14, y0 + side + 14, 13);
        }
        text(g, String.format(java.util.Locale.ROOT, "misclassified: %d of %d test images (label \u2192 prediction)%s", total, n,
                total > wrongCount ? ", the first " + wrongCount + " shown" : ""), MARGIN, 20, 15);
        g.dispose();
        write(img, file);
    }

    /** -1 blue, 0 white, +1 red. */
    private static Color diverging(double t) {
        t = Math.max(-1, Math.min(1, t));
        int fade = (int) Math.round(255 * (1 - Math.abs(t)));
        return t >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255);
    }

    /** Text where the machine has fonts; a headless machine without them still gets the picture. */
    private static void text(Graphics2D g, String s, int x, int baseline, int size) {
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
            g.setColor(Color.BLACK);
            g.drawString(s, x, baseline);
        } catch (RuntimeException | LinkageError | InternalError e) {
            // no fonts: the picture without words
        }
    }

    private static void write(BufferedImage img, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer for " + file);
    }
}
