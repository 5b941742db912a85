package io.jgrad.nn;

import io.jgrad.Tensor;

/** {@code x.logSoftmax(dim)} as a layer, as PyTorch's {@code nn.LogSoftmax(dim)}; dim may be negative. */
public class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.logSoftmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
