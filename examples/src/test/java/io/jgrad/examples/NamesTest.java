package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import io.jgrad.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamesTest {

    /** Words of one to three syllables "ka", "ri", "mo": a consonant always fixes the vowel after it. */
    private static final Pattern SYLLABLES = Pattern.compile("(ka|ri|mo)+");

    @TempDir
    Path dir;

    @BeforeEach
    void cpu() {
        Backends.setDefaultDevice(Device.CPU);
    }

    @AfterEach
    void reset() {
        Backends.setDefaultDevice(null);
    }

    static List<String> syllableWords(int count, long seed) {
        String[] syllables = {"ka", "ri", "mo"};
        Random rng = new Random(seed);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder w = new StringBuilder();
            int n = 1 + rng.nextInt(3);
            for (int s = 0; s < n; s++) w.append(syllables[rng.nextInt(3)]);
            words.add(w.toString());
        }
        return words;
    }

    @Test
    void learnsASmallLanguageAndSamplesWordsOfIt() {
        List<String> words = syllableWords(600, 3);
        Names.Config config = new Names.Config(3, 8, 64, 800, 64, 0.2, 20, 11);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Names.Result r = Names.train(words, config, Device.CPU, ProgressBar.Style.OFF,
                new PrintStream(log, true, StandardCharsets.UTF_8));

        // Seven tokens ('.', a, i, k, m, o, r): a uniform guess costs log 7 = 1.95 nats. Vowels are certain and the
        // rest is a choice among at most four, so a model that learned the language gets far below that.
        assertTrue(r.devLoss() < 0.9, "dev loss " + r.devLoss());
        assertTrue(r.trainLoss() < 0.9, "train loss " + r.trainLoss());
        assertTrue(Double.isFinite(r.testLoss()) && r.testLoss() < 0.9, "test loss " + r.testLoss());
        assertEquals(20, r.samples().size());
        long valid = r.samples().stream().filter(w -> SYLLABLES.matcher(w).matches()).count();
        assertTrue(valid >= 18, "samples should follow the syllable pattern: " + r.samples());
        // The dev loss was reported ten times, once per tenth of the steps.
        assertEquals(10, r.devCurve().size());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("step 800/800"), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sameSeedSameRun() {
        List<String> words = syllableWords(100, 5);
        Names.Config config = new Names.Config(3, 4, 16, 30, 16, 0.1, 5, 42);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Names.Result a = Names.train(words, config, Device.CPU, ProgressBar.Style.OFF, quiet);
        Names.Result b = Names.train(words, config, Device.CPU, ProgressBar.Style.OFF, quiet);
        assertEquals(a.devLoss(), b.devLoss(), 0);
        assertEquals(a.samples(), b.samples());
    }

    @Test
    void drawFollowsTheProbabilities() {
        double[] probs = {0.2, 0.5, 0.3};
        int[] counts = new int[3];
        Random rng = new Random(1);
        int n = 100_000;
        for (int i = 0; i < n; i++) counts[Names.draw(probs, rng)]++;
        for (int i = 0; i < 3; i++) {
            // Binomial standard deviation is at most 0.0016 here; 0.01 is more than six of them.
            assertEquals(probs[i], counts[i] / (double) n, 0.01, "index " + i);
        }
        // Probabilities that round to slightly less than 1 still give an index.
        assertEquals(1, Names.draw(new double[] {0.0, 0.999}, new Random() {
            @Override
            public double nextDouble() {
                return 0.9995;
            }
        }));
    }

    @Test
    void readWordsTrimsLowerCasesAndSkipsBlankLines() throws Exception {
        Path file = dir.resolve("names.txt");
        Files.writeString(file, "Emma\n  olivia \n\nAVA\n" + "x\n".repeat(7));
        List<String> words = Names.readWords(file);
        assertEquals(List.of("emma", "olivia", "ava"), words.subList(0, 3));
        assertEquals(10, words.size());

        Path tooFew = dir.resolve("few.txt");
        Files.writeString(tooFew, "a\nb\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Names.readWords(tooFew));
        assertTrue(e.getMessage().contains("2 names"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Names.readWords(dir.resolve("nope.txt")));
        assertTrue(missing.getMessage().contains("nope.txt"), missing.getMessage());
    }

    @Test
    void configRejectsABatchThatBatchNormCannotUse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Names.Config(3, 10, 200, 100, 1, 0.1, 20, 1));
        assertTrue(e.getMessage().contains("batch 1"), e.getMessage());
    }

    @Test
    void samplesAreWrappedToTheTerminal() {
        String text = Names.wrap("samples: marickygliy rayke mac jessy maalia tron chyrea camis geoqiya katzenrent lanora ter"
                + " harleyt trei aleiah markelyn hafayden malia taslukaste vanta amerikle ilah", 79);
        String[] lines = text.split(System.lineSeparator());
        assertEquals(3, lines.length, text);
        for (String line : lines) assertTrue(line.length() <= 79 && !line.startsWith(" ") && !line.endsWith(" "), line);
        assertEquals("samples: a", Names.wrap("samples: a", 79).strip());
        assertEquals("x" + System.lineSeparator() + "yyyyyyyyyyyy" + System.lineSeparator(), Names.wrap("x yyyyyyyyyyyy", 5));
    }
}
