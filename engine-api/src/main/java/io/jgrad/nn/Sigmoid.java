package io.jgrad.nn;

import io.jgrad.Tensor;

/** Element-wise 1 / (1 + exp(-x)). */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
