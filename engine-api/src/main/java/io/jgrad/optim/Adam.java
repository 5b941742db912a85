package io.jgrad.optim;

import io.jgrad.Functional;
import io.jgrad.Tensor;
import java.util.List;

/**
 * Adam (Kingma and Ba) with L2 weight decay added to the gradient, as in PyTorch's Adam: with
 * {@code g = grad + weightDecay*p}, {@code m = beta1*m + (1-beta1)*g}, {@code v = beta2*v + (1-beta2)*g²} and t
 * the parameter's update count, {@code p -= lr * (m / (1-beta1^t)) / (sqrt(v / (1-beta2^t)) + eps)}.
 * Each parameter's update is one fused kernel ({@link Functional#adamUpdate}). See {@link AdamW} for decoupled
 * weight decay, which usually regularises better with adaptive steps.
 */
public class Adam extends Optimizer {
    private static final String EXP_AVG = "exp_avg";
    private static final String EXP_AVG_SQ = "exp_avg_sq";

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    /** Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * @param beta1       decay of the gradient average, in [0, 1)
     * @param beta2       decay of the squared-gradient average, in [0, 1)
     * @param eps         added to the denominator for stability, >= 0
     * @param weightDecay L2 penalty factor added to the gradient, >= 0
     */
    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this("Adam", params, lr, beta1, beta2, eps, weightDecay, false);
    }

    Adam(String name, List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(name, params, lr);
        check(name, "beta1 (expected 0 <= beta1 < 1)", beta1, beta1 >= 0 && beta1 < 1);
        check(name, "beta2 (expected 0 <= beta2 < 1)", beta2, beta2 >= 0 && beta2 < 1);
        check(name, "eps (expected >= 0, finite)", eps, eps >= 0 && eps < Double.POSITIVE_INFINITY);
        check(name, "weight decay (expected >= 0, finite)", weightDecay, weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    protected final void update(int index, Tensor param, Tensor grad, long paramStep) {
        Functional.adamUpdate(param, grad, buffer(index, EXP_AVG), buffer(index, EXP_AVG_SQ), lr(), beta1, beta2, eps,
                weightDecay, decoupled, paramStep);
    }

    @Override
    protected final List<String> bufferNames() {
        return List.of(EXP_AVG, EXP_AVG_SQ);
    }

    /** Bias correction needs each parameter's own update count (a parameter may first get a gradient late). */
    @Override
    protected final boolean countsParamSteps() {
        return true;
    }

    @Override
    public String toString() {
        return name() + "(lr=" + lr() + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ", weightDecay=" + weightDecay
                + ", " + params().size() + " parameters, " + stepCount() + " steps)";
    }
}
