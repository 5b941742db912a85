package io.jgrad.optim;

import io.jgrad.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of parameters with their own hyper-parameters, as an entry of PyTorch's {@code optimizer.param_groups}.
 * <p>
 * Before it reaches an optimizer a group is a request: its parameters plus the options it overrides, written with
 * the fluent setters ({@code ParamGroup.of(biases).weightDecay(0)}); every option it does not set takes the
 * optimizer's default. The optimizer then keeps its own copy, complete with every option, which
 * {@link Optimizer#paramGroups()} returns live: changing it ({@code group.lr(1e-4)}) changes the following steps, and
 * a bad value is refused at once, naming the optimizer, the group and the option.
 * <p>
 * Options carry PyTorch's names ({@code lr}, {@code weight_decay}, {@code eps}, {@code momentum},
 * {@code maximize}, ...), except that Adam's {@code betas} pair is the two options {@code beta1} and {@code beta2}.
 * Flags are stored as 0 and 1. An option the optimizer does not have ({@code momentum} for Adam) is refused.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final LinkedHashMap<String, Double> options = new LinkedHashMap<>();
    private Optimizer owner;
    private int index = -1;
    private double initialLr = Double.NaN;

    private ParamGroup(List<Tensor> params) {
        this.params = params;
    }

    /** A group of these parameters; its options are the optimizer's defaults until set here. */
    public static ParamGroup of(List<Tensor> params) {
        if (params == null) throw new IllegalArgumentException("ParamGroup.of: the parameter list is null");
        return new ParamGroup(List.copyOf(params));
    }

    /** A group of these parameters; its options are the optimizer's defaults until set here. */
    public static ParamGroup of(Tensor... params) {
        return of(List.of(params));
    }

    /** The optimizer's complete copy of a requested group. */
    static ParamGroup adopt(ParamGroup request, Optimizer owner, int index, Map<String, Double> defaults) {
        ParamGroup g = new ParamGroup(request.params);
        g.options.putAll(defaults);
        g.options.putAll(request.options);
        g.owner = owner;
        g.index = index;
        return g;
    }

    /** The group's parameters. */
    public List<Tensor> params() {
        return params;
    }

    /** This group's learning rate. */
    public double lr() {
        return get(Optimizer.LR);
    }

    /** Sets this group's learning rate (a scheduler calls this). */
    public ParamGroup lr(double lr) {
        return set(Optimizer.LR, lr);
    }

    /** Sets the weight decay (L2 or decoupled, as the optimizer defines it). */
    public ParamGroup weightDecay(double weightDecay) {
        return set(Optimizer.WEIGHT_DECAY, weightDecay);
    }

    /** Sets Adam's pair of averaging coefficients (PyTorch's {@code betas}). */
    public ParamGroup betas(double beta1, double beta2) {
        if (owner != null) owner.checkOption(index, Optimizer.BETA2, beta2); // both or neither
        set(Optimizer.BETA1, beta1);
        return set(Optimizer.BETA2, beta2);
    }

    /** Sets the term added to denominators for stability. */
    public ParamGroup eps(double eps) {
        return set(Optimizer.EPS, eps);
    }

    /** Sets the momentum factor (SGD, RMSprop). */
    public ParamGroup momentum(double momentum) {
        return set(Optimizer.MOMENTUM, momentum);
    }

    /** Ascends instead of descending (the gradient's sign is flipped before the update). */
    public ParamGroup maximize(boolean maximize) {
        return set(Optimizer.MAXIMIZE, maximize);
    }

    /** Sets any option by its PyTorch name, such as {@code "lr_decay"}. */
    public ParamGroup set(String option, double value) {
        if (option == null) throw new IllegalArgumentException("ParamGroup.set: the option name is null");
        if (owner == null) {
            options.put(option, value);
            return this;
        }
        owner.checkOption(index, option, value);
        Double old = options.put(option, value);
        try {
            owner.checkGroup(this);
        } catch (RuntimeException e) {
            options.put(option, old); // a refused value changes nothing
            throw e;
        }
        return this;
    }

    /** Sets a flag option by its PyTorch name, such as {@code "amsgrad"}. */
    public ParamGroup set(String option, boolean value) {
        return set(option, value ? 1.0 : 0.0);
    }

    /** Whether this group sets (or, once in an optimizer, has) the option. */
    public boolean has(String option) {
        return options.containsKey(option);
    }

    /** The value of an option (a flag reads as 0 or 1). */
    public double get(String option) {
        Double v = options.get(option);
        if (v == null) {
            throw new IllegalArgumentException("ParamGroup" + (index >= 0 ? " " + index : "") + ": no option '" + option
                    + "' (has " + options.keySet() + ")");
        }
        return v;
    }

    /** The value of a flag option. */
    public boolean flag(String option) {
        return get(option) != 0;
    }

    /** Every option, by name, in a read-only view. */
    public Map<String, Double> options() {
        return Collections.unmodifiableMap(options);
    }

    /**
     * The learning rate that schedules scale (PyTorch's {@code initial_lr}): the group's rate when the first
     * {@link Scheduler} was attached, or NaN before that. Saved in the optimizer's state dict.
     */
    public double initialLr() {
        return initialLr;
    }

    void setInitialLr(double initialLr) {
        this.initialLr = initialLr;
    }

    /** The group's position in its optimizer, or -1 before it joins one. */
    public int index() {
        return index;
    }

    /** Sets an option without the owner's checks (state loading, which checked everything first). */
    void putUnchecked(String option, double value) {
        options.put(option, value);
    }

    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " parameters, " + options + ")";
    }
}
