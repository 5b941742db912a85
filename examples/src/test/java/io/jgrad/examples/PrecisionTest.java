package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.amp.Autocast;
import io.jgrad.amp.GradScaler;
import io.jgrad.io.Checkpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --precision}: parsing, the autocast scope and scaler of each choice, the header, and the checkpoint. */
class PrecisionTest {
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

    @Test
    void parsesTheThreeChoicesAndRefusesOthers() {
        assertEquals(Precision.FP32, Precision.parse("fp32"));
        assertEquals(Precision.BF16, Precision.parse("BF16"));
        assertEquals(Precision.FP16, Precision.parse(" fp16 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp8"));
        assertTrue(e.getMessage().contains("fp32, bf16 or fp16"), e.getMessage());
    }

    @Test
    void eachChoiceHasItsScopeAndScaler() {
        assertNull(Precision.FP32.autocast());
        try (Autocast ac = Precision.BF16.autocast()) {
            assertEquals(DType.BFLOAT16, Autocast.dtype());
        }
        try (Autocast ac = Precision.FP16.autocast()) {
            assertEquals(DType.FLOAT16, Autocast.dtype());
        }
        assertTrue(Precision.FP16.scaler().isEnabled());
        assertTrue(!Precision.BF16.scaler().isEnabled() && !Precision.FP32.scaler().isEnabled());
    }

    @Test
    void anFp16MnistRunPrintsItsPrecisionAndKeepsItAndTheScalerInTheCheckpoint() throws Exception {
        Path data = dir.resolve("mnist");
        Files.createDirectories(data);
        MnistMlpTest.writeSet(data, "train", 320, 1, true);
        MnistMlpTest.writeSet(data, "t10k", 100, 2, false);
        Path ck = dir.resolve("fp16.safetensors");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(text, true, StandardCharsets.UTF_8);
        MnistMlp.Config config = new MnistMlp.Config(1, 32, 3e-3, 32, 5, ck, null, Precision.FP16);
        MnistTraining.Result r = MnistMlp.train(data, config, Device.CPU, ProgressBar.Style.OFF, log);
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("fp16 (float16 autocast"), text.toString(StandardCharsets.UTF_8));
        assertTrue(r.testAccuracy() >= 0.8, "test accuracy " + r.testAccuracy());
        Checkpoint saved = Checkpoint.load(ck);
        assertEquals("fp16", saved.metadata().get(Precision.KEY));
        double scale = Double.parseDouble(saved.metadata().get(Precision.SCALER_PREFIX + "scale"));
        assertTrue(scale > 0 && scale <= 65536, "scale " + scale);
        GradScaler restored = Precision.FP16.scaler();
        Precision.restore(restored, saved.metadata());
        assertEquals(scale, restored.getScale());
        assertEquals(Double.parseDouble(saved.metadata().get(Precision.SCALER_PREFIX + "_growth_tracker")), restored.growthTracker());
        // and a resumed fp16 run continues from it
        MnistMlp.Config more = new MnistMlp.Config(2, 32, 3e-3, 32, 5, null, ck, Precision.FP16);
        assertEquals(1, MnistMlp.train(data, more, Device.CPU, ProgressBar.Style.OFF, log).epochs().size());
    }

    @Test
    void aBf16MnistRunLearnsAsFp32Does() throws Exception {
        Path data = dir.resolve("mnist");
        Files.createDirectories(data);
        MnistMlpTest.writeSet(data, "train", 320, 1, true);
        MnistMlpTest.writeSet(data, "t10k", 100, 2, false);
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        MnistTraining.Result fp32 = MnistMlp.train(data, new MnistMlp.Config(2, 32, 3e-3, 32, 5, null, null, Precision.FP32),
                Device.CPU, ProgressBar.Style.OFF, quiet);
        MnistTraining.Result bf16 = MnistMlp.train(data, new MnistMlp.Config(2, 32, 3e-3, 32, 5, null, null, Precision.BF16),
                Device.CPU, ProgressBar.Style.OFF, quiet);
        double lossFp32 = fp32.epochs().get(1).trainLoss(), lossBf16 = bf16.epochs().get(1).trainLoss();
        assertEquals(lossFp32, lossBf16, 0.05 * lossFp32 + 0.01, "the second epoch's training loss");
        assertEquals(fp32.testAccuracy(), bf16.testAccuracy(), 0.03, "test accuracy");
    }
}
