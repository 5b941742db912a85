package io.jgrad.nn;

import io.jgrad.Tensor;

/** The exact (erf-based) GELU, x * Phi(x), element-wise, as PyTorch's default. */
public class GELU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.gelu();
    }
}
