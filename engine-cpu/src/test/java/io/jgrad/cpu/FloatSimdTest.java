package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.spi.ScalarMath;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both {@link FloatSimd} implementations (the Vector API one where the JVM has the module) against float64
 * references rounded to float32, over values from tiny to overflowing plus NaN, infinities and signed zeros. Odd
 * lengths and offsets exercise the Vector API loops' scalar tails. {@link FloatSimdAgreementTest} compares the two.
 */
class FloatSimdTest {
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
            Float.MIN_VALUE, -Float.MIN_VALUE, 88.7f, 89f, -87f, -104f, -200f, 1e-30f, -1e-30f, 1e-4f, -1e-4f, 9f, -9f, 20f};

    static List<Named<FloatSimd>> implementations() {
        List<Named<FloatSimd>> all = new ArrayList<>(List.of(Named.of("scalar", new ScalarFloatSimd())));
        if (FloatSimd.Loader.vector() != null) {
            all.add(Named.of("vector loops", new VectorFloatSimd(true)));
            all.add(Named.of("scalar twins", new VectorFloatSimd(false)));
        }
        return all;
    }

    @org.junit.jupiter.api.Test
    void theVectorApiIsChosenWhereTheJvmHasItElseTheScalarLoops() {
        boolean vector = FloatSimd.Loader.vector() != null && !"plain".equals(System.getProperty("jgrad.cpu.simd"));
        assertEquals(vector ? "GatedFloatSimd" : "ScalarFloatSimd", FloatSimd.INSTANCE.getClass().getSimpleName());
    }

    private static float[] inputs() {
        Random rnd = new Random(11);
        float[] x = new float[1000 + 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * (i % 3 == 0 ? 30 : 3));
        System.arraycopy(SPECIAL, 0, x, 5, SPECIAL.length);
        return x;
    }

    private interface Loop {
        int run(float[] o, int oo, float[] x, int xo, int n);
    }

    private static void check(String name, Loop loop, DoubleUnaryOperator ref, double ulps) {
        check(name, loop, ref, ulps, inputs());
    }

    /** Inputs spread evenly over [lo, hi]. */
    private static void check(String name, Loop loop, DoubleUnaryOperator ref, double ulps, float lo, float hi) {
        float[] x = new float[20_003];
        for (int i = 0; i < x.length; i++) x[i] = lo + (hi - lo) * i / (x.length - 1);
        check(name, loop, ref, ulps, x);
    }

    private static void check(String name, Loop loop, DoubleUnaryOperator ref, double ulps, float[] x) {
        int xo = 3, oo = 1, n = x.length - xo;
        float[] o = new float[n + oo];
        java.util.Arrays.fill(o, 12345f);
        int done = loop.run(o, oo, x, xo, n);
        assertEquals(n, done, name + " covers its whole range");
        for (int i = 0; i < done; i++) {
            float want = (float) ref.applyAsDouble(x[xo + i]);
            float got = o[oo + i];
            if (Float.isNaN(want) || Float.isInfinite(want) || want == 0f) {
                // exact for NaN, infinities and zero results, up to a subnormal for results that underflow
                if (Float.isNaN(want) || Float.isInfinite(want)) assertEquals(want, got, name + "(" + x[xo + i] + ")");
                else assertEquals(0.0, got, Float.MIN_NORMAL, name + "(" + x[xo + i] + ")");
                continue;
            }
            double tol = ulps * Math.ulp(want) + Float.MIN_NORMAL;
            assertEquals(want, got, tol, name + "(" + x[xo + i] + ")");
        }
        assertEquals(12345f, o[0], name + " writes only its range");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void transcendentalsAreWithinTwoUlpsOfTheFloat64Functions(FloatSimd s) {
        check("exp", s::exp, Math::exp, 2);
        check("exp near its under- and overflow", s::exp, Math::exp, 2, -104, 89);
        check("sigmoid", s::sigmoid, ScalarMath::sigmoid, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void geluIsWithinTheConformanceToleranceOfTheFloat64Function(FloatSimd s) {
        // the conformance suite's float32 GELU tolerance: 2e-6 relative; values under 1e-30 only absolutely
        checkRelative("gelu", s::gelu, ScalarMath::gelu, 2e-6, inputs());
        float[] wide = new float[20_003];
        for (int i = 0; i < wide.length; i++) wide[i] = -14f + 28f * i / (wide.length - 1);
        checkRelative("gelu over [-14, 14]", s::gelu, ScalarMath::gelu, 2e-6, wide);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void geluGradIsWithinTheConformanceToleranceOfTheFloat64Function(FloatSimd s) {
        // the conformance suite's float32 GELU_GRAD tolerance: 2e-6 relative plus 2e-7 absolute (it crosses 0)
        float[] x = inputs();
        float[] wide = new float[20_003];
        for (int i = 0; i < wide.length; i++) wide[i] = -14f + 28f * i / (wide.length - 1);
        for (float[] in : new float[][]{x, wide}) {
            float[] o = new float[in.length];
            assertEquals(in.length, s.geluGrad(o, 0, in, 0, in.length));
            for (int i = 0; i < in.length; i++) {
                double want = ScalarMath.geluGrad(in[i]);
                if (Double.isNaN(want)) { // NaN, and the infinities, where the declaration's x phi(x) is inf * 0
                    assertTrue(Float.isNaN(o[i]), "geluGrad(" + in[i] + ")");
                    continue;
                }
                assertEquals(want, o[i], 2e-6 * Math.abs(want) + 2e-7, "geluGrad(" + in[i] + ")");
            }
        }
    }

    private static void checkRelative(String name, Loop loop, DoubleUnaryOperator ref, double rel, float[] x) {
        float[] o = new float[x.length];
        assertEquals(x.length, loop.run(o, 0, x, 0, x.length));
        for (int i = 0; i < x.length; i++) {
            double want = ref.applyAsDouble(x[i]);
            if (Double.isNaN(want) || Double.isInfinite(want)) {
                assertEquals((float) want, o[i], name + "(" + x[i] + ")");
                continue;
            }
            assertEquals(want, o[i], rel * Math.abs(want) + 1e-30, name + "(" + x[i] + ")");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void reluKeepsNanAndNegativeZeroAsPyTorch(FloatSimd s) {
        check("relu", s::relu, v -> v < 0 ? 0.0 : v, 0);
        float[] x = {-0f, -1f, Float.NaN, 2f, -0f, 0f, -3f, 4f, -0f, -0f, -0f, -0f, -0f, -0f, -0f, -0f, -0f, Float.NaN, -5f};
        float[] o = new float[x.length];
        assertEquals(x.length, s.relu(o, 0, x, 0, x.length));
        for (int i : new int[]{0, 4, 8, 15, 16}) {
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(o[i]), "relu(-0) is -0 (PyTorch), at " + i);
        }
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(o[5]), "relu(+0) is +0");
        assertTrue(Float.isNaN(o[2]) && Float.isNaN(o[17]), "relu(NaN) is NaN, in the vector body and the tail");
        assertEquals(0f, o[18]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void reluGradPassesNanOutputsAndStopsAtZero(FloatSimd s) {
        int n = 19;
        float[] y = new float[n], g = new float[n], o = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = switch (i % 5) { case 0 -> Float.NaN; case 1 -> -0f; case 2 -> 0f; case 3 -> -1f; default -> 2f; };
            g[i] = i + 1;
        }
        assertEquals(n, s.reluGrad(o, 0, g, 0, y, 0, n));
        for (int i = 0; i < n; i++) {
            float want = (i % 5 == 0 || i % 5 == 4) ? g[i] : 0f;
            assertEquals(want, o[i], "reluGrad at y = " + y[i] + " (element " + i + ")");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void maxAndTheSoftmaxSumMatchScalarLoops(FloatSimd s) {
        float[] x = inputs();
        for (int n : new int[]{1, 7, 8, 9, 100, 1000}) {
            float want = x[3];
            for (int i = 1; i < n; i++) want = Math.max(want, x[3 + i]);
            assertEquals(want, s.max(x, 3, n), "max of " + n);
        }
        float[] y = new float[37];
        for (int i = 0; i < y.length; i++) y[i] = i * 0.37f - 5;
        y[9] = Float.NEGATIVE_INFINITY;
        float[] o = new float[40];
        double sum = s.expShiftedSum(y, 0, 8.32f, o, 2, y.length);
        double want = 0;
        for (int i = 0; i < y.length; i++) {
            double e = Math.exp(y[i] - 8.32f);
            want += e;
            assertEquals(e, o[2 + i], 2 * Math.ulp((float) e) + Float.MIN_NORMAL, "exp(y - shift) at " + i);
        }
        assertEquals(want, sum, 1e-6 * want);
        assertTrue(Float.isNaN(s.max(new float[]{1, 2, Float.NaN, 3, 4, 5, 6, 7, 8, 9}, 0, 10)), "NaN wins max");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void binaryOpsAreBitExactToTheScalarLoopsAtAnyOffsets(FloatSimd s) {
        float[] x = inputs(), y = inputs();
        for (int i = 0; i < y.length; i++) y[i] = y[(i * 7) % y.length] * 0.37f - 1f;
        for (io.jgrad.spi.BinaryOp op : new io.jgrad.spi.BinaryOp[]{io.jgrad.spi.BinaryOp.ADD, io.jgrad.spi.BinaryOp.SUB,
                io.jgrad.spi.BinaryOp.MUL, io.jgrad.spi.BinaryOp.DIV}) {
            int n = 997;
            float[] o = new float[n + 2];
            assertEquals(n, s.binary(op, o, 2, x, 3, y, 0, n), op + " covers its range");
            for (int i = 0; i < n; i++) {
                float a = x[3 + i], b = y[i];
                float want = op == io.jgrad.spi.BinaryOp.ADD ? a + b : op == io.jgrad.spi.BinaryOp.SUB ? a - b
                        : op == io.jgrad.spi.BinaryOp.MUL ? a * b : a / b;
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(o[2 + i]), op + "(" + a + ", " + b + ")");
            }
        }
        assertEquals(0, s.binary(io.jgrad.spi.BinaryOp.POW, new float[4], 0, x, 0, y, 0, 4), "ops it does not cover: none done");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void stepIsOneForPositiveInputsOnly(FloatSimd s) {
        float[] x = inputs();
        int n = x.length - 1;
        float[] o = new float[n];
        assertEquals(n, s.step(o, 0, x, 1, n));
        for (int i = 0; i < n; i++) {
            float v = x[1 + i];
            assertEquals(v > 0 ? 1f : 0f, o[i], "step(" + v + ")"); // NaN and -0 give 0
        }
    }

    /** The tree sum of the given values: ((v0 + v1) + (v2 + v3)) + ((v4 + v5) + (v6 + v7)), values past v.length left out. */
    private static float tree(float... v) {
        float[] level = v;
        while (level.length > 1) {
            float[] up = new float[(level.length + 1) / 2];
            for (int i = 0; i < up.length; i++) up[i] = 2 * i + 1 < level.length ? level[2 * i] + level[2 * i + 1] : level[2 * i];
            level = up;
        }
        return level[0];
    }

    /**
     * FloatSums' column definition written column by column (the implementations stream rows): blocks of 8 rows
     * summed as trees, the block sums added with Kahan's compensation, the total less the compensation rounded once.
     */
    private static float columnReference(float[] x, int at, int rows, int stride) {
        float total = 0, comp = 0;
        for (int r0 = 0; r0 < rows; r0 += 8) {
            float[] v = new float[Math.min(8, rows - r0)];
            for (int i = 0; i < v.length; i++) v[i] = x[at + (r0 + i) * stride];
            float b = tree(v);
            if (r0 == 0) {
                total = b;
            } else {
                float y = b - comp, t = total + y;
                comp = (t - total) - y;
                total = t;
            }
        }
        return (float) ((double) total - comp); // the float32 difference, which the implementations take, is the same
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void columnSumsFollowTheDefinitionBitForBit(FloatSimd s) {
        Random rnd = new Random(5);
        for (int[] shape : new int[][]{{1, 1}, {3, 40}, {256, 256}, {17, 77}, {5, 33}, {16, 8}, {33, 9}, {1000, 19}, {30, 16}, {7, 8}, {19, 24}}) {
            int rows = shape[0], width = shape[1], stride = width + 3, src = 2;
            float[] x = new float[src + rows * stride];
            for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
            for (int r = 0; r < rows; r++) x[src + r * stride] = -0f; // a column of -0 sums to -0
            float[] out = new float[width + 1];
            s.columnSums(x, src, rows, stride, width, out, 1, new float[2 * width]);
            for (int j = 0; j < width; j++) {
                assertEquals(Float.floatToIntBits(columnReference(x, src + j, rows, stride)), Float.floatToIntBits(out[1 + j]),
                        rows + "x" + width + " column " + j);
            }
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(out[1]), "a column of -0 sums to -0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void columnSumsPropagateNaNAndInfinities(FloatSimd s) {
        int rows = 40, width = 11;
        float[] x = new float[rows * width];
        java.util.Arrays.fill(x, 1.5f);
        x[3 * width] = Float.POSITIVE_INFINITY;                                        // column 0: +inf
        x[20 * width + 1] = Float.NEGATIVE_INFINITY;                                   // column 1: -inf
        x[width + 2] = Float.POSITIVE_INFINITY;
        x[30 * width + 2] = Float.NEGATIVE_INFINITY;                                   // column 2: inf - inf
        x[17 * width + 3] = Float.NaN;                                                 // column 3: NaN
        x[5 * width + 10] = Float.POSITIVE_INFINITY;                                   // column 10 (a tail column)
        x[2 * width + 4] = 3e38f;
        x[25 * width + 4] = 3e38f;                                                     // column 4: overflows
        x[2 * width + 5] = 3e38f;
        x[3 * width + 5] = 3e38f;
        x[25 * width + 5] = -3e38f;                                                    // column 5: a block overflows
        float[] out = new float[width];
        s.columnSums(x, 0, rows, width, width, out, 0, new float[2 * width]);
        assertEquals(Float.POSITIVE_INFINITY, out[0]);
        assertEquals(Float.NEGATIVE_INFINITY, out[1]);
        assertTrue(Float.isNaN(out[2]), "inf - inf");
        assertTrue(Float.isNaN(out[3]), "NaN");
        assertEquals(Float.POSITIVE_INFINITY, out[10]);
        assertEquals(Float.POSITIVE_INFINITY, out[4], "3e38 + 3e38 overflows");
        assertEquals((float) (3e38f + 37 * 1.5), out[5], "3e38 + 3e38 - 3e38 does not");
        assertEquals(60f, out[6]);
    }

    /**
     * FloatSums' run definition written lane by lane: eight lanes (element i to lane i % 8); in blocks of 16 vectors,
     * eight partial sums p_q = v_q + v_(q+8) (+0 for none) summed as a tree; block sums added with Kahan's
     * compensation; then the lanes as a tree and the last len % 8 elements in float64.
     */
    private static double sumReference(float[] x, int off, int len) {
        int vec = len - len % 8;
        float[] total = new float[8], comp = new float[8];
        for (int b = 0; b < vec; b += 128) {
            int m = Math.min(128, vec - b) / 8;
            for (int lane = 0; lane < 8; lane++) {
                float[] part = new float[8];
                for (int q = 0; q < 8; q++) {
                    if (q < m) part[q] = x[off + b + q * 8 + lane];
                    if (q + 8 < m) part[q] += x[off + b + (q + 8) * 8 + lane];
                }
                float block = tree(part);
                float y = block - comp[lane], t = total[lane] + y;
                comp[lane] = (t - total[lane]) - y;
                total[lane] = t;
            }
        }
        double[] d = new double[8];
        for (int lane = 0; lane < 8; lane++) d[lane] = (double) total[lane] - comp[lane];
        double sum = ((d[0] + d[1]) + (d[2] + d[3])) + ((d[4] + d[5]) + (d[6] + d[7]));
        for (int i = vec; i < len; i++) sum += x[off + i];
        return sum;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void sumFollowsTheDefinitionAndIsWithinItsBound(FloatSimd s) {
        Random rnd = new Random(9);
        for (int n : new int[]{0, 1, 7, 8, 16, 17, 33, 72, 127, 128, 129, 255, 256, 257, 1000, 100_003}) {
            float[] x = new float[n + 1];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            double want = 0, mag = 0;
            for (int i = 1; i <= n; i++) {
                want += x[i];
                mag += Math.abs(x[i]);
            }
            double got = s.sum(x, 1, n);
            assertEquals(Double.doubleToLongBits(sumReference(x, 1, n)), Double.doubleToLongBits(got), "sum of " + n);
            // FloatSums' bound: at most 4 float32 roundings touch a term in its block, the totals ~3 ulps of the sum
            assertEquals(want, got, 7 * 0x1p-24 * mag + 1e-300, "sum of " + n);
        }
        float[] x = new float[1000];
        java.util.Arrays.fill(x, 1.5f);
        x[900] = Float.POSITIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, s.sum(x, 0, 1000), "an infinity in a later block");
        x[10] = Float.NEGATIVE_INFINITY;
        assertTrue(Double.isNaN(s.sum(x, 0, 1000)), "inf - inf");
        x[10] = Float.NaN;
        x[900] = 1.5f;
        assertTrue(Double.isNaN(s.sum(x, 0, 1000)), "NaN");
        java.util.Arrays.fill(x, 3e38f);
        assertEquals(Float.POSITIVE_INFINITY, (float) s.sum(x, 0, 1000), "overflow");
        x[999] = -3e38f;
        x[998] = -3e38f;
        x[0] = 1f;
        assertEquals(995 * (double) 3e38f + 1, s.sum(x, 0, 1000), 3e38 * 995 * 1e-12, "float32 lanes overflow, the float64 sum does not");
    }
}
