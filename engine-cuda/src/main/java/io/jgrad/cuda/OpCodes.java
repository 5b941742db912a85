package io.jgrad.cuda;

import io.jgrad.DType;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.UnaryOp;

/**
 * The numbers the kernels switch on. They are written out rather than taken from ordinal(), so that reordering an
 * SPI enum cannot silently change what a kernel computes; KernelSourcesTest compares them with the .cu sources.
 */
final class OpCodes {
    private OpCodes() {
    }

    /** U_IDENTITY: biasActivation without an activation. */
    static final int UNARY_IDENTITY = 99;

    static int dtype(DType t) {
        switch (t) {
            case FLOAT32: return 0;
            case FLOAT64: return 1;
            case INT64: return 2;
            case INT32: return 3;
            case BOOL: return 4;
            default: throw new IllegalArgumentException("no CUDA dtype code for " + t);
        }
    }

    /** The UnaryCode numbers of common.cuh. */
    static int unary(UnaryOp op) {
        switch (op) {
            case NEG: return 0;
            case EXP: return 1;
            case LOG: return 2;
            case SQRT: return 3;
            case RSQRT: return 4;
            case TANH: return 5;
            case SIGMOID: return 6;
            case RELU: return 7;
            case GELU: return 8;
            case GELU_GRAD: return 9;
            case ABS: return 10;
            case SIGN: return 11;
            case RECIPROCAL: return 12;
            case SQUARE: return 13;
            case SIN: return 14;
            case COS: return 15;
            case STEP: return 16;
            case POW: return 17;
            case CLAMP: return 18;
            case AFFINE: return 19;
            case RDIV: return 20;
            case LEAKY_RELU: return 21;
            default: throw new IllegalArgumentException("unary " + op + " has no CUDA kernel");
        }
    }

    /** The BinaryCode numbers of elementwise.cu. */
    static int binary(BinaryOp op) {
        switch (op) {
            case ADD: return 0;
            case SUB: return 1;
            case MUL: return 2;
            case DIV: return 3;
            case POW: return 4;
            case MAX: return 5;
            case MIN: return 6;
            case EQ: return 7;
            case NE: return 8;
            case LT: return 9;
            case LE: return 10;
            case GT: return 11;
            case GE: return 12;
            case FLOOR_DIVIDE: return 13;
            case REMAINDER: return 14;
            case LOGICAL_AND: return 15;
            case LOGICAL_OR: return 16;
            default: throw new IllegalArgumentException("binary " + op + " has no CUDA kernel");
        }
    }

    /** The ReduceCode numbers of reduce.cu. */
    static int reduce(ReduceOp op) {
        switch (op) {
            case SUM: return 0;
            case MAX: return 1;
            case MIN: return 2;
            case ARGMAX: return 3;
            case ARGMIN: return 4;
            default: throw new IllegalArgumentException("reduce " + op + " has no CUDA kernel");
        }
    }
}
