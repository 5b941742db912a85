package io.jgrad.examples;

import java.io.IOException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The width of the terminal that standard output is attached to, asked with JLine once and updated when the window is
 * resized (SIGWINCH). JLine's exec provider asks {@code stty}, so no native code is loaded (and JDK 22+ prints no
 * native-access warning). Falls back to {@code $COLUMNS}, then to 80.
 */
final class TerminalWidth {
    static final int FALLBACK = 80;
    private static volatile int columns = -1;
    private static Terminal terminal;

    private TerminalWidth() {
    }

    /** The width in columns. */
    static int columns() {
        int c = columns;
        return c > 0 ? c : open();
    }

    private static synchronized int open() {
        if (columns > 0) return columns;
        int width = 0;
        try {
            Terminal t = TerminalBuilder.builder().system(true).exec(true).jni(false).jna(false).jansi(false).ffm(false)
                    .dumb(true).build();
            width = t.getWidth();
            if (!Terminal.TYPE_DUMB.equals(t.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(t.getType())) {
                t.handle(Terminal.Signal.WINCH, signal -> {
                    int w = t.getWidth();
                    if (w > 0) columns = w;
                });
            }
            terminal = t; // kept: the resize handler lives as long as the terminal
        } catch (IOException | RuntimeException | LinkageError e) {
            width = 0;
        }
        if (width <= 0) width = fromEnvironment(System.getenv("COLUMNS"));
        columns = width;
        return width;
    }

    /** $COLUMNS if it is a positive number, else {@link #FALLBACK}. */
    static int fromEnvironment(String value) {
        try {
            int w = value == null ? 0 : Integer.parseInt(value.trim());
            return w > 0 ? w : FALLBACK;
        } catch (NumberFormatException e) {
            return FALLBACK;
        }
    }
}
