package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;



import io.jgrad.GradCheck;
import io.jgrad.Tensor;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;


import org.junit.jupiter.api.function.Executable;

/**
 * What every core suite shares: the device under test, seeded test data, and plain-Java helpers for the float64
 * references (index arithmetic and broadcasting written out here, independently of jgrad).
 */
public abstract class TensorBaseSuite extends DeviceSuite {
    /** float32 element-wise results must match the float64 reference within this absolute and relative error. */
    protected static final double F32_TOL = 1e-5;

    // ---------------------------------------------------------------- data

    /** n values uniform in [lo, hi), rounded to float so float32 tensors hold them exactly. */
    protected static double[] uniform(long seed, int n, double lo, double hi) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return v;
    }

    /** Uniform values whose magnitude is at least {@code minAbs}: for inputs near a kink or a pole. */
    protected static double[] awayFromZero(long seed, int n, double minAbs, double maxAbs) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double m = minAbs + (maxAbs - minAbs) * r.nextDouble();
            v[i] = (float) (r.nextBoolean() ? m : -m);
        }
        return v;
    }

    /** Values 0.3 apart, shuffled: no two within 0.3 of each other, so max/min/sort have no ties to step over. */
    protected static double[] distinct(long seed, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) (0.3 * (i - n / 2.0) + 0.01);
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    /** A shape of the given rank with sizes in [1, maxSize]. */
    protected static int[] randomShape(Random r, int rank, int maxSize) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = 1 + r.nextInt(maxSize);
        return s;
    }

    protected static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    protected static Tensor f32(double[] v, int... shape) {
        return Tensor.of(toFloat(v), shape);
    }

    protected static Tensor f64(double[] v, int... shape) {
        return Tensor.of(v.clone(), shape);
    }

    // ---------------------------------------------------------------- index arithmetic for references

    protected static int numel(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    protected static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    protected static int ravel(int[] idx, int[] shape) {
        int flat = 0;
        for (int i = 0; i < shape.length; i++) flat = flat * shape[i] + idx[i];
        return flat;
    }

    /** NumPy broadcasting of two shapes, written out independently of the library. */
    protected static int[] broadcastShape(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) throw new IllegalArgumentException("test bug: shapes do not broadcast");
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** The element of a row-major array of {@code shape} that broadcasting maps to output index {@code outIdx}. */
    protected static double broadcastGet(double[] data, int[] shape, int[] outIdx) {
        int shift = outIdx.length - shape.length;
        int flat = 0;
        for (int i = 0; i < shape.length; i++) flat = flat * shape[i] + (shape[i] == 1 ? 0 : outIdx[i + shift]);
        return data[flat];
    }

    /** A transposed copy of a row-major [rows, cols] array. */
    protected static double[] transposed(double[] v, int rows, int cols) {
        double[] t = new double[v.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = v[i * cols + j];
        return t;
    }

    // ---------------------------------------------------------------- assertions

    protected static void assertShape(Tensor t, int... shape) {
        assertArrayEquals(shape, t.shape().toArray(), () -> "shape of " + t.shape());
    }

    /** |actual - expected| &lt;= atol + rtol * |expected| for every element; NaN matches NaN, inf matches inf. */
    protected static void assertClose(double[] expected, double[] actual, double atol, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": number of elements");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (Double.isInfinite(e) && e == a) continue;
            if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
                fail(String.format(Locale.ROOT, "%s: element %d is %.9g, expected %.9g (tolerance %.2g + %.2g*|expected|)",
                        what, i, a, e, atol, rtol));
            }
        }
    }

    protected static void assertClose(double[] expected, Tensor actual, double atol, double rtol, String what) {
        assertClose(expected, actual.toDoubleArray(), atol, rtol, what);
    }

    /** The float32 criterion: |a - b| &lt;= 1e-5 + 1e-5 * |b|. */
    protected static void assertCloseF32(double[] expected, Tensor actual, String what) {
        assertClose(expected, actual, F32_TOL, F32_TOL, what);
    }

    protected static void assertExactly(double[] expected, Tensor actual, String what) {
        assertArrayEquals(expected, actual.toDoubleArray(), 0.0, what);
    }

    /** Central-difference gradient check in float64 of f at the given inputs. */
    protected static void gradcheck(Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.check(f, inputs).assertPassed();
    }

    /** Runs {@code code}, expects the exception type, and checks that the message names every given part. */
    protected static <T extends Throwable> String assertFailsMentioning(Class<T> type, Executable code, String... parts) {
        T e = assertThrows(type, code);
        String m = e.getMessage();
        assertTrue(m != null, "exception without a message: " + e);
        for (String p : parts) {
            assertTrue(m.contains(p), () -> "message should mention '" + p + "': " + m);
        }
        return m;
    }

    protected static String str(int... shape) {
        return Arrays.toString(shape);
    }
}
