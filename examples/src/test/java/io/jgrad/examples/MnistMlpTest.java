package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.Tensor;
import io.jgrad.io.Checkpoint;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistMlpTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Path data;

    @BeforeEach
    void syntheticMnist() throws IOException {
        Backends.setDefaultDevice(Device.CPU);
        data = dir.resolve("mnist");
        Files.createDirectories(data);
        // gzip for the training files, raw for the test files: the loader must take both.
        writeSet(data, "train", 320, 1, true);
        writeSet(data, "t10k", 100, 2, false);
    }

    @AfterEach
    void reset() {
        Backends.setDefaultDevice(null);
    }

    /**
     * Writes IDX files of 28x28 images where digit d is a bright 6x6 square at a position of its own, on faint
     * random speckles.
     */
    static void writeSet(Path dir, String prefix, int count, long seed, boolean gzip) throws IOException {
        Random rng = new Random(seed);
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * 784];
        for (int i = 0; i < count; i++) {
            int digit = i % 10;
            labels[i] = (byte) digit;
            for (int p = 0; p < 784; p++) if (rng.nextInt(20) == 0) pixels[i * 784 + p] = (byte) rng.nextInt(60);
            int top = 2 + (digit / 5) * 13 + rng.nextInt(3);
            int left = 1 + (digit % 5) * 5;
            for (int r = top; r < top + 6; r++) {
                for (int c = left; c < left + 6 && c < 28; c++) pixels[i * 784 + r * 28 + c] = (byte) (200 + rng.nextInt(56));
            }
        }
        String suffix = gzip ? ".gz" : "";
        try (DataOutputStream out = open(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gzip)) {
            out.writeInt(2051);
            out.writeInt(count);
            out.writeInt(28);
            out.writeInt(28);
            out.write(pixels);
        }
        try (DataOutputStream out = open(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gzip)) {
            out.writeInt(2049);
            out.writeInt(count);
            out.write(labels);
        }
    }

    private static DataOutputStream open(Path file, boolean gzip) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        return new DataOutputStream(gzip ? new GZIPOutputStream(raw) : raw);
    }

    private MnistMlp.Config config(int epochs, Path checkpoint, Path resume) {
        return new MnistMlp.Config(epochs, 32, 3e-3, 32, 5, checkpoint, resume);
    }

    @Test
    void trainsAnEpochAndSavesACheckpointWithModelOptimizerAndEpoch() throws Exception {
        Path ck = dir.resolve("ck/mnist.safetensors");
        MnistTraining.Result r = MnistMlp.train(data, config(1, ck, null), Device.CPU, ProgressBar.Style.OFF, QUIET);
        assertEquals(1, r.epochs().size());
        MnistTraining.EpochStats e = r.epochs().get(0);
        assertEquals(1, e.epoch());
        assertTrue(Double.isFinite(e.trainLoss()) && e.trainLoss() < Math.log(10), "train loss " + e.trainLoss());
        // Ten well separated squares: one epoch of 10 Adam steps gets most of them.
        assertTrue(e.testAccuracy() >= 0.8, "test accuracy " + e.testAccuracy());

        Checkpoint saved = Checkpoint.load(ck);
        assertEquals("1", saved.metadata().get("epoch"));
        assertEquals(r.model().stateDict().keySet(), saved.model().keySet());
        assertTrue(saved.optimizer().containsKey("state.0.exp_avg"), saved.optimizer().keySet().toString());
        assertEquals(10.0, saved.optimizer().get("step").item(), 0); // ceil(320 / 32) steps
    }

    @Test
    void resumingContinuesAtTheNextEpochAndRetracesTheUninterruptedRun() throws Exception {
        MnistTraining.Result straight = MnistMlp.train(data, config(2, null, null), Device.CPU, ProgressBar.Style.OFF, QUIET);

        Path ck = dir.resolve("resume.safetensors");
        MnistMlp.train(data, config(1, ck, null), Device.CPU, ProgressBar.Style.OFF, QUIET);
        MnistTraining.Result resumed = MnistMlp.train(data, config(2, null, ck), Device.CPU, ProgressBar.Style.OFF, QUIET);
        assertEquals(2, resumed.firstEpoch());
        assertEquals(1, resumed.epochs().size());
        assertEquals(2, resumed.epochs().get(0).epoch());

        // Same shuffles (seed and epoch), same learning rate (from the restored step count), same Adam moments:
        // the resumed run ends bit for bit where the uninterrupted one did.
        Map<String, Tensor> a = straight.model().stateDict();
        Map<String, Tensor> b = resumed.model().stateDict();
        for (String key : a.keySet()) {
            assertArrayEquals(a.get(key).toFloatArray(), b.get(key).toFloatArray(), 0f, key);
        }
        assertEquals(straight.testAccuracy(), resumed.testAccuracy(), 0);
        assertEquals(straight.epochs().get(1).trainLoss(), resumed.epochs().get(0).trainLoss(), 0);
    }

    @Test
    void theCheckpointKeepsTheHistorySoAResumedRunChartsTheWholeRun() throws Exception {
        Path ck = dir.resolve("history.safetensors");
        MnistTraining.Result first = MnistMlp.train(data, config(2, ck, null), Device.CPU, ProgressBar.Style.OFF, QUIET);
        assertEquals(first.epochs(), first.history());
        assertEquals(first.epochs(), MnistTraining.parseHistory(Checkpoint.load(ck).metadata().get("history")));

        MnistTraining.Result resumed = MnistMlp.train(data, config(3, ck, ck), Device.CPU, ProgressBar.Style.OFF, QUIET);
        assertEquals(1, resumed.epochs().size());
        assertEquals(3, resumed.history().size());
        // the first two epochs exactly as the first run measured them (bits of the doubles included)
        assertEquals(first.epochs(), resumed.history().subList(0, 2));
        assertEquals(resumed.epochs().get(0), resumed.history().get(2));
        assertEquals(resumed.history(), MnistTraining.parseHistory(Checkpoint.load(ck).metadata().get("history")));
    }

    @Test
    void historyTextRoundTripsEveryDoubleAndRejectsGarbage() {
        List<MnistTraining.EpochStats> h = List.of(new MnistTraining.EpochStats(1, 0.1 + 0.2, 0.9005, 1.0 / 3, 12345.678901234),
                new MnistTraining.EpochStats(2, Double.NaN, 1e-300, 0, Double.MAX_VALUE));
        assertEquals(h, MnistTraining.parseHistory(MnistTraining.formatHistory(h)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MnistTraining.parseHistory("1 0.5 zero 1 1"));
        assertTrue(e.getMessage().contains("1 0.5 zero 1 1"), e.getMessage());
    }

    @Test
    void theCommandLineChartsTheWholeRunAfterAResume() throws Exception {
        Path ck = dir.resolve("cli-resume.safetensors");
        Path out = dir.resolve("chart");
        String text = runQuietly("--device", "cpu", "mnist", "--data", data.toString(), "--epochs", "1", "--hidden", "16",
                "--checkpoint", ck.toString(), "--out", out.toString());
        assertTrue(text.contains("final test accuracy") && text.contains("after 1 epoch\n".replace("\n", System.lineSeparator())), text);
        text = runQuietly("--device", "cpu", "mnist", "--data", data.toString(), "--epochs", "2", "--hidden", "16",
                "--checkpoint", ck.toString(), "--resume", ck.toString(), "--out", out.toString());
        assertTrue(text.contains("training: epoch 2, batch"), text);
        assertTrue(text.contains("after 2 epochs"), text);
        assertTrue(Files.size(out.resolve("mnist-curves.png")) > 1000);
        // nothing left: said once, plainly, with no epoch range
        text = runQuietly("--device", "cpu", "mnist", "--data", data.toString(), "--epochs", "2", "--hidden", "16",
                "--resume", ck.toString(), "--out", out.toString());
        assertTrue(text.contains("already holds 2 epochs and --epochs is 2: nothing left to do"), text);
        assertFalse(text.contains(".."), text);
    }

    private static String runQuietly(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run(args);
        } finally {
            System.setOut(old);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        return text;
    }

    @Test
    void resumingWithAnotherArchitectureFailsClearlyAndAFinishedCheckpointHasNothingToDo() throws Exception {
        Path ck = dir.resolve("small.safetensors");
        MnistMlp.train(data, config(1, ck, null), Device.CPU, ProgressBar.Style.OFF, QUIET);
        MnistMlp.Config wider = new MnistMlp.Config(2, 32, 3e-3, 64, 5, null, ck);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MnistMlp.train(data, wider, Device.CPU, ProgressBar.Style.OFF, QUIET));
        assertTrue(e.getMessage().contains("784-32-32-10") && e.getMessage().contains("--hidden"), e.getMessage());

        MnistTraining.Result none = MnistMlp.train(data, config(1, null, ck), Device.CPU, ProgressBar.Style.OFF, QUIET);
        assertTrue(none.epochs().isEmpty());
    }

    @Test
    void aMissingDataFolderIsNamed() {
        Path missing = dir.resolve("nothing-here");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MnistMlp.train(missing, config(1, null, null), Device.CPU, ProgressBar.Style.OFF, QUIET));
        assertTrue(e.getMessage().contains("nothing-here"), e.getMessage());
    }

    @Test
    void commandLinePrintsEpochsAndWritesChartAndCheckpoint() throws Exception {
        Path out = dir.resolve("out");
        Path ck = dir.resolve("cli.safetensors");
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run("--device", "cpu", "mnist", "--data", data.toString(), "--epochs", "1", "--batch-size", "64",
                    "--hidden", "16", "--checkpoint", ck.toString(), "--out", out.toString());
        } finally {
            System.setOut(old);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.contains("epoch 1/1: train loss"), text);
        assertTrue(text.contains("final test accuracy"), text);
        assertTrue(Files.size(out.resolve("mnist-curves.png")) > 1000);
        assertTrue(Files.isRegularFile(ck));
    }
}
