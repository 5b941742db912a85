package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.HalfFloat;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.HalfOperands;
import io.jgrad.spi.View;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float32 adapter for half operands that the CUDA backend uses (the SPI's HalfOperands), and the CUDA kernel
 * table, checked without a GPU: HalfOperands needs only allocate and a converting copy, so it runs here on the CPU backend, whose own half kernels (the CPU's
 * HalfViews) give the expected bits.
 */
class CudaHalfViewsTest {
    private static final DType[] HALVES = {DType.FLOAT16, DType.BFLOAT16};

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
        try (Buffer f = be.upload(new float[]{1, 2}); HalfOperands h = new HalfOperands(be)) {
            View v = View.contiguous(f, 2);
            assertSame(v, h.in(v));
            assertSame(v, h.out(v));
            assertSame(v, h.inOut(v));
            assertEquals(null, h.in(null));
            assertFalse(HalfOperands.any(v, null));
        }
    }

    @Test
    void inWidensOnlyWhatABroadcastViewReachesAndCommitRoundsOnce() {
        Backend be = cpu();
        for (DType dt : HALVES) {
            short[] row = randomBits(dt, 5, 1);
            try (Buffer half = be.upload(row, dt); Buffer target = be.upload(new short[12], dt); HalfOperands h = new HalfOperands(be)) {
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
            try (Buffer half = be.upload(init, dt); HalfOperands h = new HalfOperands(be)) {
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
        for (HalfGemmCheck.Case c : HalfGemmCheck.cases()) {
            short[] want = HalfGemmCheck.run(be, be::gemm, c);
            short[] got = HalfGemmCheck.run(be, g -> {
                try (HalfOperands h = new HalfOperands(be)) {
                    Gemm wide = h.widen(g);
                    assertEquals(DType.FLOAT32, wide.a().dtype());
                    assertEquals(c.shareA() ? 0 : (long) c.k() * c.m(), wide.strideA(), "a shared A stays shared");
                    be.gemm(wide);
                    h.commit();
                }
            }, c);
            assertArrayEquals(want, got, c.toString());
        }
    }
}
