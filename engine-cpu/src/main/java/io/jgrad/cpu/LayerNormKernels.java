package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.spi.View;

/**
 * Layer normalisation over the last axis of float32 [n, c] rows (unit column stride), one pass per statistic and
 * one to write, where the SPI default takes ten kernels forward and twenty back, each a pass over [n, c] with
 * broadcast views. Rows are independent, so threads take whole rows; the weight and bias gradients (column sums over
 * the rows) are summed in blocks of {@link #BLOCK} rows in float64 and the blocks added in order, so no result depends
 * on the thread count. Other dtypes and layouts return false (the caller runs the default).
 */
final class LayerNormKernels {
    private LayerNormKernels() {
    }

    /** Rows per block of the backward's column sums. */
    private static final int BLOCK = 64;
    /** Work per element for {@link Parallel#chunks}: three passes forward, two back with a few flops each. */
    private static final int COST = 4;

    static boolean forward(View out, View mean, View rstd, View x, View weight, View bias, double eps) {
        if (!rowsOfFloats(x) || !rowsOfFloats(out) || !floats(mean, rstd, weight, bias)) return false;
        int n = x.shape[0], c = x.shape[1];
        float[] xa = array(x), oa = array(out), ma = array(mean), ra = array(rstd);
        float[] w = dense(weight, c, 1f), b = dense(bias, c, 0f);
        int xo = (int) x.offset, xs = (int) x.strides[0], oo = (int) out.offset, os = (int) out.strides[0];
        int mo = (int) mean.offset, ms = (int) mean.strides[0], ro = (int) rstd.offset, rs = (int) rstd.strides[0];
        Parallel.forRange(n, Parallel.chunks((long) n * c * COST), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xi = xo + r * xs, oi = oo + r * os;
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int j = 0;
                for (; j + 4 <= c; j += 4) {
                    s0 += xa[xi + j];
                    s1 += xa[xi + j + 1];
                    s2 += xa[xi + j + 2];
                    s3 += xa[xi + j + 3];
                }
                for (; j < c; j++) s0 += xa[xi + j];
                float m = (float) ((s0 + s1 + s2 + s3) / c);
                double q0 = 0, q1 = 0, q2 = 0, q3 = 0;
                j = 0;
                for (; j + 4 <= c; j += 4) {
                    float d0 = xa[xi + j] - m, d1 = xa[xi + j + 1] - m, d2 = xa[xi + j + 2] - m, d3 = xa[xi + j + 3] - m;
                    q0 += d0 * d0;
                    q1 += d1 * d1;
                    q2 += d2 * d2;
                    q3 += d3 * d3;
                }
                for (; j < c; j++) {
                    float d = xa[xi + j] - m;
                    q0 += d * d;
                }
                float inv = (float) (1 / Math.sqrt((q0 + q1 + q2 + q3) / c + eps));
                ma[mo + r * ms] = m;
                ra[ro + r * rs] = inv;
                for (int k = 0; k < c; k++) oa[oi + k] = (xa[xi + k] - m) * inv * w[k] + b[k];
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
            float[] xhat = new float[c];
            for (int blk = b0; blk < b1; blk++) {
                double[] pgx = columns ? new double[c] : null, pg = columns ? new double[c] : null;
                for (int r = blk * BLOCK, end = Math.min(n, r + BLOCK); r < end; r++) {
                    int xi = xo + r * xs, gi = go + r * gs;
                    float m = ma[mo + r * ms], inv = ra[ro + r * rs];
                    for (int k = 0; k < c; k++) xhat[k] = (xa[xi + k] - m) * inv;
                    if (columns) {
                        for (int k = 0; k < c; k++) {
                            float g = ga[gi + k];
                            pgx[k] += g * xhat[k];
                            pg[k] += g;
                        }
                    }
                    if (dxa == null) continue;
                    double a0 = 0, a1 = 0, p0 = 0, p1 = 0;
                    int k = 0;
                    for (; k + 2 <= c; k += 2) {
                        float gw0 = ga[gi + k] * w[k], gw1 = ga[gi + k + 1] * w[k + 1];
                        a0 += gw0;
                        a1 += gw1;
                        p0 += gw0 * xhat[k];
                        p1 += gw1 * xhat[k + 1];
                    }
                    for (; k < c; k++) {
                        float gw = ga[gi + k] * w[k];
                        a0 += gw;
                        p0 += gw * xhat[k];
                    }
                    float am = (float) ((a0 + a1) / c), pm = (float) ((p0 + p1) / c);
                    int di = dxo + r * dxs;
                    for (k = 0; k < c; k++) dxa[di + k] = (ga[gi + k] * w[k] - (xhat[k] * pm + am)) * inv;
                }
                if (columns) {
                    sumGx[blk] = pgx;
                    sumG[blk] = pg;
                }
            }
        });
        if (gradWeight != null) store(gradWeight, sumGx, c);
        if (gradBias != null) store(gradBias, sumG, c);
        return true;
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
