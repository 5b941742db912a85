package io.jgrad.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * Drives an optimizer's learning rates from a schedule, PyTorch style: creating the scheduler sets the rates for the
 * next optimizer step, and calling {@link #step()} after each optimizer step advances to the next.
 * <pre>{@code
 * var scheduler = new Scheduler(optimizer, Schedule.cosineWarmRestarts(1000, 2, 0));
 * for (...) { optimizer.zeroGrad(); loss.backward(); optimizer.step(); scheduler.step(); }
 * }</pre>
 * <b>Groups.</b> A {@link Schedule} scales each parameter group from that group's initial rate
 * ({@link ParamGroup#initialLr()}, PyTorch's {@code initial_lr}): the group's rate when the first scheduler was
 * attached, kept in the optimizer's state dict. A {@link OneCycle} sets the initial rates itself, and cycles each
 * group's {@code beta1} (optimizers with betas) or {@code momentum}. An {@link LrSchedule} gives absolute rates: the
 * first group gets them, and every other group keeps the ratio of its initial rate to the first group's (so with
 * equal initial rates every group gets the schedule's rate).
 * <p>
 * The count starts at the optimizer's {@link Optimizer#stepCount()}, so an optimizer restored from a checkpoint
 * resumes its schedule where it stopped.
 */
public final class Scheduler {
    private final Optimizer optimizer;
    private final Schedule schedule;
    private final String momentumOption;
    private long step;

    /** Absolute rates, for the first group; see the class comment for several groups. */
    public Scheduler(Optimizer optimizer, LrSchedule schedule) {
        this(optimizer, schedule == null ? null : absolute(optimizer, schedule), false);
    }

    /** Rates scaled from each group's initial rate. */
    public Scheduler(Optimizer optimizer, Schedule schedule) {
        this(optimizer, schedule, false);
    }

    private Scheduler(Optimizer optimizer, Schedule schedule, boolean unused) {
        if (optimizer == null || schedule == null) {
            throw new IllegalArgumentException("Scheduler: needs an optimizer and a schedule, got " + optimizer + " and " + schedule);
        }
        this.optimizer = optimizer;
        this.schedule = schedule;
        String momentum = null;
        if (schedule instanceof OneCycle oneCycle) {
            oneCycle.checkGroups(optimizer.paramGroups().size());
            if (oneCycle.cyclesMomentum()) {
                if (optimizer.hasOption(Optimizer.BETA1)) momentum = Optimizer.BETA1;
                else if (optimizer.hasOption(Optimizer.MOMENTUM)) momentum = Optimizer.MOMENTUM;
                else throw new IllegalArgumentException("Scheduler: OneCycle cycles the momentum, but " + optimizer.name()
                        + " has neither beta1 nor momentum; build the schedule with cycleMomentum(false)");
            }
            for (ParamGroup g : optimizer.paramGroups()) g.setInitialLr(oneCycle.initialLr(g.index()));
        } else {
            for (ParamGroup g : optimizer.paramGroups()) if (Double.isNaN(g.initialLr())) g.setInitialLr(g.lr());
        }
        this.momentumOption = momentum;
        this.step = optimizer.stepCount();
        apply(step);
    }

    /** An absolute schedule as one that keeps each group's ratio to the first group. */
    private static Schedule absolute(Optimizer optimizer, LrSchedule schedule) {
        if (optimizer == null) return null;
        return new Schedule() {
            @Override
            public double lr(long step, double initialLr) {
                double first = optimizer.paramGroups().get(0).initialLr();
                double rate = schedule.lr(step);
                return first == 0 || first == initialLr ? rate : rate * (initialLr / first);
            }

            @Override
            public String toString() {
                return schedule.toString();
            }
        };
    }

    /** Advances one step and sets each group's learning rate to the schedule's value there. */
    public void step() {
        apply(step + 1);
        step++;
    }

    /** The step whose rate the optimizer now holds. */
    public long stepCount() {
        return step;
    }

    /** The first group's learning rate, now. */
    public double lr() {
        return optimizer.lr();
    }

    /** Each group's learning rate, now (PyTorch's {@code get_last_lr()}). */
    public List<Double> lastLrs() {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) out.add(g.lr());
        return out;
    }

    /** The schedule it applies. */
    public Schedule schedule() {
        return schedule;
    }

    private void apply(long at) {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] rates = new double[groups.size()];
        // compute every rate first, so a schedule that fails (OneCycle past its end) changes nothing
        for (ParamGroup g : groups) rates[g.index()] = schedule.lr(at, g.index(), g.initialLr());
        double momentum = momentumOption != null ? ((OneCycle) schedule).momentum(at) : Double.NaN;
        for (ParamGroup g : groups) {
            g.lr(rates[g.index()]);
            if (momentumOption != null) g.set(momentumOption, momentum);
        }
    }

    @Override
    public String toString() {
        return "Scheduler(" + schedule + ", step " + step + ", lrs " + lastLrs() + ")";
    }
}
