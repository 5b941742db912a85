package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.spi.ScalarMath;
import io.jgrad.spi.UnaryOp;
import org.junit.jupiter.api.Test;

class FloatMathTest {
    /** x, GELU(x), GELU'(x), computed with Python's math.erfc (accurate to the last bits) for x &lt; 0. */
    private static final double[][] GELU_TABLE = {
            {-12.0, -2.1317785344932424e-32, -2.5578956616748956e-31},
            {-9.0, -1.015729565358458e-18, -9.13893737390664e-18},
            {-7.0, -8.958687807200846e-12, -6.266323031466633e-11},
            {-5.5, -1.0444259356238256e-07, -5.733472398739924e-07},
            {-3.0, -0.004049694094890287, -0.011945647204183927},
            {-1.0, -0.15865525393145707, -0.08331547058768629},
            {-0.75, -0.16997051428265114, 0.0007742782607648713},
            {-0.5, -0.15426876936299344, 0.13250487534383712},
            {0.5, 0.34573123063700656, 0.8674951246561629},
            {2.0, 1.9544997361036416, 1.085231801078197},
            {4.0, 3.9998733150326675, 1.0005036496612265},
            {8.0, 7.999999999999995, 1.0000000000000397},
    };

    @Test
    void geluIsAccurateToAFewFloatUlpsEvenFarIntoTheNegativeTail() {
        for (double[] row : GELU_TABLE) {
            float x = (float) row[0];
            assertEquals(row[1], FloatMath.gelu(x), 2.5e-7 * Math.abs(row[1]), "gelu(" + x + ")");
            // the gradient cancels near -0.75 (0.2266 - 0.2258), so allow an absolute error of a few 1e-8 there
            assertEquals(row[2], FloatMath.geluGrad(x), 2.5e-7 * Math.abs(row[2]) + 5e-8, "geluGrad(" + x + ")");
        }
    }

    @Test
    void geluAgreesWithScalarMathWhereScalarMathIsAccurate() {
        // ScalarMath's 1 + erf(x) is exact enough for x > -4 (there the float64 value has > 1e-9 relative room)
        for (float x = -4f; x <= 8f; x += 0.001f) {
            double want = ScalarMath.gelu(x), wantGrad = ScalarMath.geluGrad(x);
            assertEquals(want, FloatMath.gelu(x), 2.5e-7 * Math.abs(want) + 1e-30, "gelu(" + x + ")");
            assertEquals(wantGrad, FloatMath.geluGrad(x), 2.5e-7 * Math.abs(wantGrad) + 5e-8, "geluGrad(" + x + ")");
        }
    }

    @Test
    void tanhAndSigmoidAreWithinAFloatUlpOfTheDoubleFunctions() {
        for (float x = -12f; x <= 12f; x += 0.0007f) {
            float t = FloatMath.tanh(x);
            double want = Math.tanh(x);
            assertTrue(Math.abs(t - want) <= Math.ulp((float) want), "tanh(" + x + ") = " + t + ", want " + want);
            float s = FloatMath.sigmoid(x);
            double ws = ScalarMath.sigmoid(x);
            assertTrue(Math.abs(s - ws) <= Math.ulp((float) ws), "sigmoid(" + x + ") = " + s + ", want " + ws);
        }
        for (float x : new float[]{1e-4f, -3e-5f, 1e-20f, 9.99e-4f, 1.001e-3f}) { // the series branch and its edge
            assertEquals(Math.tanh(x), FloatMath.tanh(x), Math.ulp(x), "tanh(" + x + ")");
        }
        assertEquals(1f, FloatMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, FloatMath.tanh(-50f));
        assertTrue(Float.isNaN(FloatMath.tanh(Float.NaN)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(FloatMath.tanh(-0f)), "tanh keeps the sign of zero");
    }

    /** Within ulps float32 ulps of the float64 reference rounded to float32 (equal for NaN and infinities). */
    private static void assertUlps(double want, float got, int ulps, String what) {
        float w = (float) want;
        if (Float.isNaN(w) || Float.isInfinite(w) || w == 0) {
            assertEquals(w, got, Float.MIN_NORMAL, what);
            return;
        }
        assertTrue(Math.abs(got - w) <= ulps * Math.ulp(w), what + " = " + got + ", want " + w);
    }

    @Test
    void theExpBasedActivationsMatchTheirDeclarationsToAFloatUlp() {
        // a dense sweep over both sides of every branch (series thresholds, softplus's threshold, mish's cut at 20)
        for (float x = -40f; x <= 40f; x += 0.00731f) {
            assertUlps(UnaryOp.EXPM1.apply(x, 0, 0), (float) FloatMath.expm1(x), 1, "expm1(" + x + ")");
            assertUlps(UnaryOp.SOFTPLUS.apply(x, 1, 20), FloatMath.softplus(x, 1, 20), 1, "softplus(" + x + ")");
            assertUlps(UnaryOp.SOFTPLUS.apply(x, 0.25, 3), FloatMath.softplus(x, 0.25, 3), 1, "softplus(" + x + ", 0.25, 3)");
            assertUlps(UnaryOp.MISH.apply(x, 0, 0), FloatMath.mish(x), 1, "mish(" + x + ")");
            assertUlps(UnaryOp.ERF.apply(x, 0, 0), FloatMath.erf(x), 2, "erf(" + x + ")");
            // the declaration's 1 + tanh(u) cancels for x << 0 (to ~1e-16 |x| absolute); FloatMath's 2 sigmoid(2u) does not
            double gt = UnaryOp.GELU_TANH.apply(x, 0, 0);
            assertEquals(gt, FloatMath.geluTanh(x), Math.ulp((float) gt) + 1e-15 * Math.abs(x), "geluTanh(" + x + ")");
            // its gradient is a difference of O(1) terms near x = -0.75, and the declaration's 1 - tanh(u)^2 cancels
            // as above, times a factor of order x^3: an absolute bound that grows with it
            double g = UnaryOp.GELU_TANH_GRAD.apply(x, 0, 0);
            assertEquals(g, FloatMath.geluTanhGrad(x), Math.ulp((float) g) + 1e-15 * (1 + Math.abs(x * x * x)), "geluTanhGrad(" + x + ")");
        }
        for (float x : new float[]{1e-30f, -1e-30f, 9.9e-6f, -1.01e-5f, 1e-3f, 0.7499f, 0.7501f, -0.75f, 3.99f, 4.01f, 0f, -0f}) {
            assertUlps(UnaryOp.EXPM1.apply(x, 0, 0), (float) FloatMath.expm1(x), 1, "expm1(" + x + ")");
            assertUlps(UnaryOp.ERF.apply(x, 0, 0), FloatMath.erf(x), 2, "erf(" + x + ")");
        }
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(FloatMath.erf(-0f)), "erf(-0) = -0");
        assertTrue(Float.isNaN(FloatMath.mish(Float.NEGATIVE_INFINITY)), "mish(-inf) is -inf * 0, NaN as PyTorch's");
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.mish(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.softplus(Float.POSITIVE_INFINITY, 1, Double.POSITIVE_INFINITY));
    }
}
