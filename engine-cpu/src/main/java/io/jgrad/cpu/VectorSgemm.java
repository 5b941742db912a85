package io.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernels, one per register file: with 16 vector registers (AVX2, NEON) a 6 x (2 vectors)
 * tile of C in 12 registers, and per step of k two loads of B, six broadcasts of A and twelve FMAs; with 32 (AVX-512)
 * a 4 x (4 vectors) tile in 16 registers and a shallower block (kc 128), so that the 64-column B panel still fits L1.
 * Both keep enough independent accumulators to cover the FMA latency on two FMA pipes. Measured, one thread, 1024^3:
 * 6x16 on Zen 3 (AVX2) ~85 GFLOP/s; on Sapphire Rapids (AVX-512) 4x64 ~110, where 6x32 gave ~80 and 8x2 ~100.
 * <p>
 * This is the only class that touches {@code jdk.incubator.vector}; {@link CpuGemm} loads it by name only when the
 * module is in the boot layer, so the rest of the backend links without it. The kernels are written out register by
 * register: C2 keeps Vector API values in registers only when every operation on them is inlined, which rules out
 * helper methods taking vectors.
 */
final class VectorSgemm extends PackedSgemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** 16 lanes means AVX-512 and its 32 registers. */
    private static final boolean WIDE = L >= 16;

    /** False for the scalar twin, which runs {@link #twinTile} instead of the vector tiles. */
    private final boolean lanes;

    VectorSgemm() {
        this(true);
    }

    /**
     * With {@code lanes} false, the <em>scalar twin</em>: the same packing and blocking with a micro-kernel of scalar
     * fused multiply-adds in the vector tiles' order, so it gives the very same bits. {@link CpuGemm} runs the twin
     * until a run has done enough products to repay the vector code's warm-up (see {@link GatedFloatSimd} for why).
     */
    VectorSgemm(boolean lanes) {
        super(WIDE ? 4 : 6, (WIDE ? 4 : 2) * L, WIDE ? 128 : 256);
        if (L < 4) { // no SIMD worth the name: the plain kernel is faster
            throw new UnsupportedOperationException("the preferred vector shape has only " + L + " float lanes");
        }
        this.lanes = lanes;
    }

    @Override
    public String name() {
        return "Vector API " + S.vectorBitSize() + "-bit, " + mr + "x" + nr + " micro-kernel" + (lanes ? "" : " (scalar twin)");
    }

    @Override
    public FloatGemmKernel twin() {
        return lanes ? new VectorSgemm(false) : this;
    }

    @Override
    void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, float alpha, float beta) {
        if (!lanes) twinTile(mr, nr, kc, ap, ai, bp, bi, c, ci, ldc, alpha, beta);
        else if (WIDE) tile4x4(kc, ap, ai, bp, bi, c, ci, ldc, alpha, beta);
        else tile6x2(kc, ap, ai, bp, bi, c, ci, ldc, alpha, beta);
    }

    /**
     * The vector tiles element by element: each of the mr x nr accumulators starts at 0 and takes one fma per step of
     * k, in order; the result is acc * alpha, or fma(acc, alpha, c * beta). Lane for lane what the tiles compute.
     */
    private static void twinTile(int mr, int nr, int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci,
                                 int ldc, float alpha, float beta) {
        float[] acc = new float[mr * nr];
        for (int l = 0; l < kc; l++, ai += mr, bi += nr) {
            for (int r = 0; r < mr; r++) {
                float x = ap[ai + r];
                for (int j = 0, o = r * nr; j < nr; j++) acc[o + j] = Math.fma(x, bp[bi + j], acc[o + j]);
            }
        }
        for (int r = 0; r < mr; r++) {
            for (int j = 0, o = ci + r * ldc; j < nr; j++) {
                float a = acc[r * nr + j];
                c[o + j] = beta == 0f ? a * alpha : Math.fma(a, alpha, c[o + j] * beta); // beta 0: C is not read
            }
        }
    }

    private static void tile6x2(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc,
            float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00;
        FloatVector c41 = c00, c50 = c00, c51 = c00;
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

    private static void tile4x4(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc,
            float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00, c20 = c00;
        FloatVector c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int end = ai + 4 * kc; ai < end; ai += 4, bi += 4 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * L);
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
        }
        FloatVector av = FloatVector.broadcast(S, alpha);
        if (beta == 0f) { // C is not read: it may be uninitialised
            c00.mul(av).intoArray(c, ci);
            c01.mul(av).intoArray(c, ci + L);
            c02.mul(av).intoArray(c, ci + 2 * L);
            c03.mul(av).intoArray(c, ci + 3 * L);
            c10.mul(av).intoArray(c, ci + ldc);
            c11.mul(av).intoArray(c, ci + ldc + L);
            c12.mul(av).intoArray(c, ci + ldc + 2 * L);
            c13.mul(av).intoArray(c, ci + ldc + 3 * L);
            c20.mul(av).intoArray(c, ci + 2 * ldc);
            c21.mul(av).intoArray(c, ci + 2 * ldc + L);
            c22.mul(av).intoArray(c, ci + 2 * ldc + 2 * L);
            c23.mul(av).intoArray(c, ci + 2 * ldc + 3 * L);
            c30.mul(av).intoArray(c, ci + 3 * ldc);
            c31.mul(av).intoArray(c, ci + 3 * ldc + L);
            c32.mul(av).intoArray(c, ci + 3 * ldc + 2 * L);
            c33.mul(av).intoArray(c, ci + 3 * ldc + 3 * L);
        } else {
            FloatVector bv = FloatVector.broadcast(S, beta);
            c00.fma(av, FloatVector.fromArray(S, c, ci).mul(bv)).intoArray(c, ci);
            c01.fma(av, FloatVector.fromArray(S, c, ci + L).mul(bv)).intoArray(c, ci + L);
            c02.fma(av, FloatVector.fromArray(S, c, ci + 2 * L).mul(bv)).intoArray(c, ci + 2 * L);
            c03.fma(av, FloatVector.fromArray(S, c, ci + 3 * L).mul(bv)).intoArray(c, ci + 3 * L);
            c10.fma(av, FloatVector.fromArray(S, c, ci + ldc).mul(bv)).intoArray(c, ci + ldc);
            c11.fma(av, FloatVector.fromArray(S, c, ci + ldc + L).mul(bv)).intoArray(c, ci + ldc + L);
            c12.fma(av, FloatVector.fromArray(S, c, ci + ldc + 2 * L).mul(bv)).intoArray(c, ci + ldc + 2 * L);
            c13.fma(av, FloatVector.fromArray(S, c, ci + ldc + 3 * L).mul(bv)).intoArray(c, ci + ldc + 3 * L);
            c20.fma(av, FloatVector.fromArray(S, c, ci + 2 * ldc).mul(bv)).intoArray(c, ci + 2 * ldc);
            c21.fma(av, FloatVector.fromArray(S, c, ci + 2 * ldc + L).mul(bv)).intoArray(c, ci + 2 * ldc + L);
            c22.fma(av, FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L).mul(bv)).intoArray(c, ci + 2 * ldc + 2 * L);
            c23.fma(av, FloatVector.fromArray(S, c, ci + 2 * ldc + 3 * L).mul(bv)).intoArray(c, ci + 2 * ldc + 3 * L);
            c30.fma(av, FloatVector.fromArray(S, c, ci + 3 * ldc).mul(bv)).intoArray(c, ci + 3 * ldc);
            c31.fma(av, FloatVector.fromArray(S, c, ci + 3 * ldc + L).mul(bv)).intoArray(c, ci + 3 * ldc + L);
            c32.fma(av, FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L).mul(bv)).intoArray(c, ci + 3 * ldc + 2 * L);
            c33.fma(av, FloatVector.fromArray(S, c, ci + 3 * ldc + 3 * L).mul(bv)).intoArray(c, ci + 3 * ldc + 3 * L);
        }
    }
}
