package io.jgrad.nn;

import io.jgrad.Tensor;

/** Returns its input unchanged (the same tensor), as PyTorch's {@code nn.Identity}: a placeholder layer. */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
