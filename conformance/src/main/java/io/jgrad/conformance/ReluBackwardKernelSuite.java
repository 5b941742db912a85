package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.DType;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.ScalarMath;
import io.jgrad.spi.View;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused {@code reluBackward} kernel: a backend's override against the SPI's default composition and against
 * {@link ScalarMath#reluBackward}, bit for bit (it only selects), on float32 and float64, contiguous and transposed
 * operands, odd lengths past any SIMD width, and the special values -0, +0 and NaN.
 */
public abstract class ReluBackwardKernelSuite {

    /** The backend under test. */
    protected abstract Backend backend();

    private static double special(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> -0.0;
            case 1 -> 0.0;
            case 2 -> Double.NaN;
            default -> rnd.nextGaussian();
        };
    }

    private static Buffer upload(Backend be, DType dt, double[] v) {
        if (dt == DType.FLOAT64) return be.upload(v);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return be.upload(f);
    }

    private static double[] download(Backend be, Buffer b, DType dt, int n) {
        double[] out = new double[n];
        if (dt == DType.FLOAT64) {
            be.download(b, 0, out, 0, n);
        } else {
            float[] f = new float[n];
            be.download(b, 0, f, 0, n);
            for (int i = 0; i < n; i++) out[i] = f[i];
        }
        return out;
    }

    @Test
    public void reluBackwardAgreesWithTheDefaultAndTheMath() {
        Backend be = backend();
        Backend defaults = new KernelConformance.DefaultsOnly(be);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : new int[][]{{1}, {7}, {37}, {5, 9}, {64, 33}, {1000}}) {
                Random rnd = new Random(31 * shape.length + shape[0] + 7L * dt.ordinal());
                int n = 1;
                for (int d : shape) n *= d;
                double[] g = new double[n], y = new double[n];
                for (int i = 0; i < n; i++) {
                    g[i] = rnd.nextGaussian();
                    y[i] = special(rnd);
                }
                boolean transposed = shape.length == 2;
                try (Buffer gb = upload(be, dt, g); Buffer yb = upload(be, dt, y);
                     Buffer out = be.allocate(dt, n); Buffer ref = be.allocate(dt, n)) {
                    // read grad either in order or, for matrices, through a transposed view of the same memory
                    View gv = transposed
                            ? new View(gb, 0, new int[]{shape[1], shape[0]}, new long[]{1, shape[1]})
                            : View.contiguous(gb, shape);
                    int[] viewShape = gv.shape;
                    View yv = View.contiguous(yb, viewShape);
                    be.reluBackward(View.contiguous(out, viewShape), gv, yv);
                    defaults.reluBackward(View.contiguous(ref, viewShape), gv, yv);
                    double[] got = download(be, out, dt, n), want = download(be, ref, dt, n);
                    String what = "reluBackward " + dt + " " + java.util.Arrays.toString(viewShape) + (transposed ? " (transposed grad)" : "");
                    for (int i = 0; i < n; i++) {
                        int gi = transposed ? (i % viewShape[1]) * viewShape[0] + i / viewShape[1] : i;
                        double gval = dt == DType.FLOAT32 ? (float) g[gi] : g[gi];
                        double yval = dt == DType.FLOAT32 ? (float) y[i] : y[i];
                        double math = ScalarMath.reluBackward(gval, yval);
                        assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]), what + ": override vs default at " + i);
                        assertEquals(Double.doubleToLongBits(math), Double.doubleToLongBits(got[i]), what + ": vs the math at " + i + " (y = " + yval + ")");
                    }
                }
            }
        }
    }

    /**
     * A broadcast gradient (the gradient of a sum is one element expanded to the whole shape; a bias-like one is
     * broadcast along some axes): override against the default and the math, past several blocks of any strided
     * path, on float32 and float64.
     */
    @Test
    public void reluBackwardTakesBroadcastGradients() {
        Backend be = backend();
        Backend defaults = new KernelConformance.DefaultsOnly(be);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : new int[][]{{1}, {9}, {5000}, {3, 4100}, {2, 3, 2053}, {40, 70}}) {
                int n = 1;
                for (int d : shape) n *= d;
                Random rnd = new Random(17L * n + dt.ordinal());
                double[] y = new double[n];
                for (int i = 0; i < n; i++) y[i] = special(rnd);
                int rank = shape.length;
                // a scalar broadcast to every element, and (rank 2 and up) a row broadcast along the leading axes
                for (boolean scalar : new boolean[]{true, false}) {
                    if (!scalar && rank < 2) continue;
                    int last = shape[rank - 1], gn = scalar ? 1 : last;
                    double[] g = new double[gn];
                    for (int i = 0; i < gn; i++) g[i] = rnd.nextGaussian() * (i % 7 == 3 ? -1 : 1);
                    long[] strides = new long[rank];
                    if (!scalar) strides[rank - 1] = 1;
                    try (Buffer gb = upload(be, dt, g); Buffer yb = upload(be, dt, y);
                         Buffer out = be.allocate(dt, n); Buffer ref = be.allocate(dt, n)) {
                        View gv = new View(gb, 0, shape.clone(), strides);
                        View yv = View.contiguous(yb, shape);
                        be.reluBackward(View.contiguous(out, shape), gv, yv);
                        defaults.reluBackward(View.contiguous(ref, shape), gv, yv);
                        double[] got = download(be, out, dt, n), want = download(be, ref, dt, n);
                        String what = "reluBackward " + dt + " " + java.util.Arrays.toString(shape) + (scalar ? " (scalar grad)" : " (row grad)");
                        for (int i = 0; i < n; i++) {
                            double gval = dt == DType.FLOAT32 ? (float) g[scalar ? 0 : i % last] : g[scalar ? 0 : i % last];
                            double yval = dt == DType.FLOAT32 ? (float) y[i] : y[i];
                            double math = ScalarMath.reluBackward(gval, yval);
                            assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]), what + ": override vs default at " + i);
                            assertEquals(Double.doubleToLongBits(math), Double.doubleToLongBits(got[i]), what + ": vs the math at " + i + " (y = " + yval + ")");
                        }
                    }
                }
            }
        }
    }
}
