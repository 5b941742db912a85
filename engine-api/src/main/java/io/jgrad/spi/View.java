package io.jgrad.spi;

import io.jgrad.DType;
import java.util.Arrays;

/**
 * A strided window onto a buffer: element (i0, i1, ...) lives at {@code offset + i0*strides[0] + i1*strides[1] + ...}.
 * A stride of 0 repeats data along that axis (broadcasting). Kernels take views, never tensors.
 */
public final class View {
    public final Buffer buffer;
    public final long offset;
    public final int[] shape;
    public final long[] strides;

    public View(Buffer buffer, long offset, int[] shape, long[] strides) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and strides " + Arrays.toString(strides) + " differ in rank");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    /** A dense row-major view of the first numel(shape) elements of the buffer. */
    public static View contiguous(Buffer buffer, int... shape) {
        return new View(buffer, 0, shape, contiguousStrides(shape));
    }

    public static long[] contiguousStrides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /**
     * The number of elements of {@code shape}. Fails with {@link IllegalArgumentException} when the shape has a
     * negative size, or when the product of its non-zero sizes exceeds {@code Long.MAX_VALUE}: such a shape would
     * wrap around to a wrong count, and its strides would overflow (PyTorch refuses it too).
     */
    public static long numel(int[] shape) {
        return numel("shape", shape);
    }

    /** {@link #numel(int[])}, naming {@code op} when the shape is refused. */
    public static long numel(String op, int[] shape) {
        long n = 1;
        boolean empty = false;
        for (int d : shape) {
            if (d > 0) {
                // multiplyExact compiles to a multiply and an overflow flag test: this runs for every kernel call, and
                // a division per dimension (n > MAX / d) showed up at 8% of a small training step's profile
                try {
                    n = Math.multiplyExact(n, d);
                } catch (ArithmeticException overflow) {
                    throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape)
                            + " has more elements than a long can count (the product of its sizes exceeds 2^63 - 1)");
                }
            } else if (d == 0) {
                empty = true;
            } else {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + Arrays.toString(shape));
            }
        }
        return empty ? 0 : n;
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        return numel(shape);
    }

    public DType dtype() {
        return buffer.dtype();
    }

    /** True when the elements are dense and row-major (size-1 axes may have any stride). */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    @Override
    public String toString() {
        return "View" + Arrays.toString(shape) + " strides " + Arrays.toString(strides) + " +" + offset + " " + buffer.dtype();
    }
}
