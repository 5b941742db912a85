package io.jgrad.nn;

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

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : layers) x = m.forward(x);
        return x;
    }
}
