package io.jgrad;

import io.jgrad.spi.View;
import java.util.Arrays;

/** An immutable tensor shape, printed like PyTorch's torch.Size: [2, 3]. */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /** Fails for a negative size, or sizes whose product does not fit a long (see {@link #numel()}). */
    public static Shape of(int... dims) {
        int[] copy = dims.clone();
        View.numel("Shape.of", copy);
        return new Shape(copy);
    }

    static Shape wrap(int[] dims) {
        return new Shape(dims);
    }

    public int rank() {
        return dims.length;
    }

    public int get(int i) {
        return dims[i < 0 ? i + dims.length : i];
    }

    /** The number of elements; every shape has a count that fits a long, since no shape is built otherwise. */
    public long numel() {
        return View.numel(dims);
    }

    public int[] toArray() {
        return dims.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(s.dims, dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
