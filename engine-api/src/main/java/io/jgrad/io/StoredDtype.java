package io.jgrad.io;

import io.jgrad.DType;
import io.jgrad.HalfFloat;

/**
 * The safetensors element types jgrad reads and writes, with the tensor dtype each loads as: F32, F64, I64, I32,
 * BOOL (one byte, 0 or 1), F16 and BF16 (their bit patterns, unchanged both ways).
 */
enum StoredDtype {
    F32(4, DType.FLOAT32),
    F64(8, DType.FLOAT64),
    I64(8, DType.INT64),
    I32(4, DType.INT32),
    BOOL(1, DType.BOOL),
    F16(2, DType.FLOAT16),
    BF16(2, DType.BFLOAT16);

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
            case FLOAT16:
                return F16;
            case BFLOAT16:
                return BF16;
            default:
                throw new IllegalArgumentException("safetensors: no stored type for dtype " + dtype);
        }
    }

    /** IEEE 754 binary16 to float32 (exact); {@link HalfFloat#float16ToFloat}. */
    static float halfToFloat(short half) {
        return HalfFloat.float16ToFloat(half);
    }

    /** bfloat16 is the top half of a float32. */
    static float bfloat16ToFloat(short bf16) {
        return HalfFloat.bfloat16ToFloat(bf16);
    }
}
