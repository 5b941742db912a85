package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.jgrad.DType;

import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.optim.Adam;
import io.jgrad.optim.AdamW;
import io.jgrad.optim.Optimizer;
import io.jgrad.optim.RMSprop;
import io.jgrad.optim.SGD;
import java.util.List;
import java.util.Map;


import org.junit.jupiter.api.Test;

/**
 * One or two steps of each optimizer on float64 parameters with hand-set gradients, checked against the update
 * formulas evaluated in plain Java; argument validation; null gradients; state surviving scopes; and training
 * y = 3x + 2 to a low loss.
 */
public abstract class OptimizerSuite extends DeviceSuite {
    private static final double[] P0 = {1.0, -2.0, 3.0, 0.25};
    private static final double[] G1 = {0.5, -1.0, 2.0, -0.003};
    private static final double[] G2 = {-0.2, 0.7, 1.5, 0.01};

    private static Tensor param(double... values) {
        return Tensor.of(values.clone(), values.length).requiresGrad(true);
    }

    private static void setGrad(Tensor p, double... g) {
        p.setGrad(Tensor.of(g.clone(), g.length));
    }

    private static void assertValues(double[] expected, Tensor actual, double tol) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, "length");
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    /** Runs one step per gradient on a fresh copy of P0 and returns the parameter. */
    private static Tensor stepWith(java.util.function.Function<List<Tensor>, Optimizer> make, double[]... grads) {
        Tensor p = param(P0);
        Optimizer opt = make.apply(List.of(p));
        for (double[] g : grads) {
            setGrad(p, g);
            opt.step();
        }
        return p;
    }

    // ------------------------------------------------------------------ SGD

    @Test
    void sgdPlainStepIsLrTimesGradient() {
        Tensor p = stepWith(ps -> new SGD(ps, 0.1), G1);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) expected[i] = P0[i] - 0.1 * G1[i];
        assertValues(expected, p, 1e-15);
        assertValues(new double[]{0.95, -1.9, 2.8, 0.2503}, p, 1e-15);
    }

    @Test
    void sgdMomentumOverTwoSteps() {
        Tensor p = stepWith(ps -> new SGD(ps, 0.1, 0.9), G1, G2);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            double buf = G1[i];                   // the first step copies the gradient into the buffer
            double p1 = P0[i] - 0.1 * buf;
            buf = 0.9 * buf + G2[i];
            expected[i] = p1 - 0.1 * buf;
        }
        assertValues(expected, p, 1e-14);
        // element 0 by hand: 1 - 0.05 = 0.95; buf = 0.45 - 0.2 = 0.25; 0.95 - 0.025 = 0.925
        assertEquals(0.925, p.toDoubleArray()[0], 1e-15);
    }

    @Test
    void sgdDampeningScalesOnlyLaterGradients() {
        Tensor p = stepWith(ps -> new SGD(ps, 0.1, 0.9, 0.5, 0, false), G1, G2);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            double buf = G1[i];
            double p1 = P0[i] - 0.1 * buf;
            buf = 0.9 * buf + 0.5 * G2[i];
            expected[i] = p1 - 0.1 * buf;
        }
        assertValues(expected, p, 1e-14);
    }

    @Test
    void sgdNesterovLooksAhead() {
        Tensor p = stepWith(ps -> new SGD(ps, 0.1, 0.9, 0, 0, true), G1, G2);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            double buf = G1[i];
            double p1 = P0[i] - 0.1 * (G1[i] + 0.9 * buf);
            buf = 0.9 * buf + G2[i];
            expected[i] = p1 - 0.1 * (G2[i] + 0.9 * buf);
        }
        assertValues(expected, p, 1e-14);
        // element 0 by hand: 1 - 0.1*1.9*0.5 = 0.905; buf = 0.25; 0.905 - 0.1*(-0.2 + 0.225) = 0.9025
        assertEquals(0.9025, p.toDoubleArray()[0], 1e-15);
    }

    @Test
    void sgdWeightDecayAddsL2Gradient() {
        Tensor p = stepWith(ps -> new SGD(ps, 0.1, 0, 0, 0.01, false), G1);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) expected[i] = P0[i] - 0.1 * (G1[i] + 0.01 * P0[i]);
        assertValues(expected, p, 1e-15);
        assertEquals(1 - 0.1 * 0.51, p.toDoubleArray()[0], 1e-15);
    }

    // ------------------------------------------------------------------ Adam, AdamW

    /** Adam's reference update, one parameter element, for the given gradients. */
    private static double adamReference(double p, double lr, double b1, double b2, double eps, double wd, boolean decoupled, double... grads) {
        double m = 0;
        double v = 0;
        for (int t = 1; t <= grads.length; t++) {
            double g = grads[t - 1];
            if (wd != 0 && !decoupled) g += wd * p;
            if (wd != 0 && decoupled) p *= 1 - lr * wd;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mHat = m / (1 - Math.pow(b1, t));
            double vHat = v / (1 - Math.pow(b2, t));
            p -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
        return p;
    }

    @Test
    void adamFirstStepMovesEachParameterByLrTimesSignOfGradient() {
        // eps 1e-3 makes its effect visible: the move is lr * g / (|g| + eps), not exactly lr.
        Tensor p = stepWith(ps -> new Adam(ps, 0.01, 0.9, 0.999, 1e-3, 0), G1);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) expected[i] = P0[i] - 0.01 * G1[i] / (Math.abs(G1[i]) + 1e-3);
        assertValues(expected, p, 1e-14);
        // element 3: g = -0.003, so the move is 0.01 * 0.003 / 0.004 = 0.0075
        assertEquals(0.2575, p.toDoubleArray()[3], 1e-14);
        Tensor q = stepWith(ps -> new Adam(ps, 0.01), G1);
        double[] moved = q.toDoubleArray();
        for (int i = 0; i < 4; i++) assertEquals(0.01, Math.abs(P0[i] - moved[i]), 1e-7, "default eps: |move| = lr");
    }

    @Test
    void adamSecondStepUsesBiasCorrectedMoments() {
        Tensor p = stepWith(ps -> new Adam(ps, 0.01, 0.8, 0.95, 1e-6, 0), G1, G2);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) expected[i] = adamReference(P0[i], 0.01, 0.8, 0.95, 1e-6, 0, false, G1[i], G2[i]);
        assertValues(expected, p, 1e-13);
        // element 0 by hand: step 1 -> 1 - 0.01*0.5/(0.5+1e-6); m = 0.8*0.1 + 0.2*(-0.2) = 0.04, mHat = 0.04/0.36;
        // v = 0.95*0.0125 + 0.05*0.04 = 0.013875, vHat = 0.013875/0.0975
        double p1 = 1 - 0.01 * 0.5 / (0.5 + 1e-6);
        double p2 = p1 - 0.01 * (0.04 / 0.36) / (Math.sqrt(0.013875 / 0.0975) + 1e-6);
        assertEquals(p2, p.toDoubleArray()[0], 1e-13);
    }

    @Test
    void adamWeightDecayIsAddedToTheGradient() {
        Tensor p = stepWith(ps -> new Adam(ps, 0.01, 0.9, 0.999, 1e-8, 0.5), G1, G2);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) expected[i] = adamReference(P0[i], 0.01, 0.9, 0.999, 1e-8, 0.5, false, G1[i], G2[i]);
        assertValues(expected, p, 1e-13);
    }

    @Test
    void adamWDecaysTheParameterBeforeTheAdamStep() {
        Tensor p = stepWith(ps -> new AdamW(ps, 0.01, 0.9, 0.999, 1e-8, 0.1), G1);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            expected[i] = P0[i] * (1 - 0.01 * 0.1) - 0.01 * G1[i] / (Math.abs(G1[i]) + 1e-8);
        }
        assertValues(expected, p, 1e-14);
        assertEquals(0.999 - 0.01 * 0.5 / (0.5 + 1e-8), p.toDoubleArray()[0], 1e-15);
        Tensor q = stepWith(ps -> new AdamW(ps, 0.01, 0.9, 0.999, 1e-8, 0.1), G1, G2);
        for (int i = 0; i < 4; i++) expected[i] = adamReference(P0[i], 0.01, 0.9, 0.999, 1e-8, 0.1, true, G1[i], G2[i]);
        assertValues(expected, q, 1e-13);
    }

    @Test
    void adamWDefaultsToWeightDecayOneHundredth() {
        Tensor p = stepWith(ps -> new AdamW(ps, 0.1), G1);
        assertEquals(1 * (1 - 0.1 * 0.01) - 0.1 * 0.5 / (0.5 + 1e-8), p.toDoubleArray()[0], 1e-15);
    }

    // ------------------------------------------------------------------ RMSprop

    @Test
    void rmspropPlainStep() {
        Tensor p = stepWith(ps -> new RMSprop(ps, 0.01), G1, G2);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            double sq = 0.01 * G1[i] * G1[i];
            double p1 = P0[i] - 0.01 * G1[i] / (Math.sqrt(sq) + 1e-8);
            sq = 0.99 * sq + 0.01 * G2[i] * G2[i];
            expected[i] = p1 - 0.01 * G2[i] / (Math.sqrt(sq) + 1e-8);
        }
        assertValues(expected, p, 1e-13);
        // the first step divides by sqrt(0.01 g^2) = 0.1|g|: a move of 10 * lr
        Tensor q = stepWith(ps -> new RMSprop(ps, 0.01, 0.99, 0, 0, 0, false), G1);
        assertValues(new double[]{0.9, -1.9, 2.9, 0.35}, q, 1e-14);
    }

    @Test
    void rmspropCenteredWithMomentumAndWeightDecay() {
        double lr = 0.01;
        double alpha = 0.9;
        double eps = 1e-4;
        double wd = 0.05;
        double mom = 0.8;
        Tensor p = stepWith(ps -> new RMSprop(ps, lr, alpha, eps, wd, mom, true), G1, G2);
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            double x = P0[i];
            double sq = 0;
            double avg = 0;
            double buf = 0;
            for (double grad : new double[]{G1[i], G2[i]}) {
                double g = grad + wd * x;
                sq = alpha * sq + (1 - alpha) * g * g;
                avg = alpha * avg + (1 - alpha) * g;
                double denominator = Math.sqrt(sq - avg * avg) + eps;
                buf = mom * buf + g / denominator;
                x -= lr * buf;
            }
            expected[i] = x;
        }
        assertValues(expected, p, 1e-12);
        // element 0, first step by hand: g = 0.55, sq = 0.03025, avg = 0.055, var = 0.0272250, sqrt = 0.165
        Tensor q = stepWith(ps -> new RMSprop(ps, lr, alpha, eps, wd, mom, true), G1);
        assertEquals(1 - 0.01 * 0.55 / (0.165 + 1e-4), q.toDoubleArray()[0], 1e-13);
    }

    // ------------------------------------------------------------------ behaviour shared by all

    @Test
    void parametersWithoutGradientAreSkipped() {
        Tensor a = param(1, 2);
        Tensor b = param(3, 4);
        Adam opt = new Adam(List.of(a, b), 0.1);
        setGrad(b, 1, -1);
        opt.step();
        assertValues(new double[]{1, 2}, a, 0);
        assertValues(new double[]{2.9, 4.1}, b, 1e-7);
        Map<String, Tensor> state = opt.stateDict();
        assertFalse(state.containsKey("state.0.exp_avg"), "no state for a parameter never updated: " + state.keySet());
        assertTrue(state.containsKey("state.1.exp_avg"));
        // parameter 0 gets its first gradient now: its bias correction starts at step 1, so it moves by ~lr
        setGrad(a, 1, 1);
        opt.step();
        assertValues(new double[]{0.9, 1.9}, a, 1e-7);
        assertEquals(1.0, opt.stateDict().get("state.0.step").item());
        assertEquals(2.0, opt.stateDict().get("state.1.step").item());
        assertEquals(2, opt.stepCount());
    }

    @Test
    void zeroGradClearsGradients() {
        Tensor a = param(1, 2);
        Tensor b = param(3);
        SGD opt = new SGD(List.of(a, b), 0.1);
        Tensor loss = a.mul(b).sum();
        loss.backward();
        assertValues(new double[]{3, 3}, a.grad(), 0);
        opt.zeroGrad();
        assertNull(a.grad());
        assertNull(b.grad());
        opt.step(); // no gradients: nothing moves
        assertValues(new double[]{1, 2}, a, 0);
    }

    @Test
    void stateLivesOnTheParameterDeviceWithItsDtypeAndOutlivesScopes() {
        Tensor w = Tensor.of(new float[]{1, 2, 3}, 3).requiresGrad(true);
        Adam opt = new Adam(List.of(w), 0.1);
        for (int step = 0; step < 2; step++) {
            try (Scope scope = Scope.open()) {
                opt.zeroGrad();
                w.mul(w).sum().backward();
                opt.step();
            }
        }
        Map<String, Tensor> state = opt.stateDict();
        Tensor m = state.get("state.0.exp_avg");
        assertFalse(m.isClosed(), "optimizer state must survive the step's scope");
        assertEquals(DType.FLOAT32, m.dtype());
        assertEquals(device(), m.device());
        assertEquals(DType.FLOAT32, w.dtype());
        // the gradient is 2w: the first step moves each element by lr, the second by Adam's bias-corrected ratio
        double[] expectedW = new double[3];
        double[] expectedM = new double[3];
        for (int i = 0; i < 3; i++) {
            double w0 = i + 1;
            double w1 = adamReference(w0, 0.1, 0.9, 0.999, 1e-8, 0, false, 2 * w0);
            expectedW[i] = adamReference(w0, 0.1, 0.9, 0.999, 1e-8, 0, false, 2 * w0, 2 * w1);
            expectedM[i] = 0.9 * 0.1 * 2 * w0 + 0.1 * 2 * w1;
        }
        assertValues(expectedW, w, 1e-6);
        assertValues(expectedM, m, 1e-6);
        assertEquals(0.9 - 0.1 * 0.99589, w.toDoubleArray()[0], 1e-5); // by hand: mHat/sqrt(vHat) = 1.894737/1.902580
    }

    @Test
    void constructorsRejectBadArguments() {
        Tensor p = param(1, 2);
        assertMessage(() -> new SGD(List.of(), 0.1), "SGD", "empty");
        assertMessage(() -> new SGD(List.of(Tensor.of(new double[]{1}, 1)), 0.1), "SGD", "requiresGrad");
        assertMessage(() -> new SGD(List.of(p.mul(2)), 0.1), "SGD", "not a leaf");
        assertMessage(() -> new SGD(List.of(p, p), 0.1), "SGD", "same tensor");
        assertMessage(() -> new SGD(List.of(p), -1), "SGD", "learning rate");
        assertMessage(() -> new SGD(List.of(p), 0.1, 0, 0, 0, true), "Nesterov", "momentum");
        assertMessage(() -> new SGD(List.of(p), 0.1, 0.9, 0.1, 0, true), "Nesterov", "dampening");
        assertMessage(() -> new Adam(List.of(p), 0.1, 1.0, 0.999, 1e-8, 0), "Adam", "beta1");
        assertMessage(() -> new AdamW(List.of(p), 0.1, 0.9, 0.999, -1, 0), "AdamW", "eps");
        assertMessage(() -> new RMSprop(List.of(p), 0.1, 1.5, 1e-8, 0, 0, false), "RMSprop", "alpha");
        SGD ok = new SGD(List.of(p), 0.1);
        assertMessage(() -> ok.setLr(Double.NaN), "SGD", "learning rate");
        ok.setLr(0.5);
        assertEquals(0.5, ok.lr());
    }

    @Test
    void stepRunsWithGradModeOffAndRestoresIt() {
        // in-place writes to a parameter are refused while grad mode is on, so step() must turn it off itself
        Tensor p = param(1, 2);
        setGrad(p, 1, 1);
        new SGD(List.of(p), 0.5).step();
        assertValues(new double[]{0.5, 1.5}, p, 0);
        assertTrue(Grad.isEnabled(), "step restores grad mode");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should mention " + part);
    }

    // ------------------------------------------------------------------ training

    /** Fits y = 3x + 2 on 32 points in [-1, 1]; returns {loss, w, b}. */
    private static double[] fitLine(java.util.function.Function<List<Tensor>, Optimizer> make, int steps) {
        float[] xs = new float[32];
        float[] ys = new float[32];
        for (int i = 0; i < 32; i++) {
            xs[i] = -1 + 2 * i / 31f;
            ys[i] = 3 * xs[i] + 2;
        }
        Tensor x = Tensor.of(xs, 32, 1);
        Tensor y = Tensor.of(ys, 32, 1);
        Tensor w = Tensor.zeros(1, 1).requiresGrad(true);
        Tensor b = Tensor.zeros(1).requiresGrad(true);
        Optimizer opt = make.apply(List.of(w, b));
        double loss = Double.NaN;
        for (int step = 0; step < steps; step++) {
            try (Scope scope = Scope.open()) {
                opt.zeroGrad();
                Tensor l = x.matmul(w).add(b).sub(y).square().mean();
                l.backward();
                opt.step();
                loss = l.item();
            }
        }
        return new double[]{loss, w.item(), b.item()};
    }

    private static void assertFits(String name, double[] fit) {
        assertTrue(fit[0] < 1e-5, name + ": loss " + fit[0]);
        assertEquals(3, fit[1], 5e-3, name + ": slope");
        assertEquals(2, fit[2], 5e-3, name + ": intercept");
    }

    @Test
    void everyOptimizerFitsALine() {
        assertFits("SGD", fitLine(ps -> new SGD(ps, 0.3), 200));
        assertFits("SGD momentum", fitLine(ps -> new SGD(ps, 0.05, 0.9), 200));
        assertFits("SGD nesterov", fitLine(ps -> new SGD(ps, 0.05, 0.9, 0, 0, true), 200));
        assertFits("Adam", fitLine(ps -> new Adam(ps, 0.1), 300));
        assertFits("AdamW", fitLine(ps -> new AdamW(ps, 0.1, 1e-4), 300));
        assertFits("RMSprop", fitLine(ps -> new RMSprop(ps, 0.01), 500));
        assertFits("RMSprop centered momentum", fitLine(ps -> new RMSprop(ps, 0.01, 0.99, 1e-8, 0, 0.9, true), 300));
    }
}
