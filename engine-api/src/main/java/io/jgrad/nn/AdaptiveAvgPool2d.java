package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Tensor;

/** Average pooling to a fixed output size (one value or height, width), as PyTorch's {@code nn.AdaptiveAvgPool2d}. */
public class AdaptiveAvgPool2d extends Module {
    private final int[] outputSize;

    public AdaptiveAvgPool2d(int... outputSize) {
        this.outputSize = outputSize.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.adaptiveAvgPool2d(input, outputSize);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + PoolSizes.repr(outputSize);
    }
}
