package io.jgrad.data;

import io.jgrad.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST (and any data set in its IDX format, such as Fashion-MNIST). An IDX file is a big-endian int32 magic
 * number (2051 for images, 2049 for labels), an int32 count, for images int32 rows and cols, then unsigned bytes.
 * Files may be gzip-compressed; that is detected from the content, not the file name.
 * <p>
 * Every header field is checked, and a file that is truncated, too long, has the wrong magic number or disagrees
 * with its partner file is refused with an {@link IOException} naming the file and the problem.
 */
public final class Mnist {
    /** The magic number of an IDX image file: unsigned bytes (0x08), 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** The magic number of an IDX label file: unsigned bytes (0x08), 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final String[] TRAIN = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"};
    private static final String[] TEST = {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private Mnist() {
    }

    /** Grey-level images as stored: {@code count} images of {@code rows x cols} unsigned bytes, row-major. */
    public static final class Images {
        private final int count;
        private final int rows;
        private final int cols;
        private final byte[] pixels;

        Images(int count, int rows, int cols, byte[] pixels) {
            this.count = count;
            this.rows = rows;
            this.cols = cols;
            this.pixels = pixels;
        }

        public int count() {
            return count;
        }

        public int rows() {
            return rows;
        }

        public int cols() {
            return cols;
        }

        /** The grey level, 0 to 255, of one pixel. */
        public int pixel(int image, int row, int col) {
            if (image < 0 || image >= count || row < 0 || row >= rows || col < 0 || col >= cols) {
                throw new IndexOutOfBoundsException("pixel (" + image + ", " + row + ", " + col + ") outside "
                        + count + " images of " + rows + "x" + cols);
            }
            return pixels[(image * rows + row) * cols + col] & 0xff;
        }

        /** All pixels scaled to [0, 1] (grey level / 255), image after image, row-major. */
        public float[] toFloats() {
            float[] out = new float[pixels.length];
            for (int i = 0; i < out.length; i++) out[i] = (pixels[i] & 0xff) / 255f;
            return out;
        }

        /** The images as a float32 tensor [count, rows * cols] in [0, 1], on the default device. */
        public Tensor toTensor() {
            return Tensor.of(toFloats(), count, rows * cols);
        }
    }

    /** The training and test sets, x float32 [n, 784] in [0, 1] and y int64 [n]. */
    public record Split(TensorDataset train, TensorDataset test) {
    }

    /**
     * Loads MNIST from a folder holding the four standard files, each either gzip-compressed ({@code .gz}) or raw:
     * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
     * {@code t10k-labels-idx1-ubyte}.
     */
    public static Split load(Path dir) throws IOException {
        return new Split(loadPair(dir, TRAIN), loadPair(dir, TEST));
    }

    private static TensorDataset loadPair(Path dir, String[] names) throws IOException {
        Path imageFile = find(dir, names[0]);
        Path labelFile = find(dir, names[1]);
        Images images = readImages(imageFile);
        long[] labels = readLabels(labelFile);
        if (labels.length != images.count()) {
            throw new IOException(imageFile + " holds " + images.count() + " images but " + labelFile + " holds "
                    + labels.length + " labels");
        }
        return new TensorDataset(images.toTensor(), Tensor.of(labels, labels.length));
    }

    /** The raw or the gzip-compressed file of that name. */
    static Path find(Path dir, String name) throws NoSuchFileException {
        Path raw = dir.resolve(name);
        if (Files.isRegularFile(raw)) return raw;
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        throw new NoSuchFileException(raw.toString(), null, "MNIST file missing (looked for " + name + " and "
                + name + ".gz)");
    }

    /** Reads an IDX image file (magic 2051). */
    public static Images readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            readMagic(in, file, IMAGES_MAGIC);
            int count = readDimension(in, file, "image count");
            int rows = readDimension(in, file, "row count");
            int cols = readDimension(in, file, "column count");
            if (rows == 0 || cols == 0) throw new IOException(file + ": images of " + rows + "x" + cols + " pixels are empty");
            long size = (long) count * rows * cols;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + count + " images of " + rows + "x" + cols + " are too many to hold in memory");
            }
            byte[] pixels = readBody(in, file, (int) size, count + " images of " + rows + "x" + cols);
            return new Images(count, rows, cols, pixels);
        }
    }

    /** Reads an IDX label file (magic 2049): one value, 0 to 255, per example. */
    public static long[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            readMagic(in, file, LABELS_MAGIC);
            int count = readDimension(in, file, "label count");
            byte[] body = readBody(in, file, count, count + " labels");
            long[] labels = new long[count];
            for (int i = 0; i < count; i++) labels[i] = body[i] & 0xff;
            return labels;
        }
    }

    /** Opens a file, decompressing it if it starts with the gzip magic bytes 1f 8b. */
    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) in = new GZIPInputStream(in, 1 << 16);
            return new DataInputStream(in);
        } catch (IOException e) {
            in.close();
            throw new IOException(file + ": cannot read gzip stream: " + e.getMessage(), e);
        }
    }

    private static void readMagic(DataInputStream in, Path file, int expected) throws IOException {
        int magic = readHeaderInt(in, file, "magic number");
        if (magic == expected) return;
        String kind = expected == IMAGES_MAGIC ? "image" : "label";
        String hint = magic == IMAGES_MAGIC ? " (that is an image file)" : magic == LABELS_MAGIC ? " (that is a label file)" : "";
        throw new IOException(file + ": not an IDX " + kind + " file: magic number " + magic + hint + ", expected " + expected);
    }

    private static int readDimension(DataInputStream in, Path file, String what) throws IOException {
        int value = readHeaderInt(in, file, what);
        if (value < 0) throw new IOException(file + ": negative " + what + " " + value + " (corrupt header)");
        return value;
    }

    private static int readHeaderInt(DataInputStream in, Path file, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IOException(file + ": truncated header: file ends before the " + what, e);
        } catch (ZipException e) {
            throw new IOException(file + ": corrupt gzip data: " + e.getMessage(), e);
        }
    }

    /** Exactly {@code length} bytes, then the end of the data. */
    private static byte[] readBody(InputStream in, Path file, int length, String what) throws IOException {
        // readNBytes grows its buffer as data arrives, so a header that lies about the count cannot force a huge allocation
        byte[] body;
        boolean trailing;
        try {
            body = in.readNBytes(length);
            trailing = in.read() != -1;
        } catch (EOFException | ZipException e) {
            throw new IOException(file + ": corrupt or truncated gzip data: " + e.getMessage(), e);
        }
        if (body.length < length) {
            throw new IOException(file + ": truncated: the header promises " + what + " (" + length + " bytes) but only "
                    + body.length + " follow");
        }
        if (trailing) throw new IOException(file + ": unexpected data after the " + what + " the header declares");
        return body;
    }
}
