package io.jgrad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link HalfFloat} against an independent reference over every float16 and bfloat16 bit pattern, the midpoints
 * between neighbours (ties to even) and a float32 ulp either side, the overflow and subnormal edges, random floats,
 * and PyTorch's own rounding of tricky values (committed numbers, from scripts/reference/half_conversions.py).
 * <p>
 * The reference knows nothing of bit tricks: it lists every finite value of the format as a double (from the
 * format's definition: sign, exponent, fraction), finds the two neighbours of x by binary search, and picks the nearer,
 * the one with an even bit pattern on a tie; from max + ulp(max) / 2 on, infinity.
 */
class HalfFloatTest {

    /** A 16-bit format: its finite non-negative values in bit-pattern order (which is value order). */
    private record Format(String name, double[] values, double overflow) {
        static Format of(String name, int exponentBits, int fractionBits) {
            int bias = (1 << (exponentBits - 1)) - 1;
            int maxExp = (1 << exponentBits) - 1;
            int count = maxExp << fractionBits; // patterns below the all-ones exponent
            double[] v = new double[count];
            for (int bits = 0; bits < count; bits++) {
                int e = bits >>> fractionBits, f = bits & ((1 << fractionBits) - 1);
                v[bits] = e == 0 ? f * Math.pow(2, 1 - bias - fractionBits)
                        : (1 + f / Math.pow(2, fractionBits)) * Math.pow(2, e - bias);
            }
            double max = v[count - 1];
            double ulp = max - v[count - 2];
            return new Format(name, v, max + ulp / 2);
        }

        /** The reference rounding of x, as a 16-bit pattern. */
        int round(double x) {
            int sign = (Double.doubleToRawLongBits(x) < 0) ? 0x8000 : 0;
            double a = Math.abs(x);
            int infinity = values.length; // the all-ones exponent with fraction 0
            if (a >= overflow) return sign | infinity;
            int lo = Arrays.binarySearch(values, a);
            if (lo >= 0) return sign | lo;
            lo = -lo - 2; // the largest value below a
            if (lo == values.length - 1) return sign | lo; // between max and the overflow threshold
            double dLo = a - values[lo], dHi = values[lo + 1] - a;
            int pick = dLo < dHi ? lo : dHi < dLo ? lo + 1 : (lo % 2 == 0 ? lo : lo + 1);
            return sign | pick;
        }

        double value(int bits) {
            double v = values[bits & 0x7fff];
            return (bits & 0x8000) != 0 ? -v : v;
        }
    }

    private static final Format F16 = Format.of("float16", 5, 10);
    private static final Format BF16 = Format.of("bfloat16", 8, 7);

    private static short toHalf(Format f, float x) {
        return f == F16 ? HalfFloat.floatToFloat16(x) : HalfFloat.floatToBfloat16(x);
    }

    private static float toFloat(Format f, short h) {
        return f == F16 ? HalfFloat.float16ToFloat(h) : HalfFloat.bfloat16ToFloat(h);
    }

    private static void checkRounding(Format f, float x) {
        int got = toHalf(f, x) & 0xffff;
        if (Float.isNaN(x)) {
            assertTrue(Float.isNaN(toFloat(f, (short) got)), f.name + " of NaN " + Integer.toHexString(Float.floatToRawIntBits(x)));
            return;
        }
        int want = f.round(x);
        if (got != want) {
            throw new AssertionError(f.name + " of " + x + " (" + Integer.toHexString(Float.floatToRawIntBits(x)) + "): got "
                    + Integer.toHexString(got) + ", want " + Integer.toHexString(want));
        }
    }

    @Test
    void everyFloat16PatternWidensExactlyAndRoundTrips() {
        everyPatternRoundTrips(F16, 10);
    }

    @Test
    void everyBfloat16PatternWidensExactlyAndRoundTrips() {
        everyPatternRoundTrips(BF16, 7);
    }

    private static void everyPatternRoundTrips(Format f, int fractionBits) {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            float x = toFloat(f, h);
            boolean nan = (bits & 0x7fff) > f.values.length; // all-ones exponent, non-zero fraction
            if (nan) {
                assertTrue(Float.isNaN(x), f.name + " " + Integer.toHexString(bits) + " is a NaN");
                int back = toHalf(f, x) & 0xffff;
                // NaN stays NaN, sign and payload kept, made quiet (the fraction's top bit set)
                assertEquals(bits | (1 << (fractionBits - 1)), back, f.name + " NaN " + Integer.toHexString(bits));
                continue;
            }
            double want = (bits & 0x7fff) == f.values.length ? ((bits & 0x8000) != 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                    : f.value(bits);
            assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(x),
                    f.name + " " + Integer.toHexString(bits) + " widens to " + want + " (signed zeros included)");
            assertEquals(bits, toHalf(f, x) & 0xffff, f.name + " " + Integer.toHexString(bits) + " round-trips");
            checkRounding(f, x);
        }
    }

    @Test
    void float16MidpointsTieToEvenAndTheirNeighboursRoundToTheNearer() {
        midpoints(F16);
    }

    @Test
    void bfloat16MidpointsTieToEvenAndTheirNeighboursRoundToTheNearer() {
        midpoints(BF16);
    }

    private static void midpoints(Format f) {
        double[] v = f.values;
        int ties = 0;
        for (int i = 0; i < v.length; i++) {
            double next = i + 1 < v.length ? v[i + 1] : 2 * f.overflow - v[i]; // above max: the overflow threshold
            float mid = (float) ((v[i] + next) / 2);
            assertEquals((v[i] + next) / 2, mid, 0.0, "midpoints are exact in float32");
            for (float x : new float[]{mid, Math.nextDown(mid), Math.nextUp(mid), -mid, -Math.nextUp(mid)}) {
                checkRounding(f, x);
            }
            int tie = toHalf(f, mid) & 0xffff;
            assertEquals(0, tie & 1, f.name + ": the tie at " + mid + " goes to the even pattern");
            ties++;
        }
        assertEquals(f.values.length, ties);
    }

    @Test
    void edgesOfFloat16() {
        assertEquals(0x7bff, HalfFloat.floatToFloat16(65504f));
        assertEquals(0x7bff, HalfFloat.floatToFloat16(Math.nextDown(65520f)));
        assertEquals(0x7c00, HalfFloat.floatToFloat16(65520f), "the midpoint above the largest float16 overflows (even)");
        assertEquals((short) 0xfc00, HalfFloat.floatToFloat16(-1e30f));
        assertEquals(0x7c00, HalfFloat.floatToFloat16(Float.POSITIVE_INFINITY));
        assertEquals(0x0400, HalfFloat.floatToFloat16(0x1p-14f), "smallest normal");
        assertEquals(0x0400, HalfFloat.floatToFloat16(Math.nextDown(0x1p-14f)), "rounds up into the normals");
        assertEquals(0x03ff, HalfFloat.floatToFloat16(0x1.ff8p-15f), "largest subnormal");
        assertEquals(0x0001, HalfFloat.floatToFloat16(0x1p-24f), "smallest subnormal");
        assertEquals(0x0000, HalfFloat.floatToFloat16(0x1p-25f), "half of it ties to zero (even)");
        assertEquals(0x0001, HalfFloat.floatToFloat16(Math.nextUp(0x1p-25f)));
        assertEquals(0x0002, HalfFloat.floatToFloat16(0x1.8p-24f), "1.5 subnormal units tie to 2 (even)");
        assertEquals((short) 0x8000, HalfFloat.floatToFloat16(-0f));
        assertEquals((short) 0x8000, HalfFloat.floatToFloat16(-Float.MIN_VALUE));
        assertEquals(0x7e00, HalfFloat.floatToFloat16(Float.NaN));
        assertEquals(65504f, HalfFloat.float16ToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, HalfFloat.float16ToFloat((short) 1));
    }

    @Test
    void edgesOfBfloat16() {
        assertEquals(0x7f7f, HalfFloat.floatToBfloat16(Math.nextDown(0x1.ffp127f)));
        assertEquals(0x7f80, HalfFloat.floatToBfloat16(Float.MAX_VALUE), "beyond the midpoint above the largest bfloat16");
        assertEquals(0x3f80, HalfFloat.floatToBfloat16(1.00390625f), "1 + 2^-8 ties to 1 (even)");
        assertEquals(0x3f82, HalfFloat.floatToBfloat16(1.01171875f), "1 + 3 * 2^-8 ties to 1 + 2^-6 (even)");
        assertEquals(0x0001, HalfFloat.floatToBfloat16(Float.intBitsToFloat(0x00008000 + 1)), "subnormals round as others");
        assertEquals((short) 0x8000, HalfFloat.floatToBfloat16(-0f));
        assertEquals((short) 0xffc0, HalfFloat.floatToBfloat16(Float.intBitsToFloat(0xff800001)), "a signalling NaN comes back quiet, sign kept");
        assertEquals(1f, HalfFloat.bfloat16ToFloat((short) 0x3f80));
    }

    @Test
    void randomFloatsRoundAsTheReference() {
        Random rnd = new Random(17);
        for (int i = 0; i < 300_000; i++) {
            float x = Float.intBitsToFloat(rnd.nextInt());
            checkRounding(F16, x);
            checkRounding(BF16, x);
            float y = (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(40) - 28));
            checkRounding(F16, y);
            checkRounding(BF16, y);
        }
    }

    @Test
    void roundsAsPyTorchDoes() throws Exception {
        int lines = 0, nans = 0;
        try (InputStream in = HalfFloatTest.class.getResourceAsStream("torch-half-conversions.txt")) {
            assertNotNull(in, "torch-half-conversions.txt on the test classpath");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("#")) continue;
                String[] p = line.split(" ");
                float x = Float.intBitsToFloat(Integer.parseUnsignedInt(p[0], 16));
                short f16 = (short) Integer.parseInt(p[1], 16), bf16 = (short) Integer.parseInt(p[2], 16);
                assertEquals(f16, HalfFloat.floatToFloat16(x), "float16 of " + p[0]);
                if (Float.isNaN(x)) { // PyTorch writes one canonical bfloat16 NaN; only NaN-ness is common ground
                    assertTrue(Float.isNaN(HalfFloat.bfloat16ToFloat(HalfFloat.floatToBfloat16(x))));
                    assertTrue(Float.isNaN(HalfFloat.bfloat16ToFloat(bf16)));
                    nans++;
                } else {
                    assertEquals(bf16, HalfFloat.floatToBfloat16(x), "bfloat16 of " + p[0]);
                }
                assertEquals(Float.floatToRawIntBits(HalfFloat.float16ToFloat(f16)),
                        Float.floatToRawIntBits(HalfFloat.toFloat(DType.FLOAT16, f16)));
                lines++;
            }
        }
        assertTrue(lines > 5000, "read " + lines + " reference lines");
        assertTrue(nans > 0, "the reference has NaNs");
    }

    /**
     * The bulk float16 conversions (the JDK's Float.floatToFloat16 / float16ToFloat on Java 20 and later, the plain
     * loops before) against the plain scalar methods over every pattern, every pattern's value and the midpoints
     * around it: the same bits.
     */
    @Test
    void bulkFloat16ConversionsAgreeWithThePlainOnesOnEveryPattern() {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) all[i] = (short) i;
        float[] wide = new float[65536];
        HalfFloat.toFloat(DType.FLOAT16, all, 0, wide, 0, 65536);
        float[] probes = new float[4 * 65536];
        for (int i = 0; i < 65536; i++) {
            assertEquals(Float.floatToRawIntBits(HalfFloat.float16ToFloat(all[i])), Float.floatToRawIntBits(wide[i]),
                    "widen 0x" + Integer.toHexString(i) + (HalfFloat.usesJdkFloat16() ? " (JDK)" : ""));
            float v = wide[i], next = HalfFloat.float16ToFloat((short) (i + 1));
            float mid = Float.isFinite(v) && Float.isFinite(next) && (i & 0x7fff) != 0x7fff ? (float) (((double) v + next) / 2) : v;
            probes[4 * i] = v;
            probes[4 * i + 1] = mid;
            probes[4 * i + 2] = Math.nextDown(mid);
            probes[4 * i + 3] = Math.nextUp(mid);
        }
        short[] back = new short[probes.length];
        HalfFloat.fromFloat(DType.FLOAT16, probes, 0, back, 0, probes.length);
        for (int i = 0; i < probes.length; i++) {
            assertEquals(HalfFloat.floatToFloat16(probes[i]), back[i], "narrow " + probes[i]
                    + (HalfFloat.usesJdkFloat16() ? " (JDK)" : ""));
        }
        assertEquals(Runtime.version().feature() >= 20, HalfFloat.usesJdkFloat16(), "the JDK's conversions are used where they exist");
    }

    @Test
    void bulkConversionsMatchTheScalarOnes() {
        Random rnd = new Random(3);
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) x[i] = Float.intBitsToFloat(rnd.nextInt());
        for (DType dt : new DType[]{DType.FLOAT16, DType.BFLOAT16}) {
            short[] h = new short[x.length + 3];
            HalfFloat.fromFloat(dt, x, 0, h, 3, x.length);
            float[] back = new float[x.length + 1];
            HalfFloat.toFloat(dt, h, 3, back, 1, x.length);
            for (int i = 0; i < x.length; i++) {
                assertEquals(HalfFloat.fromFloat(dt, x[i]), h[3 + i], dt + " bulk narrowing at " + i);
                assertEquals(Float.floatToRawIntBits(HalfFloat.toFloat(dt, h[3 + i])), Float.floatToRawIntBits(back[1 + i]));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> HalfFloat.fromFloat(DType.FLOAT32, 1f));
        assertEquals(0.0999755859375, HalfFloat.round(DType.FLOAT16, 0.1), 0.0);
        assertEquals(0.10009765625, HalfFloat.round(DType.BFLOAT16, 0.1), 0.0);
    }
}
