package io.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
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
}
