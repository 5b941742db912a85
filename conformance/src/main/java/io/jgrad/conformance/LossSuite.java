package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Generator;

import io.jgrad.GradCheck;
import io.jgrad.Tensor;
import io.jgrad.nn.Losses;
import io.jgrad.nn.Losses.Reduction;


import org.junit.jupiter.api.Test;

/** Every loss against hand computations, its gradient against closed forms and GradCheck, and its argument checks. */
public abstract class LossSuite extends DeviceSuite {

    private static Tensor f64(double[] values, int... shape) {
        return Tensor.of(values, shape);
    }

    private static Tensor labels(long... values) {
        return Tensor.of(values);
    }

    /** log(sum(exp(row))), computed stably on the host. */
    private static double logSumExp(double... row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) max = Math.max(max, v);
        double s = 0;
        for (double v : row) s += Math.exp(v - max);
        return max + Math.log(s);
    }

    // ------------------------------------------------------------------ mse

    @Test
    void mseReductions() {
        Tensor pred = f64(new double[]{1, 2, 3}, 3);
        Tensor target = f64(new double[]{1, 0, 5}, 3);
        // differences 0, 2, -2: squares 0, 4, 4
        assertEquals(8.0 / 3, Losses.mse(pred, target).item(), 1e-15);
        assertEquals(8, Losses.mse(pred, target, Reduction.SUM).item(), 1e-15);
        assertArrayEquals(new double[]{0, 4, 4}, Losses.mse(pred, target, Reduction.NONE).toDoubleArray(), 1e-15);
        assertEquals(0, Losses.mse(pred, target, Reduction.MEAN).dim(), "a reduced loss is a scalar");
    }

    @Test
    void mseGradient() {
        Tensor pred = f64(new double[]{1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor target = f64(new double[]{0, 2, 5, 3}, 2, 2);
        Losses.mse(pred, target).backward();
        // d/dp mean((p - t)^2) = 2 (p - t) / n
        assertArrayEquals(new double[]{0.5, 0, -1, 0.5}, pred.grad().toDoubleArray(), 1e-15);
        Tensor p = Tensor.randn(new Generator(1), 3, 2).to(DType.FLOAT64).requiresGrad(true);
        Tensor t = Tensor.randn(new Generator(2), 3, 2).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> Losses.mse(in[0], in[1]), p, t).assertPassed();
    }

    @Test
    void mseRejectsMismatchedArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.mse(Tensor.ones(3), Tensor.ones(3, 1)));
        assertTrue(e.getMessage().contains("mse") && e.getMessage().contains("[3]") && e.getMessage().contains("[3, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.mse(Tensor.ones(3), Tensor.ones(DType.FLOAT64, 3)));
        assertTrue(e.getMessage().contains("float64"), e.getMessage());
    }

    // ------------------------------------------------------------------ cross-entropy and nll

    private static final double[] LOGITS = {1, 2, 3, 1, 1, 1};

    @Test
    void crossEntropyValues() {
        Tensor logits = f64(LOGITS, 2, 3);
        Tensor targets = labels(2, 0);
        double l0 = logSumExp(1, 2, 3) - 3; // 0.40760596444438
        double l1 = Math.log(3);
        assertEquals((l0 + l1) / 2, Losses.crossEntropy(logits, targets).item(), 1e-12);
        assertEquals(l0 + l1, Losses.crossEntropy(logits, targets, Reduction.SUM).item(), 1e-12);
        assertArrayEquals(new double[]{l0, l1}, Losses.crossEntropy(logits, targets, Reduction.NONE).toDoubleArray(), 1e-12);
        assertEquals((l0 + l1) / 2, Losses.crossEntropy(logits.to(DType.FLOAT32), targets).item(), 1e-6);
    }

    /** softmax(logits) - one_hot(targets), row by row. */
    private static double[] softmaxMinusOneHot(double[] logits, int classes, long[] targets) {
        double[] g = new double[logits.length];
        for (int r = 0; r < targets.length; r++) {
            double[] row = java.util.Arrays.copyOfRange(logits, r * classes, (r + 1) * classes);
            double lse = logSumExp(row);
            for (int c = 0; c < classes; c++) g[r * classes + c] = Math.exp(row[c] - lse) - (c == targets[r] ? 1 : 0);
        }
        return g;
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHot() {
        double[] values = Tensor.randn(new Generator(3), 4, 5).to(DType.FLOAT64).mul(3).toDoubleArray();
        long[] targets = {4, 0, 2, 2};
        double[] expected = softmaxMinusOneHot(values, 5, targets);

        Tensor mean = f64(values, 4, 5).requiresGrad(true);
        Losses.crossEntropy(mean, labels(targets)).backward();
        double[] g = mean.grad().toDoubleArray();
        for (int i = 0; i < g.length; i++) assertEquals(expected[i] / 4, g[i], 1e-12, "MEAN divides by N, element " + i);

        Tensor sum = f64(values, 4, 5).requiresGrad(true);
        Losses.crossEntropy(sum, labels(targets), Reduction.SUM).backward();
        assertArrayEquals(expected, sum.grad().toDoubleArray(), 1e-12);

        Tensor none = f64(values, 4, 5).requiresGrad(true);
        Losses.crossEntropy(none, labels(targets), Reduction.NONE).backward(Tensor.ones(DType.FLOAT64, 4));
        assertArrayEquals(expected, none.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        double[] huge = {1000, -1000, 0, -1000, 1000, 0};
        long[] targets = {0, 0};
        for (DType dtype : new DType[]{DType.FLOAT64, DType.FLOAT32}) {
            Tensor logits = f64(huge, 2, 3).to(dtype).requiresGrad(true);
            Tensor losses = Losses.crossEntropy(logits, labels(targets), Reduction.NONE);
            // Row 1 picks the dominant class: loss log(1 + e^-1000 + e^-2000) = 0 in floating point.
            // Row 2 picks a class 2000 below the dominant one: loss 2000.
            assertArrayEquals(new double[]{0, 2000}, losses.toDoubleArray(), 1e-9, dtype.toString());
            losses.sum().backward();
            assertArrayEquals(new double[]{0, 0, 0, -1, 1, 0}, logits.grad().toDoubleArray(), 1e-9, dtype + " gradient");
        }
    }

    @Test
    void crossEntropyLabelSmoothingMatchesHandComputation() {
        double eps = 0.1;
        Tensor logits = f64(LOGITS, 2, 3);
        Tensor targets = labels(2, 0);
        double[][] rows = {{1, 2, 3}, {1, 1, 1}};
        int[] t = {2, 0};
        double total = 0;
        for (int r = 0; r < 2; r++) {
            // The smoothed target puts 1 - eps + eps / C on the true class and eps / C elsewhere.
            double lse = logSumExp(rows[r]);
            double loss = 0;
            for (int c = 0; c < 3; c++) loss -= ((c == t[r] ? 1 - eps : 0) + eps / 3) * (rows[r][c] - lse);
            total += loss;
        }
        // Row 1 by hand: 0.9 * 0.40760596 + 0.1 * mean(3.40760596 - [1, 2, 3]) = 0.50760596.
        assertEquals(0.9 * (logSumExp(1, 2, 3) - 3) + 0.1 * (logSumExp(1, 2, 3) - 2), Losses.crossEntropy(logits, targets, Reduction.NONE, eps)
                .toDoubleArray()[0], 1e-12);
        assertEquals(total / 2, Losses.crossEntropy(logits, targets, eps).item(), 1e-12);
        assertEquals(total, Losses.crossEntropy(logits, targets, Reduction.SUM, eps).item(), 1e-12);
        assertEquals(Losses.crossEntropy(logits, targets).item(), Losses.crossEntropy(logits, targets, 0.0).item(), 0);
    }

    @Test
    void crossEntropyGradCheck() {
        Tensor logits = Tensor.randn(new Generator(4), 3, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor targets = labels(3, 0, 1);
        GradCheck.check(in -> Losses.crossEntropy(in[0], targets), logits).assertPassed();
        GradCheck.check(in -> Losses.crossEntropy(in[0], targets, Reduction.NONE, 0.2), logits).assertPassed();
    }

    @Test
    void crossEntropyRejectsBadArguments() {
        Tensor logits = Tensor.ones(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, Tensor.of(new float[]{0, 1})));
        assertTrue(e.getMessage().contains("crossEntropy") && e.getMessage().contains("int64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, labels(0, 1, 2)));
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(Tensor.ones(3), labels(0, 1, 2)));
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class, () -> Losses.crossEntropy(logits, labels(0, 3)));
        assertTrue(oob.getMessage().contains("3") && oob.getMessage().contains("[0, 3)"), oob.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, labels(0, 1), 1.5));
    }

    @Test
    void nllLossPicksNegatedLogProbabilities() {
        Tensor logProbs = f64(new double[]{-1, -2, -0.5, -3}, 2, 2);
        assertEquals(1.25, Losses.nllLoss(logProbs, labels(1, 0)).item(), 1e-15);
        assertEquals(2.5, Losses.nllLoss(logProbs, labels(1, 0), Reduction.SUM).item(), 1e-15);
        assertArrayEquals(new double[]{2, 0.5}, Losses.nllLoss(logProbs, labels(1, 0), Reduction.NONE).toDoubleArray(), 1e-15);
    }

    @Test
    void nllOfLogSoftmaxEqualsCrossEntropy() {
        double[] values = Tensor.randn(new Generator(5), 3, 4).to(DType.FLOAT64).toDoubleArray();
        Tensor a = f64(values, 3, 4).requiresGrad(true);
        Tensor b = f64(values, 3, 4).requiresGrad(true);
        Tensor nll = Losses.nllLoss(a.logSoftmax(1), labels(1, 3, 0));
        Tensor ce = Losses.crossEntropy(b, labels(1, 3, 0));
        assertEquals(ce.item(), nll.item(), 1e-12);
        nll.backward();
        ce.backward();
        assertArrayEquals(b.grad().toDoubleArray(), a.grad().toDoubleArray(), 1e-12);
        Tensor lp = Tensor.randn(new Generator(6), 3, 4).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> Losses.nllLoss(in[0], labels(1, 3, 0), Reduction.SUM), lp).assertPassed();
    }

    // ------------------------------------------------------------------ binary cross-entropy

    /** -[y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))], fine for moderate x. */
    private static double bceReference(double x, double y) {
        double s = 1 / (1 + Math.exp(-x));
        return -(y * Math.log(s) + (1 - y) * Math.log(1 - s));
    }

    @Test
    void binaryCrossEntropyWithLogitsValues() {
        double[] x = {-2, 0, 3, 0.5};
        double[] y = {0, 1, 1, 0.25};
        double[] expected = new double[4];
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            expected[i] = bceReference(x[i], y[i]);
            sum += expected[i];
        }
        Tensor logits = f64(x, 4);
        Tensor targets = f64(y, 4);
        assertArrayEquals(expected, Losses.binaryCrossEntropyWithLogits(logits, targets, Reduction.NONE).toDoubleArray(), 1e-12);
        assertEquals(sum / 4, Losses.binaryCrossEntropyWithLogits(logits, targets).item(), 1e-12);
        assertEquals(sum, Losses.binaryCrossEntropyWithLogits(logits, targets, Reduction.SUM).item(), 1e-12);
        assertEquals(Math.log(2), expected[1], 1e-15, "x = 0 costs log 2 whatever the label");
    }

    @Test
    void binaryCrossEntropyWithLogitsIsStableForHugeLogits() {
        for (DType dtype : new DType[]{DType.FLOAT64, DType.FLOAT32}) {
            Tensor logits = f64(new double[]{1000, -1000, 1000, -1000}, 4).to(dtype).requiresGrad(true);
            Tensor targets = f64(new double[]{0, 1, 1, 0}, 4).to(dtype);
            Tensor losses = Losses.binaryCrossEntropyWithLogits(logits, targets, Reduction.NONE);
            assertArrayEquals(new double[]{1000, 1000, 0, 0}, losses.toDoubleArray(), 1e-9, dtype.toString());
            losses.sum().backward();
            // sigmoid(x) - y
            assertArrayEquals(new double[]{1, -1, 0, 0}, logits.grad().toDoubleArray(), 1e-9, dtype + " gradient");
        }
    }

    @Test
    void binaryCrossEntropyGradientIsSigmoidMinusTargetEvenAtZero() {
        double[] x = {0, 0, -1.5, 2};
        double[] y = {1, 0, 0.5, 1};
        Tensor logits = f64(x, 4).requiresGrad(true);
        Losses.binaryCrossEntropyWithLogits(logits, f64(y, 4)).backward();
        double[] g = logits.grad().toDoubleArray();
        for (int i = 0; i < 4; i++) assertEquals((1 / (1 + Math.exp(-x[i])) - y[i]) / 4, g[i], 1e-12, "element " + i);
        Tensor l = f64(new double[]{-3, -0.2, 0, 0.7, 4, 1.1}, 2, 3).requiresGrad(true);
        Tensor t = f64(new double[]{0, 1, 0.3, 1, 0, 0.5}, 2, 3).requiresGrad(true);
        GradCheck.check(in -> Losses.binaryCrossEntropyWithLogits(in[0], in[1], Reduction.NONE), l, t).assertPassed();
    }

    @Test
    void binaryCrossEntropyRejectsMismatchedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.binaryCrossEntropyWithLogits(Tensor.ones(4), Tensor.ones(4, 1)));
        assertTrue(e.getMessage().contains("binaryCrossEntropyWithLogits") && e.getMessage().contains("[4, 1]"), e.getMessage());
    }

    // ------------------------------------------------------------------ hinge

    @Test
    void hingeIsMicrogradsMaxMargin() {
        Tensor scores = f64(new double[]{2, 0.5, -2, -0.25}, 4).requiresGrad(true);
        Tensor targets = f64(new double[]{1, -1, -1, 1}, 4);
        // relu(1 - y s): relu(-1) = 0, relu(1.5) = 1.5, relu(-1) = 0, relu(1.25) = 1.25
        assertArrayEquals(new double[]{0, 1.5, 0, 1.25}, Losses.hinge(scores, targets, Reduction.NONE).toDoubleArray(), 1e-15);
        assertEquals(2.75, Losses.hinge(scores, targets, Reduction.SUM).item(), 1e-15);
        Tensor loss = Losses.hinge(scores, targets);
        assertEquals(2.75 / 4, loss.item(), 1e-15);
        loss.backward();
        // -y / n where the margin is violated, 0 elsewhere
        assertArrayEquals(new double[]{0, 0.25, 0, -0.25}, scores.grad().toDoubleArray(), 1e-15);
        Tensor s = f64(new double[]{0.3, -0.4, 2.5, -1.7}, 4).requiresGrad(true);
        GradCheck.check(in -> Losses.hinge(in[0], targets, Reduction.NONE), s).assertPassed();
    }

    @Test
    void hingeRejectsLabelsOtherThanPlusMinusOne() {
        if (device().equals(Device.CPU)) { // on a device the label check is skipped: it would stall every step
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Losses.hinge(f64(new double[]{1, 2}, 2), f64(new double[]{1, 0}, 2)));
            assertTrue(e.getMessage().contains("hinge") && e.getMessage().contains("-1 or +1"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Losses.hinge(Tensor.ones(2), Tensor.ones(3)));
    }
}
