package io.jgrad.optim;

/** A {@link Schedule} that prints as the expression that built it, and rejects negative steps. */
final class DescribedSchedule implements Schedule {
    private final String description;
    private final Schedule function;

    DescribedSchedule(String description, Schedule function) {
        this.description = description;
        this.function = function;
    }

    @Override
    public double lr(long step, double initialLr) {
        return lr(step, 0, initialLr);
    }

    @Override
    public double lr(long step, int group, double initialLr) {
        if (step < 0) throw new IllegalArgumentException("Schedule " + description + ": step must be >= 0, got " + step);
        return function.lr(step, group, initialLr);
    }

    @Override
    public String toString() {
        return description;
    }
}
