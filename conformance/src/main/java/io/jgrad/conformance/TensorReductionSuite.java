package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.DType;
import io.jgrad.Shape;
import io.jgrad.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reductions (sum, mean, max, min, argmax, argmin, var) along every dimension with and without keepDim, over all
 * elements, on contiguous and strided inputs; softmax, logSoftmax and logSumExp. Forward against plain-Java float64
 * references, backward against central differences.
 */
public abstract class TensorReductionSuite extends TensorBaseSuite {

    private enum Kind { SUM, MEAN, MAX, MIN, ARGMAX, ARGMIN, VAR, VAR_BIASED }

    /** Reference reduction of a row-major array along {@code axis}; the result keeps the axis as size 1. */
    private static double[] reduce(Kind kind, double[] x, int[] shape, int axis) {
        int[] outShape = shape.clone();
        outShape[axis] = 1;
        double[] out = new double[numel(outShape)];
        int n = shape[axis];
        for (int o = 0; o < out.length; o++) {
            int[] idx = unravel(o, outShape);
            double sum = 0, best = Double.NaN;
            int bestAt = -1;
            double[] line = new double[n];
            for (int k = 0; k < n; k++) {
                idx[axis] = k;
                line[k] = x[ravel(idx, shape)];
            }
            for (int k = 0; k < n; k++) {
                double v = line[k];
                sum += v;
                boolean better = kind == Kind.MAX || kind == Kind.ARGMAX ? v > best : v < best;
                if (bestAt < 0 || better) {
                    best = v;
                    bestAt = k;
                }
            }
            double mean = sum / n, ss = 0;
            for (double v : line) ss += (v - mean) * (v - mean);
            switch (kind) {
                case SUM: out[o] = sum; break;
                case MEAN: out[o] = mean; break;
                case MAX: case MIN: out[o] = best; break;
                case ARGMAX: case ARGMIN: out[o] = bestAt; break;
                case VAR: out[o] = ss / (n - 1); break;
                default: out[o] = ss / n;
            }
        }
        return out;
    }

    private static Tensor apply(Kind kind, Tensor t, int dim, boolean keepDim) {
        switch (kind) {
            case SUM: return t.sum(dim, keepDim);
            case MEAN: return t.mean(dim, keepDim);
            case MAX: return t.max(dim, keepDim);
            case MIN: return t.min(dim, keepDim);
            case ARGMAX: return t.argmax(dim, keepDim);
            case ARGMIN: return t.argmin(dim, keepDim);
            case VAR: return t.var(dim, keepDim);
            default: return t.var(dim, keepDim, false);
        }
    }

