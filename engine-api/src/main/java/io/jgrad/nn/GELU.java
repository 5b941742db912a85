package io.jgrad.nn;

import io.jgrad.GeluApproximation;
import io.jgrad.Tensor;

/**
 * GELU, x * Phi(x), element-wise (nn.GELU): exact (erf-based, PyTorch's default) or, with approximate "tanh", x/2 (1 +
 * tanh(sqrt(2/pi) (x + 0.044715 x^3))).
 */
public class GELU extends Module {
    private final GeluApproximation approximate;

    /** The exact GELU. */
    public GELU() {
        this(GeluApproximation.NONE);
    }

    /** PyTorch's spelling: {@code new GELU("tanh")}, or "none". */
    public GELU(String approximate) {
        this(GeluApproximation.of(approximate));
    }

    public GELU(GeluApproximation approximate) {
        if (approximate == null) throw new IllegalArgumentException("GELU: approximate is null (use GeluApproximation.NONE)");
        this.approximate = approximate;
    }

    public GeluApproximation approximate() {
        return approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.gelu(approximate);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate.pyName() + "'";
    }
}
