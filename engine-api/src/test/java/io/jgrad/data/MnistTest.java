package io.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX parser, on small files written here byte by byte (raw and gzip) and on the real MNIST subset. */
class MnistTest {
    @TempDir
    Path dir;

    /** Big-endian IDX: magic, dimensions, then the body. */
    private static byte[] idx(int magic, int[] dims, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + body.length);
        b.putInt(magic);
        for (int d : dims) b.putInt(d);
        b.put(body);
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    /** Two 3x4 images with pixel values 0..11, 244..255 (row-major, image after image). */
    private static final byte[] PIXELS = {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
        (byte) 244, (byte) 245, (byte) 246, (byte) 247, (byte) 248, (byte) 249,
        (byte) 250, (byte) 251, (byte) 252, (byte) 253, (byte) 254, (byte) 255};

    @Test
    void readsRawAndGzipImagesAlike() throws IOException {
        byte[] raw = idx(2051, new int[]{2, 3, 4}, PIXELS);
        // names deliberately lie about compression: detection is by content
        for (Path file : new Path[]{write("images.gz", raw), write("images.raw", gzip(raw))}) {
            Mnist.Images images = Mnist.readImages(file);
            assertEquals(2, images.count());
            assertEquals(3, images.rows());
            assertEquals(4, images.cols());
            assertEquals(0, images.pixel(0, 0, 0));
            assertEquals(6, images.pixel(0, 1, 2));
            assertEquals(11, images.pixel(0, 2, 3));
            assertEquals(244, images.pixel(1, 0, 0), "pixels are unsigned");
            assertEquals(255, images.pixel(1, 2, 3));
            float[] floats = images.toFloats();
            assertEquals(24, floats.length);
            assertEquals(0f, floats[0]);
            assertEquals(5 / 255f, floats[5]);
            assertEquals(1f, floats[23]);
            assertThrows(IndexOutOfBoundsException.class, () -> images.pixel(2, 0, 0));
        }
    }

    @Test
    void readsLabelsRawAndGzip() throws IOException {
        byte[] raw = idx(2049, new int[]{4}, new byte[]{7, 0, 9, (byte) 200});
        assertArrayEquals(new long[]{7, 0, 9, 200}, Mnist.readLabels(write("l", raw)));
        assertArrayEquals(new long[]{7, 0, 9, 200}, Mnist.readLabels(write("l.gz", gzip(raw))));
    }

    @Test
    void emptyFilesWithZeroCountAreValid() throws IOException {
        assertEquals(0, Mnist.readImages(write("i", idx(2051, new int[]{0, 28, 28}, new byte[0]))).count());
        assertEquals(0, Mnist.readLabels(write("l", idx(2049, new int[]{0}, new byte[0]))).length);
    }

    @Test
    void refusesWrongMagicNamingTheSwap() throws IOException {
        Path labels = write("labels", idx(2049, new int[]{1}, new byte[]{3}));
        IOException e = assertThrows(IOException.class, () -> Mnist.readImages(labels));
        assertTrue(e.getMessage().contains("magic number 2049") && e.getMessage().contains("label file")
                && e.getMessage().contains("expected 2051"), e.getMessage());
        Path images = write("images", idx(2051, new int[]{1, 1, 1}, new byte[]{3}));
        e = assertThrows(IOException.class, () -> Mnist.readLabels(images));
        assertTrue(e.getMessage().contains("magic number 2051") && e.getMessage().contains("expected 2049"), e.getMessage());
        Path garbage = write("garbage", "hello world, not idx".getBytes());
        e = assertThrows(IOException.class, () -> Mnist.readImages(garbage));
        assertTrue(e.getMessage().contains("not an IDX image file"), e.getMessage());
    }

