package io.jgrad.optim;

/**
 * Drives an optimizer's learning rate from a {@link LrSchedule}, PyTorch style: creating the scheduler sets the
 * rate for the next optimizer step, and calling {@link #step()} after each optimizer step advances to the next.
 * <pre>{@code
 * var scheduler = new Scheduler(optimizer, LrSchedule.cosine(0.1, epochs * batches, 0));
 * for (...) { optimizer.zeroGrad(); loss.backward(); optimizer.step(); scheduler.step(); }
 * }</pre>
 * The count starts at the optimizer's {@link Optimizer#stepCount()}, so an optimizer restored from a checkpoint
 * resumes its schedule where it stopped.
 */
public final class Scheduler {
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private long step;

    public Scheduler(Optimizer optimizer, LrSchedule schedule) {
        if (optimizer == null || schedule == null) {
            throw new IllegalArgumentException("Scheduler: needs an optimizer and a schedule, got " + optimizer + " and " + schedule);
        }
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.step = optimizer.stepCount();
        apply();
    }

    /** Advances one step and sets the optimizer's learning rate to the schedule's value there. */
    public void step() {
        step++;
        apply();
    }

    /** The step whose rate the optimizer now holds. */
    public long stepCount() {
        return step;
    }

    /** The learning rate the optimizer now holds. */
    public double lr() {
        return optimizer.lr();
    }

    private void apply() {
        optimizer.setLr(schedule.lr(step));
    }
}
