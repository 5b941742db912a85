package io.jgrad.data;

import io.jgrad.Tensor;
import java.util.Objects;

/**
 * A dataset over two tensors that share their first dimension: example i is {@code (x[i], y[i])}, as PyTorch's
 * {@code TensorDataset}. A {@link DataLoader} batches it from a host copy, taken once and refreshed only if either
 * tensor is modified in place.
 */
public final class TensorDataset implements Dataset {
    private final Tensor x;
    private final Tensor y;
    private HostRows hostX;
    private HostRows hostY;
    private int hostXVersion;
    private int hostYVersion;

    /**
     * @throws IllegalArgumentException if either tensor is 0-d or their first dimensions differ
     */
    public TensorDataset(Tensor x, Tensor y) {
        Objects.requireNonNull(x, "TensorDataset: x");
        Objects.requireNonNull(y, "TensorDataset: y");
        if (x.dim() == 0 || y.dim() == 0) {
            throw new IllegalArgumentException("TensorDataset: x and y need a first (example) dimension, got x "
                    + x.shape() + " and y " + y.shape());
        }
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("TensorDataset: x " + x.shape() + " and y " + y.shape()
                    + " must have the same size in dimension 0");
        }
        this.x = x;
        this.y = y;
    }

    /** All inputs, examples along dimension 0. */
    public Tensor x() {
        return x;
    }

    /** All targets, examples along dimension 0. */
    public Tensor y() {
        return y;
    }

    @Override
    public int size() {
        return x.size(0);
    }

    /** Views {@code x[i]} and {@code y[i]} of the dataset's tensors (no copy). */
    @Override
    public Example get(int i) {
        Objects.checkIndex(i, size());
        return new Example(x.select(0, i), y.select(0, i));
    }

    synchronized HostRows hostX() {
        if (hostX == null || hostXVersion != x.version()) {
            hostXVersion = x.version();
            hostX = HostRows.copyOf(x);
        }
        return hostX;
    }

    synchronized HostRows hostY() {
        if (hostY == null || hostYVersion != y.version()) {
            hostYVersion = y.version();
            hostY = HostRows.copyOf(y);
        }
        return hostY;
    }
}
