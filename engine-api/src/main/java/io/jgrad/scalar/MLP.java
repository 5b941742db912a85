package io.jgrad.scalar;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * A multi-layer perceptron of {@link Layer}s: ReLU on every layer except the last, which is linear (micrograd's
 * {@code MLP(nin, nouts)}). {@code new MLP(2, new int[] {16, 16, 1}, seed)} is micrograd's moons classifier.
 */
public final class MLP {

    private final Layer[] layers;
    private final List<Value> parameters;

    /** An MLP whose weights come from {@code new Random(seed)}. */
    public MLP(int nin, int[] nouts, long seed) {
        this(nin, nouts, new Random(seed));
    }

    /**
     * @param nin   number of inputs, at least 1
     * @param nouts the width of each layer, at least one layer, each at least 1
     * @param rng   source of the initial weights
     */
    public MLP(int nin, int[] nouts, Random rng) {
        Objects.requireNonNull(nouts, "nouts");
        Objects.requireNonNull(rng, "rng");
        if (nin <= 0) throw new IllegalArgumentException("an MLP needs at least one input, got nin=" + nin);
        if (nouts.length == 0) throw new IllegalArgumentException("an MLP needs at least one layer, got nouts=[]");
        layers = new Layer[nouts.length];
        List<Value> params = new ArrayList<>();
        int width = nin;
        for (int i = 0; i < nouts.length; i++) {
            if (nouts[i] <= 0) {
                throw new IllegalArgumentException("layer " + i + " must have at least one neuron, got " + nouts[i]);
            }
            layers[i] = new Layer(width, nouts[i], i != nouts.length - 1, rng);
            params.addAll(layers[i].parameters());
            width = nouts[i];
        }
        parameters = Collections.unmodifiableList(params);
    }

    /** The outputs of the last layer for inputs x. */
    public Value[] apply(Value[] x) {
        Value[] h = x;
        for (Layer layer : layers) h = layer.apply(h);
        return h;
    }

    /** Wraps x in leaf Values and applies the network. */
    public Value[] apply(double... x) {
        Value[] in = new Value[x.length];
        for (int i = 0; i < x.length; i++) in[i] = Value.of(x[i]);
        return apply(in);
    }

    public List<Layer> layers() {
        return List.of(layers);
    }

    /** All parameters, layer by layer; the same list (and the same Values) on every call. */
    public List<Value> parameters() {
        return parameters;
    }

    public void zeroGrad() {
        for (Value p : parameters) p.zeroGrad();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("MLP of [");
        for (int i = 0; i < layers.length; i++) b.append(i == 0 ? "" : ", ").append(layers[i]);
        return b.append(']').toString();
    }
}
