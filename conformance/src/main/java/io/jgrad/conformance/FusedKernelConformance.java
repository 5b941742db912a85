package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.assertUntouched;
import static io.jgrad.conformance.KernelViews.input;
import static io.jgrad.conformance.KernelViews.output;
import static io.jgrad.conformance.KernelViews.randomShape;
import static io.jgrad.conformance.KernelViews.read;
import static io.jgrad.conformance.KernelViews.uniform;

import io.jgrad.DType;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.conformance.KernelViews.Operand;
import io.jgrad.spi.Backend;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused kernels (softmax, cross-entropy, bias + activation, batch norm, Adam, SGD): each backend override
 * against the default composition of primitives ({@link KernelConformance.DefaultsOnly} on the same backend) and the
 * math.
 * <p>
 * A backend runs it through a one-line subclass; see {@link KernelConformance} for the inputs, layouts and tolerances.
 */
public abstract class FusedKernelConformance extends KernelConformance {
    @Test
    public void softmaxIsStableAndAgreesWithTheDefault() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        for (DType dt : FLOATS) {
            for (int c = 0; c < 12; c++) {
                Random rnd = new Random(15_000 + 10 * dt.ordinal() + c);
                int rank = 1 + c % 3;
                int[] shape = randomShape(rnd, rank, 9);
                int axis = c % 4 == 3 ? rnd.nextInt(rank) : rank - 1;
                boolean log = c % 2 == 1;
                double scale = c % 3 == 2 ? 1e4 : 5; // large logits: exp would overflow without the max shift
                Layout layout = c % 5 == 4 ? Layout.TRANSPOSED : Layout.CONTIGUOUS;
                Operand in = input(be, dt, shape, layout, rnd, uniform(rnd, -scale, scale));
                Operand out = output(be, dt, shape, Layout.CONTIGUOUS, rnd);
                Operand ref = output(be, dt, shape, Layout.CONTIGUOUS, rnd);
                be.softmax(out.view, in.view, axis, log);
                defaults.softmax(ref.view, in.view, axis, log);
                double[] got = read(be, out.view);
                String what = "softmax " + dt + " axis " + axis + " log " + log + " scale " + scale + " " + in;
                assertAgree(read(be, ref.view), got, dt, what + " vs default");
                // against float64 math
                int outer = 1, inner = 1, len = shape[axis];
                for (int d = 0; d < axis; d++) outer *= shape[d];
                for (int d = axis + 1; d < rank; d++) inner *= shape[d];
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int l = 0; l < len; l++) max = Math.max(max, in.values[(o * len + l) * inner + i]);
                        for (int l = 0; l < len; l++) sum += Math.exp(in.values[(o * len + l) * inner + i] - max);
                        for (int l = 0; l < len; l++) {
                            int at = (o * len + l) * inner + i;
                            double shifted = in.values[at] - max;
                            double want = log ? shifted - Math.log(sum) : Math.exp(shifted) / sum;
                            double tol = dt == DType.FLOAT32 ? 2e-6 : 1e-13;
                            assertClose(want, got[at], tol, tol * (log ? Math.abs(shifted) + 1 : 0) + 1e-30, what, at, "");
                        }
                    }
                }
            }
        }
    }

    @Test
    public void crossEntropyForwardAndBackwardAgreeWithTheDefaultAndTheMath() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        for (DType dt : FLOATS) {
            for (int c = 0; c < 6; c++) {
                Random rnd = new Random(16_000 + 10 * dt.ordinal() + c);
                int n = 1 + rnd.nextInt(12), classes = 1 + rnd.nextInt(9);
                double scale = c == 5 ? 300 : 4;
                Operand logits = input(be, dt, new int[]{n, classes}, Layout.CONTIGUOUS, rnd, uniform(rnd, -scale, scale));
                Operand targets = input(be, DType.INT64, new int[]{n}, c % 2 == 0 ? Layout.CONTIGUOUS : Layout.STEPPED, rnd,
                        () -> rnd.nextInt(classes));
                Operand losses = output(be, dt, new int[]{n}, c % 3 == 0 ? Layout.CONTIGUOUS : Layout.STEPPED, rnd);
                Operand logProbs = output(be, dt, new int[]{n, classes}, Layout.CONTIGUOUS, rnd);
                Operand losses2 = output(be, dt, new int[]{n}, Layout.CONTIGUOUS, rnd);
                Operand logProbs2 = output(be, dt, new int[]{n, classes}, Layout.CONTIGUOUS, rnd);
                be.crossEntropyForward(losses.view, logProbs.view, logits.view, targets.view);
                defaults.crossEntropyForward(losses2.view, logProbs2.view, logits.view, targets.view);
                String what = "crossEntropyForward " + dt + " n " + n + " classes " + classes;
                double[] gotLosses = read(be, losses.view);
                assertAgree(read(be, losses2.view), gotLosses, dt, what + " losses vs default");
                assertAgree(read(be, logProbs2.view), read(be, logProbs.view), dt, what + " logProbs vs default");
                assertUntouched(be, losses.view, what);
                for (int i = 0; i < n; i++) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < classes; j++) max = Math.max(max, logits.values[i * classes + j]);
                    for (int j = 0; j < classes; j++) sum += Math.exp(logits.values[i * classes + j] - max);
                    int t = (int) targets.values[i];
                    double want = -(logits.values[i * classes + t] - max - Math.log(sum));
                    double tol = dt == DType.FLOAT32 ? 2e-6 : 1e-13;
                    assertClose(want, gotLosses[i], tol, tol * (Math.abs(want) + 1), what, i, "");
                }
                // backward from the logProbs just computed
                Operand gradLosses = input(be, dt, new int[]{n}, c % 2 == 0 ? Layout.CONTIGUOUS : Layout.OFFSET, rnd,
                        uniform(rnd, -2, 2));
                Operand grad = output(be, dt, new int[]{n, classes}, Layout.CONTIGUOUS, rnd);
                Operand grad2 = output(be, dt, new int[]{n, classes}, Layout.CONTIGUOUS, rnd);
                be.crossEntropyBackward(grad.view, logProbs.view, targets.view, gradLosses.view);
                defaults.crossEntropyBackward(grad2.view, logProbs.view, targets.view, gradLosses.view);
                double[] g = read(be, grad.view);
                String backWhat = "crossEntropyBackward " + dt + " n " + n + " classes " + classes;
                assertAgree(read(be, grad2.view), g, dt, backWhat + " vs default");
                double[] lp = read(be, logProbs.view);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < classes; j++) {
                        double want = gradLosses.values[i] * (Math.exp(lp[i * classes + j]) - (j == (int) targets.values[i] ? 1 : 0));
                        double tol = dt == DType.FLOAT32 ? 2e-6 : 1e-14;
                        assertClose(want, g[i * classes + j], tol, tol, backWhat, i * classes + j, "");
                    }
                }
            }
        }
    }

    @Test
    public void biasActivationAgreesWithTheDefault() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        UnaryOp[] acts = {null, UnaryOp.RELU, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.GELU};
        for (DType dt : FLOATS) {
            for (int c = 0; c < 10; c++) {
                Random rnd = new Random(17_000 + 10 * dt.ordinal() + c);
                UnaryOp act = acts[c % acts.length];
                int[] shape = c == 9 ? new int[]{400, 200} : randomShape(rnd, 1 + c % 3, 9);
                int channels = shape[shape.length - 1];
                Operand x = input(be, dt, shape, c % 4 == 3 ? Layout.TRANSPOSED : Layout.CONTIGUOUS, rnd, uniform(rnd, -4, 4));
                Operand bias = input(be, dt, new int[]{channels}, c % 3 == 2 ? Layout.STEPPED : Layout.CONTIGUOUS, rnd,
                        uniform(rnd, -1, 1));
                Operand out = output(be, dt, shape, Layout.CONTIGUOUS, rnd);
                Operand ref = output(be, dt, shape, Layout.CONTIGUOUS, rnd);
                be.biasActivation(out.view, x.view, bias.view, act);
                defaults.biasActivation(ref.view, x.view, bias.view, act);
                assertAgree(read(be, ref.view), read(be, out.view), dt, "biasActivation " + act + " " + dt + " " + x);
            }
        }
    }

    @Test
    public void biasActivationBackwardAgreesWithTheDefaultAndTheMath() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        UnaryOp[] acts = {UnaryOp.RELU, UnaryOp.TANH, UnaryOp.SIGMOID};
        for (DType dt : FLOATS) {
            for (int c = 0; c < 9; c++) {
                Random rnd = new Random(17_200 + 10 * dt.ordinal() + c);
                UnaryOp act = acts[c % acts.length];
                int[] shape = c == 8 ? new int[]{300, 257} : randomShape(rnd, 1 + c % 3, 9);
                int channels = shape[shape.length - 1];
                double lo = act == UnaryOp.RELU ? -2 : act == UnaryOp.TANH ? -0.99 : 0.01, hi = act == UnaryOp.TANH ? 0.99 : act == UnaryOp.SIGMOID ? 0.99 : 2;
                Operand y = input(be, dt, shape, Layout.CONTIGUOUS, rnd, uniform(rnd, lo, hi));
                Operand g = input(be, dt, shape, c % 4 == 3 ? Layout.TRANSPOSED : Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
                Operand gx = output(be, dt, shape, Layout.CONTIGUOUS, rnd), gxRef = output(be, dt, shape, Layout.CONTIGUOUS, rnd);
                Operand gb = output(be, dt, new int[]{channels}, Layout.CONTIGUOUS, rnd);
                Operand gbRef = output(be, dt, new int[]{channels}, Layout.CONTIGUOUS, rnd);
                boolean wantBias = c != 4;
                be.biasActivationBackward(gx.view, wantBias ? gb.view : null, g.view, y.view, act);
                defaults.biasActivationBackward(gxRef.view, wantBias ? gbRef.view : null, g.view, y.view, act);
                String what = "biasActivationBackward " + act + " " + dt + " " + g;
                double[] got = read(be, gx.view);
                assertAgree(read(be, gxRef.view), got, dt, what + " gradX");
                for (int i = 0; i < got.length; i++) { // and the derivative itself
                    double yi = round(dt, y.values[i]), gi = round(dt, g.values[i]);
                    double d = act == UnaryOp.RELU ? (yi > 0 ? 1 : 0) : act == UnaryOp.TANH ? 1 - yi * yi : yi * (1 - yi);
                    assertClose(gi * d, got[i], dt == DType.FLOAT32 ? 1e-6 : 1e-14, 1e-7, what + " gradX vs math", i, "");
                }
                if (wantBias) assertAgree(read(be, gbRef.view), read(be, gb.view), dt, what + " gradBias");
            }
        }
    }

    @Test
    public void batchNormForwardAndBackwardAgreeWithTheDefault() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        for (DType dt : FLOATS) {
            for (int c = 0; c < 8; c++) {
                Random rnd = new Random(17_500 + 10 * dt.ordinal() + c);
                int rows = c == 7 ? 400 : 2 + rnd.nextInt(30), cols = c == 7 ? 200 : 1 + rnd.nextInt(40);
                int[] shape = {rows, cols};
                int[] vec = {cols};
                double offset = 3 * rnd.nextGaussian(); // a mean far from 0: the variance must not cancel
                Operand x = input(be, dt, shape, c % 4 == 3 ? Layout.TRANSPOSED : Layout.CONTIGUOUS, rnd, uniform(rnd, offset - 2, offset + 2));
                Operand w = input(be, dt, vec, c % 3 == 2 ? Layout.STEPPED : Layout.CONTIGUOUS, rnd, uniform(rnd, 0.5, 2));
                Operand b = input(be, dt, vec, Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
                Operand[] mine = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, vec, Layout.CONTIGUOUS, rnd),
                        output(be, dt, vec, c % 2 == 1 ? Layout.STEPPED : Layout.CONTIGUOUS, rnd)};
                Operand[] ref = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, vec, Layout.CONTIGUOUS, rnd),
                        output(be, dt, vec, Layout.CONTIGUOUS, rnd)};
                double eps = c % 2 == 0 ? 1e-5 : 1e-3;
                be.batchNormForward(mine[0].view, mine[1].view, mine[2].view, x.view, w.view, b.view, eps);
                defaults.batchNormForward(ref[0].view, ref[1].view, ref[2].view, x.view, w.view, b.view, eps);
                String what = "batchNormForward " + dt + " " + x;
                for (int i = 0; i < 3; i++) {
                    assertAgree(read(be, ref[i].view), read(be, mine[i].view), dt, what + " " + new String[]{"out", "mean", "var"}[i]);
                }
                // and the mean against the math, so that both cannot be wrong together
                double[] means = read(be, mine[1].view);
                for (int j = 0; j < cols; j++) {
                    double sum = 0;
                    for (int r = 0; r < rows; r++) sum += round(dt, x.values[r * cols + j]);
                    assertClose(sum / rows, means[j], dt == DType.FLOAT32 ? 1e-6 : 1e-13, 1e-6, what + " mean", j, "");
                }

                assertBackwardAgrees(be, defaults, dt, shape, vec, x, w, mine, eps, c % 4 == 1 ? Layout.SLICED : Layout.CONTIGUOUS,
                        c != 5, c != 6, "batchNormBackward " + dt, rnd);
            }
        }
    }

    /**
     * batchNormBackward of the backend against the SPI default, from the forward pass's mean and variance
     * ({@code forward[1]}, {@code forward[2]}), for a fresh output gradient of the given layout; gradX and gradBias
     * only where wanted.
     */
    private void assertBackwardAgrees(Backend be, Backend defaults, DType dt, int[] shape, int[] vec, Operand x, Operand w,
                                      Operand[] forward, double eps, Layout gradLayout, boolean wantX, boolean wantBias,
                                      String what, Random rnd) {
        Operand g = input(be, dt, shape, gradLayout, rnd, uniform(rnd, -1, 1));
        Operand[] gm = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, vec, Layout.CONTIGUOUS, rnd),
                output(be, dt, vec, Layout.CONTIGUOUS, rnd)};
        Operand[] gr = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, vec, Layout.CONTIGUOUS, rnd),
                output(be, dt, vec, Layout.CONTIGUOUS, rnd)};
        be.batchNormBackward(wantX ? gm[0].view : null, gm[1].view, wantBias ? gm[2].view : null, g.view, x.view,
                forward[1].view, forward[2].view, w.view, eps);
        defaults.batchNormBackward(wantX ? gr[0].view : null, gr[1].view, wantBias ? gr[2].view : null, g.view, x.view,
                forward[1].view, forward[2].view, w.view, eps);
        for (int i = wantX ? 0 : 1; i < (wantBias ? 3 : 2); i++) {
            double[] want = read(be, gr[i].view), got = read(be, gm[i].view);
            // gradX subtracts nearly equal terms: compare relative to the gradient's scale, not each element
            double scale = 0;
            for (double v : want) scale = Math.max(scale, Math.abs(v));
            double tol = (dt == DType.FLOAT32 ? 2e-5 : 1e-12) * Math.max(1, scale);
            for (int k = 0; k < want.length; k++) {
                assertClose(want[k], got[k], 0, tol, what + " " + new String[]{"gradX", "gradWeight", "gradBias"}[i], k, x);
            }
        }
    }

    /** The same kernels on images [n, c, s] (BatchNorm2d's layout): the override normalises them in place. */
    @Test
    public void batchNormOfImagesAgreesWithTheDefault() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        for (DType dt : FLOATS) {
            for (int c = 0; c < 6; c++) {
                Random rnd = new Random(17_700 + 10 * dt.ordinal() + c);
                int n = c == 5 ? 16 : 1 + rnd.nextInt(5), ch = c == 5 ? 64 : 1 + rnd.nextInt(9), s = c == 5 ? 100 : 2 + rnd.nextInt(30);
                int[] shape = {n, ch, s};
                int[] vec = {ch};
                double offset = 3 * rnd.nextGaussian();
                Operand x = input(be, dt, shape, c == 3 ? Layout.TRANSPOSED : Layout.CONTIGUOUS, rnd, uniform(rnd, offset - 2, offset + 2));
                Operand w = input(be, dt, vec, c % 3 == 2 ? Layout.STEPPED : Layout.CONTIGUOUS, rnd, uniform(rnd, 0.5, 2));
                Operand b = input(be, dt, vec, Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
                Operand[] mine = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, vec, Layout.CONTIGUOUS, rnd),
                        output(be, dt, vec, c % 2 == 1 ? Layout.STEPPED : Layout.CONTIGUOUS, rnd)};
                Operand[] ref = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, vec, Layout.CONTIGUOUS, rnd),
                        output(be, dt, vec, Layout.CONTIGUOUS, rnd)};
                double eps = c % 2 == 0 ? 1e-5 : 1e-3;
                be.batchNormForward(mine[0].view, mine[1].view, mine[2].view, x.view, w.view, b.view, eps);
                defaults.batchNormForward(ref[0].view, ref[1].view, ref[2].view, x.view, w.view, b.view, eps);
                String what = "batchNormForward images " + dt + " " + x;
                for (int i = 0; i < 3; i++) {
                    assertAgree(read(be, ref[i].view), read(be, mine[i].view), dt, what + " " + new String[]{"out", "mean", "var"}[i]);
                }
                double[] means = read(be, mine[1].view);
                for (int j = 0; j < ch; j++) { // against the math: channel j over every image and pixel
                    double sum = 0;
                    for (int i = 0; i < n; i++) for (int q = 0; q < s; q++) sum += round(dt, x.values[(i * ch + j) * s + q]);
                    assertClose(sum / (n * s), means[j], dt == DType.FLOAT32 ? 1e-6 : 1e-13, 1e-6, what + " mean", j, "");
                }
                assertBackwardAgrees(be, defaults, dt, shape, vec, x, w, mine, eps, c == 1 ? Layout.SLICED : Layout.CONTIGUOUS,
                        c != 4, c != 2, "batchNormBackward images " + dt, rnd);
            }
        }
    }

    @Test
    public void adamUpdateAgreesWithTheDefault() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        double[][] configs = { // lr, beta1, beta2, eps, weightDecay, decoupled (0/1), step
                {1e-3, 0.9, 0.999, 1e-8, 0, 0, 1},
                {1e-2, 0.9, 0.999, 1e-8, 0.1, 0, 3},
                {1e-2, 0.8, 0.99, 1e-6, 0.05, 1, 10},
                {3e-4, 0.0, 0.5, 1e-8, 0, 1, 1000}};
        for (DType dt : FLOATS) {
            for (int c = 0; c < configs.length; c++) {
                double[] k = configs[c];
                Random rnd = new Random(18_000 + 10 * dt.ordinal() + c);
                int[] shape = c == 3 ? new int[]{300, 300} : randomShape(rnd, 1 + c % 2, 8);
                double[] p = values(rnd, shape, -1, 1), g = values(rnd, shape, -1, 1);
                double[] m = values(rnd, shape, -0.1, 0.1), v = values(rnd, shape, 0, 0.01);
                Operand[] mine = adamState(be, dt, shape, rnd, p, g, m, v);
                Operand[] ref = adamState(be, dt, shape, rnd, p, g, m, v);
                be.adamUpdate(mine[0].view, mine[1].view, mine[2].view, mine[3].view, k[0], k[1], k[2], k[3], k[4], k[5] == 1, (long) k[6]);
                defaults.adamUpdate(ref[0].view, ref[1].view, ref[2].view, ref[3].view, k[0], k[1], k[2], k[3], k[4], k[5] == 1, (long) k[6]);
                String what = "adamUpdate " + dt + " config " + c;
                for (int i = 0; i < 4; i++) {
                    if (i == 1) continue;
                    assertAgree(read(be, ref[i].view), read(be, mine[i].view), dt, what + " " + new String[]{"param", "grad", "m", "v"}[i]);
                }
            }
        }
    }

    @Test
    public void sgdUpdateAgreesWithTheDefault() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        double[][] configs = { // lr, momentum, dampening, weightDecay, nesterov (0/1), firstStep (0/1)
                {0.1, 0, 0, 0, 0, 0},
                {0.05, 0, 0, 0.01, 0, 1},
                {0.1, 0.9, 0, 0, 0, 1},
                {0.1, 0.9, 0.1, 0.001, 0, 0},
                {0.01, 0.9, 0, 0.01, 1, 0}};
        for (DType dt : FLOATS) {
            for (int c = 0; c < configs.length; c++) {
                double[] k = configs[c];
                Random rnd = new Random(19_000 + 10 * dt.ordinal() + c);
                int[] shape = c == 4 ? new int[]{300, 300} : randomShape(rnd, 1 + c % 2, 8);
                double[] p = values(rnd, shape, -1, 1), g = values(rnd, shape, -1, 1), buf = values(rnd, shape, -0.5, 0.5);
                boolean momentum = k[1] != 0;
                Operand[] mine = adamState(be, dt, shape, rnd, p, g, buf, buf);
                Operand[] ref = adamState(be, dt, shape, rnd, p, g, buf, buf);
                be.sgdUpdate(mine[0].view, mine[1].view, momentum ? mine[2].view : null, k[0], k[1], k[2], k[3], k[4] == 1, k[5] == 1);
                defaults.sgdUpdate(ref[0].view, ref[1].view, momentum ? ref[2].view : null, k[0], k[1], k[2], k[3], k[4] == 1, k[5] == 1);
                String what = "sgdUpdate " + dt + " config " + c;
                assertAgree(read(be, ref[0].view), read(be, mine[0].view), dt, what + " param");
                if (momentum) assertAgree(read(be, ref[2].view), read(be, mine[2].view), dt, what + " momentum buffer");
            }
        }
    }

    private static Operand[] adamState(Backend be, DType dt, int[] shape, Random rnd, double[]... arrays) {
        Operand[] ops = new Operand[arrays.length];
        for (int i = 0; i < arrays.length; i++) ops[i] = input(be, dt, shape, Layout.CONTIGUOUS, rnd, arrays[i]);
        return ops;
    }

    private static double[] values(Random rnd, int[] shape, double lo, double hi) {
        double[] v = new double[(int) View.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rnd.nextDouble();
        return v;
    }

    /** A fused result agrees with the default composition: a few ulps of its dtype, relative to the magnitude. */
    private static void assertAgree(double[] want, double[] got, DType dt, String what) {
        double tol = dt == DType.FLOAT32 ? 1e-5 : 1e-12;
        for (int i = 0; i < want.length; i++) assertClose(want[i], got[i], tol, tol, what, i, "");
    }
}
