package io.jgrad.spi;

/**
 * Element-wise binary kernels on operands already broadcast to the output's shape. Comparisons write 1 or 0 in the
 * output's dtype, which may differ from the operands'. The math is written down in {@link ScalarMath#binary}.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, EQ, NE, LT, LE, GT, GE;

    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}
