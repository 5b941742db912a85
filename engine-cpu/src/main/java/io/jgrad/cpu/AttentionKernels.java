package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.spi.View;
import java.util.Arrays;

/**
 * Fused float32 attention over key tiles, so that neither direction holds an l x s matrix: the FlashAttention
 * recurrence on the CPU.
 * <p>
 * Forward, for a block of BR query rows: for each tile of BC keys, the scores S = scale Q K^T (one small GEMM), plus
 * the mask and the causal -inf; each row keeps its running maximum m, its running sum of exp(S - m) and an accumulator
 * of exp(S - m) V, all three rescaled by exp(m_old - m_new) when a tile raises the maximum; at the end out = acc / sum
 * and lse = m + log(sum). Scratch per thread: a BR x BC tile and a BR x ev accumulator.
 * <p>
 * Backward, with P = exp(S - lse) recomputed tile by tile and D = rowsum(dOut * out): dV += P^T dOut,
 * dS = P (dOut V^T - D), dK += scale dS^T Q, dQ += scale dS K. dK and dV sum over query rows and dQ over keys, so
 * that no two threads add into one row they run as two passes: over key tiles (dK, dV) and over query blocks (dQ),
 * each recomputing its tiles. Every output row is summed by one thread in a fixed order, so results do not depend
 * on the thread count.
 * <p>
 * The products go through {@link CpuGemm#multiply} (the packed Vector API kernel where it pays), the exponentials
 * through {@link FloatSimd}. float64 is left to the SPI's default composition, which is exact enough for gradient
 * checks and which this kernel is tested against.
 */
final class AttentionKernels {
    private AttentionKernels() {
    }

    /** Query rows per block. */
    private static final int BR = 64;
    /** Keys per tile: BR x BC scores (16 KB) stay in L1 beside the rows of Q and K they come from. */
    private static final int BC = 64;

    /** Whether this kernel takes the call: float32 with the dense views the contract promises. */
    static boolean covers(View q) {
        return q.dtype() == DType.FLOAT32;
    }

    /** The per-call geometry and arrays. */
    private record Call(int b, int l, int e, int s, int ev, float scale, boolean causal,
                        float[] q, int qo, float[] k, int ko, float[] v, int vo, float[] mask, View maskView) {
        static Call of(View q, View k, View v, View mask, boolean causal, double scale) {
            return new Call(q.shape[0], q.shape[1], q.shape[2], k.shape[1], v.shape[2], (float) scale, causal,
                    floats(q), (int) q.offset, floats(k), (int) k.offset, floats(v), (int) v.offset,
                    mask == null ? null : floats(mask), mask);
        }

        /** Keys [0, end) that rows [i0, i1) may see at all. */
        int keyEnd(int i1) {
            return causal ? Math.min(s, i1) : s;
        }

        /**
         * scores[r][c] = scale * q[i0 + r] . k[j0 + c] + mask, and -inf past the diagonal, for r &lt; rows, c &lt;
         * cols; the tile's row stride is BC.
         */
        void scores(int slice, int i0, int rows, int j0, int cols, float[] tile) {
            CpuGemm.multiply(1, rows, cols, e, scale, q, qo + (slice * l + i0) * e, e, 1,
                    k, ko + (slice * s + j0) * e, 1, e, 0f, tile, 0, BC);
            if (mask != null) {
                long base = maskView.offset + slice * maskView.strides[0];
                for (int r = 0; r < rows; r++) {
                    long at = base + (i0 + r) * maskView.strides[1] + j0 * maskView.strides[2];
                    for (int c = 0; c < cols; c++, at += maskView.strides[2]) tile[r * BC + c] += mask[(int) at];
                }
            }
            if (causal) {
                for (int r = 0; r < rows; r++) {
                    for (int c = Math.max(0, i0 + r + 1 - j0); c < cols; c++) tile[r * BC + c] = Float.NEGATIVE_INFINITY;
                }
            }
        }

        /** Replaces a scores tile by P = exp(S - lse) row by row. */
        void probabilities(int slice, int i0, int rows, int cols, float[] tile, float[] lse, int lo) {
            for (int r = 0; r < rows; r++) {
                FloatSimd.INSTANCE.expShiftedSum(tile, r * BC, lse[lo + slice * l + i0 + r], tile, r * BC, cols);
            }
        }
    }

