package io.jgrad.cpu;

import io.jgrad.spi.ScalarMath;
import io.jgrad.spi.UnaryOp;

/**
 * Element-wise unary loops over contiguous runs, one loop per op so that the switch runs once per run, not per
 * element. float64 follows {@link ScalarMath} exactly; float32 rounds the float64 result once, except where
 * {@link FloatMath} gives a faster formula of float32 accuracy (tanh, GELU and its gradient) or, when the JVM has the
 * Vector API, {@link FloatSimd} a vectorised one (exp, sigmoid, GELU, ReLU).
 */
final class UnaryKernels {
    private UnaryKernels() {
    }

    /** Relative per-element cost, used only to decide when to split work across threads. */
    static int cost(UnaryOp op) {
        switch (op) {
            case NEG: case ABS: case SQUARE: case RELU: case STEP: case CLAMP: case AFFINE: case LEAKY_RELU:
            case SIGN:
                return 1;
            case RECIPROCAL: case RDIV: case SQRT: case RSQRT:
                return 2;
            case GELU: case GELU_GRAD: case POW:
                return 32;
            default:
                return 16; // exp, log, tanh, sin, ...: ~20x an add
        }
    }

    static void floats(UnaryOp op, float[] o, int oo, float[] x, int xo, int n, double a, double b) {
        if (oo == xo && aligned(op, o, x, oo, n, a, b)) return;
        switch (op) {
            case NEG: for (int i = 0; i < n; i++) o[oo + i] = -x[xo + i]; break;
            case EXP: {
                int done = FloatSimd.INSTANCE == null ? 0 : FloatSimd.INSTANCE.exp(o, oo, x, xo, n);
                for (int i = done; i < n; i++) o[oo + i] = (float) Math.exp(x[xo + i]);
                break;
            }
            case LOG: for (int i = 0; i < n; i++) o[oo + i] = (float) Math.log(x[xo + i]); break;
            case SQRT: for (int i = 0; i < n; i++) o[oo + i] = (float) Math.sqrt(x[xo + i]); break;
            case RSQRT: for (int i = 0; i < n; i++) o[oo + i] = (float) (1.0 / Math.sqrt(x[xo + i])); break;
            case TANH: for (int i = 0; i < n; i++) o[oo + i] = FloatMath.tanh(x[xo + i]); break;
            case SIGMOID: {
                int done = FloatSimd.INSTANCE == null ? 0 : FloatSimd.INSTANCE.sigmoid(o, oo, x, xo, n);
                for (int i = done; i < n; i++) o[oo + i] = FloatMath.sigmoid(x[xo + i]);
                break;
            }
            case RELU: {
                int done = FloatSimd.INSTANCE == null ? 0 : FloatSimd.INSTANCE.relu(o, oo, x, xo, n);
                for (int i = done; i < n; i++) o[oo + i] = Math.max(x[xo + i], 0f);
                break;
            }
            case GELU: {
                int done = FloatSimd.INSTANCE == null ? 0 : FloatSimd.INSTANCE.gelu(o, oo, x, xo, n);
                for (int i = done; i < n; i++) o[oo + i] = FloatMath.gelu(x[xo + i]);
                break;
            }
            case GELU_GRAD: for (int i = 0; i < n; i++) o[oo + i] = FloatMath.geluGrad(x[xo + i]); break;
            case ABS: for (int i = 0; i < n; i++) o[oo + i] = Math.abs(x[xo + i]); break;
            case SIGN: for (int i = 0; i < n; i++) o[oo + i] = Math.signum(x[xo + i]); break;
            case RECIPROCAL: for (int i = 0; i < n; i++) o[oo + i] = 1f / x[xo + i]; break;
            case SQUARE:
                for (int i = 0; i < n; i++) {
                    float v = x[xo + i];
                    o[oo + i] = v * v;
                }
                break;
            case SIN: for (int i = 0; i < n; i++) o[oo + i] = (float) Math.sin(x[xo + i]); break;
            case COS: for (int i = 0; i < n; i++) o[oo + i] = (float) Math.cos(x[xo + i]); break;
            case STEP: {
                // SIMD, or branchy scalar: ReLU's inputs are positive or not at random, so a branch mispredicts half the time
                int done = FloatSimd.INSTANCE == null || !BinaryKernels.separate(o, oo, x, xo, n) ? 0 : FloatSimd.INSTANCE.step(o, oo, x, xo, n);
                for (int i = done; i < n; i++) o[oo + i] = x[xo + i] > 0 ? 1f : 0f;
                break;
            }
            case POW: for (int i = 0; i < n; i++) o[oo + i] = (float) Math.pow(x[xo + i], a); break;
            case CLAMP: {
                // rounding is monotonic, so clamping to the rounded bounds equals rounding the float64 clamp
                float lo = (float) a;
                float hi = (float) b;
                for (int i = 0; i < n; i++) o[oo + i] = Math.min(Math.max(x[xo + i], lo), hi);
                break;
            }
            case AFFINE:
                // in double, so that a*x + b is rounded once, as the float64 reference
                for (int i = 0; i < n; i++) o[oo + i] = (float) (a * x[xo + i] + b);
                break;
            case RDIV: for (int i = 0; i < n; i++) o[oo + i] = (float) (a / x[xo + i]); break;
            case LEAKY_RELU:
                for (int i = 0; i < n; i++) {
                    float v = x[xo + i];
                    o[oo + i] = v > 0 ? v : (float) (a * v);
                }
                break;
            default: throw new IllegalArgumentException("cpu unary: unknown op " + op);
        }
    }

