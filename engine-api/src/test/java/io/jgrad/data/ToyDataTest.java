package io.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ToyDataTest {

    @Test
    void shapesAndLabelBalance() {
        ToyData moons = ToyData.moons(101, 0.1, 1);
        assertShape(moons, 101);
        assertArrayEquals(new int[] {50, 51}, counts(moons.y(), 2));

        ToyData circles = ToyData.circles(100, 0.05, 0.5, 1);
        assertShape(circles, 100);
        assertArrayEquals(new int[] {50, 50}, counts(circles.y(), 2));

        ToyData spirals = ToyData.spirals(100, 3, 0.2, 1);
        assertShape(spirals, 100);
        assertArrayEquals(new int[] {34, 33, 33}, counts(spirals.y(), 3));

        ToyData single = ToyData.moons(1, 0.0, 1);
        assertShape(single, 1);
        assertArrayEquals(new int[] {0, 1}, counts(single.y(), 2));
    }

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        assertSameData(ToyData.moons(50, 0.1, 7), ToyData.moons(50, 0.1, 7));
        assertSameData(ToyData.circles(50, 0.1, 0.3, 7), ToyData.circles(50, 0.1, 0.3, 7));
        assertSameData(ToyData.spirals(60, 3, 0.2, 7), ToyData.spirals(60, 3, 0.2, 7));
        assertFalse(Arrays.deepEquals(ToyData.moons(50, 0.1, 7).x(), ToyData.moons(50, 0.1, 8).x()));
        assertFalse(Arrays.equals(ToyData.moons(50, 0.0, 7).y(), ToyData.moons(50, 0.0, 8).y()),
                "the shuffle depends on the seed");
    }

    @Test
    void noiseFreeMoonsLieExactlyOnTheTwoHalfCircles() {
        int n = 41; // 20 on the outer moon, 21 on the inner
        ToyData moons = ToyData.moons(n, 0.0, 3);
        double[][] x = moons.x();
        int[] y = moons.y();
        double[] outerAngles = new double[20];
        double[] innerAngles = new double[21];
        int o = 0, in = 0;
        for (int i = 0; i < n; i++) {
            double px = x[i][0], py = x[i][1];
            if (y[i] == 0) {
                assertEquals(1.0, px * px + py * py, 1e-12, "outer point on the unit circle");
                assertTrue(py >= -1e-15, "outer point on the upper half");
                outerAngles[o++] = Math.atan2(py, px);
            } else {
                double dx = 1 - px, dy = 0.5 - py; // (cos t, sin t) of the inner point
                assertEquals(1.0, dx * dx + dy * dy, 1e-12, "inner point on the circle around (1, 0.5)");
                assertTrue(dy >= -1e-15, "inner point on the lower half");
                innerAngles[in++] = Math.atan2(dy, dx);
            }
        }
        assertEvenlySpaced(outerAngles, 0, Math.PI);
        assertEvenlySpaced(innerAngles, 0, Math.PI);
    }

    @Test
    void noiseIsAddedAfterTheShuffleWithTheRequestedSpread() {
        // The shuffle draws first, so the clean and the noisy set share the order; the difference is the noise.
        int n = 4000;
        double noise = 0.1;
        double[][] clean = ToyData.moons(n, 0.0, 11).x();
        double[][] noisy = ToyData.moons(n, noise, 11).x();
        assertArrayEquals(ToyData.moons(n, 0.0, 11).y(), ToyData.moons(n, noise, 11).y());
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 2; d++) {
                double e = noisy[i][d] - clean[i][d];
                sum += e;
                sumSq += e * e;
            }
        }
        double mean = sum / (2 * n);
        double std = Math.sqrt(sumSq / (2 * n) - mean * mean);
        assertEquals(0.0, mean, 0.01);
        assertEquals(noise, std, 0.005);
    }

    @Test
    void noiseFreeCirclesHaveTheirRadiiAndDoNotRepeatTheStart() {
        double factor = 0.3;
        ToyData circles = ToyData.circles(16, 0.0, factor, 5);
        double[][] x = circles.x();
        int[] y = circles.y();
        double[] outer = new double[8];
        int o = 0;
        for (int i = 0; i < x.length; i++) {
            double r = Math.hypot(x[i][0], x[i][1]);
            assertEquals(y[i] == 0 ? 1.0 : factor, r, 1e-12);
            if (y[i] == 0) outer[o++] = Math.atan2(x[i][1], x[i][0]);
        }
        // Angles k * 2pi/8 for k = 0..7: no point at 2pi on top of the one at 0.
        for (int k = 0; k < 8; k++) outer[k] = (outer[k] + 2 * Math.PI) % (2 * Math.PI);
        Arrays.sort(outer);
        for (int k = 0; k < 8; k++) assertEquals(k * 2 * Math.PI / 8, outer[k], 1e-12);
    }

    @Test
    void noiseFreeSpiralArmsFollowTheirAngles() {
        int classes = 3;
        ToyData spirals = ToyData.spirals(30, classes, 0.0, 2);
        double[][] x = spirals.x();
        int[] y = spirals.y();
        for (int i = 0; i < x.length; i++) {
            // Along arm c the angle is 4c + 4r, where r runs from 0 to 1 with the same step.
            double r = Math.hypot(x[i][0], x[i][1]);
            double t = 4.0 * y[i] + 4.0 * r;
            assertEquals(r * Math.sin(t), x[i][0], 1e-12);
            assertEquals(r * Math.cos(t), x[i][1], 1e-12);
        }
        double maxRadius = 0;
        for (double[] p : x) maxRadius = Math.max(maxRadius, Math.hypot(p[0], p[1]));
        assertEquals(1.0, maxRadius, 1e-12);
    }

    @Test
    void accessorsReturnCopies() {
        ToyData data = ToyData.moons(10, 0.0, 1);
        data.x()[0][0] = 99;
        data.y()[0] = 99;
        assertTrue(data.x()[0][0] != 99);
        assertTrue(data.y()[0] != 99);
        assertEquals(10, data.size());
    }

    @Test
    void badArgumentsAreRejected() {
        assertBad(() -> ToyData.moons(0, 0.1, 1), "n must be positive");
        assertBad(() -> ToyData.moons(-5, 0.1, 1), "n must be positive");
        assertBad(() -> ToyData.moons(10, -0.1, 1), "noise");
        assertBad(() -> ToyData.moons(10, Double.NaN, 1), "noise");
        assertBad(() -> ToyData.circles(0, 0.1, 0.5, 1), "n must be positive");
        assertBad(() -> ToyData.circles(10, -1, 0.5, 1), "noise");
        for (double factor : new double[] {0.0, 1.0, -0.2, 1.5, Double.NaN}) {
            assertBad(() -> ToyData.circles(10, 0.1, factor, 1), "factor");
        }
        assertBad(() -> ToyData.spirals(0, 3, 0.2, 1), "n must be positive");
        assertBad(() -> ToyData.spirals(10, 0, 0.2, 1), "classes");
        assertBad(() -> ToyData.spirals(2, 3, 0.2, 1), "at least one point per class");
        assertBad(() -> ToyData.spirals(10, 2, -0.2, 1), "noise");
    }

    private static void assertShape(ToyData data, int n) {
        assertEquals(n, data.size());
        assertEquals(n, data.x().length);
        assertEquals(n, data.y().length);
        for (double[] row : data.x()) assertEquals(2, row.length);
    }

    private static int[] counts(int[] labels, int classes) {
        int[] c = new int[classes];
        for (int label : labels) c[label]++;
        return c;
    }

    private static void assertSameData(ToyData a, ToyData b) {
        assertTrue(Arrays.deepEquals(a.x(), b.x()));
        assertArrayEquals(a.y(), b.y());
    }

    private static void assertEvenlySpaced(double[] angles, double from, double to) {
        double[] sorted = angles.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < sorted.length; k++) {
            assertEquals(from + (to - from) * k / (sorted.length - 1), sorted[k], 1e-12);
        }
    }

    private static void assertBad(Runnable call, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
