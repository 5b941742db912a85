package io.jgrad;

/**
 * Type promotion for ops with mixed operands: PyTorch's {@code torch.result_type}, exactly.
 * <ol>
 *   <li>Categories rank bool &lt; integer &lt; floating. Between two dtypes the larger wins:
 *       bool &lt; int32 &lt; int64 &lt; float32 &lt; float64 ({@link #promoteTypes}), so float32 + float64 is float64,
 *       int32 + int64 is int64 and int64 + float32 is float32. float16 and bfloat16 sit between int64 and float32,
 *       and neither holds the other: float16 + bfloat16 is float32.</li>
 *   <li>Operands come in three kinds: tensors with at least one dimension, zero-dim tensors, and Java scalars
 *       (a {@code double}, {@code long} or {@code boolean} argument). Each kind is promoted within itself first; a Java
 *       scalar counts as the default dtype of its category (float32 for a double, int64 for a long, bool).</li>
 *   <li>The dimensioned tensors decide unless a zero-dim tensor or scalar is of a higher category: then that one
 *       joins. So int64 [3] + 2.5 is float32, float32 [3] + 2.5 is float32, a zero-dim float64 + float32 [3] is
 *       float32, but a zero-dim float64 + int32 [3] is float64 (the zero-dim tensor keeps its own dtype).</li>
 * </ol>
 * Ops then compute in the result dtype (operands of another dtype are converted first), except that true division
 * of integers or bools computes in float32, and comparisons and logical ops write bool.
 */
public final class Promotion {
    private Promotion() {
    }

    /** How an operand takes part in promotion. */
    public enum Kind {
        /** A tensor with one dimension or more. */
        TENSOR,
        /** A tensor of rank 0. */
        ZERO_DIM,
        /** A Java number or boolean passed to the op. */
        SCALAR
    }

    /** The smallest dtype both a and b convert to (torch.promote_types); null (no operand) is ignored. */
    public static DType promoteTypes(DType a, DType b) {
        if (a == null) return b;
        if (b == null) return a;
        if (a != b && a.isHalf() && b.isHalf()) return DType.FLOAT32; // neither holds the other
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(DType t) {
        return switch (t) {
            case BOOL -> 0;
            case INT32 -> 1;
            case INT64 -> 2;
            case FLOAT16, BFLOAT16 -> 3;
            case FLOAT32 -> 4;
            case FLOAT64 -> 5;
        };
    }

    private static int category(DType t) {
        return t.isFloating() ? 2 : t.isInteger() ? 1 : 0;
    }

    /** The dtype a Java scalar of this dtype stands for: the default of its category. */
    static DType scalarDefault(DType t) {
        return t.isFloating() ? DType.FLOAT32 : t.isInteger() ? DType.INT64 : DType.BOOL;
    }

    /** The result dtype of an op on these operands (torch.result_type); dtypes[i] has kinds[i]. */
    public static DType resultType(DType[] dtypes, Kind[] kinds) {
        DType dim = null, zero = null, scalar = null;
        for (int i = 0; i < dtypes.length; i++) {
            switch (kinds[i]) {
                case TENSOR -> dim = promoteTypes(dim, dtypes[i]);
                case ZERO_DIM -> zero = promoteTypes(zero, dtypes[i]);
                case SCALAR -> scalar = promoteTypes(scalar, scalarDefault(dtypes[i]));
            }
        }
        return combine(dim, combine(zero, scalar));
    }

    /** Two tensors (their rank picks the kind). */
    public static DType resultType(Tensor x, Tensor y) {
        if (x.dtype() == y.dtype()) return x.dtype(); // the common case, without allocating
        return resultType(new DType[]{x.dtype(), y.dtype()}, new Kind[]{kind(x), kind(y)});
    }

    /** A tensor and a Java scalar whose category is given by {@code scalar} (FLOAT64/FLOAT32, INT64/INT32 or BOOL). */
    public static DType resultType(Tensor x, DType scalar) {
        return resultType(new DType[]{x.dtype(), scalar}, new Kind[]{kind(x), Kind.SCALAR});
    }

    static Kind kind(Tensor t) {
        return t.dim() == 0 ? Kind.ZERO_DIM : Kind.TENSOR;
    }

    /** The higher-priority result wins unless the lower one is of a higher category. */
    private static DType combine(DType higher, DType lower) {
        if (higher == null) return lower;
        if (lower == null) return higher;
        return category(lower) > category(higher) ? promoteTypes(higher, lower) : higher;
    }
}
