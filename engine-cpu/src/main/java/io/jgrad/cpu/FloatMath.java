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

    /** Taylor coefficients of erf about 0: erf(x) = x * sum c[k] x^(2k), c[k] = 2/sqrt(pi) (-1)^k / (k! (2k + 1)). */
    private static final double[] ERF_TAYLOR = new double[11];

    static {
        double factorial = 1;
        for (int k = 0; k < ERF_TAYLOR.length; k++) {
            if (k > 0) factorial *= k;
            ERF_TAYLOR[k] = (k % 2 == 0 ? 1 : -1) * io.jgrad.spi.ScalarMath.TWO_OVER_SQRT_PI / (factorial * (2 * k + 1));
        }
    }

    /**
     * erf to float32 accuracy: below |x| = 0.75 its Taylor polynomial (the first dropped term is under 1e-10
     * relative), above 1 - erfc with the erfc fit (its error, 1.2e-7 of erfc(0.75) = 0.29, is under 5e-8 of erf).
     */
    static float erf(float xf) {
        double x = xf;
        double ax = Math.abs(x);
        if (ax < 0.75) {
            double x2 = x * x;
            double p = ERF_TAYLOR[ERF_TAYLOR.length - 1];
            for (int k = ERF_TAYLOR.length - 2; k >= 0; k--) p = p * x2 + ERF_TAYLOR[k];
            return (float) (x * p);
        }
        if (ax > 4.0) return Math.copySign(1.0f, xf); // 1 - erf(4) = 1.5e-8 rounds to 1f; NaN fails both tests above
        return (float) Math.copySign(1.0 - erfcNonNegative(ax), x);
    }

    private static final double GELU_TANH_BETA = 0.7978845608028654;
    private static final double GELU_TANH_KAPPA = 0.044715;

    /**
     * GELU's tanh approximation with one exp: 1 + tanh(u) = 2 sigmoid(2u), so x/2 (1 + tanh(u)) = x / (1 + e^-2u),
     * which does not cancel for negative x.
     */
    static float geluTanh(float xf) {
        double x = xf;
        double u = GELU_TANH_BETA * (x + GELU_TANH_KAPPA * (x * x * x));
        return (float) (x / (1.0 + Math.exp(-2.0 * u)));
    }

    /** Its derivative with s = sigmoid(2u): 1 + tanh(u) = 2s and 1 - tanh(u)^2 = 4s(1 - s). */
    static float geluTanhGrad(float xf) {
        double x = xf;
        double x2 = x * x;
        double u = GELU_TANH_BETA * (x + GELU_TANH_KAPPA * (x2 * x));
        double s = 1.0 / (1.0 + Math.exp(-2.0 * u));
        return (float) (s + 2.0 * x * s * (1.0 - s) * (GELU_TANH_BETA * (1.0 + 3.0 * GELU_TANH_KAPPA * x2)));
    }

    /**
     * e^x - 1 to far better than float32 accuracy through the exp intrinsic (Math.expm1 is not one): below |x| =
     * 1e-5 the series x + x^2/2 (next term under 2e-11 relative), above it exp(x) - 1, whose rounding error of 1e-16
     * is under 1e-11 of the result there.
     */
    static double expm1(double x) {
        return Math.abs(x) < 1e-5 ? x * (1.0 + 0.5 * x) : Math.exp(x) - 1.0;
    }

    /**
     * log(1 + e) for e &gt;= 0 through the log intrinsic: below 1e-4 the series e - e^2/2 (next term under 4e-9
     * relative), above it log(1 + e), where rounding 1 + e costs at most 1e-12 of the result.
     */
    static double log1pOfPositive(double e) {
        return e < 1e-4 ? e * (1.0 - 0.5 * e) : Math.log(1.0 + e);
    }

    /** softplus with beta a and threshold b, as the declaration (x where a x &gt; b), in double. */
    static float softplus(float xf, double a, double b) {
        double x = xf;
        return (float) (x * a > b ? x : log1pOfPositive(Math.exp(a * x)) / a);
    }

    /**
     * x tanh(log(1 + e^x)) = x n / (n + 2) with n = e^x (e^x + 2), since tanh(log y) = (y^2 - 1) / (y^2 + 1): one exp,
     * no cancellation. Above x = 20, tanh(softplus(x)) is 1 within 1e-17 and n would overflow further on.
     */
    static float mish(float xf) {
        double x = xf;
        if (x > 20.0) return xf;
        double e = Math.exp(x);
        double n = e * (e + 2.0);
        return (float) (x * n / (n + 2.0));
    }
}
