package io.jgrad.cuda;

import java.util.Arrays;

/**
 * The element-wise iteration that a kernel's {@code Layout} struct describes: a shape and the strides of each
 * operand, simplified so kernels do as little index arithmetic as possible. Size-1 axes are dropped, and an axis is
 * merged into the one inside it when that holds for every operand, so dense and broadcast-scalar operands become
 * rank 1 (no division per element). Axes are stored innermost first, as the kernels read them.
 */
final class IterationSpace {
    static final int MAX_RANK = 8;
    static final int MAX_OPERANDS = 4;

    final long n;
    final int rank;
    final int[] shape;
    final long[][] strides;

    private IterationSpace(long n, int rank, int[] shape, long[][] strides) {
        this.n = n;
        this.rank = rank;
        this.shape = shape;
        this.strides = strides;
    }

    /** The iteration over {@code shape} (row-major order) for operands with the given strides. */
    static IterationSpace of(String op, int[] shape, long[]... operandStrides) {
        int operands = operandStrides.length;
        int[] s = new int[shape.length];
        long[][] st = new long[operands][shape.length];
        int r = 0;
        long n = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            int size = shape[d];
            n *= size;
            if (size == 1) continue;
            if (r > 0 && canMerge(operandStrides, d, st, r - 1, s[r - 1], size)) {
                s[r - 1] *= size;
            } else {
                s[r] = size;
                for (int k = 0; k < operands; k++) st[k][r] = operandStrides[k][d];
                r++;
            }
        }
        if (r > MAX_RANK) {
            throw new IllegalArgumentException(op + ": the CUDA kernels handle at most " + MAX_RANK
                    + " non-mergeable axes, but shape " + Arrays.toString(shape) + " with these strides has " + r);
        }
        return new IterationSpace(n, r, s, st);
    }

    // Axis d encloses the kept axis j (size innerSize) exactly when every operand steps over all of j per step of d.
    private static boolean canMerge(long[][] operandStrides, int d, long[][] kept, int j, int innerSize, int size) {
        if ((long) innerSize * size > Integer.MAX_VALUE) return false;
        for (int k = 0; k < operandStrides.length; k++) {
            if (operandStrides[k][d] != kept[k][j] * innerSize) return false;
        }
        return true;
    }
}
