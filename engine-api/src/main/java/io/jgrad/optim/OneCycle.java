package io.jgrad.optim;

import java.util.Arrays;

/**
 * PyTorch's OneCycleLR (Smith and Topin's 1cycle policy): the rate rises from {@code maxLr / divFactor} to
 * {@code maxLr} over the first {@code pctStart} of {@code totalSteps}, then anneals to
 * {@code maxLr / divFactor / finalDivFactor} by the last step; with {@code threePhase} it first comes back down to
 * {@code maxLr / divFactor}, symmetrically, and anneals to the minimum in a third phase. Annealing follows half a
 * cosine or a line. Momentum moves the opposite way between {@code maxMomentum} and {@code baseMomentum}
 * ({@code cycleMomentum}, on by default): the {@link Scheduler} sets each group's {@code beta1} if the optimizer has
 * betas, else its {@code momentum}. The optimizer's own rates are ignored, as in PyTorch: the schedule sets each
 * group's initial rate to {@code maxLr / divFactor}.
 * <pre>{@code
 * var scheduler = new Scheduler(sgd, OneCycle.builder(0.1, epochs * batches).threePhase(true).build());
 * }</pre>
 * Stepping past {@code totalSteps} is an error, as in PyTorch. At step {@code totalSteps} itself (the rate of a step
 * after the cycle) PyTorch extrapolates the last phase, which with linear annealing can give a negative rate and a
 * momentum past its maximum; there this schedule gives 0 and the maximum momentum.
 */
public final class OneCycle implements Schedule {
    /** How a phase moves between its two ends. */
    public enum Anneal { COS, LINEAR }

    private final double[] maxLr;
    private final long totalSteps;
    private final double pctStart;
    private final Anneal anneal;
    private final boolean cycleMomentum;
    private final double baseMomentum;
    private final double maxMomentum;
    private final double divFactor;
    private final double finalDivFactor;
    private final boolean threePhase;
    private final double[] phaseEnds;

    private OneCycle(Builder b) {
        this.maxLr = b.maxLr;
        this.totalSteps = b.totalSteps;
        this.pctStart = b.pctStart;
        this.anneal = b.anneal;
        this.cycleMomentum = b.cycleMomentum;
        this.baseMomentum = b.baseMomentum;
        this.maxMomentum = b.maxMomentum;
        this.divFactor = b.divFactor;
        this.finalDivFactor = b.finalDivFactor;
        this.threePhase = b.threePhase;
        this.phaseEnds = threePhase
                ? new double[]{pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2, totalSteps - 1}
                : new double[]{pctStart * totalSteps - 1, totalSteps - 1};
    }

    /**
     * A builder with PyTorch's defaults: pctStart 0.3, cosine annealing, momentum cycled between 0.85 and 0.95,
     * divFactor 25, finalDivFactor 1e4, two phases.
     *
     * @param maxLr      the peak rate: one for every group, or one per group
     * @param totalSteps the number of optimizer steps of the cycle, > 0
     */
    public static Builder builder(double[] maxLr, long totalSteps) {
        return new Builder(maxLr, totalSteps);
    }

    /** A builder with one peak rate for every group; see {@link #builder(double[], long)}. */
    public static Builder builder(double maxLr, long totalSteps) {
        return new Builder(new double[]{maxLr}, totalSteps);
    }

    /** A one-cycle schedule with PyTorch's defaults. */
    public static OneCycle of(double maxLr, long totalSteps) {
        return builder(maxLr, totalSteps).build();
    }

    @Override
    public double lr(long step, double initialLr) {
        return lr(step, 0, initialLr);
    }

    @Override
    public double lr(long step, int group, double initialLr) {
        double peak = maxLr(group);
        double initial = peak / divFactor;
        double min = initial / finalDivFactor;
        double[][] lrs = threePhase
                ? new double[][]{{initial, peak}, {peak, initial}, {initial, min}}
                : new double[][]{{initial, peak}, {peak, min}};
        // PyTorch lets the schedule run one step past the cycle (the rate of a step a full cycle does not take), where
        // linear annealing overshoots the minimum and can go below 0; an optimizer refuses a negative rate, so it stops at 0.
        return Math.max(0, interpolate(step, lrs));
    }

    /** The momentum (or beta1) at {@code step}; only meaningful with cycleMomentum. */
    public double momentum(long step) {
        double[][] ms = threePhase
                ? new double[][]{{maxMomentum, baseMomentum}, {baseMomentum, maxMomentum}, {maxMomentum, maxMomentum}}
                : new double[][]{{maxMomentum, baseMomentum}, {baseMomentum, maxMomentum}};
        // within the cycle the momentum stays between its two bounds; only the extrapolated step after it (with linear
        // annealing) could leave them, past maxMomentum and even past 1, which an optimizer refuses
        return Math.max(Math.min(baseMomentum, maxMomentum), Math.min(Math.max(baseMomentum, maxMomentum), interpolate(step, ms)));
    }

    /** Whether the schedule also drives the optimizer's momentum (or beta1). */
    public boolean cyclesMomentum() {
        return cycleMomentum;
    }

    /** The initial rate it gives group {@code group}: {@code maxLr / divFactor}. */
    public double initialLr(int group) {
        return maxLr(group) / divFactor;
    }

