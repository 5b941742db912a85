package io.jgrad.data;

import io.jgrad.Tensor;

/**
 * A batch from a {@link DataLoader}: inputs {@code x} and targets {@code y} of {@link #size()} examples stacked
 * along a new first dimension. Closing a batch frees both tensors' device memory at once.
 */
public record Batch(Tensor x, Tensor y) implements AutoCloseable {
    /** The number of examples in the batch. */
    public int size() {
        return x.size(0);
    }

    @Override
    public void close() {
        x.close();
        y.close();
    }
}
