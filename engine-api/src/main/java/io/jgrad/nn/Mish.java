package io.jgrad.nn;

import io.jgrad.Tensor;

/** x * tanh(softplus(x)), element-wise (nn.Mish). */
public class Mish extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.mish();
    }
}
