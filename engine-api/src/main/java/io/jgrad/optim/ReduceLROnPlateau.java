package io.jgrad.optim;

import io.jgrad.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's ReduceLROnPlateau: multiplies every group's learning rate by {@code factor} when a metric (a validation
 * loss, say) has not improved for more than {@code patience} calls to {@link #step(double)}. A value improves on the
 * best so far when it is lower (mode MIN) or higher (MAX) by more than {@code threshold}, relative to the best
 * (REL: {@code best * (1 -+ threshold)}) or absolute (ABS: {@code best -+ threshold}). After a reduction,
 * {@code cooldown} calls pass before bad values count again. A rate never goes below its group's {@code minLr},
 * and a reduction smaller than {@code eps} is skipped.
 * <pre>{@code
 * var plateau = ReduceLROnPlateau.builder(optimizer).factor(0.5).patience(2).build();
 * for (epoch ...) { train(); plateau.step(validationLoss); }
 * }</pre>
 */
public final class ReduceLROnPlateau {
    /** Whether lower (MIN) or higher (MAX) values of the metric are better. */
    public enum Mode { MIN, MAX }

    /** Whether the threshold is relative to the best value (REL) or absolute (ABS). */
    public enum ThresholdMode { REL, ABS }

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final long patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final long cooldown;
    private final double[] minLrs;
    private final double eps;
    private double best;
    private long numBadEpochs;
    private long cooldownCounter;
    private long lastEpoch;

    private ReduceLROnPlateau(Builder b) {
        this.optimizer = b.optimizer;
        this.mode = b.mode;
        this.factor = b.factor;
        this.patience = b.patience;
        this.threshold = b.threshold;
        this.thresholdMode = b.thresholdMode;
        this.cooldown = b.cooldown;
        int groups = optimizer.paramGroups().size();
        if (b.minLr.length != 1 && b.minLr.length != groups) {
            throw new IllegalArgumentException("ReduceLROnPlateau: expected one minLr or " + groups + " (one per group), got "
                    + b.minLr.length + " " + Arrays.toString(b.minLr));
        }
        this.minLrs = new double[groups];
        for (int g = 0; g < groups; g++) minLrs[g] = b.minLr.length == 1 ? b.minLr[0] : b.minLr[g];
        this.eps = b.eps;
        this.best = worst();
    }

    /**
     * A builder with PyTorch's defaults: mode MIN, factor 0.1, patience 10, threshold 1e-4 relative, no cooldown,
     * minLr 0, eps 1e-8.
     */
    public static Builder builder(Optimizer optimizer) {
        return new Builder(optimizer);
    }

    /** Records one value of the metric (once per epoch, typically) and reduces the rates if it has plateaued. */
    public void step(double metric) {
        if (Double.isNaN(metric)) throw new IllegalArgumentException("ReduceLROnPlateau.step: the metric is NaN");
        lastEpoch++;
        if (isBetter(metric)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0; // bad epochs in the cooldown do not count
        }
        if (numBadEpochs > patience) {
            for (ParamGroup g : optimizer.paramGroups()) {
                double old = g.lr();
                double reduced = Math.max(old * factor, minLrs[g.index()]);
                if (old - reduced > eps) g.lr(reduced);
            }
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
    }

    private boolean isBetter(double value) {
        return switch (mode) {
            case MIN -> thresholdMode == ThresholdMode.REL ? value < best * (1 - threshold) : value < best - threshold;
            case MAX -> thresholdMode == ThresholdMode.REL ? value > best * (threshold + 1) : value > best + threshold;
        };
    }

    private double worst() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** The best metric so far. */
    public double best() {
        return best;
    }

    /** How many calls in a row have not improved on the best (reset by a reduction and in cooldowns). */
    public long numBadEpochs() {
        return numBadEpochs;
    }

    /** Each group's learning rate, now. */
    public List<Double> lastLrs() {
        return optimizer.paramGroups().stream().map(ParamGroup::lr).toList();
    }

    /** The counters, as 0-d float64 tensors: best, num_bad_epochs, cooldown_counter, last_epoch. */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        out.put("best", Tensor.scalar(best));
        out.put("num_bad_epochs", Tensor.scalar((double) numBadEpochs));
        out.put("cooldown_counter", Tensor.scalar((double) cooldownCounter));
        out.put("last_epoch", Tensor.scalar((double) lastEpoch));
        return out;
    }

    /** Restores the counters from {@link #stateDict()}; checks everything before changing anything. */
    public void loadStateDict(Map<String, Tensor> state) {
        double[] v = new double[4];
        String[] keys = {"best", "num_bad_epochs", "cooldown_counter", "last_epoch"};
        for (int i = 0; i < keys.length; i++) {
            Tensor t = state.get(keys[i]);
            if (t == null || t.numel() != 1 || !t.dtype().isFloating()) {
                throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: '" + keys[i] + "' must be a one-element floating tensor, got "
                        + (t == null ? "nothing" : t.dtype() + "" + t.shape()));
            }
            v[i] = t.item();
            if (i > 0 && !(v[i] >= 0 && v[i] == Math.rint(v[i]))) {
                throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: '" + keys[i] + "' must be a whole number >= 0, got " + v[i]);
            }
        }
        if (state.size() != keys.length) {
            throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: expected the keys " + Arrays.toString(keys) + ", got " + state.keySet());
        }
        best = v[0];
        numBadEpochs = (long) v[1];
        cooldownCounter = (long) v[2];
        lastEpoch = (long) v[3];
    }

    @Override
    public String toString() {
        return "ReduceLROnPlateau(mode=" + mode + ", factor=" + factor + ", patience=" + patience + ", threshold=" + threshold
                + " " + thresholdMode + ", cooldown=" + cooldown + ", minLr=" + Arrays.toString(minLrs) + ", best=" + best + ")";
    }

    /** Builds a {@link ReduceLROnPlateau}. */
    public static final class Builder {
        private final Optimizer optimizer;
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private long patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.REL;
        private long cooldown;
        private double[] minLr = {0};
        private double eps = 1e-8;

        private Builder(Optimizer optimizer) {
            if (optimizer == null) throw new IllegalArgumentException("ReduceLROnPlateau: the optimizer is null");
            this.optimizer = optimizer;
        }

        /** MIN (the default) when lower values are better, such as a loss; MAX for an accuracy. */
        public Builder mode(Mode mode) {
            if (mode == null) throw new IllegalArgumentException("ReduceLROnPlateau: mode is null");
            this.mode = mode;
            return this;
        }

        /** The rates are multiplied by this on a plateau; in [0, 1). */
        public Builder factor(double factor) {
            if (!(factor >= 0 && factor < 1)) throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in [0, 1), got " + factor);
            this.factor = factor;
            return this;
        }

        /** How many calls without improvement are tolerated; >= 0. */
        public Builder patience(long patience) {
            if (patience < 0) throw new IllegalArgumentException("ReduceLROnPlateau: patience must be >= 0, got " + patience);
            this.patience = patience;
            return this;
        }

        /** The least change that counts as an improvement, and whether it is relative (REL) or absolute (ABS). */
        public Builder threshold(double threshold, ThresholdMode thresholdMode) {
            if (!(threshold >= 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("ReduceLROnPlateau: threshold must be finite and >= 0, got " + threshold);
            }
            if (thresholdMode == null) throw new IllegalArgumentException("ReduceLROnPlateau: thresholdMode is null");
            this.threshold = threshold;
            this.thresholdMode = thresholdMode;
            return this;
        }

        /** How many calls after a reduction pass before bad values count again; >= 0. */
        public Builder cooldown(long cooldown) {
            if (cooldown < 0) throw new IllegalArgumentException("ReduceLROnPlateau: cooldown must be >= 0, got " + cooldown);
            this.cooldown = cooldown;
            return this;
        }

        /** The lowest rate: one for every group, or one per group; each finite and >= 0. */
        public Builder minLr(double... minLr) {
            if (minLr == null || minLr.length == 0) throw new IllegalArgumentException("ReduceLROnPlateau: minLr needs a value");
            for (double m : minLr) {
                if (!(m >= 0) || Double.isInfinite(m)) {
                    throw new IllegalArgumentException("ReduceLROnPlateau: minLr must be finite and >= 0, got " + Arrays.toString(minLr));
                }
            }
            this.minLr = minLr.clone();
            return this;
        }

        /** A reduction smaller than this is skipped; >= 0. */
        public Builder eps(double eps) {
            if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("ReduceLROnPlateau: eps must be finite and >= 0, got " + eps);
            this.eps = eps;
            return this;
        }

        public ReduceLROnPlateau build() {
            return new ReduceLROnPlateau(this);
        }
    }
}
