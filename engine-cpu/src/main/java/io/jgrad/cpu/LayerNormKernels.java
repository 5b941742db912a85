package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.spi.View;

/**
 * Layer normalisation over the last axis of float32 [n, c] rows (unit column stride), one pass per statistic and
 * one to write, where the SPI default takes ten kernels forward and twenty back, each a pass over [n, c] with
 * broadcast views. Each row is copied into scratch first, so that every loop indexes its arrays alike and C2
 * vectorizes it (a float[] written at k and read at off + k may alias, and C2 then keeps the loop scalar). Row sums run in eight float chains per 64 elements, added in float64 (see {@link #sum}). Rows are
 * independent, so threads take whole rows; the weight and bias gradients (column sums over the rows) are summed in
 * float over blocks of {@link #BLOCK} rows (vector loops) and the blocks added in float64 in order, so no result
 * depends on the thread count. Other dtypes and layouts return false (the caller runs the default).
 */
final class LayerNormKernels {
    private LayerNormKernels() {
    }

    /** Rows per block of the backward's column sums. */
    private static final int BLOCK = 64;
    /**
     * Work per element for {@link Parallel#chunks}: three passes forward, two back with a few flops each, about 2 ns an
     * element on one thread (the gpt step's [512, 64] took 61 us forward and 91 back), so a spinning worker's ~2 us
     * hand-off pays from a few thousand rows of 64. At 4, the step's layer norms (2^17 units) never split.
     */
    private static final int COST = 16;

    static boolean forward(View out, View mean, View rstd, View x, View weight, View bias, double eps) {
        if (!rowsOfFloats(x) || !rowsOfFloats(out) || !floats(mean, rstd, weight, bias)) return false;
        int n = x.shape[0], c = x.shape[1];
        float[] xa = array(x), oa = array(out), ma = array(mean), ra = array(rstd);
        float[] w = dense(weight, c, 1f), b = dense(bias, c, 0f);
        int xo = (int) x.offset, xs = (int) x.strides[0], oo = (int) out.offset, os = (int) out.strides[0];
        int mo = (int) mean.offset, ms = (int) mean.strides[0], ro = (int) rstd.offset, rs = (int) rstd.strides[0];
        Parallel.forRange(n, Parallel.chunks((long) n * c * COST), (r0, r1) -> {
            float[] xr = new float[c], yr = new float[c];
            for (int r = r0; r < r1; r++) {
                System.arraycopy(xa, xo + r * xs, xr, 0, c);
                float m = (float) (sum(xr, c) / c);
                float inv = (float) (1 / Math.sqrt(squares(xr, c, m) / c + eps));
                ma[mo + r * ms] = m;
                ra[ro + r * rs] = inv;
                for (int k = 0; k < c; k++) yr[k] = (xr[k] - m) * inv * w[k] + b[k];
                System.arraycopy(yr, 0, oa, oo + r * os, c);
            }
        });
        return true;
    }

    static boolean backward(View gradX, View gradWeight, View gradBias, View gradOut, View x, View mean, View rstd, View weight) {
        if (!rowsOfFloats(x) || !rowsOfFloats(gradOut) || (gradX != null && !rowsOfFloats(gradX))
                || !floats(mean, rstd, weight, gradWeight, gradBias)) {
            return false;
        }
        int n = x.shape[0], c = x.shape[1];
        float[] xa = array(x), ga = array(gradOut), dxa = gradX == null ? null : array(gradX), ma = array(mean), ra = array(rstd);
        float[] w = dense(weight, c, 1f);
        int xo = (int) x.offset, xs = (int) x.strides[0], go = (int) gradOut.offset, gs = (int) gradOut.strides[0];
        int dxo = gradX == null ? 0 : (int) gradX.offset, dxs = gradX == null ? 0 : (int) gradX.strides[0];
        int mo = (int) mean.offset, ms = (int) mean.strides[0], ro = (int) rstd.offset, rs = (int) rstd.strides[0];
        boolean columns = gradWeight != null || gradBias != null;
        int blocks = (n + BLOCK - 1) / BLOCK;
        // per block: the column sums of gradOut * xhat (gradWeight) and of gradOut (gradBias)
        double[][] sumGx = columns ? new double[blocks][] : null, sumG = columns ? new double[blocks][] : null;
        Parallel.forRange(blocks, Parallel.chunks((long) n * c * COST), (b0, b1) -> {
            float[] xr = new float[c], gr = new float[c], xhat = new float[c], gw = new float[c], t = new float[c];
            float[] blockGx = new float[c], blockG = new float[c];
            for (int blk = b0; blk < b1; blk++) {
                java.util.Arrays.fill(blockGx, 0f);
                java.util.Arrays.fill(blockG, 0f);
                for (int r = blk * BLOCK, end = Math.min(n, r + BLOCK); r < end; r++) {
                    System.arraycopy(xa, xo + r * xs, xr, 0, c);
                    System.arraycopy(ga, go + r * gs, gr, 0, c);
                    float m = ma[mo + r * ms], inv = ra[ro + r * rs];
                    // one vector loop: the block's float column sums (added in float64 per block below) and the terms
                    // of the row sums
                    for (int k = 0; k < c; k++) {
                        float xh = (xr[k] - m) * inv, g = gr[k], gwk = g * w[k];
                        xhat[k] = xh;
                        gw[k] = gwk;
                        t[k] = gwk * xh;
                        blockGx[k] += g * xh;
                        blockG[k] += g;
                    }
                    if (dxa == null) continue;
                    float am = (float) (sum(gw, c) / c), pm = (float) (sum(t, c) / c);
                    for (int k = 0; k < c; k++) gr[k] = (gw[k] - (xhat[k] * pm + am)) * inv;
                    System.arraycopy(gr, 0, dxa, dxo + r * dxs, c);
                }
                if (columns) {
                    double[] pgx = new double[c], pg = new double[c];
                    for (int k = 0; k < c; k++) {
                        pgx[k] = blockGx[k];
                        pg[k] = blockG[k];
                    }
                    sumGx[blk] = pgx;
                    sumG[blk] = pg;
                }
            }
        });
        if (gradWeight != null) store(gradWeight, sumGx, c);
        if (gradBias != null) store(gradBias, sumG, c);
        return true;
    }

