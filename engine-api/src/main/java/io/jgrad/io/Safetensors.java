package io.jgrad.io;

import io.jgrad.DType;
import io.jgrad.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format, which Python's
 * {@code safetensors} package and PyTorch read and write: an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw little-endian data.
 * <p>
 * Writing is atomic: the bytes go to a temporary file in the target's folder, are flushed to disk, and the file is
 * then renamed over the target, so a crash mid-save leaves the previous file intact. float32, float64, int64,
 * float16 and bfloat16 tensors are stored bit for bit (NaN payloads and -0.0 included) as F32, F64, I64, F16 and BF16,
 * and F16 and BF16 load as float16 and bfloat16 tensors with the file's bits.
 * <p>
 * Reading is safe on hostile input: the header is validated completely (lengths, shapes and byte ranges with
 * overflow-safe arithmetic, no duplicate names, ranges tiling the data section) before any tensor memory is
 * allocated, so the reader never allocates more than the file holds, and every tensor is decoded before any is returned. The header is decoded and parsed as a stream under
 * fixed limits, so parsing costs a few times the header's size at most: at most 100,000,000 header bytes, 65,536
 * tensors, 65,536 metadata entries, 64 dimensions per tensor, nesting 64 deep and 16 Mi characters per string.
 * Only regular files are read. A bad file raises {@link CheckpointException} naming the file; the writer refuses
 * (with {@link IllegalArgumentException}, before touching the disk) anything the reader would refuse, such as
 * lone UTF-16 surrogates in names or metadata. See docs/RELIABILITY.md for every limit.
 */
public final class Safetensors {
    private Safetensors() {
    }

