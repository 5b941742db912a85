package io.jgrad.cpu;

import java.util.Arrays;

/**
 * The float32 GEMM without the Vector API, shaped for C2's auto-vectoriser (SuperWord). SuperWord vectorises a loop
 * only when it can prove that its loads and stores of different arrays never overlap, which it does by comparing
 * index expressions: every array in the loop must be indexed by the same expression (here {@code j}). Java arrays
 * cannot partially overlap, so equal indices are enough. Hence:
 * <ul>
 * <li>B is packed into separate zero-based row arrays (a panel of up to KP rows and NC columns, packed once per
 *     panel and reused by every row block of C);</li>
 * <li>C accumulates in separate zero-based row arrays (MC rows of NC, in L2), added into C once per panel;</li>
 * <li>the kernel updates two accumulator rows with two B rows at a time: acc0 += a00*b0 + a01*b1,
 *     acc1 += a10*b0 + a11*b1 (each loaded B element feeds two rows, each accumulator load two products). KC = 16
 *     B rows (16 KB) stay in L1 while every row pair of the block passes over them.</li>
 * </ul>
 * Wider register blocks (4x2, 2x4) exceed what SuperWord unrolls on JDK 17 and fall back to scalar code. A is read
 * as scalars through its strides, so it needs no packing and transposes cost nothing. Measured on a 2-core Zen 3:
 * the kernel reaches ~45 GFLOP/s per core in L1, the whole product ~40 per core.
 * <p>
 * This file is the template of {@link PlainDgemm}, the same loops in double, which
 * {@code engine-cpu/scripts/kernel-twins.sh} generates from it (see KernelTwins for the markers).
 */
final class PlainSgemm implements FloatGemmKernel { //@float64: final class PlainDgemm {
    /** B rows per inner block: 16 rows of NC floats (16 KB) stay in the 32 KB L1. */
    private static final int KC = 16;
    /** Columns per block: a row of NC floats is 1 KB. */
    private static final int NC = 1024 / Float.BYTES;
    /** C rows accumulated per block: 64 rows of NC floats (64 KB) stay in L2. */
    private static final int MC = 64;
    /** B rows packed per panel (1 MB), bounding the workspace when k is large. */
    private static final int KP = 1024;

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private static final class Work {
        final float[][] b = new float[KP][NC];
        final float[][] acc = new float[MC][NC];
    }

    // @float32-only begin: the FloatGemmKernel face (CpuGemm splits float64 products itself)
    @Override
    public String name() {
        return "plain Java (auto-vectorised 2x2 rows)";
    }

    /**
     * Threads take bands of whole column blocks when C is wide enough, so that each packs only its own columns of B
     * (A needs no packing); otherwise bands of row pairs.
     */
    @Override
    public void multiplyParallel(int threads, int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                                 float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        boolean byColumns = splitColumns(n);
        int grain = byColumns ? NC : 2;
        int extent = byColumns ? n : m;
        Parallel.forRange((extent + grain - 1) / grain, threads, (from, to) -> {
            int lo = from * grain, hi = Math.min(extent, to * grain);
            if (byColumns) {
                gemm(m, hi - lo, k, alpha, a, ao, ars, acs, b, bo + lo * bcs, brs, bcs, beta, c, co + lo, ldc);
            } else {
                gemm(hi - lo, n, k, alpha, a, ao + lo * ars, ars, acs, b, bo, brs, bcs, beta, c, co + lo * ldc, ldc);
            }
        });
    }

