package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.spi.View;
import java.util.Arrays;

import static io.jgrad.cpu.PackedSgemm.NO_BAND;

/**
 * Fused float32 attention over blocks of query rows, so that neither direction holds an l x s matrix: scratch per
 * thread is a few BR x s blocks, linear in the sequence length.
 * <p>
 * Forward, for a block of BR query rows: the scores S = scale Q K^T against every key the block may see (one GEMM, k
 * the head dimension), plus the mask and the causal -inf; then each row's softmax in one pass (maximum, exponentials
 * and their sum), with lse = max + log(sum); then out = P V (one GEMM, k the keys). Whole rows make fewer, larger
 * products and leave no running maximum to rescale: with 64 x 64 tiles and the online softmax (the FlashAttention
 * recurrence, which a GPU needs for its small shared memory), a [8, 4, 256, 64] causal forward ran as 20 products per
 * slice.
 * <p>
 * Backward, with P = exp(S - lse) recomputed block by block and D = rowsum(dOut * out): dP = dOut V^T,
 * dS = P (dP - D), dQ = scale dS K, dV += P^T dOut, dK += scale dS^T Q. dK and dV sum over query rows, so they are
 * summed where one thread owns them: with at least {@link #MIN_SLICES} (batch, head) slices, a thread takes a whole
 * slice and computes all three gradients from one recomputation per block; with fewer, two passes, over query blocks
 * (D and dQ) and over key tiles (dK and dV, recomputing tiles of BR x BC). Every output row is summed by one thread
 * in a fixed order, and the choice depends on the shape only, so results do not depend on the thread count.
 * <p>
 * The products run on the GEMM's micro-kernel ({@link PackedSgemm#multiplyBanded}) once it is warm: a thread packs a
 * slice's K^T, V^T, K (or V) once into the kernel's panels, which every query block then reuses, and with the causal
 * mask it skips the tiles of S and dP past the diagonal and the zero parts of P and dS in the products that sum over
 * keys or queries (half the work of a square call, where blocks of whole key rows computed 1 + 1 / blocks of it).
 * Until the GEMM is warm, and where a product is too small or deep for one block of k, the same products go through
 * {@link CpuGemm#multiply}, with the same bits (AttentionPanelsTest). Probabilities that the causal mask hides are set
 * to 0, not computed as exp(-inf): the exponential clamps its argument to -104, and the subnormal products that follow
 * cost a microcode assist each (40% of a [8, 4, 256, 64] call). The exponentials go through {@link FloatSimd}.
 * float64 is left to the SPI's default composition, which is exact enough for gradient checks and which this kernel is
 * tested against.
 */
final class AttentionKernels {
    private AttentionKernels() {
    }

    /**
     * Query rows per block: with causal tiles skipped, larger blocks cost no masked work, and dK and dV, which every
     * block adds to, are read and written fewer times (128 and 256 measured alike on a [8, 4, 256, 64] call, 64 a few
     * percent slower, in noise); the scratch, BR x s floats, stays linear in s.
     */
    private static final int BR = 128;
    /** Keys per tile in the backward's key pass (few slices): BR x BC scores (32 KB) stay in L2 beside their rows. */
    private static final int BC = 64;
    /**
     * Slices from which the backward gives each thread whole slices (one pass) rather than splitting one slice's
     * blocks and tiles (two passes): enough units to keep a few threads busy. A property of the shape alone, so that
     * the thread count never picks the summation order.
     */
    static final int MIN_SLICES = 16;

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
         * scores[r * ld + c] = scale * q[i0 + r] . k[j0 + c] + mask, and -inf past the diagonal, for r &lt; rows,
         * c &lt; cols.
         */
        void scores(PackedSgemm pk, Scratch w, int slice, int i0, int rows, int j0, int cols, float[] tile, int ld) {
            if (j0 == 0 && packs(pk, rows, cols, e)) {
                pk.multiplyBanded(rows, cols, e, scale, q, qo + (slice * l + i0) * e, e, 1, w.kt, 0, pk.nr,
                        pk.nr * e, false, 0f, tile, 0, ld, -NO_BAND, NO_BAND, diagonal(i0));
            } else {
                CpuGemm.multiply(1, rows, cols, e, scale, q, qo + (slice * l + i0) * e, e, 1,
                        k, ko + (slice * s + j0) * e, 1, e, 0f, tile, 0, ld);
            }
            if (mask != null) {
                long base = maskView.offset + slice * maskView.strides[0];
                for (int r = 0; r < rows; r++) {
                    long at = base + (i0 + r) * maskView.strides[1] + j0 * maskView.strides[2];
                    for (int c = 0; c < cols; c++, at += maskView.strides[2]) tile[r * ld + c] += mask[(int) at];
                }
            }
            if (causal) {
                for (int r = 0; r < rows; r++) {
                    int from = Math.max(0, i0 + r + 1 - j0);
                    if (from < cols) Arrays.fill(tile, r * ld + from, r * ld + cols, Float.NEGATIVE_INFINITY);
                }
            }
        }

