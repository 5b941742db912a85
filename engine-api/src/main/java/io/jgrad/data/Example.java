package io.jgrad.data;

import io.jgrad.Tensor;
import java.util.Objects;

/**
 * One example of a dataset: an input {@code x} and a target {@code y}, such as an image and its class index.
 */
public record Example(Tensor x, Tensor y) {
    public Example {
        Objects.requireNonNull(x, "Example: x");
        Objects.requireNonNull(y, "Example: y");
    }
}
