package io.jgrad;

/**
 * Element types, as in PyTorch. float32 is the default; float64 serves gradient checking; int64 holds class indices
 * and counts; int32 is the compact integer; bool is what comparisons return and what {@code where} and
 * {@code maskedFill} take. Mixed operands promote by {@link Promotion}'s rules (torch.result_type).
 * <p>
 * float16 and bfloat16 are storage formats: the CPU holds them as {@code short} bit patterns and computes in float32,
 * rounding once to nearest even when it stores ({@link HalfFloat}).
 * <p>
 * Storage: on the CPU a bool element is a Java {@code boolean} (one byte, values true/false), an int32 an
 * {@code int}; on CUDA they take 1 byte (0 or 1) and 4 bytes.
 */
public enum DType {
    FLOAT32(4, "float32"),
    FLOAT64(8, "float64"),
    INT64(8, "int64"),
    INT32(4, "int32"),
    BOOL(1, "bool"),
    /** IEEE 754 binary16: 5 exponent bits, 10 fraction bits (torch.float16, torch.half). */
    FLOAT16(2, "float16"),
    /** bfloat16: float32's 8 exponent bits with 7 fraction bits, its upper half (torch.bfloat16). */
    BFLOAT16(2, "bfloat16");

    private final int byteSize;
    private final String pyName;

    DType(int byteSize, String pyName) {
        this.byteSize = byteSize;
        this.pyName = pyName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** float32, float64, float16 or bfloat16 (torch.is_floating_point). */
    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
    }

    /** float16 or bfloat16: two-byte storage formats, computed in float32 on the CPU. */
    public boolean isHalf() {
        return this == FLOAT16 || this == BFLOAT16;
    }

    /** int32 or int64; bool is not an integer type here, as in PyTorch's type categories. */
    public boolean isInteger() {
        return this == INT32 || this == INT64;
    }

    @Override
    public String toString() {
        return pyName;
    }
}
