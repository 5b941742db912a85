package io.jgrad.cpu;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The blocked GEMM of Goto and van de Geijn around a register-blocked micro-kernel: B is packed into panels of
 * {@code nr} columns (KC x NC block, kept in L3), A into panels of {@code mr} rows (MC x KC block, kept in L2), and
 * the micro-kernel multiplies one A panel by one B panel (that B panel stays in L1 while the A panels stream past).
 * Packing pads ragged panels with zeros, so the micro-kernel always computes a full mr x nr tile; edge tiles go
 * through a scratch tile. Subclasses supply the micro-kernel.
 */
abstract class PackedSgemm implements FloatGemmKernel {
    final int mr;
    final int nr;
    /**
     * The deepest block of k: a quarter over the constructor's kc, which makes the B panel (kc x nr floats) fill about
     * half of L1, so that k = 784 is 3 blocks of 262 rather than 256, 256, 256 and 16.
     */
    private final int kcMax;
    private final int mc;
    private final int nc;
    private final ThreadLocal<Work> work;

    PackedSgemm(int mr, int nr, int kc) {
        this.mr = mr;
        this.nr = nr;
        this.kcMax = kc + kc / 4;
        this.mc = mr * Math.max(1, 120 / mr);    // ~120 rows: 120 x 256 floats = 120 KB of L2
        this.nc = nr * Math.max(1, 2048 / nr);   // kc x 2048 floats: 1 to 2 MB of L3
        this.work = ThreadLocal.withInitial(() -> new Work(mc * kcMax, kcMax * nc, mr * nr));
    }

    /** The depth of k's blocks: equal blocks, as few as the limit allows (a thin last block wastes C's loads and stores). */
    int depth(int k) {
        int blocks = Math.max(1, (k + kcMax - 1) / kcMax);
        return (k + blocks - 1) / blocks;
    }

    private static final class Work {
        final float[] a;
        final float[] b;
        final float[] tile;
        /** The threaded path's packed B for several blocks of k at once, grown on demand up to {@link #GROUP_FLOATS}. */
        float[] bGroup = new float[0];

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

    /**
     * The same tile with the same operations in the same order (so the same bits), reading A and B where they lie:
     * A's element (r, p) at a[ai + r*ars + p*acs], B's row p at b[bi + p*bs], nr floats. A packed panel is ars 1,
     * acs mr; a packed B panel is bs nr. False when the subclass has no such kernel (then nothing was computed).
     */
    boolean kernelInPlace(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int bs, float[] c, int ci,
                          int ldc, float alpha, float beta) {
        return false;
    }

    /** Whether {@link #kernelInPlace} computes anything. */
    boolean hasKernelInPlace() {
        return false;
    }

