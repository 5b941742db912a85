package io.jgrad.nn;

import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Submodules in a list, as PyTorch's {@code nn.ModuleList}: the i-th is registered under the name "i", so its
 * parameters are named "0.weight", "1.bias", ... It has no forward of its own; a module holding it iterates over
 * it in its own forward.
 */
public class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> modules = new ArrayList<>();

    @SafeVarargs
    public ModuleList(M... modules) {
        for (M m : modules) add(m);
    }

    public ModuleList(Iterable<? extends M> modules) {
        for (M m : modules) add(m);
    }

    /** Appends a module (named by its position) and returns this. */
    public ModuleList<M> add(M module) {
        modules.add(register(Integer.toString(modules.size()), module));
        return this;
    }

    /** The module at {@code index}; negative indices count from the end. */
    public M get(int index) {
        int i = index < 0 ? index + modules.size() : index;
        if (i < 0 || i >= modules.size()) {
            throw new IndexOutOfBoundsException("ModuleList.get: index " + index + " out of range for " + modules.size() + " modules");
        }
        return modules.get(i);
    }

    public int size() {
        return modules.size();
    }

    @Override
    public Iterator<M> iterator() {
        return Collections.unmodifiableList(modules).iterator();
    }

    /** Refused: a ModuleList only holds modules (PyTorch's has no forward either). */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleList has no forward; iterate over it in the forward of the module that holds it");
    }
}
