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
        assertEquals(480, image.getWidth()); // 40 cells of 12 pixels
        assertEquals(480, image.getHeight());

        Color left = new Color(image.getRGB(20, 400));
        Color right = new Color(image.getRGB(460, 400));
        assertTrue(left.getRed() > left.getBlue(), "left background should be red-tinted: " + left);
        assertTrue(right.getBlue() > right.getRed(), "right background should be blue-tinted: " + right);

        // The range is [-0.25, 1.25] on both axes, so the point (1, 1) sits at pixel (400, 80), drawn in solid blue.
        Color point = new Color(image.getRGB(400, 80));
        assertEquals(new Color(0x1F, 0x77, 0xB4), point);
        // and (0, 0) at (80, 400) in solid red.
        assertEquals(new Color(0xD6, 0x27, 0x28), new Color(image.getRGB(80, 400)));
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
