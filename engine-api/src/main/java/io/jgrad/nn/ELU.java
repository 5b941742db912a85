package io.jgrad.nn;

import io.jgrad.Tensor;

/** x where x &gt; 0, else alpha (e^x - 1), element-wise (nn.ELU; alpha defaults to 1). */
public class ELU extends Module {
    private final double alpha;

    public ELU() {
        this(1.0);
    }

    public ELU(double alpha) {
        this.alpha = alpha;
    }

    public double alpha() {
        return alpha;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.elu(alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