    @Test
    void refusesTruncatedFilesAtEveryLength() throws IOException {
        byte[] raw = idx(2051, new int[]{2, 3, 4}, PIXELS);
        for (int len = 0; len < raw.length; len++) {
            byte[] cut = Arrays.copyOf(raw, len);
            Path rawFile = write("cut", cut);
            IOException e = assertThrows(IOException.class, () -> Mnist.readImages(rawFile), "length " + len);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            Path gzFile = write("cut.gz", gzip(cut));
            e = assertThrows(IOException.class, () -> Mnist.readImages(gzFile), "gzip of length " + len);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        // a gzip stream cut short is refused too, with the file named
        byte[] gz = gzip(raw);
        Path cutGz = write("cutgz", Arrays.copyOf(gz, gz.length - 12));
        IOException e = assertThrows(IOException.class, () -> Mnist.readImages(cutGz));
        assertTrue(e.getMessage().contains(cutGz.toString()), e.getMessage());
    }

    @Test
    void refusesCountMismatchAndTrailingData() throws IOException {
        // header says 3 images, body holds 2
        Path short3 = write("a", idx(2051, new int[]{3, 3, 4}, PIXELS));
        IOException e = assertThrows(IOException.class, () -> Mnist.readImages(short3));
        assertTrue(e.getMessage().contains("3 images of 3x4 (36 bytes) but only 24 follow"), e.getMessage());
        // header says 1 image, body holds 2
        Path long1 = write("b", idx(2051, new int[]{1, 3, 4}, PIXELS));
        e = assertThrows(IOException.class, () -> Mnist.readImages(long1));
        assertTrue(e.getMessage().contains("unexpected data after"), e.getMessage());
        Path labels = write("c", idx(2049, new int[]{5}, new byte[]{1, 2}));
        e = assertThrows(IOException.class, () -> Mnist.readLabels(labels));
        assertTrue(e.getMessage().contains("5 labels"), e.getMessage());
    }

    @Test
    void refusesHostileDimensionsWithoutAllocatingThem() throws IOException {
        Path negative = write("n", idx(2051, new int[]{-1, 28, 28}, new byte[0]));
        IOException e = assertThrows(IOException.class, () -> Mnist.readImages(negative));
        assertTrue(e.getMessage().contains("negative image count"), e.getMessage());
        Path zeroRows = write("z", idx(2051, new int[]{1, 0, 28}, new byte[0]));
        assertThrows(IOException.class, () -> Mnist.readImages(zeroRows));
        // 2^31-1 images of 28x28 would be 1.6 TB
        Path huge = write("h", idx(2051, new int[]{Integer.MAX_VALUE, 28, 28}, new byte[16]));
        e = assertThrows(IOException.class, () -> Mnist.readImages(huge));
        assertTrue(e.getMessage().contains("too many"), e.getMessage());
        // 100 million labels claimed, 3 present: refused as truncated, not by running out of memory
        Path lying = write("l", idx(2049, new int[]{100_000_000}, new byte[3]));
        e = assertThrows(IOException.class, () -> Mnist.readLabels(lying));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void findsRawOrGzipFilesAndNamesMissingOnes() throws IOException {
        write("train-images-idx3-ubyte.gz", new byte[0]);
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz"), Mnist.find(dir, "train-images-idx3-ubyte"));
        write("train-images-idx3-ubyte", new byte[0]);
        assertEquals(dir.resolve("train-images-idx3-ubyte"), Mnist.find(dir, "train-images-idx3-ubyte"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ real data

    /**
     * The shared test data, {@code ../shared/data} from the project root: walks up from the working directory (a
     * module folder under Maven) to the outermost folder with a pom.xml, looking for shared/data at each level and
     * beside the root. Null when absent.
     */
    static Path sharedData() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("shared").resolve("data"))) return p.resolve("shared").resolve("data");
            boolean projectRoot = Files.exists(p.resolve("pom.xml")) && (p.getParent() == null
                    || !Files.exists(p.getParent().resolve("pom.xml")));
            if (projectRoot) {
                Path beside = p.resolveSibling("shared").resolve("data");
                return Files.isDirectory(beside) ? beside : null;
            }
            p = p.getParent();
        }
        return null;
    }

    @Test
    void readsTheRealMnistSubset() throws IOException {
        Path data = sharedData();
        Assumptions.assumeTrue(data != null && Files.isDirectory(data.resolve("mnist-10k")),
                "shared/data/mnist-10k is absent (a fresh clone without the test data)");
        Path mnist = data.resolve("mnist-10k");
        Mnist.Images train = Mnist.readImages(mnist.resolve("train-images-idx3-ubyte.gz"));
        Mnist.Images test = Mnist.readImages(mnist.resolve("t10k-images-idx3-ubyte.gz"));
        long[] trainLabels = Mnist.readLabels(mnist.resolve("train-labels-idx1-ubyte.gz"));
        long[] testLabels = Mnist.readLabels(mnist.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(8000, train.count());
        assertEquals(2000, test.count());
        assertEquals(28, train.rows());
        assertEquals(28, train.cols());
        assertEquals(8000, trainLabels.length);
        assertEquals(2000, testLabels.length);
        // first labels as read by an independent reader (Python gzip + struct)
        assertArrayEquals(new long[]{1, 2, 8, 3, 4, 5, 9, 2, 7, 7}, Arrays.copyOf(trainLabels, 10));
        assertArrayEquals(new long[]{2, 7, 0, 6, 8, 6, 6, 6, 2, 8}, Arrays.copyOf(testLabels, 10));
        long[] perClass = new long[10];
        for (long l : trainLabels) perClass[(int) l]++; // fails with an index error if a label is outside 0..9
        assertArrayEquals(new long[]{820, 899, 801, 856, 762, 677, 806, 867, 727, 785}, perClass);
        int min = 255, max = 0;
        long firstImageSum = 0;
        for (int i = 0; i < train.count(); i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    int v = train.pixel(i, r, c);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    if (i == 0) firstImageSum += v;
                }
            }
        }
        assertEquals(0, min);
        assertEquals(255, max);
        assertEquals(14635, firstImageSum);
        assertEquals(253, train.pixel(0, 14, 14));
    }
}
