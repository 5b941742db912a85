package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.jgrad.DType;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Gemm;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Batched strided GEMM: every transpose, odd and large sizes, shared and separate batch operands, beta = 0 and
 * k = 0.
 * <p>
 * A backend runs it through a one-line subclass; see {@link KernelConformance} for the inputs, layouts and tolerances.
 */
public abstract class GemmKernelConformance extends KernelConformance {
    @Test
    public void gemmMatchesReferenceForAllTransposesAndOddSizes() {
        Backend be = backend();
        int[][] sizes = {{1, 1, 1}, {7, 33, 129}, {129, 7, 33}, {33, 129, 7}, {1, 129, 33}, {129, 1, 7}, {64, 64, 64},
                {7, 1, 129}, {33, 33, 1}};
        double[][] alphaBeta = {{1, 0}, {-0.5, 1}, {2, 0.25}};
        int c = 0;
        for (DType dt : FLOATS) {
            for (int t = 0; t < 4; t++) {
                for (int[] s : sizes) {
                    double[] ab = alphaBeta[c % alphaBeta.length];
                    runGemm(be, dt, t >= 2, t % 2 == 1, 1, s[0], s[1], s[2], ab[0], ab[1], false, false, new Random(7000 + c));
                    c++;
                }
            }
        }
    }

    @Test
    public void gemmBatchesWithSharedAndSeparateOperands() {
        Backend be = backend();
        int c = 0;
        for (DType dt : FLOATS) {
            for (int t = 0; t < 4; t++) {
                for (int shared = 0; shared < 3; shared++) { // 0: none, 1: A shared (stride 0), 2: B shared
                    runGemm(be, dt, t >= 2, t % 2 == 1, 3 + c % 3, 5 + c % 7, 9 + c % 5, 17 + c % 11, 1.5, c % 2 == 0 ? 0 : 0.5,
                            shared == 1, shared == 2, new Random(8000 + c));
                    c++;
                }
            }
        }
        // many small products: a batch big enough to be split across threads
        runGemm(be, DType.FLOAT32, false, true, 64, 16, 16, 24, 1, 0, false, false, new Random(8100));
    }

    /**
     * A linear layer on [batch, t, features]: A's and C's batch items are consecutive blocks of rows and B is shared
     * (the CPU backend runs such a batch as one product of batch * m rows).
     */
    @Test
    public void gemmBatchesOfConsecutiveRowBlocksAgainstOneB() {
        Backend be = backend();
        int c = 0;
        for (DType dt : FLOATS) {
            for (boolean tb : new boolean[]{false, true}) {
                runGemm(be, dt, false, tb, 32, 16, 40, 70, 1, 0, false, true, true, new Random(8200 + c++));
                runGemm(be, dt, false, tb, 7, 5, 33, 300, 0.5, 0.75, false, true, true, new Random(8200 + c++));
                runGemm(be, dt, false, tb, 3, 1, 17, 9, 1, 1, false, true, true, new Random(8200 + c++));
            }
        }
    }

    @Test
    public void gemmLargeFloat32ProductsMatchReference() {
        Backend be = backend();
        runGemm(be, DType.FLOAT32, false, false, 1, 515, 509, 520, 1, 0, false, false, new Random(9000));
        runGemm(be, DType.FLOAT32, true, true, 1, 260, 300, 270, 0.5, 1, false, false, new Random(9001));
        runGemm(be, DType.FLOAT64, true, false, 1, 200, 210, 190, 1, 0, false, false, new Random(9002));
    }

