package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Tensor;
import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import java.util.Arrays;

/**
 * Layer normalisation over the last dimensions (those of {@code normalizedShape}): each sample is normalised with
 * its own mean and biased variance, then scaled by a learnable weight (starting at 1) and shifted by a bias
 * (starting at 0), both of shape normalizedShape. Behaves the same in training and eval mode. With
 * {@code elementwiseAffine = false} there is no weight and bias (PyTorch's {@code elementwise_affine=False}).
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final int normalizedSize;
    private final double eps;
    private final boolean elementwiseAffine;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5);
    }

    public LayerNorm(int normalizedSize, double eps) {
        this(new int[]{normalizedSize}, eps);
    }

    public LayerNorm(int[] normalizedShape, double eps) {
        this(normalizedShape, eps, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
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
        this.elementwiseAffine = elementwiseAffine;
        if (elementwiseAffine) {
            registerParameter("weight", Tensor.ones(normalizedShape));
            registerParameter("bias", Tensor.zeros(normalizedShape));
        }
    }

    /** The scale of shape normalizedShape, or null without elementwise affine. */
    public Tensor weight() {
        return elementwiseAffine ? param("weight") : null;
    }

    /** The shift of shape normalizedShape, or null without elementwise affine. */
    public Tensor bias() {
        return elementwiseAffine ? param("bias") : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (Autocast.active()) return Autocast.call(AutocastOp.LAYER_NORM, in -> forward(in[0]), input);
        int k = normalizedShape.length;
        int[] shape = input.shape().toArray();
        if (shape.length < k || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)) {
            throw new IllegalArgumentException(this + ": input of shape " + input.shape() + " does not end in the normalized shape "
                    + Arrays.toString(normalizedShape));
        }
        if (elementwiseAffine) Checks.matches(this, input, weight(), "weight");
        else Checks.floating(this, "input", input);
        // one fused kernel each way; the input's statistics are saved for backward, not its centred copy
        return Functional.layerNorm(input, normalizedShape, weight(), bias(), eps);
    }

    @Override
    protected String extraRepr() {
        return Arrays.toString(normalizedShape) + ", eps=" + eps + (elementwiseAffine ? "" : ", elementwise_affine=false");
    }
}
