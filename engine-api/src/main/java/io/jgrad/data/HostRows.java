package io.jgrad.data;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Tensor;
import java.util.Arrays;

/**
 * Rows of equal shape held in one host array ({@code float[]}, {@code double[]}, {@code long[]}, ..., {@code short[]} bit
 * patterns for float16 and bfloat16, per dtype), the
 * staging area where a loader assembles a batch before its single upload to the device.
 */
final class HostRows {
    final DType dtype;
    final int[] rowShape;
    final int rowLength;
    final int rows;
    private final Object data;

    private HostRows(DType dtype, int[] rowShape, int rows, Object data) {
        this.dtype = dtype;
        this.rowShape = rowShape;
        this.rowLength = (int) numel(rowShape);
        this.rows = rows;
        this.data = data;
    }

    /** A host copy of {@code t}, its first dimension being the rows. */
    static HostRows copyOf(Tensor t) {
        int[] shape = t.shape().toArray();
        int[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
        return new HostRows(t.dtype(), rowShape, shape[0], download(t));
    }

    /** Uninitialised room for {@code rows} rows. */
    static HostRows allocate(DType dtype, int[] rowShape, int rows) {
        long n = (long) rows * numel(rowShape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("DataLoader: a batch of " + rows + " rows of shape "
                    + Arrays.toString(rowShape) + " has " + n + " elements, too many for one tensor");
        }
        Object data;
        switch (dtype) {
            case FLOAT32:
                data = new float[(int) n];
                break;
            case FLOAT64:
                data = new double[(int) n];
                break;
            case INT64:
                data = new long[(int) n];
                break;
            case INT32:
                data = new int[(int) n];
                break;
            case FLOAT16:
            case BFLOAT16:
                data = new short[(int) n];
                break;
            default:
                data = new boolean[(int) n];
        }
        return new HostRows(dtype, rowShape.clone(), rows, data);
    }

    /** Copies row {@code srcRow} of {@code src} (same dtype and row shape) into row {@code dstRow}. */
    void copyRow(HostRows src, int srcRow, int dstRow) {
        System.arraycopy(src.data, srcRow * rowLength, data, dstRow * rowLength, rowLength);
    }

    /** Writes one example's tensor into row {@code row}, checking that it matches the rows' dtype and shape. */
    void setRow(int row, Tensor t, String what) {
        if (t.dtype() != dtype || !Arrays.equals(t.shape().toArray(), rowShape)) {
            throw new IllegalArgumentException("DataLoader: " + what + " is " + t.dtype() + " " + t.shape()
                    + " but the batch's first example has " + dtype + " " + Arrays.toString(rowShape)
                    + "; every example must have the same dtype and shape");
        }
        System.arraycopy(download(t), 0, data, row * rowLength, rowLength);
    }

    /** One upload: a tensor of shape [rows, rowShape...], on {@code device} (the default device when null). */
    Tensor toTensor(Device device) {
        int[] shape = new int[rowShape.length + 1];
        shape[0] = rows;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        Tensor t;
        if (data instanceof float[]) {
            t = Tensor.of((float[]) data, shape);
        } else if (data instanceof double[]) {
            t = Tensor.of((double[]) data, shape);
        } else if (data instanceof long[]) {
            t = Tensor.of((long[]) data, shape);
        } else if (data instanceof int[]) {
            t = Tensor.of((int[]) data, shape);
        } else if (data instanceof short[]) {
            t = Tensor.ofHalfBits((short[]) data, dtype, shape);
        } else {
            t = Tensor.of((boolean[]) data, shape);
        }
        // Tensor.of always uploads to the default device; another target costs one extra copy
        if (device == null || t.device().equals(device)) return t;
        Tensor moved = t.to(device);
        t.close();
        return moved;
    }

    private static Object download(Tensor t) {
        switch (t.dtype()) {
            case FLOAT32:
                return t.toFloatArray();
            case FLOAT64:
                return t.toDoubleArray();
            case INT64:
                return t.toLongArray();
            case INT32:
                return t.toIntArray();
            case FLOAT16:
            case BFLOAT16:
                return t.toHalfBits();
            default:
                return t.toBooleanArray();
        }
    }

    private static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
