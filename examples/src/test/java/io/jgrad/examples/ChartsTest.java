package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void curvesArePngsWithALossAndAnAccuracyPanelSideBySide() throws Exception {
        Charts.Series loss = new Charts.Series();
        Charts.Series acc = new Charts.Series();
        for (int k = 0; k < 50; k++) {
            loss.add(k, Math.exp(-k / 10.0));
            acc.add(k, 1 - Math.exp(-k / 10.0));
        }
        Map<String, Charts.Series> losses = new LinkedHashMap<>();
        losses.put("train", loss);
        Path both = dir.resolve("sub/folder/both.png"); // parent folders are created
        Charts.writeCurves(both, "test", "step", losses, Map.of("train", acc));
        BufferedImage image = ImageIO.read(both.toFile());
        assertEquals(2 * 640, image.getWidth());
        assertEquals(420, image.getHeight());

        Path lossOnly = dir.resolve("loss.png");
        Charts.writeCurves(lossOnly, "test", "step", losses, Map.of());
        assertEquals(640, ImageIO.read(lossOnly.toFile()).getWidth());
    }

    @Test
    void decisionBoundaryColoursEachSideByTheScoreSignAndDrawsThePoints() throws Exception {
        // Two points; the classifier says class 1 (blue) right of x0 = 0.5 and class 0 (red) left of it.
        double[][] points = {{0, 0}, {1, 1}};
        int[] labels = {0, 1};
        Path file = dir.resolve("boundary.png");
        int[] calls = {0};
        Charts.writeDecisionBoundary(file, points, labels, grid -> {
            calls[0]++;
            double[] s = new double[grid.length];
            for (int i = 0; i < grid.length; i++) s[i] = grid[i][0] - 0.5;
            return s;
        }, 40, "caption");
        assertEquals(1, calls[0], "the whole grid is scored in one call");
        BufferedImage image = ImageIO.read(file.toFile());
        // the 480-pixel plot with room for axes on the left, the caption above, and tick labels and legend below
        assertEquals(Charts.PLOT_LEFT + Charts.PLOT_SIZE + 20, image.getWidth());
        assertTrue(image.getHeight() > Charts.PLOT_TOP + Charts.PLOT_SIZE + 40, "height " + image.getHeight());
        int x0 = Charts.PLOT_LEFT, y0 = Charts.PLOT_TOP;

        Color left = new Color(image.getRGB(x0 + 20, y0 + 400));
        Color right = new Color(image.getRGB(x0 + 460, y0 + 400));
        assertTrue(left.getRed() > left.getBlue(), "left background should be red-tinted: " + left);
        assertTrue(right.getBlue() > right.getRed(), "right background should be blue-tinted: " + right);

        // The range is [-0.25, 1.25] on both axes, so the point (1, 1) sits at plot pixel (400, 80), drawn in solid blue.
        assertEquals(new Color(0x1F, 0x77, 0xB4), new Color(image.getRGB(x0 + 400, y0 + 80)));
        // and (0, 0) at (80, 400) in solid red.
        assertEquals(new Color(0xD6, 0x27, 0x28), new Color(image.getRGB(x0 + 80, y0 + 400)));

        // The axes: the plot's frame, and a tick below the x axis at x0 = 0 (plot pixel 80) and beside the y axis.
        assertEquals(Color.BLACK, new Color(image.getRGB(x0 - 1 + 1, y0 + 200)));
        assertEquals(Color.BLACK, new Color(image.getRGB(x0 + 80, y0 + Charts.PLOT_SIZE + 4)));
        assertEquals(Color.BLACK, new Color(image.getRGB(x0 - 4, y0 + 400)));
        assertEquals(Color.WHITE, new Color(image.getRGB(x0 + 90, y0 + Charts.PLOT_SIZE + 4)), "no tick between ticks");
        // The class legend: a red and a blue marker below the plot.
        assertEquals(new Color(0xD6, 0x27, 0x28), new Color(image.getRGB(Charts.LEGEND_CLASS0_X, Charts.LEGEND_Y)));
        assertEquals(new Color(0x1F, 0x77, 0xB4), new Color(image.getRGB(Charts.LEGEND_CLASS1_X, Charts.LEGEND_Y)));
    }

    @Test
    void tickLabelsGetTheDecimalsTheirRangeNeeds() {
        assertEquals("0.0", Charts.decimalPattern(0, 1));
        assertEquals("0.00", Charts.decimalPattern(0.5, 0.6));
        assertEquals("0.0000", Charts.decimalPattern(0.2068, 0.2112));
        assertEquals("#,##0", Charts.decimalPattern(0, 6000));
        assertEquals("#,##0", Charts.decimalPattern(-50, 50));
        assertEquals("0.0000", Charts.decimalPattern(0.0044, 0.0044)); // a single value: its own size sets the decimals
    }

    @Test
    void aChartOfOnePointIsDrawn() throws Exception {
        // A resumed MNIST run of one epoch used to get an empty axis range; the chart must still be drawn.
        Charts.Series loss = new Charts.Series();
        loss.add(16, 0.2070);
        Path file = dir.resolve("one.png");
        Charts.writeCurves(file, "mnist", "epoch", Map.of("train loss", loss), Map.of());
        assertEquals(640, ImageIO.read(file.toFile()).getWidth());
    }

    @Test
    void decisionBoundaryRejectsMismatchedInputAndAWrongNumberOfScores() {
        Path file = dir.resolve("bad.png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.writeDecisionBoundary(file, new double[][] {{0, 0}}, new int[] {0, 1}, g -> new double[g.length], 10, ""));
        assertTrue(e.getMessage().contains("1 points and 2 labels"), e.getMessage());
        IllegalStateException e2 = assertThrows(IllegalStateException.class,
                () -> Charts.writeDecisionBoundary(file, new double[][] {{0, 0}}, new int[] {0}, g -> new double[3], 10, ""));
        assertTrue(e2.getMessage().contains("3 scores for 100 grid points"), e2.getMessage());
    }

    @Test
    void aPictureThatCannotBeDrawnIsAWarningNotAFailure() {
        // What AWT throws on a machine without fonts.
        Path file = dir.resolve("never.png");
        assertFalse(Charts.writeOrWarn(file, () -> {
            throw new RuntimeException("Fontconfig head is null, check your fonts or fonts configuration");
        }));
        assertFalse(Charts.writeOrWarn(file, () -> {
            throw new java.io.IOException("read-only folder");
        }));
        assertTrue(Charts.writeOrWarn(file, () -> { }));
    }
}
