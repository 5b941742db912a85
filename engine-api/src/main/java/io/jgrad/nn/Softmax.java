package io.jgrad.nn;

import io.jgrad.Tensor;

/** {@code x.softmax(dim)} as a layer, as PyTorch's {@code nn.Softmax(dim)}; dim may be negative. */
public class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.softmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