    private static int[] dropped(int[] shape, int axis, boolean keepDim) {
        int[] s = shape.clone();
        s[axis] = 1;
        if (keepDim) return s;
        int[] d = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != axis) d[j++] = shape[i];
        return d;
    }

    @Test
    void reductionsAlongEachDimMatchReference() {
        Random r = new Random(21);
        for (int trial = 0; trial < 4; trial++) {
            int[] shape = randomShape(r, 1 + trial % 3 + 1, 5);
            shape[0] = Math.max(shape[0], 2); // var needs two elements along the reduced axis; the others get them below
            for (int i = 1; i < shape.length; i++) shape[i] = Math.max(shape[i], 2);
            double[] x = distinct(100 + trial, numel(shape));
            for (Kind kind : Kind.values()) {
                for (int axis = 0; axis < shape.length; axis++) {
                    for (boolean keepDim : new boolean[]{false, true}) {
                        String what = kind + " dim " + axis + " keepDim " + keepDim + " of " + str(shape);
                        double[] expected = reduce(kind, x, shape, axis);
                        Tensor out = apply(kind, f32(x, shape), axis, keepDim);
                        assertShape(out, dropped(shape, axis, keepDim));
                        boolean arg = kind == Kind.ARGMAX || kind == Kind.ARGMIN;
                        assertEquals(arg ? DType.INT64 : DType.FLOAT32, out.dtype(), what);
                        if (arg) {
                            assertExactly(expected, out, what);
                        } else {
                            // Sums of n float32 values: the error grows with n and the magnitudes involved.
                            assertClose(expected, out, F32_TOL * shape[axis] * 10, F32_TOL, what);
                        }
                        // The same along the negative spelling of the axis.
                        assertShape(apply(kind, f32(x, shape), axis - shape.length, keepDim), dropped(shape, axis, keepDim));
                    }
                }
            }
        }
    }

    @Test
    void reductionsReadStridedInputs() {
        double[] x = distinct(5, 24);
        Tensor t = f32(x, 2, 3, 4).permute(2, 0, 1); // [4, 2, 3], non-contiguous
        double[] dense = new double[24];
        int[] ps = {4, 2, 3};
        for (int i = 0; i < 24; i++) {
            int[] idx = unravel(i, ps);
            dense[i] = x[ravel(new int[]{idx[1], idx[2], idx[0]}, new int[]{2, 3, 4})];
        }
        for (Kind kind : Kind.values()) {
            for (int axis = 0; axis < 3; axis++) {
                double[] expected = reduce(kind, dense, ps, axis);
                assertClose(expected, apply(kind, t, axis, true), 1e-4, 1e-5, kind + " strided dim " + axis);
            }
        }
        assertClose(new double[]{sum(dense)}, t.sum(), 1e-4, 1e-5, "sum() strided");
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double d : v) s += d;
        return s;
    }

    @Test
    void fullReductionsGiveRankZero() {
        double[] x = distinct(9, 12);
        Tensor t = f32(x, 3, 4);
        double s = sum(x), mean = s / 12, ss = 0;
        for (double v : x) ss += (v - mean) * (v - mean);
        double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
        int argmax = 0, argmin = 0;
        for (int i = 0; i < 12; i++) {
            if (x[i] > max) { max = x[i]; argmax = i; }
            if (x[i] < min) { min = x[i]; argmin = i; }
        }
        for (Tensor r : new Tensor[]{t.sum(), t.mean(), t.max(), t.min(), t.argmax(), t.argmin(), t.var()}) assertShape(r);
        assertEquals(s, t.sum().item(), 1e-5 * 12);
        assertEquals(mean, t.mean().item(), 1e-5);
        assertEquals(max, t.max().item(), 0);
        assertEquals(min, t.min().item(), 0);
        assertEquals(argmax, t.argmax().item(), 0);
        assertEquals(argmin, t.argmin().item(), 0);
        assertEquals(DType.INT64, t.argmax().dtype());
        assertEquals(ss / 11, t.var().item(), 1e-5);
        // and of a transposed view, whose flat order differs from memory order
        double[] xt = transposed(x, 3, 4);
        int tArgmax = 0;
        for (int i = 0; i < 12; i++) if (xt[i] > xt[tArgmax]) tArgmax = i;
        assertEquals(tArgmax, t.t().argmax().item(), 0);
        assertEquals(s, t.t().sum().item(), 1e-5 * 12);
    }

    @Test
    void int64SumsAndExtremesStayExactInt64() {
        Tensor labels = Tensor.of(new long[]{3, 9, 1, 9, (1L << 53) + 1, 0}, 2, 3);
        assertEquals(DType.INT64, labels.max().dtype());
        assertEquals((1L << 53) + 1, labels.max().toLongArray()[0], "beyond 2^53: no detour through double");
        assertEquals(0, labels.min().toLongArray()[0]);
        assertEquals(new java.util.ArrayList<>(java.util.List.of(9L, (1L << 53) + 1)),
                java.util.Arrays.stream(labels.max(1, false).toLongArray()).boxed().collect(java.util.stream.Collectors.toList()));
        assertEquals(4, labels.argmax().item(), 0);
        assertEquals(1, labels.argmax(1, false).toLongArray()[0], "first of the tied 9s");
        assertEquals(3 + 9 + 1 + 9 + (1L << 53) + 1, labels.sum().toLongArray()[0]);
        assertEquals(DType.INT64, labels.sum(0, false).dtype());
        assertEquals(3 + 9L, labels.sum(0, false).toLongArray()[0]);
    }

    @Test
    void argmaxAndMaxPickTheFirstOfTies() {
        Tensor t = Tensor.of(new float[]{3, 1, 3, 2, 2, 0}, 2, 3);
        assertExactly(new double[]{0, 0}, t.argmax(1, false), "argmax ties");
        assertExactly(new double[]{1, 2}, t.argmin(1, false), "argmin");
        assertEquals(0, t.argmax().item(), 0);
        // The gradient of max goes to one winner only, as in PyTorch's max(dim).
        Tensor x = Tensor.of(new double[]{3, 1, 3, 2, 2, 0}, 2, 3).requiresGrad(true);
        x.max(1, false).sum().backward();
        assertExactly(new double[]{1, 0, 0, 1, 0, 0}, x.grad(), "d max");
    }

    @Test
    void reductionsOfRankZeroAreTheValueItself() {
        Tensor s = Tensor.scalar(2.5);
        assertShape(s);
        assertShape(s.sum(0, false));
        assertEquals(2.5, s.sum(0, true).item(), 0);
        assertEquals(2.5, s.max(-1, false).item(), 0);
        assertEquals(0, s.argmax(0, false).item(), 0);
        assertEquals(2.5, s.mean(0, false).item(), 0);
        assertEquals(2.5, s.sum().item(), 0);
    }

    @Test
    void reductionsPassGradCheckAlongEachDim() {
        Random r = new Random(22);
        Kind[] differentiable = {Kind.SUM, Kind.MEAN, Kind.MAX, Kind.MIN, Kind.VAR, Kind.VAR_BIASED};
        for (int trial = 0; trial < 2; trial++) {
            int[] shape = randomShape(r, 2 + trial, 3);
            for (int i = 0; i < shape.length; i++) shape[i] = Math.max(shape[i], 2);
            double[] x = distinct(200 + trial, numel(shape));
            for (Kind kind : differentiable) {
                for (int axis = 0; axis < shape.length; axis++) {
                    for (boolean keepDim : new boolean[]{false, true}) {
                        int a = axis;
                        gradcheck(in -> apply(kind, in[0], a, keepDim), f64(x, shape).requiresGrad(true));
                    }
                }
            }
            for (Kind kind : differentiable) {
                gradcheck(in -> {
                    Tensor t = in[0];
                    switch (kind) {
                        case SUM: return t.sum();
                        case MEAN: return t.mean();
                        case MAX: return t.max();
                        case MIN: return t.min();
                        default: return t.var();
                    }
                }, f64(x, shape).requiresGrad(true));
            }
        }
        // Through a strided input as well.
        gradcheck(in -> in[0].t().sum(1, false), f64(distinct(3, 6), 2, 3).requiresGrad(true));
        gradcheck(in -> in[0].t().var(), f64(distinct(4, 6), 2, 3).requiresGrad(true));
    }

    // ---------------------------------------------------------------- softmax family

    private static double[] softmaxRef(double[] x, int[] shape, int axis, boolean log) {
        double[] out = new double[x.length];
        int[] outer = shape.clone();
        outer[axis] = 1;
        for (int o = 0; o < numel(outer); o++) {
            int[] idx = unravel(o, outer);
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < shape[axis]; k++) {
                idx[axis] = k;
                max = Math.max(max, x[ravel(idx, shape)]);
            }
            double z = 0;
            for (int k = 0; k < shape[axis]; k++) {
                idx[axis] = k;
                z += Math.exp(x[ravel(idx, shape)] - max);
            }
            for (int k = 0; k < shape[axis]; k++) {
                idx[axis] = k;
                int f = ravel(idx, shape);
                out[f] = log ? x[f] - max - Math.log(z) : Math.exp(x[f] - max) / z;
            }
        }
        return out;
    }

    @Test
    void softmaxAndLogSoftmaxMatchReferenceAlongEachDim() {
        int[] shape = {3, 4, 5};
        double[] x = uniform(31, 60, -4, 4);
        for (int axis = 0; axis < 3; axis++) {
            assertCloseF32(softmaxRef(x, shape, axis, false), f32(x, shape).softmax(axis), "softmax dim " + axis);
            assertCloseF32(softmaxRef(x, shape, axis, true), f32(x, shape).logSoftmax(axis), "logSoftmax dim " + axis);
            assertCloseF32(softmaxRef(x, shape, axis, false), f32(x, shape).softmax(axis - 3), "softmax dim " + (axis - 3));
        }
        // Strided input.
        double[] xt = transposed(x, 12, 5);
        assertCloseF32(softmaxRef(xt, new int[]{5, 12}, 1, false), f32(x, 12, 5).t().softmax(1), "softmax of a transpose");
    }

    @Test
    void softmaxIsStableForLargeInputs() {
        Tensor x = Tensor.of(new float[]{1000, 1001, 1002, -1000, -1001, -1002}, 2, 3);
        double[] p = softmaxRef(new double[]{0, 1, 2}, new int[]{3}, 0, false);
        assertCloseF32(new double[]{p[0], p[1], p[2], p[2], p[1], p[0]}, x.softmax(1), "softmax");
        double[] lp = softmaxRef(new double[]{0, 1, 2}, new int[]{3}, 0, true);
        assertCloseF32(new double[]{lp[0], lp[1], lp[2], lp[2], lp[1], lp[0]}, x.logSoftmax(1), "logSoftmax");
        double lse = Math.log(Math.exp(0) + Math.exp(1) + Math.exp(2));
        assertClose(new double[]{1002 + lse - 2, -1000 + lse - 2}, x.logSumExp(1, false), 1e-3, 1e-6, "logSumExp");
    }

    /** PyTorch: logsumexp over an empty dimension is -inf (the log of an empty sum), with a gradient of the input's empty shape. */
    @Test
    void logSumExpOverAnEmptyDimensionIsMinusInfinity() {
        Tensor x = Tensor.zeros(3, 0).requiresGrad(true);
        Tensor r = x.logSumExp(1, false);
        assertEquals(Shape.of(3), r.shape());
        for (double v : r.toDoubleArray()) assertEquals(Double.NEGATIVE_INFINITY, v);
        assertEquals(Shape.of(3, 1), x.logSumExp(1, true).shape());
        r.sum().backward();
        assertEquals(Shape.of(3, 0), x.grad().shape());
        Tensor y = Tensor.zeros(DType.FLOAT64, 0, 2);
        assertArrayEquals(new double[]{Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, y.logSumExp(0, false).toDoubleArray());
        assertEquals(Shape.of(0), y.logSumExp(1, false).shape()); // reducing a non-empty dimension of an empty tensor
    }

    @Test
    void logSumExpMatchesReferenceAndHandlesInfinities() {
        int[] shape = {4, 3};
        double[] x = uniform(32, 12, -3, 3);
        for (int axis = 0; axis < 2; axis++) {
            for (boolean keepDim : new boolean[]{false, true}) {
                double[] ls = softmaxRef(x, shape, axis, true);
                // logSumExp = x - logSoftmax(x), the same at every position of the reduced axis: read position 0
                int[] outShape = shape.clone();
                outShape[axis] = 1;
                double[] expected = new double[numel(outShape)];
                for (int o = 0; o < expected.length; o++) {
                    int f = ravel(unravel(o, outShape), shape);
                    expected[o] = x[f] - ls[f];
                }
                Tensor out = f32(x, shape).logSumExp(axis, keepDim);
                assertShape(out, dropped(shape, axis, keepDim));
                assertCloseF32(expected, out, "logSumExp dim " + axis);
            }
        }
        Tensor inf = Tensor.of(new float[]{Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, Float.NEGATIVE_INFINITY}, 2, 2);
        assertClose(new double[]{Double.NEGATIVE_INFINITY, 0}, inf.logSumExp(1, false), 0, 0, "rows of -inf");
    }

    @Test
    void softmaxFamilyPassesGradCheck() {
        int[] shape = {2, 3, 4};
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            gradcheck(in -> in[0].softmax(a), f64(uniform(40 + axis, 24, -2, 2), shape).requiresGrad(true));
            gradcheck(in -> in[0].logSoftmax(a), f64(uniform(50 + axis, 24, -2, 2), shape).requiresGrad(true));
            gradcheck(in -> in[0].logSumExp(a, false), f64(uniform(60 + axis, 24, -2, 2), shape).requiresGrad(true));
            gradcheck(in -> in[0].logSumExp(a, true), f64(uniform(70 + axis, 24, -2, 2), shape).requiresGrad(true));
        }
        gradcheck(in -> in[0].t().softmax(1), f64(uniform(80, 6, -2, 2), 2, 3).requiresGrad(true));
    }
}
