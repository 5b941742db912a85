package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.Tensor;

/**
 * Channel dropout, as PyTorch's {@code nn.Dropout2d}: in training mode each channel of each sample of an
 * [n, c, h, w] (or unbatched [c, h, w]) input is zeroed as a whole with probability p, and the kept channels are
 * scaled by 1 / (1 - p). Neighbouring pixels of a feature map are strongly correlated, so dropping single pixels
 * regularises little; dropping maps does. The identity in eval mode.
 */
public class Dropout2d extends Module {
    private final double p;
    private final Generator gen;

    public Dropout2d() {
        this(0.5);
    }

    public Dropout2d(double p) {
        this(p, Generator.global());
    }

    /** Masks drawn from {@code gen}. */
    public Dropout2d(double p, Generator gen) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout2d: p must be in [0, 1), got " + p);
        if (gen == null) throw new IllegalArgumentException("Dropout2d: generator is null");
        this.p = p;
        this.gen = gen;
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException("Dropout2d: input must be [n, c, h, w] or [c, h, w], got " + Checks.describe(input));
        }
        if (!isTraining() || p == 0) return input;
        Checks.floating("Dropout2d", "input", input);
        int[] maskShape = input.shape().toArray();
        for (int d = maskShape.length - 2; d < maskShape.length; d++) maskShape[d] = 1; // one draw per channel
        Tensor mask = Functional.dropoutMask(p, input.dtype(), input.device(), gen, maskShape);
        return input.mul(mask);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
