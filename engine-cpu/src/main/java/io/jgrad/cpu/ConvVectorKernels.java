package io.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import static io.jgrad.cpu.ConvVectorKernels.Species.S;

/**
 * The direct convolution micro-kernels of {@link ConvGemm}: 6 x (2 vectors) tiles of C, like {@link VectorSgemm}'s
 * AVX2 tile, but with one operand read in place from a zero-padded band of the image instead of a packed panel.
 * Loaded by name, like VectorSgemm, so that nothing else links against {@code jdk.incubator.vector}; written out
 * register by register for the same reason (C2 keeps vectors in registers only when everything is inlined).
 */
final class ConvVectorKernels extends ConvGemm.Direct {
    private static final int L = VectorShape.preferredShape().vectorBitSize() / Float.SIZE;

    /** The species, created by the first tile (see {@link VectorSgemm.Species}). */
    static final class Species {
        private Species() {
        }

        static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        /** Lane i takes lane 2i mod L (the even lanes of two vectors), 2i + 1 mod L (the odd ones). */
        static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * i % S.length());
        static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> (2 * i + 1) % S.length());
        /** Lane i takes lane i / 2 (the first halves of two vectors interleaved), L / 2 + i / 2 (the second halves). */
        static final VectorShuffle<Float> LOW = VectorShuffle.fromOp(S, i -> i / 2);
        static final VectorShuffle<Float> HIGH = VectorShuffle.fromOp(S, i -> S.length() / 2 + i / 2);
        /** The upper half of the lanes; the odd lanes. */
        static final VectorMask<Float> UPPER = S.indexInRange(-S.length() / 2, S.length() / 2);
        static final VectorMask<Float> ODD_LANES = VectorMask.fromValues(S, oddLanes(S.length()));

        private static boolean[] oddLanes(int n) {
            boolean[] b = new boolean[n];
            for (int i = 1; i < n; i += 2) b[i] = true;
            return b;
        }
    }

    ConvVectorKernels() {
        super(2 * L);
        if (L < 4) throw new UnsupportedOperationException("the preferred vector shape has only " + L + " float lanes");
    }

    /**
     * C tile (6 rows at c[ci], row stride ldc, 2L columns) = sum over l in [0, kc) of a[ai + 6 l + r] * x[base +
     * off[o0 + l] + (0 .. 2L)], added to C when {@code add}, else written over it (C unread).
     */
    @Override
    void forwardTile(int kc, float[] a, int ai, float[] x, int base, int[] off, int o0, float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00;
        FloatVector c41 = c00, c50 = c00, c51 = c00;
        for (int l = 0; l < kc; l++, ai += 6) {
            int bi = base + off[o0 + l];
            FloatVector b0 = FloatVector.fromArray(S, x, bi);
            FloatVector b1 = FloatVector.fromArray(S, x, bi + L);
            FloatVector v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + 1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ai + 3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[ai + 4]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[ai + 5]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        // written out here, not in a helper taking vectors: C2 boxes vectors passed to a call it does not inline
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
    }

    /**
     * {@link #forwardTile} for the first 4 rows of a 6-row panel of A: a last row tile of 4 rows or fewer (64 rows are
     * ten tiles of 6 and one of 4) computes no zero rows.
     */
    @Override
    void forwardTile4(int kc, float[] a, int ai, float[] x, int base, int[] off, int o0, float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int l = 0; l < kc; l++, ai += 6) {
            int bi = base + off[o0 + l];
            FloatVector b0 = FloatVector.fromArray(S, x, bi);
            FloatVector b1 = FloatVector.fromArray(S, x, bi + L);
            FloatVector v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + 1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ai + 3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
        }
        // written out here, not in a helper taking vectors: C2 boxes vectors passed to a call it does not inline
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
    }

    /**
     * C tile (6 rows at c[ci], row stride ldc, 2L columns) = sum over l in [0, steps) of x[p_r + col[l]] * b[bi + l *
     * 2L + (0 .. 2L)], added to C when {@code add}. One loop with a table of offsets: with a loop over rows around
     * one over columns, C2 kept the accumulators in memory and the tile ran ten times slower.
     */
    @Override
    void weightTile(int steps, float[] x, int p0, int p1, int p2, int p3, int p4, int p5, int[] col, float[] b, int bi,
                    float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00;
        FloatVector c41 = c00, c50 = c00, c51 = c00;
        for (int l = 0; l < steps; l++, bi += 2 * L) {
                int q = col[l];
                FloatVector b0 = FloatVector.fromArray(S, b, bi);
                FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
                FloatVector v = FloatVector.broadcast(S, x[p0 + q]);
                c00 = v.fma(b0, c00);
                c01 = v.fma(b1, c01);
                v = FloatVector.broadcast(S, x[p1 + q]);
                c10 = v.fma(b0, c10);
                c11 = v.fma(b1, c11);
                v = FloatVector.broadcast(S, x[p2 + q]);
                c20 = v.fma(b0, c20);
                c21 = v.fma(b1, c21);
                v = FloatVector.broadcast(S, x[p3 + q]);
                c30 = v.fma(b0, c30);
                c31 = v.fma(b1, c31);
                v = FloatVector.broadcast(S, x[p4 + q]);
                c40 = v.fma(b0, c40);
                c41 = v.fma(b1, c41);
                v = FloatVector.broadcast(S, x[p5 + q]);
                c50 = v.fma(b0, c50);
                c51 = v.fma(b1, c51);
        }
        // written out here, not in a helper taking vectors: C2 boxes vectors passed to a call it does not inline
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
    }

    /**
     * C tile (6 rows at c[ci], row stride ldc, 2L columns) = sum over l in [0, kc) of a[ai + 6 l + r] * b[bi + 2L l +
     * (0 .. 2L)], added to C when {@code add}: both operands packed (the Winograd products of {@link ConvWinograd}).
     */
    @Override
    void packedTile(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00;
        FloatVector c41 = c00, c50 = c00, c51 = c00;
        for (int l = 0; l < kc; l++, ai += 6, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + 1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ai + 3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[ai + 4]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[ai + 5]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        // written out here, not in a helper taking vectors: C2 boxes vectors passed to a call it does not inline
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
    }

    /** {@link #packedTile} for the first 4 rows of a 6-row panel of A. */
    @Override
    void packedTile4(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int l = 0; l < kc; l++, ai += 6, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector v = FloatVector.broadcast(S, a[ai]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[ai + 1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[ai + 2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[ai + 3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
    }

    /**
     * The Winograd F(2x2, 3x3) input transform Bᵀ d B of {@code len} tiles (a multiple of L) in one channel: tile i's
     * 4 x 4 inputs d[a][b] lie at pl[p(a % 2, b % 2) + (a / 2) * w2 + b / 2 + i] (the four planes: rows and columns of
     * the band split by parity), and its 16 values go to v[vo + pos * posStride + panel(j) + j % 2L] for j = j0 + i,
     * where a panel of 2L tiles is {@code panelStride} floats.
     */
    @Override
    void winogradInput(int len, float[] pl, int pEE, int pEO, int pOE, int pOO, int w2, float[] v, int vo, int j0,
                       int panelStride, int posStride) {
        int nr = 2 * L;
        for (int i = 0; i < len; i += L) {
            // rows of the tile: a = 0 (even plane), 1 (odd), 2 (even, next row), 3 (odd, next row)
            FloatVector d00 = FloatVector.fromArray(S, pl, pEE + i), d01 = FloatVector.fromArray(S, pl, pEO + i);
            FloatVector d02 = FloatVector.fromArray(S, pl, pEE + i + 1), d03 = FloatVector.fromArray(S, pl, pEO + i + 1);
            FloatVector d10 = FloatVector.fromArray(S, pl, pOE + i), d11 = FloatVector.fromArray(S, pl, pOO + i);
            FloatVector d12 = FloatVector.fromArray(S, pl, pOE + i + 1), d13 = FloatVector.fromArray(S, pl, pOO + i + 1);
            FloatVector d20 = FloatVector.fromArray(S, pl, pEE + w2 + i), d21 = FloatVector.fromArray(S, pl, pEO + w2 + i);
            FloatVector d22 = FloatVector.fromArray(S, pl, pEE + w2 + i + 1), d23 = FloatVector.fromArray(S, pl, pEO + w2 + i + 1);
            FloatVector d30 = FloatVector.fromArray(S, pl, pOE + w2 + i), d31 = FloatVector.fromArray(S, pl, pOO + w2 + i);
            FloatVector d32 = FloatVector.fromArray(S, pl, pOE + w2 + i + 1), d33 = FloatVector.fromArray(S, pl, pOO + w2 + i + 1);
            int j = j0 + i, d = vo + j / nr * panelStride + j % nr;
            // Bᵀ over the rows: w0 = d0 - d2, w1 = d1 + d2, w2 = d2 - d1, w3 = d1 - d3; then B over the columns
            FloatVector w0 = d00.sub(d20), w1 = d01.sub(d21), w2v = d02.sub(d22), w3 = d03.sub(d23);
            w0.sub(w2v).intoArray(v, d);
            w1.add(w2v).intoArray(v, d + posStride);
            w2v.sub(w1).intoArray(v, d + 2 * posStride);
            w1.sub(w3).intoArray(v, d + 3 * posStride);
            w0 = d10.add(d20);
            w1 = d11.add(d21);
            w2v = d12.add(d22);
            w3 = d13.add(d23);
            w0.sub(w2v).intoArray(v, d + 4 * posStride);
            w1.add(w2v).intoArray(v, d + 5 * posStride);
            w2v.sub(w1).intoArray(v, d + 6 * posStride);
            w1.sub(w3).intoArray(v, d + 7 * posStride);
            w0 = d20.sub(d10);
            w1 = d21.sub(d11);
            w2v = d22.sub(d12);
            w3 = d23.sub(d13);
            w0.sub(w2v).intoArray(v, d + 8 * posStride);
            w1.add(w2v).intoArray(v, d + 9 * posStride);
            w2v.sub(w1).intoArray(v, d + 10 * posStride);
            w1.sub(w3).intoArray(v, d + 11 * posStride);
            w0 = d10.sub(d30);
            w1 = d11.sub(d31);
            w2v = d12.sub(d32);
            w3 = d13.sub(d33);
            w0.sub(w2v).intoArray(v, d + 12 * posStride);
            w1.add(w2v).intoArray(v, d + 13 * posStride);
            w2v.sub(w1).intoArray(v, d + 14 * posStride);
            w1.sub(w3).intoArray(v, d + 15 * posStride);
        }
    }

    /**
     * The Winograd F(2x2, 3x3) output transform Aᵀ m A of {@code len} tiles (a multiple of L) of one output channel:
     * tile j's 16 products at m[mo + pos * posStride + j]; its 2 x 2 outputs, plus the bias, go to y[yo + 2 j + b]
     * (row 0, column b) and y[yo + ys + 2 j + b] (row 1): two rows of output pixels.
     */
    @Override
    void winogradOutput(int len, float[] m, int mo, int posStride, float[] y, int yo, int ys, float bias) {
        FloatVector add = FloatVector.broadcast(S, bias);
        for (int j = 0; j < len; j += L) {
            int at = mo + j;
            // Aᵀ over the rows: z0 = m0 + m1 + m2, z1 = m1 - m2 - m3, per column b
            FloatVector m0 = FloatVector.fromArray(S, m, at), m1 = FloatVector.fromArray(S, m, at + 4 * posStride);
            FloatVector m2 = FloatVector.fromArray(S, m, at + 8 * posStride), m3 = FloatVector.fromArray(S, m, at + 12 * posStride);
            FloatVector z00 = m0.add(m1).add(m2), z10 = m1.sub(m2).sub(m3);
            m0 = FloatVector.fromArray(S, m, at + posStride);
            m1 = FloatVector.fromArray(S, m, at + 5 * posStride);
            m2 = FloatVector.fromArray(S, m, at + 9 * posStride);
            m3 = FloatVector.fromArray(S, m, at + 13 * posStride);
            FloatVector z01 = m0.add(m1).add(m2), z11 = m1.sub(m2).sub(m3);
            m0 = FloatVector.fromArray(S, m, at + 2 * posStride);
            m1 = FloatVector.fromArray(S, m, at + 6 * posStride);
            m2 = FloatVector.fromArray(S, m, at + 10 * posStride);
            m3 = FloatVector.fromArray(S, m, at + 14 * posStride);
            FloatVector z02 = m0.add(m1).add(m2), z12 = m1.sub(m2).sub(m3);
            m0 = FloatVector.fromArray(S, m, at + 3 * posStride);
            m1 = FloatVector.fromArray(S, m, at + 7 * posStride);
            m2 = FloatVector.fromArray(S, m, at + 11 * posStride);
            m3 = FloatVector.fromArray(S, m, at + 15 * posStride);
            FloatVector z03 = m0.add(m1).add(m2), z13 = m1.sub(m2).sub(m3);
            // A over the columns, plus the bias; then each output row's two columns interleaved
            FloatVector y00 = z00.add(z01).add(z02).add(add), y01 = z01.sub(z02).sub(z03).add(add);
            FloatVector y10 = z10.add(z11).add(z12).add(add), y11 = z11.sub(z12).sub(z13).add(add);
            int o = yo + 2 * j;
            y00.rearrange(Species.LOW).blend(y01.rearrange(Species.LOW), Species.ODD_LANES).intoArray(y, o);
            y00.rearrange(Species.HIGH).blend(y01.rearrange(Species.HIGH), Species.ODD_LANES).intoArray(y, o + L);
            y10.rearrange(Species.LOW).blend(y11.rearrange(Species.LOW), Species.ODD_LANES).intoArray(y, o + ys);
            y10.rearrange(Species.HIGH).blend(y11.rearrange(Species.HIGH), Species.ODD_LANES).intoArray(y, o + ys + L);
        }
    }

    /**
     * Splits src[from .. from + 2 len) into its even floats, to dst[e ..], and its odd ones, to dst[o ..]; len a
     * multiple of L.
     */
    @Override
    void deinterleave(int len, float[] src, int from, float[] dst, int e, int o) {
        for (int q = 0; q < len; q += L) {
            FloatVector v0 = FloatVector.fromArray(S, src, from + 2 * q), v1 = FloatVector.fromArray(S, src, from + 2 * q + L);
            v0.rearrange(Species.EVEN).blend(v1.rearrange(Species.EVEN), Species.UPPER).intoArray(dst, e + q);
            v0.rearrange(Species.ODD).blend(v1.rearrange(Species.ODD), Species.UPPER).intoArray(dst, o + q);
        }
    }

    /**
     * C tile (6 rows at c[ci], row stride ldc, 2L columns) = sum over l in [0, kc) of a[ai + r * ars + l] * b[bi + 2L
     * l + (0 .. 2L)], added to C when {@code add}: A is the Winograd input transform, a row of tiles per channel, read
     * in place (one step of k per tile); B the output gradient's, packed.
     */
    @Override
    void winogradWeightTile(int kc, float[] a, int ai, int ars, float[] b, int bi, float[] c, int ci, int ldc, boolean add) {
        int nr = 2 * L;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00;
        FloatVector c41 = c00, c50 = c00, c51 = c00;
        int a0 = ai, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars;
        for (int l = 0; l < kc; l++, bi += nr) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector v = FloatVector.broadcast(S, a[a0 + l]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[a1 + l]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[a2 + l]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[a3 + l]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[a4 + l]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[a5 + l]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
            c50 = c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
    }

    /**
     * The Winograd transform A g Aᵀ of the output gradient's 2 x 2 tiles, for the weight gradient: {@code tiles} tiles
     * of a row, tile t's gradient g[a][b] for channels o .. o + L at gt[g0 + a * rowStride + (2t + b) * ldo + o]
     * (channels last, ldo of them, a multiple of L); its 16 values go to gyp[d0 + pos * posStride + (o / 2L) *
     * panelStride + t * 2L + o % 2L].
     */
    @Override
    void winogradGradient(int tiles, float[] gt, int g0, int rowStride, int ldo, float[] gyp, int d0, int posStride,
                          int panelStride) {
        int nr = 2 * L;
        for (int t = 0; t < tiles; t++) {
            int src = g0 + 2 * t * ldo;
            for (int o = 0; o < ldo; o += L) {
                FloatVector g00 = FloatVector.fromArray(S, gt, src + o), g01 = FloatVector.fromArray(S, gt, src + ldo + o);
                FloatVector g10 = FloatVector.fromArray(S, gt, src + rowStride + o);
                FloatVector g11 = FloatVector.fromArray(S, gt, src + rowStride + ldo + o);
                // A over the rows: h0 = g0, h1 = g0 + g1, h2 = g0 - g1, h3 = -g1 (per column); then Aᵀ over the columns
                FloatVector h10 = g00.add(g10), h11 = g01.add(g11), h20 = g00.sub(g10), h21 = g01.sub(g11);
                FloatVector h30 = g10.neg(), h31 = g11.neg();
                int d = d0 + (o / nr) * panelStride + t * nr + o % nr;
                g00.intoArray(gyp, d);
                g00.add(g01).intoArray(gyp, d + posStride);
                g00.sub(g01).intoArray(gyp, d + 2 * posStride);
                g01.neg().intoArray(gyp, d + 3 * posStride);
                h10.intoArray(gyp, d + 4 * posStride);
                h10.add(h11).intoArray(gyp, d + 5 * posStride);
                h10.sub(h11).intoArray(gyp, d + 6 * posStride);
                h11.neg().intoArray(gyp, d + 7 * posStride);
                h20.intoArray(gyp, d + 8 * posStride);
                h20.add(h21).intoArray(gyp, d + 9 * posStride);
                h20.sub(h21).intoArray(gyp, d + 10 * posStride);
                h21.neg().intoArray(gyp, d + 11 * posStride);
                h30.intoArray(gyp, d + 12 * posStride);
                h30.add(h31).intoArray(gyp, d + 13 * posStride);
                h30.sub(h31).intoArray(gyp, d + 14 * posStride);
                h31.neg().intoArray(gyp, d + 15 * posStride);
            }
        }
    }
}
