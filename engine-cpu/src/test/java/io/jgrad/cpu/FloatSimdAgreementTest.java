package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.spi.BinaryOp;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ScalarFloatSimd} against {@link VectorFloatSimd}, method by method, on random inputs mixed with NaN, signed
 * zeros, infinities and subnormals, over lengths that leave every size of vector tail and at unaligned offsets: the
 * same bits where FloatSimd promises exactness, each within its documented accuracy of the other elsewhere, and the
 * same special values (NaN, infinities, zeros) everywhere. Skips where the JVM has no Vector API.
 */
class FloatSimdAgreementTest {
    private static final ScalarFloatSimd SCALAR = new ScalarFloatSimd();
    private static FloatSimd vector;
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 88.7f, 89f, -87f,
            -104f, -200f, 1e-30f, -1e-30f, 30f, -30f};
    private static final Random RND = new Random(1111);

    @BeforeAll
    static void vectorApi() {
        Assumptions.assumeTrue(FloatSimd.Loader.vector() != null, "the JVM runs without jdk.incubator.vector (or its vectors are too narrow)");
        vector = new VectorFloatSimd(); // the vector loops themselves, not the twins GatedFloatSimd starts on
    }

    /** Lengths around multiples of every vector width up to 16 lanes, and a long one. */
    private static final int[] LENGTHS = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 1000, 4099};

    private static float[] inputs(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = RND.nextInt(5) == 0 ? SPECIAL[RND.nextInt(SPECIAL.length)]
                    : (float) (RND.nextGaussian() * Math.pow(10, RND.nextInt(5) - 2));
        }
        return x;
    }

    private interface Unary {
        int run(FloatSimd s, float[] o, int oo, float[] x, int xo, int n);
    }

    /** Runs both implementations at offsets 0 to 3 and compares them element by element. */
    private static void compareUnary(String name, Unary loop, double ulps, double relative) {
        for (int n : LENGTHS) {
            for (int xo = 0; xo < 4; xo++) {
                int oo = (xo * 3 + 1) % 4;
                float[] x = inputs(n + xo);
                float[] a = sentinels(n + oo), b = sentinels(n + oo);
                assertEquals(n, loop.run(SCALAR, a, oo, x, xo, n), name + " (scalar) covers its range");
                assertEquals(n, loop.run(vector, b, oo, x, xo, n), name + " (vector) covers its range");
                for (int i = 0; i < n; i++) close(name + "(" + x[xo + i] + ")", a[oo + i], b[oo + i], ulps, relative);
                for (int i = 0; i < oo; i++) {
                    assertEquals(SENTINEL, a[i], name + " writes only its range");
                    assertEquals(SENTINEL, b[i], name + " writes only its range");
                }
            }
        }
    }

    private static final float SENTINEL = 12345f;

    private static float[] sentinels(int n) {
        float[] o = new float[n];
        Arrays.fill(o, SENTINEL);
        return o;
    }

    /** Equal bits when ulps and relative are 0; else the same special value, or within the tolerance. */
    private static void close(String what, float scalar, float vector, double ulps, double relative) {
        if (ulps == 0 && relative == 0) {
            assertEquals(Float.floatToIntBits(scalar), Float.floatToIntBits(vector), what);
            return;
        }
        if (Float.isNaN(scalar) || Float.isInfinite(scalar) || Float.isNaN(vector) || Float.isInfinite(vector)) {
            assertEquals(Float.floatToIntBits(scalar), Float.floatToIntBits(vector), what);
            return;
        }
        double tol = ulps * Math.ulp(scalar) + relative * Math.abs(scalar) + Float.MIN_NORMAL;
        assertEquals(scalar, vector, tol, what + ": scalar " + scalar + ", vector " + vector);
    }

    @Test
    void exactElementwiseMethodsGiveTheSameBits() {
        compareUnary("relu", FloatSimd::relu, 0, 0);
        compareUnary("step", FloatSimd::step, 0, 0);
        // scale in place, by a normal and a subnormal factor: one correctly rounded product per element
        for (float factor : new float[]{0.37f, 3e-39f}) {
            compareUnary("scale by " + factor, (s, o, oo, x, xo, n) -> {
                System.arraycopy(x, xo, o, oo, n);
                return s.scale(o, oo, factor, n);
            }, 0, 0);
        }
        // relu with input and output at the same offset: the scalar loop's auto-vectorised form
        for (int n : LENGTHS) {
            float[] x = inputs(n + 2), a = x.clone(), b = x.clone();
            SCALAR.relu(a, 2, a, 2, n);
            vector.relu(b, 2, b, 2, n);
            for (int i = 0; i < n + 2; i++) close("relu in place(" + x[i] + ")", a[i], b[i], 0, 0);
        }
    }

    @Test
    void transcendentalsAgreeWithinTheirAccuracy() {
        // each is within two ulps of the float64 function rounded (the scalar within a half), so within 2.5 of the other
        compareUnary("exp", FloatSimd::exp, 2.5, 0);
        compareUnary("sigmoid", FloatSimd::sigmoid, 2.5, 0);
        // each within 2e-6 relative of the float64 GELU, so within 4e-6 of the other
        compareUnary("gelu", FloatSimd::gelu, 0, 4e-6);
    }

    @Test
    void binaryOpsGiveTheSameBitsAndTheSameRefusals() {
        for (BinaryOp op : BinaryOp.values()) {
            boolean covered = op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV;
            for (int n : LENGTHS) {
                int xo = n % 3, yo = (n + 1) % 4, oo = (n + 2) % 5;
                float[] x = inputs(n + xo), y = inputs(n + yo), a = sentinels(n + oo), b = sentinels(n + oo);
                int doneA = SCALAR.binary(op, a, oo, x, xo, y, yo, n), doneB = vector.binary(op, b, oo, x, xo, y, yo, n);
                assertEquals(covered ? n : 0, doneA, op + " (scalar)");
                assertEquals(covered ? n : 0, doneB, op + " (vector)");
                for (int i = 0; i < a.length; i++) {
                    String args = i >= oo ? x[xo + i - oo] + ", " + y[yo + i - oo] : "before the range";
                    close(op + "(" + args + ")", a[i], b[i], 0, 0);
                }
            }
        }
    }

    @Test
    void reluGradGivesTheSameBits() {
        for (int n : LENGTHS) {
            int go = n % 3, yo = (n + 1) % 4, oo = (n + 2) % 5;
            float[] g = inputs(n + go), y = inputs(n + yo), a = sentinels(n + oo), b = sentinels(n + oo);
            assertEquals(n, SCALAR.reluGrad(a, oo, g, go, y, yo, n));
            assertEquals(n, vector.reluGrad(b, oo, g, go, y, yo, n));
            for (int i = 0; i < a.length; i++) close("reluGrad at " + i, a[i], b[i], 0, 0);
        }
    }

    @Test
    void maxAndColumnSumsGiveTheSameBits() {
        for (int n : LENGTHS) {
            if (n == 0) continue;
            for (int xo = 0; xo < 4; xo++) {
                float[] x = inputs(n + xo);
                close("max of " + n + " at " + xo, SCALAR.max(x, xo, n), vector.max(x, xo, n), 0, 0);
            }
        }
        for (int[] shape : new int[][]{{1, 1}, {1, 70}, {3, 40}, {17, 77}, {5, 33}, {64, 129}, {2, 512}, {16, 8}, {19, 9},
                {20, 16}, {1000, 24}}) {
            int rows = shape[0], width = shape[1], stride = width + 3, src = 2;
            float[] x = inputs(src + rows * stride);
            for (int r = 0; r < rows; r++) x[src + r * stride] = -0f; // a column of -0 sums to -0
            float[] a = sentinels(width + 2), b = sentinels(width + 2);
            SCALAR.columnSums(x, src, rows, stride, width, a, 1, new float[2 * width]);
            vector.columnSums(x, src, rows, stride, width, b, 1, new float[2 * width]);
            for (int j = 0; j < a.length; j++) close(rows + "x" + width + " column " + j, a[j], b[j], 0, 0);
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(a[1]), "a column of -0 sums to -0");
        }
    }

    @Test
    void sumsGiveTheSameBits() {
        for (int n : LENGTHS) {
            for (int off = 0; off < 4; off++) {
                float[] x = new float[n + off];
                for (int i = 0; i < x.length; i++) x[i] = (float) (RND.nextGaussian() * Math.pow(10, RND.nextInt(5) - 2));
                assertEquals(Double.doubleToLongBits(SCALAR.sum(x, off, n)), Double.doubleToLongBits(vector.sum(x, off, n)),
                        "sum of " + n + " at " + off);
            }
        }
        for (int n : new int[]{255, 256, 257, 511, 512, 513, 1000, 4099}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) (RND.nextGaussian() * Math.pow(10, RND.nextInt(9) - 4));
            assertEquals(Double.doubleToLongBits(SCALAR.sum(x, 0, n)), Double.doubleToLongBits(vector.sum(x, 0, n)), "sum of " + n);
        }
        for (float special : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] x = inputs(37);
            for (int i = 0; i < x.length; i++) if (!Float.isFinite(x[i])) x[i] = 1f;
            x[20] = special;
            assertEquals(SCALAR.sum(x, 1, 36), vector.sum(x, 1, 36), "a sum with " + special);
        }
    }

    @Test
    void expShiftedSumsAgreeWithinExpsAccuracy() {
        for (int n : LENGTHS) {
            for (int xo = 0; xo < 4; xo++) {
                int oo = (xo + 1) % 4;
                float[] x = inputs(n + xo);
                for (int i = 0; i < x.length; i++) if (Float.isNaN(x[i]) || x[i] == Float.POSITIVE_INFINITY) x[i] = 3f;
                float shift = n == 0 ? 0f : SCALAR.max(x, xo, n);
                float[] a = sentinels(n + oo), b = sentinels(n + oo);
                double sa = SCALAR.expShiftedSum(x, xo, shift, a, oo, n), sb = vector.expShiftedSum(x, xo, shift, b, oo, n);
                for (int i = 0; i < a.length; i++) close("exp(x - shift) at " + i, a[i], b[i], 2.5, 0);
                if (Double.isNaN(sa) || Double.isNaN(sb)) { // exp(-inf - -inf) when the largest is -inf
                    assertEquals(sa, sb, "the sum of " + n);
                } else {
                    assertEquals(sa, sb, 2.5 * Math.ulp((float) Math.max(sa, 1)) * Math.max(1, n), "the sum of " + n);
                }
            }
        }
    }

    @Test
    void adamAgreesWithinFloat32Rounding() {
        for (int n : LENGTHS) {
            for (double[] hyper : new double[][]{{0, 1}, {0.01, 1}, {0, 1 - 1e-3 * 0.01}}) {
                float[] p = inputs(n + 1), g = inputs(n + 2), m = new float[n + 3], v = new float[n + 4];
                for (float[] arr : new float[][]{p, g}) {
                    for (int i = 0; i < arr.length; i++) { // finite, and where float32 holds gi * gi
                        if (!(Math.abs(arr[i]) < 1e10f)) arr[i] = 0.5f;
                        else if (Math.abs(arr[i]) < 1e-6f) arr[i] = 0f;
                    }
                }
                for (int i = 0; i < n; i++) { // moments as a few earlier steps would leave them
                    float gi = g[2 + i] * (float) (0.5 + RND.nextDouble());
                    m[3 + i] = 0.271f * gi;
                    v[4 + i] = 0.003f * gi * gi;
                }
                float[] p0 = p.clone(), p2 = p.clone(), m0 = m.clone(), m2 = m.clone(), v0 = v.clone(), v2 = v.clone();
                double invBc2 = 1 / (1 - Math.pow(0.999, 3)), stepSize = 1e-3 / (1 - Math.pow(0.9, 3));
                assertEquals(n, SCALAR.adam(p, 1, g, 2, m, 3, v, 4, n, 0.9, 0.999, 1e-8, invBc2, stepSize, hyper[0], hyper[1]));
                assertEquals(n, vector.adam(p2, 1, g, 2, m2, 3, v2, 4, n, 0.9, 0.999, 1e-8, invBc2, stepSize, hyper[0], hyper[1]));
                for (int i = 0; i < p.length; i++) { // float32 rounding of p and of its update
                    double scale = Math.abs(p0[i]) + Math.abs(p[i] - p0[i]);
                    assertEquals(p[i], p2[i], 4e-7 * scale + Float.MIN_NORMAL, "p at " + i + " from " + p0[i]);
                }
                for (int i = 0; i < n; i++) { // a few float32 roundings of the terms, which may cancel
                    double gi = Math.abs(g[2 + i]) + hyper[0] * Math.abs(p0[1 + i]);
                    double mScale = Math.abs(m0[3 + i]) + gi, vScale = v0[4 + i] + gi * gi;
                    assertEquals(m[3 + i], m2[3 + i], 4e-7 * mScale + Float.MIN_NORMAL, "m at " + i);
                    assertEquals(v[4 + i], v2[4 + i], 4e-7 * vScale + Float.MIN_NORMAL, "v at " + i);
                }
            }
        }
    }
}
