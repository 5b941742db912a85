package io.jgrad;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Conversions between float32 and the two 16-bit floating formats, on {@code short} bit patterns.
 * <ul>
 *   <li><b>float16</b> (IEEE 754 binary16): sign, 5 exponent bits (bias 15), 10 fraction bits; largest finite 65504,
 *       smallest normal 2^-14, subnormals down to 2^-24.</li>
 *   <li><b>bfloat16</b>: the upper 16 bits of a float32: sign, 8 exponent bits, 7 fraction bits; float32's range with
 *       about 3 significant decimal digits.</li>
 * </ul>
 * Widening (to float) is exact, NaN payloads included. Narrowing (from float) rounds to nearest, ties to even,
 * exactly as IEEE 754 and PyTorch do: values at or beyond the midpoint between the largest finite value and the next
 * power of two become infinity, float16's subnormals are rounded as any other value, signed zeros and infinities are
 * kept. A NaN stays a NaN of the same sign, made quiet, with the top bits of its payload: for float16 that is what
 * PyTorch writes too; for bfloat16 PyTorch writes one canonical NaN whatever the input (0x7FC0, or 0xFFFF from its
 * vectorised loops), so only NaN-ness is common ground there.
 * <p>
 * The scalar methods are plain Java, integer arithmetic only. The bulk methods, which the CPU backend's kernels call,
 * use Java 20's {@code Float.floatToFloat16} and {@code Float.float16ToFloat} for float16 where the JVM has them (the
 * JIT turns them into the CPU's conversion instructions), found once through a {@link MethodHandle} so that the
 * bytecode stays Java 17; NaNs still take the plain path, so the bits are the same either way (the tests compare the
 * two over every pattern). {@code -Djgrad.half.jdk=false} keeps the plain path.
 */
public final class HalfFloat {
    private HalfFloat() {
    }

    /** Float.floatToFloat16 (float) short, or null before Java 20 or when switched off. */
    private static final MethodHandle JDK_TO_FLOAT16 = jdk("floatToFloat16", MethodType.methodType(short.class, float.class));
    /** Float.float16ToFloat (short) float, likewise. */
    private static final MethodHandle JDK_FROM_FLOAT16 = jdk("float16ToFloat", MethodType.methodType(float.class, short.class));

    private static MethodHandle jdk(String name, MethodType type) {
        if ("false".equals(System.getProperty("jgrad.half.jdk"))) return null;
        try {
            return MethodHandles.publicLookup().findStatic(Float.class, name, type);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // Java 17 to 19: the plain conversions
        }
    }

    /** Whether the bulk float16 conversions use the JDK's (intrinsified) methods. */
    public static boolean usesJdkFloat16() {
        return JDK_TO_FLOAT16 != null && JDK_FROM_FLOAT16 != null;
    }

    // ---- float16 ----

