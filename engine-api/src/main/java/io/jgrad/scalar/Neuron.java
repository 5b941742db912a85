package io.jgrad.scalar;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * One neuron: {@code act = b + w0*x0 + w1*x1 + ...}, followed by ReLU unless it is linear. Weights and bias start
 * uniform in [-1, 1).
 */
public final class Neuron {

    private final Value[] weights;
    private final Value bias;
    private final boolean relu;
    private final List<Value> parameters;

    /**
     * @param nin  number of inputs, at least 1
     * @param relu whether to apply ReLU to the weighted sum (false: linear output)
     * @param rng  source of the initial weights
     */
    public Neuron(int nin, boolean relu, Random rng) {
        if (nin <= 0) throw new IllegalArgumentException("a neuron needs at least one input, got nin=" + nin);
        Objects.requireNonNull(rng, "rng");
        weights = new Value[nin];
        for (int i = 0; i < nin; i++) weights[i] = Value.of(uniform(rng));
        bias = Value.of(uniform(rng));
        this.relu = relu;
        List<Value> params = new ArrayList<>(nin + 1);
        Collections.addAll(params, weights);
        params.add(bias);
        parameters = Collections.unmodifiableList(params);
    }

    /** The neuron's output for the inputs x, which must have {@link #inputs()} entries. */
    public Value apply(Value[] x) {
        if (x.length != weights.length) {
            throw new IllegalArgumentException("neuron expects " + weights.length + " inputs, got " + x.length);
        }
        // Summation order as micrograd's sum(w*x, start=b).
        Value act = bias;
        for (int i = 0; i < weights.length; i++) act = act.add(weights[i].mul(x[i]));
        return relu ? act.relu() : act;
    }

    public int inputs() {
        return weights.length;
    }

    public boolean isRelu() {
        return relu;
    }

    /** Weights then bias; the same list (and the same Values) on every call. */
    public List<Value> parameters() {
        return parameters;
    }

    public void zeroGrad() {
        for (Value p : parameters) p.zeroGrad();
    }

    @Override
    public String toString() {
        return (relu ? "ReLU" : "Linear") + "Neuron(" + weights.length + ")";
    }

    static double uniform(Random rng) {
        return rng.nextDouble() * 2 - 1;
    }
}
