package io.jgrad.cuda;

import io.jgrad.DType;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.UnaryOp;

/**
 * The numbers the kernels switch on. Op codes are the SPI enums' ordinals, written into the generated ops.cuh by
 * {@link OpHeader}; OpHeaderTest fails when the committed header and the enums disagree, so reordering or adding an op
 * cannot silently change what a kernel computes. dtype codes are written out here and in common.cuh, and
 * KernelSourcesTest compares them.
 */
final class OpCodes {
    private OpCodes() {
    }

    /** U_IDENTITY: biasActivation without an activation. */
    static final int UNARY_IDENTITY = 99;

    static int dtype(DType t) {
        return switch (t) {
            case FLOAT32 -> 0;
            case FLOAT64 -> 1;
            case INT64 -> 2;
            case INT32 -> 3;
            case BOOL -> 4;
            case FLOAT16 -> 5;
            case BFLOAT16 -> 6;
        };
    }

    /** The UnaryCode numbers of the generated ops.cuh: the ordinal, which {@link OpHeader} wrote into the header. */
    static int unary(UnaryOp op) {
        return op.ordinal();
    }

    /** The BinaryCode numbers of the generated ops.cuh. */
    static int binary(BinaryOp op) {
        return op.ordinal();
    }

    /** The ReduceCode numbers of the generated ops.cuh. */
    static int reduce(ReduceOp op) {
        return op.ordinal();
    }
}
