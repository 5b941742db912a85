package io.jgrad.optim;

/** A schedule that prints as the expression that built it, and rejects negative steps. */
final class NamedSchedule implements LrSchedule {
    private final String description;
    private final LrSchedule function;

    NamedSchedule(String description, LrSchedule function) {
        this.description = description;
        this.function = function;
    }

    @Override
    public double lr(long step) {
        if (step < 0) throw new IllegalArgumentException("LrSchedule " + description + ": step must be >= 0, got " + step);
        return function.lr(step);
    }

    @Override
    public String toString() {
        return description;
    }
}
