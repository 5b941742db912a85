package io.jgrad;

import io.jgrad.spi.CounterRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * Checks analytic gradients against central differences in float64, like torch.autograd.gradcheck.
 * <p>
 * For an output y = f(x1, x2, ...), it compares the vector-Jacobian products vᵀ·∂y/∂xi that backward computes with
 * (L(x + eps) - L(x - eps)) / 2eps for L = sum(v * y), element by element. For outputs of up to 16 elements v runs
 * over every one-hot vector (the full Jacobian); for larger outputs, over three seeded random vectors.
 * Inputs must be float64; only those with requiresGrad are checked.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** The outcome; {@link #assertPassed()} turns a failure into an AssertionError with the details. */
    public record Result(boolean passed, String message) {
        public void assertPassed() {
            if (!passed) throw new AssertionError(message);
        }
    }

    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(f, 1e-6, 1e-5, 1e-3, inputs);
    }

    public static Result check(Function<Tensor[], Tensor> f, double eps, double atol, double rtol, Tensor... inputs) {
        double[][] host = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype() != DType.FLOAT64 && inputs[i].requiresGrad()) {
                throw new IllegalArgumentException("GradCheck: input " + i + " is " + inputs[i].dtype()
                        + "; finite differences need float64 inputs (use to(DType.FLOAT64))");
            }
            host[i] = inputs[i].toDoubleArray();
        }
        Tensor[] xs = fresh(inputs, host);
        Tensor out = f.apply(xs);
        if (out.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("GradCheck: the function returned " + out.dtype() + "; it must return float64");
        }
        int m = (int) out.numel();
        int[] outShape = out.shapeArray();
        double[][] directions = directions(m);
        for (int p = 0; p < directions.length; p++) {
            double[] v = directions[p];
            for (Tensor x : xs) x.setGrad(null);
            if (!out.requiresGrad()) {
                return new Result(false, "GradCheck: the output does not require grad; no input with requiresGrad reaches it");
            }
            // reshape: of() reads an empty shape as "1-D", and a rank-0 output needs shape []
            out.backward(Tensor.of(v).reshape(outShape).to(out.device()), true);
            for (int i = 0; i < inputs.length; i++) {
                if (!inputs[i].requiresGrad()) continue;
                double[] analytic = xs[i].grad() == null ? new double[host[i].length] : xs[i].grad().toDoubleArray();
                for (int e = 0; e < host[i].length; e++) {
                    double keep = host[i][e];
                    host[i][e] = keep + eps;
                    double plus = project(f, inputs, host, v);
                    host[i][e] = keep - eps;
                    double minus = project(f, inputs, host, v);
                    host[i][e] = keep;
                    double numeric = (plus - minus) / (2 * eps);
                    double a = analytic[e];
                    if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
                        return new Result(false, String.format(Locale.ROOT,
                                "GradCheck failed for input %d (shape %s), element %d %s: analytic %.10g vs numerical %.10g%s",
                                i, inputs[i].shape(), e, Arrays.toString(unravel(e, inputs[i].shapeArray())), a, numeric,
                                m <= 16 ? " (output element " + p + ")" : " (random direction " + p + ")"));
                    }
                }
            }
        }
        return new Result(true, "GradCheck passed");
    }

    private static Tensor[] fresh(Tensor[] inputs, double[][] host) {
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = inputs[i];
            if (x.dtype() == DType.FLOAT64) {
                Tensor t = Tensor.of(host[i]).reshape(x.shapeArray()); // reshape keeps rank 0 as rank 0
                xs[i] = (t.device().equals(x.device()) ? t : t.to(x.device())).requiresGrad(x.requiresGrad());
            } else {
                xs[i] = x.detach();
            }
        }
        return xs;
    }

    private static double project(Function<Tensor[], Tensor> f, Tensor[] inputs, double[][] host, double[] v) {
        try (Grad.Mode ignored = Grad.disabled()) {
            double[] y = f.apply(fresh(inputs, host)).toDoubleArray();
            double s = 0;
            for (int j = 0; j < y.length; j++) s += y[j] * v[j];
            return s;
        }
    }

    private static double[][] directions(int m) {
        if (m <= 16) {
            double[][] d = new double[m][m];
            for (int j = 0; j < m; j++) d[j][j] = 1;
            return d;
        }
        double[][] d = new double[3][m];
        for (int p = 0; p < 3; p++) for (int j = 0; j < m; j++) d[p][j] = CounterRandom.normal(0x6AD + p, j);
        return d;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % Math.max(shape[i], 1);
            flat /= Math.max(shape[i], 1);
        }
        return idx;
    }
}
