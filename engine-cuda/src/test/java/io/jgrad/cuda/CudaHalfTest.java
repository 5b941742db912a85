package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.DType;
import io.jgrad.HalfFloat;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * float16 and bfloat16 on the GPU: half.cu's conversions against HalfFloat over every bit pattern and two million
 * float32 values, the float32 adapter (a kernel on half operands gives the float32 kernel's result rounded once) and
 * the GEMMs (cuBLAS GemmEx, and jgrad's kernel through float32) against a float64 reference.
 */
class CudaHalfTest extends GpuTestSupport {
    private static final DType[] HALVES = {DType.FLOAT16, DType.BFLOAT16};

    private static short[] allPatterns() {
        short[] s = new short[65536];
        for (int h = 0; h < s.length; h++) s[h] = (short) h;
        return s;
    }

    @Test
    void everyBitPatternWidensExactly() {
        for (DType dt : HALVES) {
            try (Buffer half = gpu.upload(allPatterns(), dt); Buffer wide = gpu.allocate(DType.FLOAT32, 65536)) {
                gpu.copy(View.contiguous(wide, 65536), View.contiguous(half, 65536));
                float[] got = new float[65536];
                gpu.download(wide, 0, got, 0, got.length);
                for (int h = 0; h < 65536; h++) {
                    int want = Float.floatToRawIntBits(HalfFloat.toFloat(dt, (short) h));
                    assertEquals(want, Float.floatToRawIntBits(got[h]), dt + " pattern 0x" + Integer.toHexString(h));
                }
            }
        }
    }

    @Test
    void float32ValuesNarrowAsHalfFloatDoes() {
        SplittableRandom rnd = new SplittableRandom(99);
        float[] in = new float[2_000_000];
        for (int i = 0; i < in.length; i++) {
            // raw bit patterns (NaNs, infinities, subnormals included), and values at and next to float16's and bfloat16's ties
            int r = rnd.nextInt(), d = rnd.nextInt(-1, 2);
            in[i] = Float.intBitsToFloat(switch (i % 3) {
                case 0 -> r;
                case 1 -> (r & 0xffffe000) | (0x1000 + d);
                default -> (r & 0xffff0000) | (0x8000 + d);
            });
        }
        for (DType dt : HALVES) {
            try (Buffer wide = gpu.upload(in); Buffer half = gpu.allocate(dt, in.length)) {
                gpu.copy(View.contiguous(half, in.length), View.contiguous(wide, in.length));
                short[] got = new short[in.length];
                gpu.download(half, 0, got, 0, got.length);
                for (int i = 0; i < in.length; i++) {
                    short want = HalfFloat.fromFloat(dt, in[i]);
                    if (got[i] != want) {
                        throw new AssertionError(dt + ": float32 0x" + Integer.toHexString(Float.floatToRawIntBits(in[i])) + " gave 0x"
                                + Integer.toHexString(got[i] & 0xffff) + ", HalfFloat 0x" + Integer.toHexString(want & 0xffff));
                    }
                }
            }
        }
    }

    @Test
    void aKernelOnHalfOperandsIsTheFloat32KernelRoundedOnce() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble(-4, 4));
        for (DType dt : HALVES) {
            short[] bits = new short[x.length];
            for (int i = 0; i < x.length; i++) bits[i] = HalfFloat.fromFloat(dt, x[i]);
            float[] widened = new float[x.length];
            for (int i = 0; i < x.length; i++) widened[i] = HalfFloat.toFloat(dt, bits[i]);
            try (Buffer h = gpu.upload(bits, dt); Buffer hOut = gpu.allocate(dt, 500); Buffer f = gpu.upload(widened);
                 Buffer fOut = gpu.allocate(DType.FLOAT32, 500)) {
                // exp of every second element, a strided read
                gpu.unary(UnaryOp.EXP, View.contiguous(hOut, 500), new View(h, 0, new int[]{500}, new long[]{2}), 0, 0);
                gpu.unary(UnaryOp.EXP, View.contiguous(fOut, 500), new View(f, 0, new int[]{500}, new long[]{2}), 0, 0);
                short[] got = new short[500];
                gpu.download(hOut, 0, got, 0, 500);
                float[] ref = new float[500];
                gpu.download(fOut, 0, ref, 0, 500);
                short[] want = new short[500];
                for (int i = 0; i < 500; i++) want[i] = HalfFloat.fromFloat(dt, ref[i]);
                assertArrayEquals(want, got, dt + " exp");
            }
        }
    }

    @Test
    void gemmExAccumulatesInFloat32() {
        for (HalfGemmCheck.Case c : HalfGemmCheck.cases()) HalfGemmCheck.run(gpu, gpu::gemm, c);
    }

    @Test
    void gemmWithoutCublasGoesThroughFloat32() {
        for (HalfGemmCheck.Case c : HalfGemmCheck.cases()) HalfGemmCheck.run(gpu, gpu::gemmWithKernel, c);
    }
}
