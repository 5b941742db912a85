package io.jgrad.optim;

import io.jgrad.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as in PyTorch's AdamW: before the Adam step the
 * parameter shrinks by {@code p *= 1 - lr*weightDecay}, instead of the decay being added to the gradient, where
 * Adam's normalisation would weaken it for parameters with large gradients.
 */
public final class AdamW extends Adam {
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
        super("AdamW", params, lr, beta1, beta2, eps, weightDecay, true);
    }
}
