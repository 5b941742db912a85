package io.jgrad.optim;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * A learning-rate schedule that scales each parameter group from its own initial rate, as PyTorch's
 * {@code torch.optim.lr_scheduler} classes do: {@code lr(k, initialLr)} is the rate of a group whose initial rate
 * ({@link ParamGroup#initialLr()}) is {@code initialLr}, for the optimizer step that follows k earlier steps (k = 0
 * for the first). A {@link Scheduler} applies one to every group of an optimizer:
 * <pre>{@code
 * var adamw = AdamW.builder().lr(1e-3).groups(ParamGroups.decayOnlyWeights(model, 0.1)).build();
 * var scheduler = new Scheduler(adamw, Schedule.linearWarmup(100, 0.01, Schedule.cosineWarmRestarts(1000, 2, 1e-5)));
 * for (...) { adamw.zeroGrad(); loss.backward(); adamw.step(); scheduler.step(); }
 * }</pre>
 * Each factory is the closed form of the PyTorch scheduler it names, and agrees with it step by step. (An
 * {@link LrSchedule} gives absolute rates instead; see {@link Scheduler} for how it treats several groups.)
 * {@link OneCycle} is a schedule too; {@link ReduceLROnPlateau}, driven by a metric rather than the step, is not.
 */
@FunctionalInterface
public interface Schedule {
    /** The rate at step {@code step} (>= 0) of a group whose initial rate is {@code initialLr}. */
    double lr(long step, double initialLr);

    /**
     * The rate of group {@code group}; schedules with per-group settings ({@link OneCycle}'s maximum rates)
     * override this, the others ignore the index.
     */
    default double lr(long step, int group, double initialLr) {
        return lr(step, initialLr);
    }

    /** PyTorch's LambdaLR: {@code initialLr * factor(step)}. */
    static Schedule lambda(LongToDoubleFunction factor) {
        if (factor == null) throw new IllegalArgumentException("Schedule.lambda: the factor is null");
        return new DescribedSchedule("lambda", (step, initial) -> initial * factor.applyAsDouble(step));
    }

    /** The initial rate at every step (PyTorch's ConstantLR with factor 1). */
    static Schedule constant() {
        return new DescribedSchedule("constant", (step, initial) -> initial);
    }

    /**
     * PyTorch's MultiStepLR: the rate is multiplied by {@code gamma} at each milestone, {@code initialLr *
     * gamma^(number of milestones <= step)}; a milestone listed twice counts twice.
     *
     * @param milestones steps >= 1, in any order
     */
    static Schedule multiStep(double gamma, long... milestones) {
        checkFactor("multiStep", "gamma", gamma);
        long[] sorted = milestones.clone();
        Arrays.sort(sorted);
        if (sorted.length > 0 && sorted[0] < 1) {
            throw new IllegalArgumentException("Schedule.multiStep: milestones must be >= 1, got " + Arrays.toString(milestones));
        }
        return new DescribedSchedule("multiStep(gamma=" + gamma + ", milestones=" + Arrays.toString(sorted) + ")", (step, initial) -> {
            int passed = 0;
            while (passed < sorted.length && sorted[passed] <= step) passed++;
            return initial * Math.pow(gamma, passed);
        });
    }

    /** PyTorch's StepLR: {@code initialLr * gamma^floor(step / stepSize)}. */
    static Schedule step(long stepSize, double gamma) {
        checkFactor("step", "gamma", gamma);
        if (stepSize <= 0) throw new IllegalArgumentException("Schedule.step: stepSize must be > 0, got " + stepSize);
        return new DescribedSchedule("step(stepSize=" + stepSize + ", gamma=" + gamma + ")",
                (step, initial) -> initial * Math.pow(gamma, step / stepSize));
    }

    /** PyTorch's ExponentialLR: {@code initialLr * gamma^step}. */
    static Schedule exponential(double gamma) {
        checkFactor("exponential", "gamma", gamma);
        return new DescribedSchedule("exponential(gamma=" + gamma + ")", (step, initial) -> initial * Math.pow(gamma, step));
    }

    /**
     * PyTorch's LinearLR: the factor of the initial rate moves linearly from {@code startFactor} at step 0 to
     * {@code endFactor} at {@code totalSteps}, and stays there.
     *
     * @param startFactor in (0, 1]
     * @param endFactor   in [0, 1]
     */
    static Schedule linear(double startFactor, double endFactor, long totalSteps) {
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("Schedule.linear: startFactor must be in (0, 1], got " + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("Schedule.linear: endFactor must be in [0, 1], got " + endFactor);
        }
        if (totalSteps <= 0) throw new IllegalArgumentException("Schedule.linear: totalSteps must be > 0, got " + totalSteps);
        return new DescribedSchedule("linear(" + startFactor + " -> " + endFactor + " over " + totalSteps + ")",
                (step, initial) -> initial * (startFactor + (endFactor - startFactor) * Math.min(step, totalSteps) / totalSteps));
    }

    /**
     * PyTorch's CosineAnnealingLR (its closed form): from the initial rate at step 0 down to {@code etaMin} at
     * {@code tMax}, along half a cosine; after tMax the cosine continues (rising again), as in PyTorch.
     */
    static Schedule cosine(long tMax, double etaMin) {
        if (tMax <= 0) throw new IllegalArgumentException("Schedule.cosine: tMax must be > 0, got " + tMax);
        checkRate("cosine", "etaMin", etaMin);
        return new DescribedSchedule("cosine(tMax=" + tMax + ", etaMin=" + etaMin + ")",
                (step, initial) -> etaMin + (initial - etaMin) * (1 + Math.cos(Math.PI * step / tMax)) / 2);
    }

    /**
     * PyTorch's CosineAnnealingWarmRestarts (SGDR): cosine annealing from the initial rate to {@code etaMin} over
     * a cycle of {@code t0} steps, then a restart at the initial rate; each cycle is {@code tMult} times longer than
     * the one before.
     *
     * @param t0    the first cycle's length, > 0
     * @param tMult the growth of each next cycle, >= 1
     */
    static Schedule cosineWarmRestarts(long t0, long tMult, double etaMin) {
        if (t0 <= 0) throw new IllegalArgumentException("Schedule.cosineWarmRestarts: t0 must be > 0, got " + t0);
        if (tMult < 1) throw new IllegalArgumentException("Schedule.cosineWarmRestarts: tMult must be >= 1, got " + tMult);
        checkRate("cosineWarmRestarts", "etaMin", etaMin);
        return new DescribedSchedule("cosineWarmRestarts(t0=" + t0 + ", tMult=" + tMult + ", etaMin=" + etaMin + ")", (step, initial) -> {
            long cycle = t0;
            long inCycle = step;
            if (tMult == 1) {
                inCycle = step % t0;
            } else {
                while (inCycle >= cycle) {
                    inCycle -= cycle;
                    cycle *= tMult;
                }
            }
            return etaMin + (initial - etaMin) * (1 + Math.cos(Math.PI * inCycle / cycle)) / 2;
        });
    }

    /**
     * A linear warm-up in front of {@code after}, as PyTorch's {@code SequentialLR([LinearLR(startFactor, 1.0,
     * steps), after], milestones=[steps])}: step {@code k < steps} gets {@code initialLr * (startFactor + (1 -
     * startFactor) * k / steps)}, and step k from there on gets {@code after}'s rate at {@code k - steps}.
     *
     * @param startFactor the fraction of the initial rate at step 0, in (0, 1]
     */
    static Schedule linearWarmup(long steps, double startFactor, Schedule after) {
        if (steps <= 0) throw new IllegalArgumentException("Schedule.linearWarmup: steps must be > 0, got " + steps);
        if (after == null) throw new IllegalArgumentException("Schedule.linearWarmup: the schedule after the warm-up is null");
        if (after instanceof OneCycle) {
            throw new IllegalArgumentException("Schedule.linearWarmup: OneCycle warms up by itself (see its pctStart)");
        }
        return new DescribedSchedule("linearWarmup(" + steps + ", startFactor=" + startFactor + ", " + after + ")",
                sequential(List.of(linear(startFactor, 1.0, steps), after), steps));
    }

    /**
     * A linear warm-up from {@code 1/steps} of the initial rate, in front of {@code after}: {@code linearWarmup(steps,
     * 1.0 / steps, after)}.
     */
    static Schedule linearWarmup(long steps, Schedule after) {
        if (steps <= 0) throw new IllegalArgumentException("Schedule.linearWarmup: steps must be > 0, got " + steps);
        return linearWarmup(steps, 1.0 / steps, after);
    }

    /**
     * PyTorch's SequentialLR: schedule i runs from milestone i-1 (or 0) to milestone i, seeing its steps counted
     * from 0.
     *
     * @param milestones one fewer than the schedules, strictly increasing, each > 0
     */
    static Schedule sequential(List<Schedule> schedules, long... milestones) {
        if (schedules == null || schedules.isEmpty() || milestones.length != schedules.size() - 1) {
            throw new IllegalArgumentException("Schedule.sequential: expects n schedules and n-1 milestones, got "
                    + (schedules == null ? 0 : schedules.size()) + " schedules and " + milestones.length + " milestones");
        }
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] <= (i == 0 ? 0 : milestones[i - 1])) {
                throw new IllegalArgumentException("Schedule.sequential: milestones must be strictly increasing and > 0, got "
                        + Arrays.toString(milestones));
            }
        }
        for (Schedule s : schedules) {
            if (s == null) throw new IllegalArgumentException("Schedule.sequential: a schedule is null");
        }
        List<Schedule> parts = List.copyOf(schedules);
        long[] bounds = milestones.clone();
        return new DescribedSchedule("sequential(" + parts + ", milestones=" + Arrays.toString(bounds) + ")", new Schedule() {
            @Override
            public double lr(long step, double initialLr) {
                return lr(step, 0, initialLr);
            }

            @Override
            public double lr(long step, int group, double initialLr) {
                int i = 0;
                while (i < bounds.length && step >= bounds[i]) i++;
                return parts.get(i).lr(step - (i == 0 ? 0 : bounds[i - 1]), group, initialLr);
            }
        });
    }

    private static void checkFactor(String schedule, String what, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("Schedule." + schedule + ": " + what + " must be finite and > 0, got " + value);
        }
    }

    private static void checkRate(String schedule, String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("Schedule." + schedule + ": " + what + " must be finite and >= 0, got " + value);
        }
    }
}