    static void doubles(UnaryOp op, double[] o, int oo, double[] x, int xo, int n, double a, double b) {
        if (oo == xo && aligned(op, o, x, oo, n, a, b)) return;
        switch (op) {
            case NEG: for (int i = 0; i < n; i++) o[oo + i] = -x[xo + i]; break;
            case EXP: for (int i = 0; i < n; i++) o[oo + i] = Math.exp(x[xo + i]); break;
            case LOG: for (int i = 0; i < n; i++) o[oo + i] = Math.log(x[xo + i]); break;
            case SQRT: for (int i = 0; i < n; i++) o[oo + i] = Math.sqrt(x[xo + i]); break;
            case RSQRT: for (int i = 0; i < n; i++) o[oo + i] = 1.0 / Math.sqrt(x[xo + i]); break;
            case TANH: for (int i = 0; i < n; i++) o[oo + i] = Math.tanh(x[xo + i]); break;
            case SIGMOID: for (int i = 0; i < n; i++) o[oo + i] = ScalarMath.sigmoid(x[xo + i]); break;
            case RELU: for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], 0.0); break;
            case GELU: for (int i = 0; i < n; i++) o[oo + i] = ScalarMath.gelu(x[xo + i]); break;
            case GELU_GRAD: for (int i = 0; i < n; i++) o[oo + i] = ScalarMath.geluGrad(x[xo + i]); break;
            case ABS: for (int i = 0; i < n; i++) o[oo + i] = Math.abs(x[xo + i]); break;
            case SIGN: for (int i = 0; i < n; i++) o[oo + i] = Math.signum(x[xo + i]); break;
            case RECIPROCAL: for (int i = 0; i < n; i++) o[oo + i] = 1.0 / x[xo + i]; break;
            case SQUARE:
                for (int i = 0; i < n; i++) {
                    double v = x[xo + i];
                    o[oo + i] = v * v;
                }
                break;
            case SIN: for (int i = 0; i < n; i++) o[oo + i] = Math.sin(x[xo + i]); break;
            case COS: for (int i = 0; i < n; i++) o[oo + i] = Math.cos(x[xo + i]); break;
            case STEP: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] > 0 ? 1.0 : 0.0; break;
            case POW: for (int i = 0; i < n; i++) o[oo + i] = Math.pow(x[xo + i], a); break;
            case CLAMP: for (int i = 0; i < n; i++) o[oo + i] = Math.min(Math.max(x[xo + i], a), b); break;
            case AFFINE: for (int i = 0; i < n; i++) o[oo + i] = a * x[xo + i] + b; break;
            case RDIV: for (int i = 0; i < n; i++) o[oo + i] = a / x[xo + i]; break;
            case LEAKY_RELU:
                for (int i = 0; i < n; i++) {
                    double v = x[xo + i];
                    o[oo + i] = v > 0 ? v : a * v;
                }
                break;
            default: throw new IllegalArgumentException("cpu unary: unknown op " + op);
        }
    }

    /**
     * The cheapest ops again for an output that starts where its input does (in place, or fresh buffers): one index
     * expression for both arrays lets C2's SuperWord emit SIMD code. Returns false for ops it does not cover.
     * RELU as max(x, 0) is ScalarMath's definition exactly: it keeps NaN and maps -0 to +0.
     */
    private static boolean aligned(UnaryOp op, float[] o, float[] x, int off, int n, double a, double b) {
        int end = off + n;
        switch (op) {
            case NEG: for (int i = off; i < end; i++) o[i] = -x[i]; return true;
            case ABS: for (int i = off; i < end; i++) o[i] = Math.abs(x[i]); return true;
            case RELU:
                if (FloatSimd.INSTANCE != null) return false; // the loop in floats() has the Vector API path
                for (int i = off; i < end; i++) o[i] = Math.max(x[i], 0f);
                return true;
            case SQUARE: for (int i = off; i < end; i++) o[i] = x[i] * x[i]; return true;
            case AFFINE: {
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
            default: return false;
        }
    }

    private static boolean aligned(UnaryOp op, double[] o, double[] x, int off, int n, double a, double b) {
        int end = off + n;
        switch (op) {
            case NEG: for (int i = off; i < end; i++) o[i] = -x[i]; return true;
            case ABS: for (int i = off; i < end; i++) o[i] = Math.abs(x[i]); return true;
            case RELU: for (int i = off; i < end; i++) o[i] = Math.max(x[i], 0.0); return true;
            case SQUARE: for (int i = off; i < end; i++) o[i] = x[i] * x[i]; return true;
            case AFFINE: for (int i = off; i < end; i++) o[i] = a * x[i] + b; return true;
            default: return false;
        }
    }
}
