package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.HalfFloat;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Gemm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One half-precision GEMM configuration run on a backend and checked against a float64 reference: every element of C
 * within float32 accumulation error plus one rounding to the half type (what "float32 accumulation, rounded once"
 * allows, whatever the summation order: cuBLAS's tensor cores and jgrad's kernels sum in different orders), and the
 * gaps between C's rows untouched. Shared by the host-side test (the CPU backend) and the GPU test.
 */
final class HalfGemmCheck {
    private static final short SENTINEL = 0x7e5a; // in C's row gaps, which no product may write

    record Case(DType dt, boolean transA, boolean transB, int batch, int m, int n, int k, double alpha, double beta,
                boolean shareA, boolean ones) {
    }

    private HalfGemmCheck() {
    }

    /** Transposes, batches with a shared A, beta 0 and not, padded rows, offsets; and a dot product of 4096 ones. */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        int i = 0;
        for (DType dt : new DType[]{DType.FLOAT16, DType.BFLOAT16}) {
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    for (double beta : new double[]{0, 0.5}) {
                        cases.add(new Case(dt, ta, tb, 3, 5, 7, 33, 1.25, beta, i++ % 2 == 0, false));
                    }
                }
            }
            cases.add(new Case(dt, false, true, 1, 40, 24, 70, 1, 0, false, false));
            cases.add(new Case(dt, false, false, 1, 1, 1, 4096, 1, 0, false, true));
        }
        return cases;
    }

    private static short[] randomBits(DType dt, int n, long seed) {
        Random r = new Random(seed);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = HalfFloat.fromFloat(dt, (float) r.nextGaussian());
        return s;
    }

    /** Runs the case through {@code runner} on {@code be}; returns C's bits after checking them. */
    static short[] run(Backend be, Consumer<Gemm> runner, Case c) {
        DType dt = c.dt();
        int m = c.m(), n = c.n(), k = c.k(), batch = c.batch();
        int aRows = c.transA() ? k : m, aCols = c.transA() ? m : k, bRows = c.transB() ? n : k, bCols = c.transB() ? k : n;
        int lda = aCols + 2, ldb = bCols + 1, ldc = n + 3;
        long strideA = c.shareA() ? 0 : (long) aRows * lda, strideB = (long) bRows * ldb + 4, strideC = (long) m * ldc + 1;
        int offA = 3, offB = 1, offC = 2;
        short[] a = randomBits(dt, (int) (offA + (c.shareA() ? 1 : batch) * (long) aRows * lda), 10 + k);
        short[] b = randomBits(dt, (int) (offB + batch * strideB), 20 + k);
        short[] c0 = randomBits(dt, (int) (offC + batch * strideC), 30 + k);
        if (c.ones()) {
            Arrays.fill(a, HalfFloat.fromFloat(dt, 1));
            Arrays.fill(b, HalfFloat.fromFloat(dt, 1));
        }
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) for (int j = n; j < ldc; j++) c0[(int) (offC + p * strideC + (long) i * ldc + j)] = SENTINEL;
        }
        short[] got = new short[c0.length];
        try (Buffer ba = be.upload(a, dt); Buffer bb = be.upload(b, dt); Buffer bc = be.upload(c0, dt)) {
            runner.accept(new Gemm(c.transA(), c.transB(), batch, m, n, k, c.alpha(), ba, offA, lda, strideA, bb, offB, ldb, strideB,
                    c.beta(), bc, offC, ldc, strideC, false));
            be.download(bc, 0, got, 0, got.length);
        }
        double u32 = 0x1p-24, uHalf = dt == DType.FLOAT16 ? 0x1p-11 : 0x1p-8;
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < ldc; j++) {
                    int at = (int) (offC + p * strideC + (long) i * ldc + j);
                    if (j >= n) {
                        assertEquals(SENTINEL, got[at], c + ": the gap after row " + i + " was written");
                        continue;
                    }
                    double sum = 0, abs = 0;
                    for (int q = 0; q < k; q++) {
                        long ai = offA + (c.shareA() ? 0 : p * strideA) + (c.transA() ? (long) q * lda + i : (long) i * lda + q);
                        long bi = offB + p * strideB + (c.transB() ? (long) j * ldb + q : (long) q * ldb + j);
                        double x = HalfFloat.toFloat(dt, a[(int) ai]), y = HalfFloat.toFloat(dt, b[(int) bi]);
                        sum += x * y;
                        abs += Math.abs(x * y);
                    }
                    double old = HalfFloat.toFloat(dt, c0[at]);
                    double ref = c.alpha() * sum + c.beta() * old;
                    double bound = (k + 2) * u32 * (Math.abs(c.alpha()) * abs + Math.abs(c.beta() * old)) + uHalf * Math.abs(ref)
                            + 0x1p-24;
                    double v = HalfFloat.toFloat(dt, got[at]);
                    assertTrue(Math.abs(v - ref) <= bound, c + " at " + p + "," + i + "," + j + ": got " + v + ", want " + ref + " within " + bound);
                    if (c.ones()) assertEquals(k, v, 0.0, c + ": a dot product of ones accumulates exactly in float32");
                }
            }
        }
        return got;
    }
}
