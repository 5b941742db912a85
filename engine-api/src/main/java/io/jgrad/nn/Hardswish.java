package io.jgrad.nn;

import io.jgrad.Tensor;

/** x * min(max(x + 3, 0), 6) / 6, element-wise (nn.Hardswish). */
public class Hardswish extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.hardswish();
    }
}
