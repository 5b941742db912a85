package io.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel: a 6 x (2 vectors) tile of C held in 12 vector registers; per step of k it loads two
 * vectors of the B panel, broadcasts six values of the A panel and issues twelve FMAs. Twelve accumulators hide the
 * FMA latency on two FMA pipes, and the tile plus the operands fit the 16 registers of AVX2 (32 with AVX-512).
 * <p>
 * This is the only class that touches {@code jdk.incubator.vector}; {@link CpuGemm} loads it by name only when the
 * module is in the boot layer, so the rest of the backend links without it.
 */
final class VectorSgemm extends PackedSgemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    VectorSgemm() {
        super(6, 2 * L);
    }

    @Override
    public String name() {
        return "Vector API " + S.vectorBitSize() + "-bit, 6x" + (2 * L) + " micro-kernel";
    }

    @Override
    void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int end = ai + 6 * kc; ai < end; ai += 6, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        FloatVector av = FloatVector.broadcast(S, alpha);
        if (beta == 0f) { // C is not read: it may be uninitialised
            c00.mul(av).intoArray(c, ci);
            c01.mul(av).intoArray(c, ci + L);
            c10.mul(av).intoArray(c, ci + ldc);
            c11.mul(av).intoArray(c, ci + ldc + L);
            c20.mul(av).intoArray(c, ci + 2 * ldc);
            c21.mul(av).intoArray(c, ci + 2 * ldc + L);
            c30.mul(av).intoArray(c, ci + 3 * ldc);
            c31.mul(av).intoArray(c, ci + 3 * ldc + L);
            c40.mul(av).intoArray(c, ci + 4 * ldc);
            c41.mul(av).intoArray(c, ci + 4 * ldc + L);
            c50.mul(av).intoArray(c, ci + 5 * ldc);
            c51.mul(av).intoArray(c, ci + 5 * ldc + L);
        } else {
            FloatVector bv = FloatVector.broadcast(S, beta);
            c00.fma(av, FloatVector.fromArray(S, c, ci).mul(bv)).intoArray(c, ci);
            c01.fma(av, FloatVector.fromArray(S, c, ci + L).mul(bv)).intoArray(c, ci + L);
            c10.fma(av, FloatVector.fromArray(S, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
            c11.fma(av, FloatVector.fromArray(S, c, ci + ldc + L).mul(bv)).intoArray(c, ci + ldc + L);
            c20.fma(av, FloatVector.fromArray(S, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
            c21.fma(av, FloatVector.fromArray(S, c, ci + 2 * ldc + L).mul(bv)).intoArray(c, ci + 2 * ldc + L);
            c30.fma(av, FloatVector.fromArray(S, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
            c31.fma(av, FloatVector.fromArray(S, c, ci + 3 * ldc + L).mul(bv)).intoArray(c, ci + 3 * ldc + L);
            c40.fma(av, FloatVector.fromArray(S, c, ci + 4 * ldc).mul(bv)).intoArray(c, ci + 4 * ldc);
            c41.fma(av, FloatVector.fromArray(S, c, ci + 4 * ldc + L).mul(bv)).intoArray(c, ci + 4 * ldc + L);
            c50.fma(av, FloatVector.fromArray(S, c, ci + 5 * ldc).mul(bv)).intoArray(c, ci + 5 * ldc);
            c51.fma(av, FloatVector.fromArray(S, c, ci + 5 * ldc + L).mul(bv)).intoArray(c, ci + 5 * ldc + L);
        }
    }
}
