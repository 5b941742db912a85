package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.spi.Buffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A heap buffer: exactly one of the three arrays is set, matching the dtype. Kernels reach the array through
 * {@link #floats()}, {@link #doubles()} or {@link #longs()}, which throw once the buffer is closed. Every buffer owns
 * its array (uploads are copies), so closing one hands a large array to {@link ArrayPool} for the next allocation of
 * that size: a training step frees and asks for the same sizes every step, and a recycled array skips the zeroing of
 * a fresh one and is usually still in cache.
 */
final class CpuBuffer implements Buffer {
    private final DType dtype;
    private final float[] f;
    private final double[] d;
    private final long[] l;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CpuBuffer(DType dtype, float[] f, double[] d, long[] l) {
        this.dtype = dtype;
        this.f = f;
        this.d = d;
        this.l = l;
    }

    static CpuBuffer of(float[] data) {
        return new CpuBuffer(DType.FLOAT32, data, null, null);
    }

    static CpuBuffer of(double[] data) {
        return new CpuBuffer(DType.FLOAT64, null, data, null);
    }

    static CpuBuffer of(long[] data) {
        return new CpuBuffer(DType.INT64, null, null, data);
    }

    static CpuBuffer allocate(DType dtype, long length) {
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cpu allocate: length " + length + " of " + dtype
                    + " is outside [0, 2^31 - 9], the largest Java array");
        }
        int n = (int) length;
        try {
            switch (dtype) {
                case FLOAT32: return of(ArrayPool.floats(n));
                case FLOAT64: return of(ArrayPool.doubles(n));
                case INT64: return of(ArrayPool.longs(n));
                default: throw new IllegalArgumentException("cpu allocate: unsupported dtype " + dtype);
            }
        } catch (OutOfMemoryError e) {
            if (e.getMessage() != null && e.getMessage().startsWith("cpu: ")) throw e;
            throw ArrayPool.outOfMemory(n, dtype.toString(), length * dtype.byteSize(), e);
        }
    }

    float[] floats() {
        if (closed.get()) throw closedError();
        return f;
    }

    double[] doubles() {
        if (closed.get()) throw closedError();
        return d;
    }

    long[] longs() {
        if (closed.get()) throw closedError();
        return l;
    }

    /** The backing array as an Object, for kernels that switch on the array type once per call. */
    Object array() {
        if (closed.get()) throw closedError();
        return f != null ? f : d != null ? d : l;
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
        return f != null ? f.length : d != null ? d.length : l.length;
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
        if (closed.compareAndSet(false, true)) ArrayPool.recycle(f != null ? f : d != null ? d : l);
    }

    @Override
    public String toString() {
        return "CpuBuffer[" + length() + " " + dtype + (closed.get() ? ", closed]" : "]");
    }
}
