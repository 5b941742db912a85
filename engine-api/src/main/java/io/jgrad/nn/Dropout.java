package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.Tensor;

/**
 * Inverted dropout: in training mode each element is zeroed with probability p and the survivors are scaled by
 * 1 / (1 - p), so the expected output equals the input and evaluation needs no rescaling. The identity in eval mode.
 * Masks are drawn from the module's generator (the global one unless given), so a seeded run is reproducible.
 */
public class Dropout extends Module {
    private final double p;
    private final Generator gen;

    /** Masks drawn from the global generator ({@link io.jgrad.Tensor#manualSeed(long)} reseeds it). */
    public Dropout(double p) {
        this(p, Generator.global());
    }

    /** Masks drawn from {@code gen}, a stream that nothing else in the program disturbs. */

    public Dropout(double p, Generator gen) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        if (gen == null) throw new IllegalArgumentException("Dropout: generator is null");
        this.p = p;
        this.gen = gen;
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || p == 0) return input;
        Checks.floating("Dropout", "input", input);
        Tensor mask = Functional.dropoutMask(p, input.dtype(), input.device(), gen, input.shape().toArray());
        return input.mul(mask);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
