package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jgrad.DType;
import io.jgrad.spi.ConvGeometry;
import io.jgrad.spi.View;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FewTapConv}'s direct forward pass against float64 loops: one, two and three input channels, odd output
 * channels, padding on some sides, rectangular kernels, images narrower than a vector, and geometries it declines.
 */
class FewTapConvTest {
    private final CpuBackend cpu = new CpuBackend();

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    @Test
    void forwardMatchesFloat64Loops() {
        assumeTrue(FewTapConv.LOOPS != null, "needs the Vector API module (--add-modules jdk.incubator.vector)");
        Random rnd = new Random(21);
        // batch, in channels, h, w, out channels, kh, kw, pad top, bottom, left, right
        int[][] cases = {{5, 1, 28, 28, 32, 3, 3, 0, 0, 0, 0}, {3, 3, 11, 9, 7, 3, 3, 1, 1, 1, 1}, {2, 1, 5, 4, 3, 2, 3, 0, 1, 2, 0},
                {4, 2, 7, 13, 5, 1, 5, 0, 0, 2, 2}, {1, 1, 3, 3, 1, 3, 3, 0, 0, 0, 0}};
        for (int[] c : cases) {
            ConvGeometry g = new ConvGeometry(c[0], c[1], c[2], c[3], c[4], c[5], c[6], 1, 1, c[7], c[8], c[9], c[10], 1, 1, 1);
            assertTrue(FewTapConv.suits(g), g.toString());
            int n = g.batch(), ci = g.inChannels(), h = g.inH(), w = g.inW(), co = g.outChannels(), kh = g.kernelH(), kw = g.kernelW();
            int oh = g.outH(), ow = g.outW();
            float[] x = random(rnd, n * ci * h * w), wt = random(rnd, co * ci * kh * kw), b = random(rnd, co);
            View xv = View.contiguous(cpu.upload(x), g.inputShape()), wv = View.contiguous(cpu.upload(wt), g.weightShape());
            View bv = View.contiguous(cpu.upload(b), co), out = View.contiguous(cpu.allocate(DType.FLOAT32, n * co * oh * ow), g.outputShape());
            assertTrue(FewTapConv.forward(out, xv, wv, bv, g));
            float[] got = new float[n * co * oh * ow];
            cpu.download(out.buffer, 0, got, 0, got.length);
            for (int img = 0; img < n; img++) {
                for (int o = 0; o < co; o++) {
                    for (int r = 0; r < oh; r++) {
                        for (int q = 0; q < ow; q++) {
                            double sum = b[o], mag = Math.abs(b[o]);
                            for (int cc = 0; cc < ci; cc++) {
                                for (int i = 0; i < kh; i++) {
                                    for (int j = 0; j < kw; j++) {
                                        int yy = r + i - g.padTop(), xx = q + j - g.padLeft();
                                        if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                                        int wi = ((o * ci + cc) * kh + i) * kw + j;
                                        double xval = x[((img * ci + cc) * h + yy) * w + xx];
                                        sum += wt[wi] * xval;
                                        mag += Math.abs(wt[wi] * xval);
                                    }
                                }
                            }
                            int at = ((img * co + o) * oh + r) * ow + q;
                            assertEquals(sum, got[at], 1e-6 * mag + 1e-7, g + " forward at " + at);
                        }
                    }
                }
            }
        }
    }

    @Test
    void declinesWhatItDoesNotServe() {
        // strided, dilated, grouped, too many taps
        assertTrue(!FewTapConv.suits(new ConvGeometry(2, 1, 8, 8, 4, 3, 3, 2, 2, 0, 0, 0, 0, 1, 1, 1)));
        assertTrue(!FewTapConv.suits(new ConvGeometry(2, 1, 8, 8, 4, 3, 3, 1, 1, 0, 0, 0, 0, 2, 2, 1)));
        assertTrue(!FewTapConv.suits(new ConvGeometry(2, 2, 8, 8, 4, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 2)));
        assertTrue(!FewTapConv.suits(new ConvGeometry(2, 4, 8, 8, 4, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1)));
    }
}
