package io.jgrad.io;

import io.jgrad.DType;

/**
 * The safetensors element types jgrad reads, with the tensor dtype each loads as. jgrad writes F32, F64, I64, I32
 * and BOOL (one byte, 0 or 1); half precision (F16, BF16) written by other tools is widened to float32 on load, which is exact.
 */
enum StoredDtype {
    F32(4, DType.FLOAT32),
    F64(8, DType.FLOAT64),
    I64(8, DType.INT64),
    I32(4, DType.INT32),
    BOOL(1, DType.BOOL),
    F16(2, DType.FLOAT32),
    BF16(2, DType.FLOAT32);

    final int byteSize;
    final DType loadsAs;

    StoredDtype(int byteSize, DType loadsAs) {
        this.byteSize = byteSize;
        this.loadsAs = loadsAs;
    }

    /** The stored type for a header's dtype code, or null when jgrad cannot load it. */
    static StoredDtype parse(String code) {
        for (StoredDtype d : values()) {
            if (d.name().equals(code)) return d;
        }
        return null;
    }

    /** How jgrad writes a tensor of this dtype: its own type, bit for bit. */
    static StoredDtype of(DType dtype) {
        switch (dtype) {
            case FLOAT32:
                return F32;
            case FLOAT64:
                return F64;
            case INT64:
                return I64;
            case INT32:
                return I32;
            case BOOL:
                return BOOL;
            default:
                throw new IllegalArgumentException("safetensors: no stored type for dtype " + dtype);
        }
    }

    /** IEEE 754 binary16 to float32; every half value, NaN payloads included, is exactly representable. */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float32
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** bfloat16 is the top half of a float32. */
    static float bfloat16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }
}
