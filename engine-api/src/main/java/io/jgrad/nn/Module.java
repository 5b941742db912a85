package io.jgrad.nn;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * A building block of a network, as PyTorch's {@code nn.Module}: it owns parameters (leaf tensors that require
 * grad), buffers (state that is saved but not trained, such as BatchNorm's running statistics) and submodules, all
 * registered explicitly by name in the constructor.
 * <p>
 * Subclasses read their tensors back with {@link #param(String)} and {@link #buffer(String)} on every forward
 * call rather than caching them in fields, because {@link #to(Device)}, {@link #to(DType)} and
 * {@link #functionalCall(Map, Tensor)} replace the registered tensors.
 * <p>
 * Names follow PyTorch: nested parameters are dotted ({@code "layers.1.bias"}), so state dicts line up with
 * PyTorch checkpoints of the same architecture.
 * <p>
 * Not thread-safe: train a module from one thread at a time. Several threads may run no-grad inference on one
 * module at once.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes this module's output; records the autograd graph when grad mode is on. */
    public abstract Tensor forward(Tensor input);

    // ------------------------------------------------------------------ registration

    /** Registers a submodule under {@code name} and returns it, for {@code this.fc = register("fc", new Linear(..))}. */
    protected <M extends Module> M register(String name, M module) {
        checkName(name);
        if (module == null) throw new IllegalArgumentException(typeName() + ": submodule '" + name + "' is null");
        if (module == this) throw new IllegalArgumentException(typeName() + ": a module cannot be its own submodule ('" + name + "')");
        children.put(name, module);
        return module;
    }

    /**
     * Registers a trainable parameter: it must be a floating leaf tensor; it is marked requiresGrad and taken out of
     * any open {@link Scope} so that it lives as long as the module. Returns the tensor.
     */
    protected Tensor registerParameter(String name, Tensor tensor) {
        checkName(name);
        if (tensor == null) throw new IllegalArgumentException(typeName() + ": parameter '" + name + "' is null");
        if (!tensor.isLeaf()) {
            throw new IllegalArgumentException(typeName() + ": parameter '" + name + "' must be a leaf tensor, but it was produced by "
                    + tensor.gradFnName() + "; register a detached copy");
        }
        if (!tensor.dtype().isFloating()) {
            throw new IllegalArgumentException(typeName() + ": parameter '" + name + "' must be floating, got " + Checks.describe(tensor));
        }
        parameters.put(name, Scope.persist(tensor.requiresGrad(true)));
        return tensor;
    }

    /** Registers state that belongs in the state dict but is not trained (running statistics, counters). */
    protected Tensor registerBuffer(String name, Tensor tensor) {
        checkName(name);
        if (tensor == null) throw new IllegalArgumentException(typeName() + ": buffer '" + name + "' is null");
        buffers.put(name, Scope.persist(tensor));
        return tensor;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(typeName() + ": invalid name '" + name + "' (must be non-empty and contain no '.')");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(typeName() + ": the name '" + name + "' is already registered");
        }
    }

    /** This module's own parameter of that name (not a submodule's). */
    protected final Tensor param(String name) {
        Tensor t = parameters.get(name);
        if (t == null) throw new IllegalStateException(typeName() + ": no parameter named '" + name + "'");
        return t;
    }

    /** This module's own buffer of that name. */
    protected final Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) throw new IllegalStateException(typeName() + ": no buffer named '" + name + "'");
        return t;
    }

    /** This module's own submodule of that name. */
    protected final Module child(String name) {
        Module m = children.get(name);
        if (m == null) throw new IllegalStateException(typeName() + ": no submodule named '" + name + "'");
        return m;
    }

    // ------------------------------------------------------------------ traversal

    /** Every parameter of this module and its submodules, in registration order, each tensor once. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Parameters by dotted name: this module's own first, then each submodule's in registration order. A tensor
     * shared by several modules appears once, under the first name that reaches it.
     */
    public LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        visit("", (prefix, m) -> m.parameters.forEach((n, t) -> {
            if (seen.add(t)) out.put(prefix + n, t);
        }));
        return out;
    }

    /** Buffers by dotted name, in the same order and with the same de-duplication as {@link #namedParameters()}. */
    public LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        visit("", (prefix, m) -> m.buffers.forEach((n, t) -> {
            if (seen.add(t)) out.put(prefix + n, t);
        }));
        return out;
    }

    /** Calls {@code action} with each module of the tree (this one first) and its name prefix; a shared module once. */
    private void visit(String prefix, BiConsumer<String, Module> action) {
        visit(prefix, action, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private void visit(String prefix, BiConsumer<String, Module> action, Set<Module> seen) {
        if (!seen.add(this)) return;
        action.accept(prefix, this);
        children.forEach((n, c) -> c.visit(prefix + n + ".", action, seen));
    }

    // ------------------------------------------------------------------ modes and gradients

    /** Switches this module and its submodules to training mode (batch statistics, active dropout). Returns this. */
    public Module train() {
        return train(true);
    }

    /** Switches to training mode ({@code true}) or evaluation mode ({@code false}), recursively. Returns this. */
    public Module train(boolean mode) {
        visit("", (p, m) -> m.training = mode);
        return this;
    }

    /** Switches this module and its submodules to evaluation mode (running statistics, no dropout). Returns this. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Clears the gradient of every parameter (sets it to null, as PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        // Release the old gradients now rather than when the GC runs: on a GPU that memory would otherwise stay
        // in use for an unknown time. Clone a gradient before zeroGrad() to keep it.
        for (Tensor p : parameters()) {
            Tensor g = p.grad();
            p.setGrad(null);
            if (g != null) g.close();
        }
    }

    // ------------------------------------------------------------------ state dict

    /**
     * Parameters and buffers by dotted name, detached (they share memory with the module; copy them to keep a
     * snapshot). A tensor shared by two modules appears under both names, as in PyTorch.
     */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Slot> e : slots().entrySet()) out.put(e.getKey(), e.getValue().get().detach());
        return out;
    }

    /**
     * Copies values into this module's parameters and buffers. Strict: the keys must be exactly those of
     * {@link #stateDict()}, with equal shapes and dtypes (devices may differ; values are copied across). On any
     * mismatch this throws an IllegalArgumentException that lists the missing keys, the unexpected keys and the
     * shape or dtype mismatches, and loads nothing.
     */
    public void loadStateDict(Map<String, Tensor> state) {
        if (state == null) throw new IllegalArgumentException("loadStateDict: state dict is null");
        LinkedHashMap<String, Slot> slots = slots();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            Tensor src = state.get(e.getKey());
            Tensor dst = e.getValue().get();
            if (src == null) {
                missing.add(e.getKey());
            } else if (!src.shape().equals(dst.shape()) || src.dtype() != dst.dtype()) {
                mismatched.add(e.getKey() + ": checkpoint " + src.dtype() + src.shape() + ", module " + dst.dtype() + dst.shape());
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String key : state.keySet()) if (!slots.containsKey(key)) unexpected.add(key);
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            StringBuilder sb = new StringBuilder("loadStateDict: error(s) loading state dict for ").append(typeName())
                    .append("; nothing was loaded.");
            if (!missing.isEmpty()) sb.append("\n  missing keys: ").append(missing);
            if (!unexpected.isEmpty()) sb.append("\n  unexpected keys: ").append(unexpected);
            if (!mismatched.isEmpty()) sb.append("\n  shape/dtype mismatches: ").append(String.join("; ", mismatched));
            throw new IllegalArgumentException(sb.toString());
        }
        try (Grad.Mode ignored = Grad.disabled()) {
            for (Map.Entry<String, Slot> e : slots.entrySet()) e.getValue().get().copyFrom(state.get(e.getKey()));
        }
        visit("", (p, m) -> m.afterStateLoaded());
    }

    /** Called on every module of the tree after {@link #loadStateDict} copied new values in. */
    void afterStateLoaded() {
    }

    /** One registered tensor, addressable for reading and replacing. */
    private record Slot(Map<String, Tensor> owner, String name) {
        Tensor get() {
            return owner.get(name);
        }

        void set(Tensor t) {
            owner.put(name, t);
        }
    }

    /** Every parameter and buffer by full dotted name: per module its parameters, then its buffers, then children. */
    private LinkedHashMap<String, Slot> slots() {
        LinkedHashMap<String, Slot> out = new LinkedHashMap<>();
        collectSlots("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private void collectSlots(String prefix, LinkedHashMap<String, Slot> out, Set<Module> path) {
        // Unlike visit(), a module shared under two names is listed under both (as PyTorch's state_dict does);
        // only a cycle is cut.
        if (!path.add(this)) return;
        for (String n : parameters.keySet()) out.put(prefix + n, new Slot(parameters, n));
        for (String n : buffers.keySet()) out.put(prefix + n, new Slot(buffers, n));
        children.forEach((n, c) -> c.collectSlots(prefix + n + ".", out, path));
        path.remove(this);
    }

    // ------------------------------------------------------------------ moving and converting

    /**
     * Moves every parameter and buffer to {@code device}, replacing the tensors inside the module (parameters stay
     * leaves that require grad; their gradients move along). Create optimizers after moving, since they hold the
     * parameter tensors themselves. The old tensors are not closed here, because callers may still hold them.
     * Returns this.
     */
    public Module to(Device device) {
        if (device == null) throw new IllegalArgumentException(typeName() + ".to: device is null");
        return convert(t -> t.device().equals(device) ? t : t.to(device));
    }

    /**
     * Converts every floating parameter and buffer to {@code dtype} (integer buffers such as counters keep theirs),
     * replacing the tensors as {@link #to(Device)} does; float64 modules serve gradient checking. Returns this.
     */
    public Module to(DType dtype) {
        if (dtype == null || !dtype.isFloating()) {
            throw new IllegalArgumentException(typeName() + ".to: modules can only convert to a floating dtype, got " + dtype);
        }
        return convert(t -> !t.dtype().isFloating() || t.dtype() == dtype ? t : t.to(dtype));
    }

    private Module convert(UnaryOperator<Tensor> fn) {
        Map<Tensor, Tensor> replaced = new IdentityHashMap<>(); // a tensor shared by two modules stays shared
        try (Grad.Mode ignored = Grad.disabled()) {
            visit("", (prefix, m) -> {
                for (Map.Entry<String, Tensor> e : m.parameters.entrySet()) {
                    e.setValue(replaced.computeIfAbsent(e.getValue(), old -> {
                        Tensor moved = fn.apply(old);
                        if (moved == old) return old;
                        Scope.persist(moved).requiresGrad(true);
                        if (old.grad() != null) moved.setGrad(fn.apply(old.grad()));
                        return moved;
                    }));
                }
                for (Map.Entry<String, Tensor> e : m.buffers.entrySet()) {
                    e.setValue(replaced.computeIfAbsent(e.getValue(), old -> Scope.persist(fn.apply(old))));
                }
            });
        }
        return this;
    }

    // ------------------------------------------------------------------ functional call

    /**
     * Runs {@link #forward} with some parameters or buffers temporarily replaced by the given tensors (by dotted
     * name, as in {@link #stateDict()}), then restores the module's own; PyTorch's {@code torch.func.functional_call}.
     * Gradients then flow to the given tensors, which lets {@code GradCheck} differentiate with respect to a
     * module's parameters. Replacements must have the shape of what they replace. Not thread-safe.
     */
    public Tensor functionalCall(Map<String, Tensor> replacements, Tensor input) {
        if (replacements == null) throw new IllegalArgumentException("functionalCall on " + typeName() + ": replacements map is null");
        LinkedHashMap<String, Slot> slots = slots();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : replacements.entrySet()) {
            Slot slot = slots.get(e.getKey());
            if (slot == null) {
                problems.add("no parameter or buffer named '" + e.getKey() + "' (have " + slots.keySet() + ")");
            } else if (e.getValue() == null || !e.getValue().shape().equals(slot.get().shape())) {
                problems.add("'" + e.getKey() + "' must have shape " + slot.get().shape() + ", got "
                        + (e.getValue() == null ? "null" : e.getValue().shape()));
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("functionalCall on " + typeName() + ": " + String.join("; ", problems));
        List<Slot> changed = new ArrayList<>();
        List<Tensor> originals = new ArrayList<>();
        try {
            for (Map.Entry<String, Tensor> e : replacements.entrySet()) {
                Slot slot = slots.get(e.getKey());
                changed.add(slot);
                originals.add(slot.get());
                slot.set(e.getValue());
            }
            return forward(input);
        } finally {
            // In reverse, so that two names for one shared tensor end with the original.
            for (int i = changed.size() - 1; i >= 0; i--) changed.get(i).set(originals.get(i));
        }
    }

    // ------------------------------------------------------------------ printing

    /** The part inside the parentheses of this module's one-line description, such as "in_features=2, ...". */
    protected String extraRepr() {
        return "";
    }

    /** The class name used when printing, such as "Linear". */
    String typeName() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? "Module" : n;
    }

    /** The module tree in PyTorch's format: {@code Sequential(\n  (0): Linear(in_features=2, ...)\n)}. */
    @Override
    public String toString() {
        String extra = extraRepr();
        if (children.isEmpty()) return typeName() + "(" + extra + ")";
        StringBuilder sb = new StringBuilder(typeName()).append("(");
        if (!extra.isEmpty()) sb.append("\n  ").append(extra.replace("\n", "\n  "));
        children.forEach((n, c) -> sb.append("\n  (").append(n).append("): ").append(c.toString().replace("\n", "\n  ")));
        return sb.append("\n)").toString();
    }
}
