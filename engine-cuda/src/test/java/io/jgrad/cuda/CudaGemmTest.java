package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Gemm;
import org.junit.jupiter.api.Test;

/** cuBLAS (when loaded) and jgrad's own GEMM kernel against a float64 triple loop. */
class CudaGemmTest extends GpuTestSupport {

    private interface Runner {
        void run(Gemm g);
    }

    /** Checks C = alpha op(A) op(B) + beta C for one configuration, with padding, offsets and batch strides. */
    private void check(Runner runner, String label, DType t, boolean ta, boolean tb, int batch, int m, int n, int k,
                       double alpha, double beta, boolean shareA, boolean tf32) {
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int lda = aCols + 3;
        int ldb = bCols + 1;
        int ldc = n + 2;
        long strideA = shareA ? 0 : (long) aRows * lda;
        long strideB = (long) bRows * ldb + 5;
        long strideC = (long) m * ldc;
        int offA = 7;
        int offB = 2;
        int offC = 4;
        double[] a = randoms((int) (offA + (shareA ? 1 : batch) * (long) aRows * lda), 41, 1);
        double[] b = randoms((int) (offB + batch * strideB), 42, 1);
        double[] c = randoms((int) (offC + batch * strideC), 43, 1);
        if (beta == 0) java.util.Arrays.fill(c, Double.NaN); // BLAS must not read C when beta is 0
        Buffer ba = upload(t, a);
        Buffer bb = upload(t, b);
        Buffer bc = upload(t, c);
        double[] as = download(ba);
        double[] bs = download(bb);
        double[] cs = download(bc);
        runner.run(new Gemm(ta, tb, batch, m, n, k, alpha, ba, offA, lda, strideA, bb, offB, ldb, strideB, beta, bc, offC, ldc, strideC, tf32));
        double[] got = download(bc);
        double tol = tf32 ? 3e-3 : t == DType.FLOAT32 ? 1e-5 : 1e-13;
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double scale = 0;
                    for (int q = 0; q < k; q++) {
                        double x = as[(int) (offA + p * strideA + (ta ? (long) q * lda + i : (long) i * lda + q))];
                        double y = bs[(int) (offB + p * strideB + (tb ? (long) j * ldb + q : (long) q * ldb + j))];
                        sum += x * y;
                        scale += Math.abs(x * y);
                    }
                    int ci = (int) (offC + p * strideC + (long) i * ldc + j);
                    double want = alpha * sum + (beta == 0 ? 0 : beta * cs[ci]);
                    double err = Math.abs(got[ci] - want);
                    double allowed = tol * (Math.abs(alpha) * scale + (beta == 0 ? 0 : Math.abs(beta * cs[ci])) + 1e-30);
                    assertTrue(err <= allowed, label + " " + t + (ta ? " A^T" : "") + (tb ? " B^T" : "") + " batch " + batch
                            + " " + m + "x" + n + "x" + k + " at [" + p + "," + i + "," + j + "]: expected " + want + " got " + got[ci]);
                }
            }
            // the padding between rows of C is left alone
            for (int i = 0; i < m; i++) {
                for (int j = n; j < ldc && offC + p * strideC + (long) i * ldc + j < got.length; j++) {
                    int ci = (int) (offC + p * strideC + (long) i * ldc + j);
                    assertTrue(Double.compare(got[ci], round(t, cs[ci])) == 0, label + ": padding of C changed at " + ci);
                }
            }
        }
    }

    private void checkAll(Runner runner, String label) {
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    check(runner, label, t, ta, tb, 1, 1, 1, 1, 1, 0, false, false);
                    check(runner, label, t, ta, tb, 1, 65, 33, 17, 1, 0, false, false);
                    check(runner, label, t, ta, tb, 3, 70, 129, 40, 2, 0.5, true, false);
                }
            }
            check(runner, label, t, false, false, 2, 128, 64, 300, -1, 1, false, false);
            check(runner, label, t, false, false, 1, 5, 7, 0, 1, 0.5, false, false); // k = 0: C = beta C
        }
    }

    @Test
    void gemmMatchesTheReference() {
        checkAll(gpu::gemm, gpu.gemmImplementation());
    }

    @Test
    void fallbackKernelMatchesTheReference() {
        checkAll(gpu::gemmWithKernel, "kernel");
    }

    @Test
    void tf32IsUsedOnlyWhenAllowedAndStaysClose() {
        check(gpu::gemm, gpu.gemmImplementation(), DType.FLOAT32, false, true, 1, 256, 256, 512, 1, 0, false, true);
        check(gpu::gemm, gpu.gemmImplementation(), DType.FLOAT32, false, true, 1, 256, 256, 512, 1, 0, false, false);
    }

    @Test
    void badGemmsAreRejectedWithTheirShapes() {
        Buffer a = upload(DType.FLOAT32, new double[6]);
        Buffer d = upload(DType.FLOAT64, new double[6]);
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                () -> gpu.gemm(new Gemm(false, false, 1, 3, 3, 3, 1, a, 0, 3, 0, a, 0, 3, 0, 0, a, 0, 3, 0, false)));
        assertTrue(oob.getMessage().startsWith("gemm: A") && oob.getMessage().contains("3 x 3"), oob.getMessage());
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> gpu.gemm(new Gemm(false, false, 1, 1, 1, 1, 1, a, 0, 1, 0, d, 0, 1, 0, 0, a, 0, 1, 0, false)));
        assertTrue(mixed.getMessage().contains("float64"), mixed.getMessage());
        IllegalArgumentException ld = assertThrows(IllegalArgumentException.class,
                () -> gpu.gemm(new Gemm(false, false, 1, 2, 2, 2, 1, a, 0, 1, 0, a, 0, 2, 0, 0, a, 0, 2, 0, false)));
        assertTrue(ld.getMessage().contains("row stride is 1"), ld.getMessage());
    }
}
