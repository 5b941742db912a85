package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.HalfFloat;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The bfloat16 conversions of every {@link FloatSimd} (plain loops, the Vector API loops and their scalar twins)
 * against {@link HalfFloat}, bit for bit: every bfloat16 pattern widened, every pattern's float value and the
 * midpoints around it narrowed, random floats with NaN payloads, at unaligned offsets and lengths that leave every
 * vector tail.
 */
class Bfloat16SimdTest {
    private static final int[] LENGTHS = {0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 1000};

    private static void check(FloatSimd simd) {
        short[] all = new short[65536 + 5];
        for (int i = 0; i < 65536; i++) all[i + 3] = (short) i;
        float[] wide = new float[65536 + 2];
        assertEquals(65536, simd.bfloat16ToFloat(wide, 2, all, 3, 65536));
        for (int i = 0; i < 65536; i++) {
            assertEquals(Float.floatToRawIntBits(HalfFloat.bfloat16ToFloat((short) i)), Float.floatToRawIntBits(wide[i + 2]),
                    simd.name() + " widens 0x" + Integer.toHexString(i));
        }
        // narrowing: each pattern's value, the midpoint above it and the floats either side of the midpoint
        float[] x = new float[4 * 65536 + 1];
        for (int i = 0; i < 65536; i++) {
            int b = i << 16;
            x[1 + 4 * i] = Float.intBitsToFloat(b);
            x[2 + 4 * i] = Float.intBitsToFloat(b | 0x8000);
            x[3 + 4 * i] = Float.intBitsToFloat(b | 0x7fff);
            x[4 + 4 * i] = Float.intBitsToFloat(b | 0x8001);
        }
        short[] narrow = new short[x.length + 1];
        assertEquals(x.length - 1, simd.floatToBfloat16(narrow, 1, x, 1, x.length - 1));
        for (int i = 1; i < x.length; i++) {
            assertEquals(HalfFloat.floatToBfloat16(x[i]), narrow[i], simd.name() + " narrows 0x" + Integer.toHexString(Float.floatToRawIntBits(x[i])));
        }
        Random rnd = new Random(16);
        for (int n : LENGTHS) {
            for (int off = 0; off < 3; off++) {
                float[] f = new float[n + off];
                for (int i = 0; i < f.length; i++) f[i] = Float.intBitsToFloat(rnd.nextInt());
                short[] h = new short[n + 2];
                simd.floatToBfloat16(h, 2, f, off, n);
                for (int i = 0; i < n; i++) assertEquals(HalfFloat.floatToBfloat16(f[off + i]), h[2 + i], simd.name() + " n " + n);
            }
        }
    }

    @Test
    void plainLoops() {
        check(new ScalarFloatSimd());
    }

    @Test
    void vectorLoopsAndTheirTwins() {
        Assumptions.assumeTrue(FloatSimd.Loader.vector() != null, "the JVM runs without jdk.incubator.vector");
        check(new VectorFloatSimd(true));
        check(new VectorFloatSimd(false));
        check(FloatSimd.INSTANCE);
    }
}
