package io.jgrad;

import java.util.Arrays;

/**
 * One recorded operation in the autograd graph: its inputs, the tensors its backward rule needs, and the rule.
 * Saved tensors are checked when backward unpacks them: freed by a scope, released by an earlier backward, or
 * modified in place since they were saved — each is a clear error rather than a wrong gradient.
 */
final class Node {
    /**
     * Computes the gradient of each input from the gradient of the output; entries may be null (no gradient).
     * {@code needs[i]} is true exactly when input i needs a gradient, so rules can skip work. Rules read what they
     * saved through their own {@link Saved} variables, which the node has checked before the rule runs.
     */
    interface Rule {
        Tensor[] backward(Tensor grad, boolean[] needs);
    }

    /** A rule for a node with several outputs (a {@link CustomFunction}'s): one gradient per output, null where none arrived. */
    interface MultiRule {
        Tensor[] backward(Tensor[] grads, boolean[] needs);
    }

    private static final Saved[] NOTHING = new Saved[0];

    final String name;
    /** The inputs that need a gradient, null where an input needs none. */
    final Tensor[] inputs;
    private final boolean[] needs;
    private final Rule rule;
    private final MultiRule multiRule;
    private final Saved[] saved;
    private boolean released;
    /** Where user code created this op; recorded only in anomaly mode. */
    final StackTraceElement[] createdAt;

    /** The gradient hooks of each output (Tensor.registerHook, retainGrad); null until one is registered. */
    TensorHooks[] hooks;

    // Bookkeeping of one backward pass.
    int mark;
    /** The gradients that reached each output so far (most nodes have one output). */
    final Tensor[] pending;

    Node(String name, Tensor[] inputs, Saved[] saved, Rule rule) {
        this(name, inputs, saved, rule, null, 1);
    }

    Node(String name, Tensor[] inputs, Saved[] saved, MultiRule rule, int outputs) {
        this(name, inputs, saved, null, rule, outputs);
    }

    private Node(String name, Tensor[] inputs, Saved[] saved, Rule rule, MultiRule multiRule, int outputs) {
        this.name = name;
        this.inputs = inputs;
        this.needs = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) needs[i] = inputs[i] != null;
        this.rule = rule;
        this.multiRule = multiRule;
        this.pending = new Tensor[outputs];
        this.saved = saved == null ? NOTHING : saved;
        this.createdAt = Grad.isAnomalyDetectionEnabled() ? new Throwable().getStackTrace() : null;
        this.userCode = multiRule != null;
    }

    /** Adds a gradient that reached output {@code output} in this pass. */
    void receive(int output, Tensor g) {
        Tensor p = pending[output];
        pending[output] = p == null ? g : p.add(g);
    }

    /**
     * Whether the rule runs user code that may keep the gradients it sees (a custom function's backward, a module's
     * backward hook): then backward frees no gradient early (see Autograd's Freeing).
     */
    boolean userCode;

    /** Whether any gradient reached this node in this pass. */
    boolean reached() {
        for (Tensor p : pending) if (p != null) return true;
        return false;
    }

    /** Runs the outputs' hooks on the gradients received, then the rule; the received gradients are cleared. */
    Tensor[] apply() {
        if (released) {
            throw new IllegalStateException(name + ": trying to backward through the graph a second time; its saved"
                    + " tensors were released by the first backward. Call backward(gradient, true) to keep the graph.");
        }
        for (Saved s : saved) s.check(name);
        if (hooks != null) {
            for (int k = 0; k < hooks.length; k++) {
                if (hooks[k] != null && pending[k] != null) pending[k] = hooks[k].beforeNode(pending[k], this);
            }
        }
        if (multiRule == null) {
            Tensor g = pending[0];
            pending[0] = null;
            return rule.backward(g, needs);
        }
        Tensor[] grads = pending.clone();
        Arrays.fill(pending, null);
        return multiRule.backward(grads, needs);
    }

    /** The hooks of output {@code output}, created on first use. */
    TensorHooks hooksOf(int output) {
        if (hooks == null) hooks = new TensorHooks[pending.length];
        if (hooks[output] == null) hooks[output] = new TensorHooks();
        return hooks[output];
    }

    /**
     * Drops the saved tensors after a backward pass that does not keep the graph, closing the node's references to
     * them (as PyTorch frees a node's saved variables once it has run), so an activation whose user-visible tensor is
     * closed already is freed here. A rule of user code (a custom function) may keep what it read, so its references
     * are left to their Scope. {@code grads} is what the rule returned (null if it failed).
     */
    void release(Tensor[] grads) {
        if (saved.length > 0) {
            for (Saved s : saved) s.release(!userCode, grads);
            released = true;
        }
    }

    /**
     * The first stack frame outside the core (the user's call, or the nn/optim code that made the op, followed then
     * by the user's call into that library).
     */
    String creationSite() {
        if (createdAt == null) return "(enable Grad.detectAnomaly() to record where ops are created)";
        String first = null;
        for (StackTraceElement e : createdAt) {
            String c = e.getClassName();
            if (isCore(c)) continue;
            if (first == null) {
                first = e.toString();
                if (!isLibrary(c)) return first;
            } else if (!isLibrary(c)) {
                return first + ", called from " + e;
            }
        }
        return first != null ? first : Arrays.toString(createdAt);
    }

    /** Classes of this package (Tensor, the op families) and of the SPI: never the place a user wants to see. */
    private static boolean isCore(String className) {
        return className.startsWith("io.jgrad.") && className.indexOf('.', "io.jgrad.".length()) < 0
                || className.startsWith("io.jgrad.spi.");
    }

    /** jgrad's own layers above the core, through which user code usually creates ops. */
    private static boolean isLibrary(String className) {
        return className.startsWith("io.jgrad.nn.") || className.startsWith("io.jgrad.optim.")
                || className.startsWith("io.jgrad.data.") || className.startsWith("io.jgrad.io.") || className.startsWith("io.jgrad.amp.");
    }
}
