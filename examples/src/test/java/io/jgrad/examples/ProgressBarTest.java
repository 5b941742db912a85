package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    /** A clock the test moves by hand. */
    private static final class FakeClock {
        long nanos = 1_000_000_000L;

        long now() {
            return nanos;
        }

        void advanceMillis(long ms) {
            nanos += ms * 1_000_000L;
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final FakeClock clock = new FakeClock();

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rendersBarPercentageMeanLossAndThroughput() {
        ProgressBar bar = new ProgressBar(out, ProgressBar.Style.OFF, "epoch 1/2", 4, clock::now);
        bar.step(32, 1.0);
        bar.step(32, 0.5);
        clock.advanceMillis(2000);
        // 2 of 4 steps: half the 30 bar cells; mean loss (1.0 + 0.5) / 2; 64 samples in 2 s; 2 s per 2 steps left.
        assertEquals("epoch 1/2 [###############...............]  50% 2/4 loss 0.7500 | 32 samples/s | 0:02 elapsed, 0:02 left",
                bar.render(clock.now()));
        assertEquals(0.75, bar.meanLoss(), 0);
        assertEquals(32.0, bar.throughput(), 1e-12);
    }

    @Test
    void unknownTotalShowsTheStepCount() {
        ProgressBar bar = new ProgressBar(out, ProgressBar.Style.OFF, "training", 0, clock::now);
        bar.step(1000, 2.0);
        clock.advanceMillis(500);
        assertEquals("training step 1 loss 2.0000 | 2,000 samples/s | 0:01 elapsed", bar.render(clock.now()));
    }

    @Test
    void ttyRedrawsInPlaceAtMostTenTimesASecondAndEndsTheLine() {
        try (ProgressBar bar = new ProgressBar(out, ProgressBar.Style.TTY, "run", 100, clock::now)) {
            for (int i = 0; i < 10; i++) {
                clock.advanceMillis(30);
                bar.step(1, 1.0);
            }
            // 300 ms in steps of 30 ms: drawn at 120, 240 (each >= 100 ms after the previous draw) and no more.
            assertEquals(2, count(output(), '\r'));
            assertEquals(0, count(output(), '\n'));
        }
        String s = output();
        assertEquals(3, count(s, '\r'));
        assertTrue(s.endsWith(System.lineSeparator()), s);
        assertTrue(s.contains("10/100"), s);
    }

    @Test
    void ttyPadsAShorterLineSoNoStaleCharactersRemain() {
        ProgressBar bar = new ProgressBar(out, ProgressBar.Style.TTY, "x", 0, clock::now);
        clock.advanceMillis(1000);
        bar.step(1, 123456.0); // a long loss value
        clock.advanceMillis(1000);
        bar.step(1, -123456.0); // the mean drops to 0: a shorter line
        String[] frames = output().split("\r", -1);
        assertEquals(3, frames.length); // "", first frame, second frame
        assertTrue(frames[2].length() >= frames[1].length(), "second frame must cover the first: " + output());
    }

    @Test
    void linesModePrintsPlainLinesEveryFewSecondsWithoutCarriageReturns() {
        try (ProgressBar bar = new ProgressBar(out, ProgressBar.Style.LINES, "epoch 1/1", 1000, clock::now)) {
            for (int i = 0; i < 1000; i++) {
                clock.advanceMillis(20); // 20 s in all: a line at 5, 10, 15 and 20 s
                bar.step(10, 0.1);
            }
        }
        String s = output();
        assertEquals(0, count(s, '\r'));
        assertEquals(5, s.lines().count(), s); // four periodic lines and the final one
        assertTrue(s.lines().reduce((a, b) -> b).orElseThrow().contains("100% 1000/1000"), s);
    }

    @Test
    void offPrintsNothingAndCloseIsIdempotent() {
        ProgressBar bar = new ProgressBar(out, ProgressBar.Style.OFF, "quiet", 10, clock::now);
        clock.advanceMillis(60_000);
        bar.step(1, 1);
        bar.close();
        bar.close();
        assertEquals("", output());
    }

    @Test
    void linesModeStaysQuietForARunShorterThanOneInterval() {
        // The caller prints its own summary; a lone 100% line would only repeat it.
        try (ProgressBar bar = new ProgressBar(out, ProgressBar.Style.LINES, "short", 10, clock::now)) {
            for (int i = 0; i < 10; i++) {
                clock.advanceMillis(100);
                bar.step(1, 1);
            }
        }
        assertEquals("", output());
    }

    @Test
    void closingTwiceDrawsTheFinalLineOnce() {
        ProgressBar bar = new ProgressBar(out, ProgressBar.Style.TTY, "once", 1, clock::now);
        bar.step(1, 1);
        bar.close();
        bar.close();
        assertEquals(1, count(output(), '\r'));
        assertEquals(1, count(output(), '\n'));
    }

    @Test
    void rejectsNegativeTotalAndABadForcedStyle() {
        assertThrows(IllegalArgumentException.class, () -> new ProgressBar(out, ProgressBar.Style.OFF, "bad", -1, clock::now));
        String old = System.getProperty("jgrad.progress");
        try {
            System.setProperty("jgrad.progress", "lines");
            assertEquals(ProgressBar.Style.LINES, ProgressBar.detectStyle());
            System.setProperty("jgrad.progress", "fancy");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ProgressBar::detectStyle);
            assertTrue(e.getMessage().contains("fancy"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty("jgrad.progress");
            else System.setProperty("jgrad.progress", old);
        }
    }

    @Test
    void withoutAConsoleTheStyleIsLines() {
        // Surefire runs tests without a terminal, which is exactly the CI situation.
        assumeTrue(System.console() == null && System.getProperty("jgrad.progress") == null,
                "needs a JVM without a terminal and without -Djgrad.progress");
        assertEquals(ProgressBar.Style.LINES, ProgressBar.detectStyle());
    }

    @Test
    void aLineNeverReachesTheTerminalsLastColumn() {
        String[] labels = {"names", "epoch 12/15", "a rather long label for a progress bar that says a lot"};
        long[] totals = {0, 1, 125, 6000, 1_000_000};
        for (String label : labels) {
            for (long total : totals) {
                ProgressBar bar = new ProgressBar(out, ProgressBar.Style.OFF, label, total, clock::now);
                for (long step = 0; step <= Math.min(total, 3000); step += Math.max(1, total / 7)) {
                    for (int columns = 1; columns <= 200; columns++) {
                        String line = bar.render(clock.now(), columns);
                        assertTrue(line.length() <= Math.max(1, columns - 1),
                                columns + " columns, " + line.length() + " characters: " + line);
                    }
                    for (int i = 0; i < Math.max(1, total / 7); i++) bar.step(128, 1e6 * step);
                    clock.advanceMillis(73_000);
                }
            }
        }
    }

    @Test
    void narrowTerminalsShrinkTheBarThenDropTheThroughputThenTheBar() {
        ProgressBar bar = new ProgressBar(out, ProgressBar.Style.OFF, "names", 6000, clock::now);
        for (int i = 0; i < 2700; i++) bar.step(128, 2.5);
        clock.advanceMillis(12_000);
        String wide = bar.render(clock.now(), 200);
        assertEquals("names [##############................]  45% 2700/6000 loss 2.5000 | 28,800 samples/s"
                + " | 0:12 elapsed, 0:15 left", wide);
        // 100 columns: the bar shrinks
        assertEquals("names [#########..........]  45% 2700/6000 loss 2.5000 | 28,800 samples/s | 0:12 elapsed, 0:15 left",
                bar.render(clock.now(), 100));
        // 80 columns: the throughput goes, the bar keeps at least 10 cells, the times stay
        assertEquals("names [########..........]  45% 2700/6000 loss 2.5000 | 0:12 elapsed, 0:15 left", bar.render(clock.now(), 80));
        // then the bar goes
        assertEquals("names  45% 2700/6000 loss 2.5000 | 0:12 elapsed, 0:15 left", bar.render(clock.now(), 62));
        // and at last the line is cut, with a mark
        assertEquals("names  45% 2700/6000 loss 2.5000 | 0:12 elapsed, 0:15~", bar.render(clock.now(), 55));
        assertEquals("names  45% 2700/60~", bar.render(clock.now(), 20));
    }

    @Test
    void ttyLinesFollowTheTerminalWidthAsItChanges() {
        int[] columns = {80};
        try (ProgressBar bar = new ProgressBar(out, ProgressBar.Style.TTY, "epoch 1/15", 1000, clock::now, () -> columns[0])) {
            for (int i = 0; i < 500; i++) {
                clock.advanceMillis(10);
                bar.step(64, 0.25);
                if (i == 250) columns[0] = 40; // the window was made narrower
            }
        }
        String[] frames = output().split("\r");
        int longest = 0;
        for (int i = 1; i < frames.length; i++) {
            String frame = frames[i].strip(); // padding and the final line end
            longest = Math.max(longest, frame.length());
            assertTrue(frame.length() <= 79, "frame " + i + " is " + frame.length() + " wide: " + frame);
        }
        assertTrue(longest > 39, "before the resize the line used the width: " + longest);
        String last = frames[frames.length - 1].replace(System.lineSeparator(), "");
        assertTrue(last.length() <= 39, "after it, padding included: '" + last + "'");
    }

    @Test
    void timeLeftIsExtrapolatedFromTheStepsDoneAndVanishesAtTheEnd() {
        ProgressBar bar = new ProgressBar(out, ProgressBar.Style.OFF, "run", 400, clock::now);
        assertTrue(bar.render(clock.now()).endsWith("| 0:00 elapsed"), bar.render(clock.now())); // nothing to extrapolate from
        for (int i = 0; i < 100; i++) bar.step(1, 1);
        clock.advanceMillis(65_000);
        assertTrue(bar.render(clock.now()).endsWith("| 1:05 elapsed, 3:15 left"), bar.render(clock.now()));
        for (int i = 0; i < 300; i++) bar.step(1, 1);
        clock.advanceMillis(3_600_000);
        assertTrue(bar.render(clock.now()).endsWith("| 1:01:05 elapsed"), bar.render(clock.now()));
        assertEquals("0:59", ProgressBar.clock(59.4));
        assertEquals("10:00", ProgressBar.clock(600));
        assertEquals("2:00:00", ProgressBar.clock(7200));
    }

    @Test
    void aMessageGoesAboveTheBarWhichIsRedrawnAndStartsANewMeanLoss() {
        try (ProgressBar bar = new ProgressBar(out, ProgressBar.Style.TTY, "names", 10, clock::now, () -> 80)) {
            clock.advanceMillis(200);
            bar.step(1, 4.0);
            bar.step(1, 2.0);
            assertEquals(3.0, bar.meanLoss(), 0);
            bar.log("step 2/10: dev loss 2.9");
            assertTrue(Double.isNaN(bar.meanLoss()), "a new period starts");
            assertTrue(bar.render(clock.now()).contains("loss 3.0000"), "the last period's loss until a step: " + bar.render(clock.now()));
            clock.advanceMillis(200);
            bar.step(1, 1.0);
            assertEquals(1.0, bar.meanLoss(), 0);
        }
        String[] lines = output().split(System.lineSeparator());
        assertEquals(2, lines.length, output());
        // the bar's first frame, then over it the message (padded to cover it), then the bar again below
        assertTrue(lines[0].startsWith("\rnames ["), lines[0]);
        String message = lines[0].substring(lines[0].lastIndexOf('\r') + 1);
        assertEquals("step 2/10: dev loss 2.9", message.strip());
        assertTrue(message.length() >= lines[0].indexOf('\r', 1) - 1, "the message covers the bar: " + lines[0]);
        assertTrue(lines[1].contains("3/10"), lines[1]);
        // plain text in the other styles
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar(new PrintStream(plain, true, StandardCharsets.UTF_8), ProgressBar.Style.OFF, "q", 1, clock::now)) {
            bar.log("hello");
        }
        assertEquals("hello" + System.lineSeparator(), plain.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theColumnsVariableIsTheFallbackWidth() {
        assertEquals(120, TerminalWidth.fromEnvironment("120"));
        assertEquals(TerminalWidth.FALLBACK, TerminalWidth.fromEnvironment(null));
        assertEquals(TerminalWidth.FALLBACK, TerminalWidth.fromEnvironment("wide"));
        assertEquals(TerminalWidth.FALLBACK, TerminalWidth.fromEnvironment("0"));
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(ch -> ch == c).count();
    }
}
