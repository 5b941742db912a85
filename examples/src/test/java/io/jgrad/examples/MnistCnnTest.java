package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.Tensor;
import io.jgrad.data.Mnist;
import io.jgrad.io.Checkpoint;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistCnnTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Path data;

    @BeforeEach
    void syntheticMnist() throws IOException {
        Backends.setDefaultDevice(Device.CPU);
        data = dir.resolve("mnist");
        Files.createDirectories(data);
        MnistMlpTest.writeSet(data, "train", 192, 1, true);
        MnistMlpTest.writeSet(data, "t10k", 60, 2, false);
    }

    @AfterEach
    void reset() {
        Backends.setDefaultDevice(null);
    }

    private static MnistCnn.Config config(int epochs, Path checkpoint, Path resume) {
        return new MnistCnn.Config(epochs, 32, 2e-3, 0.85, 2, 5, checkpoint, resume);
    }

    @Test
    void theModelIsThePromisedArchitecture() {
        String text = MnistCnn.model(new io.jgrad.Generator(1)).toString();
        assertTrue(text.contains("Conv2d(1, 32, kernel_size=(3, 3)") && text.contains("Conv2d(32, 64, kernel_size=(3, 3)"), text);
        assertTrue(text.contains("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"), text);
        assertTrue(text.contains("Linear(in_features=1600, out_features=128"), text);
        assertTrue(text.contains("Linear(in_features=128, out_features=10"), text);
        Tensor logits = MnistCnn.model(new io.jgrad.Generator(1)).forward(Tensor.zeros(3, 1, 28, 28));
        assertEquals("[3, 10]", logits.shape().toString());
    }

    @Test
    void shiftsMoveEachImageByItsOwnOffsetAndFillWithBlank() {
        float[] v = new float[2 * 784];
        for (int i = 0; i < v.length; i++) v[i] = i % 784; // pixel value = its position
        Tensor x = Tensor.of(v, 2, 1, 28, 28);
        float[] s = MnistCnn.shifted(x, 2, new SplittableRandom(3)).toFloatArray();
        for (int img = 0; img < 2; img++) {
            // find the shift from one interior pixel, then check the whole image against it
            int at = img * 784 + 14 * 28 + 14;
            int src = (int) s[at];
            int dy = 14 - src / 28, dx = 14 - src % 28;
            assertTrue(Math.abs(dy) <= 2 && Math.abs(dx) <= 2, "shift " + dy + ", " + dx);
            float blank = s[img * 784 + (dy > 0 ? 0 : 27 * 28) + (dx > 0 ? 0 : 27)];
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    int fr = r - dy, fc = c - dx;
                    float want = fr >= 0 && fr < 28 && fc >= 0 && fc < 28 ? fr * 28 + fc : blank;
                    assertEquals(want, s[img * 784 + r * 28 + c], "image " + img + " at " + r + ", " + c);
                }
            }
            if (dy != 0 || dx != 0) assertEquals((float) (-0.1307 / 0.3081), blank, 1e-6f);
        }
    }

    @Test
    void warpRotatesAQuarterTurnClockwiseExactly() {
        float[] src = new float[784], dst = new float[784];
        for (int i = 0; i < 784; i++) src[i] = i; // pixel value = its position
        MnistCnn.warp(src, dst, 0, 90, 1, 0, 0);
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                // a quarter turn clockwise: the left column becomes the top row, read bottom to top
                assertEquals((27 - c) * 28 + r, dst[r * 28 + c], 1e-3, "at " + r + ", " + c);
            }
        }
    }

    @Test
    void warpWithoutRotationOrResizingIsAWholePixelShift() {
        float[] src = new float[784], dst = new float[784];
        for (int i = 0; i < 784; i++) src[i] = i;
        MnistCnn.warp(src, dst, 0, 0, 1, -2, 1);
        float blank = (float) (-0.1307 / 0.3081);
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                int fr = r + 2, fc = c - 1;
                float want = fr < 28 && fc >= 0 ? fr * 28 + fc : blank;
                assertEquals(want, dst[r * 28 + c], 1e-4, "at " + r + ", " + c);
            }
        }
    }

    @Test
    void warpDoublingTheSizeReadsHalfWayToTheCentreBilinearly() {
        float[] src = new float[784], dst = new float[784];
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) src[r * 28 + c] = 100 * r + c; // linear in r and c, so bilinear is exact
        }
        MnistCnn.warp(src, dst, 0, 0, 2, 0, 0);
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                double sr = 13.5 + (r - 13.5) / 2, sc = 13.5 + (c - 13.5) / 2;
                assertEquals(100 * sr + sc, dst[r * 28 + c], 1e-3, "at " + r + ", " + c);
            }
        }
    }

    @Test
    void warpedDrawsWithinTheAugmentationsBoundsAndKeepsTheMass() {
        float[] v = new float[3 * 784];
        float blank = (float) (-0.1307 / 0.3081);
        java.util.Arrays.fill(v, blank);
        for (int img = 0; img < 3; img++) {
            for (int r = 10; r < 18; r++) {
                for (int c = 10; c < 18; c++) v[img * 784 + r * 28 + c] = 2.5f; // an 8 x 8 square at the centre
            }
        }
        float[] w = MnistCnn.warped(Tensor.of(v, 3, 1, 28, 28), new MnistCnn.Augmentation(1, 10, 0.1), new SplittableRandom(5))
                .toFloatArray();
        for (int img = 0; img < 3; img++) {
            double ink = 0;
            for (int i = 0; i < 784; i++) ink += w[img * 784 + i] - blank;
            // the square's area is 64 pixels times a size in [0.9, 1.1] squared
            double area = ink / (2.5 - blank);
            assertTrue(area > 64 * 0.81 - 3 && area < 64 * 1.21 + 3, "image " + img + ": area " + area);
            // a shift of at most 1 pixel and the rotation keep the corners blank
            assertEquals(blank, w[img * 784], 1e-6);
            assertEquals(blank, w[img * 784 + 783], 1e-6);
        }
        assertThrows(IllegalArgumentException.class, () -> new MnistCnn.Augmentation(1, 50, 0));
        assertThrows(IllegalArgumentException.class, () -> new MnistCnn.Augmentation(1, 0, 0.5));
    }

    @Test
    void trainsChecksPointsAndResumesBitForBit() throws Exception {
        MnistTraining.Result straight = MnistCnn.train(data, config(2, null, null), Device.CPU, ProgressBar.Style.OFF, QUIET);
        assertTrue(straight.testAccuracy() >= 0.8, "ten separated squares: test accuracy " + straight.testAccuracy());

        Path ck = dir.resolve("ck/cnn.safetensors");
        MnistCnn.train(data, config(1, ck, null), Device.CPU, ProgressBar.Style.OFF, QUIET);
        Checkpoint saved = Checkpoint.load(ck);
        assertEquals("1", saved.metadata().get("epoch"));
        assertTrue(saved.model().containsKey("0.weight") && saved.model().containsKey("3.weight"), saved.model().keySet().toString());
        MnistTraining.Result resumed = MnistCnn.train(data, config(2, ck, ck), Device.CPU, ProgressBar.Style.OFF, QUIET);
        assertEquals(2, resumed.firstEpoch());
        // same shuffles, learning rates, augmentation draws and Adam moments: the same weights, bit for bit
        Map<String, Tensor> a = straight.model().stateDict(), b = resumed.model().stateDict();
        for (String key : a.keySet()) assertArrayEquals(a.get(key).toFloatArray(), b.get(key).toFloatArray(), 0f, key);
        assertEquals(straight.history().get(1).trainLoss(), resumed.history().get(1).trainLoss(), 0);
        assertEquals(straight.testAccuracy(), resumed.testAccuracy(), 0);
        assertEquals(2, resumed.history().size(), "the history keeps the resumed epoch");
        assertEquals(MnistTraining.parseHistory(Checkpoint.load(ck).metadata().get("history")), resumed.history());
    }

    @Test
    void theCommandLineWritesTheChartFiltersAndMisclassifiedDigits() throws Exception {
        Path out = dir.resolve("out");
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run("--device", "cpu", "cnn", "--data", data.toString(), "--epochs", "1", "--checkpoint",
                    dir.resolve("cli.safetensors").toString(), "--out", out.toString());
        } finally {
            System.setOut(old);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.contains("epoch 1/1: train loss") && text.contains("final test accuracy"), text);
        for (String png : new String[]{"cnn-curves.png", "cnn-filters.png", "cnn-misclassified.png"}) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
    }

    /** A few hundred real digits (when ../shared/data is present): two epochs learn them far above chance. */
    @Test
    void realDigitsSmokeRun() throws Exception {
        Path real = TestData.sharedData().map(d -> d.resolve("mnist-10k")).orElse(null);
        assumeTrue(real != null && Files.isDirectory(real), "the real data mnist-10k is not in ../shared/data");
        Mnist.Split split = Mnist.load(real);
        Path small = dir.resolve("real-subset");
        Files.createDirectories(small);
        writeSubset(small, "train", split.train().x(), split.train().y(), 640);
        writeSubset(small, "t10k", split.test().x(), split.test().y(), 200);
        MnistTraining.Result r = MnistCnn.train(small, new MnistCnn.Config(2, 32, 2e-3, 0.85, 1, 1, null, null), Device.CPU,
                ProgressBar.Style.OFF, QUIET);
        assertTrue(r.testAccuracy() >= 0.6, "test accuracy " + r.testAccuracy() + " on 200 real digits after 2 epochs on 640");
    }

    /** The first n images (pixels in [0, 1]) and labels as IDX files. */
    private static void writeSubset(Path dir, String prefix, Tensor x, Tensor y, int n) throws IOException {
        float[] px = x.narrow(0, 0, n).contiguous().toFloatArray();
        long[] labels = y.narrow(0, 0, n).contiguous().toLongArray();
        byte[] bytes = new byte[px.length];
        for (int i = 0; i < px.length; i++) bytes[i] = (byte) Math.round(px[i] * 255);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")))) {
            out.writeInt(2051);
            out.writeInt(n);
            out.writeInt(28);
            out.writeInt(28);
            out.write(bytes);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            out.writeInt(2049);
            out.writeInt(n);
            for (long l : labels) out.writeByte((int) l);
        }
    }
}
