package io.jgrad.nn;

import io.jgrad.Tensor;

/**
 * log(1 + e^(beta x)) / beta element-wise, reverting to x where beta x &gt; threshold (nn.Softplus; beta 1 and
 * threshold 20 by default).
 */
public class Softplus extends Module {
    private final double beta;
    private final double threshold;

    public Softplus() {
        this(1.0, 20.0);
    }

    public Softplus(double beta, double threshold) {
        if (beta == 0 || Double.isNaN(beta)) throw new IllegalArgumentException("Softplus: beta must be non-zero, got " + beta);
        this.beta = beta;
        this.threshold = threshold;
    }

    public double beta() {
        return beta;
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.softplus(beta, threshold);
    }

    @Override
    protected String extraRepr() {
        return "beta=" + beta + ", threshold=" + threshold;
    }
}
