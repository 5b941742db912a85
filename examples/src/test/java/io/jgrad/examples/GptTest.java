package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Tensor;
import io.jgrad.data.CharVocab;
import io.jgrad.nn.Losses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptTest {

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

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** A small transformer: 1 block, 2 heads, embedding 16, untied. */
    private static Gpt.Config small(int steps, int samples, long seed) {
        return new Gpt.Config(1, 2, 16, 0, false, steps, 32, 1e-2, 1e-3, 10, 0.01, 1.0, 1.0, 0, samples, seed);
    }

    /** The same with the output layer tied to the token embedding. */
    private static Gpt.Config tied(int steps, int samples, long seed) {
        return new Gpt.Config(1, 2, 16, 0, true, steps, 32, 1e-2, 1e-3, 10, 0.01, 1.0, 1.0, 0, samples, seed);
    }

    @Test
    void learnsASmallLanguageAndSamplesWordsOfIt() throws Exception {
        List<String> words = NamesTest.syllableWords(600, 3);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Gpt.Result r = Gpt.train(words, small(200, 20, 11), Device.CPU, Gpt.Checkpointing.NONE, ProgressBar.Style.OFF,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        // seven tokens: uniform is log 7 = 1.95 nats; vowels are certain and the rest a choice among at most four
        assertTrue(r.devLoss() < 0.9, "dev loss " + r.devLoss());
        assertTrue(r.testLoss() < 0.9, "test loss " + r.testLoss());
        assertEquals(20, r.samples().size());
        long valid = r.samples().stream().filter(w -> SYLLABLES.matcher(w).matches()).count();
        assertTrue(valid >= 18, "samples should follow the syllable pattern: " + r.samples());
        assertEquals(10, r.devCurve().size());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("step 200/200"), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aResumedRunEndsWhereAnUnbrokenOneDoes() throws Exception {
        List<String> words = NamesTest.syllableWords(200, 5);
        Gpt.Config c = small(24, 4, 42);
        Gpt.Result whole = Gpt.train(words, c, Device.CPU, Gpt.Checkpointing.NONE, ProgressBar.Style.OFF, quiet());

        Path file = dir.resolve("gpt.ckpt");
        Gpt.Result first = Gpt.train(words, c, Device.CPU, new Gpt.Checkpointing(file, 5, false, 10), ProgressBar.Style.OFF, quiet());
        assertTrue(Files.exists(file));
        assertTrue(first.devLoss() != whole.devLoss(), "the first half stopped early");
        Gpt.Result resumed = Gpt.train(words, c, Device.CPU, new Gpt.Checkpointing(file, 5, true, 0), ProgressBar.Style.OFF, quiet());
        assertEquals(10, resumed.startStep());
        assertEquals(whole.trainLoss(), resumed.trainLoss(), 1e-9);
        assertEquals(whole.devLoss(), resumed.devLoss(), 1e-9);
        assertEquals(whole.testLoss(), resumed.testLoss(), 1e-9);
        assertEquals(whole.samples(), resumed.samples());
    }

    @Test
    void theCheckpointsFolderIsMadeAndAnUnwritableOneFailsBeforeTraining() throws Exception {
        List<String> words = NamesTest.syllableWords(200, 5);
        Path file = dir.resolve("runs/a/gpt.ckpt"); // folders that do not exist yet
        Gpt.train(words, small(12, 0, 1), Device.CPU, new Gpt.Checkpointing(file, 5, false, 0), ProgressBar.Style.OFF, quiet());
        assertTrue(Files.exists(file));

        Path blocker = Files.writeString(dir.resolve("plain-file"), "x");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertThrows(java.io.IOException.class, () -> Gpt.train(words, small(12, 0, 1), Device.CPU,
                new Gpt.Checkpointing(blocker.resolve("gpt.ckpt"), 5, false, 0), ProgressBar.Style.OFF,
                new PrintStream(log, true, StandardCharsets.UTF_8)));
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("step 1/12"), "no step ran: " + log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void averagedWeightsResumeWithTheCheckpointAndAreWhatIsEvaluated() throws Exception {
        List<String> words = NamesTest.syllableWords(200, 5);
        Gpt.Config p = small(24, 4, 42);
        Gpt.Config c = new Gpt.Config(p.layers(), p.heads(), p.embedding(), p.dropout(), p.tied(), p.steps(), p.batchSize(), p.lr(),
                p.minLr(), p.warmup(), p.weightDecay(), p.clip(), p.temperature(), p.topK(), p.samples(), p.seed(), p.precision(), 0.9);
        Gpt.Result plain = Gpt.train(words, p, Device.CPU, Gpt.Checkpointing.NONE, ProgressBar.Style.OFF, quiet());
        Gpt.Result whole = Gpt.train(words, c, Device.CPU, Gpt.Checkpointing.NONE, ProgressBar.Style.OFF, quiet());
        // the same training, evaluated with other weights
        assertTrue(Math.abs(whole.testLoss() - plain.testLoss()) > 1e-6, whole.testLoss() + " vs " + plain.testLoss());

        Path file = dir.resolve("gpt-ema.ckpt");
        Gpt.train(words, c, Device.CPU, new Gpt.Checkpointing(file, 5, false, 10), ProgressBar.Style.OFF, quiet());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gpt.train(words, p, Device.CPU, new Gpt.Checkpointing(file, 5, true, 0), ProgressBar.Style.OFF, quiet()));
        assertTrue(e.getMessage().contains("has averaged weights"), e.getMessage());
        Gpt.Result resumed = Gpt.train(words, c, Device.CPU, new Gpt.Checkpointing(file, 5, true, 0), ProgressBar.Style.OFF, quiet());
        assertEquals(10, resumed.startStep());
        assertEquals(whole.trainLoss(), resumed.trainLoss(), 1e-9);
        assertEquals(whole.devLoss(), resumed.devLoss(), 1e-9);
        assertEquals(whole.testLoss(), resumed.testLoss(), 1e-9);
        assertEquals(whole.samples(), resumed.samples());
    }

    @Test
    void withTieTheOutputLayerIsTheTokenEmbedding() {
        Gpt.Model model = new Gpt.Model(7, 5, tied(20, 0, 1), new Generator(1));
        var names = model.namedParameters().keySet();
        assertTrue(names.contains("wte.weight") && !names.contains("lm_head.weight"), names.toString());
        assertTrue(model.stateDict().containsKey("lm_head.weight"), "the state dict names the tied weight under both names");
        Tensor logits = model.forward(Tensor.of(new long[]{0, 3, 4, 0, 1, 2}, 2, 3));
        assertEquals(List.of(2, 3, 7), List.of(logits.size(0), logits.size(1), logits.size(2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forward(Tensor.of(new long[6], 1, 6)));
        assertTrue(e.getMessage().contains("T <= 5"), e.getMessage());
        var untied = new Gpt.Model(7, 5, small(20, 0, 1), new Generator(1)).namedParameters();
        assertTrue(untied.containsKey("lm_head.weight") && untied.get("lm_head.weight") != untied.get("wte.weight"), untied.keySet().toString());
    }

    @Test
    void theSplitIsMakemoresTestOfATenthAtMostAThousandNamesADevAsLargeAndTheRest() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 32_032; i++) words.add("w" + i);
        List<List<String>> split = Gpt.split(words, 7);
        assertEquals(List.of(30_032, 1000, 1000), split.stream().map(List::size).toList());
        Set<String> all = new HashSet<>();
        split.forEach(all::addAll);
        assertEquals(new HashSet<>(words), all, "the three splits are disjoint and cover every name");
        assertEquals(split, Gpt.split(words, 7), "the seed fixes the shuffle");
        assertEquals(List.of(480, 60, 60), Gpt.split(words.subList(0, 600), 7).stream().map(List::size).toList());
    }

    @Test
    void theLossIsTheMeanCrossEntropyOfEachNamesCharactersAndItsEnd() {
        // makemore's quantity: targets after a name's end are ignored; every name contributes its length + 1 terms
        CharVocab vocab = CharVocab.fromLines(List.of("ab", "c"));
        Gpt.Words words = Gpt.Words.of(List.of("abc", "b"), vocab);
        Gpt.Model model = new Gpt.Model(vocab.size(), 4, small(20, 0, 3), new Generator(3));
        model.eval();
        Gpt.Batch batch = Gpt.Batch.of(words, new int[]{0, 1}, Device.CPU);
        assertEquals(6, batch.count());
        double mean = batch.loss(model, Losses.Reduction.MEAN).item();
        double sum = batch.loss(model, Losses.Reduction.SUM).item();

        // by hand from the full logits of ". a b c" and ". b . ." (padding at the end)
        double[] logp = model.forward(Tensor.of(new long[]{0, 1, 2, 3, 0, 2, 0, 0}, 2, 4)).to(DType.FLOAT64).logSoftmax(2).toDoubleArray();
        int v = vocab.size();
        int[][] counted = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 2}, {5, 0}}; // {flat position, target}
        double expected = 0;
        for (int[] c : counted) expected -= logp[c[0] * v + c[1]];
        assertEquals(expected, sum, 1e-5);
        assertEquals(expected / 6, mean, 1e-6);
    }

    @Test
    void probabilitiesApplyTemperatureAndTopK() {
        double[] logits = {1.0, 3.0, 2.0, 0.0};
        double[] all = Gpt.probabilities(logits, 1, 1.0, 0).toDoubleArray();
        double z = Math.exp(1) + Math.exp(3) + Math.exp(2) + 1;
        assertEquals(Math.exp(3) / z, all[1], 1e-12);
        double[] top2 = Gpt.probabilities(logits, 1, 1.0, 2).toDoubleArray();
        assertEquals(0, top2[0]);
        assertEquals(0, top2[3]);
        assertEquals(Math.exp(3) / (Math.exp(3) + Math.exp(2)), top2[1], 1e-12);
        double[] hot = Gpt.probabilities(logits, 1, 2.0, 0).toDoubleArray();
        double z2 = Math.exp(0.5) + Math.exp(1.5) + Math.exp(1) + 1;
        assertEquals(Math.exp(1.5) / z2, hot[1], 1e-12);
    }

    @Test
    void badSettingsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Gpt.Config(2, 3, 16, 0, false, 10, 8, 1e-3, 1e-4, 1, 0.01, 1, 1, 0, 0, 1));
        assertTrue(e.getMessage().contains("multiple of --heads"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Gpt.Config(1, 2, 16, 0, false, 10, 8, 1e-3, 1e-4, 10, 0.01, 1, 1, 0, 0, 1));
    }

    @Test
    void smokeRunOnNamesTxt() throws Exception {
        Optional<Path> shared = TestData.sharedData();
        assumeTrue(shared.isPresent() && Files.isRegularFile(shared.get().resolve("names/names.txt")),
                "needs ../shared/data/names/names.txt (the shared data folder is absent)");
        List<String> words = Names.readWords(shared.get().resolve("names/names.txt"));
        Gpt.Result r = Gpt.train(words, small(30, 5, 1), Device.CPU, Gpt.Checkpointing.NONE, ProgressBar.Style.OFF, quiet());
        // 27 tokens: uniform is log 27 = 3.30 nats; 30 steps already learn the letter frequencies
        assertTrue(r.testLoss() < 2.9, "test loss " + r.testLoss());
        assertEquals(5, r.samples().size());
        for (String s : r.samples()) assertTrue(s.matches("[a-z]*"), s);
    }
}
