package io.jgrad.data;

/**
 * A finite, indexable collection of examples, like PyTorch's map-style {@code Dataset}. A {@link DataLoader} draws
 * batches from it.
 */
public interface Dataset {
    /** The number of examples. */
    int size();

    /**
     * Example {@code i}, for {@code 0 <= i < size()}. Every example of a dataset must have the same shapes and dtypes, so
     * that a loader can stack them into batches.
     *
     * @throws IndexOutOfBoundsException if i is out of range
     */
    Example get(int i);
}