    /**
     * The sum of a[0, c): eight float chains over runs of 64 elements (eight terms per chain, so the error
     * stays that of a short sum for any c), each run's total added in float64. Eight independent chains keep the adder
     * busy where one float64 chain waited four cycles per element.
     */
    private static double sum(float[] a, int c) {
        double total = 0;
        for (int k0 = 0; k0 < c; k0 += 64) {
            int end = Math.min(c, k0 + 64), k = k0;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            for (int x = k; k + 8 <= end; k += 8, x += 8) {
                s0 += a[x];
                s1 += a[x + 1];
                s2 += a[x + 2];
                s3 += a[x + 3];
                s4 += a[x + 4];
                s5 += a[x + 5];
                s6 += a[x + 6];
                s7 += a[x + 7];
            }
            for (; k < end; k++) s0 += a[k];
            total += ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }
        return total;
    }

    /** The sum of (a[i] - m)^2 over a[0, c), in the chains of {@link #sum}. */
    private static double squares(float[] a, int c, float m) {
        double total = 0;
        for (int k0 = 0; k0 < c; k0 += 64) {
            int end = Math.min(c, k0 + 64), k = k0;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            for (int x = k; k + 8 <= end; k += 8, x += 8) {
                float d0 = a[x] - m, d1 = a[x + 1] - m, d2 = a[x + 2] - m, d3 = a[x + 3] - m;
                float d4 = a[x + 4] - m, d5 = a[x + 5] - m, d6 = a[x + 6] - m, d7 = a[x + 7] - m;
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
                s4 += d4 * d4;
                s5 += d5 * d5;
                s6 += d6 * d6;
                s7 += d7 * d7;
            }
            for (; k < end; k++) {
                float d = a[k] - m;
                s0 += d * d;
            }
            total += ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }
        return total;
    }

    /** The blocks' column sums added in block order, rounded once. */
    private static void store(View v, double[][] partial, int c) {
        float[] a = array(v);
        int o = (int) v.offset, s = (int) v.strides[0];
        for (int k = 0; k < c; k++) {
            double t = 0;
            for (double[] p : partial) t += p[k];
            a[o + k * s] = (float) t;
        }
    }

    private static boolean rowsOfFloats(View v) {
        return v.dtype() == DType.FLOAT32 && v.rank() == 2 && (v.strides[1] == 1 || v.shape[1] == 1);
    }

    private static boolean floats(View... vs) {
        for (View v : vs) if (v != null && (v.dtype() != DType.FLOAT32 || v.rank() != 1)) return false;
        return true;
    }

    private static float[] array(View v) {
        return ((CpuBuffer) v.buffer).floats();
    }

    /** A [c] vector's values in a dense array of their own, or c copies of {@code absent} when it is null. */
    private static float[] dense(View v, int c, float absent) {
        float[] d = new float[c];
        if (v == null) {
            java.util.Arrays.fill(d, absent);
            return d;
        }
        float[] a = array(v);
        int o = (int) v.offset, s = (int) v.strides[0];
        for (int k = 0; k < c; k++) d[k] = a[o + k * s];
        return d;
    }
}
