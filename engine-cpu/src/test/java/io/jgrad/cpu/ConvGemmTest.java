package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jgrad.spi.ConvGeometry;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ConvGemm}'s implicit GEMMs against float64 loops written from the definition, over geometries that also
 * reach the paths {@link ConvKernels} would not send there (few rows per group): padding wider than the kernel, strides, dilation, groups, images narrower than a panel, units that straddle
 * images, rows whose last panel overlaps the one before.
 */
class ConvGemmTest {

    /** {n, c, h, w, out, kh, kw, sh, sw, top, bottom, left, right, dh, dw, groups}. */
    private static final int[][] GEOMETRIES = {
            {2, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
            {3, 8, 9, 9, 6, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 2},
            {2, 6, 8, 7, 6, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 6},
            {5, 4, 11, 10, 6, 3, 2, 2, 3, 2, 0, 1, 2, 2, 1, 2},
            {1, 2, 5, 5, 3, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1},
            {3, 16, 13, 13, 20, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1}, // the cnn example's second layer, narrower
            {2, 7, 9, 11, 13, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
            {1, 5, 4, 9, 2, 1, 3, 1, 4, 0, 0, 3, 3, 1, 2, 1},
            {2, 4, 6, 7, 8, 3, 2, 1, 1, 3, 1, 0, 2, 2, 3, 2},     // padding beyond dilation * (kernel - 1)
            {4, 1, 10, 10, 9, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1},   // one input channel
            {4, 6, 20, 20, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},   // 1600 columns: several weight blocks and units
            // rows at least a panel wide, for the direct kernels
            {2, 5, 9, 37, 7, 3, 3, 1, 1, 1, 1, 2, 1, 1, 2, 1},    // 36 columns: the last panel overlaps; dilated
            {3, 12, 6, 20, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2},  // groups
            {1, 6, 5, 18, 6, 3, 3, 1, 1, 3, 0, 3, 0, 1, 1, 1},    // padding beyond the kernel: the flipped one is negative
            {2, 6, 7, 40, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
            {2, 7, 12, 35, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1},   // strided: the direct weight gradient
            // rows of 16 pixels (AVX2's tile width): whole rows per tile, written straight into the output where
            // the row tiles end at the group's last row (10 rows: tiles of 6 and 4; 12: of 6), else through C (9)
            {2, 10, 6, 16, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
            {2, 24, 5, 32, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2},
            {1, 7, 4, 16, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    };

    private static ConvGeometry geometry(int[] s) {
        ConvGeometry g = new ConvGeometry(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], s[12],
                s[13], s[14], s[15]);
        g.check("test");
        return g;
    }

    @Test
    public void implicitGemmsMatchTheDefinition() {
        assumeTrue(ConvGemm.DIRECT != null, "needs the Vector API module (--add-modules jdk.incubator.vector)");
        for (int c = 0; c < GEOMETRIES.length; c++) {
            ConvGeometry g = geometry(GEOMETRIES[c]);
            Random rnd = new Random(500 + c);
            int kh = g.kernelH(), kw = g.kernelW();
            float[] x = ConvReference.random(rnd, g.batch() * g.inChannels() * g.inH() * g.inW());
            float[] w = ConvReference.random(rnd, g.outChannels() * g.inPerGroup() * kh * kw);
            float[] bias = ConvReference.random(rnd, g.outChannels());
            float[] gy = ConvReference.random(rnd, g.batch() * g.outChannels() * g.outH() * g.outW());
            ConvReference want = ConvReference.of(g, x, w, bias, gy);
            String what = "geometry " + c + " " + g;

            check(g, x, w, bias, gy, want.y(), want.gx(), want.gw(), what);
        }
    }

    private static void check(ConvGeometry g, float[] x, float[] w, float[] bias, float[] gy, double[] y, double[] gx,
                              double[] gw, String what) {
        if (g.strideH() == 1 && g.strideW() == 1) { // the forward kernels serve stride 1
            int kh = g.kernelH(), kw = g.kernelW();
            ConvGemm.Plan plan = ConvGemm.Plan.forward(g);
            float[] out = new float[y.length + 3];
            ConvGemm.convolve(plan, x, 0, w, 0, false, out, 3, bias, 0);
            assertNear(y, out, 3, "forward " + what);

            // one image at a time gives the very same bits: a column's sum does not depend on its unit
            float[] alone = new float[y.length];
            int inImage = g.inChannels() * g.inH() * g.inW(), outImage = g.outChannels() * g.outH() * g.outW();
            ConvGemm.Plan one = ConvGemm.Plan.forward(new ConvGeometry(1, g.inChannels(), g.inH(), g.inW(), g.outChannels(),
                    kh, kw, g.strideH(), g.strideW(), g.padTop(), g.padBottom(), g.padLeft(), g.padRight(), g.dilationH(),
                    g.dilationW(), g.groups()));
            for (int n = 0; n < g.batch(); n++) {
                float[] img = java.util.Arrays.copyOfRange(x, n * inImage, (n + 1) * inImage);
                float[] o1 = new float[outImage];
                ConvGemm.convolve(one, img, 0, w, 0, false, o1, 0, bias, 0);
                System.arraycopy(o1, 0, alone, n * outImage, outImage);
            }
            assertArrayEquals(java.util.Arrays.copyOfRange(out, 3, out.length), alone, "per image " + what);

            ConvGemm.Plan back = ConvGemm.Plan.inputGradient(g);
            float[] gxGot = new float[gx.length + 5];
            ConvGemm.convolve(back, gy, 0, w, 0, true, gxGot, 5, null, 0);
            assertNear(gx, gxGot, 5, "input gradient " + what);
        }
        float[] gwGot = new float[gw.length + 2]; // any stride
        ConvGemm.weightGradient(ConvGemm.Plan.forward(g), x, 0, gy, 0, gwGot, 2);
        assertNear(gw, gwGot, 2, "weight gradient " + what);
    }

    private static void assertNear(double[] want, float[] got, int offset, String what) {
        double scale = 1e-30;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[offset + i], 2e-6 * scale, what + " at " + i);
        }
    }
}
