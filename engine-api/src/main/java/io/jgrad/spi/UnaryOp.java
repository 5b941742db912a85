package io.jgrad.spi;

/**
 * Element-wise unary kernels. Parameters a and b are used where the description names them; the exact math of each
 * op is written down once in {@link ScalarMath#unary}, which backends must match.
 */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, RSQRT, TANH, SIGMOID, RELU,
    /** Exact GELU, x * Phi(x), with the erf-based normal CDF (PyTorch's default). */
    GELU,
    /** d GELU(x) / dx. */
    GELU_GRAD,
    ABS, SIGN, RECIPROCAL, SQUARE, SIN, COS,
    /** 1 where x &gt; 0, else 0. */
    STEP,
    /** x raised to the constant power a. */
    POW,
    /** min(max(x, a), b). */
    CLAMP,
    /** a * x + b. */
    AFFINE,
    /** a / x. */
    RDIV,
    /** x where x &gt; 0, else a * x. */
    LEAKY_RELU
}
