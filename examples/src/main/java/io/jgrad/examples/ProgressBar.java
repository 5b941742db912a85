package io.jgrad.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Console feedback for a training loop: a bar, step count, mean loss, throughput in samples per second, and the time
 * elapsed and left.
 *
 * <p>On a terminal ({@link Style#TTY}) one line is redrawn in place with a carriage return, at most ten times a
 * second, and fitted to the terminal's width ({@link TerminalWidth}, which follows resizes): the bar shrinks first,
 * then the throughput goes, then the bar, so the line never wraps or scrolls. Where output goes to a file or a CI log
 * ({@link Style#LINES}) a plain line is printed every few seconds instead, because carriage returns turn such logs
 * into one huge line. On {@link #close()} the terminal line is drawn a last time and ended; in LINES mode a last line
 * is printed only if periodic ones were, so that short runs, whose callers print their own summary, stay quiet.
 * {@link #log(String)} prints a message above the bar.
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
    static final int MAX_BAR = 30;
    static final int MIN_BAR = 10;

    private final PrintStream out;
    private final Style style;
    private final String label;
    private final long total;
    private final LongSupplier nanoClock;
    private final IntSupplier columns;
    private final long startNanos;

    private long steps;
    private long samples;
    private double lossSum;
    private long lossCount;
    /** The mean loss of the period before the last {@link #log}, shown until the next step. */
    private double previousMean = Double.NaN;
    private long lastDrawNanos;
    private int lastWidth;
    private int draws;
    private boolean closed;

    /** A bar without a width limit (LINES and OFF, and tests). */
    ProgressBar(PrintStream out, Style style, String label, long total, LongSupplier nanoClock) {
        this(out, style, label, total, nanoClock, () -> 0);
    }

    /**
     * @param out       where to draw
     * @param style     how to draw
     * @param label     what runs, such as "epoch 3/10"
     * @param total     the number of steps expected, or 0 when unknown
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass a fake one)
     * @param columns   the terminal's width in columns, asked at every draw; 0 or less for no limit
     */
    ProgressBar(PrintStream out, Style style, String label, long total, LongSupplier nanoClock, IntSupplier columns) {
        if (total < 0) throw new IllegalArgumentException("progress bar '" + label + "': total must be >= 0, got " + total);
        this.out = out;
        this.style = style;
        this.label = label;
        this.total = total;
        this.nanoClock = nanoClock;
        this.columns = columns;
        this.startNanos = nanoClock.getAsLong();
        this.lastDrawNanos = startNanos;
    }

    /** A bar on {@code out} in the given style, fitted to the terminal's width in TTY style. */
    static ProgressBar create(PrintStream out, Style style, String label, long total) {
        return new ProgressBar(out, style, label, total, System::nanoTime, style == Style.TTY ? TerminalWidth::columns : () -> 0);
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

    /**
     * Prints a line of text (whatever the style) above the bar, which is redrawn under it, and starts a new mean loss:
     * a periodic report such as "step 600/6000: dev loss 2.31" is followed by the next period's loss.
     */
    void log(String message) {
        if (style == Style.TTY && draws > 0) {
            String padded = message.length() < lastWidth ? message + " ".repeat(lastWidth - message.length()) : message;
            out.print('\r' + padded + System.lineSeparator());
            lastWidth = 0;
        } else {
            out.println(message);
        }
        previousMean = lossCount == 0 ? previousMean : meanLoss();
        lossSum = 0;
        lossCount = 0;
        if (style == Style.TTY && !closed) draw(nanoClock.getAsLong(), false);
        out.flush();
    }

    long steps() {
        return steps;
    }

    /** The mean of the losses passed to {@link #step} since the start or the last {@link #log}; NaN before any. */
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
        if (style == Style.TTY) {
            int width = columns.getAsInt();
            String line = render(now, width);
            // Pad with spaces so a shorter line fully covers the previous one, but never past the (maybe narrowed) width.
            int cover = width > 0 ? Math.min(lastWidth, width - 1) : lastWidth;
            String padded = line.length() < cover ? line + " ".repeat(cover - line.length()) : line;
            lastWidth = line.length();
            out.print('\r' + padded);
            if (last) out.println();
        } else {
            out.println(render(now, 0));
        }
        out.flush();
    }

    /** The text of one progress line without a width limit. */
    String render(long now) {
        return render(now, 0);
    }

    /**
     * The text of one progress line, such as
     * {@code epoch 1/5 [#########.........]  50% 63/125 loss 0.4321 | 8,123 samples/s | 0:04 elapsed, 0:04 left},
     * at most {@code columns - 1} characters long when columns is positive (the last column stays free: a character
     * there makes some terminals wrap). What does not fit goes in this order: bar cells down to {@value #MIN_BAR},
     * the throughput, the bar, and finally the line's end.
     */
    String render(long now, int columns) {
        int limit = columns > 0 ? Math.max(1, columns - 1) : Integer.MAX_VALUE;
        double seconds = Math.max(0, (now - startNanos) / 1e9);
        String loss = String.format(Locale.ROOT, "loss %.4f", lossCount == 0 ? previousMean : meanLoss());
        String rate = String.format(Locale.ROOT, "%,.0f samples/s", throughput(now));
        String time = clock(seconds) + " elapsed";
        if (total > 0 && steps > 0 && steps < total) time += ", " + clock(seconds * (total - steps) / steps) + " left";
        if (total == 0) {
            return fit(String.join(" ", label, "step " + steps, loss, "|", rate, "|", time), limit);
        }
        double fraction = Math.min(1.0, (double) steps / total);
        String count = String.format(Locale.ROOT, "%3d%% %d/%d", Math.round(fraction * 100), steps, total);
        List<String> parts = new ArrayList<>(List.of(label, "BAR", count, loss, "|", rate, "|", time));
        for (int attempt = 0; attempt < 3; attempt++) {
            if (attempt == 1) parts.subList(parts.indexOf(rate) - 1, parts.indexOf(rate) + 1).clear(); // the throughput
            if (attempt == 2) parts.remove("BAR");
            int others = String.join(" ", parts).length() - (parts.contains("BAR") ? 3 : 0);
            int cells = Math.min(MAX_BAR, limit - others - 2); // the brackets
            if (!parts.contains("BAR") || cells >= MIN_BAR) {
                if (parts.contains("BAR")) {
                    int filled = (int) Math.round(fraction * cells);
                    parts.set(parts.indexOf("BAR"), "[" + "#".repeat(filled) + ".".repeat(cells - filled) + "]");
                }
                return fit(String.join(" ", parts), limit);
            }
        }
        throw new AssertionError("unreachable: the last attempt has no bar");
    }

    /** The text cut to the limit, marked with a trailing '~' when something was cut. */
    private static String fit(String text, int limit) {
        if (text.length() <= limit) return text;
        return limit <= 1 ? text.substring(0, limit) : text.substring(0, limit - 1) + "~";
    }

    /** m:ss, or h:mm:ss from an hour on. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
