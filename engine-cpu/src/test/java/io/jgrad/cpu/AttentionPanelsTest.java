package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jgrad.spi.View;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused attention's products on the GEMM kernel's panels (K and V packed once per slice, causal tiles skipped) give
 * the very bits of the same products through {@link CpuGemm#multiply}, which is what the kernel runs while the GEMM is
 * on its scalar twin: so a result never depends on when a run's GEMM warmed up. The shapes have enough slices for the
 * one-pass backward, ragged blocks and tiles, causal and not, with and without a mask.
 */
class AttentionPanelsTest {
    private static final int[][] SHAPES = { // b, l, s, e, ev
        {16, 130, 130, 24, 40}, {17, 70, 65, 16, 8}, {16, 64, 64, 64, 64}, {16, 200, 150, 8, 32}, {18, 100, 64, 16, 16},
    };

    private static View view(float[] data, int... shape) {
        return new View(CpuBuffer.of(data), 0, shape, View.contiguousStrides(shape));
    }

    private static float[] gaussian(Random rnd, int n, double sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextGaussian() * sd);
        return x;
    }

    @Test
    void thePanelsGiveTheBitsOfThePlainProducts() {
        assumeTrue(CpuGemm.packedKernel(0) != null,
                "the panels need the Vector API's GEMM kernel, warm (the run without the Vector API has neither)");
        for (int[] sh : SHAPES) {
            for (boolean causal : new boolean[]{false, true}) {
                for (boolean masked : new boolean[]{false, true}) check(sh[0], sh[1], sh[2], sh[3], sh[4], causal, masked);
            }
        }
    }

    private static void check(int b, int l, int s, int e, int ev, boolean causal, boolean masked) {
        Random rnd = new Random(b * 31 + l + (causal ? 7 : 0) + (masked ? 13 : 0));
        float[] q = gaussian(rnd, b * l * e, 1), k = gaussian(rnd, b * s * e, 1), v = gaussian(rnd, b * s * ev, 1);
        float[] g = gaussian(rnd, b * l * ev, 1), m = gaussian(rnd, b * l * s, 0.5);
        float[][] runs = new float[2][];
        float[][][] all = new float[2][][];
        for (int run = 0; run < 2; run++) {
            boolean panels = run == 0;
            float[] out = new float[b * l * ev], lse = new float[b * l];
            float[] dq = new float[b * l * e], dk = new float[b * s * e], dv = new float[b * s * ev];
            View mask = masked ? view(m, b, l, s) : null;
            View qv = view(q, b, l, e), kv = view(k, b, s, e), vv = view(v, b, s, ev);
            View ov = view(out, b, l, ev), lv = view(lse, b, l);
            AttentionKernels.forward(ov, lv, qv, kv, vv, mask, causal, 1 / Math.sqrt(e), panels);
            AttentionKernels.backward(view(dq, b, l, e), view(dk, b, s, e), view(dv, b, s, ev), view(g, b, l, ev), qv, kv,
                    vv, ov, lv, mask, causal, 1 / Math.sqrt(e), panels);
            all[run] = new float[][]{out, lse, dq, dk, dv};
        }
        String[] names = {"out", "lse", "dq", "dk", "dv"};
        for (int t = 0; t < names.length; t++) {
            for (int x = 0; x < all[0][t].length; x++) {
                int want = Float.floatToRawIntBits(all[1][t][x]), got = Float.floatToRawIntBits(all[0][t][x]);
                if (want != got) {
                    assertEquals(all[1][t][x], all[0][t][x], "b" + b + " l" + l + " s" + s + " e" + e + " ev" + ev
                            + (causal ? " causal" : "") + (masked ? " masked" : "") + ": " + names[t] + "[" + x + "]");
                    assertEquals(want, got, names[t] + "[" + x + "] differs in its bits");
                }
            }
        }
    }
}
