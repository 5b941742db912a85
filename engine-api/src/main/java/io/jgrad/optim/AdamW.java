package io.jgrad.optim;

import io.jgrad.Tensor;
import java.util.List;
import java.util.Map;

/**
 * {@link Adam} with decoupled weight decay (Loshchilov and Hutter), as in PyTorch's AdamW: before the Adam step the
 * parameter shrinks by {@code p *= 1 - lr*weightDecay}, instead of the decay being added to the gradient, where
 * Adam's normalisation would weaken it for parameters with large gradients. The options are {@link Adam}'s, with
 * {@code weight_decay} 1e-2 by default. Biases and normalisation weights are usually not decayed:
 * <pre>{@code
 * var adamw = AdamW.builder().lr(3e-4).groups(ParamGroups.decayOnlyWeights(model, 0.1)).build();
 * }</pre>
 */
public final class AdamW extends AdamBase {
    /** AdamW with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 1e-2. */
    public AdamW(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 1e-2);
    }

    /** AdamW with the given weight decay and the default betas and eps. */
    public AdamW(List<Tensor> params, double lr, double weightDecay) {
        this(params, lr, 0.9, 0.999, 1e-8, weightDecay);
    }

    /**
     * @param beta1       decay of the gradient average, in [0, 1)
     * @param beta2       decay of the squared-gradient average, in [0, 1)
     * @param eps         added to the denominator for stability, >= 0
     * @param weightDecay decoupled decay factor (the parameter shrinks by lr * weightDecay per step), >= 0
     */
    public AdamW(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super("AdamW", List.of(ParamGroup.of(params)), options(lr, beta1, beta2, eps, weightDecay), true);
    }

    private AdamW(List<ParamGroup> groups, Map<String, Double> defaults) {
        super("AdamW", groups, defaults, true);
    }

    /** A builder with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2, no amsgrad. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link AdamW}. */
    public static final class Builder extends AdamBuilder<Builder, AdamW> {
        Builder() {
            super(1e-2);
        }

        @Override
        public AdamW build() {
            return new AdamW(groups, defaults);
        }
    }
}
