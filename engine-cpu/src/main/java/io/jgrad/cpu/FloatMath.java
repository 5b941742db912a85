package io.jgrad.cpu;

/**
 * float32 versions of the functions whose float64 definitions in {@link io.jgrad.spi.ScalarMath} are too slow to
 * run per element. Each works in double and is accurate to a few float32 ulps; the tests check them against
 * ScalarMath.
 */
final class FloatMath {
    private FloatMath() {
    }

    private static final double INV_SQRT_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    /**
     * erfc(z) for z &gt;= 0 with relative error below 1.2e-7 everywhere: the Chebyshev-fitted form
     * t exp(-z^2 + P(t)), t = 1/(1 + z/2), published in Numerical Recipes (erfcc). Relative accuracy matters: GELU
     * of negative inputs is x times a tiny erfc.
     */
    static double erfcNonNegative(double z) {
        double t = 1.0 / (1.0 + 0.5 * z);
        double p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        return t * Math.exp(-z * z + p);
    }

    /** The standard normal CDF, relative error below 1.2e-7. */
    static double normalCdf(double x) {
        double e = erfcNonNegative(Math.abs(x) * INV_SQRT_2);
        return x >= 0 ? 1.0 - 0.5 * e : 0.5 * e;
    }

    static float gelu(float xf) {
        double x = xf;
        // x * Phi(x), written so that the small factor keeps its relative accuracy on each side
        double e = erfcNonNegative(Math.abs(x) * INV_SQRT_2);
        return (float) (x >= 0 ? x * (1.0 - 0.5 * e) : 0.5 * x * e);
    }

    static float geluGrad(float xf) {
        double x = xf;
        return (float) (normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x));
    }

    /**
     * tanh through the exp intrinsic (Math.tanh is not intrinsified and costs several times more). The series
     * x - x^3/3 covers |x| &lt; 1e-3, where 1 - 2/(e^2x + 1) would lose relative accuracy.
     */
    static float tanh(float xf) {
        double x = xf;
        double ax = Math.abs(x);
        if (ax < 1e-3) return (float) (x * (1.0 - x * x * (1.0 / 3.0)));
        if (ax > 10.0) return Math.copySign(1.0f, xf); // tanh(10) = 1 - 4e-9 rounds to 1f
        double e = Math.exp(2.0 * ax);
        return (float) Math.copySign(1.0 - 2.0 / (e + 1.0), x);
    }

    static float sigmoid(float xf) {
        double x = xf;
        if (x >= 0) return (float) (1.0 / (1.0 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }
}
