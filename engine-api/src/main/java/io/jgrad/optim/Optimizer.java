package io.jgrad.optim;

import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Updates a fixed list of parameters from their gradients. A training step is
 * {@code optimizer.zeroGrad(); loss.backward(); optimizer.step();}.
 * <p>
 * Per-parameter state (momentum buffers, Adam's moments) is created on the first step that reaches the parameter,
 * on its device and with its dtype, and lives outside every {@link Scope}, so a step may run inside one.
 * Parameters whose gradient is null are skipped and their state is left untouched.
 * <p>
 * {@link #stateDict()} names state like PyTorch does, keyed by the parameter's index in the list given to the
 * constructor: {@code "state.3.exp_avg"}; the scalars {@code "step"} (how many times {@link #step()} ran) and
 * {@code "lr"} are 0-d float64 tensors.
 * <p>
 * Not thread-safe: use an optimizer from one thread at a time.
 */
public abstract class Optimizer {
    private static final Pattern STATE_KEY = Pattern.compile("state\\.(\\d+)\\.([A-Za-z_]+)");
    /** The key of a parameter's own update count, for optimizers whose update depends on it. */
    static final String PARAM_STEP = "step";

    private final String name;
    private final List<Tensor> params;
    private final List<Map<String, Tensor>> buffers;
    private final long[] paramSteps;
    private double lr;
    private long stepCount;

    /**
     * @param name   the optimizer's name for error messages, such as "Adam"
     * @param params the parameters to update: non-empty, distinct, floating leaves that require grad
     * @param lr     the learning rate, finite and non-negative
     */
    protected Optimizer(String name, List<Tensor> params, double lr) {
        this.name = name;
        this.params = List.copyOf(validate(name, params));
        this.buffers = new ArrayList<>(this.params.size());
        for (int i = 0; i < this.params.size(); i++) buffers.add(new LinkedHashMap<>());
        this.paramSteps = new long[this.params.size()];
        setLr(lr);
    }

    private static List<Tensor> validate(String name, List<Tensor> params) {
        if (params == null || params.isEmpty()) {
            throw new IllegalArgumentException(name + ": got an empty parameter list; pass model.parameters()");
        }
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p == null) throw new IllegalArgumentException(name + ": parameter " + i + " is null");
            if (!p.dtype().isFloating()) {
                throw new IllegalArgumentException(name + ": parameter " + i + " must be floating, got " + p.dtype() + p.shape());
            }
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(name + ": parameter " + i + " " + p.shape() + " is not a leaf (made by "
                        + p.gradFnName() + "); optimize the tensor you created, not a result computed from it");
            }
            if (!p.requiresGrad()) {
                throw new IllegalArgumentException(name + ": parameter " + i + " " + p.dtype() + p.shape()
                        + " does not require grad; call requiresGrad(true) on it");
            }
            Integer earlier = seen.put(p, i);
            if (earlier != null) {
                throw new IllegalArgumentException(name + ": parameters " + earlier + " and " + i + " are the same tensor");
            }
        }
        return params;
    }

    /** The parameters, in the order their state is indexed. */
    public final List<Tensor> params() {
        return params;
    }

    public final double lr() {
        return lr;
    }

    /** Sets the learning rate used by the following steps (a {@link Scheduler} calls this every step). */
    public final void setLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(name + ": learning rate must be finite and >= 0, got " + lr);
        }
        this.lr = lr;
    }

    /** How many times {@link #step()} has run (restored by {@link #loadStateDict}). */
    public final long stepCount() {
        return stepCount;
    }

    /**
     * Clears every parameter's gradient (sets it to null, PyTorch's default), so the next backward starts afresh,
     * and frees the old gradients' memory.
     */
    public void zeroGrad() {
        // Release the old gradients now rather than when the GC runs: on a GPU that memory would otherwise stay
        // in use for an unknown time. Clone a gradient before zeroGrad() to keep it.
        for (Tensor p : params) {
            Tensor g = p.grad();
            p.setGrad(null);
            if (g != null) g.close();
        }
    }

    /** Updates every parameter that has a gradient. Runs outside the graph. */
    public final void step() {
        // The scope frees the temporaries of composed updates right away; state buffers are persisted out of it.
        try (Grad.Mode noGrad = Grad.disabled(); Scope scope = Scope.open()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                Tensor g = p.grad();
                if (g == null) continue;
                paramSteps[i]++;
                update(i, p, g, paramSteps[i]);
            }
        }
        stepCount++;
    }

    /**
     * Updates one parameter in place; called with grad mode off.
     *
     * @param index     the parameter's index, for {@link #buffer}
     * @param paramStep how many updates this parameter has had, this one included (1 on its first)
     */
    protected abstract void update(int index, Tensor param, Tensor grad, long paramStep);

    /**
     * The names of the per-parameter state tensors that this optimizer, as configured, keeps; each is created by
     * {@link #buffer} and shaped like its parameter.
     */
    protected abstract List<String> bufferNames();

    /** Whether the update depends on the parameter's own update count, which is then saved as "state.i.step". */
    protected boolean countsParamSteps() {
        return false;
    }

    /** Whether parameter {@code index} already has the named state tensor. */
    protected final boolean hasBuffer(int index, String bufferName) {
        return buffers.get(index).containsKey(bufferName);
    }

    /** The named state tensor of parameter {@code index}, created as zeros like the parameter on first use. */
    protected final Tensor buffer(int index, String bufferName) {
        Map<String, Tensor> state = buffers.get(index);
        Tensor b = state.get(bufferName);
        if (b == null) {
            try (Grad.Mode noGrad = Grad.disabled()) {
                b = Scope.persist(Tensor.zerosLike(params.get(index)));
            }
            state.put(bufferName, b);
        }
        return b;
    }

    /**
     * The optimizer's state: {@code "step"}, {@code "lr"}, then for each parameter that has state its tensors as
     * {@code "state.<index>.<name>"}. The per-parameter tensors are the live state, not copies (as in PyTorch):
     * clone them to keep a snapshot across further steps.
     */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        out.put("step", Tensor.scalar((double) stepCount));
        out.put("lr", Tensor.scalar(lr));
        for (int i = 0; i < params.size(); i++) {
            if (countsParamSteps() && paramSteps[i] > 0) out.put("state." + i + "." + PARAM_STEP, Tensor.scalar((double) paramSteps[i]));
            for (Map.Entry<String, Tensor> e : buffers.get(i).entrySet()) out.put("state." + i + "." + e.getKey(), e.getValue());
        }
        return out;
    }

    /**
     * Replaces this optimizer's state with one from {@link #stateDict()} of an optimizer of the same kind and
     * configuration over parameters of the same shapes. Strict: every key, shape and value is checked first, and
     * nothing changes if any is wrong. Parameters absent from the dict lose their state. Tensors are copied onto
     * each parameter's device and converted to its dtype.
     */
    public void loadStateDict(Map<String, Tensor> stateDict) {
        List<String> problems = new ArrayList<>();
        List<String> names = bufferNames();
        List<String> perParam = new ArrayList<>(names);
        if (countsParamSteps()) perParam.add(PARAM_STEP);
        Map<Integer, Map<String, Tensor>> byParam = new TreeMap<>();
        for (String key : List.of("step", "lr")) {
            Tensor t = stateDict.get(key);
            if (t == null) problems.add("missing key '" + key + "'");
            else if (t.numel() != 1 || !t.dtype().isFloating()) problems.add("'" + key + "' must be a one-element floating tensor, got " + t.dtype() + t.shape());
        }
        for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
            String key = e.getKey();
            if (key.equals("step") || key.equals("lr")) continue;
            Matcher m = STATE_KEY.matcher(key);
            int index = m.matches() ? parseIndex(m.group(1)) : -1;
            if (!m.matches() || !perParam.contains(m.group(2))) {
                problems.add("unexpected key '" + key + "' (expected step, lr and state.<index>.<one of " + perParam + ">)");
                continue;
            }
            if (index >= 0 && !m.group(1).equals(Integer.toString(index))) {
                // "state.00.x" would alias "state.0.x", the later silently winning: only the canonical spelling loads
                problems.add("key '" + key + "' spells parameter index " + index + " as '" + m.group(1)
                        + "' (expected state." + index + "." + m.group(2) + ")");
                continue;
            }
            if (index < 0 || index >= params.size()) {
                problems.add("key '" + key + "' names parameter " + m.group(1) + " but there are " + params.size() + " parameters");
                continue;
            }
            Tensor t = e.getValue();
            String stateName = m.group(2);
            if (t == null || !t.dtype().isFloating()) {
                problems.add("'" + key + "' must be a floating tensor, got " + (t == null ? "null" : t.dtype().toString()));
            } else if (stateName.equals(PARAM_STEP) ? t.numel() != 1 : !t.shape().equals(params.get(index).shape())) {
                problems.add("'" + key + "' has shape " + t.shape() + " but parameter " + index + " has shape " + params.get(index).shape()
                        + (stateName.equals(PARAM_STEP) ? " (a step count must have one element)" : ""));
            } else if (stateName.equals(PARAM_STEP) && !isCount(t.item(), 1)) {
                problems.add("'" + key + "' must be a whole number >= 1, got " + t.item());
            } else {
                byParam.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(stateName, t);
            }
        }
        for (Map.Entry<Integer, Map<String, Tensor>> e : byParam.entrySet()) {
            if (!e.getValue().keySet().containsAll(perParam)) {
                List<String> missing = new ArrayList<>(perParam);
                missing.removeAll(e.getValue().keySet());
                problems.add("parameter " + e.getKey() + " has partial state: missing " + missing);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(name + ".loadStateDict: " + String.join("; ", problems));
        }
        double newLr = stateDict.get("lr").item();
        double newStep = stateDict.get("step").item();
        if (!isCount(newStep, 0)) {
            throw new IllegalArgumentException(name + ".loadStateDict: 'step' must be a whole number >= 0, got " + newStep);
        }
        setLr(newLr); // validates before anything changes below
        stepCount = (long) newStep;
        for (int i = 0; i < params.size(); i++) {
            Map<String, Tensor> loaded = byParam.get(i);
            paramSteps[i] = loaded != null && countsParamSteps() ? (long) loaded.get(PARAM_STEP).item() : 0;
            if (loaded == null) {
                // Dropped, not closed: the caller may still hold these tensors from an earlier stateDict().
                buffers.get(i).clear();
                continue;
            }
            try (Grad.Mode noGrad = Grad.disabled()) {
                // Copying into the existing buffers keeps loadStateDict(stateDict()) harmless.
                for (String bufferName : names) buffer(i, bufferName).copyFrom(loaded.get(bufferName));
            }
        }
    }

    private static boolean isCount(double value, long min) {
        return value >= min && value == Math.rint(value) && value < 0x1p53;
    }

    private static int parseIndex(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The optimizer's name for messages, such as "SGD". */
    final String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + "(lr=" + lr + ", " + params.size() + " parameters, " + stepCount + " steps)";
    }

    static void check(String optimizer, String what, double value, boolean ok) {
        if (!ok) throw new IllegalArgumentException(optimizer + ": invalid " + what + ": " + value);
    }
}
