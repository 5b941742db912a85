package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Modules applied one after another; the i-th is registered under the name "i", as in PyTorch. */
public class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module (named by its position) and returns this, for chaining. */
    public Sequential add(Module module) {
        layers.add(register(Integer.toString(layers.size()), module));
        return this;
    }

    /** The module at {@code index}; negative indices count from the end. */
    public Module get(int index) {
        int i = index < 0 ? index + layers.size() : index;
        if (i < 0 || i >= layers.size()) {
            throw new IndexOutOfBoundsException("Sequential.get: index " + index + " out of range for " + layers.size() + " modules");
        }
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    /**
     * Runs the modules in order. A {@link Linear} directly followed by a {@link ReLU}, {@link Tanh} or {@link Sigmoid}
     * (those exact classes, not subclasses) runs as one fused op, bias and activation in one pass each way: the same
     * numbers as the two modules apart, with two fewer passes over the activations. Each layer is invoked through
     * {@link Module#call}, so its hooks run (a layer with hooks is never fused).
     */
    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            Functional.Activation act = i + 1 < layers.size() && m.getClass() == Linear.class && !m.hasHooks()
                    && !layers.get(i + 1).hasHooks() ? fusable(layers.get(i + 1)) : null;
            if (act != null) {
                x = ((Linear) m).forward(x, act);
                i++;
            } else {
                x = m.call(x);
            }
        }
        return x;
    }

    private static Functional.Activation fusable(Module next) {
        Class<?> c = next.getClass();
        return c == ReLU.class ? Functional.Activation.RELU : c == Tanh.class ? Functional.Activation.TANH
                : c == Sigmoid.class ? Functional.Activation.SIGMOID : null;
    }
}
