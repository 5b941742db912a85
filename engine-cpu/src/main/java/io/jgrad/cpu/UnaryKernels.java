package io.jgrad.cpu;

import io.jgrad.spi.ScalarMath;
import io.jgrad.spi.UnaryOp;

/**
 * Element-wise unary loops over contiguous runs: the CPU kernel body of each op declared in {@link UnaryOp}. float64
 * evaluates the declaration's reference math; float32 rounds the float64 result once, except where {@link FloatMath}
 * gives a faster formula of float32 accuracy (tanh, GELU and its gradient, erf, expm1 and the activations built on
 * exp) or, when the JVM has the Vector API,
 * {@link FloatSimd} a vectorised one (exp, sigmoid, GELU and its derivative, ReLU). The switch runs once per run, not per element.
 */
final class UnaryKernels {
    private UnaryKernels() {
    }

    /** Relative per-element cost, used only to decide when to split work across threads. */
    static int cost(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SQUARE, RELU, STEP, CLAMP, AFFINE, LEAKY_RELU, SIGN, HARDTANH, FLOOR, CEIL, ROUND, TRUNC -> 1;
            case RECIPROCAL, RDIV, SQRT, RSQRT, HARDSIGMOID, HARDSWISH -> 2;
            case POW, MISH, ERF, TAN, ASIN, ACOS, ATAN, SINH, COSH -> 32;
            case EXP, LOG, LOG1P, TANH, SIGMOID, SIN, COS, EXPM1, SOFTPLUS, SILU, ELU, SELU, GELU_TANH, GELU_TANH_GRAD -> 16; // ~20x an add
            case GELU, GELU_GRAD -> 16; // one vector pass of ~32 operations per 8 floats, about 1 ns per float
        };
    }

    /**
     * float32: one loop per op. The switch is exhaustive, so a newly declared op does not compile until it has a
     * case here; an op with no faster float32 formula takes {@link #rounded}, its float64 reference rounded once.
     */
    static void floats(UnaryOp op, float[] o, int oo, float[] x, int xo, int n, double a, double b) {
        if (oo == xo && aligned(op, o, x, oo, n, a, b)) return;
        FloatSimd simd = FloatSimd.INSTANCE;
        // a switch expression, so that it must cover every op; each case returns the count it wrote (all of them)
        int written = switch (op) {
            case NEG -> {
                for (int i = 0; i < n; i++) o[oo + i] = -x[xo + i];
                yield n;
            }
            case EXP -> {
                yield simd.exp(o, oo, x, xo, n);
            }
            case LOG -> {
                for (int i = 0; i < n; i++) o[oo + i] = (float) Math.log(x[xo + i]);
                yield n;
            }
            case SQRT -> {
                for (int i = 0; i < n; i++) o[oo + i] = (float) Math.sqrt(x[xo + i]);
                yield n;
            }
            case RSQRT -> {
                for (int i = 0; i < n; i++) o[oo + i] = (float) (1.0 / Math.sqrt(x[xo + i]));
                yield n;
            }
            case TANH -> {
                for (int i = 0; i < n; i++) o[oo + i] = FloatMath.tanh(x[xo + i]);
                yield n;
            }
            case SIGMOID -> {
                yield simd.sigmoid(o, oo, x, xo, n);
            }
            case RELU -> {
                yield simd.relu(o, oo, x, xo, n);
            }
            case GELU -> {
                yield simd.gelu(o, oo, x, xo, n);
            }
            case GELU_GRAD -> {
                yield simd.geluGrad(o, oo, x, xo, n);
            }
            case ABS -> {
                for (int i = 0; i < n; i++) o[oo + i] = Math.abs(x[xo + i]);
                yield n;
            }
            case RECIPROCAL -> {
                for (int i = 0; i < n; i++) o[oo + i] = 1f / x[xo + i];
                yield n;
            }
            case SQUARE -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xo + i];
                    o[oo + i] = v * v;
                }
                yield n;
            }
            case STEP -> {
                // SIMD, or branchy scalar: ReLU's inputs are positive or not at random, so a branch mispredicts half the time
                int done = !BinaryKernels.separate(o, oo, x, xo, n) ? 0 : simd.step(o, oo, x, xo, n);
                for (int i = done; i < n; i++) o[oo + i] = x[xo + i] > 0 ? 1f : 0f;
                yield n;
            }
            case CLAMP -> {
                // rounding is monotonic, so clamping to the rounded bounds equals rounding the float64 clamp
                float lo = (float) a;
                float hi = (float) b;
                for (int i = 0; i < n; i++) o[oo + i] = Math.min(Math.max(x[xo + i], lo), hi);
                yield n;
            }
            case AFFINE -> {
                // in double, so that a*x + b is rounded once, as the float64 reference
                for (int i = 0; i < n; i++) o[oo + i] = (float) (a * x[xo + i] + b);
                yield n;
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xo + i];
                    o[oo + i] = v > 0 ? v : (float) (a * v);
                }
                yield n;
            }
            case HARDTANH -> {
                // as CLAMP: clamping to the rounded bounds equals rounding the float64 result
                float lo = (float) a;
                float hi = (float) b;
                for (int i = 0; i < n; i++) o[oo + i] = Math.min(Math.max(x[xo + i], lo), hi);
                yield n;
            }
            case FLOOR -> {
                for (int i = 0; i < n; i++) o[oo + i] = (float) Math.floor(x[xo + i]);
                yield n;
            }
            case CEIL -> {
                for (int i = 0; i < n; i++) o[oo + i] = (float) Math.ceil(x[xo + i]);
                yield n;
            }
            case ROUND -> {
                for (int i = 0; i < n; i++) o[oo + i] = (float) Math.rint(x[xo + i]);
                yield n;
            }
            case TRUNC -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xo + i];
                    o[oo + i] = (float) (v < 0 ? Math.ceil(v) : Math.floor(v));
                }
                yield n;
            }
            case HARDSIGMOID -> {
                // the declaration's double arithmetic, rounded once to float
                for (int i = 0; i < n; i++) o[oo + i] = (float) (Math.min(Math.max(x[xo + i] + 3.0, 0.0), 6.0) / 6.0);
                yield n;
            }
            case HARDSWISH -> {
                for (int i = 0; i < n; i++) {
                    double v = x[xo + i];
                    o[oo + i] = (float) (v * Math.min(Math.max(v + 3.0, 0.0), 6.0) / 6.0);
                }
                yield n;
            }
            case SILU -> {
                // Math.exp is an intrinsic; x / (1 + e^-x) in double is the declaration, rounded once
                for (int i = 0; i < n; i++) {
                    double v = x[xo + i];
                    o[oo + i] = (float) (v / (1.0 + Math.exp(-v)));
                }
                yield n;
            }
            case GELU_TANH -> {
                for (int i = 0; i < n; i++) o[oo + i] = FloatMath.geluTanh(x[xo + i]);
                yield n;
            }
            case GELU_TANH_GRAD -> {
                for (int i = 0; i < n; i++) o[oo + i] = FloatMath.geluTanhGrad(x[xo + i]);
                yield n;
            }
            case ERF -> {
                for (int i = 0; i < n; i++) o[oo + i] = FloatMath.erf(x[xo + i]);
                yield n;
            }
            // the exponential family through the exp and log intrinsics (FloatMath): Math.expm1, log1p and tanh are not
            case EXPM1 -> {
                for (int i = 0; i < n; i++) o[oo + i] = (float) FloatMath.expm1(x[xo + i]);
                yield n;
            }
            case ELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xo + i];
                    o[oo + i] = v > 0 ? v : (float) (a * FloatMath.expm1(v));
                }
                yield n;
            }
            case SELU -> {
                double negative = ScalarMath.SELU_ALPHA * ScalarMath.SELU_SCALE;
                for (int i = 0; i < n; i++) {
                    double v = x[xo + i];
                    o[oo + i] = (float) (v > 0 ? v * ScalarMath.SELU_SCALE : FloatMath.expm1(v) * negative);
                }
                yield n;
            }
            case SOFTPLUS -> {
                for (int i = 0; i < n; i++) o[oo + i] = FloatMath.softplus(x[xo + i], a, b);
                yield n;
            }
            case MISH -> {
                for (int i = 0; i < n; i++) o[oo + i] = FloatMath.mish(x[xo + i]);
                yield n;
            }
            case SIGN, SIN, COS, POW, RDIV, LOG1P, TAN, ASIN, ACOS, ATAN, SINH, COSH -> rounded(op, o, oo, x, xo, n, a, b);
        };
        assert written == n;
    }

    /** o = the op's float64 reference math (its declaration), rounded once to float32. */
    private static int rounded(UnaryOp op, float[] o, int oo, float[] x, int xo, int n, double a, double b) {
        for (int i = 0; i < n; i++) o[oo + i] = (float) op.apply(x[xo + i], a, b);
        return n;
    }

    /**
     * float64 is the op's declared reference math itself, one source for every op; only the cheapest ops, which C2
     * vectorises when input and output start at the same offset, have loops of their own ({@link #aligned}).
     */
    static void doubles(UnaryOp op, double[] o, int oo, double[] x, int xo, int n, double a, double b) {
        if (oo == xo && aligned(op, o, x, oo, n, a, b)) return;
        for (int i = 0; i < n; i++) o[oo + i] = op.apply(x[xo + i], a, b);
    }

    /**
     * The cheapest ops again for an output that starts where its input does (in place, or fresh buffers): one index
     * expression for both arrays lets C2's SuperWord emit SIMD code. Returns false for ops it does not cover.
     * RELU as x &lt; 0 ? 0 : x is the declaration exactly: it keeps NaN and -0.
     */
    private static boolean aligned(UnaryOp op, float[] o, float[] x, int off, int n, double a, double b) {
        int end = off + n;
        switch (op) {
            case NEG -> {
                for (int i = off; i < end; i++) o[i] = -x[i];
                return true;
            }
            case ABS -> {
                for (int i = off; i < end; i++) o[i] = Math.abs(x[i]);
                return true;
            }
            case RELU -> {
                return false; // FloatSimd.relu, in floats()
            }
            case SQUARE -> {
                for (int i = off; i < end; i++) o[i] = x[i] * x[i];
                return true;
            }
            case AFFINE -> {
                // a float product or sum of floats is correctly rounded, so when the constant is a float this equals
                // rounding the float64 a*x + b once; other constants take the double path
                float fa = (float) a, fb = (float) b;
                if (b == 0 && fa == a) {
                    for (int i = off; i < end; i++) o[i] = fa * x[i] + 0f; // + 0 as in a*x + b: -0 becomes +0
                    return true;
                }
                if (a == 1 && fb == b) {
                    for (int i = off; i < end; i++) o[i] = x[i] + fb;
                    return true;
                }
                return false;
            }
            default -> {
                return false; // the other ops have no aligned fast path
            }
        }
    }

    private static boolean aligned(UnaryOp op, double[] o, double[] x, int off, int n, double a, double b) {
        int end = off + n;
        switch (op) {
            case NEG -> {
                for (int i = off; i < end; i++) o[i] = -x[i];
                return true;
            }
            case ABS -> {
                for (int i = off; i < end; i++) o[i] = Math.abs(x[i]);
                return true;
            }
            case RELU -> {
                for (int i = off; i < end; i++) o[i] = x[i] < 0 ? 0.0 : x[i];
                return true;
            }
            case SQUARE -> {
                for (int i = off; i < end; i++) o[i] = x[i] * x[i];
                return true;
            }
            case AFFINE -> {
                for (int i = off; i < end; i++) o[i] = a * x[i] + b;
                return true;
            }
            default -> {
                return false; // the other ops have no aligned fast path
            }
        }
    }
}
