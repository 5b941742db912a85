package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.View;
import org.junit.jupiter.api.Test;

/** Reductions, softmax, cross-entropy, gather and scatter-add against float64 loops on the host. */
class CudaReduceTest extends GpuTestSupport {
    /** The dtypes these tests cover; int32 and bool have their own suite (CudaDTypeKernelTest). */
    private static final DType[] CORE_DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT64};


    /** Reduces the host copy of a view along axis, the obvious way. */
    private static double[] reference(ReduceOp op, double[] data, View in, int axis) {
        int[] outShape = in.shape.clone();
        outShape[axis] = 1;
        double[] out = new double[(int) View.numel(outShape)];
        int[] pos = {0};
        forEachIndex(outShape, idx -> {
            int[] i = idx.clone();
            double acc = op == ReduceOp.SUM ? 0 : Double.NaN;
            int best = 0;
            for (int k = 0; k < in.shape[axis]; k++) {
                i[axis] = k;
                double v = data[(int) offset(in, i)];
                if (op == ReduceOp.SUM) acc += v;
                else if (op == ReduceOp.MAX) acc = k == 0 ? v : Math.max(acc, v);
                else if (op == ReduceOp.MIN) acc = k == 0 ? v : Math.min(acc, v);
                else if (k == 0 || (op == ReduceOp.ARGMAX ? v > acc : v < acc)) {
                    acc = v;
                    best = k;
                }
            }
            out[pos[0]++] = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? best : acc;
        });
        return out;
    }

    private void checkReduce(DType t, int[] shape, long[] strides, int length, long seed) {
        double[] data = randoms(length, seed, 5);
        for (int i = 0; i < length; i += 97) data[i] = data[(i + 13) % length]; // ties for ARGMAX / ARGMIN
        if (t == DType.INT64) for (int i = 0; i < length; i++) data[i] = Math.round(data[i] * 1000);
        Buffer in = upload(t, data);
        double[] stored = download(in);
        View vin = new View(in, 0, shape, strides);
        for (int axis = 0; axis < shape.length; axis++) {
            int[] outShape = shape.clone();
            outShape[axis] = 1;
            int outN = (int) View.numel(outShape);
            for (ReduceOp op : ReduceOp.values()) {
                boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
                Buffer out = garbage(arg ? DType.INT64 : t, outN);
                gpu.reduce(op, View.contiguous(out, outShape), vin, axis);
                double[] got = download(out);
                double[] want = reference(op, stored, vin, axis);
                for (int i = 0; i < outN; i++) {
                    String what = t + " " + op + " over axis " + axis + " of " + java.util.Arrays.toString(shape) + " at " + i;
                    if (op == ReduceOp.SUM && t != DType.INT64) {
                        assertClose(round(t, want[i]), got[i], tolerance(t) * 10, 1e-9 * shape[axis], what);
                    } else {
                        assertEquals(want[i], got[i], what);
                    }
                }
            }
        }
    }

    @Test
    void reduceEveryAxisOfDenseTensors() {
        for (DType t : CORE_DTYPES) {
            checkReduce(t, new int[]{5, 300, 7}, new long[]{2100, 7, 1}, 10500, 11); // thread and block paths
            checkReduce(t, new int[]{3, 20000}, new long[]{20000, 1}, 60000, 12);   // long rows: split blocks
        }
    }

    @Test
    void reduceLongColumnAndTransposedViews() {
        checkReduce(DType.FLOAT64, new int[]{30000, 3}, new long[]{3, 1}, 90000, 13);    // few outputs, strided axis
        checkReduce(DType.FLOAT32, new int[]{40, 50}, new long[]{1, 40}, 2000, 14);      // transposed
        checkReduce(DType.FLOAT32, new int[]{100000}, new long[]{1}, 100000, 15);        // everything into one
    }

    @Test
    void maxPropagatesNaNAndArgmaxPicksTheFirstTie() {
        Buffer in = upload(DType.FLOAT64, 1, Double.NaN, 3, 3, -1, 3);
        Buffer max = allocate(DType.FLOAT64, 2);
        Buffer arg = allocate(DType.INT64, 2);
        gpu.reduce(ReduceOp.MAX, view(max, 2, 1), view(in, 2, 3), 1);
        double[] m = download(max);
        assertTrue(Double.isNaN(m[0]));
        assertEquals(3, m[1]);
        gpu.reduce(ReduceOp.ARGMAX, view(arg, 2, 1), view(in, 2, 3), 1);
        long[] a = downloadLongs(arg);
        assertEquals(1, a[0], "NaN counts as the maximum, as in PyTorch");
        assertEquals(0, a[1], "the first of equal maxima");
    }

    private static double[] softmaxReference(double[] x, View v, int axis, boolean log) {
        double[] out = new double[x.length];
        int[] outer = v.shape.clone();
        outer[axis] = 1;
        forEachIndex(outer, idx -> {
            int[] i = idx.clone();
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v.shape[axis]; k++) {
                i[axis] = k;
                max = Math.max(max, x[(int) offset(v, i)]);
            }
            double sum = 0;
            for (int k = 0; k < v.shape[axis]; k++) {
                i[axis] = k;
                sum += Math.exp(x[(int) offset(v, i)] - max);
            }
            for (int k = 0; k < v.shape[axis]; k++) {
                i[axis] = k;
                double xi = x[(int) offset(v, i)];
                out[(int) offset(v, i)] = log ? xi - max - Math.log(sum) : Math.exp(xi - max) / sum;
            }
        });
        return out;
    }

    @Test
    void softmaxAndLogSoftmaxAlongEachAxis() {
        int[][] shapes = {{7, 50}, {3, 3000}, {65, 2}};
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : shapes) {
                int n = (int) View.numel(shape);
                double[] x = randoms(n, shape[1], 30); // large values: exp overflows without the max shift
                Buffer in = upload(t, x);
                double[] stored = download(in);
                Buffer out = garbage(t, n);
                for (int axis = 0; axis < 2; axis++) {
                    for (boolean log : new boolean[]{false, true}) {
                        gpu.softmax(view(out, shape), view(in, shape), axis, log);
                        double[] got = download(out);
                        double[] want = softmaxReference(stored, view(in, shape), axis, log);
                        for (int i = 0; i < n; i++) {
                            assertClose(round(t, want[i]), got[i], tolerance(t) * 4, log ? 1e-12 : 1e-300,
                                    t + (log ? " log" : " ") + "softmax axis " + axis + " of " + java.util.Arrays.toString(shape) + " at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void crossEntropyForwardAndBackward() {
        int n = 37;
        int c = 300;
        long[] targets = new long[n];
        for (int i = 0; i < n; i++) targets[i] = (i * 7919L) % c;
        double[] logits = randoms(n * c, 21, 8);
        double[] gradLoss = randoms(n, 22, 1);
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Buffer lg = upload(t, logits);
            double[] stored = download(lg);
            Buffer tg = uploadLongs(targets);
            Buffer lp = garbage(t, n * c);
            Buffer loss = garbage(t, n);
            gpu.crossEntropyForward(view(loss, n), view(lp, n, c), view(lg, n, c), view(tg, n));
            double[] want = softmaxReference(stored, view(lg, n, c), 1, true);
            double[] gotLp = download(lp);
            double[] gotLoss = download(loss);
            for (int i = 0; i < n * c; i++) assertClose(round(t, want[i]), gotLp[i], tolerance(t) * 4, 1e-12, t + " logProbs " + i);
            for (int i = 0; i < n; i++) assertEquals(-gotLp[i * c + (int) targets[i]], gotLoss[i], t + " loss " + i + " is -logProbs[target]");

            Buffer gl = upload(t, gradLoss);
            double[] gls = download(gl);
            Buffer grad = garbage(t, n * c);
            gpu.crossEntropyBackward(view(grad, n, c), view(lp, n, c), view(tg, n), view(gl, n));
            double[] g = download(grad);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < c; j++) {
                    double w = gls[i] * (Math.exp(gotLp[i * c + j]) - (j == targets[i] ? 1 : 0));
                    assertClose(round(t, w), g[i * c + j], tolerance(t) * 4, 1e-15, t + " grad " + i + "," + j);
                }
            }
        }
    }

    @Test
    void badTargetIsReportedAtTheNextSynchronisation() {
        Buffer lg = upload(DType.FLOAT32, randoms(6, 3, 1));
        Buffer lp = allocate(DType.FLOAT32, 6);
        Buffer loss = allocate(DType.FLOAT32, 2);
        gpu.crossEntropyForward(view(loss, 2), view(lp, 2, 3), view(lg, 2, 3), view(uploadLongs(1, 3), 2));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, gpu::synchronize);
        assertTrue(e.getMessage().contains("index 3") && e.getMessage().contains("[0, 3)"), e.getMessage());
        gpu.synchronize(); // the error was reported once and cleared
    }

    @Test
    void gatherAndScatterAddAlongEachDim() {
        int rows = 6;
        int cols = 5;
        for (DType t : CORE_DTYPES) {
            double[] src = randoms(rows * cols, 31, 100);
            Buffer in = upload(t, src);
            double[] stored = download(in);
            for (int dim = 0; dim < 2; dim++) {
                int size = dim == 0 ? rows : cols;
                int outRows = dim == 0 ? 9 : rows; // more picks than rows along dim 0, fewer columns along dim 1
                int outCols = dim == 0 ? cols : 3;
                long[] index = new long[outRows * outCols];
                for (int i = 0; i < index.length; i++) index[i] = (i * 7L + 3) % size;
                Buffer idx = uploadLongs(index);
                Buffer out = garbage(t, outRows * outCols);
                gpu.gather(view(out, outRows, outCols), view(in, rows, cols), dim, view(idx, outRows, outCols));
                double[] got = download(out);
                for (int i = 0; i < outRows; i++) {
                    for (int j = 0; j < outCols; j++) {
                        int k = (int) index[i * outCols + j];
                        double want = dim == 0 ? stored[k * cols + j] : stored[i * cols + k];
                        assertEquals(want, got[i * outCols + j], t + " gather dim " + dim + " at " + i + "," + j);
                    }
                }
                // scatter the gathered values back, added onto ones
                double[] ones = new double[rows * cols];
                java.util.Arrays.fill(ones, 1);
                Buffer acc = upload(t, ones);
                gpu.scatterAdd(view(acc, rows, cols), dim, view(idx, outRows, outCols), view(out, outRows, outCols));
                double[] sums = download(acc);
                double[] want = ones.clone();
                for (int i = 0; i < outRows; i++) {
                    for (int j = 0; j < outCols; j++) {
                        int k = (int) index[i * outCols + j];
                        want[dim == 0 ? k * cols + j : i * cols + k] += got[i * outCols + j];
                    }
                }
                for (int i = 0; i < rows * cols; i++) assertClose(round(t, want[i]), sums[i], tolerance(t) * 4, t == DType.FLOAT32 ? 1e-4 : 1e-12, t + " scatterAdd dim " + dim + " at " + i);
            }
        }
    }

    @Test
    void badGatherIndexIsReportedNotReadOutOfBounds() {
        Buffer in = upload(DType.FLOAT64, 1, 2, 3);
        Buffer out = allocate(DType.FLOAT64, 2);
        gpu.gather(view(out, 2), view(in, 3), 0, view(uploadLongs(2, -1), 2));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> download(out));
        assertTrue(e.getMessage().startsWith("gather") && e.getMessage().contains("-1"), e.getMessage());
        assertEquals(3.0, download(out)[0], "the valid index was still gathered");
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> gpu.gather(view(out, 2), view(in, 3), 0, view(uploadLongs(0, 0, 0), 3)));
        assertTrue(shape.getMessage().contains("gather"), shape.getMessage());
    }
}
