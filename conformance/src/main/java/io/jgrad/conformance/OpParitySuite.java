package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Tensor;
import io.jgrad.nn.Losses;
import io.jgrad.spi.UnaryOp;
import org.junit.jupiter.api.Test;

/**
 * Cases where jgrad once disagreed with PyTorch 2.13 (outside testing, float64 references), pinned on every backend:
 * softmax of a scalar, ties in max()/min(), pow at base 0, BCE-with-logits far in the tail, and ReLU at -0 and NaN.
 * The expected values come from PyTorch and are written here.
 */
public abstract class OpParitySuite extends DeviceSuite {

    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

    private static Tensor leaf(double[] v, DType dt, int... shape) {
        return Tensor.of(v, shape).to(dt).requiresGrad(true);
    }

    private static void assertBits(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]),
                    what + " at " + i + ": want " + want[i] + ", got " + got[i]);
        }
    }

    @Test
    public void softmaxAndLogSoftmaxOfAScalar() {
        for (DType dt : FLOATS) {
            for (int dim : new int[]{0, -1}) {
                Tensor x = Tensor.scalar(3.0).to(dt).requiresGrad(true);
                Tensor s = x.softmax(dim);
                assertEquals(0, s.dim());
                assertEquals(1.0, s.item(), "softmax of a scalar is 1 (" + dt + ")");
                s.backward();
                assertEquals(0.0, x.grad().item(), "and its gradient 0");
                Tensor y = Tensor.scalar(-7.5).to(dt).requiresGrad(true);
                Tensor l = y.logSoftmax(dim);
                assertEquals(0, l.dim());
                assertEquals(0.0, l.item(), "log-softmax of a scalar is 0 (" + dt + ")");
                l.backward();
                assertEquals(0.0, y.grad().item());
            }
        }
    }

    @Test
    public void maxAndMinOfAllElementsSpreadTheGradientOverTies() {
        for (DType dt : FLOATS) {
            Tensor x = leaf(new double[]{1, 3, 3, 2}, dt, 4);
            x.max().backward();
            assertArrayEquals(new double[]{0, 0.5, 0.5, 0}, x.grad().toDoubleArray(), "max() ties, " + dt);
            Tensor m = leaf(new double[]{1, -3, -3, 2}, dt, 2, 2);
            m.min().mul(3).backward();
            assertArrayEquals(new double[]{0, 1.5, 1.5, 0}, m.grad().toDoubleArray(), "min() ties, " + dt);
            Tensor three = leaf(new double[]{5, 5, 5}, dt, 3);
            three.max().backward();
            double third = dt == DType.FLOAT32 ? (float) (1.0 / 3) : 1.0 / 3;
            assertArrayEquals(new double[]{third, third, third}, three.grad().toDoubleArray(), "three-way tie, " + dt);
            Tensor single = leaf(new double[]{-1, 4, 2}, dt, 3);
            single.max().backward();
            assertArrayEquals(new double[]{0, 1, 0}, single.grad().toDoubleArray(), "one winner");
            Tensor nan = leaf(new double[]{1, Double.NaN, 7, Double.NaN}, dt, 4);
            Tensor r = nan.max();
            assertTrue(Double.isNaN(r.item()), "max with NaN is NaN");
            r.backward();
            assertArrayEquals(new double[]{0, 0.5, 0, 0.5}, nan.grad().toDoubleArray(), "the NaNs share the gradient, as PyTorch");
        }
    }

    @Test
    public void powOfTwoTensorsAtBaseZeroFollowsPyTorch() {
        // torch.pow(x, y).backward(ones) in float64 (PyTorch 2.13)
        double[] xs = {0, 0, 0, 0, 2, 0};
        double[] ys = {0, 2, -1, 0.5, 0, -0.0};
        double[] out = {1, 0, Double.POSITIVE_INFINITY, 0, 1, 1};
        double[] dx = {0, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, 0};
        double[] dy = {0, 0, Double.NEGATIVE_INFINITY, 0, 0.6931471805599453, 0};
        for (DType dt : FLOATS) {
            Tensor x = leaf(xs, dt, 6), y = leaf(ys, dt, 6);
            Tensor p = x.pow(y);
            assertArrayEquals(out, p.toDoubleArray(), "pow forward " + dt);
            p.backward(Tensor.onesLike(p));
            double[] wantDy = dy.clone();
            wantDy[4] = dt == DType.FLOAT32 ? (float) Math.log(2) : Math.log(2);
            assertBits(dx, x.grad().toDoubleArray(), "d/dbase, " + dt);
            assertBits(wantDy, y.grad().toDoubleArray(), "d/dexponent, " + dt);
        }
        // broadcast exponent 0 against a base holding zeros: d/dbase is 0 everywhere
        // (PyTorch: base.grad [0, 0, 0], exponent.grad [log 2]: the base 0 adds 0, not -inf * 0)
        Tensor base = leaf(new double[]{0, 1, 2}, DType.FLOAT64, 3);
        Tensor zero = leaf(new double[]{0}, DType.FLOAT64, 1);
        base.pow(zero).sum().backward();
        assertArrayEquals(new double[]{0, 0, 0}, base.grad().toDoubleArray());
        assertEquals(Math.log(2), zero.grad().item(), 1e-16, "d/dexponent summed over the broadcast base");
    }

    @Test
    public void bceWithLogitsKeepsTheTailBelowOneEMinusEight() {
        // log(1 + e^-17) = 4.139937718785167e-08; PyTorch gives 4.1399375e-08 in float32
        double tail = Math.log1p(Math.exp(-17));
        for (DType dt : FLOATS) {
            Tensor z = Tensor.of(new double[]{17}, 1).to(dt);
            double got = Losses.binaryCrossEntropyWithLogits(z, Tensor.of(new double[]{1}, 1).to(dt)).item();
            assertEquals(tail, got, tail * (dt == DType.FLOAT32 ? 1e-6 : 1e-14), "logit 17, target 1, " + dt);
            double neg = Losses.binaryCrossEntropyWithLogits(Tensor.of(new double[]{-17}, 1).to(dt), Tensor.of(new double[]{0}, 1).to(dt)).item();
            assertEquals(tail, neg, tail * (dt == DType.FLOAT32 ? 1e-6 : 1e-14), "logit -17, target 0, " + dt);
            double far = Losses.binaryCrossEntropyWithLogits(Tensor.of(new double[]{30}, 1).to(dt), Tensor.of(new double[]{1}, 1).to(dt)).item();
            assertEquals(9.357622968840175e-14, far, 1e-19, "logit 30, " + dt);
        }
        // float64 loss and gradient against PyTorch: logits [17, -20, 0.5, 40], targets [1, 0, 0.3, 1]
        Tensor z = Tensor.of(new double[]{17, -20, 0.5, 40}, 4).requiresGrad(true);
        Tensor loss = Losses.binaryCrossEntropyWithLogits(z, Tensor.of(new double[]{1, 0, 0.3, 1}, 4));
        assertEquals(0.20601925691015902, loss.item(), 2e-15); // a few float64 ulps: PyTorch sums in another order
        loss.backward();
        // d/dz = (sigmoid(z) - t) / 4, written so that nothing cancels: sigmoid(z) - 1 = -sigmoid(-z). PyTorch's
        // -1.0349843898582733e-08 and 0.0 for the first and last are off by 3e-9 relative and by 1e-18 (it subtracts).
        double[] want = {-sigmoid(-17) / 4, sigmoid(-20) / 4, (sigmoid(0.5) - 0.3) / 4, -sigmoid(-40) / 4};
        double[] got = z.grad().toDoubleArray();
        // the loss's three terms each send +-1/4 (or a share of it) back, so the sum is good to a few ulps of 1/4
        for (int i = 0; i < 4; i++) assertEquals(want[i], got[i], Math.abs(want[i]) * 1e-12 + 2e-16, "d loss / d logit " + i);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    public void reluKeepsNegativeZeroAndNanAndPassesTheGradientAtNan() {
        for (DType dt : FLOATS) {
            for (int n : new int[]{5, 37}) { // 37: past the SIMD width, so vector body and tail both run
                double[] v = new double[n];
                for (int i = 0; i < n; i++) v[i] = switch (i % 5) { case 0 -> -0.0; case 1 -> Double.NaN; case 2 -> 1; case 3 -> -2; default -> 0.0; };
                Tensor x = leaf(v, dt, n);
                Tensor r = x.relu();
                double[] got = r.toDoubleArray();
                double[] want = new double[n];
                double[] wantGrad = new double[n];
                for (int i = 0; i < n; i++) {
                    want[i] = switch (i % 5) { case 0 -> -0.0; case 1 -> Double.NaN; case 2 -> 1; default -> 0.0; };
                    wantGrad[i] = (i % 5 == 1 || i % 5 == 2) ? 2.5 : 0; // torch: [0, 1, 1, 0, 0] times the gradient
                }
                assertBits(want, got, "relu forward " + dt + " n=" + n);
                r.backward(Tensor.full(2.5, dt, r.device()).expand(n).mul(1));
                assertBits(wantGrad, x.grad().toDoubleArray(), "relu backward " + dt + " n=" + n);
            }
        }
    }

    @Test
    public void everyDeclaredOpIsReachableThroughApply() {
        Tensor x = Tensor.of(new double[]{0.25, 1.5}, 2).requiresGrad(true);
        Tensor y = x.apply(UnaryOp.EXP);
        assertArrayEquals(x.exp().toDoubleArray(), y.toDoubleArray());
        y.sum().backward();
        assertArrayEquals(new double[]{Math.exp(0.25), Math.exp(1.5)}, x.grad().toDoubleArray(), 1e-15);
        Tensor c = Tensor.of(new double[]{-3, 0.5, 9}, 3).apply(UnaryOp.CLAMP, -1, 2);
        assertArrayEquals(new double[]{-1, 0.5, 2}, c.toDoubleArray());
    }
}
