package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.spi.Buffer;

/**
 * A heap buffer: exactly one of the three arrays is set, matching the dtype. Kernels reach the array through
 * {@link #floats()}, {@link #doubles()} or {@link #longs()}, which throw once the buffer is closed.
 */
final class CpuBuffer implements Buffer {
    private final DType dtype;
    private final float[] f;
    private final double[] d;
    private final long[] l;
    private volatile boolean closed;

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
        switch (dtype) {
            case FLOAT32: return of(new float[n]);
            case FLOAT64: return of(new double[n]);
            case INT64: return of(new long[n]);
            default: throw new IllegalArgumentException("cpu allocate: unsupported dtype " + dtype);
        }
    }

    float[] floats() {
        if (closed) throw closedError();
        return f;
    }

    double[] doubles() {
        if (closed) throw closedError();
        return d;
    }

    long[] longs() {
        if (closed) throw closedError();
        return l;
    }

    /** The backing array as an Object, for kernels that switch on the array type once per call. */
    Object array() {
        if (closed) throw closedError();
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
        return closed;
    }

    @Override
    public void close() {
        closed = true; // the GC frees the array once nothing refers to the buffer
    }

    @Override
    public String toString() {
        return "CpuBuffer[" + length() + " " + dtype + (closed ? ", closed]" : "]");
    }
}
