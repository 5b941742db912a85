package io.jgrad.cpu;

/**
 * The blocked GEMM of Goto and van de Geijn around a register-blocked micro-kernel: B is packed into panels of
 * {@code nr} columns (KC x NC block, kept in L3), A into panels of {@code mr} rows (MC x KC block, kept in L2), and
 * the micro-kernel multiplies one A panel by one B panel (that B panel stays in L1 while the A panels stream past).
 * Packing pads ragged panels with zeros, so the micro-kernel always computes a full mr x nr tile; edge tiles go
 * through a scratch tile. Subclasses supply the micro-kernel.
 */
abstract class PackedSgemm implements FloatGemmKernel {
    private static final int KC = 256;

    final int mr;
    final int nr;
    private final int mc;
    private final int nc;
    private final ThreadLocal<Work> work;

    PackedSgemm(int mr, int nr) {
        this.mr = mr;
        this.nr = nr;
        this.mc = mr * Math.max(1, 120 / mr);    // ~120 rows: 120 x 256 floats = 120 KB of L2
        this.nc = nr * Math.max(1, 2048 / nr);   // 256 x 2048 floats = 2 MB of L3
        this.work = ThreadLocal.withInitial(() -> new Work(mc * KC, KC * nc, mr * nr));
    }

    private static final class Work {
        final float[] a;
        final float[] b;
        final float[] tile;

        Work(int aSize, int bSize, int tileSize) {
            a = new float[aSize];
            b = new float[bSize];
            tile = new float[tileSize];
        }
    }

    /**
     * C tile (mr x nr at c[ci], row stride ldc) = alpha * (A panel x B panel) + beta * C tile, with C unread when
     * beta is 0. The A panel holds kc groups of mr values, the B panel kc groups of nr values.
     */
    abstract void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, float alpha, float beta);

    @Override
    public int rowGrain() {
        return mr;
    }

    @Override
    public int columnGrain() {
        return nr;
    }

    @Override
    public boolean splitColumns(int m, int n) {
        return m < mr * Parallel.THREADS * 4 && n > m; // rows, unless C is too short to give every thread a band
    }

    @Override
    public void multiply(int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                         float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        if (k == 0) {
            CpuGemm.scaleC(m, n, beta, c, co, ldc);
            return;
        }
        Work w = work.get();
        for (int jc = 0; jc < n; jc += nc) {
            int ncur = Math.min(nc, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(kc, ncur, b, bo + pc * brs + jc * bcs, brs, bcs, w.b);
                float beta1 = pc == 0 ? beta : 1f;
                for (int ic = 0; ic < m; ic += mc) {
                    int mcur = Math.min(mc, m - ic);
                    packA(mcur, kc, a, ao + ic * ars + pc * acs, ars, acs, w.a);
                    for (int jr = 0; jr < ncur; jr += nr) {
                        int cols = Math.min(nr, ncur - jr);
                        int bi = jr * kc;
                        for (int ir = 0; ir < mcur; ir += mr) {
                            int rows = Math.min(mr, mcur - ir);
                            int ci = co + (ic + ir) * ldc + jc + jr;
                            if (rows == mr && cols == nr) {
                                kernel(kc, w.a, ir * kc, w.b, bi, c, ci, ldc, alpha, beta1);
                            } else {
                                kernel(kc, w.a, ir * kc, w.b, bi, w.tile, 0, nr, 1f, 0f);
                                storeEdge(w.tile, rows, cols, alpha, beta1, c, ci, ldc);
                            }
                        }
                    }
                }
            }
        }
    }

    private void storeEdge(float[] tile, int rows, int cols, float alpha, float beta, float[] c, int ci, int ldc) {
        for (int r = 0; r < rows; r++) {
            int t = r * nr, o = ci + r * ldc;
            for (int j = 0; j < cols; j++) {
                float v = alpha * tile[t + j];
                c[o + j] = beta == 0f ? v : v + beta * c[o + j];
            }
        }
    }

    /** Packs op(A)[0..rows, 0..kc) (element (i, p) at a[off + i*rs + p*cs]) into zero-padded panels of mr rows. */
    private void packA(int rows, int kc, float[] a, int off, int rs, int cs, float[] dst) {
        for (int i0 = 0; i0 < rows; i0 += mr) {
            int h = Math.min(mr, rows - i0);
            int base = i0 * kc;
            if (cs == 1) {
                for (int r = 0; r < h; r++) {
                    int src = off + (i0 + r) * rs;
                    for (int p = 0, d = base + r; p < kc; p++, d += mr) dst[d] = a[src + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = off + p * cs + i0 * rs;
                    int d = base + p * mr;
                    for (int r = 0; r < h; r++) dst[d + r] = a[src + r * rs];
                }
            }
            if (h < mr) {
                for (int p = 0; p < kc; p++) {
                    for (int r = h; r < mr; r++) dst[base + p * mr + r] = 0f;
                }
            }
        }
    }

    /** Packs op(B)[0..kc, 0..cols) into zero-padded panels of nr columns. */
    private void packB(int kc, int cols, float[] b, int off, int rs, int cs, float[] dst) {
        for (int j0 = 0; j0 < cols; j0 += nr) {
            int w = Math.min(nr, cols - j0);
            int base = j0 * kc;
            if (cs == 1) {
                for (int p = 0; p < kc; p++) {
                    int d = base + p * nr;
                    System.arraycopy(b, off + p * rs + j0, dst, d, w);
                    for (int j = w; j < nr; j++) dst[d + j] = 0f;
                }
            } else {
                for (int j = 0; j < w; j++) {
                    int src = off + (j0 + j) * cs;
                    for (int p = 0, d = base + j; p < kc; p++, d += nr) dst[d] = b[src + p * rs];
                }
                if (w < nr) {
                    for (int p = 0; p < kc; p++) {
                        for (int j = w; j < nr; j++) dst[base + p * nr + j] = 0f;
                    }
                }
            }
        }
    }
}
