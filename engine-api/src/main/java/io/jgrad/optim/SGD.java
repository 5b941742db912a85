package io.jgrad.optim;

import io.jgrad.Functional;
import io.jgrad.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, L2 weight decay and Nesterov momentum, as in
 * PyTorch: {@code g = grad + weightDecay*p}; {@code buf = g} on the first step, then
 * {@code buf = momentum*buf + (1 - dampening)*g}; {@code g = nesterov ? g + momentum*buf : buf};
 * {@code p -= lr*g}. Each parameter's update is one fused kernel ({@link Functional#sgdUpdate}).
 * <p>
 * Options (per {@link ParamGroup}): {@code lr} (1e-3), {@code momentum} (0), {@code dampening} (0),
 * {@code weight_decay} (0), {@code nesterov} (off), {@code maximize} (off).
 * <pre>{@code
 * var sgd = SGD.builder().lr(0.1).momentum(0.9).nesterov(true).params(model.parameters()).build();
 * }</pre>
 */
public final class SGD extends Optimizer {
    public static final String DAMPENING = "dampening";
    public static final String NESTEROV = "nesterov";
    private static final String MOMENTUM_BUFFER = "momentum_buffer";

    private static final Map<String, Check> CHECKS = Map.of(
            MOMENTUM, Check.fraction("momentum"),
            DAMPENING, new Check("dampening", "0 <= dampening <= 1", v -> v >= 0 && v <= 1),
            NESTEROV, Check.flag("nesterov"));

    /** Plain SGD: {@code p -= lr * grad}. */
    public SGD(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    /** SGD with (heavy-ball) momentum. */
    public SGD(List<Tensor> params, double lr, double momentum) {
        this(params, lr, momentum, 0, 0, false);
    }

    /**
     * @param momentum    momentum factor in [0, 1); 0 turns momentum off
     * @param dampening   dampening of the gradient added to the momentum buffer, in [0, 1]
     * @param weightDecay L2 penalty factor added to the gradient, >= 0
     * @param nesterov    Nesterov momentum; needs momentum > 0 and dampening 0
     */
    public SGD(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        this(List.of(ParamGroup.of(params)), options(lr, momentum, dampening, weightDecay, nesterov));
    }

    private SGD(List<ParamGroup> groups, Map<String, Double> defaults) {
        super("SGD", groups, defaults, CHECKS);
    }

    private static Map<String, Double> options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        LinkedHashMap<String, Double> o = new LinkedHashMap<>();
        o.put(LR, lr);
        o.put(MOMENTUM, momentum);
        o.put(DAMPENING, dampening);
        o.put(WEIGHT_DECAY, weightDecay);
        o.put(NESTEROV, nesterov ? 1.0 : 0.0);
        return o;
    }

    /** A builder with PyTorch's defaults: lr 1e-3, no momentum, dampening or weight decay. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void checkGroup(ParamGroup group) {
        double momentum = group.get(MOMENTUM);
        double dampening = group.get(DAMPENING);
        if (group.flag(NESTEROV) && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0 and dampening 0, got momentum "
                    + momentum + " and dampening " + dampening);
        }
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long paramStep, ParamGroup group) {
        double momentum = group.get(MOMENTUM);
        Tensor buffer = null;
        boolean firstStep = false;
        if (momentum != 0) {
            firstStep = !hasBuffer(index, MOMENTUM_BUFFER);
            buffer = buffer(index, MOMENTUM_BUFFER);
        }
        Functional.sgdUpdate(param, grad, buffer, group.lr(), momentum, group.get(DAMPENING), group.get(WEIGHT_DECAY),
                group.flag(NESTEROV), firstStep);
    }

    @Override
    protected List<String> bufferNames(ParamGroup group) {
        return group.get(MOMENTUM) != 0 ? List.of(MOMENTUM_BUFFER) : List.of();
    }

    /** Builds an {@link SGD}. */
    public static final class Builder extends Optimizer.Builder<Builder, SGD> {
        Builder() {
            super(1e-3);
            defaults.putAll(options(1e-3, 0, 0, 0, false));
        }

        /** Momentum factor in [0, 1); 0 turns momentum off. */
        public Builder momentum(double momentum) {
            return option(MOMENTUM, momentum);
        }

        /** Dampening of the gradient added to the momentum buffer, in [0, 1]. */
        public Builder dampening(double dampening) {
            return option(DAMPENING, dampening);
        }

        /** Nesterov momentum; needs momentum > 0 and dampening 0. */
        public Builder nesterov(boolean nesterov) {
            return option(NESTEROV, nesterov ? 1 : 0);
        }

        @Override
        public SGD build() {
            return new SGD(groups, defaults);
        }
    }
}
