package io.jgrad.optim;

import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop (Hinton), as in PyTorch: with {@code g = grad + weightDecay*p} and
 * {@code square_avg = alpha*square_avg + (1-alpha)*g²}, the denominator is {@code sqrt(square_avg) + eps}, or when
 * centered {@code sqrt(square_avg - grad_avg²) + eps} with {@code grad_avg = alpha*grad_avg + (1-alpha)*g} (the
 * gradient's variance instead of its second moment). Then {@code p -= lr * g/denominator}, or with momentum
 * {@code buf = momentum*buf + g/denominator; p -= lr*buf}.
 * <p>
 * Options (per {@link ParamGroup}): {@code lr} (1e-2), {@code alpha} (0.99), {@code eps} (1e-8),
 * {@code weight_decay} (0), {@code momentum} (0), {@code centered} (off), {@code maximize} (off).
 * <p>
 * Composed of in-place tensor ops (a few kernels per parameter), whose temporaries are freed at the end of the step.
 */
public final class RMSprop extends Optimizer {
    public static final String ALPHA = "alpha";
    public static final String CENTERED = "centered";
    private static final String SQUARE_AVG = "square_avg";
    private static final String MOMENTUM_BUFFER = "momentum_buffer";
    private static final String GRAD_AVG = "grad_avg";

    private static final Map<String, Check> CHECKS = Map.of(
            ALPHA, Check.fraction("alpha"),
            EPS, Check.nonNegative("eps"),
            MOMENTUM, Check.fraction("momentum"),
            CENTERED, Check.flag("centered"));

    /** RMSprop with PyTorch's defaults: alpha 0.99, eps 1e-8, no weight decay or momentum, not centered. */
    public RMSprop(List<Tensor> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0, 0, false);
    }

    /**
     * @param alpha       decay of the squared-gradient average, in [0, 1)
     * @param eps         added to the denominator for stability, >= 0
     * @param weightDecay L2 penalty factor added to the gradient, >= 0
     * @param momentum    momentum factor in [0, 1); 0 turns momentum off
     * @param centered    normalise by the gradient's estimated variance instead of its second moment
     */
    public RMSprop(List<Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        this(List.of(ParamGroup.of(params)), options(lr, alpha, eps, weightDecay, momentum, centered));
    }

    private RMSprop(List<ParamGroup> groups, Map<String, Double> defaults) {
        super("RMSprop", groups, defaults, CHECKS);
    }

    private static Map<String, Double> options(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        LinkedHashMap<String, Double> o = new LinkedHashMap<>();
        o.put(LR, lr);
        o.put(ALPHA, alpha);
        o.put(EPS, eps);
        o.put(WEIGHT_DECAY, weightDecay);
        o.put(MOMENTUM, momentum);
        o.put(CENTERED, centered ? 1.0 : 0.0);
        return o;
    }

    /** A builder with PyTorch's defaults: lr 1e-2, alpha 0.99, eps 1e-8, no weight decay or momentum, not centered. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long paramStep, ParamGroup group) {
        double alpha = group.get(ALPHA);
        double eps = group.get(EPS);
        double weightDecay = group.get(WEIGHT_DECAY);
        double momentum = group.get(MOMENTUM);
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        Tensor squareAvg = buffer(index, SQUARE_AVG);
        squareAvg.mulInPlace(alpha).addInPlace(g.square(), 1 - alpha);
        Tensor denominator;
        if (group.flag(CENTERED)) {
            Tensor gradAvg = buffer(index, GRAD_AVG);
            gradAvg.mulInPlace(alpha).addInPlace(g, 1 - alpha);
            // The variance is >= 0 in exact arithmetic; the clamp keeps rounding from turning it into sqrt(-tiny) = NaN.
            denominator = squareAvg.sub(gradAvg.square()).clampMin(0).sqrt().add(eps);
        } else {
            denominator = squareAvg.sqrt().add(eps);
        }
        Tensor direction = g.div(denominator);
        if (momentum != 0) {
            Tensor buf = buffer(index, MOMENTUM_BUFFER);
            buf.mulInPlace(momentum).addInPlace(direction);
            direction = buf;
        }
        param.addInPlace(direction, -group.lr());
    }

    @Override
    protected List<String> bufferNames(ParamGroup group) {
        List<String> names = new ArrayList<>(List.of(SQUARE_AVG));
        if (group.get(MOMENTUM) != 0) names.add(MOMENTUM_BUFFER);
        if (group.flag(CENTERED)) names.add(GRAD_AVG);
        return List.copyOf(names);
    }

    /** Saved for PyTorch parity and for checkpoints; the update itself does not depend on it. */
    @Override
    protected boolean countsParamSteps() {
        return true;
    }

    /** Builds an {@link RMSprop}. */
    public static final class Builder extends Optimizer.Builder<Builder, RMSprop> {
        Builder() {
            super(1e-2);
            defaults.putAll(options(1e-2, 0.99, 1e-8, 0, 0, false));
        }

        /** Decay of the squared-gradient average, in [0, 1). */
        public Builder alpha(double alpha) {
            return option(ALPHA, alpha);
        }

        /** Added to the denominator for stability, >= 0. */
        public Builder eps(double eps) {
            return option(EPS, eps);
        }

        /** Momentum factor in [0, 1); 0 turns momentum off. */
        public Builder momentum(double momentum) {
            return option(MOMENTUM, momentum);
        }

        /** Normalise by the gradient's estimated variance instead of its second moment. */
        public Builder centered(boolean centered) {
            return option(CENTERED, centered ? 1 : 0);
        }

        @Override
        public RMSprop build() {
            return new RMSprop(groups, defaults);
        }
    }
}
