package io.jgrad.nn;

import io.jgrad.Tensor;

/** Element-wise tanh(x). */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
