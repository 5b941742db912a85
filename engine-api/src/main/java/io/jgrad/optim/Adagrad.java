package io.jgrad.optim;

import io.jgrad.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adagrad (Duchi et al.), as in PyTorch: with {@code g = grad + weightDecay*p}, t the parameter's update count and
 * {@code sum += g²} (the running sum of squared gradients, starting at {@code initial_accumulator_value}),
 * {@code p -= lr / (1 + (t-1)*lrDecay) * g / (sqrt(sum) + eps)}. Each coordinate's step shrinks as its gradients
 * accumulate, which suits sparse features.
 * <p>
 * Options (per {@link ParamGroup}): {@code lr} (1e-2), {@code lr_decay} (0), {@code weight_decay} (0),
 * {@code initial_accumulator_value} (0), {@code eps} (1e-10), {@code maximize} (off).
 * <pre>{@code
 * var adagrad = Adagrad.builder().lr(0.05).initialAccumulatorValue(0.1).params(model.parameters()).build();
 * }</pre>
 * Composed of in-place tensor ops.
 */
public final class Adagrad extends Optimizer {
    public static final String LR_DECAY = "lr_decay";
    public static final String INITIAL_ACCUMULATOR_VALUE = "initial_accumulator_value";
    private static final String SUM = "sum";

    private static final Map<String, Check> CHECKS = Map.of(
            LR_DECAY, Check.nonNegative("lr_decay"),
            INITIAL_ACCUMULATOR_VALUE, Check.nonNegative("initial_accumulator_value"),
            EPS, Check.nonNegative("eps"));

    /** Adagrad with PyTorch's defaults: no lr decay or weight decay, accumulators from 0, eps 1e-10. */
    public Adagrad(List<Tensor> params, double lr) {
        this(List.of(ParamGroup.of(params)), builder().lr(lr).defaults);
    }

    private Adagrad(List<ParamGroup> groups, Map<String, Double> defaults) {
        super("Adagrad", groups, defaults, CHECKS);
    }

    /** A builder with PyTorch's defaults: lr 1e-2, no lr decay or weight decay, accumulators from 0, eps 1e-10. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long paramStep, ParamGroup group) {
        double weightDecay = group.get(WEIGHT_DECAY);
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        double clr = group.lr() / (1 + (paramStep - 1) * group.get(LR_DECAY));
        Tensor sum = buffer(index, SUM, group.get(INITIAL_ACCUMULATOR_VALUE));
        sum.addInPlace(g.square());
        param.addInPlace(g.div(sum.sqrt().add(group.get(EPS))), -clr);
    }

    @Override
    protected List<String> bufferNames(ParamGroup group) {
        return List.of(SUM);
    }

    /** The learning-rate decay depends on each parameter's own update count. */
    @Override
    protected boolean countsParamSteps() {
        return true;
    }

    /** Builds an {@link Adagrad}. */
    public static final class Builder extends Optimizer.Builder<Builder, Adagrad> {
        Builder() {
            super(1e-2);
            LinkedHashMap<String, Double> o = new LinkedHashMap<>();
            o.put(LR_DECAY, 0.0);
            o.put(WEIGHT_DECAY, 0.0);
            o.put(INITIAL_ACCUMULATOR_VALUE, 0.0);
            o.put(EPS, 1e-10);
            defaults.putAll(o);
        }

        /** The rate at update t is lr / (1 + (t-1)*lrDecay); >= 0. */
        public Builder lrDecay(double lrDecay) {
            return option(LR_DECAY, lrDecay);
        }

        /** The starting value of every accumulated sum of squares, >= 0. */
        public Builder initialAccumulatorValue(double value) {
            return option(INITIAL_ACCUMULATOR_VALUE, value);
        }

        /** Added to the denominator for stability, >= 0. */
        public Builder eps(double eps) {
            return option(EPS, eps);
        }

        @Override
        public Adagrad build() {
            return new Adagrad(groups, defaults);
        }
    }
}
