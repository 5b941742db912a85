package io.jgrad.nn;

import io.jgrad.Tensor;

/** scale * elu(x, alpha) with the self-normalising constants, element-wise (nn.SELU). */
public class SELU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.selu();
    }
}
