package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.input;
import static io.jgrad.conformance.KernelViews.output;
import static io.jgrad.conformance.KernelViews.read;
import static io.jgrad.conformance.KernelViews.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgrad.DType;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.conformance.KernelViews.Operand;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Pool2d;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pooling kernels ({@link Backend#pool2d}, {@link Backend#pool2dBackward}): each backend's override against the
 * default composition of primitives ({@link KernelConformance.DefaultsOnly}) and against the float64 math, over
 * random windows (any start, length and dilation per output position, as adaptive and padded poolings produce) and
 * input layouts.
 */
public abstract class PoolKernelConformance extends KernelConformance {

    /** Random windows inside an inH x inW plane. */
    private static Pool2d randomWindows(Random rnd, boolean max) {
        int inH = 1 + rnd.nextInt(8), inW = 1 + rnd.nextInt(8);
        int outH = 1 + rnd.nextInt(5), outW = 1 + rnd.nextInt(5);
        int dh = 1 + rnd.nextInt(2), dw = 1 + rnd.nextInt(2);
        int[][] rows = axis(rnd, inH, outH, dh), cols = axis(rnd, inW, outW, dw);
        double[] divisor = null;
        if (!max) {
            divisor = new double[outH * outW];
            for (int i = 0; i < divisor.length; i++) divisor[i] = 1 + rnd.nextInt(9);
        }
        return new Pool2d(max, inH, inW, outH, outW, rows[0], rows[1], cols[0], cols[1], dh, dw, divisor);
    }

    private static int[][] axis(Random rnd, int in, int out, int dilation) {
        int[] start = new int[out], count = new int[out];
        for (int i = 0; i < out; i++) {
            start[i] = rnd.nextInt(in);
            int most = (in - 1 - start[i]) / dilation + 1;
            count[i] = 1 + rnd.nextInt(Math.min(most, 4));
        }
        return new int[][]{start, count};
    }

    /** The float64 math: {values, indices} of out[n, c, oh, ow] from in values (row-major [n, c, inH, inW]). */
    private static double[][] reference(double[] x, int planes, Pool2d p) {
        int plane = p.inH() * p.inW(), outPlane = p.outH() * p.outW();
        double[] out = new double[planes * outPlane], idx = new double[planes * outPlane];
        for (int pl = 0; pl < planes; pl++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                for (int ow = 0; ow < p.outW(); ow++) {
                    double best = Double.NEGATIVE_INFINITY, sum = 0;
                    int at = -1;
                    for (int i = 0; i < p.rowCount()[oh]; i++) {
                        for (int j = 0; j < p.colCount()[ow]; j++) {
                            int pos = (p.rowStart()[oh] + i * p.dilationH()) * p.inW() + p.colStart()[ow] + j * p.dilationW();
                            double v = x[pl * plane + pos];
                            sum += v;
                            if (at < 0 || v > best) {
                                best = v;
                                at = pos;
                            }
                        }
                    }
                    int o = pl * outPlane + oh * p.outW() + ow;
                    out[o] = p.max() ? best : sum / p.divisor()[oh * p.outW() + ow];
                    idx[o] = at;
                }
            }
        }
        return new double[][]{out, idx};
    }

    @Test
    public void poolingAgreesWithTheDefaultAndTheMath() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        for (DType dt : FLOATS) {
            for (int c = 0; c < 24; c++) {
                Random rnd = new Random(31_000 + 100 * dt.ordinal() + c);
                boolean max = c % 2 == 0;
                Pool2d p = randomWindows(rnd, max);
                int n = 1 + rnd.nextInt(3), ch = 1 + rnd.nextInt(3), planes = n * ch;
                int[] inShape = {n, ch, p.inH(), p.inW()}, outShape = {n, ch, p.outH(), p.outW()};
                Layout layout = new Layout[]{Layout.CONTIGUOUS, Layout.OFFSET, Layout.TRANSPOSED, Layout.STEPPED}[c % 4];
                // distinct values, so that the maximum of a window (and its index) is one position
                Operand in = input(be, dt, inShape, layout, rnd, uniform(rnd, -4, 4));
                String what = (max ? "max" : "avg") + " pool " + dt + " " + in + " windows " + p.outH() + "x" + p.outW();
                Operand out = output(be, dt, outShape, Layout.CONTIGUOUS, rnd), ref = output(be, dt, outShape, Layout.CONTIGUOUS, rnd);
                Operand idx = max ? output(be, DType.INT64, outShape, Layout.CONTIGUOUS, rnd) : null;
                Operand refIdx = max ? output(be, DType.INT64, outShape, Layout.CONTIGUOUS, rnd) : null;
                be.pool2d(out.view, max ? idx.view : null, in.view, p);
                defaults.pool2d(ref.view, max ? refIdx.view : null, in.view, p);
                double[] got = read(be, out.view);
                assertAgree(read(be, ref.view), got, dt, what + " vs default");
                double[][] math = reference(in.values, planes, p);
                double tol = dt == DType.FLOAT32 ? 1e-6 : 1e-14;
                for (int i = 0; i < got.length; i++) assertClose(math[0][i], got[i], tol, tol, what, i, "");
                if (max) {
                    double[] gotIdx = read(be, idx.view);
                    for (int i = 0; i < gotIdx.length; i++) {
                        assertEquals(math[1][i], gotIdx[i], what + ": index at " + i);
                        assertEquals(math[1][i], read(be, refIdx.view)[i], what + ": default's index at " + i);
                    }
                }
                // backward from a random gradient, through the indices just computed
                Operand g = input(be, dt, outShape, Layout.CONTIGUOUS, rnd, uniform(rnd, -2, 2));
                Operand gi = output(be, dt, inShape, Layout.CONTIGUOUS, rnd), gRef = output(be, dt, inShape, Layout.CONTIGUOUS, rnd);
                be.pool2dBackward(gi.view, g.view, max ? idx.view : null, p);
                defaults.pool2dBackward(gRef.view, g.view, max ? idx.view : null, p);
                double[] gotGrad = read(be, gi.view);
                assertAgree(read(be, gRef.view), gotGrad, dt, what + " backward vs default");
                double[] want = new double[gotGrad.length];
                int plane = p.inH() * p.inW(), outPlane = p.outH() * p.outW();
                for (int pl = 0; pl < planes; pl++) {
                    for (int o = 0; o < outPlane; o++) {
                        double gv = g.values[pl * outPlane + o];
                        int oh = o / p.outW(), ow = o % p.outW();
                        if (max) {
                            want[pl * plane + (int) math[1][pl * outPlane + o]] += gv;
                            continue;
                        }
                        for (int i = 0; i < p.rowCount()[oh]; i++) {
                            for (int j = 0; j < p.colCount()[ow]; j++) {
                                want[pl * plane + (p.rowStart()[oh] + i * p.dilationH()) * p.inW() + p.colStart()[ow] + j * p.dilationW()]
                                        += gv / p.divisor()[o];
                            }
                        }
                    }
                }
                for (int i = 0; i < want.length; i++) assertClose(want[i], gotGrad[i], tol * 4, tol * 4, what + " backward", i, "");
            }
        }
    }

    @Test
    public void poolingRefusesMismatchedViews() {
        Backend be = backend();
        Random rnd = new Random(31_900);
        Pool2d p = new Pool2d(true, 4, 4, 2, 2, new int[]{0, 2}, new int[]{2, 2}, new int[]{0, 2}, new int[]{2, 2}, 1, 1, null);
        Operand in = input(be, DType.FLOAT32, new int[]{1, 1, 4, 4}, Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
        Operand wrong = output(be, DType.FLOAT32, new int[]{1, 1, 3, 2}, Layout.CONTIGUOUS, rnd);
        Operand idx = output(be, DType.INT64, new int[]{1, 1, 3, 2}, Layout.CONTIGUOUS, rnd);
        assertThrows(IllegalArgumentException.class, () -> be.pool2d(wrong.view, idx.view, in.view, p));
        Operand out = output(be, DType.FLOAT32, new int[]{1, 1, 2, 2}, Layout.CONTIGUOUS, rnd);
        assertThrows(IllegalArgumentException.class, () -> be.pool2d(out.view, null, in.view, p), "max pooling without indices");
        Operand f64 = output(be, DType.FLOAT64, new int[]{1, 1, 2, 2}, Layout.CONTIGUOUS, rnd);
        Operand goodIdx = output(be, DType.INT64, new int[]{1, 1, 2, 2}, Layout.CONTIGUOUS, rnd);
        assertThrows(IllegalArgumentException.class, () -> be.pool2d(f64.view, goodIdx.view, in.view, p), "mixed dtypes");
    }

    private static void assertAgree(double[] want, double[] got, DType dt, String what) {
        double tol = dt == DType.FLOAT32 ? 1e-5 : 1e-12;
        for (int i = 0; i < want.length; i++) assertClose(want[i], got[i], tol, tol, what, i, "");
    }
}
