package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Tensor;

/** Max pooling to a fixed output size (one value or height, width), as PyTorch's {@code nn.AdaptiveMaxPool2d}. */
public class AdaptiveMaxPool2d extends Module {
    private final int[] outputSize;

    public AdaptiveMaxPool2d(int... outputSize) {
        this.outputSize = outputSize.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.adaptiveMaxPool2d(input, outputSize);
    }

    /** The output and the flat positions of the maxima, as {@code return_indices=True}. */
    public Functional.PoolResult forwardWithIndices(Tensor input) {
        return Functional.adaptiveMaxPool2dWithIndices(input, outputSize);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + PoolSizes.repr(outputSize);
    }
}
