package io.jgrad.optim;

import io.jgrad.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NAdam (Dozat): Adam with Nesterov momentum, as in PyTorch. With t the parameter's update count,
 * {@code mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentumDecay))}, {@code mu_product} the product of mu_1 .. mu_t, and
 * Adam's moments m and v of {@code g = grad + weightDecay*p}:
 * {@code p -= lr * (1-mu_t)/(1-mu_product) * g/d + lr * mu_{t+1}/(1-mu_product*mu_{t+1}) * m/d}, where
 * {@code d = sqrt(v / (1-beta2^t)) + eps}. With {@code decoupled_weight_decay} the decay is AdamW's instead
 * ({@code p *= 1 - lr*weightDecay} before the step).
 * <p>
 * Options (per {@link ParamGroup}): {@code lr} (2e-3), {@code beta1} (0.9), {@code beta2} (0.999), {@code eps}
 * (1e-8), {@code weight_decay} (0), {@code momentum_decay} (4e-3), {@code decoupled_weight_decay} (off),
 * {@code maximize} (off). Composed of in-place tensor ops.
 */
public final class NAdam extends Optimizer {
    public static final String MOMENTUM_DECAY = "momentum_decay";
    public static final String DECOUPLED_WEIGHT_DECAY = "decoupled_weight_decay";
    private static final String EXP_AVG = "exp_avg";
    private static final String EXP_AVG_SQ = "exp_avg_sq";
    private static final String MU_PRODUCT = "mu_product";

    private static final Map<String, Check> CHECKS = Map.of(
            BETA1, Check.fraction("beta1"),
            BETA2, Check.fraction("beta2"),
            EPS, Check.nonNegative("eps"),
            MOMENTUM_DECAY, Check.nonNegative("momentum_decay"),
            DECOUPLED_WEIGHT_DECAY, Check.flag("decoupled_weight_decay"));

    /** NAdam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay, momentum decay 4e-3. */
    public NAdam(List<Tensor> params, double lr) {
        this(List.of(ParamGroup.of(params)), builder().lr(lr).defaults);
    }

    private NAdam(List<ParamGroup> groups, Map<String, Double> defaults) {
        super("NAdam", groups, defaults, CHECKS);
    }

    /** A builder with PyTorch's defaults: lr 2e-3, betas (0.9, 0.999), eps 1e-8, no weight decay, momentum decay 4e-3. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long paramStep, ParamGroup group) {
        double lr = group.lr();
        double beta1 = group.get(BETA1);
        double beta2 = group.get(BETA2);
        double weightDecay = group.get(WEIGHT_DECAY);
        double momentumDecay = group.get(MOMENTUM_DECAY);
        Tensor g = applyWeightDecay(param, grad, lr, weightDecay, group.flag(DECOUPLED_WEIGHT_DECAY));
        double mu = beta1 * (1 - 0.5 * Math.pow(0.96, paramStep * momentumDecay));
        double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (paramStep + 1) * momentumDecay));
        double muProduct = scalarState(index, MU_PRODUCT, 1.0) * mu;
        setScalarState(index, MU_PRODUCT, muProduct);
        Tensor m = buffer(index, EXP_AVG);
        Tensor v = buffer(index, EXP_AVG_SQ);
        m.mulInPlace(beta1).addInPlace(g, 1 - beta1);
        v.mulInPlace(beta2).addInPlace(g.square(), 1 - beta2);
        Tensor denominator = v.div(1 - Math.pow(beta2, paramStep)).sqrt().add(group.get(EPS));
        param.addInPlace(g.div(denominator), -lr * (1 - mu) / (1 - muProduct));
        param.addInPlace(m.div(denominator), -lr * muNext / (1 - muProduct * muNext));
    }

    @Override
    protected List<String> bufferNames(ParamGroup group) {
        return List.of(EXP_AVG, EXP_AVG_SQ);
    }

    @Override
    protected List<String> scalarStateNames() {
        return List.of(MU_PRODUCT);
    }

    @Override
    protected boolean countsParamSteps() {
        return true;
    }

    /** Builds an {@link NAdam}. */
    public static final class Builder extends Optimizer.Builder<Builder, NAdam> {
        Builder() {
            super(2e-3);
            LinkedHashMap<String, Double> o = new LinkedHashMap<>();
            o.put(BETA1, 0.9);
            o.put(BETA2, 0.999);
            o.put(EPS, 1e-8);
            o.put(WEIGHT_DECAY, 0.0);
            o.put(MOMENTUM_DECAY, 4e-3);
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

        /** How fast the momentum coefficient mu_t approaches beta1, >= 0. */
        public Builder momentumDecay(double momentumDecay) {
            return option(MOMENTUM_DECAY, momentumDecay);
        }

        /** AdamW's weight decay ({@code p *= 1 - lr*weightDecay}) instead of L2 added to the gradient. */
        public Builder decoupledWeightDecay(boolean decoupled) {
            return option(DECOUPLED_WEIGHT_DECAY, decoupled ? 1 : 0);
        }

        @Override
        public NAdam build() {
            return new NAdam(groups, defaults);
        }
    }
}