    /** Checks that this schedule fits an optimizer with that many groups. */
    void checkGroups(int groups) {
        if (maxLr.length != 1 && maxLr.length != groups) {
            throw new IllegalArgumentException("OneCycle: got " + maxLr.length + " maximum rates " + Arrays.toString(maxLr)
                    + " for an optimizer with " + groups + " parameter groups (give one, or one per group)");
        }
    }

    private double maxLr(int group) {
        return maxLr.length == 1 ? maxLr[0] : maxLr[group];
    }

    private double interpolate(long step, double[][] ends) {
        if (step < 0) throw new IllegalArgumentException("OneCycle: step must be >= 0, got " + step);
        if (step > totalSteps) {
            throw new IllegalStateException("OneCycle: tried to step " + step + " times; the cycle has " + totalSteps + " steps");
        }
        double start = 0;
        for (int i = 0; i < phaseEnds.length; i++) {
            double end = phaseEnds[i];
            if (step <= end || i == phaseEnds.length - 1) {
                double pct = (step - start) / (end - start);
                double from = ends[i][0];
                double to = ends[i][1];
                return switch (anneal) {
                    case COS -> to + (from - to) / 2.0 * (Math.cos(Math.PI * pct) + 1);
                    case LINEAR -> (to - from) * pct + from;
                };
            }
            start = end;
        }
        throw new AssertionError("unreachable");
    }

    @Override
    public String toString() {
        return "OneCycle(maxLr=" + (maxLr.length == 1 ? Double.toString(maxLr[0]) : Arrays.toString(maxLr)) + ", totalSteps="
                + totalSteps + ", pctStart=" + pctStart + ", anneal=" + anneal + ", cycleMomentum=" + cycleMomentum
                + (cycleMomentum ? " (" + baseMomentum + ".." + maxMomentum + ")" : "") + ", divFactor=" + divFactor
                + ", finalDivFactor=" + finalDivFactor + ", threePhase=" + threePhase + ")";
    }

    /** Builds a {@link OneCycle}. */
    public static final class Builder {
        private final double[] maxLr;
        private final long totalSteps;
        private double pctStart = 0.3;
        private Anneal anneal = Anneal.COS;
        private boolean cycleMomentum = true;
        private double baseMomentum = 0.85;
        private double maxMomentum = 0.95;
        private double divFactor = 25;
        private double finalDivFactor = 1e4;
        private boolean threePhase;

        private Builder(double[] maxLr, long totalSteps) {
            if (maxLr == null || maxLr.length == 0) throw new IllegalArgumentException("OneCycle: needs a maximum rate");
            for (double lr : maxLr) {
                if (!(lr >= 0) || Double.isInfinite(lr)) {
                    throw new IllegalArgumentException("OneCycle: maxLr must be finite and >= 0, got " + Arrays.toString(maxLr));
                }
            }
            if (totalSteps <= 0) throw new IllegalArgumentException("OneCycle: totalSteps must be > 0, got " + totalSteps);
            this.maxLr = maxLr.clone();
            this.totalSteps = totalSteps;
        }

        /** The fraction of the steps spent raising the rate, in [0, 1]. */
        public Builder pctStart(double pctStart) {
            if (!(pctStart >= 0 && pctStart <= 1)) throw new IllegalArgumentException("OneCycle: pctStart must be in [0, 1], got " + pctStart);
            this.pctStart = pctStart;
            return this;
        }

        /** Cosine (the default) or linear annealing. */
        public Builder anneal(Anneal anneal) {
            if (anneal == null) throw new IllegalArgumentException("OneCycle: anneal is null");
            this.anneal = anneal;
            return this;
        }

        /** Whether to cycle the optimizer's momentum (or beta1) inversely to the rate; on by default. */
        public Builder cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /** The momentum at the peak rate (default 0.85) and at the ends (default 0.95). */
        public Builder momentum(double baseMomentum, double maxMomentum) {
            if (!(baseMomentum >= 0 && baseMomentum < 1 && maxMomentum >= 0 && maxMomentum < 1)) {
                throw new IllegalArgumentException("OneCycle: momenta must be in [0, 1), got base " + baseMomentum + " and max " + maxMomentum);
            }
            this.baseMomentum = baseMomentum;
            this.maxMomentum = maxMomentum;
            return this;
        }

        /** The initial rate is {@code maxLr / divFactor} (default 25); > 0. */
        public Builder divFactor(double divFactor) {
            if (!(divFactor > 0) || Double.isInfinite(divFactor)) throw new IllegalArgumentException("OneCycle: divFactor must be finite and > 0, got " + divFactor);
            this.divFactor = divFactor;
            return this;
        }

        /** The final rate is {@code initial / finalDivFactor} (default 1e4); > 0. */
        public Builder finalDivFactor(double finalDivFactor) {
            if (!(finalDivFactor > 0) || Double.isInfinite(finalDivFactor)) {
                throw new IllegalArgumentException("OneCycle: finalDivFactor must be finite and > 0, got " + finalDivFactor);
            }
            this.finalDivFactor = finalDivFactor;
            return this;
        }

        /** Three phases (up, back down to the initial rate, then down to the minimum) instead of two. */
        public Builder threePhase(boolean threePhase) {
            this.threePhase = threePhase;
            return this;
        }

        public OneCycle build() {
            return new OneCycle(this);
        }
    }
}
