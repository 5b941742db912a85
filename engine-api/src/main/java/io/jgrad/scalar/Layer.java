package io.jgrad.scalar;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/** A fully connected layer: {@code nout} independent {@link Neuron}s reading the same inputs. */
public final class Layer {

    private final Neuron[] neurons;
    private final List<Value> parameters;

    /**
     * @param nin  inputs per neuron, at least 1
     * @param nout number of neurons (outputs), at least 1
     * @param relu whether the neurons apply ReLU
     * @param rng  source of the initial weights
     */
    public Layer(int nin, int nout, boolean relu, Random rng) {
        if (nin <= 0 || nout <= 0) {
            throw new IllegalArgumentException("a layer needs nin >= 1 and nout >= 1, got nin=" + nin + ", nout=" + nout);
        }
        Objects.requireNonNull(rng, "rng");
        neurons = new Neuron[nout];
        List<Value> params = new ArrayList<>(nout * (nin + 1));
        for (int i = 0; i < nout; i++) {
            neurons[i] = new Neuron(nin, relu, rng);
            params.addAll(neurons[i].parameters());
        }
        parameters = Collections.unmodifiableList(params);
    }

    /** One output per neuron. */
    public Value[] apply(Value[] x) {
        if (x.length != neurons[0].inputs()) {
            throw new IllegalArgumentException("layer expects " + neurons[0].inputs() + " inputs, got " + x.length);
        }
        Value[] out = new Value[neurons.length];
        for (int i = 0; i < neurons.length; i++) out[i] = neurons[i].apply(x);
        return out;
    }

    public List<Neuron> neurons() {
        return List.of(neurons);
    }

    public int inputs() {
        return neurons[0].inputs();
    }

    public int outputs() {
        return neurons.length;
    }

    /** All neurons' parameters, neuron by neuron; the same list on every call. */
    public List<Value> parameters() {
        return parameters;
    }

    public void zeroGrad() {
        for (Value p : parameters) p.zeroGrad();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Layer of [");
        for (int i = 0; i < neurons.length; i++) b.append(i == 0 ? "" : ", ").append(neurons[i]);
        return b.append(']').toString();
    }
}
