package io.jgrad.nn;

import io.jgrad.Tensor;

/** Element-wise max(0, x). */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
