package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.HalfFloat;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.View;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend's float32 adapter for half operands, and its kernel table, checked without a GPU: CudaHalfViews
 * needs only allocate and a converting copy, so it runs here on the CPU backend, whose own half kernels (the CPU's
 * HalfViews) give the expected bits.
 */
class CudaHalfViewsTest {
    private static final DType[] HALVES = {DType.FLOAT16, DType.BFLOAT16};
    private static final short SENTINEL = 0x7e5a; // in C's row gaps, which no product may write

    private static Backend cpu() {
        return Backends.get(Device.CPU);
    }

    private static short[] randomBits(DType dt, int n, long seed) {
        Random r = new Random(seed);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) s[i] = HalfFloat.fromFloat(dt, (float) r.nextGaussian());
        return s;
    }

    private static short[] bits(Buffer b) {
        short[] out = new short[(int) b.length()];
        cpu().download(b, 0, out, 0, out.length);
        return out;
    }

    @Test
    void everyConversionWithAHalfTypeHasAKernelInTheHalfModule() {
        for (DType h : HALVES) {
            for (DType other : DType.values()) {
                assertEquals(Kernel.Module.HALF, Kernel.of("COPY", h, other).module, "copy into " + h + " from " + other);
                assertEquals(Kernel.Module.HALF, Kernel.of("COPY", other, h).module, "copy into " + other + " from " + h);
            }
            assertEquals(Kernel.Module.HALF, Kernel.of("FILL", h).module);
        }
        assertEquals(Kernel.COPY_BF16_F16, Kernel.of("COPY", DType.BFLOAT16, DType.FLOAT16));
        assertEquals(Kernel.COPY_F32_F64, Kernel.of("COPY", DType.FLOAT32, DType.FLOAT64), "the others stay in elementwise.cu");
    }

    @Test
    void viewsWithoutHalfOperandsPassThrough() {
        Backend be = cpu();
        try (Buffer f = be.upload(new float[]{1, 2}); CudaHalfViews h = new CudaHalfViews(be)) {
            View v = View.contiguous(f, 2);
            assertSame(v, h.in(v));
            assertSame(v, h.out(v));
            assertSame(v, h.inOut(v));
            assertEquals(null, h.in(null));
            assertFalse(CudaHalfViews.any(v, null));
        }
    }

    @Test
    void inWidensOnlyWhatABroadcastViewReachesAndCommitRoundsOnce() {
        Backend be = cpu();
        for (DType dt : HALVES) {
            short[] row = randomBits(dt, 5, 1);
            try (Buffer half = be.upload(row, dt); Buffer target = be.upload(new short[12], dt); CudaHalfViews h = new CudaHalfViews(be)) {
                View wide = h.in(new View(half, 1, new int[]{3, 4}, new long[]{0, 1})); // elements 1..4 seen as 3 rows
                assertEquals(DType.FLOAT32, wide.dtype());
                assertArrayEquals(new int[]{3, 4}, wide.shape);
                assertEquals(0, wide.strides[0], "the broadcast axis stays broadcast");
                assertEquals(4, wide.buffer.length(), "one row widened, not three");
                float[] got = new float[4];
                be.download(wide.buffer, 0, got, 0, 4);
                for (int j = 0; j < 4; j++) assertEquals(HalfFloat.toFloat(dt, row[j + 1]), got[j]);

                View out = h.out(View.contiguous(target, 3, 4));
                float[] values = new float[12];
                for (int i = 0; i < 12; i++) values[i] = 0.1f * i + 1e-3f;
                try (Buffer src = be.upload(values)) {
                    be.copy(out, View.contiguous(src, 3, 4));
                }
                assertArrayEquals(new short[12], bits(target), "nothing is written before commit");
                h.commit();
                short[] want = new short[12];
                for (int i = 0; i < 12; i++) want[i] = HalfFloat.fromFloat(dt, values[i]);
                assertArrayEquals(want, bits(target), dt + ": commit rounds each float32 value once");
            }
        }
    }

    @Test
    void inOutReadsTheHalfValuesAndWritesThemBack() {
        Backend be = cpu();
        for (DType dt : HALVES) {
            short[] init = randomBits(dt, 6, 2);
            try (Buffer half = be.upload(init, dt); CudaHalfViews h = new CudaHalfViews(be)) {
                View v = h.inOut(new View(half, 0, new int[]{3}, new long[]{2})); // every second element
                be.unary(io.jgrad.spi.UnaryOp.AFFINE, v, v, 3, 0.5);
                h.commit();
                short[] got = bits(half);
                for (int i = 0; i < 6; i++) {
                    short want = i % 2 == 1 ? init[i] : HalfFloat.fromFloat(dt, (float) (3.0 * HalfFloat.toFloat(dt, init[i]) + 0.5));
                    assertEquals(want, got[i], dt + " element " + i);
                }
            }
        }
    }

    /**
     * The GEMM fallback (no GemmEx: no cuBLAS, or bfloat16 before Ampere) against the CPU's own half GEMM, which also
     * multiplies in float32 and rounds once: the same bits, C's row gaps untouched, and the result within float32
     * accumulation plus one half rounding of a float64 reference.
     */
    @Test
    void gemmThroughFloat32MatchesTheCpuHalfGemm() {
        Backend be = cpu();
        int config = 0;
        for (DType dt : HALVES) {
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    for (double beta : new double[]{0, 0.5}) {
                        checkGemm(be, dt, ta, tb, 3, 5, 7, 33, 1.25, beta, (config++ % 2) == 0);
                    }
                }
            }
            checkGemm(be, dt, false, false, 1, 1, 1, 4096, 1, 0, false);
        }
    }

    private static void checkGemm(Backend be, DType dt, boolean ta, boolean tb, int batch, int m, int n, int k, double alpha,
                                  double beta, boolean shareA) {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + 2, ldb = bCols + 1, ldc = n + 3;
        long strideA = shareA ? 0 : (long) aRows * lda, strideB = (long) bRows * ldb + 4, strideC = (long) m * ldc + 1;
        int offA = 3, offB = 1, offC = 2;
        short[] a = randomBits(dt, (int) (offA + (shareA ? 1 : batch) * (long) aRows * lda), 10 + k);
        short[] b = randomBits(dt, (int) (offB + batch * strideB), 20 + k);
        short[] c0 = randomBits(dt, (int) (offC + batch * strideC), 30 + k);
        if (k == 4096) {
            java.util.Arrays.fill(a, HalfFloat.fromFloat(dt, 1));
            java.util.Arrays.fill(b, HalfFloat.fromFloat(dt, 1));
        }
        for (int p = 0; p < batch; p++) for (int i = 0; i < m; i++) for (int j = n; j < ldc; j++) {
            long at = offC + p * strideC + (long) i * ldc + j;
            if (at < c0.length) c0[(int) at] = SENTINEL;
        }
        String what = dt + " ta=" + ta + " tb=" + tb + " batch=" + batch + " beta=" + beta + " shareA=" + shareA + " k=" + k;
        try (Buffer ba = be.upload(a, dt); Buffer bb = be.upload(b, dt); Buffer want = be.upload(c0, dt); Buffer got = be.upload(c0, dt)) {
            be.gemm(new Gemm(ta, tb, batch, m, n, k, alpha, ba, offA, lda, strideA, bb, offB, ldb, strideB, beta, want, offC, ldc, strideC, false));
            Gemm g = new Gemm(ta, tb, batch, m, n, k, alpha, ba, offA, lda, strideA, bb, offB, ldb, strideB, beta, got, offC, ldc, strideC, false);
            try (CudaHalfViews h = new CudaHalfViews(be)) {
                Gemm wide = CudaHalfViews.widen(h, g);
                assertEquals(DType.FLOAT32, wide.a().dtype());
                assertEquals(shareA ? 0 : (long) aRows * aCols, wide.strideA(), "a shared A stays shared");
                be.gemm(wide);
                h.commit();
            }
            short[] gotBits = bits(got);
            assertArrayEquals(bits(want), gotBits, what);
            double u32 = 0x1p-24, uHalf = dt == DType.FLOAT16 ? 0x1p-11 : 0x1p-8;
            for (int p = 0; p < batch; p++) for (int i = 0; i < m; i++) for (int j = 0; j < ldc; j++) {
                long at = offC + p * strideC + (long) i * ldc + j;
                if (j >= n) {
                    if (at < c0.length) assertEquals(SENTINEL, gotBits[(int) at], what + ": the gap after row " + i + " was written");
                    continue;
                }
                double sum = 0, abs = 0;
                for (int q = 0; q < k; q++) {
                    double x = HalfFloat.toFloat(dt, a[(int) (offA + (shareA ? 0 : p * strideA) + (ta ? (long) q * lda + i : (long) i * lda + q))]);
                    double y = HalfFloat.toFloat(dt, b[(int) (offB + p * strideB + (tb ? (long) j * ldb + q : (long) q * ldb + j))]);
                    sum += x * y;
                    abs += Math.abs(x * y);
                }
                double c = HalfFloat.toFloat(dt, c0[(int) at]);
                double ref = alpha * sum + beta * c;
                double bound = (k + 2) * u32 * (Math.abs(alpha) * abs + Math.abs(beta * c)) + uHalf * Math.abs(ref) + 0x1p-24;
                double v = HalfFloat.toFloat(dt, gotBits[(int) at]);
                assertTrue(Math.abs(v - ref) <= bound, what + " at " + p + "," + i + "," + j + ": " + v + " vs " + ref);
            }
        }
    }
}
