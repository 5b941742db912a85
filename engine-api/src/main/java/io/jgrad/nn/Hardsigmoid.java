package io.jgrad.nn;

import io.jgrad.Tensor;

/** min(max(x + 3, 0), 6) / 6, element-wise (nn.Hardsigmoid). */
public class Hardsigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.hardsigmoid();
    }
}
