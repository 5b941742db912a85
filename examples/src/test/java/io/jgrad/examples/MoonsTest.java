package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Grad;
import io.jgrad.Tensor;
import io.jgrad.data.ToyData;
import io.jgrad.nn.Sequential;
import io.jgrad.scalar.MLP;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoonsTest {

    private static final long SEED = 1337;
    private final ToyData data = ToyData.moons(100, 0.1, SEED);

    @TempDir
    Path dir;

    @BeforeEach
    void cpu() {
        System.setProperty("java.awt.headless", "true");
        Backends.setDefaultDevice(Device.CPU);
    }

    @AfterEach
    void reset() {
        Backends.setDefaultDevice(null);
    }

    @Test
    void scalarEngineSeparatesTheMoons() {
        Moons.Result r = Moons.trainScalar(data, 100, SEED, ProgressBar.Style.OFF);
        assertTrue(r.accuracy() >= 0.95, "scalar accuracy " + r.accuracy());
        // 100 pre-update points and the final evaluation.
        assertEquals(101, r.lossCurve().size());
        double first = r.lossCurve().ys()[0];
        assertTrue(r.loss() < first / 5, "loss should fall well below its start " + first + ", got " + r.loss());
        assertEquals(r.loss(), r.lossCurve().lastY(), 0);
    }

    @Test
    void tensorEngineSeparatesTheMoonsInFloat32() {
        Moons.Result r = Moons.trainTensor(data, 100, SEED, Device.CPU, DType.FLOAT32, ProgressBar.Style.OFF);
        assertTrue(r.accuracy() >= 0.95, "tensor accuracy " + r.accuracy());
        assertTrue(r.loss() < r.lossCurve().ys()[0] / 5, "loss did not fall: " + r.loss());
        // The classifier agrees with the reported accuracy on the training points.
        double[] scores = r.classifier().apply(data.x());
        int correct = 0;
        for (int i = 0; i < scores.length; i++) if ((scores[i] > 0) == (data.y()[i] == 1)) correct++;
        assertEquals(r.accuracy(), correct / 100.0, 1e-12);
    }

    @Test
    void inFloat64TheTensorEngineRetracesTheScalarEngineStepForStep() {
        // Same initial weights, same loss, same schedule: only the summation order differs.
        Moons.Result scalar = Moons.trainScalar(data, 100, SEED, ProgressBar.Style.OFF);
        Moons.Result tensor = Moons.trainTensor(data, 100, SEED, Device.CPU, DType.FLOAT64, ProgressBar.Style.OFF);
        double[] a = scalar.lossCurve().ys();
        double[] b = tensor.lossCurve().ys();
        assertEquals(a.length, b.length);
        for (int k = 0; k < a.length; k++) {
            assertEquals(a[k], b[k], 1e-9 * Math.max(1, Math.abs(a[k])), "loss at step " + k);
        }
        assertEquals(scalar.accuracy(), tensor.accuracy(), 0);
    }

    @Test
    void theTensorTwinHoldsTheScalarWeights() {
        MLP scalar = new MLP(2, Moons.LAYERS, 7);
        Sequential twin = Moons.tensorMlp(scalar, DType.FLOAT32);
        assertEquals(5, twin.size()); // Linear, ReLU, Linear, ReLU, Linear
        double[][] points = {{0.3, -0.2}, {1.5, 0.7}, {-1, 1}};
        try (Grad.Mode noGrad = Grad.disabled()) {
            float[] out = twin.forward(Tensor.of(new float[] {0.3f, -0.2f, 1.5f, 0.7f, -1f, 1f}, 3, 2)).toFloatArray();
            for (int i = 0; i < points.length; i++) {
                double expected = scalar.apply(points[i])[0].data();
                assertEquals(expected, out[i], 1e-5 * Math.max(1, Math.abs(expected)), "point " + i);
            }
        }
    }

    @Test
    void commandLineRunsBothEnginesAndWritesThePictures() throws Exception {
        int status = Main.run("--device", "cpu", "--seed", "1337", "moons", "--out", dir.toString());
        assertEquals(0, status);
        for (String name : new String[] {"moons-scalar.png", "moons-tensor.png", "moons-curves.png"}) {
            Path file = dir.resolve(name);
            assertTrue(Files.size(file) > 1000, name + " is missing or empty");
            BufferedImage image = ImageIO.read(file.toFile());
            assertTrue(image.getWidth() >= 480, name + " width " + image.getWidth());
        }
    }
}
