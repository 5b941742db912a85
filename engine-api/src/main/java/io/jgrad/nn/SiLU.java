package io.jgrad.nn;

import io.jgrad.Tensor;

/** x * sigmoid(x), element-wise (nn.SiLU, the swish). */
public class SiLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.silu();
    }
}
