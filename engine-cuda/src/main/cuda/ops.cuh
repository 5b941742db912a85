// GENERATED from io.jgrad.spi.UnaryOp, BinaryOp and ReduceOp by io.jgrad.cuda.OpHeader: do not edit.
// Regenerate with OpHeaderTest and -Djgrad.cuda.writeOpHeader=true (see docs/DESIGN.md), then build-ptx.sh.
#pragma once

// Unary op codes (UnaryOp ordinals); U_IDENTITY is biasActivation without an activation.
enum UnaryCode {
    U_NEG = 0,
    U_EXP = 1,
    U_LOG = 2,
    U_SQRT = 3,
    U_RSQRT = 4,
    U_TANH = 5,
    U_SIGMOID = 6,
    U_RELU = 7,
    U_GELU = 8,
    U_GELU_GRAD = 9,
    U_ABS = 10,
    U_SIGN = 11,
    U_RECIPROCAL = 12,
    U_SQUARE = 13,
    U_SIN = 14,
    U_COS = 15,
    U_STEP = 16,
    U_POW = 17,
    U_CLAMP = 18,
    U_AFFINE = 19,
    U_RDIV = 20,
    U_LEAKY_RELU = 21,
    U_LOG1P = 22,
    U_IDENTITY = 99,
};

// Binary op codes (BinaryOp ordinals).
enum BinaryCode {
    B_ADD = 0,
    B_SUB = 1,
    B_MUL = 2,
    B_DIV = 3,
    B_POW = 4,
    B_MAX = 5,
    B_MIN = 6,
    B_EQ = 7,
    B_NE = 8,
    B_LT = 9,
    B_LE = 10,
    B_GT = 11,
    B_GE = 12,
    B_FLOOR_DIVIDE = 13,
    B_REMAINDER = 14,
    B_LOGICAL_AND = 15,
    B_LOGICAL_OR = 16,
};

// Reduction codes (ReduceOp ordinals).
enum ReduceCode {
    R_SUM = 0,
    R_MAX = 1,
    R_MIN = 2,
    R_ARGMAX = 3,
    R_ARGMIN = 4,
};