        /** Replaces a scores block by P = exp(S - lse) row by row. */
        /**
         * Packs the slice's keys [0, keys) for the products that every query block repeats: K^T (for S = Q K^T) into
         * w.kt, and V^T (for dP = dOut V^T) into w.vt or V (for out = P V) into w.vr; K (for dQ = dS K) into w.kr.
         * Packing K^T gathers with a stride; once per slice instead of once per block.
         */
        void pack(PackedSgemm pk, Scratch w, int slice, int keys, boolean backward) {
            int n = Math.max(Math.max(pk.panelFloats(e, keys), pk.panelFloats(ev, keys)),
                    Math.max(pk.panelFloats(keys, e), pk.panelFloats(keys, ev)));
            w.ensurePanels(n);
            pk.packPanels(e, keys, k, ko + slice * s * e, 1, e, w.kt, 0);
            if (backward) {
                pk.packPanels(ev, keys, v, vo + slice * s * ev, 1, ev, w.vt, 0);
                pk.packPanels(keys, e, k, ko + slice * s * e, e, 1, w.kr, 0);
            } else {
                pk.packPanels(keys, ev, v, vo + slice * s * ev, ev, 1, w.vr, 0);
            }
            w.keys = keys;
        }

        /**
         * Keys of [j0, j0 + cols) that query row i sees past the causal mask: a prefix. The rest get P = 0 without an
         * exponential: exp(-inf) goes through the exponential's clamp to exp(-104), whose subnormal products cost a
         * microcode assist each, and the causal triangle made that 40% of a [8, 4, 256, 64] call's time.
         */
        /**
         * For the causal band of a block from query row i0 (keys from 0): key j is visible to row i0 + r when
         * j &lt;= r + diagonal; {@link PackedSgemm#NO_BAND} without the causal mask.
         */
        int diagonal(int i0) {
            return causal ? i0 : NO_BAND;
        }

        int visible(int i, int j0, int cols) {
            return causal ? Math.max(0, Math.min(cols, i + 1 - j0)) : cols;
        }

        void probabilities(int slice, int i0, int rows, int j0, int cols, float[] tile, int ld, float[] lse, int lo) {
            for (int r = 0; r < rows; r++) {
                int n = visible(i0 + r, j0, cols);
                FloatSimd.INSTANCE.expShiftedSum(tile, r * ld, lse[lo + slice * l + i0 + r], tile, r * ld, n);
                Arrays.fill(tile, r * ld + n, r * ld + cols, 0f);
            }
        }

