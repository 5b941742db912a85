package io.jgrad.optim;

import io.jgrad.Functional;
import io.jgrad.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba) with L2 weight decay added to the gradient, as in PyTorch's Adam: with
 * {@code g = grad + weightDecay*p}, {@code m = beta1*m + (1-beta1)*g}, {@code v = beta2*v + (1-beta2)*g²} and t
 * the parameter's update count, {@code p -= lr * (m / (1-beta1^t)) / (sqrt(v / (1-beta2^t)) + eps)}.
 * With {@code amsgrad} the denominator uses the running maximum of v ({@code max_exp_avg_sq}) instead of v, so the
 * effective step never grows (Reddi et al.). See {@link AdamW} for decoupled weight decay, which usually regularises
 * better with adaptive steps.
 * <p>
 * Options (per {@link ParamGroup}): {@code lr} (1e-3), {@code beta1} (0.9), {@code beta2} (0.999), {@code eps}
 * (1e-8), {@code weight_decay} (0), {@code amsgrad} (off), {@code maximize} (off).
 * <pre>{@code
 * var adam = Adam.builder().lr(1e-3).betas(0.9, 0.95).amsgrad(true).params(model.parameters()).build();
 * }</pre>
 * Without amsgrad each parameter's update is one fused kernel ({@link Functional#adamUpdate}); with it the update is
 * composed of in-place tensor ops.
 */
public final class Adam extends AdamBase {
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
        super("Adam", List.of(ParamGroup.of(params)), options(lr, beta1, beta2, eps, weightDecay), false);
    }

    private Adam(List<ParamGroup> groups, Map<String, Double> defaults) {
        super("Adam", groups, defaults, false);
    }

    /** A builder with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay, no amsgrad. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link Adam}. */
    public static final class Builder extends AdamBuilder<Builder, Adam> {
        Builder() {
            super(0);
        }

        @Override
        public Adam build() {
            return new Adam(groups, defaults);
        }
    }
}