    @Override
    public void multiply(int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                         float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        gemm(m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
    }
    // @float32-only end

    /** Splitting along columns lets each thread pack only its own columns of B. */
    static boolean splitColumns(int n) {
        return n >= 2 * NC;
    }

    /** C = alpha * op(A) * op(B) + beta * C on one thread, A and B given by their strides. */
    static void gemm(int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                     float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        if (k == 0) {
            CpuGemm.scaleC(m, n, beta, c, co, ldc);
            return;
        }
        Work w = WORK.get();
        float[][] rows = w.b, acc = w.acc;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int kp = 0; kp < k; kp += KP) {
                int kpLen = Math.min(KP, k - kp);
                for (int p = 0; p < kpLen; p++) {
                    int src = bo + (kp + p) * brs + jc * bcs;
                    float[] row = rows[p];
                    if (bcs == 1) {
                        System.arraycopy(b, src, row, 0, nc);
                    } else {
                        for (int j = 0; j < nc; j++) row[j] = b[src + j * bcs];
                    }
                }
                float beta1 = kp == 0 ? beta : 1f; // later panels add to what the first one wrote
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    for (int r = 0; r < mc; r++) Arrays.fill(acc[r], 0, nc, 0f);
                    int aBase = ao + ic * ars + kp * acs;
                    for (int pc = 0; pc < kpLen; pc += KC) {
                        block(rows, pc, Math.min(KC, kpLen - pc), acc, mc, nc, a, aBase, ars, acs);
                    }
                    for (int r = 0; r < mc; r++) store(acc[r], nc, alpha, beta1, c, co + (ic + r) * ldc + jc);
                }
            }
        }
    }

    /** acc[0..mc) += A[0..mc, p0..p0+kc) * B rows [p0, p0+kc); A's element (i, p) at a[aBase + i*ars + p*acs]. */
    private static void block(float[][] rows, int p0, int kc, float[][] acc, int mc, int nc,
                              float[] a, int aBase, int ars, int acs) {
        int i = 0;
        for (; i + 1 < mc; i += 2) {
            float[] c0 = acc[i], c1 = acc[i + 1];
            int a0 = aBase + i * ars + p0 * acs, a1 = a0 + ars;
            int p = 0;
            for (; p + 1 < kc; p += 2) {
                int q = p * acs;
                rank2(c0, c1, rows[p0 + p], rows[p0 + p + 1], a[a0 + q], a[a0 + q + acs], a[a1 + q], a[a1 + q + acs], nc);
            }
            if (p < kc) rank1(c0, c1, rows[p0 + p], a[a0 + p * acs], a[a1 + p * acs], nc);
        }
        if (i < mc) {
            float[] c0 = acc[i];
            int a0 = aBase + i * ars + p0 * acs;
            int p = 0;
            for (; p + 1 < kc; p += 2) single(c0, rows[p0 + p], rows[p0 + p + 1], a[a0 + p * acs], a[a0 + (p + 1) * acs], nc);
            if (p < kc) single(c0, rows[p0 + p], rows[p0 + p], a[a0 + p * acs], 0f, nc);
        }
    }

    /** c0 += a00*b0 + a01*b1; c1 += a10*b0 + a11*b1. Loads come before stores so SuperWord can pack them. */
    private static void rank2(float[] c0, float[] c1, float[] b0, float[] b1,
                              float a00, float a01, float a10, float a11, int n) {
        for (int j = 0; j < n; j++) {
            float x0 = b0[j], x1 = b1[j];
            float y0 = c0[j], y1 = c1[j];
            c0[j] = y0 + a00 * x0 + a01 * x1;
            c1[j] = y1 + a10 * x0 + a11 * x1;
        }
    }

    private static void rank1(float[] c0, float[] c1, float[] b0, float a0, float a1, int n) {
        for (int j = 0; j < n; j++) {
            float x0 = b0[j];
            float y0 = c0[j], y1 = c1[j];
            c0[j] = y0 + a0 * x0;
            c1[j] = y1 + a1 * x0;
        }
    }

    private static void single(float[] c0, float[] b0, float[] b1, float a0, float a1, int n) {
        for (int j = 0; j < n; j++) {
            float x0 = b0[j], x1 = b1[j];
            float y0 = c0[j];
            c0[j] = y0 + a0 * x0 + a1 * x1;
        }
    }

    /** C row = alpha * acc + beta * C row; C is not read when beta is 0. */
    private static void store(float[] acc, int n, float alpha, float beta, float[] c, int off) {
        if (beta == 0f) {
            for (int j = 0; j < n; j++) c[off + j] = alpha * acc[j];
        } else if (beta == 1f) {
            for (int j = 0; j < n; j++) c[off + j] += alpha * acc[j];
        } else {
            for (int j = 0; j < n; j++) c[off + j] = alpha * acc[j] + beta * c[off + j];
        }
    }
}