        /**
         * For query rows [i0, i0 + rows) and keys [j0, j0 + cols): P = exp(S - lse) into p and dS = P (dOut V^T - D)
         * into ds, both with row stride ld.
         */
        void gradients(PackedSgemm pk, Scratch w, int slice, int i0, int rows, int j0, int cols, float[] p, float[] ds,
                       int ld, float[] g, int go, float[] d, float[] lse, int lo) {
            scores(pk, w, slice, i0, rows, j0, cols, p, ld);
            probabilities(slice, i0, rows, j0, cols, p, ld, lse, lo);
            // dP = dOut[i0 .. i0 + rows) V[j0 .. j0 + cols)^T
            if (j0 == 0 && packs(pk, rows, cols, ev)) {
                pk.multiplyBanded(rows, cols, ev, 1f, g, go + (slice * l + i0) * ev, ev, 1, w.vt, 0, pk.nr,
                        pk.nr * ev, false, 0f, ds, 0, ld, -NO_BAND, NO_BAND, diagonal(i0));
            } else {
                CpuGemm.multiply(1, rows, cols, ev, 1f, g, go + (slice * l + i0) * ev, ev, 1,
                        v, vo + (slice * s + j0) * ev, 1, ev, 0f, ds, 0, ld);
            }
            for (int r = 0; r < rows; r++) {
                float dr = d[slice * l + i0 + r];
                int x = r * ld, xe = x + visible(i0 + r, j0, cols);
                for (; x < xe; x++) ds[x] = p[x] * (ds[x] - dr);
                Arrays.fill(ds, xe, r * ld + cols, 0f); // P is 0 there, and dP was not computed
            }
        }
    }

    /**
     * Whether a product of m x n and depth k runs on the packed kernel's panels: where {@link CpuGemm#multiply} would
     * run that kernel too (so the bits are the same whichever runs it) and k is one block.
     */
    private static boolean packs(PackedSgemm pk, int m, int n, int k) {
        return pk != null && m >= 6 && n >= 8 && k <= pk.maxDepth();
    }

    /**
     * The row stride of a thread's score blocks for n keys: n rounded up to an odd number of 16 floats. Rows 1 KB apart
     * (n = 256) fall into 4 of L1's 64 sets, and dV += P^T dOut, which reads a column of such rows per step, then ran
     * from L2, twice as long as the other products.
     */
    static int rowStride(int n) {
        return (((n + 15) >>> 4) | 1) << 4;
    }

    private static float[] floats(View v) {
        return ((CpuBuffer) v.buffer).floats();
    }

    /**
     * A thread's blocks: scores or probabilities, and their gradients, BR rows of up to s keys each; and one slice's
     * K and V packed for the GEMM's micro-kernel (see {@link Panels}).
     */
    private static final class Scratch {
        float[] p = new float[0];
        float[] ds = new float[0];
        float[] kt = new float[0];
        float[] vt = new float[0];
        float[] kr = new float[0];
        float[] vr = new float[0];
        /** Keys packed: the depth of the kr and vr panels. */
        int keys;

        void ensure(int n) {
            if (p.length < n) {
                p = new float[n];
                ds = new float[n];
            }
        }

        void ensurePanels(int n) {
            if (kt.length < n) {
                kt = new float[n];
                vt = new float[n];
                kr = new float[n];
                vr = new float[n];
            }
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static void forward(View out, View lse, View q, View k, View v, View mask, boolean causal, double scale) {
        forward(out, lse, q, k, v, mask, causal, scale, true);
    }

    /** With {@code panels} false, every product goes through {@link CpuGemm#multiply}: the same bits, for tests. */
    static void forward(View out, View lse, View q, View k, View v, View mask, boolean causal, double scale,
                        boolean panels) {
        Call c = Call.of(q, k, v, mask, causal, scale);
        if (c.b == 0 || c.l == 0) return;
        float[] o = floats(out), ls = floats(lse);
        int oo = (int) out.offset, lo = (int) lse.offset;
        if (c.s == 0) { // no keys: out 0 and lse -inf, as the SPI default and the composed reference give
            Arrays.fill(o, oo, oo + c.b * c.l * c.ev, 0f);
            Arrays.fill(ls, lo, lo + c.b * c.l, Float.NEGATIVE_INFINITY);
            return;
        }
        int blocks = (c.l + BR - 1) / BR;
        // whole slices when there are enough to go round (K and V packed once per slice), else blocks of a slice
        boolean bySlice = c.b >= MIN_SLICES;
        long work = (long) c.b * c.l * c.s * (c.e + c.ev);
        PackedSgemm pk = panels ? CpuGemm.packedKernel(c.causal ? work / 2 : work) : null;
        Parallel.forEachUnit(bySlice ? c.b : c.b * blocks, Parallel.chunks(work), (from, to) -> {
            Scratch w = SCRATCH.get();
            w.ensure(BR * rowStride(c.s));
            for (int u = from; u < to; u++) {
                int slice = bySlice ? u : u / blocks;
                int first = bySlice ? 0 : u % blocks, last = bySlice ? blocks : first + 1;
                if (pk != null) c.pack(pk, w, slice, c.keyEnd(Math.min(c.l, last * BR)), false);
                for (int blk = first; blk < last; blk++) forwardBlock(c, pk, w, slice, blk * BR, o, oo, ls, lo);
            }
        });
    }

    private static void forwardBlock(Call c, PackedSgemm pk, Scratch w, int slice, int i0, float[] o, int oo,
                                     float[] ls, int lo) {
        float[] p = w.p;
        int rows = Math.min(BR, c.l - i0), ev = c.ev, end = c.keyEnd(i0 + rows), ld = rowStride(end);
        c.scores(pk, w, slice, i0, rows, 0, end, p, ld);
        boolean empty = false;
        for (int r = 0; r < rows; r++) {
            int t = r * ld, row = slice * c.l + i0 + r, n = c.visible(i0 + r, 0, end);
            float m = FloatSimd.INSTANCE.max(p, t, n);
            if (m == Float.NEGATIVE_INFINITY) { // no key to see: NaN, as the composed softmax gives
                Arrays.fill(p, t, t + end, 0f);
                ls[lo + row] = Float.NaN;
                empty = true;
                continue;
            }
            double sum = FloatSimd.INSTANCE.expShiftedSum(p, t, m, p, t, n);
            float inv = (float) (1 / sum);
            for (int x = t, xe = t + n; x < xe; x++) p[x] *= inv;
            Arrays.fill(p, t + n, t + end, 0f);
            ls[lo + row] = (float) (m + Math.log(sum));
        }
        int orow = oo + (slice * c.l + i0) * ev;
        if (packs(pk, rows, ev, end)) {
            pk.multiplyBanded(rows, ev, end, 1f, p, 0, ld, 1, w.vr, 0, pk.nr, pk.nr * w.keys, false, 0f, o, orow, ev,
                    -NO_BAND, c.diagonal(i0), NO_BAND);
        } else {
            CpuGemm.multiply(1, rows, ev, end, 1f, p, 0, ld, 1, c.v, c.vo + slice * c.s * ev, ev, 1, 0f, o, orow, ev);
        }
        if (empty) {
            for (int r = 0; r < rows; r++) {
                if (Float.isNaN(ls[lo + slice * c.l + i0 + r])) Arrays.fill(o, orow + r * ev, orow + (r + 1) * ev, Float.NaN);
            }
        }
    }

    static void backward(View dq, View dk, View dv, View dOut, View q, View k, View v, View out, View lse, View mask,
                         boolean causal, double scale) {
        backward(dq, dk, dv, dOut, q, k, v, out, lse, mask, causal, scale, true);
    }

    /** With {@code panels} false, every product goes through {@link CpuGemm#multiply}: the same bits, for tests. */
    static void backward(View dq, View dk, View dv, View dOut, View q, View k, View v, View out, View lse, View mask,
                         boolean causal, double scale, boolean panels) {
        Call c = Call.of(q, k, v, mask, causal, scale);
        int b = c.b, l = c.l, s = c.s, e = c.e, ev = c.ev;
        float[] gq = dq == null ? null : floats(dq), gk = dk == null ? null : floats(dk), gv = dv == null ? null : floats(dv);
        int gqo = dq == null ? 0 : (int) dq.offset, gko = dk == null ? 0 : (int) dk.offset, gvo = dv == null ? 0 : (int) dv.offset;
        if (gq != null) Arrays.fill(gq, gqo, gqo + b * l * e, 0f);
        if (gk != null) Arrays.fill(gk, gko, gko + b * s * e, 0f);
        if (gv != null) Arrays.fill(gv, gvo, gvo + b * s * ev, 0f);
        if (b == 0 || l == 0 || s == 0 || (gq == null && gk == null && gv == null)) return;
        float[] g = floats(dOut), o = floats(out), ls = floats(lse);
        int go = (int) dOut.offset, oo = (int) out.offset, lo = (int) lse.offset;
        float[] d = new float[b * l]; // D = rowsum(dOut * out), each block's rows before their first use
        boolean[] seesNoKey = new boolean[b]; // slices with a row whose keys are all masked (lse NaN)
        int blocks = (l + BR - 1) / BR;
        int threads = Parallel.chunks((long) b * l * s * (e + ev));
        boolean slices = b >= MIN_SLICES;
        // the packed kernel's panels of K and V, once per slice, when a thread takes whole slices
        PackedSgemm pk = slices && panels ? CpuGemm.packedKernel((long) b * l * s * (e + e + ev + ev + ev) / (causal ? 2 : 1)) : null;
        // by slice: every gradient of a slice on one thread; else the query pass (D and dQ), then the key pass
        Parallel.forEachUnit(slices ? b : b * blocks, threads, (from, to) -> {
            Scratch w = SCRATCH.get();
            w.ensure(BR * rowStride(s));
            for (int u = from; u < to; u++) {
                int slice = slices ? u : u / blocks;
                if (pk != null) c.pack(pk, w, slice, s, true);
                for (int blk = slices ? 0 : u % blocks, last = slices ? blocks : blk + 1; blk < last; blk++) {
                    int i0 = blk * BR, rows = Math.min(BR, l - i0);
                    for (int r = 0; r < rows; r++) {
                        int row = slice * l + i0 + r;
                        double acc = 0;
                        for (int x = 0; x < ev; x++) acc += (double) g[go + row * ev + x] * o[oo + row * ev + x];
                        d[row] = (float) acc;
                        if (Float.isNaN(ls[lo + row])) seesNoKey[slice] = true;
                    }
                    if (!slices && gq == null) continue;
                    int end = c.keyEnd(i0 + rows), ld = rowStride(end);
                    c.gradients(pk, w, slice, i0, rows, 0, end, w.p, w.ds, ld, g, go, d, ls, lo);
                    if (gq != null) { // dQ[i0 + r] = scale sum_j dS[r][j] K[j]
                        if (packs(pk, rows, e, end)) {
                            pk.multiplyBanded(rows, e, end, c.scale, w.ds, 0, ld, 1, w.kr, 0, pk.nr, pk.nr * w.keys,
                                    false, 0f, gq, gqo + (slice * l + i0) * e, e, -NO_BAND, c.diagonal(i0), NO_BAND);
                        } else {
                            CpuGemm.multiply(1, rows, e, end, c.scale, w.ds, 0, ld, 1, c.k, c.ko + slice * s * e, e, 1,
                                    0f, gq, gqo + (slice * l + i0) * e, e);
                        }
                    }
                    if (!slices) continue;
                    if (gv != null) { // dV[j] += sum_r P[r][j] dOut[i0 + r]
                        if (packs(pk, end, ev, rows)) {
                            pk.multiplyBanded(end, ev, rows, 1f, w.p, 0, 1, ld, g, go + (slice * l + i0) * ev, ev,
                                    pk.nr, true, 1f, gv, gvo + slice * s * ev, ev, -c.diagonal(i0), NO_BAND, NO_BAND);
                        } else {
                            CpuGemm.multiply(1, end, ev, rows, 1f, w.p, 0, 1, ld, g, go + (slice * l + i0) * ev, ev, 1,
                                    1f, gv, gvo + slice * s * ev, ev);
                        }
                    }
                    if (gk != null) { // dK[j] += scale sum_r dS[r][j] Q[i0 + r]
                        if (packs(pk, end, e, rows)) {
                            pk.multiplyBanded(end, e, rows, c.scale, w.ds, 0, 1, ld, c.q, c.qo + (slice * l + i0) * e,
                                    e, pk.nr, true, 1f, gk, gko + slice * s * e, e, -c.diagonal(i0), NO_BAND, NO_BAND);
                        } else {
                            CpuGemm.multiply(1, end, e, rows, c.scale, w.ds, 0, 1, ld, c.q, c.qo + (slice * l + i0) * e,
                                    e, 1, 1f, gk, gko + slice * s * e, e);
                        }
                    }
                }
            }
        });
        if (!slices && (gk != null || gv != null)) keyPass(c, gk, gko, gv, gvo, g, go, d, ls, lo, threads);
        // a row that sees no key has P = NaN for every key, as the composed default computes it, even for keys that the
        // causal mask hides from it and that the blocks above therefore skip: every dK and dV of its slice is NaN
        for (int slice = 0; slice < b; slice++) {
            if (!seesNoKey[slice]) continue;
            if (gk != null) Arrays.fill(gk, gko + slice * s * e, gko + (slice + 1) * s * e, Float.NaN);
            if (gv != null) Arrays.fill(gv, gvo + slice * s * ev, gvo + (slice + 1) * s * ev, Float.NaN);
        }
    }

    /** dK and dV over key tiles, for few slices; D complete. */
    private static void keyPass(Call c, float[] gk, int gko, float[] gv, int gvo, float[] g, int go, float[] d, float[] ls,
                                int lo, int threads) {
        int b = c.b, l = c.l, s = c.s, e = c.e, ev = c.ev;
        boolean causal = c.causal;
        int tiles = (s + BC - 1) / BC;
        Parallel.forEachUnit(b * tiles, threads, (from, to) -> {
            Scratch w = SCRATCH.get();
            w.ensure(BR * BC);
            for (int u = from; u < to; u++) {
                int slice = u / tiles, j0 = (u % tiles) * BC, cols = Math.min(BC, s - j0);
                for (int i0 = causal ? j0 / BR * BR : 0; i0 < l; i0 += BR) {
                    int rows = Math.min(BR, l - i0);
                    c.gradients(null, w, slice, i0, rows, j0, cols, w.p, w.ds, BC, g, go, d, ls, lo);
                    if (gv != null) { // dV[j0 + c] += sum_r P[r][c] dOut[i0 + r]
                        CpuGemm.multiply(1, cols, ev, rows, 1f, w.p, 0, 1, BC, g, go + (slice * l + i0) * ev, ev, 1,
                                1f, gv, gvo + (slice * s + j0) * ev, ev);
                    }
                    if (gk != null) { // dK[j0 + c] += scale sum_r dS[r][c] Q[i0 + r]
                        CpuGemm.multiply(1, cols, e, rows, c.scale, w.ds, 0, 1, BC, c.q, c.qo + (slice * l + i0) * e, e, 1,
                                1f, gk, gko + (slice * s + j0) * e, e);
                    }
                }
            }
        });
    }
}
