package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.OUTPUT_LAYOUTS;
import static io.jgrad.conformance.KernelViews.assertUntouched;
import static io.jgrad.conformance.KernelViews.input;
import static io.jgrad.conformance.KernelViews.output;
import static io.jgrad.conformance.KernelViews.randomShape;
import static io.jgrad.conformance.KernelViews.read;
import static io.jgrad.conformance.KernelViews.uniform;
import static io.jgrad.conformance.KernelViews.unravel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.conformance.KernelViews.Operand;
import io.jgrad.spi.Backend;
import io.jgrad.spi.ScanOp;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scans and stable sorts along one axis ({@link Backend#scan}, {@link Backend#sort}) against float64 references
 * computed here: random shapes, axes, input and output layouts; ties, NaN and infinities; the contract's refusals.
 * <p>
 * A backend runs it through a one-line subclass; see {@link KernelConformance} for the layouts.
 */
public abstract class ScanSortKernelConformance extends KernelConformance {

    private static final DType[] SCAN_TYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT64};

    @ParameterizedTest
    @EnumSource(ScanOp.class)
    public void scanMatchesReference(ScanOp op) {
        Backend be = backend();
        DType[] types = op == ScanOp.LOGSUMEXP ? FLOATS : SCAN_TYPES;
        for (DType dt : types) {
            for (int c = 0; c < 16; c++) {
                Random rnd = new Random(7000L * op.ordinal() + 10 * c + dt.ordinal());
                int rank = 1 + c % 4;
                int[] shape = randomShape(rnd, rank, rank <= 2 ? 12 : 5);
                int axis = rnd.nextInt(rank);
                DoubleSupplier gen = dt == DType.INT64 ? () -> rnd.nextInt(7) - 3
                        : op == ScanOp.PROD ? uniform(rnd, -1.5, 1.5) : uniform(rnd, -10, 10);
                Operand in = input(be, dt, shape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, gen);
                Operand out = output(be, dt, shape, OUTPUT_LAYOUTS[(c / 3) % OUTPUT_LAYOUTS.length], rnd);
                be.scan(op, out.view, in.view, axis);
                String what = "scan " + op + " " + dt + " axis " + axis + " in " + in + " out " + out;
                checkScan(op, dt, in.values, shape, axis, read(be, out.view), what);
                assertUntouched(be, out.view, what);
            }
        }
        // long rows and many rows, split across threads
        for (DType dt : FLOATS) {
            Random rnd = new Random(7100 + op.ordinal());
            int[] big = {300, 700};
            Operand in = input(be, dt, big, dt == DType.FLOAT32 ? Layout.CONTIGUOUS : Layout.TRANSPOSED, rnd,
                    op == ScanOp.PROD ? () -> 1 + (rnd.nextDouble() - 0.5) * 0.01 : uniform(rnd, -1, 1));
            for (int axis = 0; axis < 2; axis++) {
                Operand out = output(be, dt, big, Layout.CONTIGUOUS, rnd);
                be.scan(op, out.view, in.view, axis);
                checkScan(op, dt, in.values, big, axis, read(be, out.view), "scan " + op + " " + dt + " big axis " + axis);
            }
        }
    }

    @Test
    public void scansPropagateNaNAndInfinities() {
        Backend be = backend();
        double inf = Double.POSITIVE_INFINITY, nan = Double.NaN;
        double[] values = {-inf, -inf, 0, inf, 1, nan, 2, 3};
        for (DType dt : FLOATS) {
            Operand in = input(be, dt, new int[]{8}, Layout.CONTIGUOUS, new Random(1), values);
            for (ScanOp op : ScanOp.values()) {
                Operand out = output(be, dt, new int[]{8}, Layout.CONTIGUOUS, new Random(1));
                be.scan(op, out.view, in.view, 0);
                checkScan(op, dt, in.values, new int[]{8}, 0, read(be, out.view), "scan " + op + " " + dt + " with inf and NaN");
            }
        }
        // the logsumexp scan specifically: -inf stays -inf until a finite value, +inf then wins, NaN sticks
        Operand in = input(be, DType.FLOAT64, new int[]{8}, Layout.CONTIGUOUS, new Random(1), values);
        Operand out = output(be, DType.FLOAT64, new int[]{8}, Layout.CONTIGUOUS, new Random(1));
        be.scan(ScanOp.LOGSUMEXP, out.view, in.view, 0);
        double[] got = read(be, out.view);
        assertArrayEquals(new double[]{-inf, -inf, 0, inf, inf, nan, nan, nan}, got, 0, Arrays.toString(got));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64", "INT64"})
    public void sortMatchesStableReference(DType dt) {
        Backend be = backend();
        for (int c = 0; c < 24; c++) {
            Random rnd = new Random(7200L + 10 * c + dt.ordinal());
            int rank = 1 + c % 4;
            int[] shape = randomShape(rnd, rank, rank <= 2 ? 40 : 6);
            int axis = rnd.nextInt(rank);
            boolean descending = c % 2 == 1;
            // few distinct values (ties are common), and NaN, infinities and -0 among floats
            double[] pool = dt == DType.INT64 ? new double[]{-3, 0, 2, 5, Long.MAX_VALUE / 2.0}
                    : new double[]{-1.5, 0, -0.0, 2, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.5};
            Operand in = input(be, dt, shape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, () -> pool[rnd.nextInt(pool.length)]);
            Operand values = output(be, dt, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
            Operand indices = output(be, DType.INT64, shape, OUTPUT_LAYOUTS[(c / 2) % OUTPUT_LAYOUTS.length], rnd);
            be.sort(values.view, indices.view, in.view, axis, descending);
            String what = "sort " + dt + (descending ? " descending" : "") + " axis " + axis + " in " + in;
            checkSort(in.values, shape, axis, descending, read(be, values.view), read(be, indices.view), what);
            assertUntouched(be, values.view, what);
            assertUntouched(be, indices.view, what);
        }
        // many long rows, split across threads
        Random rnd = new Random(7300 + dt.ordinal());
        int[] big = {64, 1500};
        Operand in = input(be, dt, big, Layout.TRANSPOSED, rnd, () -> rnd.nextInt(200) - 100);
        for (int axis = 0; axis < 2; axis++) {
            Operand values = output(be, dt, big, Layout.CONTIGUOUS, rnd);
            Operand indices = output(be, DType.INT64, big, Layout.CONTIGUOUS, rnd);
            be.sort(values.view, indices.view, in.view, axis, axis == 1);
            checkSort(in.values, big, axis, axis == 1, read(be, values.view), read(be, indices.view), "sort " + dt + " big axis " + axis);
        }
    }

    @Test
    public void sortPutsNaNLastAscendingAndFirstDescendingKeepingTies() {
        Backend be = backend();
        double nan = Double.NaN;
        double[] x = {1, nan, 3, nan, -0.0, 0.0};
        for (DType dt : FLOATS) {
            Operand in = input(be, dt, new int[]{6}, Layout.CONTIGUOUS, new Random(1), x);
            Operand values = output(be, dt, new int[]{6}, Layout.CONTIGUOUS, new Random(1));
            Operand indices = output(be, DType.INT64, new int[]{6}, Layout.CONTIGUOUS, new Random(1));
            be.sort(values.view, indices.view, in.view, 0, true);
            // PyTorch 2.13: torch.sort(x, descending=True, stable=True)
            assertArrayEquals(new double[]{1, 3, 2, 0, 4, 5}, read(be, indices.view), 0);
            assertArrayEquals(new double[]{nan, nan, 3, 1, -0.0, 0.0}, read(be, values.view), 0);
            be.sort(values.view, indices.view, in.view, 0, false);
            assertArrayEquals(new double[]{4, 5, 0, 2, 1, 3}, read(be, indices.view), 0);
            assertArrayEquals(new double[]{-0.0, 0.0, 1, 3, nan, nan}, read(be, values.view), 0);
        }
    }

    @Test
    public void contractRefusesBadArguments() {
        Backend be = backend();
        Random rnd = new Random(3);
        Operand x = input(be, DType.FLOAT32, new int[]{3, 4}, Layout.CONTIGUOUS, rnd, uniform(rnd, 0, 1));
        Operand xl = input(be, DType.INT64, new int[]{3, 4}, Layout.CONTIGUOUS, rnd, () -> 1);
        Operand out = output(be, DType.FLOAT32, new int[]{3, 4}, Layout.CONTIGUOUS, rnd);
        Operand wrongShape = output(be, DType.FLOAT32, new int[]{4, 3}, Layout.CONTIGUOUS, rnd);
        Operand wrongType = output(be, DType.FLOAT64, new int[]{3, 4}, Layout.CONTIGUOUS, rnd);
        Operand idx = output(be, DType.INT64, new int[]{3, 4}, Layout.CONTIGUOUS, rnd);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> be.scan(ScanOp.SUM, out.view, x.view, 2)), "axis 2");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> be.scan(ScanOp.SUM, wrongShape.view, x.view, 0)), "shape");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> be.scan(ScanOp.PROD, wrongType.view, x.view, 0)), "float64");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> be.scan(ScanOp.LOGSUMEXP, idx.view, xl.view, 0)), "int64");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> be.sort(out.view, idx.view, x.view, -1, false)), "axis -1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> be.sort(wrongShape.view, idx.view, x.view, 0, false)), "shape");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> be.sort(out.view, out.view, x.view, 0, false)), "indices");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> be.sort(wrongType.view, idx.view, x.view, 0, false)), "values");
    }

    private static void assertMessage(Exception e, String part) {
        assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" should mention " + part);
    }

    // ---------------------------------------------------------------- references

    /** The scan of every row in float64 (int64 wraps); float32 results are the float64 running value rounded once. */
    private static void checkScan(ScanOp op, DType dt, double[] in, int[] shape, int axis, double[] got, String what) {
        int len = shape[axis];
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
        int rows = in.length / Math.max(1, len);
        for (int row = 0; row < rows; row++) {
            long outerIdx = row / inner, innerIdx = row % inner;
            double acc = 0;
            long lacc = 0;
            for (int i = 0; i < len; i++) {
                int at = (int) ((outerIdx * len + i) * inner + innerIdx);
                double v = in[at];
                if (dt == DType.INT64) {
                    lacc = i == 0 ? (long) v : op == ScanOp.PROD ? lacc * (long) v : lacc + (long) v;
                    if (got[at] != (double) lacc) throw new AssertionError(what + ": element " + at + " is " + got[at] + ", want " + lacc);
                    continue;
                }
                acc = i == 0 ? v : switch (op) {
                    case SUM -> acc + v;
                    case PROD -> acc * v;
                    case LOGSUMEXP -> logAddExp(acc, v);
                };
                double want = round(dt, acc);
                double rel = op == ScanOp.LOGSUMEXP ? (dt == DType.FLOAT32 ? 2e-7 : 1e-14) : 0;
                final int index = at;
                assertClose(want, got[at], rel, op == ScanOp.LOGSUMEXP ? 1e-300 : 0, what, index, lazy(() -> "row " + index));
            }
        }
    }

    private static double logAddExp(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.NaN;
        double hi = Math.max(a, b), lo = Math.min(a, b);
        if (hi == lo && Double.isInfinite(hi)) return hi;
        return hi + Math.log1p(Math.exp(lo - hi));
    }

    /** A stable sort of each row's positions (java.util's object sort is stable), NaN above every number. */
    private static void checkSort(double[] in, int[] shape, int axis, boolean descending, double[] gotValues,
                                  double[] gotIndices, String what) {
        int len = shape[axis];
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
        int rows = in.length / Math.max(1, len);
        Comparator<Integer> ascending = (p, q) -> compare(in[p], in[q]);
        for (int row = 0; row < rows; row++) {
            long outerIdx = row / inner, innerIdx = row % inner;
            Integer[] pos = new Integer[len];
            for (int i = 0; i < len; i++) pos[i] = (int) ((outerIdx * len + i) * inner + innerIdx);
            Integer[] sorted = pos.clone();
            Arrays.sort(sorted, descending ? ascending.reversed() : ascending);
            for (int i = 0; i < len; i++) {
                int at = pos[i];
                int wantIndex = (int) ((sorted[i] - outerIdx * len * inner - innerIdx) / inner);
                if (gotIndices[at] != wantIndex || Double.compare(gotValues[at], in[sorted[i]]) != 0) {
                    int[] idx = new int[shape.length];
                    unravel(at, shape, idx);
                    throw new AssertionError(what + ": at " + Arrays.toString(idx) + " got value " + gotValues[at] + " index "
                            + gotIndices[at] + ", want " + in[sorted[i]] + " from index " + wantIndex);
                }
            }
        }
    }

    /** Ascending order: NaN above every number, NaNs equal, -0 equal to 0. */
    private static int compare(double a, double b) {
        boolean an = Double.isNaN(a), bn = Double.isNaN(b);
        if (an || bn) return an == bn ? 0 : an ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
    }
}
