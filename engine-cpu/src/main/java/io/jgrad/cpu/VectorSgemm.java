package io.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static io.jgrad.cpu.VectorSgemm.Species.S;

/**
 * The Vector API micro-kernels, one per register file: with 16 vector registers (AVX2, NEON) a 5 x (2 vectors)
 * tile of C in 10 registers, and per step of k two loads of B, five broadcasts of A and ten FMAs; with 32 (AVX-512)
 * a 4 x (4 vectors) tile in 16 registers and a shallower block (kc 128), so that the 64-column B panel still fits L1.
 * Both keep enough independent accumulators to cover the FMA latency on two FMA pipes. Measured, one thread, 1024^3:
 * 6x16 on Zen 3 (AVX2) ~85 GFLOP/s; on Sapphire Rapids (AVX-512) 4x64 ~110, where 6x32 gave ~80 and 8x2 ~100.
 * <p>
 * Why 5 rows and not 6 on AVX2: a 6 x 16 tile needs all 16 registers (12 accumulators, 2 of B, 2 broadcasts that C2
 * schedules together), and C2 does not always hand out all 16. In the gpt training step's JVM its register allocator
 * left xmm15 unused and kept one accumulator on the stack, a load, FMA and store per step of k whose store-to-load
 * latency bound the loop: the same products ran 1.8x slower than in a JVM that had compiled the tile from other
 * products first (seen in the disassembly; which compile one gets depends on the order of the first calls). Five rows
 * need 14 registers and ran without a spill in every JVM tried, about 5% below a well-compiled 6 x 16. For the same
 * reason alpha and beta reach the tiles as int bits: as floats they sat in two vector registers across the loop.
 * <p>
 * This is the only class that touches {@code jdk.incubator.vector}; {@link CpuGemm} loads it by name only when the
 * module is in the boot layer, so the rest of the backend links without it. The kernels are written out register by
 * register: C2 keeps Vector API values in registers only when every operation on them is inlined, which rules out
 * helper methods taking vectors.
 */
final class VectorSgemm extends PackedSgemm {
    /** Float lanes of the preferred shape: the length of {@link Species#S}, known without creating it. */
    private static final int L = VectorShape.preferredShape().vectorBitSize() / Float.SIZE;
    /** 16 lanes means AVX-512 and its 32 registers. */
    private static final boolean WIDE = L >= 16;

    /**
     * The species, initialised by the first vector tile, so that the twin, which a short run uses alone, does not pay
     * for the Vector API's class initialisation (see {@link VectorFloatSimd.Species}).
     */
    static final class Species {
        private Species() {
        }

        static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    }

    VectorSgemm() {
        super(WIDE ? 4 : 5, (WIDE ? 4 : 2) * L, WIDE ? 128 : 256);
        if (L < 4) { // no SIMD worth the name: the plain kernel is faster
            throw new UnsupportedOperationException("the preferred vector shape has only " + L + " float lanes");
        }
    }

    @Override
    public String name() {
        return "Vector API " + L * Float.SIZE + "-bit, " + mr + "x" + nr + " micro-kernel";
    }

    /**
     * {@link TwinSgemm}: this kernel's bits without vectors, which {@link CpuGemm} runs until a run has done enough
     * products to repay the vector code's warm-up (see {@link GatedFloatSimd} for why).
     */
    @Override
    public FloatGemmKernel twin() {
        return new TwinSgemm(this);
    }

    @Override
    void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, float alpha, float beta) {
        if (WIDE) tile4x4(kc, ap, ai, bp, bi, c, ci, ldc, alpha, beta);
        else tile5x2(kc, ap, ai, bp, bi, c, ci, ldc, Float.floatToRawIntBits(alpha), Float.floatToRawIntBits(beta));
    }

    /** The 5 x 16 tile (AVX2) in place; the 4 x 64 tile (AVX-512) always packs. */
    @Override
    boolean hasKernelInPlace() {
        return !WIDE;
    }

    @Override
    boolean kernelInPlace(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int bs, float[] c, int ci,
                          int ldc, float alpha, float beta) {
        if (WIDE) return false;
        tile5x2InPlace(kc, a, ai, ars, acs, b, bi, bs, c, ci, ldc, Float.floatToRawIntBits(alpha),
                Float.floatToRawIntBits(beta));
        return true;
    }

    /** {@link #tile5x2} reading A's five rows and B's rows where they lie: the same operations in the same order. */
    private static void tile5x2InPlace(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int bs,
            float[] c, int ci, int ldc, int alphaBits, int betaBits) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00;
        FloatVector c41 = c00;
        int a0 = ai, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars;
        for (int p = 0, q = 0, x = bi; p < kc; p++, q += acs, x += bs) {
            FloatVector b0 = FloatVector.fromArray(S, b, x);
            FloatVector b1 = FloatVector.fromArray(S, b, x + L);
            FloatVector v = FloatVector.broadcast(S, a[a0 + q]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[a1 + q]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[a2 + q]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[a3 + q]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[a4 + q]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
        }
        float alpha = Float.intBitsToFloat(alphaBits), beta = Float.intBitsToFloat(betaBits);
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
        }
    }

    private static void tile5x2(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc,
            int alphaBits, int betaBits) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00;
        FloatVector c41 = c00;
        for (int end = ai + 5 * kc; ai < end; ai += 5, bi += 2 * L) {
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
        }
        float alpha = Float.intBitsToFloat(alphaBits), beta = Float.intBitsToFloat(betaBits);
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
