package io.jgrad.optim;

import io.jgrad.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RAdam (Liu et al.): Adam whose adaptive step is switched on only once the variance of its denominator is
 * tractable, and then rectified, as in PyTorch. With t the parameter's update count, Adam's moments m and v of
 * {@code g = grad + weightDecay*p}, {@code rhoInf = 2/(1-beta2) - 1} and
 * {@code rho_t = rhoInf - 2t*beta2^t/(1-beta2^t)}: while {@code rho_t <= 5} the step is SGD with momentum,
 * {@code p -= lr * m/(1-beta1^t)}; after it is
 * {@code p -= lr * m/(1-beta1^t) * r_t * sqrt(1-beta2^t) / (sqrt(v) + eps)} with
 * {@code r_t = sqrt((rho_t-4)(rho_t-2)rhoInf / ((rhoInf-4)(rhoInf-2)rho_t))}. With {@code decoupled_weight_decay}
 * the decay is AdamW's instead ({@code p *= 1 - lr*weightDecay} before the step).
 * <p>
 * Options (per {@link ParamGroup}): {@code lr} (1e-3), {@code beta1} (0.9), {@code beta2} (0.999), {@code eps}
 * (1e-8), {@code weight_decay} (0), {@code decoupled_weight_decay} (off), {@code maximize} (off). Composed of
 * in-place tensor ops.
 */
public final class RAdam extends Optimizer {
    public static final String DECOUPLED_WEIGHT_DECAY = "decoupled_weight_decay";
    private static final String EXP_AVG = "exp_avg";
    private static final String EXP_AVG_SQ = "exp_avg_sq";

    private static final Map<String, Check> CHECKS = Map.of(
            BETA1, Check.fraction("beta1"),
            BETA2, Check.fraction("beta2"),
            EPS, Check.nonNegative("eps"),
            DECOUPLED_WEIGHT_DECAY, Check.flag("decoupled_weight_decay"));

    /** RAdam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public RAdam(List<Tensor> params, double lr) {
        this(List.of(ParamGroup.of(params)), builder().lr(lr).defaults);
    }

    private RAdam(List<ParamGroup> groups, Map<String, Double> defaults) {
        super("RAdam", groups, defaults, CHECKS);
    }

    /** A builder with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long paramStep, ParamGroup group) {
        double lr = group.lr();
        double beta1 = group.get(BETA1);
        double beta2 = group.get(BETA2);
        double weightDecay = group.get(WEIGHT_DECAY);
        Tensor g = applyWeightDecay(param, grad, lr, weightDecay, group.flag(DECOUPLED_WEIGHT_DECAY));
        Tensor m = buffer(index, EXP_AVG);
        Tensor v = buffer(index, EXP_AVG_SQ);
        m.mulInPlace(beta1).addInPlace(g, 1 - beta1);
        v.mulInPlace(beta2).addInPlace(g.square(), 1 - beta2);
        double bc1 = 1 - Math.pow(beta1, paramStep);
        double bc2 = 1 - Math.pow(beta2, paramStep);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rho = rhoInf - 2 * paramStep * Math.pow(beta2, paramStep) / bc2;
        if (rho > 5) {
            double rect = Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
            param.addInPlace(m.div(v.sqrt().add(group.get(EPS))), -lr / bc1 * rect * Math.sqrt(bc2));
        } else {
            param.addInPlace(m, -lr / bc1);
        }
    }

    @Override
    protected List<String> bufferNames(ParamGroup group) {
        return List.of(EXP_AVG, EXP_AVG_SQ);
    }

    @Override
    protected boolean countsParamSteps() {
        return true;
    }

    /** Builds an {@link RAdam}. */
    public static final class Builder extends Optimizer.Builder<Builder, RAdam> {
        Builder() {
            super(1e-3);
            LinkedHashMap<String, Double> o = new LinkedHashMap<>();
            o.put(BETA1, 0.9);
            o.put(BETA2, 0.999);
            o.put(EPS, 1e-8);
            o.put(WEIGHT_DECAY, 0.0);
            o.put(DECOUPLED_WEIGHT_DECAY, 0.0);
            defaults.putAll(o);
        }

        /** Decays of the gradient's and the squared gradient's running averages, each in [0, 1). */
        public Builder betas(double beta1, double beta2) {
            option(BETA1, beta1);
            return option(BETA2, beta2);
        }

        /** Added to the denominator for stability, >= 0. */
        public Builder eps(double eps) {
            return option(EPS, eps);
        }

        /** AdamW's weight decay ({@code p *= 1 - lr*weightDecay}) instead of L2 added to the gradient. */
        public Builder decoupledWeightDecay(boolean decoupled) {
            return option(DECOUPLED_WEIGHT_DECAY, decoupled ? 1 : 0);
        }

        @Override
        public RAdam build() {
            return new RAdam(groups, defaults);
        }
    }
}