    /** The float16 bit pattern {@code h} as a float (exact). */
    public static float float16ToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int frac = h & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | frac << 13); // infinity or NaN
        if (exp != 0) return Float.intBitsToFloat(sign | (exp + 112) << 23 | frac << 13);
        // zero or subnormal: frac * 2^-24, exact in float
        return Float.intBitsToFloat(sign | Float.floatToRawIntBits(frac * 0x1p-24f));
    }

    /** {@code f} rounded to float16 (nearest, ties to even), as a bit pattern. */
    public static short floatToFloat16(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int abs = x & 0x7fffffff;
        if (abs > 0x7f800000) return (short) (sign | 0x7e00 | (abs >>> 13) & 0x3ff); // NaN: quiet, payload's top
        if (abs >= 0x477ff000) return (short) (sign | 0x7c00); // from 65520 (the midpoint above 65504) on: infinity
        if (abs >= 0x38800000) { // a normal float16 (2^-14 and up): rebias the exponent, round away 13 fraction bits
            int m = abs - (112 << 23);
            m += 0xfff + ((m >>> 13) & 1);
            return (short) (sign | m >>> 13); // a carry out of the fraction bumps the exponent, as it should
        }
        if (abs <= 0x33000000) return (short) sign; // up to 2^-25, half of the smallest subnormal: a (signed) zero
        // a subnormal: k = round(value / 2^-24) = round(significand * 2^(e - 126)), e the float's biased exponent
        int e = abs >>> 23;
        int significand = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - e; // 14..24
        int k = significand >>> shift;
        int rest = significand & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (k & 1) != 0)) k++; // k = 1024 is the smallest normal, correctly
        return (short) (sign | k);
    }

    // ---- bfloat16 ----

    /** The bfloat16 bit pattern {@code b} as a float (exact). */
    public static float bfloat16ToFloat(short b) {
        return Float.intBitsToFloat(b << 16);
    }

    /** {@code f} rounded to bfloat16 (nearest, ties to even), as a bit pattern. */
    public static short floatToBfloat16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7fffffff) > 0x7f800000) return (short) ((x >>> 16) | 0x40); // NaN: quiet, sign and payload's top
        // add just under half an ulp, plus one when the kept part is odd: ties go to even; overflow carries into inf
        return (short) ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16);
    }

    // ---- by dtype ----

    /** The bit pattern {@code bits} of a float16 or bfloat16 as a float. */
    public static float toFloat(DType dtype, short bits) {
        return switch (dtype) {
            case FLOAT16 -> float16ToFloat(bits);
            case BFLOAT16 -> bfloat16ToFloat(bits);
            default -> throw notHalf(dtype);
        };
    }

    /** {@code f} rounded to float16 or bfloat16. */
    public static short fromFloat(DType dtype, float f) {
        return switch (dtype) {
            case FLOAT16 -> floatToFloat16(f);
            case BFLOAT16 -> floatToBfloat16(f);
            default -> throw notHalf(dtype);
        };
    }

    /** {@code value} rounded to the dtype's precision, as a double (float32 and float64 as usual). */
    public static double round(DType dtype, double value) {
        return switch (dtype) {
            case FLOAT16, BFLOAT16 -> toFloat(dtype, fromFloat(dtype, (float) value));
            case FLOAT32 -> (float) value;
            default -> value;
        };
    }

    // ---- bulk ----

    /** dst[dstOff + i] = the float of src[srcOff + i], for i below n. */
    public static void toFloat(DType dtype, short[] src, int srcOff, float[] dst, int dstOff, int n) {
        if (dtype == DType.BFLOAT16) {
            for (int i = 0; i < n; i++) dst[dstOff + i] = Float.intBitsToFloat(src[srcOff + i] << 16);
        } else if (dtype == DType.FLOAT16) {
            if (usesJdkFloat16()) {
                jdkToFloat(src, srcOff, dst, dstOff, n);
            } else {
                for (int i = 0; i < n; i++) dst[dstOff + i] = float16ToFloat(src[srcOff + i]);
            }
        } else {
            throw notHalf(dtype);
        }
    }

    /** dst[dstOff + i] = src[srcOff + i] rounded to the dtype, for i below n. */
    public static void fromFloat(DType dtype, float[] src, int srcOff, short[] dst, int dstOff, int n) {
        if (dtype == DType.BFLOAT16) {
            for (int i = 0; i < n; i++) dst[dstOff + i] = floatToBfloat16(src[srcOff + i]);
        } else if (dtype == DType.FLOAT16) {
            if (usesJdkFloat16()) {
                jdkFromFloat(src, srcOff, dst, dstOff, n);
            } else {
                for (int i = 0; i < n; i++) dst[dstOff + i] = floatToFloat16(src[srcOff + i]);
            }
        } else {
            throw notHalf(dtype);
        }
    }

    // NaN patterns go the plain way: the instructions quiet a signalling NaN where the JDK's Java code does not

    private static void jdkToFloat(short[] src, int srcOff, float[] dst, int dstOff, int n) {
        try {
            for (int i = 0; i < n; i++) {
                short h = src[srcOff + i];
                dst[dstOff + i] = (h & 0x7fff) > 0x7c00 ? float16ToFloat(h) : (float) JDK_FROM_FLOAT16.invokeExact(h);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("HalfFloat: Float.float16ToFloat failed", t);
        }
    }

    private static void jdkFromFloat(float[] src, int srcOff, short[] dst, int dstOff, int n) {
        try {
            for (int i = 0; i < n; i++) {
                float f = src[srcOff + i];
                dst[dstOff + i] = f != f ? floatToFloat16(f) : (short) JDK_TO_FLOAT16.invokeExact(f);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("HalfFloat: Float.floatToFloat16 failed", t);
        }
    }

    private static IllegalArgumentException notHalf(DType dtype) {
        return new IllegalArgumentException("HalfFloat: " + dtype + " is not float16 or bfloat16");
    }
}
