package io.jgrad.optim;

import io.jgrad.DType;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Updates parameters from their gradients. A training step is
 * {@code optimizer.zeroGrad(); loss.backward(); optimizer.step();}.
 * <p>
 * <b>Parameter groups.</b> The parameters come in {@link ParamGroup}s, each with its own hyper-parameters (PyTorch's
 * {@code param_groups}). A plain constructor makes one group; a builder makes several, each option it does not set
 * taking the builder's value:
 * <pre>{@code
 * var adamw = AdamW.builder().lr(3e-4).weightDecay(0.1)
 *         .group(weights, g -> {})                      // decays
 *         .group(biasesAndNorms, g -> g.weightDecay(0)) // does not
 *         .build();
 * var same = AdamW.builder().lr(3e-4).groups(ParamGroups.decayOnlyWeights(model, 0.1)).build();
 * }</pre>
 * {@link #paramGroups()} are live: {@code optimizer.paramGroups().get(1).lr(1e-4)} changes the next steps, and a
 * {@link Scheduler} scales each group's rate from that group's own initial rate, as in PyTorch. Every optimizer has
 * the options {@code lr}, {@code weight_decay} and {@code maximize} (ascend: the gradient's sign is flipped first).
 * <p>
 * Per-parameter state (momentum buffers, Adam's moments) is created on the first step that reaches the parameter,
 * on its device and with its dtype, and lives outside every {@link Scope}, so a step may run inside one.
 * Parameters whose gradient is null are skipped and their state is left untouched.
 * <p>
 * {@link #stateDict()} names state like PyTorch does, keyed by the parameter's index counted over all groups in
 * order: {@code "state.3.exp_avg"}; the groups' options are {@code "param_groups.1.lr"} and so on, their parameter
 * indices {@code "param_groups.1.params"} (int64), and {@code "step"} counts the calls to {@link #step()}. Scalars
 * are 0-d float64 tensors. State dicts written before there were groups (one {@code "lr"} key) still load.
 * <p>
 * Not thread-safe: use an optimizer from one thread at a time.
 */
public abstract class Optimizer {
    private static final Pattern STATE_KEY = Pattern.compile("state\\.(\\d+)\\.([A-Za-z_0-9]+)");
    private static final Pattern GROUP_KEY = Pattern.compile("param_groups\\.(\\d+)\\.([A-Za-z_0-9]+)");
    /** The key of a parameter's own update count, for optimizers whose update depends on it. */
    static final String PARAM_STEP = "step";
    static final String PARAMS = "params";
    static final String INITIAL_LR = "initial_lr";

    /** Option names shared by several optimizers (PyTorch's). */
    public static final String LR = "lr";
    public static final String WEIGHT_DECAY = "weight_decay";
    public static final String MAXIMIZE = "maximize";
    public static final String BETA1 = "beta1";
    public static final String BETA2 = "beta2";
    public static final String EPS = "eps";
    public static final String MOMENTUM = "momentum";

    /**
     * How an option's value is checked.
     *
     * @param what     how messages name it, such as "learning rate lr"
     * @param expected what a good value is, such as "finite and >= 0"
     * @param ok       the test
     */
    protected record Check(String what, String expected, DoublePredicate ok) {
        /** Finite and >= 0. */
        public static Check nonNegative(String what) {
            return new Check(what, "finite and >= 0", v -> v >= 0 && v < Double.POSITIVE_INFINITY);
        }

        /** In [0, 1). */
        public static Check fraction(String what) {
            return new Check(what, "0 <= " + what + " < 1", v -> v >= 0 && v < 1);
        }

        /** 0 or 1. */
        public static Check flag(String what) {
            return new Check(what, "a flag, 0 or 1", v -> v == 0 || v == 1);
        }
    }

    private final String name;
    private final List<ParamGroup> groups;
    private final List<Tensor> params;
    private final int[] groupOf;
    private final Map<String, Check> checks;
    private final List<Map<String, Tensor>> buffers;
    private final List<Map<String, Double>> scalars;
    private final long[] paramSteps;
    private long stepCount;

    /**
     * One group with only a learning rate (and {@code weight_decay} 0, {@code maximize} off), for optimizers that
     * define their own fields.
     *
     * @param name   the optimizer's name for error messages, such as "Adam"
     * @param params the parameters to update: non-empty, distinct, floating leaves that require grad
     * @param lr     the learning rate, finite and non-negative
     */
    protected Optimizer(String name, List<Tensor> params, double lr) {
        this(name, List.of(ParamGroup.of(checkedList(name, params))), mapOf(LR, lr), Map.of());
    }

    /**
     * @param name     the optimizer's name for error messages, such as "Adam"
     * @param groups   the requested groups; together their parameters are non-empty, distinct, floating leaves
     *                 that require grad
     * @param defaults each option's value where a group does not set it, in the order the groups list them; lr,
     *                 weight_decay and maximize are added if absent
     * @param checks   how to check each option besides lr, weight_decay and maximize, which are checked here
     */
    protected Optimizer(String name, List<ParamGroup> groups, Map<String, Double> defaults, Map<String, Check> checks) {
        this.name = name;
        LinkedHashMap<String, Check> allChecks = new LinkedHashMap<>();
        allChecks.put(LR, Check.nonNegative("learning rate lr"));
        allChecks.put(WEIGHT_DECAY, Check.nonNegative("weight decay"));
        allChecks.putAll(checks);
        allChecks.put(MAXIMIZE, Check.flag("maximize"));
        LinkedHashMap<String, Double> allDefaults = new LinkedHashMap<>();
        allDefaults.put(LR, 1e-3);
        allDefaults.putAll(defaults);
        allDefaults.putIfAbsent(WEIGHT_DECAY, 0.0);
        allDefaults.putIfAbsent(MAXIMIZE, 0.0);
        for (String option : allChecks.keySet()) {
            if (!allDefaults.containsKey(option)) throw new IllegalStateException(name + ": no default for option '" + option + "'");
        }
        // list the options in the defaults' order (messages, state dicts)
        for (String option : allDefaults.keySet()) {
            Check c = allChecks.remove(option);
            if (c != null) allChecks.put(option, c);
        }
        this.checks = allChecks;
        for (Map.Entry<String, Double> e : allDefaults.entrySet()) checkOption(-1, e.getKey(), e.getValue());

        if (groups == null || groups.isEmpty()) {
            throw new IllegalArgumentException(name + ": got an empty parameter list; pass model.parameters()");
        }
        List<ParamGroup> adopted = new ArrayList<>();
        List<Tensor> all = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup request = groups.get(g);
            if (request == null) throw new IllegalArgumentException(name + ": parameter group " + g + " is null");
            for (Map.Entry<String, Double> e : request.options().entrySet()) checkOption(groups.size() > 1 ? g : -1, e.getKey(), e.getValue());
            ParamGroup group = ParamGroup.adopt(request, this, g, allDefaults);
            checkGroup(group);
            adopted.add(group);
            for (Tensor p : request.params()) {
                all.add(p);
                owners.add(g);
            }
        }
        this.groups = List.copyOf(adopted);
        this.params = List.copyOf(validate(name, all));
        this.groupOf = owners.stream().mapToInt(Integer::intValue).toArray();
        this.buffers = new ArrayList<>(this.params.size());
        this.scalars = new ArrayList<>(this.params.size());
        for (int i = 0; i < this.params.size(); i++) {
            buffers.add(new LinkedHashMap<>());
            scalars.add(new LinkedHashMap<>());
        }
        this.paramSteps = new long[this.params.size()];
    }

    private static List<Tensor> checkedList(String name, List<Tensor> params) {
        if (params == null || params.isEmpty()) {
            throw new IllegalArgumentException(name + ": got an empty parameter list; pass model.parameters()");
        }
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == null) throw new IllegalArgumentException(name + ": parameter " + i + " is null");
        }
        return params;
    }

    private static Map<String, Double> mapOf(String key, double value) {
        LinkedHashMap<String, Double> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    private static List<Tensor> validate(String name, List<Tensor> params) {
        if (params.isEmpty()) {
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
                throw new IllegalArgumentException(name + ": parameters " + earlier + " and " + i
                        + " are the same tensor (a parameter may appear once, in one group)");
            }
        }
        return params;
    }

    /** Checks one option's value; {@code group} is -1 for a default, or where there is one group. */
    final void checkOption(int group, String option, double value) {
        Check check = checks.get(option);
        String where = group >= 0 ? name + ": group " + group + ": " : name + ": ";
        if (check == null) {
            throw new IllegalArgumentException(where + "unknown option '" + option + "'; " + name + " has " + checks.keySet());
        }
        if (!check.ok().test(value)) {
            throw new IllegalArgumentException(where + "invalid " + check.what() + ": " + value + " (expected " + check.expected() + ")");
        }
    }

    /** Checks rules that span a group's options (such as SGD's Nesterov needing momentum); throws if one fails. */
    protected void checkGroup(ParamGroup group) {
    }

    /** The parameters of all groups, in the order their state is indexed. */
    public final List<Tensor> params() {
        return params;
    }

    /** The parameter groups, live: setting an option on one changes the following steps. */
    public final List<ParamGroup> paramGroups() {
        return groups;
    }

    /** The group that holds parameter {@code index}. */
    protected final ParamGroup groupOf(int index) {
        return groups.get(groupOf[index]);
    }

    /** Whether the optimizer has the option, such as "momentum" or "beta1". */
    public final boolean hasOption(String option) {
        return checks.containsKey(option);
    }

    /** The first group's learning rate (the rate, with one group). */
    public final double lr() {
        return groups.get(0).lr();
    }

    /** Sets every group's learning rate to {@code lr}; see {@link ParamGroup#lr(double)} to set one group's. */
    public final void setLr(double lr) {
        checkOption(-1, LR, lr); // before any group changes
        for (ParamGroup g : groups) g.lr(lr);
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
                ParamGroup group = groupOf(i);
                paramSteps[i]++;
                update(i, p, group.flag(MAXIMIZE) ? g.neg() : g, paramSteps[i], group);
            }
        }
        stepCount++;
    }

    /**
     * Updates one parameter in place; called with grad mode off.
     *
     * @param index     the parameter's index, for {@link #buffer}
     * @param grad      the gradient, already negated if the group maximizes
     * @param paramStep how many updates this parameter has had, this one included (1 on its first)
     * @param group     the parameter's group, whose options to use
     */
    protected abstract void update(int index, Tensor param, Tensor grad, long paramStep, ParamGroup group);

    /**
     * Weight decay as the Adam family applies it: decoupled (AdamW's), p *= 1 - lr * weightDecay in place and the
     * gradient unchanged; coupled (L2), the gradient plus weightDecay * p. Returns the gradient to use.
     */
    protected static Tensor applyWeightDecay(Tensor param, Tensor grad, double lr, double weightDecay, boolean decoupled) {
        if (weightDecay == 0) return grad;
        if (decoupled) {
            param.mulInPlace(1 - lr * weightDecay);
            return grad;
        }
        return grad.add(param.mul(weightDecay));
    }

    /**
     * The names of the per-parameter state tensors that this optimizer keeps for a parameter of this group; each is
     * created by {@link #buffer} and shaped like its parameter.
     */
    protected abstract List<String> bufferNames(ParamGroup group);

    /** The names of per-parameter scalars besides the step count (such as NAdam's "mu_product"). */
    protected List<String> scalarStateNames() {
        return List.of();
    }

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
        return buffer(index, bufferName, 0);
    }

    /** The named state tensor of parameter {@code index}, created filled with {@code initial} on first use. */
    protected final Tensor buffer(int index, String bufferName, double initial) {
        Map<String, Tensor> state = buffers.get(index);
        Tensor b = state.get(bufferName);
        if (b == null) {
            try (Grad.Mode noGrad = Grad.disabled()) {
                b = Scope.persist(initial == 0 ? Tensor.zerosLike(params.get(index)) : Tensor.fullLike(params.get(index), initial));
            }
            state.put(bufferName, b);
        }
        return b;
    }

    /** A per-parameter scalar, {@code initial} until first set. */
    protected final double scalarState(int index, String stateName, double initial) {
        return scalars.get(index).getOrDefault(stateName, initial);
    }

    /** Sets a per-parameter scalar (one of {@link #scalarStateNames()}). */
    protected final void setScalarState(int index, String stateName, double value) {
        scalars.get(index).put(stateName, value);
    }

    /**
     * The optimizer's state: {@code "step"}; each group's parameter indices and options as
     * {@code "param_groups.<g>.<option>"}; then for each parameter that has state its scalars and tensors as
     * {@code "state.<index>.<name>"}. The per-parameter tensors are the live state, not copies (as in PyTorch):
     * clone them to keep a snapshot across further steps.
     */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        out.put("step", Tensor.scalar((double) stepCount));
        int first = 0;
        for (ParamGroup g : groups) {
            long[] indices = new long[g.params().size()];
            for (int k = 0; k < indices.length; k++) indices[k] = first + k;
            first += indices.length;
            String prefix = "param_groups." + g.index() + ".";
            out.put(prefix + PARAMS, Tensor.of(indices, indices.length));
            for (Map.Entry<String, Double> e : g.options().entrySet()) out.put(prefix + e.getKey(), Tensor.scalar(e.getValue()));
            if (!Double.isNaN(g.initialLr())) out.put(prefix + INITIAL_LR, Tensor.scalar(g.initialLr()));
        }
        for (int i = 0; i < params.size(); i++) {
            if (countsParamSteps() && paramSteps[i] > 0) out.put("state." + i + "." + PARAM_STEP, Tensor.scalar((double) paramSteps[i]));
            for (Map.Entry<String, Double> e : scalars.get(i).entrySet()) out.put("state." + i + "." + e.getKey(), Tensor.scalar(e.getValue()));
            for (Map.Entry<String, Tensor> e : buffers.get(i).entrySet()) out.put("state." + i + "." + e.getKey(), e.getValue());
        }
        return out;
    }

    /**
     * Replaces this optimizer's state with one from {@link #stateDict()} of an optimizer of the same kind over
     * parameters of the same shapes, grouped the same way; like PyTorch, the groups' options (learning rates,
     * betas, ...) are restored too. Strict: every key, shape and value is checked first, and nothing changes if any
     * is wrong. Parameters absent from the dict lose their state. Tensors are copied onto each parameter's device and
     * converted to its dtype. A state dict from before parameter groups (with one {@code "lr"} key and no
     * {@code param_groups}) sets every group's learning rate.
     */
    public void loadStateDict(Map<String, Tensor> stateDict) {
        List<String> problems = new ArrayList<>();
        Tensor stepTensor = stateDict.get("step");
        if (stepTensor == null) problems.add("missing key 'step'");
        else if (stepTensor.numel() != 1 || !stepTensor.dtype().isFloating()) problems.add("'step' must be a one-element floating tensor, got " + stepTensor.dtype() + stepTensor.shape());

        // The groups' options as they will be after loading (checked on copies, applied at the end).
        boolean legacy = stateDict.keySet().stream().noneMatch(k -> GROUP_KEY.matcher(k).matches());
        List<Map<String, Double>> newOptions = new ArrayList<>();
        double[] newInitialLr = new double[groups.size()];
        for (ParamGroup g : groups) {
            newOptions.add(new LinkedHashMap<>(g.options()));
            newInitialLr[g.index()] = g.initialLr();
        }
        if (legacy) {
            Tensor lr = stateDict.get(LR);
            if (lr == null) problems.add("missing key 'param_groups.0.lr' (or, in a state dict from before groups, 'lr')");
            else if (lr.numel() != 1 || !lr.dtype().isFloating()) problems.add("'lr' must be a one-element floating tensor, got " + lr.dtype() + lr.shape());
            else {
                double v = lr.item();
                if (!checks.get(LR).ok().test(v)) problems.add("invalid learning rate lr: " + v + " (expected finite and >= 0)");
                for (Map<String, Double> o : newOptions) o.put(LR, v);
            }
        } else {
            readGroups(stateDict, problems, newOptions, newInitialLr);
        }

        Map<Integer, Map<String, Tensor>> byParam = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
            String key = e.getKey();
            if (key.equals("step") || (legacy && key.equals(LR)) || GROUP_KEY.matcher(key).matches()) continue;
            Matcher m = STATE_KEY.matcher(key);
            if (!m.matches()) {
                problems.add("unexpected key '" + key + "' (expected step, param_groups.<g>.<option> and state.<index>.<name>)");
                continue;
            }
            int index = parseIndex(m.group(1));
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
            String stateName = m.group(2);
            List<String> perParam = perParamNames(newOptions.get(groupOf[index]));
            if (!perParam.contains(stateName)) {
                problems.add("unexpected key '" + key + "' (parameter " + index + " keeps state.<index>.<one of " + perParam + ">)");
                continue;
            }
            Tensor t = e.getValue();
            boolean scalar = stateName.equals(PARAM_STEP) || scalarStateNames().contains(stateName);
            if (t == null || !t.dtype().isFloating()) {
                problems.add("'" + key + "' must be a floating tensor, got " + (t == null ? "null" : t.dtype().toString()));
            } else if (scalar ? t.numel() != 1 : !t.shape().equals(params.get(index).shape())) {
                problems.add("'" + key + "' has shape " + t.shape() + " but parameter " + index + " has shape " + params.get(index).shape()
                        + (scalar ? " (a scalar state must have one element)" : ""));
            } else if (stateName.equals(PARAM_STEP) && !isCount(t.item(), 1)) {
                problems.add("'" + key + "' must be a whole number >= 1, got " + t.item());
            } else if (scalar && !Double.isFinite(t.item())) {
                problems.add("'" + key + "' must be finite, got " + t.item());
            } else {
                byParam.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(stateName, t);
            }
        }
        for (Map.Entry<Integer, Map<String, Tensor>> e : byParam.entrySet()) {
            List<String> perParam = perParamNames(newOptions.get(groupOf[e.getKey()]));
            if (!e.getValue().keySet().containsAll(perParam)) {
                List<String> missing = new ArrayList<>(perParam);
                missing.removeAll(e.getValue().keySet());
                problems.add("parameter " + e.getKey() + " has partial state: missing " + missing);
            }
        }
        double newStep = stepTensor != null && stepTensor.numel() == 1 ? stepTensor.item() : 0;
        if (stepTensor != null && stepTensor.numel() == 1 && !isCount(newStep, 0)) {
            problems.add("'step' must be a whole number >= 0, got " + newStep);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(name + ".loadStateDict: " + String.join("; ", problems));
        }

        stepCount = (long) newStep;
        for (ParamGroup g : groups) {
            newOptions.get(g.index()).forEach(g::putUnchecked);
            g.setInitialLr(newInitialLr[g.index()]);
        }
        for (int i = 0; i < params.size(); i++) {
            Map<String, Tensor> loaded = byParam.get(i);
            paramSteps[i] = loaded != null && countsParamSteps() ? (long) loaded.get(PARAM_STEP).item() : 0;
            scalars.get(i).clear();
            if (loaded == null) {
                // Dropped, not closed: the caller may still hold these tensors from an earlier stateDict().
                buffers.get(i).clear();
                continue;
            }
            for (String s : scalarStateNames()) scalars.get(i).put(s, loaded.get(s).item());
            List<String> names = bufferNames(groupOf(i));
            buffers.get(i).keySet().retainAll(names);
            try (Grad.Mode noGrad = Grad.disabled()) {
                // Copying into the existing buffers keeps loadStateDict(stateDict()) harmless.
                for (String bufferName : names) buffer(i, bufferName).copyFrom(loaded.get(bufferName));
            }
        }
    }

    /** Reads and checks "param_groups.g.*" into newOptions and newInitialLr. */
    private void readGroups(Map<String, Tensor> stateDict, List<String> problems, List<Map<String, Double>> newOptions,
                            double[] newInitialLr) {
        Map<Integer, Map<String, Tensor>> byGroup = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
            Matcher m = GROUP_KEY.matcher(e.getKey());
            if (!m.matches()) continue;
            int g = parseIndex(m.group(1));
            if (g < 0 || g >= groups.size() || !m.group(1).equals(Integer.toString(g))) {
                problems.add("key '" + e.getKey() + "' names group " + m.group(1) + " but there are " + groups.size() + " groups");
                continue;
            }
            String option = m.group(2);
            if (!option.equals(PARAMS) && !option.equals(INITIAL_LR) && !checks.containsKey(option)) {
                problems.add("unexpected key '" + e.getKey() + "' (" + name + " has the options " + checks.keySet() + ")");
                continue;
            }
            byGroup.computeIfAbsent(g, k -> new LinkedHashMap<>()).put(option, e.getValue());
        }
        int first = 0;
        for (ParamGroup group : groups) {
            int g = group.index();
            Map<String, Tensor> read = byGroup.getOrDefault(g, Map.of());
            String prefix = "param_groups." + g + ".";
            long[] expected = new long[group.params().size()];
            for (int k = 0; k < expected.length; k++) expected[k] = first + k;
            first += expected.length;
            Tensor indices = read.get(PARAMS);
            if (indices == null) {
                problems.add("missing key '" + prefix + PARAMS + "'");
            } else if (indices.dtype().isFloating() || indices.dtype() == DType.BOOL || indices.dim() != 1) {
                problems.add("'" + prefix + PARAMS + "' must be a 1-d integer tensor, got " + indices.dtype() + indices.shape());
            } else if (!Arrays.equals(indices.toLongArray(), expected)) {
                problems.add("'" + prefix + PARAMS + "' holds parameters " + Arrays.toString(indices.toLongArray()) + " but group " + g
                        + " here holds " + Arrays.toString(expected) + " (the optimizers must group their parameters alike)");
            }
            Map<String, Double> options = newOptions.get(g);
            for (String option : checks.keySet()) {
                Tensor t = read.get(option);
                if (t == null) {
                    problems.add("missing key '" + prefix + option + "'");
                } else if (t.numel() != 1 || !t.dtype().isFloating()) {
                    problems.add("'" + prefix + option + "' must be a one-element floating tensor, got " + t.dtype() + t.shape());
                } else {
                    double v = t.item();
                    Check check = checks.get(option);
                    if (check.ok().test(v)) options.put(option, v);
                    else problems.add("'" + prefix + option + "': invalid " + check.what() + ": " + v + " (expected " + check.expected() + ")");
                }
            }
            Tensor initial = read.get(INITIAL_LR);
            if (initial != null) {
                if (initial.numel() != 1 || !initial.dtype().isFloating() || !(initial.item() >= 0) || Double.isInfinite(initial.item())) {
                    problems.add("'" + prefix + INITIAL_LR + "' must be one finite value >= 0, got " + initial.dtype() + initial.shape());
                } else {
                    newInitialLr[g] = initial.item();
                }
            } else {
                newInitialLr[g] = Double.NaN;
            }
            try {
                ParamGroup trial = ParamGroup.of(List.of());
                options.forEach(trial::putUnchecked);
                checkGroup(trial);
            } catch (IllegalArgumentException ex) {
                problems.add("group " + g + ": " + ex.getMessage());
            }
        }
    }

    private List<String> perParamNames(Map<String, Double> options) {
        ParamGroup trial = ParamGroup.of(List.of());
        options.forEach(trial::putUnchecked);
        List<String> names = new ArrayList<>(bufferNames(trial));
        if (countsParamSteps()) names.add(PARAM_STEP);
        names.addAll(scalarStateNames());
        return names;
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
    public final String name() {
        return name;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (ParamGroup g : groups) parts.add((groups.size() > 1 ? "group " + g.index() + " " : "") + g.options());
        return name + "(" + String.join(", ", parts) + ", " + params.size() + " parameters, " + stepCount + " steps)";
    }

    /**
     * A builder of an optimizer with several parameter groups. Options set on the builder are the defaults of every
     * group; {@link #group} overrides some for one group.
     */
    public abstract static class Builder<B extends Builder<B, O>, O extends Optimizer> {
        protected final LinkedHashMap<String, Double> defaults = new LinkedHashMap<>();
        protected final List<ParamGroup> groups = new ArrayList<>();

        protected Builder(double lr) {
            defaults.put(LR, lr);
        }

        @SuppressWarnings("unchecked")
        protected final B self() {
            return (B) this;
        }

        /** Sets an option's default by its PyTorch name. */
        public final B option(String option, double value) {
            defaults.put(option, value);
            return self();
        }

        /** The learning rate of groups that do not set their own. */
        public final B lr(double lr) {
            return option(LR, lr);
        }

        /** The weight decay of groups that do not set their own. */
        public final B weightDecay(double weightDecay) {
            return option(WEIGHT_DECAY, weightDecay);
        }

        /** Whether groups that do not say otherwise ascend instead of descend. */
        public final B maximize(boolean maximize) {
            return option(MAXIMIZE, maximize ? 1 : 0);
        }

        /** A group of these parameters with the builder's options. */
        public final B params(List<Tensor> params) {
            groups.add(ParamGroup.of(params));
            return self();
        }

        /** A group of these parameters, whose options {@code options} overrides: {@code g -> g.weightDecay(0)}. */
        public final B group(List<Tensor> params, Consumer<ParamGroup> options) {
            ParamGroup g = ParamGroup.of(params);
            if (options != null) options.accept(g);
            groups.add(g);
            return self();
        }

        /** Groups made elsewhere, such as {@link ParamGroups#decayOnlyWeights}. */
        public final B groups(List<ParamGroup> groups) {
            if (groups == null) throw new IllegalArgumentException("Optimizer.Builder.groups: the list is null");
            this.groups.addAll(groups);
            return self();
        }

        /** The optimizer. */
        public abstract O build();
    }
}
