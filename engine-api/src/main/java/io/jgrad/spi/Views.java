package io.jgrad.spi;

/** Small helpers for building views inside kernels and default methods. */
public final class Views {
    private Views() {
    }

    /**
     * Right-aligns {@code v} against {@code shape} (NumPy broadcasting) and gives stride 0 to every axis where v has
     * size 1 or is missing. The caller has checked that the shapes broadcast.
     */
    public static View broadcast(View v, int[] shape) {
        long[] strides = new long[shape.length];
        int shift = shape.length - v.shape.length;
        for (int i = 0; i < shape.length; i++) {
            int j = i - shift;
            strides[i] = (j < 0 || v.shape[j] == 1) ? 0 : v.strides[j];
        }
        return new View(v.buffer, v.offset, shape.clone(), strides);
    }

    /** A vector [c] as the one-row matrix [1, c], for reductions over the rows of an [n, c] matrix. */
    public static View row(View v) {
        return new View(v.buffer, v.offset, new int[]{1, v.shape[0]}, new long[]{(long) v.shape[0] * v.strides[0], v.strides[0]});
    }

    /** A vector [c] repeated as n rows, [n, c], without copying (row stride 0). */
    public static View rows(View v, int n) {
        return new View(v.buffer, v.offset, new int[]{n, v.shape[0]}, new long[]{0, v.strides[0]});
    }

    /** An [n, c, s] view as [n, s, c], without copying (the last two strides swapped): images seen as channels-last rows. */
    public static View channelsLast(View v) {
        return new View(v.buffer, v.offset, new int[]{v.shape[0], v.shape[2], v.shape[1]},
                new long[]{v.strides[0], v.strides[2], v.strides[1]});
    }
}
