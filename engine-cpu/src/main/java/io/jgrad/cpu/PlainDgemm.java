package io.jgrad.cpu;

import java.util.Arrays;

/**
 * The float64 GEMM: the scheme of {@link PlainSgemm} (zero-based packed rows that C2 auto-vectorises, two C rows
 * times two B rows per step), in double, with half the block width, so that the KC block is again 16 KB. Used with or without the Vector API: float64 serves gradient checks, where being exact and
 * robust matters more than the last factor of speed.
 */
final class PlainDgemm {
    /** B rows per inner block. */
    private static final int KC = 16;
    /** Columns per block: 16 rows of 128 doubles make 16 KB. */
    private static final int NC = 128;
    /** C rows accumulated per block. */
    private static final int MC = 64;
    /** B rows packed per panel (1 MB), bounding the workspace when k is large. */
    private static final int KP = 1024;

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private static final class Work {
        final double[][] b = new double[KP][NC];
        final double[][] acc = new double[MC][NC];
    }

    private PlainDgemm() {
    }

    /** Splitting along columns lets each thread pack only its own columns of B. */
    static boolean splitColumns(int n) {
        return n >= 2 * NC;
    }

    static void multiply(int m, int n, int k, double alpha, double[] a, int ao, int ars, int acs,
                         double[] b, int bo, int brs, int bcs, double beta, double[] c, int co, int ldc) {
        if (k == 0) {
            CpuGemm.scaleC(m, n, beta, c, co, ldc);
            return;
        }
        Work w = WORK.get();
        double[][] rows = w.b, acc = w.acc;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int kp = 0; kp < k; kp += KP) {
                int kpLen = Math.min(KP, k - kp);
                for (int p = 0; p < kpLen; p++) {
                    int src = bo + (kp + p) * brs + jc * bcs;
                    double[] row = rows[p];
                    if (bcs == 1) {
                        System.arraycopy(b, src, row, 0, nc);
                    } else {
                        for (int j = 0; j < nc; j++) row[j] = b[src + j * bcs];
                    }
                }
                double beta1 = kp == 0 ? beta : 1.0; // later panels add to what the first one wrote
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    for (int r = 0; r < mc; r++) Arrays.fill(acc[r], 0, nc, 0.0);
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
    private static void block(double[][] rows, int p0, int kc, double[][] acc, int mc, int nc,
                              double[] a, int aBase, int ars, int acs) {
        int i = 0;
        for (; i + 1 < mc; i += 2) {
            double[] c0 = acc[i], c1 = acc[i + 1];
            int a0 = aBase + i * ars + p0 * acs, a1 = a0 + ars;
            int p = 0;
            for (; p + 1 < kc; p += 2) {
                int q = p * acs;
                rank2(c0, c1, rows[p0 + p], rows[p0 + p + 1], a[a0 + q], a[a0 + q + acs], a[a1 + q], a[a1 + q + acs], nc);
            }
            if (p < kc) rank1(c0, c1, rows[p0 + p], a[a0 + p * acs], a[a1 + p * acs], nc);
        }
        if (i < mc) {
            double[] c0 = acc[i];
            int a0 = aBase + i * ars + p0 * acs;
            int p = 0;
            for (; p + 1 < kc; p += 2) single(c0, rows[p0 + p], rows[p0 + p + 1], a[a0 + p * acs], a[a0 + (p + 1) * acs], nc);
            if (p < kc) single(c0, rows[p0 + p], rows[p0 + p], a[a0 + p * acs], 0.0, nc);
        }
    }

    /** c0 += a00*b0 + a01*b1; c1 += a10*b0 + a11*b1. Loads come before stores so SuperWord can pack them. */
    private static void rank2(double[] c0, double[] c1, double[] b0, double[] b1,
                              double a00, double a01, double a10, double a11, int n) {
        for (int j = 0; j < n; j++) {
            double x0 = b0[j], x1 = b1[j];
            double y0 = c0[j], y1 = c1[j];
            c0[j] = y0 + a00 * x0 + a01 * x1;
            c1[j] = y1 + a10 * x0 + a11 * x1;
        }
    }

    private static void rank1(double[] c0, double[] c1, double[] b0, double a0, double a1, int n) {
        for (int j = 0; j < n; j++) {
            double x0 = b0[j];
            double y0 = c0[j], y1 = c1[j];
            c0[j] = y0 + a0 * x0;
            c1[j] = y1 + a1 * x0;
        }
    }

    private static void single(double[] c0, double[] b0, double[] b1, double a0, double a1, int n) {
        for (int j = 0; j < n; j++) {
            double x0 = b0[j], x1 = b1[j];
            double y0 = c0[j];
            c0[j] = y0 + a0 * x0 + a1 * x1;
        }
    }

    /** C row = alpha * acc + beta * C row; C is not read when beta is 0. */
    private static void store(double[] acc, int n, double alpha, double beta, double[] c, int off) {
        if (beta == 0.0) {
            for (int j = 0; j < n; j++) c[off + j] = alpha * acc[j];
        } else if (beta == 1.0) {
            for (int j = 0; j < n; j++) c[off + j] += alpha * acc[j];
        } else {
            for (int j = 0; j < n; j++) c[off + j] = alpha * acc[j] + beta * c[off + j];
        }
    }
}
