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
     * <p>
     * Each intermediate output is closed as soon as the next module has consumed it, as PyTorch frees it when its
     * last reference goes: what backward needs lives on in the graph's own references (see {@code Saved}), so the
     * memory of, say, a convolution's output that a ReLU read is freed at once rather than when the Scope ends. The
     * input and the final output are never closed, nor an intermediate that a hook may have seen (a hook anywhere in
     * the module that made it or in the one that read it). So a module inside a Sequential must not keep its output
     * (in a field, say) for use after the call, other than through a view of its own ({@code out.detach()}).
     */
    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        boolean hooked = false; // whether a hook may have seen x: in the module(s) that made it
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            Functional.Activation act = i + 1 < layers.size() && m.getClass() == Linear.class && !m.hasHooks()
                    && !layers.get(i + 1).hasHooks() ? fusable(layers.get(i + 1)) : null;
            Tensor next;
            boolean nextHooked;
            if (act != null) {
                next = ((Linear) m).forward(x, act);
                nextHooked = false; // a Linear and an activation without hooks, and no children
                i++;
            } else {
                next = m.call(x);
                nextHooked = m.hasHooksInTree();
            }
            if (x != input && x != next && !hooked && !nextHooked) x.close();
            hooked = x == next ? hooked || nextHooked : nextHooked;
            x = next;
        }
        return x;
    }

    private static Functional.Activation fusable(Module next) {
        Class<?> c = next.getClass();
        return c == ReLU.class ? Functional.Activation.RELU : c == Tanh.class ? Functional.Activation.TANH
                : c == Sigmoid.class ? Functional.Activation.SIGMOID : null;
    }
}
