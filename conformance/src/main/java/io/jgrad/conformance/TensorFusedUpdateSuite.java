package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.Functional;
import io.jgrad.Grad;
import io.jgrad.Tensor;
import org.junit.jupiter.api.Test;

/** The fused optimizer updates against plain-Java implementations of PyTorch's Adam, AdamW and SGD formulas. */
public abstract class TensorFusedUpdateSuite extends TensorBaseSuite {

    /** One Adam step on host arrays: returns the new param; updates m and v in place. */
    private static double[] adam(double[] p, double[] g, double[] m, double[] v, double lr, double b1, double b2, double eps,
                                 double wd, boolean decoupled, long step) {
        double[] out = p.clone();
        for (int i = 0; i < p.length; i++) {
            double gi = g[i] + (decoupled ? 0 : wd * p[i]);
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            double mh = m[i] / (1 - Math.pow(b1, step)), vh = v[i] / (1 - Math.pow(b2, step));
            if (decoupled) out[i] -= lr * wd * p[i];
            out[i] -= lr * mh / (Math.sqrt(vh) + eps);
        }
        return out;
    }

    @Test
    void adamAndAdamWStepsMatchTheFormulas() {
        for (boolean decoupled : new boolean[]{false, true}) {
            double[] p = uniform(1, 6, -1, 1), g = uniform(2, 6, -1, 1);
            double[] m = new double[6], v = new double[6];
            Tensor param = f64(p, 2, 3), grad = f64(g, 2, 3), mt = Tensor.zeros(io.jgrad.DType.FLOAT64, 2, 3),
                    vt = Tensor.zeros(io.jgrad.DType.FLOAT64, 2, 3);
            double[] expected = p;
            for (long step = 1; step <= 3; step++) {
                expected = adam(expected, g, m, v, 0.01, 0.9, 0.999, 1e-8, 0.1, decoupled, step);
                Functional.adamUpdate(param, grad, mt, vt, 0.01, 0.9, 0.999, 1e-8, 0.1, decoupled, step);
            }
            assertClose(expected, param, 1e-12, 1e-10, (decoupled ? "AdamW" : "Adam") + " param");
            assertClose(m, mt, 1e-14, 1e-12, "m");
            assertClose(v, vt, 1e-14, 1e-12, "v");
        }
        // float32, with a strided gradient
        double[] p = uniform(3, 4, -1, 1), g = uniform(4, 4, -1, 1);
        Tensor param = f32(p, 2, 2);
        int before = param.version();
        Functional.adamUpdate(param, f32(transposed(g, 2, 2), 2, 2).t(), Tensor.zeros(2, 2), Tensor.zeros(2, 2),
                0.1, 0.9, 0.999, 1e-8, 0, false, 1);
        assertClose(adam(p, g, new double[4], new double[4], 0.1, 0.9, 0.999, 1e-8, 0, false, 1), param, 1e-6, 1e-5, "float32 Adam");
        assertEquals(before + 1, param.version(), "the update bumps the parameter's version");
    }

    @Test
    void sgdStepsMatchPyTorchSemantics() {
        double lr = 0.1, mom = 0.9, damp = 0.25, wd = 0.01;
        for (boolean nesterov : new boolean[]{false, true}) {
            double d = nesterov ? 0 : damp; // PyTorch requires zero dampening with Nesterov
            double[] p = uniform(5, 5, -1, 1), g = uniform(6, 5, -1, 1);
            double[] buf = new double[5];
            double[] expected = p.clone();
            Tensor param = f64(p, 5), grad = f64(g, 5), bufT = Tensor.zeros(io.jgrad.DType.FLOAT64, 5);
            for (int step = 0; step < 3; step++) {
                for (int i = 0; i < 5; i++) {
                    double gi = g[i] + wd * expected[i];
                    buf[i] = step == 0 ? gi : mom * buf[i] + (1 - d) * gi;
                    double upd = nesterov ? gi + mom * buf[i] : buf[i];
                    expected[i] -= lr * upd;
                }
                Functional.sgdUpdate(param, grad, bufT, lr, mom, d, wd, nesterov, step == 0);
            }
            assertClose(expected, param, 1e-14, 1e-12, "SGD nesterov=" + nesterov);
            assertClose(buf, bufT, 1e-14, 1e-12, "momentum buffer");
        }
        Tensor plain = Tensor.of(new double[]{1, 2});
        Functional.sgdUpdate(plain, Tensor.of(new double[]{10, -10}), null, 0.5, 0, 0, 0, false, true);
        assertExactly(new double[]{-4, 7}, plain, "plain SGD");
    }

    @Test
    void updatesWorkOnParametersInsideNoGrad() {
        Tensor w = Tensor.of(new double[]{1, 2}).requiresGrad(true);
        w.mul(w).sum().backward();
        try (Grad.Mode ignored = Grad.disabled()) {
            Functional.sgdUpdate(w, w.grad(), null, 0.25, 0, 0, 0, false, true);
        }
        assertExactly(new double[]{0.5, 1}, w, "w - 0.25 * 2w");
        assertFailsMentioning(IllegalArgumentException.class,
                () -> Functional.sgdUpdate(w, Tensor.zeros(3), null, 0.1, 0, 0, 0, false, true), "sgdUpdate", "[3]", "[2]");
        assertFailsMentioning(IllegalArgumentException.class,
                () -> Functional.sgdUpdate(w, w.grad(), null, 0.1, 0.9, 0, 0, false, true), "sgdUpdate", "momentum");
    }
}
