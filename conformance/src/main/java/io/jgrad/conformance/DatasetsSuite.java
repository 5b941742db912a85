package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.jgrad.DType;

import io.jgrad.Shape;
import io.jgrad.Tensor;
import io.jgrad.data.CharVocab;
import io.jgrad.data.DataLoader;
import io.jgrad.data.Datasets;
import io.jgrad.data.Mnist;
import io.jgrad.data.TensorDataset;
import io.jgrad.data.ToyData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Assumptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data sets as tensors: toy sets, MNIST (synthetic and real files) and makemore's context windows. */
public abstract class DatasetsSuite extends DeviceSuite {

    @TempDir
    Path dir;

    /**
     * The shared test data ({@code ../shared/data} from the project root), found by walking up from the working
     * directory to the outermost folder with a pom.xml; null when absent.
     */
    static Path sharedData() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("shared").resolve("data"))) return p.resolve("shared").resolve("data");
            boolean projectRoot = Files.exists(p.resolve("pom.xml"))
                    && (p.getParent() == null || !Files.exists(p.getParent().resolve("pom.xml")));
            if (projectRoot) {
                Path beside = p.resolveSibling("shared").resolve("data");
                return Files.isDirectory(beside) ? beside : null;
            }
            p = p.getParent();
        }
        return null;
    }

    private static void assertMatchesToyData(ToyData expected, TensorDataset actual) {
        int n = expected.size();
        assertEquals(Shape.of(n, 2), actual.x().shape());
        assertEquals(Shape.of(n), actual.y().shape());
        assertEquals(DType.FLOAT32, actual.x().dtype());
        assertEquals(DType.INT64, actual.y().dtype());
        float[] x = actual.x().toFloatArray();
        long[] y = actual.y().toLongArray();
        double[][] points = expected.x();
        int[] labels = expected.y();
        for (int i = 0; i < n; i++) {
            assertEquals((float) points[i][0], x[2 * i]);
            assertEquals((float) points[i][1], x[2 * i + 1]);
            assertEquals(labels[i], y[i]);
        }
    }

    @Test
    void toySetsAreToyDataAsTensors() {
        assertMatchesToyData(ToyData.moons(101, 0.1, 3), Datasets.moons(101, 0.1, 3));
        assertMatchesToyData(ToyData.circles(60, 0.05, 0.5, 4), Datasets.circles(60, 0.05, 0.5, 4));
        assertMatchesToyData(ToyData.spirals(90, 3, 0.2, 5), Datasets.spirals(90, 3, 0.2, 5));
        assertEquals(device(), Datasets.moons(10, 0.1, 1).x().device());
        assertThrows(IllegalArgumentException.class, () -> Datasets.moons(0, 0.1, 1));
    }

    // ------------------------------------------------------------------------------------------------ MNIST

    private static byte[] idx(int magic, int[] dims, byte[] body, boolean gzip) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + body.length);
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        b.put(body);
        if (!gzip) return b.array();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b.array());
        }
        return out.toByteArray();
    }

    @Test
    void mnistLoadsAFolderOfRawAndGzipFiles() throws IOException {
        // train: 3 images of 2x2, raw; test: 1 image, gzip
        byte[] trainPixels = {0, (byte) 255, 51, 102, 1, 2, 3, 4, (byte) 128, 0, 0, 0};
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(2051, new int[]{3, 2, 2}, trainPixels, false));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(2049, new int[]{3}, new byte[]{5, 0, 9}, false));
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), idx(2051, new int[]{1, 2, 2}, new byte[]{(byte) 255, 0, 0, 17}, true));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), idx(2049, new int[]{1}, new byte[]{7}, true));
        Mnist.Split split = Mnist.load(dir);
        assertEquals(Shape.of(3, 4), split.train().x().shape());
        assertEquals(DType.FLOAT32, split.train().x().dtype());
        assertEquals(DType.INT64, split.train().y().dtype());
        assertEquals(device(), split.train().x().device());
        assertArrayEquals(new float[]{0, 1, 0.2f, 0.4f, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f, 128 / 255f, 0, 0, 0},
                split.train().x().toFloatArray());
        assertArrayEquals(new long[]{5, 0, 9}, split.train().y().toLongArray());
        assertArrayEquals(new float[]{1, 0, 0, 17 / 255f}, split.test().x().toFloatArray());
        assertArrayEquals(new long[]{7}, split.test().y().toLongArray());

        // a label file that disagrees with its images is refused, naming both files
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(2049, new int[]{2}, new byte[]{5, 0}, false));
        IOException e = assertThrows(IOException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("3 images but") && e.getMessage().contains("2 labels"), e.getMessage());
    }

    @Test
    void realMnistSubset() throws IOException {
        Path data = sharedData();
        Assumptions.assumeTrue(data != null && Files.isDirectory(data.resolve("mnist-10k")),
                "shared/data/mnist-10k is absent (a fresh clone without the test data)");
        Mnist.Split split = Mnist.load(data.resolve("mnist-10k"));
        assertEquals(Shape.of(8000, 784), split.train().x().shape());
        assertEquals(Shape.of(2000, 784), split.test().x().shape());
        assertEquals(Shape.of(8000), split.train().y().shape());
        assertEquals(0.0, split.train().x().min().item());
        assertEquals(1.0, split.train().x().max().item());
        long[] labels = split.test().y().toLongArray();
        assertEquals(0, Arrays.stream(labels).min().getAsLong());
        assertEquals(9, Arrays.stream(labels).max().getAsLong());
        // the first training image's grey levels sum to 14635 (read independently with Python)
        assertEquals(14635 / 255.0, split.train().x().select(0, 0).to(DType.FLOAT64).sum().item(), 1e-3);
        // a loader over it yields full batches of flattened images
        DataLoader loader = DataLoader.builder(split.train()).batchSize(128).shuffle(true).dropLast(true).seed(1).build();
        assertEquals(62, loader.numBatches());
        assertEquals(Shape.of(128, 784), loader.iterator().next().x().shape());
    }

    // ------------------------------------------------------------------------------------------------ text

    @Test
    void contextWindowsAsInt64Tensors() {
        List<String> words = List.of("emma", "ab");
        CharVocab vocab = CharVocab.fromLines(words);
        TensorDataset data = vocab.contexts(words, 3);
        assertEquals(Shape.of(8, 3), data.x().shape());
        assertEquals(Shape.of(8), data.y().shape());
        assertEquals(DType.INT64, data.x().dtype());
        assertEquals(DType.INT64, data.y().dtype());
        assertEquals(device(), data.x().device());
        // . a b e m: "emma" -> (..., e) (..e, m) (.em, m) (emm, a) (mma, .), "ab" -> (..., a) (..a, b) (.ab, .)
        assertArrayEquals(new long[]{0, 0, 0, 0, 0, 3, 0, 3, 4, 3, 4, 4, 4, 4, 1, 0, 0, 0, 0, 0, 1, 0, 1, 2},
                data.x().toLongArray());
        assertArrayEquals(new long[]{3, 4, 4, 1, 0, 1, 2, 0}, data.y().toLongArray());
    }

    @Test
    void namesDataSetContexts() throws IOException {
        Path data = sharedData();
        Assumptions.assumeTrue(data != null && Files.isRegularFile(data.resolve("names/names.txt")),
                "shared/data/names/names.txt is absent (a fresh clone without the test data)");
        List<String> names = Files.readAllLines(data.resolve("names/names.txt"), StandardCharsets.UTF_8);
        CharVocab vocab = CharVocab.fromLines(names);
        TensorDataset windows = vocab.contexts(names, 3);
        long expected = names.stream().mapToLong(n -> n.length() + 1).sum();
        assertEquals(expected, windows.size());
        assertEquals(Shape.of((int) expected, 3), windows.x().shape());
        assertEquals(26, Arrays.stream(windows.y().toLongArray()).max().getAsLong());
        // "emma": its first two targets are e (5) and m (13)
        assertArrayEquals(new long[]{5, 13}, windows.y().slice(0, 0, 2).toLongArray());
    }
}
