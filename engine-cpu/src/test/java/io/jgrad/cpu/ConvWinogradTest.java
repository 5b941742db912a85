package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jgrad.spi.ConvGeometry;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ConvWinograd} (F(2x2, 3x3)) against float64 loops written from the definition, forward (with bias), input
 * gradient (the flipped weight's forward pass) and weight gradient (the transposed algorithm), over odd sizes, padding 0 to 3 (3: the flipped padding is negative),
 * asymmetric padding, groups, channel counts that are not multiples of 8 or 16, more channels than one block of k,
 * batch 1, one-row images and both tile layouts (tile rows padded to whole vectors, and long rows). The tolerance is
 * {@link ConvGemmTest}'s: 2e-6 of the result's largest magnitude.
 */
class ConvWinogradTest {

    /** {n, c, h, w, out, top, bottom, left, right, groups}, all 3x3 at stride 1. */
    private static final int[][] GEOMETRIES = {
            {1, 16, 7, 9, 16, 1, 1, 1, 1, 1},      // batch 1, odd sizes
            {2, 17, 11, 13, 19, 0, 0, 0, 0, 1},    // no padding (the cnn example's layer), 17 and 19 channels
            {3, 20, 12, 10, 24, 2, 2, 2, 2, 1},    // padding 2
            {2, 36, 9, 8, 34, 1, 1, 1, 1, 2},      // groups: 18 channels in, 17 out per group
            {2, 16, 32, 32, 18, 1, 1, 1, 1, 1},    // 16 tiles a row: padded rows, several bands
            {1, 24, 6, 40, 22, 2, 0, 1, 3, 1},     // asymmetric padding, 21 tiles a row
            {1, 330, 4, 5, 16, 1, 1, 1, 1, 1},     // 330 channels: two blocks of k (and 330 rows for the gradient)
            {2, 16, 6, 7, 18, 3, 3, 3, 3, 1},      // padding 3: the input gradient's is -1
            {2, 16, 1, 17, 16, 1, 1, 0, 2, 1},     // one input row
            {1, 48, 15, 3, 48, 0, 1, 1, 0, 3},     // three groups of 16, narrow
    };

    private static ConvGeometry geometry(int[] s) {
        ConvGeometry g = new ConvGeometry(s[0], s[1], s[2], s[3], s[4], 3, 3, 1, 1, s[5], s[6], s[7], s[8], 1, 1, s[9]);
        g.check("test");
        return g;
    }

    @Test
    public void winogradMatchesTheDefinition() {
        assumeTrue(ConvGemm.DIRECT != null, "needs the Vector API module (--add-modules jdk.incubator.vector)");
        double[] worst = new double[3];
        for (int c = 0; c < GEOMETRIES.length; c++) {
            ConvGeometry g = geometry(GEOMETRIES[c]);
            ConvGemm.Plan fwd = ConvGemm.Plan.forward(g), back = ConvGemm.Plan.inputGradient(g);
            assertTrue(ConvWinograd.suits(fwd) && ConvWinograd.suits(back) || !ConvWinograd.ENABLED, "suits " + g);
            Random rnd = new Random(900 + c);
            float[] x = ConvReference.random(rnd, g.batch() * g.inChannels() * g.inH() * g.inW());
            float[] w = ConvReference.random(rnd, g.outChannels() * g.inPerGroup() * 9);
            float[] bias = ConvReference.random(rnd, g.outChannels());
            float[] gy = ConvReference.random(rnd, g.batch() * g.outChannels() * g.outH() * g.outW());
            ConvReference want = ConvReference.of(g, x, w, bias, gy);
            double[] y = want.y(), gx = want.gx(), gw = want.gw();
            String what = "geometry " + c + " " + g;
            float[] out = new float[y.length + 3];
            ConvWinograd.convolve(fwd, x, 0, w, 0, false, out, 3, bias, 0);
            worst[0] = Math.max(worst[0], assertNear(y, out, 3, "forward " + what));
            float[] gxGot = new float[gx.length + 5];
            ConvWinograd.convolve(back, gy, 0, w, 0, true, gxGot, 5, null, 0);
            worst[1] = Math.max(worst[1], assertNear(gx, gxGot, 5, "input gradient " + what));
            float[] gwGot = new float[gw.length + 2];
            ConvWinograd.weightGradient(fwd, x, 0, gy, 0, gwGot, 2);
            worst[2] = Math.max(worst[2], assertNear(gw, gwGot, 2, "weight gradient " + what));

            // one image at a time gives the very same bits: a tile's sums do not depend on its unit or thread
            ConvGeometry single = new ConvGeometry(1, g.inChannels(), g.inH(), g.inW(), g.outChannels(), 3, 3, 1, 1,
                    g.padTop(), g.padBottom(), g.padLeft(), g.padRight(), 1, 1, g.groups());
            int inImage = g.inChannels() * g.inH() * g.inW(), outImage = g.outChannels() * g.outH() * g.outW();
            float[] alone = new float[y.length];
            for (int n = 0; n < g.batch(); n++) {
                float[] o1 = new float[outImage];
                ConvWinograd.convolve(ConvGemm.Plan.forward(single), Arrays.copyOfRange(x, n * inImage, (n + 1) * inImage),
                        0, w, 0, false, o1, 0, bias, 0);
                System.arraycopy(o1, 0, alone, n * outImage, outImage);
            }
            assertArrayEquals(Arrays.copyOfRange(out, 3, out.length), alone, "per image " + what);
        }
        System.out.printf("ConvWinogradTest: largest error over the result's scale: forward %.3g, input gradient %.3g,"
                + " weight gradient %.3g%n", worst[0], worst[1], worst[2]);
    }

    /** Asserts got (from offset) within 2e-6 of want's largest magnitude; returns the largest error over that scale. */
    private static double assertNear(double[] want, float[] got, int offset, String what) {
        double scale = 1e-30, worst = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[offset + i], 2e-6 * scale, what + " at " + i);
            worst = Math.max(worst, Math.abs(want[i] - got[offset + i]) / scale);
        }
        return worst;
    }
}
