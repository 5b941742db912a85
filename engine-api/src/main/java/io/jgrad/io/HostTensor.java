package io.jgrad.io;

import io.jgrad.DType;
import io.jgrad.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A tensor's elements decoded into a host array ({@code float[]}, {@code double[]}, {@code long[]}, {@code int[]},
 * {@code boolean[]}, or {@code short[]} bit patterns for float16 and bfloat16, per dtype),
 * before any device memory is touched. The reader decodes every tensor of a file this way first, so a file that
 * fails half way produces no tensors at all.
 */
final class HostTensor {
    /** Bytes read per step: a multiple of every element size, small enough to stay in cache. */
    private static final int CHUNK = 1 << 16;

    final String name;
    final DType dtype;
    final int[] shape;
    final Object values;

    private HostTensor(String name, DType dtype, int[] shape, Object values) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.values = values;
    }

    /**
     * Decodes every tensor the (already validated) header describes, in header order. A file whose tensors need more
     * memory than the heap can ever give is refused before anything is allocated (a sparse file can claim far more
     * than the disk holds), and running out of memory part way is reported as a {@link CheckpointException} naming
     * the file and the tensor, not as an {@link OutOfMemoryError}.
     */
    static List<HostTensor> decodeAll(ByteSource source, SafetensorsHeader header, String origin) throws IOException {
        long needed = 0;
        for (SafetensorsHeader.Entry e : header.entries) needed += hostBytes(e);
        long heap = Runtime.getRuntime().maxMemory();
        if (needed > heap) {
            throw SafetensorsHeader.fail(origin, "its tensors need " + needed + " bytes of memory to load, more than the "
                    + heap + "-byte heap (-Xmx) allows");
        }
        List<HostTensor> out = new ArrayList<>(header.entries.size());
        for (SafetensorsHeader.Entry e : header.entries) {
            try {
                out.add(decode(source, header.dataStart, e));
            } catch (OutOfMemoryError oom) {
                out.clear();
                throw new CheckpointException(origin + ": out of memory decoding tensor '" + e.name() + "' ("
                        + hostBytes(e) + " bytes; the file's tensors need " + needed + " in all, the heap allows " + heap + ")", oom);
            }
        }
        return out;
    }

    /** decodeAll without a file name, for tests. */
    static List<HostTensor> decodeAll(ByteSource source, SafetensorsHeader header) throws IOException {
        return decodeAll(source, header, "safetensors buffer");
    }

    /** The bytes of the host array a tensor decodes into. */
    private static long hostBytes(SafetensorsHeader.Entry e) {
        return e.numel() * e.dtype().byteSize;
    }

    private static HostTensor decode(ByteSource source, long dataStart, SafetensorsHeader.Entry e) throws IOException {
        int n = (int) e.numel(); // the header check bounds numel by MAX_ELEMENTS
        long start = dataStart + e.begin();
        Object values = switch (e.dtype()) {
            case F32 -> {
                float[] a = new float[n];
                readChunks(source, start, n, 4, (buf, at, count) -> buf.asFloatBuffer().get(a, at, count));
                yield a;
            }
            case F64 -> {
                double[] a = new double[n];
                readChunks(source, start, n, 8, (buf, at, count) -> buf.asDoubleBuffer().get(a, at, count));
                yield a;
            }
            case I64 -> {
                long[] a = new long[n];
                readChunks(source, start, n, 8, (buf, at, count) -> buf.asLongBuffer().get(a, at, count));
                yield a;
            }
            case I32 -> {
                int[] a = new int[n];
                readChunks(source, start, n, 4, (buf, at, count) -> buf.asIntBuffer().get(a, at, count));
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                // safetensors stores a bool as one byte; any non-zero byte reads as true
                readChunks(source, start, n, 1, (buf, at, count) -> {
                    for (int i = 0; i < count; i++) a[at + i] = buf.get(i) != 0;
                });
                yield a;
            }
            case F16, BF16 -> { // bit patterns, unchanged
                short[] a = new short[n];
                readChunks(source, start, n, 2, (buf, at, count) -> buf.asShortBuffer().get(a, at, count));
                yield a;
            }
        };
        return new HostTensor(e.name(), e.dtype().loadsAs, e.shape().clone(), values);
    }

    private interface ChunkSink {
        /** Consumes {@code count} little-endian elements from {@code chunk} (position 0), element {@code at} onwards. */
        void accept(ByteBuffer chunk, int at, int count);
    }

    private static void readChunks(ByteSource source, long start, int numel, int elementSize, ChunkSink sink)
            throws IOException {
        int perChunk = CHUNK / elementSize;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, (long) numel * elementSize)).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < numel; at += perChunk) {
            int count = Math.min(perChunk, numel - at);
            buf.clear().limit(count * elementSize);
            source.readFully(start + (long) at * elementSize, buf);
            buf.flip();
            sink.accept(buf, at, count);
        }
    }

    /** Uploads to the default device; a 0-d shape stays 0-d. */
    Tensor toTensor() {
        // Tensor.of with an empty shape makes a 1-D tensor, so 0-d tensors are made as [1] and reshaped
        int[] uploadShape = shape.length == 0 ? new int[]{1} : shape;
        Tensor t;
        if (values instanceof float[]) {
            t = Tensor.of((float[]) values, uploadShape);
        } else if (values instanceof double[]) {
            t = Tensor.of((double[]) values, uploadShape);
        } else if (values instanceof long[]) {
            t = Tensor.of((long[]) values, uploadShape);
        } else if (values instanceof int[]) {
            t = Tensor.of((int[]) values, uploadShape);
        } else if (values instanceof short[]) {
            t = Tensor.ofHalfBits((short[]) values, dtype, uploadShape);
        } else {
            t = Tensor.of((boolean[]) values, uploadShape);
        }
        return shape.length == 0 ? t.reshape() : t;
    }
}
