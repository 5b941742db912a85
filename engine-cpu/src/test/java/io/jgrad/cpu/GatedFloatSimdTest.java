package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.spi.BinaryOp;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link GatedFloatSimd}'s promise: the scalar twins give the very same bits as the vector loops, for every method,
 * every length (all vector tails), unaligned offsets and special values, so the switch from one to the other can never
 * show in results; and the switch happens after {@link GatedFloatSimd#START_WORK} elements, not before. Skips where
 * the JVM has no Vector API.
 */
class GatedFloatSimdTest {
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 88.7f, 89f, -87f,
            -104f, -200f, 1e-30f, -1e-30f, 30f, -30f, 20.5f, -20.5f};
    private static final int[] LENGTHS = {0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 513, 1000, 4099};

    private static FloatSimd vector;
    private static FloatSimd twin;

    @BeforeAll
    static void vectorApi() {
        Assumptions.assumeTrue(FloatSimd.Loader.vector() != null,
                "the JVM runs without jdk.incubator.vector (or its vectors are too narrow)");
        vector = new VectorFloatSimd(true);
        twin = new VectorFloatSimd(false);
    }

    /**
     * Random values, with special values mixed in where asked; without them, magnitudes from 1e-20 to 1e20, so that
     * float64 sums round and adding in another order gives other bits.
     */
    private static float[] inputs(Random rnd, int n, boolean specials) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = specials && rnd.nextInt(5) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)]
                    : (float) (rnd.nextGaussian() * Math.pow(10, specials ? rnd.nextInt(5) - 2 : rnd.nextInt(41) - 20));
        }
        return x;
    }

    /**
     * Runs a call on fresh copies of the same inputs with each implementation and compares everything it wrote and
     * returned, bit for bit. The call gets the implementation and the copies, and returns its result as a double.
     */
    private static void sameBits(String what, float[][] inputs, CallOn call) {
        float[][] a = deepCopy(inputs), b = deepCopy(inputs);
        double ra = call.run(twin, a), rb = call.run(vector, b);
        assertEquals(Double.doubleToLongBits(rb), Double.doubleToLongBits(ra), what + ": the result");
        for (int k = 0; k < a.length; k++) {
            int[] bitsA = bits(a[k]), bitsB = bits(b[k]);
            assertArrayEquals(bitsB, bitsA, what + ": array " + k);
        }
    }

    @FunctionalInterface
    private interface CallOn {
        double run(FloatSimd s, float[][] arrays);
    }

    private static float[][] deepCopy(float[][] x) {
        return Arrays.stream(x).map(float[]::clone).toArray(float[][]::new);
    }

    private static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) b[i] = Float.floatToIntBits(x[i]);
        return b;
    }

    /** Every method, at offsets 0..3 of inputs (with special values where specials) and outputs. */
    private static void forAll(boolean specials, Each each) {
        Random rnd = new Random(4242);
        for (int n : LENGTHS) {
            for (int off = 0; off < 4; off++) {
                int oo = (off * 3 + 1) % 4;
                float[] x = inputs(rnd, n + off, specials), y = inputs(rnd, n + off + 1, specials);
                float[] o = new float[n + oo];
                Arrays.fill(o, 12345f);
                each.run(n, off, oo, x, y, o);
            }
        }
    }

    @FunctionalInterface
    private interface Each {
        void run(int n, int off, int oo, float[] x, float[] y, float[] o);
    }

    @Test
    void elementwiseTwinsGiveTheVectorLoopsBits() {
        forAll(true, (n, off, oo, x, y, o) -> {
            String at = " of " + n + " at " + off;
            float[][] xo = {x, o};
            sameBits("relu" + at, xo, (s, a) -> s.relu(a[1], oo, a[0], off, n));
            sameBits("step" + at, xo, (s, a) -> s.step(a[1], oo, a[0], off, n));
            sameBits("exp" + at, xo, (s, a) -> s.exp(a[1], oo, a[0], off, n));
            sameBits("sigmoid" + at, xo, (s, a) -> s.sigmoid(a[1], oo, a[0], off, n));
            sameBits("gelu" + at, xo, (s, a) -> s.gelu(a[1], oo, a[0], off, n));
            sameBits("geluGrad" + at, xo, (s, a) -> s.geluGrad(a[1], oo, a[0], off, n));
            float[][] xyo = {x, y, o};
            sameBits("geluBackward" + at, xyo, (s, a) -> s.geluBackward(a[2], oo, a[1], off + 1, a[0], off, n));
            for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV}) {
                sameBits(op + at, xyo, (s, a) -> s.binary(op, a[2], oo, a[0], off, a[1], off + 1, n));
            }
            sameBits("reluGrad" + at, xyo, (s, a) -> s.reluGrad(a[2], oo, a[0], off, a[1], off + 1, n));
            if (n > 0) sameBits("max" + at, xo, (s, a) -> s.max(a[0], off, n));
            if (n > 0) sameBits("maxForShift" + at, xo, (s, a) -> s.maxForShift(a[0], off, n));
            sameBits("expShiftedSum" + at, xo, (s, a) -> s.expShiftedSum(a[0], off, 1.5f, a[1], oo, n));
            sameBits("scale" + at, xo, (s, a) -> s.scale(a[0], off, 0.37f, n));
        });
    }

    @Test
    void reductionTwinsGiveTheVectorLoopsBits() {
        forAll(false, (n, off, oo, x, y, o) -> {
            sameBits("sum of " + n + " at " + off, new float[][]{x}, (s, a) -> s.sum(a[0], off, n));
            if (n == 0) return;
            Arrays.fill(x, off, off + n, -0f); // the lanes start from +0, as the twin does: their sum is +0
            sameBits("sum of -0s, " + n + " at " + off, new float[][]{x}, (s, a) -> s.sum(a[0], off, n));
        });
        Random rnd = new Random(7);
        for (int[] shape : new int[][]{{1, 1}, {1, 70}, {3, 40}, {17, 77}, {5, 33}, {64, 129}, {2, 512}, {40, 17}}) {
            int rows = shape[0], width = shape[1], stride = width + 3;
            float[] x = inputs(rnd, 2 + rows * stride, true);
            sameBits("columnSums " + rows + "x" + width, new float[][]{x, new float[width + 1]},
                    (s, a) -> {
                        s.columnSums(a[0], 2, rows, stride, width, a[1], 1, new float[2 * width]);
                        return 0;
                    });
        }
    }

    @Test
    void adamTwinGivesTheVectorLoopsBits() {
        forAll(false, (n, off, oo, x, y, o) -> {
            for (float[] a : new float[][]{x, y}) {
                for (int i = 0; i < a.length; i++) a[i] = (float) Math.max(-1e4, Math.min(1e4, a[i])); // g * g finite
            }
            float[] m = new float[n + 3], v = new float[n + 4];
            for (int i = 0; i < n; i++) {
                m[3 + i] = 0.1f * y[i];
                v[4 + i] = 0.003f * y[i] * y[i];
            }
            for (double[] decay : new double[][]{{0, 1}, {0.01, 1}, {0, 0.99999}}) {
                sameBits("adam of " + n + " with " + Arrays.toString(decay), new float[][]{x, y, m, v},
                        (s, a) -> s.adam(a[0], off, a[1], 1, a[2], 3, a[3], 4, n, 0.9, 0.999, 1e-8, 1.2, 3e-3, decay[0],
                                decay[1]));
            }
        });
    }

    @Test
    void theVectorLoopsTakeOverOnlyAfterTheThreshold() {
        GatedFloatSimd gated = new GatedFloatSimd(true);
        float[] x = new float[1 << 16], o = new float[x.length];
        long calls = GatedFloatSimd.START_WORK / x.length;
        for (long c = 0; c < calls - 1; c++) gated.relu(o, 0, x, 0, x.length);
        assertFalse(gated.isWarm(), "still on the twins one call before the threshold");
        assertTrue(gated.name().contains("twins"), gated.name());
        gated.relu(o, 0, x, 0, x.length);
        assertTrue(gated.isWarm(), "on the vector loops from the threshold on");
        assertFalse(gated.name().contains("twins"), gated.name());
        assertTrue(new GatedFloatSimd(false).isWarm(), "ungated: the vector loops from the first call");
    }
}
