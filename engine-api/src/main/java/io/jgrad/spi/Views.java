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
}