    /**
     * What a safetensors file holds: tensors in header order (on the default device) and the string metadata,
     * both unmodifiable.
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /**
     * Writes {@code tensors} to {@code path} atomically, replacing any existing file (keeping its permissions; a
     * symbolic link is followed and stays a link).
     *
     * @param metadata string pairs stored under {@code __metadata__}; null or empty stores none
     * @throws IllegalArgumentException for a reserved or empty name, or a null tensor, before anything is written
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Plan plan = plan(tensors, metadata);
        AtomicFiles.write(path, channel -> plan.writeTo(channel));
    }

    /** The bytes {@link #write} would store, for in-memory use (files under 2 GiB). */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Plan plan = plan(tensors, metadata);
        long total = 8 + plan.header.length + plan.dataLength();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("safetensors: " + total + " bytes do not fit a byte array; write to a file");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) total);
        try {
            plan.writeTo(Channels.newChannel(out));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /**
     * Reads a safetensors file; tensors land on the default device. Only regular files are read: a directory, a
     * named pipe (which would block forever), a socket or a device is refused at once, naming the path.
     */
    public static Contents read(Path path) throws IOException {
        String origin = path.toString();
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class); // follows links
        if (attributes.isDirectory()) throw new CheckpointException(origin + ": is a directory, not a safetensors file");
        if (!attributes.isRegularFile()) {
            throw new CheckpointException(origin + ": is not a regular file (a named pipe, socket or device?); only regular files are read");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(ByteSource.of(channel, origin), origin);
        }
    }

    /** Reads safetensors bytes from {@code buffer}'s position to its limit; the buffer itself is not moved. */
    public static Contents read(ByteBuffer buffer) throws CheckpointException {
        try {
            return read(ByteSource.of(buffer), "safetensors buffer");
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading memory failed", e); // a buffer source only raises CheckpointException
        }
    }

    private static Contents read(ByteSource source, String origin) throws IOException {
        SafetensorsHeader header;
        try {
            header = SafetensorsHeader.read(source, origin);
        } catch (OutOfMemoryError e) {
            // within the limits a header costs a few times its size: this heap is smaller than that
            throw new CheckpointException(origin + ": out of memory parsing the header (heap of at most "
                    + Runtime.getRuntime().maxMemory() + " bytes)", e);
        }
        List<HostTensor> decoded = HostTensor.decodeAll(source, header, origin);
        // only now, with every tensor decoded, is any device memory allocated
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try {
            for (int i = 0; i < decoded.size(); i++) {
                HostTensor h = decoded.get(i);
                decoded.set(i, null); // the host copy can go once uploaded: at most one tensor is held twice
                tensors.put(h.name, h.toTensor());
            }
        } catch (OutOfMemoryError e) {
            tensors.values().forEach(Tensor::close);
            throw new CheckpointException(origin + ": out of memory while moving its tensors to the device ("
                    + e.getMessage() + ")", e);
        }
        return new Contents(Collections.unmodifiableMap(tensors), header.metadata);
    }

    // ------------------------------------------------------------------------------------------------ writing

    private static Plan plan(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "safetensors: tensors");
        List<String> names = new ArrayList<>();
        List<StoredDtype> dtypes = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        List<Tensor> ordered = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("safetensors: tensor names must not be empty");
            if (name.equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("safetensors: '" + name + "' is reserved for metadata, not a tensor name");
            }
            if (t == null) throw new IllegalArgumentException("safetensors: tensor '" + name + "' is null");
            checkText(name, "tensor name '" + name + "'");
            if (t.dim() > SafetensorsHeader.MAX_RANK) {
                throw new IllegalArgumentException("safetensors: tensor '" + name + "' has rank " + t.dim() + ", more than the "
                        + SafetensorsHeader.MAX_RANK + " dimensions a file may store");
            }
            if (t.numel() > SafetensorsHeader.MAX_ELEMENTS) {
                throw new IllegalArgumentException("safetensors: tensor '" + name + "' of shape " + t.shape() + " has " + t.numel()
                        + " elements, more than the " + SafetensorsHeader.MAX_ELEMENTS + " a file may store per tensor");
            }
            names.add(name);
            dtypes.add(StoredDtype.of(t.dtype()));
            shapes.add(t.shape().toArray());
            ordered.add(t);
        }
        if (metadata != null) {
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (m.getKey() == null || m.getValue() == null) {
                    throw new IllegalArgumentException("safetensors: metadata keys and values must not be null: " + m);
                }
                checkText(m.getKey(), "metadata key '" + m.getKey() + "'");
                checkText(m.getValue(), "metadata value of '" + m.getKey() + "'");
            }
        }
        if (names.size() > SafetensorsHeader.MAX_TENSORS) {
            throw new IllegalArgumentException("safetensors: " + names.size() + " tensors, more than the "
                    + SafetensorsHeader.MAX_TENSORS + " a file may hold");
        }
        int metadataEntries = metadata == null ? 0 : metadata.size();
        if (metadataEntries > SafetensorsHeader.MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException("safetensors: " + metadataEntries + " metadata entries, more than the "
                    + SafetensorsHeader.MAX_METADATA_ENTRIES + " a file may hold");
        }
        List<SafetensorsHeader.Entry> layout = SafetensorsHeader.layout(names, dtypes, shapes);
        byte[] header = SafetensorsHeader.encode(layout, metadata);
        if (header.length > SafetensorsHeader.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("safetensors: the header would be " + header.length + " bytes, more than the "
                    + SafetensorsHeader.MAX_HEADER_BYTES + " a reader accepts (too many or too long names and metadata)");
        }
        return new Plan(header, layout, ordered);
    }

    /**
     * Refuses a lone UTF-16 surrogate, which UTF-8 cannot encode (Java would write '?' and the text would read back
     * changed), and a string longer than the reader accepts.
     */
    private static void checkText(String text, String what) {
        int bad = SafetensorsHeader.loneSurrogate(text);
        if (bad >= 0) {
            throw new IllegalArgumentException("safetensors: " + what + " has a lone UTF-16 surrogate \\u"
                    + Integer.toHexString(text.charAt(bad)) + " at character " + bad + ", which UTF-8 cannot store");
        }
        long escaped = escapedLength(text);
        if (escaped > SafetensorsHeader.MAX_STRING_CHARS) {
            throw new IllegalArgumentException("safetensors: " + what + " is " + escaped + " characters long as JSON, more than the "
                    + SafetensorsHeader.MAX_STRING_CHARS + " a reader accepts");
        }
    }

    /** The length of {@code text} as the header's JSON writer escapes it. */
    private static long escapedLength(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f') n += 2;
            else if (c < 0x20 || c == '\u2028' || c == '\u2029') n += 6;
            else n++;
        }
        return n;
    }

    /** A validated layout, ready to stream: header first, then each tensor's bytes in offset order. */
    private static final class Plan {
        private static final int CHUNK = 1 << 16;
        final byte[] header;
        final List<SafetensorsHeader.Entry> layout;
        final List<Tensor> tensors;

        Plan(byte[] header, List<SafetensorsHeader.Entry> layout, List<Tensor> tensors) {
            this.header = header;
            this.layout = layout;
            this.tensors = tensors;
        }

        long dataLength() {
            long n = 0;
            for (SafetensorsHeader.Entry e : layout) n += e.byteLength();
            return n;
        }

        void writeTo(WritableByteChannel out) throws IOException {
            ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeFully(out, lengthField);
            writeFully(out, ByteBuffer.wrap(header));
            List<Integer> byOffset = new ArrayList<>();
            for (int i = 0; i < layout.size(); i++) byOffset.add(i);
            byOffset.sort((a, b) -> Long.compare(layout.get(a).begin(), layout.get(b).begin()));
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (int i : byOffset) writeData(out, tensors.get(i), chunk);
        }

        private static void writeData(WritableByteChannel out, Tensor t, ByteBuffer chunk) throws IOException {
            DType dtype = t.dtype();
            if (dtype == DType.FLOAT32) {
                float[] a = t.toFloatArray();
                int per = CHUNK / 4;
                for (int at = 0; at < a.length; at += per) {
                    int n = Math.min(per, a.length - at);
                    chunk.clear();
                    chunk.asFloatBuffer().put(a, at, n);
                    chunk.limit(4 * n);
                    writeFully(out, chunk);
                }
            } else if (dtype == DType.FLOAT64) {
                double[] a = t.toDoubleArray();
                int per = CHUNK / 8;
                for (int at = 0; at < a.length; at += per) {
                    int n = Math.min(per, a.length - at);
                    chunk.clear();
                    chunk.asDoubleBuffer().put(a, at, n);
                    chunk.limit(8 * n);
                    writeFully(out, chunk);
                }
            } else if (dtype == DType.INT32) {
                int[] a = t.toIntArray();
                int per = CHUNK / 4;
                for (int at = 0; at < a.length; at += per) {
                    int n = Math.min(per, a.length - at);
                    chunk.clear();
                    chunk.asIntBuffer().put(a, at, n);
                    chunk.limit(4 * n);
                    writeFully(out, chunk);
                }
            } else if (dtype.isHalf()) {
                short[] a = t.toHalfBits();
                int per = CHUNK / 2;
                for (int at = 0; at < a.length; at += per) {
                    int n = Math.min(per, a.length - at);
                    chunk.clear();
                    chunk.asShortBuffer().put(a, at, n);
                    chunk.limit(2 * n);
                    writeFully(out, chunk);
                }
            } else if (dtype == DType.BOOL) {
                boolean[] a = t.toBooleanArray();
                for (int at = 0; at < a.length; at += CHUNK) {
                    int n = Math.min(CHUNK, a.length - at);
                    chunk.clear();
                    for (int i = 0; i < n; i++) chunk.put(i, (byte) (a[at + i] ? 1 : 0));
                    chunk.limit(n);
                    writeFully(out, chunk);
                }
            } else {
                long[] a = t.toLongArray();
                int per = CHUNK / 8;
                for (int at = 0; at < a.length; at += per) {
                    int n = Math.min(per, a.length - at);
                    chunk.clear();
                    chunk.asLongBuffer().put(a, at, n);
                    chunk.limit(8 * n);
                    writeFully(out, chunk);
                }
            }
        }

        private static void writeFully(WritableByteChannel out, ByteBuffer buf) throws IOException {
            while (buf.hasRemaining()) out.write(buf);
        }
    }
}