    @Override
    public void multiply(int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                         float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        multiply(1, m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
    }

    /**
     * Threads share packed B: they pack its panels together, then each multiplies its own band of rows (whole
     * micro-tiles) with its own packed A. Sharing beats every thread packing all of B: on two Sapphire Rapids cores a
     * 1024^3 product ran ~12% faster than with one band of C per thread, each packing all of B.
     */
    @Override
    public void multiplyParallel(int threads, int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                                 float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        multiply(threads, m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
    }

    /**
     * Floats of packed B the threaded path prepares per fork-join (4 MB, a quarter of the 16 MB L3 it was tuned on):
     * every block of k in a group is packed and multiplied in one fork-join, instead of one per block of k. At the sizes
     * of an MLP training step (k = 784, n = 256) that is one fork-join instead of four. The group should stay in L3,
     * since every band of rows reads all of it: at 16 MB (2048^3 in groups of six 293 x 2048 blocks, 14 MB) a 2-core
     * VM with other processes running did 20-30 GFLOP/s, with 4 MB 35-40.
     */
    private static final int GROUP_FLOATS = 1 << 20;

    private void multiply(int threads, int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                          float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        if (k == 0) {
            CpuGemm.scaleC(m, n, beta, c, co, ldc);
            return;
        }
        if (threads > 1) {
            multiplyGrouped(threads, m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
            return;
        }
        if (k <= kcMax && n <= nc && (long) m * n * k <= SMALL_MACS && hasKernelInPlace()) {
            multiplySmall(m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
            return;
        }
        float[] packedB = work.get().b;
        int kcStep = depth(k);
        for (int jc = 0; jc < n; jc += nc) {
            int ncur = Math.min(nc, n - jc);
            int panels = (ncur + nr - 1) / nr;
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                float beta1 = pc == 0 ? beta : 1f; // later blocks of k add to what the first one wrote
                packB(kc, ncur, 0, panels, b, bo + pc * brs + jc * bcs, brs, bcs, packedB, 0);
                rows(0, m, kc, ncur, packedB, 0, a, ao + pc * acs, ars, acs, alpha, beta1, c, co + jc, ldc);
            }
        }
    }

    /**
     * The threaded product: threads share packed B, packed for a group of k blocks at once, and take bands of C's rows
     * one at a time as they come free (see {@link Parallel#forEachUnit}). Bands are about a sixteenth of a thread's
     * share (one micro-tile high for m = 256), so that the leader waits at most a few microseconds at the end for a
     * thread that fell behind; with bands of a quarter share it waited ~25 us of a 250 us product. Reading A in place
     * instead of packing it was tried and measured 8-15% slower; so was gathering a transposed B with vector gathers.
     * <p>
     * Packing and multiplying share one fork-join: its first units pack B's panels and the rest are bands, and a band
     * waits until every panel is packed. Units are claimed in order, so a thread that takes a band leaves only packing
     * that other threads are already doing. A training step of small products (k = 64) paid a second fork-join per
     * product for a few microseconds of packing.
     */
    private void multiplyGrouped(int threads, int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                                 float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        Work w = work.get(); // the caller's; workers only read its bGroup, while the caller waits for them
        int rowTiles = (m + mr - 1) / mr;
        int bandTiles = Math.max(1, Math.min(mc / mr, rowTiles / (16 * threads)));
        int bands = (rowTiles + bandTiles - 1) / bandTiles;
        int bandRows = bandTiles * mr;
        int kcStep = depth(k);
        for (int jc = 0; jc < n; jc += nc) {
            int ncur = Math.min(nc, n - jc);
            int panels = (ncur + nr - 1) / nr;
            int blockFloats = kcStep * panels * nr;
            int perGroup = Math.max(1, GROUP_FLOATS / blockFloats);
            for (int pc0 = 0; pc0 < k; pc0 += perGroup * kcStep) {
                int blocks = Math.min(perGroup, (k - pc0 + kcStep - 1) / kcStep);
                if (w.bGroup.length < blocks * blockFloats) w.bGroup = new float[blocks * blockFloats];
                float[] packed = w.bGroup;
                int first = pc0, col = jc, packs = blocks * panels;
                AtomicInteger packed0 = new AtomicInteger();
                Parallel.forEachUnit(packs + bands, threads, (u, end) -> {
                    if (u < packs) {
                        int blk = u / panels, panel = u % panels;
                        int pc = first + blk * kcStep, kc = Math.min(kcStep, k - pc);
                        try {
                            packB(kc, ncur, panel, panel + 1, b, bo + pc * brs + col * bcs, brs, bcs, packed, blk * blockFloats);
                        } finally {
                            packed0.incrementAndGet(); // a failure is rethrown by the leader; bands must not wait on it
                        }
                        return;
                    }
                    for (int spins = 0; packed0.get() < packs; ) { // the last panels are being packed
                        if (++spins < 2_000) Thread.onSpinWait(); else Thread.yield(); // a packer the OS paused
                    }
                    int lo = (u - packs) * bandRows, hi = Math.min(m, lo + bandRows);
                    for (int blk = 0; blk < blocks; blk++) {
                        int pc = first + blk * kcStep, kc = Math.min(kcStep, k - pc);
                        float beta1 = pc == 0 ? beta : 1f; // later blocks of k add to what the first one wrote
                        rows(lo, hi, kc, ncur, packed, blk * blockFloats, a, ao + pc * acs, ars, acs, alpha, beta1, c,
                                co + col, ldc);
                    }
                });
            }
        }
    }

    /**
     * Multiply-adds up to which a product on one thread reads its operands in place (one block of k): the attention
     * of a small transformer (16 x 16 x 16 products, hundreds per step) spent as long packing A and B as multiplying.
     * Larger products pack: each A panel then serves many B panels (reading A in place measured 8-15% slower there).
     */
    private static final long SMALL_MACS = 1L << 18;

    /**
     * A product of one block of k with operands read in place: full row panels of A and, where B's rows are
     * contiguous, full column panels of B; only the ragged edges (and a B with strided rows) are packed. Every tile
     * takes the same operations as in the packed product, so the bits are the same.
     */
    private void multiplySmall(int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                               float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        Work w = work.get();
        int fullRows = m - m % mr, panels = (n + nr - 1) / nr;
        boolean bInPlace = bcs == 1;
        if (!bInPlace) {
            packB(k, n, 0, panels, b, bo, brs, bcs, w.b, 0);
        } else if (n % nr != 0) { // only the ragged last panel, at the start of w.b
            packB(k, n, panels - 1, panels, b, bo, brs, bcs, w.b, -(panels - 1) * nr * k);
        }
        if (fullRows < m) packA(m - fullRows, k, a, ao + fullRows * ars, ars, acs, w.a);
        for (int jr = 0; jr < n; jr += nr) {
            int cols = Math.min(nr, n - jr);
            float[] bp;
            int bi, bs;
            if (bInPlace && cols == nr) {
                bp = b;
                bi = bo + jr;
                bs = brs;
            } else {
                bp = w.b;
                bi = bInPlace ? 0 : jr * k;
                bs = nr;
            }
            for (int ir = 0; ir < m; ir += mr) {
                int h = Math.min(mr, m - ir);
                int ci = co + ir * ldc + jr;
                float[] ap = h == mr ? a : w.a;
                int ai = h == mr ? ao + ir * ars : 0, rs = h == mr ? ars : 1, cs = h == mr ? acs : mr;
                if (h == mr && cols == nr) {
                    kernelInPlace(k, ap, ai, rs, cs, bp, bi, bs, c, ci, ldc, alpha, beta);
                } else {
                    kernelInPlace(k, ap, ai, rs, cs, bp, bi, bs, w.tile, 0, nr, 1f, 0f);
                    storeEdge(w.tile, h, cols, alpha, beta, c, ci, ldc);
                }
            }
        }
    }

    /** The deepest block of k: a product up to this deep is one block, whatever path computes it. */
    int maxDepth() {
        return kcMax;
    }

    /** Floats that {@link #packPanels} writes for k rows and n columns: whole zero-padded panels of nr columns. */
    int panelFloats(int k, int n) {
        return (n + nr - 1) / nr * nr * k;
    }

    /**
     * Packs op(B)[0..k, 0..n) (element (p, j) at b[off + p*rs + j*cs]) into panels of nr columns and k rows, panel t
     * at dst[dstOff + t * nr * k], for fused kernels that pack an operand once and multiply by it many times with
     * {@link #multiplyBanded} (which may use only the first rows of each panel).
     */
    void packPanels(int k, int n, float[] b, int off, int rs, int cs, float[] dst, int dstOff) {
        packB(k, n, 0, (n + nr - 1) / nr, b, off, rs, cs, dst, dstOff);
    }

    /** No band: {@link #multiplyBanded} with kFrom -NO_BAND, kTo and cTo NO_BAND multiplies every k and computes every tile. */
    static final int NO_BAND = Integer.MAX_VALUE / 4;

    /**
     * C = alpha op(A) B + beta C on the calling thread, k at most {@link #maxDepth()}, with A read in place where its
     * rows fill a micro-tile and B either packed by {@link #packPanels} ({@code bInPlace} false: panel t at
     * b[bo + t * panelStride], row stride bs = nr, its first k rows used) or read where its rows lie ({@code bInPlace}
     * true: row stride bs, panelStride nr, only a ragged last panel packed): the tiles, operations and so bits of
     * {@link #multiply}. For a causal block of attention it skips what only multiplies or produces zeros. Row tile [ir, ir + h) multiplies k in [max(0, ir + kFrom), min(k, ir + h + kTo)) (A is zero
     * outside, where row i is nonzero from i + kFrom to i + kTo), and its column tiles from jr &gt; ir + h - 1 + cTo
     * are not computed (C is not needed past column i + cTo of row i). A skipped k adds exact zeros to an accumulator
     * that starts at +0, so with finite B the computed elements have the bits of the full product. kFrom
     * -{@link #NO_BAND}, kTo and cTo {@link #NO_BAND} turn the limits off.
     */
    void multiplyBanded(int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs, float[] b, int bo,
                        int bs, int panelStride, boolean bInPlace, float beta, float[] c, int co, int ldc, int kFrom,
                        int kTo, int cTo) {
        Work w = work.get();
        int fullRows = m - m % mr;
        if (fullRows < m) packA(m - fullRows, k, a, ao + fullRows * ars, ars, acs, w.a);
        for (int jr = 0, bi = bo; jr < n; jr += nr, bi += panelStride) {
            int cols = Math.min(nr, n - jr);
            float[] bp = b;
            int bpi = bi, bps = bs;
            if (bInPlace && cols < nr) { // the ragged last panel, packed
                packB(k, cols, 0, 1, b, bi, bs, 1, w.b, 0);
                bp = w.b;
                bpi = 0;
                bps = nr;
            }
            for (int ir = 0; ir < m; ir += mr) {
                int h = Math.min(mr, m - ir);
                if (jr > ir + h - 1 + cTo) continue;
                int k0 = Math.max(0, Math.min(k, ir + kFrom)), k1 = Math.max(k0, Math.min(k, ir + h + kTo));
                if (k0 == k1 && beta == 1f) continue; // C += 0
                int ci = co + ir * ldc + jr;
                float[] ap = h == mr ? a : w.a;
                int ai = h == mr ? ao + ir * ars : 0, rs = h == mr ? ars : 1, cs = h == mr ? acs : mr;
                if (h == mr && cols == nr) {
                    kernelInPlace(k1 - k0, ap, ai + k0 * cs, rs, cs, bp, bpi + k0 * bps, bps, c, ci, ldc, alpha, beta);
                } else {
                    kernelInPlace(k1 - k0, ap, ai + k0 * cs, rs, cs, bp, bpi + k0 * bps, bps, w.tile, 0, nr, 1f, 0f);
                    storeEdge(w.tile, h, cols, alpha, beta, c, ci, ldc);
                }
            }
        }
    }

    /** Rows [lo, hi) of C's current column block times the packed B block, in blocks of mc rows of packed A. */
    private void rows(int lo, int hi, int kc, int ncur, float[] packedB, int packedOff, float[] a, int aOff, int ars,
                      int acs, float alpha, float beta, float[] c, int cOff, int ldc) {
        Work w = work.get();
        for (int ic = lo; ic < hi; ic += mc) {
            int mcur = Math.min(mc, hi - ic);
            packA(mcur, kc, a, aOff + ic * ars, ars, acs, w.a);
            for (int jr = 0; jr < ncur; jr += nr) {
                int cols = Math.min(nr, ncur - jr);
                int bi = packedOff + jr * kc;
                for (int ir = 0; ir < mcur; ir += mr) {
                    int h = Math.min(mr, mcur - ir);
                    int ci = cOff + (ic + ir) * ldc + jr;
                    if (h == mr && cols == nr) {
                        kernel(kc, w.a, ir * kc, packedB, bi, c, ci, ldc, alpha, beta);
                    } else {
                        kernel(kc, w.a, ir * kc, packedB, bi, w.tile, 0, nr, 1f, 0f);
                        storeEdge(w.tile, h, cols, alpha, beta, c, ci, ldc);
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
            if (h == 5 && mr == 5) { // the AVX2 tile, written out: the generic loops below run ~3x slower
                pack5(kc, a, off + i0 * rs, rs, cs, dst, base);
            } else if (cs == 1) {
                // down the h rows together, so the writes are sequential (one row at a time writes with stride mr)
                int src = off + i0 * rs;
                for (int p = 0, d = base; p < kc; p++, d += mr) {
                    for (int r = 0, x = src + p; r < h; r++, x += rs) dst[d + r] = a[x];
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

    /** Five full rows of op(A) (element (r, p) at a[src + r*rs + p*cs]) into one panel at dst[d]. */
    private static void pack5(int kc, float[] a, int src, int rs, int cs, float[] dst, int d) {
        int x0 = src, x1 = x0 + rs, x2 = x1 + rs, x3 = x2 + rs, x4 = x3 + rs;
        for (int p = 0, q = 0; p < kc; p++, q += cs, d += 5) {
            dst[d] = a[x0 + q];
            dst[d + 1] = a[x1 + q];
            dst[d + 2] = a[x2 + q];
            dst[d + 3] = a[x3 + q];
            dst[d + 4] = a[x4 + q];
        }
    }

    /** Packs panels [fromPanel, toPanel) of op(B)[0..kc, 0..cols) (nr columns each, zero-padded) into dst. */
    private void packB(int kc, int cols, int fromPanel, int toPanel, float[] b, int off, int rs, int cs, float[] dst,
                       int dstOff) {
        for (int t = fromPanel; t < toPanel; t++) {
            int j0 = t * nr;
            int w = Math.min(nr, cols - j0);
            int base = dstOff + j0 * kc;
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
