package io.jgrad.nn;

import io.jgrad.Tensor;

/** x clamped to [minVal, maxVal] element-wise, with no gradient at the bounds (nn.Hardtanh; -1 and 1 by default). */
public class Hardtanh extends Module {
    private final double minVal;
    private final double maxVal;

    public Hardtanh() {
        this(-1.0, 1.0);
    }

    public Hardtanh(double minVal, double maxVal) {
        if (!(minVal <= maxVal)) {
            throw new IllegalArgumentException("Hardtanh: min_val cannot be greater than max_val, got " + minVal + " and " + maxVal);
        }
        this.minVal = minVal;
        this.maxVal = maxVal;
    }

    public double minVal() {
        return minVal;
    }

    public double maxVal() {
        return maxVal;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.hardtanh(minVal, maxVal);
    }

    @Override
    protected String extraRepr() {
        return "min_val=" + minVal + ", max_val=" + maxVal;
    }
}
