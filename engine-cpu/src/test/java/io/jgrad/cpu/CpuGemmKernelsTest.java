package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Both float32 GEMM kernels, called directly: the conformance suite reaches only the one the JVM selected (the
 * Vector API kernel when tests run with the module), so this covers the other one too, and the float64 kernel.
 */
class CpuGemmKernelsTest {
    private static List<FloatGemmKernel> floatKernels() {
        List<FloatGemmKernel> kernels = new ArrayList<>();
        kernels.add(new PlainSgemm());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            kernels.add(new VectorSgemm());
            kernels.add(new VectorSgemm().twin());
        }
        return kernels;
    }

    /**
     * Sizes around the micro-tile and block edges: 5x16 tiles (Vector API, AVX2), 4x64 (AVX-512), 2 rows, blocks of k up to 320 deep
     * (k = 700 is three equal blocks), a classifier's 10 columns padded to one tile, and on two threads, bands of rows
     * handed out one at a time.
     */
    private static final int[][] SIZES = {{1, 1, 1}, {2, 8, 3}, {5, 15, 7}, {6, 16, 1}, {7, 17, 9}, {13, 33, 40},
            {50, 70, 257}, {121, 40, 30}, {30, 260, 20}, {3, 300, 5}, {40, 10, 700}, {10, 40, 321}, {97, 35, 64}, {10, 32, 12}, {4, 64, 33}};

    @Test
    void floatKernelsMatchADoubleReferenceForEveryTransposeAndEdge() {
        Random rnd = new Random(3);
        for (FloatGemmKernel kernel : floatKernels()) {
            for (int threads = 1; threads <= 2; threads++)
            for (int[] s : SIZES) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = t >= 2, tb = t % 2 == 1;
                    int m = s[0], n = s[1], k = s[2];
                    float alpha = t == 3 ? -0.5f : 1f;
                    float beta = t == 0 ? 0f : t == 1 ? 1f : 0.75f;
                    int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
                    float[] a = randomFloats(rnd, 5 + (ta ? k : m) * lda);
                    float[] b = randomFloats(rnd, 1 + (tb ? n : k) * ldb);
                    float[] c = randomFloats(rnd, 2 + m * ldc);
                    if (beta == 0) Arrays.fill(c, Float.NaN);
                    float[] before = c.clone();
                    if (threads == 1) {
                        kernel.multiply(m, n, k, alpha, a, 5, ta ? 1 : lda, ta ? lda : 1, b, 1, tb ? 1 : ldb, tb ? ldb : 1,
                                beta, c, 2, ldc);
                    } else {
                        kernel.multiplyParallel(threads, m, n, k, alpha, a, 5, ta ? 1 : lda, ta ? lda : 1, b, 1, tb ? 1 : ldb,
                                tb ? ldb : 1, beta, c, 2, ldc);
                    }
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double sum = 0, mag = 0;
                            for (int l = 0; l < k; l++) {
                                double p = (double) a[5 + (ta ? l * lda + i : i * lda + l)] * b[1 + (tb ? j * ldb + l : l * ldb + j)];
                                sum += p;
                                mag += Math.abs(p);
                            }
                            int at = 2 + i * ldc + j;
                            double want = alpha * sum + (beta == 0 ? 0 : beta * (double) before[at]);
                            double tol = (k + 2) * 0x1p-24 * (Math.abs(alpha) * mag + (beta == 0 ? 0 : Math.abs(beta * before[at])) + 1e-30);
                            if (!(Math.abs(c[at] - want) <= tol)) {
                                throw new AssertionError(kernel.name() + " on " + threads + " threads, m " + m + " n " + n + " k " + k + " ta " + ta + " tb " + tb
                                        + ": C(" + i + ", " + j + ") = " + c[at] + ", want " + want);
                            }
                        }
                        for (int j = n; j < ldc && 2 + i * ldc + j < c.length; j++) { // padding untouched
                            assertEquals(Float.floatToIntBits(before[2 + i * ldc + j]), Float.floatToIntBits(c[2 + i * ldc + j]),
                                    kernel.name() + " wrote past column n");
                        }
                    }
                }
            }
        }
    }

    /** The twin CpuGemm starts a run on gives the Vector API kernel's bits, so the switch never shows in results. */
    @Test
    void theVectorKernelsScalarTwinGivesItsVeryBits() {
        Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the JVM runs without jdk.incubator.vector");
        FloatGemmKernel vector = new VectorSgemm(), twin = vector.twin();
        assertTrue(twin != vector && twin.name().contains("twin"), twin.name());
        Random rnd = new Random(5);
        for (int threads = 1; threads <= 2; threads++) {
            for (int[] s : SIZES) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = t >= 2, tb = t % 2 == 1;
                    int m = s[0], n = s[1], k = s[2];
                    // alphas whose products round (0.7, -0.3): an edge tile's alpha * acc + beta * c then differs
                    // from a full tile's fma(acc, alpha, c * beta), and the twin must know which is which
                    float alpha = t == 3 ? -0.3f : t == 2 ? 0.7f : 1f, beta = t == 0 ? 0f : t == 1 ? 1f : 0.75f;
                    int lda = ta ? m : k, ldb = tb ? k : n;
                    float[] a = randomFloats(rnd, (ta ? k : m) * lda), b = randomFloats(rnd, (tb ? n : k) * ldb);
                    float[] c1 = randomFloats(rnd, m * n), c2 = c1.clone();
                    for (FloatGemmKernel kernel : List.of(vector, twin)) {
                        float[] c = kernel == vector ? c1 : c2;
                        kernel.multiplyParallel(threads, m, n, k, alpha, a, 0, ta ? 1 : lda, ta ? lda : 1, b, 0,
                                tb ? 1 : ldb, tb ? ldb : 1, beta, c, 0, n);
                    }
                    for (int i = 0; i < c1.length; i++) {
                        assertEquals(Float.floatToIntBits(c1[i]), Float.floatToIntBits(c2[i]),
                                "m " + m + " n " + n + " k " + k + " ta " + ta + " tb " + tb + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void doubleKernelMatchesAReference() {
        Random rnd = new Random(4);
        for (int[] s : SIZES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = t >= 2, tb = t % 2 == 1;
                int m = s[0], n = s[1], k = s[2];
                int lda = ta ? m : k, ldb = tb ? k : n;
                double[] a = rnd.doubles((long) (ta ? k : m) * lda, -1, 1).toArray();
                double[] b = rnd.doubles((long) (tb ? n : k) * ldb, -1, 1).toArray();
                double[] c = rnd.doubles((long) m * n, -1, 1).toArray();
                double[] before = c.clone();
                PlainDgemm.gemm(m, n, k, 2.0, a, 0, ta ? 1 : lda, ta ? lda : 1, b, 0, tb ? 1 : ldb, tb ? ldb : 1, 0.5, c, 0, n);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int l = 0; l < k; l++) sum += a[ta ? l * lda + i : i * lda + l] * b[tb ? j * ldb + l : l * ldb + j];
                        assertEquals(2 * sum + 0.5 * before[i * n + j], c[i * n + j], 1e-13 * (k + 1), "m " + m + " n " + n + " k " + k);
                    }
                }
            }
        }
    }

    @Test
    void theSelectedKernelFollowsTheJvmsModules() {
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !"plain".equals(System.getProperty("jgrad.cpu.gemm"));
        assertTrue(CpuGemm.kernelName().startsWith(vector ? "Vector API" : "plain Java"), CpuGemm.kernelName());
    }

    private static float[] randomFloats(Random rnd, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = rnd.nextFloat() * 2 - 1;
        return f;
    }
}