    private static float[] floats(View v) {
        return ((CpuBuffer) v.buffer).floats();
    }

    private static final class Scratch {
        final float[] tile = new float[BR * BC];
        final float[] dp = new float[BR * BC];
        float[] acc = new float[0];
        final double[] sum = new double[BR];
        final float[] max = new float[BR];

        float[] acc(int n) {
            if (acc.length < n) acc = new float[n];
            return acc;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static void forward(View out, View lse, View q, View k, View v, View mask, boolean causal, double scale) {
        Call c = Call.of(q, k, v, mask, causal, scale);
        if (c.b == 0 || c.l == 0) return;
        float[] o = floats(out), ls = floats(lse);
        int oo = (int) out.offset, lo = (int) lse.offset;
        if (c.s == 0) { // no keys: out 0 and lse -inf, as the SPI default and the composed reference give
            Arrays.fill(o, oo, oo + c.b * c.l * c.ev, 0f);
            Arrays.fill(ls, lo, lo + c.b * c.l, Float.NEGATIVE_INFINITY);
            return;
        }
        int blocks = (c.l + BR - 1) / BR, units = c.b * blocks;
        long work = (long) c.b * c.l * c.s * (c.e + c.ev);
        Parallel.forEachUnit(units, Parallel.chunks(work), (from, to) -> {
            Scratch w = SCRATCH.get();
            for (int u = from; u < to; u++) forwardBlock(c, u / blocks, (u % blocks) * BR, w, o, oo, ls, lo);
        });
    }

    private static void forwardBlock(Call c, int slice, int i0, Scratch w, float[] o, int oo, float[] ls, int lo) {
        int rows = Math.min(BR, c.l - i0), ev = c.ev;
        float[] tile = w.tile, acc = w.acc(rows * ev), max = w.max;
        double[] sum = w.sum;
        Arrays.fill(acc, 0, rows * ev, 0f);
        Arrays.fill(max, 0, rows, Float.NEGATIVE_INFINITY);
        Arrays.fill(sum, 0, rows, 0);
        int end = c.keyEnd(i0 + rows);
        for (int j0 = 0; j0 < end; j0 += BC) {
            int cols = Math.min(BC, end - j0);
            c.scores(slice, i0, rows, j0, cols, tile);
            for (int r = 0; r < rows; r++) {
                int t = r * BC;
                float m = Math.max(max[r], FloatSimd.INSTANCE.max(tile, t, cols));
                if (m == Float.NEGATIVE_INFINITY) { // nothing seen yet: the tile adds nothing
                    Arrays.fill(tile, t, t + cols, 0f);
                    continue;
                }
                float correction = (float) Math.exp(max[r] - m); // 0 on the first keys the row sees
                max[r] = m;
                sum[r] = sum[r] * correction + FloatSimd.INSTANCE.expShiftedSum(tile, t, m, tile, t, cols);
                if (correction != 1f) for (int x = r * ev, xe = x + ev; x < xe; x++) acc[x] *= correction;
            }
            CpuGemm.multiply(1, rows, ev, cols, 1f, tile, 0, BC, 1, c.v, c.vo + (slice * c.s + j0) * ev, ev, 1,
                    1f, acc, 0, ev);
        }
        for (int r = 0; r < rows; r++) {
            int row = slice * c.l + i0 + r;
            float inv = (float) (1 / sum[r]); // a row that saw no key: 0 * inf gives NaN, as the composed softmax does
            for (int x = 0; x < ev; x++) o[oo + row * ev + x] = sum[r] == 0 ? Float.NaN : acc[r * ev + x] * inv;
            ls[lo + row] = sum[r] == 0 ? Float.NaN : (float) (max[r] + Math.log(sum[r]));
        }
    }

    static void backward(View dq, View dk, View dv, View dOut, View q, View k, View v, View out, View lse, View mask,
                         boolean causal, double scale) {
        Call c = Call.of(q, k, v, mask, causal, scale);
        int b = c.b, l = c.l, s = c.s, e = c.e, ev = c.ev;
        float[] gq = dq == null ? null : floats(dq), gk = dk == null ? null : floats(dk), gv = dv == null ? null : floats(dv);
        int gqo = dq == null ? 0 : (int) dq.offset, gko = dk == null ? 0 : (int) dk.offset, gvo = dv == null ? 0 : (int) dv.offset;
        if (gq != null) Arrays.fill(gq, gqo, gqo + b * l * e, 0f);
        if (gk != null) Arrays.fill(gk, gko, gko + b * s * e, 0f);
        if (gv != null) Arrays.fill(gv, gvo, gvo + b * s * ev, 0f);
        if (b == 0 || l == 0 || s == 0) return;
        float[] g = floats(dOut), o = floats(out), ls = floats(lse);
        int go = (int) dOut.offset, oo = (int) out.offset, lo = (int) lse.offset;
        // D = rowsum(dOut * out), in double
        float[] d = new float[b * l];
        for (int row = 0; row < b * l; row++) {
            double acc = 0;
            for (int x = 0; x < ev; x++) acc += (double) g[go + row * ev + x] * o[oo + row * ev + x];
            d[row] = (float) acc;
        }
        long work = (long) b * l * s * (e + ev);
        int threads = Parallel.chunks(work);
        if (gk != null || gv != null) {
            int tiles = (s + BC - 1) / BC;
            Parallel.forEachUnit(b * tiles, threads, (from, to) -> {
                Scratch w = SCRATCH.get();
                for (int u = from; u < to; u++) {
                    int slice = u / tiles, j0 = (u % tiles) * BC, cols = Math.min(BC, s - j0);
                    for (int i0 = causal ? j0 / BR * BR : 0; i0 < l; i0 += BR) {
                        int rows = Math.min(BR, l - i0);
                        tileGradients(c, slice, i0, rows, j0, cols, w, g, go, d, ls, lo);
                        float[] p = w.tile, ds = w.dp;
                        if (gv != null) { // dV[j0 + c] += sum_r P[r][c] dOut[i0 + r]
                            CpuGemm.multiply(1, cols, ev, rows, 1f, p, 0, 1, BC, g, go + (slice * l + i0) * ev, ev, 1,
                                    1f, gv, gvo + (slice * s + j0) * ev, ev);
                        }
                        if (gk != null) { // dK[j0 + c] += scale sum_r dS[r][c] Q[i0 + r]
                            CpuGemm.multiply(1, cols, e, rows, c.scale, ds, 0, 1, BC, c.q, c.qo + (slice * l + i0) * e, e, 1,
                                    1f, gk, gko + (slice * s + j0) * e, e);
                        }
                    }
                }
            });
        }
        if (gq != null) {
            int blocks = (l + BR - 1) / BR;
            Parallel.forEachUnit(b * blocks, threads, (from, to) -> {
                Scratch w = SCRATCH.get();
                for (int u = from; u < to; u++) {
                    int slice = u / blocks, i0 = (u % blocks) * BR, rows = Math.min(BR, l - i0);
                    int end = c.keyEnd(i0 + rows);
                    for (int j0 = 0; j0 < end; j0 += BC) {
                        int cols = Math.min(BC, end - j0);
                        tileGradients(c, slice, i0, rows, j0, cols, w, g, go, d, ls, lo);
                        // dQ[i0 + r] += scale sum_c dS[r][c] K[j0 + c]
                        CpuGemm.multiply(1, rows, e, cols, c.scale, w.dp, 0, BC, 1, c.k, c.ko + (slice * s + j0) * e, e, 1,
                                1f, gq, gqo + (slice * l + i0) * e, e);
                    }
                }
            });
        }
    }

    /** Recomputes P into w.tile and dS = P (dOut V^T - D) into w.dp for one tile. */
    private static void tileGradients(Call c, int slice, int i0, int rows, int j0, int cols, Scratch w, float[] g, int go,
                                      float[] d, float[] ls, int lo) {
        float[] p = w.tile, ds = w.dp;
        c.scores(slice, i0, rows, j0, cols, p);
        c.probabilities(slice, i0, rows, cols, p, ls, lo);
        // dP = dOut[i0 .. i0 + rows) V[j0 .. j0 + cols)^T
        CpuGemm.multiply(1, rows, cols, c.ev, 1f, g, go + (slice * c.l + i0) * c.ev, c.ev, 1,
                c.v, c.vo + (slice * c.s + j0) * c.ev, 1, c.ev, 0f, ds, 0, BC);
        for (int r = 0; r < rows; r++) {
            float dr = d[slice * c.l + i0 + r];
            for (int x = r * BC, xe = x + cols; x < xe; x++) ds[x] = p[x] * (ds[x] - dr);
        }
    }
}
