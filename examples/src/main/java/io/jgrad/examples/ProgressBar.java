package io.jgrad.examples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Console feedback for a training loop: step count, mean loss so far and throughput in samples per second.
 *
 * <p>On a terminal ({@link Style#TTY}) one line is redrawn in place with a carriage return, at most ten times a
 * second; where output goes to a file or a CI log ({@link Style#LINES}) a plain line is printed every few seconds
 * instead, because carriage returns turn such logs into one huge line. On {@link #close()} the terminal line is
 * drawn a last time and ended; in LINES mode a last line is printed only if periodic ones were, so that short runs,
 * whose callers print their own summary, stay quiet.
 */
final class ProgressBar implements AutoCloseable {

    /** How progress is shown. */
    enum Style {
        /** One line redrawn in place. */
        TTY,
        /** A new line every {@link #LINES_INTERVAL_NANOS}, and a last one at the end if any was printed. */
        LINES,
        /** Nothing. */
        OFF
    }

    static final long TTY_INTERVAL_NANOS = 100_000_000L;
    static final long LINES_INTERVAL_NANOS = 5_000_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final Style style;
    private final String label;
    private final long total;
    private final LongSupplier nanoClock;
    private final long startNanos;

    private long steps;
    private long samples;
    private double lossSum;
    private long lossCount;
    private long lastDrawNanos;
    private int lastWidth;
    private int draws;
    private boolean closed;

    /**
     * @param out       where to draw
     * @param style     how to draw
     * @param label     what runs, such as "epoch 3/10"
     * @param total     the number of steps expected, or 0 when unknown
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass a fake one)
     */
    ProgressBar(PrintStream out, Style style, String label, long total, LongSupplier nanoClock) {
        if (total < 0) throw new IllegalArgumentException("progress bar '" + label + "': total must be >= 0, got " + total);
        this.out = out;
        this.style = style;
        this.label = label;
        this.total = total;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastDrawNanos = startNanos;
    }

    /** A bar on standard output in the style {@link #detectStyle()} picks. */
    static ProgressBar console(String label, long total) {
        return new ProgressBar(System.out, detectStyle(), label, total, System::nanoTime);
    }

    /**
     * TTY when a terminal is attached and no CI runner is detected, else LINES. {@code -Djgrad.progress=tty|lines|off}
     * overrides the choice.
     */
    static Style detectStyle() {
        String forced = System.getProperty("jgrad.progress");
        if (forced != null && !forced.isBlank()) {
            try {
                return Style.valueOf(forced.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-Djgrad.progress must be tty, lines or off, got '" + forced + "'", e);
            }
        }
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        return System.console() != null && !ci ? Style.TTY : Style.LINES;
    }

    /**
     * Records one finished step.
     *
     * @param batchSamples how many samples the step processed
     * @param loss         the step's loss (NaN is shown as such, not hidden)
     */
    void step(long batchSamples, double loss) {
        steps++;
        samples += batchSamples;
        lossSum += loss;
        lossCount++;
        long now = nanoClock.getAsLong();
        long interval = style == Style.TTY ? TTY_INTERVAL_NANOS : LINES_INTERVAL_NANOS;
        if (style != Style.OFF && now - lastDrawNanos >= interval) {
            draw(now, false);
        }
    }

    long steps() {
        return steps;
    }

    /** The mean of the losses passed to {@link #step}, NaN before the first. */
    double meanLoss() {
        return lossCount == 0 ? Double.NaN : lossSum / lossCount;
    }

    /** Samples per second since the bar was created. */
    double throughput() {
        return throughput(nanoClock.getAsLong());
    }

    private double throughput(long now) {
        double seconds = (now - startNanos) / 1e9;
        return seconds <= 0 ? 0 : samples / seconds;
    }

    /** Draws the final state and ends the line. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (style == Style.TTY || (style == Style.LINES && draws > 0)) draw(nanoClock.getAsLong(), true);
    }

    private void draw(long now, boolean last) {
        lastDrawNanos = now;
        draws++;
        String line = render(now);
        if (style == Style.TTY) {
            // Pad with spaces so a shorter line fully covers the previous one.
            String padded = line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line;
            lastWidth = line.length();
            out.print('\r' + padded);
            if (last) out.println();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The text of one progress line, such as {@code epoch 1/5 [######......] 50% 63/125 loss 0.4321 | 8,123 samples/s}. */
    String render(long now) {
        StringBuilder b = new StringBuilder(label);
        if (total > 0) {
            double fraction = Math.min(1.0, (double) steps / total);
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            b.append(" [").append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
            b.append(String.format(Locale.ROOT, "%3d%% %d/%d", Math.round(fraction * 100), steps, total));
        } else {
            b.append(" step ").append(steps);
        }
        b.append(String.format(Locale.ROOT, " loss %.4f | %,.0f samples/s", meanLoss(), throughput(now)));
        return b.toString();
    }
}
