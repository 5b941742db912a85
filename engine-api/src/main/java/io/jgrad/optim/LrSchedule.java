package io.jgrad.optim;

import java.util.Arrays;
import java.util.List;

/**
 * A learning rate as a function of the step: {@code lr(k)} is the rate for the optimizer step that follows k
 * earlier steps (k = 0 for the first). A {@link Scheduler} applies one to an optimizer. Schedules compose: a warmup
 * wraps another ({@link #linearWarmup}), and {@link #then} or {@link #sequential} run schedules one after another,
 * each seeing its own steps counted from 0.
 * <pre>{@code
 * LrSchedule schedule = LrSchedule.linearWarmup(100, LrSchedule.cosine(3e-4, 900, 1e-5));
 * }</pre>
 * These rates are absolute. {@link Schedule} holds PyTorch's schedulers, which scale each parameter group from its
 * own initial rate (and whose linear warm-up is PyTorch's LinearLR, unlike {@link #linearWarmup} here).
 */
@FunctionalInterface
public interface LrSchedule {
    /** The learning rate for step {@code step} (>= 0). */
    double lr(long step);

    /** The same rate at every step. */
    static LrSchedule constant(double lr) {
        checkRate("constant", "lr", lr);
        return new NamedSchedule("constant(" + lr + ")", step -> lr);
    }

    /** PyTorch's StepLR: {@code base * gamma^floor(step / stepSize)}, e.g. gamma 0.1 every 30 epochs. */
    static LrSchedule step(double base, long stepSize, double gamma) {
        checkRate("step", "base", base);
        checkRate("step", "gamma", gamma);
        if (stepSize <= 0) throw new IllegalArgumentException("LrSchedule.step: stepSize must be > 0, got " + stepSize);
        return new NamedSchedule("step(base=" + base + ", stepSize=" + stepSize + ", gamma=" + gamma + ")",
                step -> base * Math.pow(gamma, step / stepSize));
    }

    /**
     * Cosine annealing from {@code base} at step 0 to {@code minLr} at {@code totalSteps}, and {@code minLr}
     * after: {@code minLr + (base - minLr) * (1 + cos(pi * step / totalSteps)) / 2}.
     */
    static LrSchedule cosine(double base, long totalSteps, double minLr) {
        checkRate("cosine", "base", base);
        checkRate("cosine", "minLr", minLr);
        if (totalSteps <= 0) throw new IllegalArgumentException("LrSchedule.cosine: totalSteps must be > 0, got " + totalSteps);
        return new NamedSchedule("cosine(base=" + base + ", totalSteps=" + totalSteps + ", minLr=" + minLr + ")", step -> {
            double progress = Math.min(step, totalSteps) / (double) totalSteps;
            return minLr + (base - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
        });
    }

    /**
     * Linear interpolation from {@code start} at step 0 to {@code end} at {@code totalSteps}, and {@code end}
     * after. micrograd's demo uses {@code linearDecay(1.0, 0.1, 100)}: lr = 1.0 - 0.9*k/100.
     */
    static LrSchedule linearDecay(double start, double end, long totalSteps) {
        checkRate("linearDecay", "start", start);
        checkRate("linearDecay", "end", end);
        if (totalSteps <= 0) throw new IllegalArgumentException("LrSchedule.linearDecay: totalSteps must be > 0, got " + totalSteps);
        return new NamedSchedule("linearDecay(start=" + start + ", end=" + end + ", totalSteps=" + totalSteps + ")",
                step -> start + (end - start) * (Math.min(step, totalSteps) / (double) totalSteps));
    }

    /**
     * A linear warmup in front of {@code after}: step {@code k < warmupSteps} gets {@code after.lr(0) * (k+1) / warmupSteps}
     * (so no step is wasted at rate 0, and the last warmup step reaches the full rate), then step k gets
     * {@code after.lr(k - warmupSteps)}. Warming up keeps early, badly-scaled updates (Adam's first steps, large
     * batches) from throwing the parameters far off.
     */
    static LrSchedule linearWarmup(long warmupSteps, LrSchedule after) {
        if (warmupSteps <= 0) throw new IllegalArgumentException("LrSchedule.linearWarmup: warmupSteps must be > 0, got " + warmupSteps);
        if (after == null) throw new IllegalArgumentException("LrSchedule.linearWarmup: the schedule after the warmup is null");
        LrSchedule ramp = step -> after.lr(0) * (step + 1) / warmupSteps;
        return new NamedSchedule("linearWarmup(" + warmupSteps + ", " + after + ")", ramp.then(warmupSteps, after));
    }

    /**
     * This schedule for the first {@code steps} steps, then {@code next}, which sees its steps counted from 0.
     */
    default LrSchedule then(long steps, LrSchedule next) {
        if (steps < 0) throw new IllegalArgumentException("LrSchedule.then: steps must be >= 0, got " + steps);
        if (next == null) throw new IllegalArgumentException("LrSchedule.then: the next schedule is null");
        LrSchedule first = this;
        return new NamedSchedule(first + " for " + steps + " steps, then " + next,
                step -> step < steps ? first.lr(step) : next.lr(step - steps));
    }

    /**
     * Runs {@code schedules} one after another, switching at the given milestones (like PyTorch's SequentialLR):
     * schedule i runs from milestone i-1 (or 0) to milestone i, seeing its steps counted from 0.
     *
     * @param milestones one fewer than the schedules, strictly increasing, each > 0
     */
    static LrSchedule sequential(List<LrSchedule> schedules, long... milestones) {
        if (schedules == null || schedules.isEmpty() || milestones.length != schedules.size() - 1) {
            throw new IllegalArgumentException("LrSchedule.sequential: expects n schedules and n-1 milestones, got "
                    + (schedules == null ? 0 : schedules.size()) + " schedules and " + milestones.length + " milestones");
        }
        LrSchedule result = schedules.get(schedules.size() - 1);
        // Built from the back, so each then() covers the length of one segment.
        for (int i = schedules.size() - 2; i >= 0; i--) {
            long start = i == 0 ? 0 : milestones[i - 1];
            if (milestones[i] <= start) {
                throw new IllegalArgumentException("LrSchedule.sequential: milestones must be strictly increasing and > 0, got "
                        + Arrays.toString(milestones));
            }
            result = schedules.get(i).then(milestones[i] - start, result);
        }
        return result;
    }

    private static void checkRate(String schedule, String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("LrSchedule." + schedule + ": " + what + " must be finite and >= 0, got " + value);
        }
    }
}
