package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The batch-norm run loops, plain and Vector API, against float64 sums (the sums: within a few float32 roundings of
 * the terms' magnitude) and against each other (the per-element passes: bit for bit), over lengths around the vector
 * blocks and a mean far from zero.
 */
class ChannelBatchNormRunsTest {

    private static List<ChannelBatchNorm.Runs> implementations() {
        List<ChannelBatchNorm.Runs> all = new ArrayList<>(List.of(ChannelBatchNorm.PLAIN));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) all.add(new VectorBatchNorm());
        return all;
    }

    @Test
    void sumsAgreeWithFloat64AndPassesAgreeBitForBit() {
        Random rnd = new Random(11);
        for (int len : new int[]{0, 1, 7, 15, 16, 17, 100, 169, 255, 256, 257, 1024, 5000}) {
            float[] x = new float[len + 3], g = new float[len + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (40 + rnd.nextGaussian());
                g[i] = (float) rnd.nextGaussian();
            }
            double k = len > 0 ? x[3] : 0, mu = 40.123456789;
            double s = 0, q = 0, sg = 0, sd = 0, mag = 0, magD = 0;
            for (int i = 3; i < len + 3; i++) {
                double d = x[i] - k;
                s += d;
                q += d * d;
                sg += g[i];
                sd += g[i] * (x[i] - mu);
                mag += Math.abs(d) + d * d;
                magD += Math.abs(g[i]) * (1 + Math.abs(x[i] - mu));
            }
            float[] ref = null, ref2 = null;
            for (ChannelBatchNorm.Runs runs : implementations()) {
                String what = runs.getClass().getSimpleName() + " len " + len;
                float[] lanes = new float[runs.scratch()];
                double[] acc = {0.5, -0.25};
                runs.moments(x, 3, len, k, acc, lanes);
                double tol = 1e-6 * mag + 1e-12;
                assertEquals(0.5 + s, acc[0], tol, what + " sum of x - k");
                assertEquals(-0.25 + q, acc[1], tol, what + " sum of (x - k)^2");
                double[] acc2 = {0, 0};
                runs.sumAndDotCentered(g, 3, x, 3, len, mu, acc2, lanes);
                assertEquals(sg, acc2[0], 1e-6 * magD + 1e-12, what + " sum of g");
                assertEquals(sd, acc2[1], 1e-6 * magD + 1e-12, what + " sum of g (x - mu)");
                double[] acc3 = {1.0};
                runs.sum(g, 3, len, acc3, lanes);
                assertEquals(1.0 + sg, acc3[0], 1e-6 * magD + 1e-12, what + " sum");
                float[] o = new float[len + 2], o2 = new float[len + 2];
                runs.affine(o, 2, x, 3, len, 0.75f, -30f);
                runs.affine2(o2, 2, g, 3, x, 3, len, 1.25f, -0.5f, 20f);
                for (int i = 0; i < len; i++) {
                    assertEquals(Math.fma(x[3 + i], 0.75f, -30f), o[2 + i], 0f, what + " affine at " + i);
                    assertEquals(Math.fma(g[3 + i], 1.25f, Math.fma(x[3 + i], -0.5f, 20f)), o2[2 + i], 0f, what + " affine2 at " + i);
                }
                if (ref != null) {
                    for (int i = 0; i < len + 2; i++) {
                        assertTrue(Float.floatToIntBits(ref[i]) == Float.floatToIntBits(o[i]) && Float.floatToIntBits(ref2[i]) == Float.floatToIntBits(o2[i]),
                                what + " per-element passes differ from the plain loops at " + i);
                    }
                }
                ref = o;
                ref2 = o2;
            }
        }
    }
}
