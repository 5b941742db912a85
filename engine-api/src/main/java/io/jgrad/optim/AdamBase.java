package io.jgrad.optim;

import io.jgrad.Functional;
import io.jgrad.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@link Adam} and {@link AdamW} share: their options, state and update. */
public abstract sealed class AdamBase extends Optimizer permits Adam, AdamW {
    public static final String AMSGRAD = "amsgrad";
    private static final String EXP_AVG = "exp_avg";
    private static final String EXP_AVG_SQ = "exp_avg_sq";
    private static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";

    private final boolean decoupled;

    AdamBase(String name, List<ParamGroup> groups, Map<String, Double> defaults, boolean decoupled) {
        super(name, groups, defaults, CHECKS);
        this.decoupled = decoupled;
    }

    static final Map<String, Check> CHECKS = Map.of(
            BETA1, Check.fraction("beta1"),
            BETA2, Check.fraction("beta2"),
            EPS, Check.nonNegative("eps"),
            AMSGRAD, Check.flag("amsgrad"));

    static Map<String, Double> options(double lr, double beta1, double beta2, double eps, double weightDecay) {
        LinkedHashMap<String, Double> o = new LinkedHashMap<>();
        o.put(LR, lr);
        o.put(BETA1, beta1);
        o.put(BETA2, beta2);
        o.put(EPS, eps);
        o.put(WEIGHT_DECAY, weightDecay);
        o.put(AMSGRAD, 0.0);
        return o;
    }

    @Override
    protected final void update(int index, Tensor param, Tensor grad, long paramStep, ParamGroup group) {
        double lr = group.lr();
        double beta1 = group.get(BETA1);
        double beta2 = group.get(BETA2);
        double eps = group.get(EPS);
        double weightDecay = group.get(WEIGHT_DECAY);
        Tensor m = buffer(index, EXP_AVG);
        Tensor v = buffer(index, EXP_AVG_SQ);
        if (!group.flag(AMSGRAD)) {
            Functional.adamUpdate(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, paramStep);
            return;
        }
        Tensor g = applyWeightDecay(param, grad, lr, weightDecay, decoupled);
        m.mulInPlace(beta1).addInPlace(g, 1 - beta1);
        v.mulInPlace(beta2).addInPlace(g.square(), 1 - beta2);
        Tensor vMax = buffer(index, MAX_EXP_AVG_SQ);
        vMax.copyFrom(vMax.maximum(v));
        double bc1 = 1 - Math.pow(beta1, paramStep);
        double bc2 = 1 - Math.pow(beta2, paramStep);
        Tensor denominator = vMax.sqrt().div(Math.sqrt(bc2)).add(eps);
        param.addInPlace(m.div(denominator), -lr / bc1);
    }

    @Override
    protected final List<String> bufferNames(ParamGroup group) {
        return group.flag(AMSGRAD) ? List.of(EXP_AVG, EXP_AVG_SQ, MAX_EXP_AVG_SQ) : List.of(EXP_AVG, EXP_AVG_SQ);
    }

    /** Bias correction needs each parameter's own update count (a parameter may first get a gradient late). */
    @Override
    protected final boolean countsParamSteps() {
        return true;
    }

    /** The options Adam and AdamW share. */
    public abstract static class AdamBuilder<B extends AdamBuilder<B, O>, O extends AdamBase> extends Optimizer.Builder<B, O> {
        AdamBuilder(double weightDecay) {
            super(1e-3);
            defaults.putAll(options(1e-3, 0.9, 0.999, 1e-8, weightDecay));
        }

        /** Decays of the gradient's and the squared gradient's running averages, each in [0, 1). */
        public final B betas(double beta1, double beta2) {
            option(BETA1, beta1);
            return option(BETA2, beta2);
        }

        /** Added to the denominator for stability, >= 0. */
        public final B eps(double eps) {
            return option(EPS, eps);
        }

        /** Divides by the running maximum of the squared-gradient average (AMSGrad). */
        public final B amsgrad(boolean amsgrad) {
            return option(AMSGRAD, amsgrad ? 1 : 0);
        }
    }
}
