package io.jgrad.spi;

import io.jgrad.DType;

/**
 * Element-wise binary kernels on operands already broadcast to the output's shape; x and y share one dtype.
 * Comparisons and logical ops write 1 or 0 in the output's dtype (bool at the API), the others write the operands'
 * dtype. The math is written down in
 * {@link ScalarMath#binary} (floating) and {@link ScalarMath#binaryLong} (integer).
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, EQ, NE, LT, LE, GT, GE,
    /** floor(x / y) (torch.floor_divide); integer division by zero throws on the CPU. */
    FLOOR_DIVIDE,
    /** x - floor(x / y) * y, with the sign of y (Python's %, torch.remainder). */
    REMAINDER,
    /** x and y, each non-zero (NaN included) counting as true. */
    LOGICAL_AND,
    /** x or y, each non-zero counting as true. */
    LOGICAL_OR;

    public boolean isComparison() {
        return switch (this) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /** logical and / or. */
    public boolean isLogical() {
        return this == LOGICAL_AND || this == LOGICAL_OR;
    }

    /** Whether the output holds truth values (bool at the API) whatever the operands' dtype. */
    public boolean writesBool() {
        return isComparison() || isLogical();
    }

    /**
     * Whether a kernel takes operands of this dtype. Comparisons and logical ops take every dtype (a logical op reads
     * non-zero, NaN included, as true); floating dtypes take everything; integers all but DIV and POW (true division
     * promotes them to float32 first); bool also ADD and MAX (or), MUL and MIN (and).
     */
    public boolean supports(DType t) {
        if (writesBool() || t.isFloating()) return true;
        if (t.isInteger()) return this != DIV && this != POW;
        return this == ADD || this == MUL || this == MAX || this == MIN;
    }
}
