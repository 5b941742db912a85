package io.jgrad.nn;

import io.jgrad.Tensor;
import java.util.Arrays;

/**
 * Layer normalisation over the last dimensions (those of {@code normalizedShape}): each sample is normalised with
 * its own mean and biased variance, then scaled by a learnable weight (starting at 1) and shifted by a bias
 * (starting at 0), both of shape normalizedShape. Behaves the same in training and eval mode.
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final int normalizedSize;
    private final double eps;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5);
    }

    public LayerNorm(int normalizedSize, double eps) {
        this(new int[]{normalizedSize}, eps);
    }

    public LayerNorm(int[] normalizedShape, double eps) {
        if (normalizedShape.length == 0) throw new IllegalArgumentException("LayerNorm: normalized_shape must not be empty");
        int size = 1;
        for (int d : normalizedShape) {
            if (d <= 0) throw new IllegalArgumentException("LayerNorm: normalized_shape must be positive, got " + Arrays.toString(normalizedShape));
            size *= d;
        }
        if (!(eps > 0)) throw new IllegalArgumentException("LayerNorm: eps must be positive, got " + eps);
        this.normalizedShape = normalizedShape.clone();
        this.normalizedSize = size;
        this.eps = eps;
        registerParameter("weight", Tensor.ones(normalizedShape));
        registerParameter("bias", Tensor.zeros(normalizedShape));
    }

    public Tensor weight() {
        return param("weight");
    }

    public Tensor bias() {
        return param("bias");
    }

    @Override
    public Tensor forward(Tensor input) {
        int k = normalizedShape.length;
        int[] shape = input.shape().toArray();
        if (shape.length < k || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)) {
            throw new IllegalArgumentException(this + ": input of shape " + input.shape() + " does not end in the normalized shape "
                    + Arrays.toString(normalizedShape));
        }
        Checks.matches(this, input, weight(), "weight");
        Tensor rows = input.reshape(-1, normalizedSize);
        Tensor centered = rows.sub(rows.mean(1, true));
        Tensor var = centered.square().mean(1, true);
        Tensor normalized = centered.mul(var.add(eps).rsqrt()).reshape(shape);
        return normalized.mul(weight()).add(bias());
    }

    @Override
    protected String extraRepr() {
        return Arrays.toString(normalizedShape) + ", eps=" + eps;
    }
}