    @Test
    public void gemmWithBetaZeroIgnoresWhatCHeldAndKZeroScalesC() {
        Backend be = backend();
        for (DType dt : FLOATS) {
            // beta = 0: C starts as NaN, as in freshly allocated memory, and must not leak into the result
            double[] a = {1, 2, 3, 4, 5, 6};
            double[] b = {1, 0, -1, 2, 0.5, 1};
            Buffer ab = KernelViews.upload(be, dt, a), bb = KernelViews.upload(be, dt, b);
            Buffer cb = KernelViews.upload(be, dt, new double[]{Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            be.gemm(new Gemm(false, false, 1, 2, 2, 3, 1, ab, 0, 3, 0, bb, 0, 2, 0, 0, cb, 0, 2, 0, false));
            // [1 2 3; 4 5 6] x [1 0; -1 2; 0.5 1] = [0.5 7; 2 16]
            assertArrayEquals(new double[]{0.5, 7, 2, 16}, KernelViews.readBuffer(be, cb), 1e-6, dt + " beta 0");
            // k = 0: C = beta * C
            Buffer c2 = KernelViews.upload(be, dt, new double[]{1, 2, 3, 4});
            be.gemm(new Gemm(false, false, 1, 2, 2, 0, 1, ab, 0, 1, 0, bb, 0, 2, 0, 0.5, c2, 0, 2, 0, false));
            assertArrayEquals(new double[]{0.5, 1, 1.5, 2}, KernelViews.readBuffer(be, c2), 0, dt + " k 0");
        }
    }

    /**
     * One gemm call on operands with random padding (ld &gt; cols), offsets and batch strides, checked against a
     * float64 reference with the classic bound |error| &lt;= (k + 2) eps sum |alpha a b| + |beta c|.
     */
    private static void runGemm(Backend be, DType dt, boolean ta, boolean tb, int batch, int m, int n, int k,
                                double alpha, double beta, boolean shareA, boolean shareB, Random rnd) {
        runGemm(be, dt, ta, tb, batch, m, n, k, alpha, beta, shareA, shareB, false, rnd);
    }

    /** consecutive: A's and C's batch items follow one another with no gap (one matrix of batch * m rows). */
    private static void runGemm(Backend be, DType dt, boolean ta, boolean tb, int batch, int m, int n, int k,
                                double alpha, double beta, boolean shareA, boolean shareB, boolean consecutive, Random rnd) {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + rnd.nextInt(3), ldb = bCols + rnd.nextInt(3), ldc = n + rnd.nextInt(3);
        long offA = rnd.nextInt(4), offB = rnd.nextInt(4), offC = rnd.nextInt(4);
        long strideA = shareA ? 0 : (long) aRows * lda + (consecutive ? 0 : rnd.nextInt(3));
        long strideB = shareB ? 0 : (long) bRows * ldb + rnd.nextInt(3);
        long strideC = (long) m * ldc + (consecutive ? 0 : rnd.nextInt(3));
        double[] a = gemmOperand(dt, offA + (batch - 1) * strideA + (long) aRows * lda, rnd);
        double[] b = gemmOperand(dt, offB + (batch - 1) * strideB + (long) bRows * ldb, rnd);
        double[] c = gemmOperand(dt, offC + (batch - 1) * strideC + (long) m * ldc, rnd);
        if (beta == 0) Arrays.fill(c, Double.NaN); // beta 0 must not read C
        Buffer ab = KernelViews.upload(be, dt, a), bb = KernelViews.upload(be, dt, b), cb = KernelViews.upload(be, dt, c);
        be.gemm(new Gemm(ta, tb, batch, m, n, k, alpha, ab, offA, lda, strideA, bb, offB, ldb, strideB, beta, cb, offC,
                ldc, strideC, false));
        double[] got = KernelViews.readBuffer(be, cb);
        String what = "gemm " + dt + " transA " + ta + " transB " + tb + " batch " + batch + " m " + m + " n " + n + " k " + k
                + " alpha " + alpha + " beta " + beta + " lda " + lda + " ldb " + ldb + " ldc " + ldc
                + " strideA " + strideA + " strideB " + strideB;
        double eps = dt == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
        boolean[] covered = new boolean[c.length];
        double[] opA = new double[m * k], opBt = new double[n * k]; // op(A) row-major, op(B) transposed
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int l = 0; l < k; l++) {
                    opA[i * k + l] = a[(int) (offA + p * strideA + (ta ? (long) l * lda + i : (long) i * lda + l))];
                }
            }
            for (int j = 0; j < n; j++) {
                for (int l = 0; l < k; l++) {
                    opBt[j * k + l] = b[(int) (offB + p * strideB + (tb ? (long) j * ldb + l : (long) l * ldb + j))];
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0, sumAbs = 0;
                    for (int l = 0; l < k; l++) {
                        double prod = opA[i * k + l] * opBt[j * k + l];
                        sum += prod;
                        sumAbs += Math.abs(prod);
                    }
                    int at = (int) (offC + p * strideC + (long) i * ldc + j);
                    double want = alpha * sum + (beta == 0 ? 0 : beta * c[at]);
                    double bound = (k + 2) * eps * (Math.abs(alpha) * sumAbs + (beta == 0 ? 0 : Math.abs(beta * c[at])));
                    int pp = p, ii = i, jj = j;
                    assertClose(want, got[at], 0, bound + Double.MIN_NORMAL, what, at, lazy(() -> "batch " + pp + ", C(" + ii + ", " + jj + ")"));
                    covered[at] = true;
                }
            }
        }
        for (int i = 0; i < c.length; i++) {
            if (!covered[i] && !(Double.compare(got[i], c[i]) == 0)) {
                throw new AssertionError(what + ": C slot " + i + " outside the matrices changed from " + c[i] + " to " + got[i]);
            }
        }
    }

    private static double[] gemmOperand(DType dt, long size, Random rnd) {
        double[] v = new double[(int) size];
        for (int i = 0; i < v.length; i++) v[i] = KernelViews.representable(dt, 2 * rnd.nextDouble() - 1);
        return v;
    }
}
