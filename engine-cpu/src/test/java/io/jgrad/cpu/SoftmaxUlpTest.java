package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Softmax's float32 kernels ({@link FloatSimd#maxForShift}, {@link FloatSimd#expShiftedSum}, {@link FloatSimd#scale}, as
 * {@code FusedKernels} composes them) against float64, for each implementation: the exponentials over a dense grid of
 * the arguments softmax gives them, [-104, 0] and a little above; the sums against the exact sum of the stored
 * exponentials; and whole rows against the float64 softmax of the same float32 arguments x - max (that subtraction is
 * rounded to float32 in every float32 softmax, PyTorch's too, and its error, up to |x - max| ulps of the result, is not
 * the kernel's). Errors count in float32 ulps of the value, and absolutely in ulps of Float.MIN_NORMAL below it.
 */
class SoftmaxUlpTest {
    static List<Named<FloatSimd>> implementations() {
        return FloatSimdTest.implementations();
    }

    private static double ulps(double want, double got) {
        return Math.abs(got - want) / Math.ulp((float) Math.max(Math.abs(want), Float.MIN_NORMAL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void theExponentialsAreWithinAnUlp(FloatSimd s) {
        int top = Float.floatToRawIntBits(104f), step = 1024;
        float[] x = new float[top / step + 1 + 1000];
        int n = 0;
        for (int b = top; b >= 0; b -= step) x[n++] = -Float.intBitsToFloat(b); // every 1024th float in [-104, 0]
        for (int i = 1; i <= 1000; i++) x[n++] = i * 0.001f; // rounding can leave x - max a little above 0
        float[] o = new float[n];
        s.expShiftedSum(x, 0, 0f, o, 0, n);
        double worst = 0;
        float at = 0;
        for (int i = 0; i < n; i++) {
            double e = ulps(Math.exp(x[i]), o[i]);
            if (e > worst) {
                worst = e;
                at = x[i];
            }
        }
        assertTrue(worst <= 1, "exp: " + worst + " ulps at " + at);
        float[] special = {Float.NEGATIVE_INFINITY, -200f, -104.5f, Float.NaN, 0f, -0f};
        float[] e = new float[special.length];
        double sum = s.expShiftedSum(special, 0, 0f, e, 0, special.length);
        assertEquals(0f, e[0], "exp(-inf)");
        assertEquals(0f, e[1], "exp(-200)");
        assertEquals(0f, e[2], "exp(-104.5)");
        assertTrue(Float.isNaN(e[3]), "exp(NaN)");
        assertEquals(1f, e[4], "exp(0)");
        assertEquals(1f, e[5], "exp(-0)");
        assertTrue(Double.isNaN(sum), "a NaN makes the sum NaN");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void theShiftIsTheMaximumOrWithANaNAValueOfTheRange(FloatSimd s) {
        float[] special = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, -Float.MAX_VALUE};
        Random rnd = new Random(17);
        for (int n : new int[]{1, 2, 7, 8, 9, 31, 32, 33, 40, 63, 64, 65, 1000, 1003}) {
            for (int off = 0; off < 3; off++) {
                float[] x = new float[off + n];
                for (int i = 0; i < x.length; i++) {
                    x[i] = rnd.nextInt(6) == 0 ? special[rnd.nextInt(special.length)] : (float) rnd.nextGaussian() * 100;
                }
                float want = s.max(x, off, n), got = s.maxForShift(x, off, n);
                assertTrue(want == got, "the shift of " + n + " at " + off + ": " + got + " for the maximum " + want);
                float[] zeros = new float[off + n]; // the largest are zeros: either one
                for (int i = 0; i < zeros.length; i++) zeros[i] = rnd.nextBoolean() ? 0f : -0f;
                assertEquals(0f, s.maxForShift(zeros, off, n), 0f, "the shift of zeros");
                x[off + rnd.nextInt(n)] = Float.NaN;
                float withNaN = s.maxForShift(x, off, n);
                boolean inRange = false;
                for (int i = off; i < off + n; i++) inRange |= Float.compare(x[i], withNaN) == 0;
                assertTrue(inRange, "with a NaN, the shift " + withNaN + " is a value of the range");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void sumsAndRowsAreWithinAFewUlps(FloatSimd s) {
        Random rnd = new Random(3);
        double worstRow = 0, worstSum = 0;
        String rowAt = "", sumAt = "";
        for (int w : new int[]{1, 7, 8, 9, 100, 257, 1000, 1001, 4099, 30000}) {
            for (double scale : new double[]{0.1, 1, 5, 30}) {
                float[] x = new float[w + 3], p = new float[w + 1];
                for (int i = 0; i < w; i++) x[3 + i] = (float) (rnd.nextGaussian() * scale);
                float max = s.maxForShift(x, 3, w);
                double sum = s.expShiftedSum(x, 3, max, p, 1, w);
                double exact = 0, ref = 0;
                for (int i = 0; i < w; i++) {
                    exact += p[1 + i];
                    ref += Math.exp(x[3 + i] - max);
                }
                double sumError = Math.abs(sum - exact) / exact / 0x1p-24;
                if (sumError > worstSum) {
                    worstSum = sumError;
                    sumAt = w + " wide, scale " + scale;
                }
                s.scale(p, 1, (float) (1.0 / sum), w); // as FusedKernels' softmax rows
                for (int i = 0; i < w; i++) {
                    double e = ulps(Math.exp(x[3 + i] - max) / ref, p[1 + i]);
                    if (e > worstRow) {
                        worstRow = e;
                        rowAt = w + " wide, scale " + scale + ", x - max = " + (x[3 + i] - max);
                    }
                }
            }
        }
        // measured: the scalar loops (float64 sums) 0 and 1.8; the vector loops and twins 2.1 and 3.1
        assertTrue(worstSum <= 3, "the sum: " + worstSum + " float32 ulps (relative) at " + sumAt);
        assertTrue(worstRow <= 4, "softmax: " + worstRow + " ulps at " + rowAt);
    }
}
