package io.jgrad.nn;

import io.jgrad.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Submodules by name, in insertion order, as PyTorch's {@code nn.ModuleDict}: a module put under "encoder" has
 * parameters named "encoder.weight", .... Names must be non-empty and contain no '.'. It has no forward of its own.
 */
public class ModuleDict<M extends Module> extends Module {
    private final LinkedHashMap<String, M> modules = new LinkedHashMap<>();

    public ModuleDict() {
    }

    public ModuleDict(Map<String, ? extends M> modules) {
        modules.forEach(this::put);
    }

    /** Adds a module under {@code name} (which must be new) and returns this. */
    public ModuleDict<M> put(String name, M module) {
        modules.put(name, register(name, module));
        return this;
    }

    /** The module under {@code name}. */
    public M get(String name) {
        M m = modules.get(name);
        if (m == null) throw new IllegalArgumentException("ModuleDict.get: no module named '" + name + "' (have " + modules.keySet() + ")");
        return m;
    }

    public boolean containsKey(String name) {
        return modules.containsKey(name);
    }

    public Set<String> keySet() {
        return Collections.unmodifiableSet(modules.keySet());
    }

    /** The entries in insertion order, read-only. */
    public Map<String, M> asMap() {
        return Collections.unmodifiableMap(modules);
    }

    public int size() {
        return modules.size();
    }

    /** Refused: a ModuleDict only holds modules (PyTorch's has no forward either). */
    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("ModuleDict has no forward; look modules up by name in the forward of the module that holds it");
    }
}
