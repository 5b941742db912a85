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
        // 2 of 4 steps: half the 24 bar cells; mean loss (1.0 + 0.5) / 2; 64 samples in 2 s.
        assertEquals("epoch 1/2 [############............]  50% 2/4 loss 0.7500 | 32 samples/s", bar.render(clock.now()));
        assertEquals(0.75, bar.meanLoss(), 0);
        assertEquals(32.0, bar.throughput(), 1e-12);
    }

    @Test
    void unknownTotalShowsTheStepCount() {
        ProgressBar bar = new ProgressBar(out, ProgressBar.Style.OFF, "training", 0, clock::now);
        bar.step(1000, 2.0);
        clock.advanceMillis(500);
        assertEquals("training step 1 loss 2.0000 | 2,000 samples/s", bar.render(clock.now()));
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

    private static int count(String s, char c) {
        return (int) s.chars().filter(ch -> ch == c).count();
    }
}
