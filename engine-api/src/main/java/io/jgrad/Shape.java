package io.jgrad;

import java.util.Arrays;

/** An immutable tensor shape, printed like PyTorch's torch.Size: [2, 3]. */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
        }
        return new Shape(dims.clone());
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

    public long numel() {
        long n = 1;
        for (int d : dims) n *= d;
        return n;
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
