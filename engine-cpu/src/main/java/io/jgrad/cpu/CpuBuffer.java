package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.spi.Buffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A heap buffer: one Java array of the dtype's element type (bool: boolean[], int32: int[], float16 and bfloat16:
 * short[] bit patterns, see {@link io.jgrad.HalfFloat}). Kernels reach it
 * through {@link #array()} or a typed accessor such as {@link #floats()}, which throw once the buffer is closed. Every buffer owns
 * its array (uploads are copies), so closing one hands a large array to {@link ArrayPool} for the next allocation of
 * that size: a training step frees and asks for the same sizes every step, and a recycled array skips the zeroing of
 * a fresh one and is usually still in cache.
 */
final class CpuBuffer implements Buffer {
    private final DType dtype;
    /** float[], double[], long[], int[], boolean[] or short[] (float16, bfloat16), matching the dtype. */
    private final Object array;
    private final int length;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CpuBuffer(DType dtype, Object array, int length) {
        this.dtype = dtype;
        this.array = array;
        this.length = length;
    }

    static CpuBuffer of(float[] data) {
        return new CpuBuffer(DType.FLOAT32, data, data.length);
    }

    static CpuBuffer of(double[] data) {
        return new CpuBuffer(DType.FLOAT64, data, data.length);
    }

    static CpuBuffer of(long[] data) {
        return new CpuBuffer(DType.INT64, data, data.length);
    }

    static CpuBuffer of(int[] data) {
        return new CpuBuffer(DType.INT32, data, data.length);
    }

    static CpuBuffer of(boolean[] data) {
        return new CpuBuffer(DType.BOOL, data, data.length);
    }

    /** float16 or bfloat16 bit patterns. */
    static CpuBuffer of(short[] data, DType dtype) {
        if (!dtype.isHalf()) throw new IllegalArgumentException("cpu buffer: short[] holds float16 or bfloat16, not " + dtype);
        return new CpuBuffer(dtype, data, data.length);
    }

    static CpuBuffer allocate(DType dtype, long length) {
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cpu allocate: length " + length + " of " + dtype
                    + " is outside [0, 2^31 - 9], the largest Java array");
        }
        int n = (int) length;
        try {
            return switch (dtype) {
                case FLOAT32 -> of(ArrayPool.floats(n));
                case FLOAT64 -> of(ArrayPool.doubles(n));
                case INT64 -> of(ArrayPool.longs(n));
                case INT32 -> of(ArrayPool.ints(n));
                case BOOL -> of(ArrayPool.bools(n));
                case FLOAT16, BFLOAT16 -> of(ArrayPool.shorts(n), dtype);
            };
        } catch (OutOfMemoryError e) {
            if (e.getMessage() != null && e.getMessage().startsWith("cpu: ")) throw e;
            throw ArrayPool.outOfMemory(n, dtype.toString(), length * dtype.byteSize(), e);
        }
    }

    float[] floats() {
        return (float[]) array();
    }

    double[] doubles() {
        return (double[]) array();
    }

    long[] longs() {
        return (long[]) array();
    }

    int[] ints() {
        return (int[]) array();
    }

    short[] shorts() {
        return (short[]) array();
    }

    boolean[] bools() {
        return (boolean[]) array();
    }

    /** The backing array as an Object, for kernels that switch on the array type once per call. */
    Object array() {
        if (closed.get()) throw closedError();
        return array;
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("cpu buffer of " + length() + " " + dtype + " is closed");
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        // once only, so that an array never goes to the pool twice; arrays the pool does not keep go to the GC
        if (closed.compareAndSet(false, true)) ArrayPool.recycle(array);
    }

    @Override
    public String toString() {
        return "CpuBuffer[" + length() + " " + dtype + (closed.get() ? ", closed]" : "]");
    }
}
