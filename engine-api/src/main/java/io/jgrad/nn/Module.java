package io.jgrad.nn;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Grad;
import io.jgrad.HookHandle;
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
 * <h2>Inputs</h2>
 * A module of one input implements {@link #forward(Tensor)}, as before. A module of several inputs extends
 * {@link MultiInputModule} and implements {@link #forward(Tensor...)}; callers then write {@code m.forward(a, b)}.
 * The varargs {@code forward} of a one-input module accepts exactly one tensor, and {@code forward(Tensor)} of a
 * multi-input module refuses a single tensor, both with a message naming the module and the counts.
 * <h2>Calling and hooks</h2>
 * {@link #call(Tensor...)} is PyTorch's {@code module(x)}: it runs the forward pre-hooks, {@code forward}, the
 * forward hooks, and wires the backward hooks; {@code forward} itself runs no hooks (as {@code module.forward(x)}
 * in PyTorch). {@link Sequential} invokes its layers through {@code call}, so hooks on layers inside a Sequential
 * fire when the Sequential runs; in a module of your own, invoke submodules with {@code child.call(x)} (the
 * translation of {@code self.child(x)}) where their hooks should fire. Each {@code register...Hook} returns a
 * {@link HookHandle} whose {@code remove()} unregisters it, as PyTorch's {@code RemovableHandle}.
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

    /**
     * The forward of a module of several inputs (see {@link MultiInputModule}); for a one-input module it passes
     * its single input to {@link #forward(Tensor)} and refuses any other count.
     */
    public Tensor forward(Tensor... inputs) {
        int n = inputs == null ? 0 : inputs.length;
        if (n != 1) {
            throw new IllegalArgumentException(typeName() + ".forward takes 1 input, got " + n
                    + " (a module of several inputs extends MultiInputModule)");
        }
        return forward(inputs[0]);
    }

    /** Two inputs: {@code forward(new Tensor[]{a, b})}, for modules such as a bilinear layer or an attention block. */
    public Tensor forward(Tensor a, Tensor b) {
        return forward(new Tensor[]{a, b});
    }

    // ------------------------------------------------------------------ calling with hooks

    /** Runs before forward with the inputs; may return replacement inputs (null keeps them). */
    @FunctionalInterface
    public interface ForwardPreHook {
        Tensor[] apply(Module module, Tensor[] inputs);
    }

    /** Runs after forward with the inputs and the output; may return a replacement output (null keeps it). */
    @FunctionalInterface
    public interface ForwardHook {
        Tensor apply(Module module, Tensor[] inputs, Tensor output);
    }

    /**
     * Runs during backward, as PyTorch's full backward hook: {@code gradInput} holds the gradients of the module's
     * inputs (null for inputs that need none), {@code gradOutput} that of its output. It may return replacement
     * input gradients (null keeps them); replacing is possible when at most one input requires grad.
     */
    @FunctionalInterface
    public interface BackwardHook {
        Tensor[] apply(Module module, Tensor[] gradInput, Tensor[] gradOutput);
    }

    private final List<ForwardPreHook> forwardPreHooks = new ArrayList<>();
    private final List<ForwardHook> forwardHooks = new ArrayList<>();
    private final List<BackwardHook> backwardHooks = new ArrayList<>();

    /** Registers a hook run before each {@link #call}; hooks run in registration order. */
    public HookHandle registerForwardPreHook(ForwardPreHook hook) {
        return addHook(forwardPreHooks, hook, "registerForwardPreHook");
    }

    /** Registers a hook run after each {@link #call}'s forward; hooks run in registration order. */
    public HookHandle registerForwardHook(ForwardHook hook) {
        return addHook(forwardHooks, hook, "registerForwardHook");
    }

    /**
     * Registers a hook run in the backward pass of each graph recorded by {@link #call} (PyTorch's
     * {@code register_full_backward_hook}): once per backward, when the gradients of the inputs are known (at once
     * with null input gradients when no input requires grad).
     */
    public HookHandle registerBackwardHook(BackwardHook hook) {
        return addHook(backwardHooks, hook, "registerBackwardHook");
    }

    private <H> HookHandle addHook(List<H> list, H hook, String op) {
        if (hook == null) throw new IllegalArgumentException(typeName() + "." + op + ": hook is null");
        list.add(hook);
        return () -> list.removeIf(h -> h == hook); // an io.jgrad.HookHandle, as tensor hooks return
    }

    /** True when a hook is registered on this module itself (containers then run it unfused, through call). */
    boolean hasHooks() {
        return !forwardPreHooks.isEmpty() || !forwardHooks.isEmpty() || !backwardHooks.isEmpty();
    }

    /** True when a hook is registered on this module or any module below it. */
    boolean hasHooksInTree() {
        boolean[] any = {false};
        visit("", (p, m) -> any[0] |= m.hasHooks());
        return any[0];
    }

    /**
     * Invokes the module as PyTorch's {@code module(inputs)}: forward pre-hooks, {@link #forward(Tensor...)},
     * forward hooks, and the wiring of backward hooks. Without hooks it is exactly {@code forward}.
     */
    public final Tensor call(Tensor... inputs) {
        if (inputs == null) throw new IllegalArgumentException(typeName() + ".call: inputs is null");
        Tensor[] in = inputs.clone();
        for (ForwardPreHook h : List.copyOf(forwardPreHooks)) {
            Tensor[] r = h.apply(this, in.clone());
            if (r != null) in = r.clone();
        }
        BackwardCall pending = backwardHooks.isEmpty() || !Grad.isEnabled() ? null : new BackwardCall(this, in);
        if (pending != null) in = pending.tapInputs();
        Tensor out = forward(in);
        for (ForwardHook h : List.copyOf(forwardHooks)) {
            Tensor r = h.apply(this, in.clone(), out);
            if (r != null) out = r;
        }
        if (pending != null) out = pending.tapOutput(out);
        return out;
    }

    /** The backward hooks' view of one call: taps on the inputs and the output that meet in the hooks. */
    private static final class BackwardCall {
        private final Module module;
        private final Tensor[] inputs;
        private final List<BackwardHook> hooks;
        private final Tensor[] gradInput;
        private Tensor[] gradOutput;
        private int tapped;
        private int arrived;

        BackwardCall(Module module, Tensor[] inputs) {
            this.module = module;
            this.inputs = inputs;
            this.hooks = List.copyOf(module.backwardHooks);
            this.gradInput = new Tensor[inputs.length];
        }

        Tensor[] tapInputs() {
            Tensor[] out = inputs.clone();
            for (int i = 0; i < out.length; i++) {
                if (out[i] != null && out[i].requiresGrad()) {
                    int k = i;
                    tapped++;
                    out[i] = io.jgrad.Functional.gradientTap(out[i], g -> onInput(k, g));
                }
            }
            return out;
        }

        Tensor tapOutput(Tensor out) {
            return io.jgrad.Functional.gradientTap(out, g -> {
                gradOutput = new Tensor[]{g};
                arrived = 0;
                java.util.Arrays.fill(gradInput, null);
                if (tapped == 0) runHooks();
                return null;
            });
        }

        private Tensor onInput(int i, Tensor g) {
            gradInput[i] = g;
            if (++arrived < tapped) return null;
            Tensor[] replaced = runHooks();
            return replaced == null ? null : replaced[i];
        }

        /** Runs the hooks in order, each seeing the previous one's replacement; returns the final replacement or null. */
        private Tensor[] runHooks() {
            Tensor[] current = gradInput.clone();
            boolean changed = false;
            for (BackwardHook h : hooks) {
                Tensor[] r = h.apply(module, current.clone(), gradOutput.clone());
                if (r == null) continue;
                if (r.length != current.length) {
                    throw new IllegalArgumentException(module.typeName() + " backward hook: returned " + r.length
                            + " input gradients for a module called with " + current.length + " inputs");
                }
                if (tapped > 1) {
                    throw new UnsupportedOperationException(module.typeName() + " backward hook: replacing input gradients is"
                            + " supported when at most one input requires grad; this call had " + tapped);
                }
                current = r.clone();
                changed = true;
            }
            return changed ? current : null;
        }
    }

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
        loadStateDict(state, true, false);
    }

    /** The keys a non-strict {@link #loadStateDict(Map, boolean, boolean)} left alone, as PyTorch's result. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
        }
    }

    /** {@link #loadStateDict(Map, boolean, boolean)} without dtype conversion. */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        return loadStateDict(state, strict, false);
    }

    /**
     * Copies values into this module's parameters and buffers, as PyTorch's {@code load_state_dict(state, strict)}.
     * With {@code strict} false, keys of the module missing from {@code state} keep their values and keys of
     * {@code state} the module does not have are ignored; both lists come back in the result (empty after a strict
     * load). Shapes must match in either mode. Dtypes must match unless {@code convertDTypes} is true, in which case
     * each value is converted to its slot's dtype (a float64 checkpoint into a float32 model; PyTorch always
     * converts). Any error loads nothing.
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict, boolean convertDTypes) {
        if (state == null) throw new IllegalArgumentException("loadStateDict: state dict is null");
        LinkedHashMap<String, Slot> slots = slots();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            Tensor src = state.get(e.getKey());
            Tensor dst = e.getValue().get();
            if (src == null) {
                missing.add(e.getKey());
            } else if (!src.shape().equals(dst.shape()) || (!convertDTypes && src.dtype() != dst.dtype())) {
                mismatched.add(e.getKey() + ": checkpoint " + src.dtype() + src.shape() + ", module " + dst.dtype() + dst.shape());
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String key : state.keySet()) if (!slots.containsKey(key)) unexpected.add(key);
        if (!mismatched.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            StringBuilder sb = new StringBuilder("loadStateDict: error(s) loading state dict for ").append(typeName())
                    .append("; nothing was loaded.");
            if (strict && !missing.isEmpty()) sb.append("\n  missing keys: ").append(missing);
            if (strict && !unexpected.isEmpty()) sb.append("\n  unexpected keys: ").append(unexpected);
            if (!mismatched.isEmpty()) {
                sb.append("\n  shape").append(convertDTypes ? "" : "/dtype").append(" mismatches: ").append(String.join("; ", mismatched));
                if (!convertDTypes) sb.append(" (pass convertDTypes = true to convert dtypes)");
            }
            throw new IllegalArgumentException(sb.toString());
        }
        try (Grad.Mode ignored = Grad.disabled()) {
            for (Map.Entry<String, Slot> e : slots.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src == null) continue;
                Tensor dst = e.getValue().get();
                dst.copyFrom(src.dtype() == dst.dtype() ? src : src.detach().to(dst.dtype()));
            }
        }
        visit("", (p, m) -> m.afterStateLoaded());
        return new LoadResult(missing, unexpected);
    }

    /**
     * A table of the layers that run for {@code inputs} (PyTorch users know it from torchinfo): each module invoked
     * through {@link #call} (this one, and children of containers such as Sequential), indented by depth, with its
     * type, output shape and parameter count, and the total, trainable and non-trainable parameter counts. Runs one
     * forward without gradients; buffers (BatchNorm's running statistics) are restored afterwards.
     */
    public ModelSummary summary(Tensor... inputs) {
        return ModelSummary.of(this, inputs);
    }

    /** {@link #summary(Tensor...)} for one input of zeros of that shape, in the dtype and on the device of the first parameter. */
    public ModelSummary summary(int... inputShape) {
        List<Tensor> ps = parameters();
        DType dtype = ps.isEmpty() ? DType.FLOAT32 : ps.get(0).dtype();
        Device device = ps.isEmpty() ? io.jgrad.Backends.defaultDevice() : ps.get(0).device();
        return ModelSummary.of(this, Tensor.zeros(dtype, device, inputShape));
    }

    /** Every module of the tree with its dotted name ("" for this one), in registration order, each once. */
    public LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        visit("", (prefix, m) -> out.put(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), m));
        return out;
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
