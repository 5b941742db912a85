package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.OUTPUT_LAYOUTS;
import static io.jgrad.conformance.KernelViews.assertUntouched;
import static io.jgrad.conformance.KernelViews.input;
import static io.jgrad.conformance.KernelViews.output;
import static io.jgrad.conformance.KernelViews.randomShape;
import static io.jgrad.conformance.KernelViews.read;
import static io.jgrad.conformance.KernelViews.uniform;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.conformance.KernelViews.Operand;
import io.jgrad.spi.Backend;
import io.jgrad.spi.ReduceOp;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reductions along one axis: every {@link ReduceOp} against a float64 reference, NaN propagation, and the
 * float32 accuracy of long sums.
 * <p>
 * A backend runs it through a one-line subclass; see {@link KernelConformance} for the inputs, layouts and tolerances.
 */
public abstract class ReduceKernelConformance extends KernelConformance {
    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    public void reduceMatchesReference(ReduceOp op) {
        Backend be = backend();
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        DType[] types = op == ReduceOp.SUM ? FLOATS : KernelViews.CORE_DTYPES;
        for (DType dt : types) {
            for (int c = 0; c < 16; c++) {
                Random rnd = new Random(5000L * op.ordinal() + 10 * c + dt.ordinal());
                int rank = 1 + c % 4;
                int[] shape = randomShape(rnd, rank, rank <= 2 ? 12 : 5);
                int axis = rnd.nextInt(rank);
                // few distinct values, so that MAX/MIN and ARGMAX/ARGMIN ties are common
                DoubleSupplier gen = arg || dt == DType.INT64 ? () -> rnd.nextInt(7) - 3 : uniform(rnd, -10, 10);
                Operand in = input(be, dt, shape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, gen);
                int[] outShape = shape.clone();
                outShape[axis] = 1;
                Operand out = output(be, arg ? DType.INT64 : dt, outShape, OUTPUT_LAYOUTS[(c / 3) % OUTPUT_LAYOUTS.length], rnd);
                be.reduce(op, out.view, in.view, axis);
                String what = "reduce " + op + " " + dt + " axis " + axis + " in " + in + " out " + out;
                checkReduce(op, dt, in.values, shape, axis, read(be, out.view), what);
                assertUntouched(be, out.view, what);
            }
        }
        // big ones along each axis of a matrix, split across threads
        for (DType dt : FLOATS) {
            Random rnd = new Random(6000 + op.ordinal());
            int[] big = {500, 300};
            DoubleSupplier gen = arg ? () -> rnd.nextInt(50) : uniform(rnd, -1, 1);
            Operand in = input(be, dt, big, dt == DType.FLOAT32 ? Layout.CONTIGUOUS : Layout.TRANSPOSED, rnd, gen);
            for (int axis = 0; axis < 2; axis++) {
                int[] outShape = big.clone();
                outShape[axis] = 1;
                Operand out = output(be, arg ? DType.INT64 : dt, outShape, Layout.CONTIGUOUS, rnd);
                be.reduce(op, out.view, in.view, axis);
                checkReduce(op, dt, in.values, big, axis, read(be, out.view), "reduce " + op + " " + dt + " big axis " + axis);
            }
        }
    }

    @Test
    public void reductionsPropagateNaN() {
        Backend be = backend();
        for (DType dt : FLOATS) {
            double[] values = {1, 2, Double.NaN, 4, 5, 6, 7, 8};
            Operand in = input(be, dt, new int[]{2, 4}, Layout.CONTIGUOUS, new Random(1), values);
            for (ReduceOp op : new ReduceOp[]{ReduceOp.SUM, ReduceOp.MAX, ReduceOp.MIN}) {
                Operand out = output(be, dt, new int[]{2, 1}, Layout.CONTIGUOUS, new Random(1));
                be.reduce(op, out.view, in.view, 1);
                double[] got = read(be, out.view);
                assertTrue(Double.isNaN(got[0]), op + " " + dt + " of a row with NaN gave " + got[0]);
                assertFalse(Double.isNaN(got[1]), op + " " + dt + " of a row without NaN gave NaN");
            }
        }
    }

    @Test
    public void float32SumOfAMillionElementsStaysWithinFloat32Rounding() {
        Backend be = backend();
        int n = 1_000_000;
        Random rnd = new Random(11);
        double[] values = new double[n];
        double want = 0;
        for (int i = 0; i < n; i++) {
            values[i] = (float) (rnd.nextDouble() + 0.5); // all positive: nothing cancels, any drift shows
            want += values[i];
        }
        Operand in = input(be, DType.FLOAT32, new int[]{n}, Layout.CONTIGUOUS, rnd, values);
        Operand out = output(be, DType.FLOAT32, new int[]{1}, Layout.CONTIGUOUS, rnd);
        be.reduce(ReduceOp.SUM, out.view, in.view, 0);
        double got = read(be, out.view)[0];
        // a plain float accumulator is off by ~1e-4 relative here; pairwise or wider accumulation by ~1e-7
        assertClose(want, got, 4 * 0x1p-24, 0, "float32 sum of 1e6 values", 0, "");
    }

    static void checkReduce(ReduceOp op, DType dt, double[] x, int[] shape, int axis, double[] got, String what) {
        int outer = 1, inner = 1, len = shape[axis];
        for (int d = 0; d < axis; d++) outer *= shape[d];
        for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double sum = 0, sumAbs = 0, best = x[o * len * inner + i];
                int at = 0;
                for (int k = 0; k < len; k++) {
                    double v = x[(o * len + k) * inner + i];
                    sum += v;
                    sumAbs += Math.abs(v);
                    boolean better = op == ReduceOp.ARGMIN || op == ReduceOp.MIN ? v < best : v > best;
                    if (better) {
                        best = v;
                        at = k;
                    }
                }
                int j = o * inner + i;
                switch (op) {
                    case SUM:
                        assertClose(round(dt, sum), got[j], 0, (dt == DType.FLOAT32 ? 0x1p-22 : 0x1p-50) * sumAbs, what, j, "");
                        break;
                    case MAX: case MIN:
                        assertClose(best, got[j], 0, 0, what, j, "");
                        break;
                    default:
                        assertClose(at, got[j], 0, 0, what, j, "the first extreme");
                }
            }
        }
    }
}
