package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.Tensor;

/**
 * y = x · weightᵀ + bias, with weight [out, in] and bias [out], on inputs of shape [..., in]. The bias is added in
 * the same fused kernel as {@link Functional#linear}.
 * <p>
 * Initialised as PyTorch does: weight by Kaiming-uniform with a = sqrt(5), which is U(-1/sqrt(in), 1/sqrt(in)), and
 * bias from the same range.
 */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final boolean hasBias;

    /** With bias, drawn from the global generator (see Tensor.manualSeed). */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Generator.global());
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Generator.global());
    }

    public Linear(int inFeatures, int outFeatures, Generator gen) {
        this(inFeatures, outFeatures, true, gen);
    }

    /** Parameters on the default device, float32, drawn from {@code gen} (weight first, then bias). */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: in_features and out_features must be positive, got " + inFeatures + " and " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.hasBias = bias;
        Tensor w = Init.kaimingUniform(Tensor.zeros(outFeatures, inFeatures), Math.sqrt(5), Init.Mode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, gen);
        registerParameter("weight", w);
        if (bias) {
            double bound = 1 / Math.sqrt(inFeatures);
            registerParameter("bias", Init.uniform(Tensor.zeros(outFeatures), -bound, bound, gen));
        }
    }

    /**
     * A layer over existing tensors, for weight tying (PyTorch's {@code lm_head.weight = wte.weight}): an embedding's
     * [vocab, dim] weight, passed here, makes a Linear(dim, vocab) whose weight is that very tensor, listed once by
     * {@link #parameters()} and updated once by an optimizer. {@code bias} may be null.
     */
    public Linear(Tensor weight, Tensor bias) {
        if (weight == null || weight.dim() != 2 || (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0)))) {
            throw new IllegalArgumentException("Linear: needs a weight [out, in] and a bias [out] or null, got weight "
                    + (weight == null ? "null" : weight.shape()) + ", bias " + (bias == null ? "null" : bias.shape()));
        }
        this.outFeatures = weight.size(0);
        this.inFeatures = weight.size(1);
        this.hasBias = bias != null;
        registerParameter("weight", weight);
        if (bias != null) registerParameter("bias", bias);
    }

    /** The weight [out_features, in_features]. */
    public Tensor weight() {
        return param("weight");
    }

    /** The bias [out_features], or null for a layer built without one. */
    public Tensor bias() {
        return hasBias ? param("bias") : null;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, Functional.Activation.NONE);
    }

    /** act(forward(input)) in one fused op: how {@link Sequential} runs a Linear followed by its activation. */
    Tensor forward(Tensor input, Functional.Activation act) {
        Tensor w = weight();
        if (input.dim() == 0 || input.size(-1) != inFeatures) {
            throw new IllegalArgumentException(this + ": input of shape " + input.shape() + " does not end in " + inFeatures + " features");
        }
        Checks.matches(this, input, w, "weight");
        return Functional.linear(input, w, bias(), act);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + hasBias;
    }
}
