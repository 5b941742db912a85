package io.jgrad.amp;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Functional;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.optim.Optimizer;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dynamic loss scaling for float16 training, as {@code torch.amp.GradScaler}: small gradients that would flush to
 * zero in float16 survive when the loss is multiplied by a large factor before backward; the gradients are divided
 * by it again before the optimizer step. When a step overflows (an infinite or NaN gradient), the step is skipped
 * and the scale halved; after {@code growthInterval} clean steps in a row it doubles.
 * <pre>{@code
 * GradScaler scaler = new GradScaler();
 * for (...) {
 *     optimizer.zeroGrad();
 *     Tensor loss;
 *     try (var ac = Autocast.enable(DType.FLOAT16)) {
 *         loss = Losses.crossEntropy(model.forward(x), y);
 *     }
 *     scaler.scale(loss).backward();
 *     scaler.step(optimizer);   // unscales, then steps unless a gradient is inf/NaN
 *     scaler.update();
 * }
 * }</pre>
 * {@link #unscale} may be called first (once per step) to clip or inspect the true gradients. The inf/NaN check is
 * fused into the unscale ({@link Functional#unscaleAndCheck}): one pass per gradient, and one read of a flag per
 * device and step. bfloat16 has float32's range and needs no scaler. A disabled scaler passes everything through,
 * so one training loop serves both precisions.
 */
public final class GradScaler {
    /** Where an optimizer is in the current iteration. */
    private enum Stage { READY, UNSCALED, STEPPED }

    /** An optimizer's stage and the inf/NaN flag of each device its gradients live on. */
    private static final class PerOptimizer {
        Stage stage = Stage.READY;
        final Map<Device, Tensor> foundInf = new LinkedHashMap<>();

        boolean anyFound() {
            double sum = 0;
            for (Tensor f : foundInf.values()) sum += f.item();
            return sum != 0;
        }
    }

    private final boolean enabled;
    private float scale;
    private double growthFactor;
    private double backoffFactor;
    private int growthInterval;
    private int growthTracker;
    private final IdentityHashMap<Optimizer, PerOptimizer> perOptimizer = new IdentityHashMap<>();

    /** PyTorch's defaults: scale 2^16, growth factor 2, backoff 0.5, growth interval 2000, enabled. */
    public GradScaler() {
        this(65536.0, 2.0, 0.5, 2000, true);
    }

    /** A scaler that is on or off (off: scale returns the loss, step just steps), with PyTorch's defaults. */
    public GradScaler(boolean enabled) {
        this(65536.0, 2.0, 0.5, 2000, enabled);
    }

    public GradScaler(double initScale, double growthFactor, double backoffFactor, int growthInterval, boolean enabled) {
        if (!(growthFactor > 1.0)) throw new IllegalArgumentException("GradScaler: growth factor must be > 1, got " + growthFactor);
        if (!(backoffFactor < 1.0 && backoffFactor > 0)) {
            throw new IllegalArgumentException("GradScaler: backoff factor must be in (0, 1), got " + backoffFactor);
        }
        if (growthInterval <= 0) throw new IllegalArgumentException("GradScaler: growth interval must be positive, got " + growthInterval);
        if (!(initScale > 0) || Float.isInfinite((float) initScale)) {
            throw new IllegalArgumentException("GradScaler: the initial scale must be a positive finite float32, got " + initScale);
        }
        this.enabled = enabled;
        this.scale = (float) initScale;
        this.growthFactor = growthFactor;
        this.backoffFactor = backoffFactor;
        this.growthInterval = growthInterval;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /**
     * The loss times the scale (the loss itself when disabled). A loss below float32 (a float16 or bfloat16 scalar)
     * is scaled in float32, so that 2^16 times it cannot overflow float16.
     */
    public Tensor scale(Tensor loss) {
        if (!enabled) return loss;
        if (!loss.dtype().isFloating()) {
            throw new IllegalArgumentException("GradScaler.scale: expects a floating loss, got " + loss.dtype() + loss.shape());
        }
        Tensor wide = loss.dtype() == DType.FLOAT64 ? loss : loss.to(DType.FLOAT32);
        return wide.mul((double) scale);
    }

    /**
     * Divides the optimizer's gradients by the scale, in place, and notes whether any is infinite or NaN; at most
     * once per optimizer between {@link #update()} calls, and before {@link #step}. float16 gradients are refused
     * (keep float32 master parameters; PyTorch refuses them too).
     */
    public void unscale(Optimizer optimizer) {
        if (!enabled) return;
        PerOptimizer state = perOptimizer.computeIfAbsent(optimizer, o -> new PerOptimizer());
        if (state.stage == Stage.UNSCALED) {
            throw new IllegalStateException("GradScaler.unscale: already called on this optimizer since the last update()");
        }
        if (state.stage == Stage.STEPPED) throw new IllegalStateException("GradScaler.unscale: called after step()");
        float invScale = (float) (1.0 / scale); // as PyTorch: the reciprocal in float64, rounded to float32
        try (Grad.Mode noGrad = Grad.disabled()) {
            for (Tensor p : optimizer.params()) {
                Tensor g = p.grad();
                if (g == null) continue;
                if (g.dtype() == DType.FLOAT16) {
                    throw new IllegalArgumentException("GradScaler.unscale: attempting to unscale float16 gradients (parameter "
                            + p.shape() + "); keep the parameters in float32 and let autocast cast them");
                }
                Tensor flag = state.foundInf.computeIfAbsent(g.device(),
                        d -> Scope.persist(Tensor.zeros(DType.FLOAT32, d, 1)));
                Functional.unscaleAndCheck(g, flag, invScale);
            }
        }
        state.stage = Stage.UNSCALED;
    }

    /**
     * Unscales the gradients unless {@link #unscale} already did, then runs {@code optimizer.step()} unless a
     * gradient was infinite or NaN. Returns whether the optimizer stepped. Disabled: steps.
     */
    public boolean step(Optimizer optimizer) {
        if (!enabled) {
            optimizer.step();
            return true;
        }
        PerOptimizer state = perOptimizer.computeIfAbsent(optimizer, o -> new PerOptimizer());
        if (state.stage == Stage.STEPPED) {
            throw new IllegalStateException("GradScaler.step: already called on this optimizer since the last update()");
        }
        if (state.stage == Stage.READY) unscale(optimizer);
        if (state.foundInf.isEmpty()) {
            throw new IllegalStateException("GradScaler.step: no gradients to check; did backward run on a scaled loss?");
        }
        boolean skip = state.anyFound();
        if (!skip) optimizer.step();
        state.stage = Stage.STEPPED;
        return !skip;
    }

    /**
     * Adjusts the scale after the step(s) of this iteration: times the backoff factor if any optimizer met an
     * inf/NaN gradient, else times the growth factor once {@code growthInterval} clean iterations have passed (unless
     * that would overflow float32). Then a new iteration starts.
     */
    public void update() {
        if (!enabled) return;
        if (perOptimizer.isEmpty()) {
            throw new IllegalStateException("GradScaler.update: no inf checks were recorded since the last update();"
                    + " call step() (or unscale()) first");
        }
        boolean found = false;
        for (PerOptimizer s : perOptimizer.values()) found |= s.anyFound();
        perOptimizer.clear();
        if (found) {
            scale = (float) (scale * backoffFactor);
            growthTracker = 0;
        } else if (growthTracker + 1 == growthInterval) {
            float grown = (float) (scale * growthFactor);
            if (Float.isFinite(grown)) scale = grown;
            growthTracker = 0;
        } else {
            growthTracker++;
        }
    }

    /** Sets the scale to {@code newScale} (float32) for the next iteration, as update(new_scale). */
    public void update(double newScale) {
        if (!enabled) return;
        if (!(newScale > 0) || Float.isInfinite((float) newScale)) {
            throw new IllegalArgumentException("GradScaler.update: the new scale must be a positive finite float32, got " + newScale);
        }
        scale = (float) newScale;
        perOptimizer.clear();
    }

    /** The current scale (a float32 value), or 1 when disabled. */
    public double getScale() {
        return enabled ? scale : 1.0;
    }

    public double getGrowthFactor() {
        return growthFactor;
    }

    public double getBackoffFactor() {
        return backoffFactor;
    }

    public int getGrowthInterval() {
        return growthInterval;
    }

    /** Clean iterations in a row since the scale last changed. */
    public int growthTracker() {
        return growthTracker;
    }

    /**
     * The scaler's state under PyTorch's keys: scale, growth_factor, backoff_factor, growth_interval and
     * _growth_tracker; empty when disabled.
     */
    public LinkedHashMap<String, Double> stateDict() {
        LinkedHashMap<String, Double> out = new LinkedHashMap<>();
        if (!enabled) return out;
        out.put("scale", (double) scale);
        out.put("growth_factor", growthFactor);
        out.put("backoff_factor", backoffFactor);
        out.put("growth_interval", (double) growthInterval);
        out.put("_growth_tracker", (double) growthTracker);
        return out;
    }

    /** Restores {@link #stateDict()}'s values; all five keys are required. Does nothing when disabled. */
    public void loadStateDict(Map<String, Double> state) {
        if (!enabled) return;
        if (state == null || state.isEmpty()) {
            throw new IllegalArgumentException("GradScaler.loadStateDict: the state is empty, possibly because it was saved from a"
                    + " disabled GradScaler");
        }
        for (String key : new String[]{"scale", "growth_factor", "backoff_factor", "growth_interval", "_growth_tracker"}) {
            if (state.get(key) == null) throw new IllegalArgumentException("GradScaler.loadStateDict: missing \"" + key + "\" in " + state);
        }
        GradScaler check = new GradScaler(state.get("scale"), state.get("growth_factor"), state.get("backoff_factor"),
                (int) (double) state.get("growth_interval"), true); // validates before anything changes
        double tracker = state.get("_growth_tracker");
        if (tracker < 0 || tracker != Math.rint(tracker)) {
            throw new IllegalArgumentException("GradScaler.loadStateDict: _growth_tracker must be a count, got " + tracker);
        }
        scale = check.scale;
        growthFactor = check.growthFactor;
        backoffFactor = check.backoffFactor;
        growthInterval = check.growthInterval;
        growthTracker = (int) tracker;
        perOptimizer.clear();
    }

    @Override
    public String toString() {
        return enabled ? "GradScaler(scale=" + scale + ", growth_factor=" + growthFactor + ", backoff_factor=" + backoffFactor
                + ", growth_interval=" + growthInterval + ")" : "GradScaler(enabled=false)";
    }
}
