package io.jgrad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A differentiable function with its own forward and backward, as PyTorch's {@code torch.autograd.Function}:
 * subclass it, write {@link #forward} with any tensor ops and {@link #backward} with the gradient rule, and call
 * {@link #apply} (one output) or {@link #applyAll} (several). Calls record one graph node named after the function
 * ({@code ExpFnBackward} for a class {@code ExpFn}).
 * <pre>{@code
 * final class ExpFn extends CustomFunction {
 *     @Override
 *     protected Tensor[] forward(Context ctx, Tensor... in) {
 *         Tensor y = in[0].exp();
 *         ctx.saveForBackward(y);
 *         return new Tensor[]{y};
 *     }
 *
 *     @Override
 *     protected Tensor[] backward(Context ctx, Tensor... gradOut) {
 *         return new Tensor[]{gradOut[0].mul(ctx.saved(0))};
 *     }
 * }
 * Tensor y = new ExpFn().apply(x);
 * }</pre>
 * <ul>
 * <li>{@code forward} runs with grad mode off, so the ops in it record nothing; its outputs are attached to the
 * function's node when grad mode is on and an input requires grad. An output that is one of the inputs comes back as
 * a new tensor over the same memory, so the input keeps its own place in the graph.</li>
 * <li>{@code backward} gets one gradient per output (zeros for an output that received none, unless
 * {@link Context#setMaterializeGrads(boolean)} turned that off, then null) and returns one gradient per input, null
 * where an input gets none. A gradient for an input that needs none is ignored; one of a broadcast shape is summed
 * back to the input's shape, one of another floating dtype converted to the input's (as in PyTorch). A wrong count, a
 * shape that does not reduce to the input's, or another device fails, naming the function and the shapes.</li>
 * <li>{@code backward} runs as every backward rule does, with grad mode off: jgrad has no {@code create_graph}, so
 * gradients of gradients (double backward) are not available, for custom functions as for built-in ops.</li>
 * <li>Non-tensor arguments are the function object's own fields, set by its constructor
 * ({@code new ClampFn(0, 1).apply(x)}); values that forward computes for backward go in {@link Context#put}.
 * A null input is allowed (an optional tensor) and gets no gradient.</li>
 * </ul>
 * The class is {@code CustomFunction} rather than {@code Function} so that it does not shadow
 * {@code java.util.function.Function}, which {@link GradCheck} and user code take.
 */
public abstract class CustomFunction {

    /** Computes the outputs from the inputs (grad mode is off); saves what backward needs in {@code ctx}. */
    protected abstract Tensor[] forward(Context ctx, Tensor... inputs);

    /** Computes one gradient per input (null where none) from one gradient per output of {@link #forward}. */
    protected abstract Tensor[] backward(Context ctx, Tensor... gradOutputs);

    /** The function's name in errors and in its graph node's name; the class's simple name by default. */
    public String name() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? "CustomFunction" : n;
    }

    /** Runs the function on the inputs and returns its only output. */
    public final Tensor apply(Tensor... inputs) {
        Tensor[] outs = applyAll(inputs);
        if (outs.length != 1) {
            throw new IllegalStateException(name() + ": forward returned " + outs.length + " outputs; call applyAll to get all of them");
        }
        return outs[0];
    }

    /** Runs the function on the inputs and returns all its outputs, in forward's order. */
    public final Tensor[] applyAll(Tensor... inputs) {
        Objects.requireNonNull(inputs, "applyAll: the inputs array is null");
        String name = name();
        int n = inputs.length;
        boolean[] needs = new boolean[n];
        boolean record = false;
        if (Grad.isEnabled()) {
            for (int i = 0; i < n; i++) {
                needs[i] = inputs[i] != null && inputs[i].requiresGrad;
                record |= needs[i];
            }
        }
        Context ctx = new Context(name, needs);
        Tensor[] returned;
        try (Grad.Mode ignored = Grad.disabled()) {
            returned = forward(ctx, inputs.clone());
        }
        ctx.inForward = false;
        if (returned == null || returned.length == 0) {
            throw new IllegalStateException(name + ".forward returned no outputs; return an array of at least one tensor");
        }
        Tensor[] outs = returned.clone();
        for (int k = 0; k < outs.length; k++) {
            Tensor o = outs[k];
            if (o == null) throw new IllegalStateException(name + ".forward returned null as output " + k + " of " + outs.length);
            if (o.requiresGrad || o.gradFn != null || indexOf(inputs, o, n) >= 0 || indexOf(outs, o, k) >= 0) {
                outs[k] = o.detach(); // a new tensor object over the same memory, which this node can own
            }
        }
        Tensor[] differentiable = new Tensor[outs.length];
        for (int k = 0; k < outs.length; k++) if (outs[k].dtype().isFloating()) differentiable[k] = outs[k];
        for (Tensor t : ctx.nonDifferentiable) {
            int k = indexOf(returned, t, returned.length);
            if (k < 0) {
                throw new IllegalStateException(name + ": markNonDifferentiable was given a tensor of shape " + t.shape()
                        + " that forward did not return; mark outputs only");
            }
            differentiable[k] = null;
        }
        if (!record || Arrays.stream(differentiable).allMatch(Objects::isNull)) return outs;

        ctx.outputs(outs);
        Tensor[] nodeInputs = inputs.clone();
        boolean[] inputIsNull = new boolean[n];
        for (int i = 0; i < n; i++) inputIsNull[i] = inputs[i] == null;
        String nodeName = name + "Backward";
        Autograd.record(nodeName, differentiable, nodeInputs,
                (grads, nodeNeeds) -> ctx.runBackward(this, nodeName, grads, nodeInputs, inputIsNull),
                ctx.saved);
        return outs;
    }

    private static int indexOf(Tensor[] ts, Tensor t, int end) {
        for (int i = 0; i < end; i++) if (ts[i] == t) return i;
        return -1;
    }

    /**
     * What one call of a custom function keeps between its forward and backward (PyTorch's {@code ctx}): the tensors
     * saved for backward (checked like any saved tensor: a later in-place write or a freed tensor fails clearly),
     * which inputs need a gradient, which outputs are not differentiable, and values of the user's own.
     */
    public static final class Context {
        private static final Saved[] NOTHING = new Saved[0];

        private final String name;
        private final boolean[] needs;
        private Saved[] saved = NOTHING;
        private final ArrayList<Tensor> nonDifferentiable = new ArrayList<>(0);
        private boolean materializeGrads = true;
        private Map<String, Object> values;
        private boolean inForward = true;
        // The outputs' metadata, for gradients materialised as zeros.
        private int[][] outShapes;
        private DType[] outDTypes;
        private Device[] outDevices;

        private Context(String name, boolean[] needs) {
            this.name = name;
            this.needs = needs;
        }

        /**
         * Keeps tensors (inputs, outputs or intermediates) for backward, replacing any saved before; read them with
         * {@link #saved(int)} or {@link #savedTensors()}. Forward only.
         */
        public void saveForBackward(Tensor... tensors) {
            requireForward("saveForBackward");
            Saved[] s = new Saved[tensors.length];
            for (int i = 0; i < tensors.length; i++) {
                s[i] = Saved.of(Objects.requireNonNull(tensors[i], () -> name + ": saveForBackward was given null"));
            }
            saved = s;
        }

        /** The tensors given to {@link #saveForBackward}, in order. */
        public Tensor[] savedTensors() {
            Tensor[] t = new Tensor[saved.length];
            for (int i = 0; i < saved.length; i++) t[i] = saved[i].get();
            return t;
        }

        /** Saved tensor {@code i}. */
        public Tensor saved(int i) {
            if (i < 0 || i >= saved.length) {
                throw new IndexOutOfBoundsException(name + ": saved tensor " + i + " requested, but " + saved.length + " were saved");
            }
            return saved[i].get();
        }

        /** Whether input {@code i} needs a gradient (so backward may skip work for the others). */
        public boolean needsInputGrad(int i) {
            if (i < 0 || i >= needs.length) {
                throw new IndexOutOfBoundsException(name + ": needsInputGrad(" + i + ") but the function has " + needs.length + " input(s)");
            }
            return needs[i];
        }

        /**
         * Marks outputs that carry no gradient (indices, counts, masks): they do not require grad, and backward
         * receives zeros for them. Non-floating outputs are not differentiable anyway. Forward only.
         */
        public void markNonDifferentiable(Tensor... outputs) {
            requireForward("markNonDifferentiable");
            for (Tensor t : outputs) nonDifferentiable.add(Objects.requireNonNull(t, () -> name + ": markNonDifferentiable was given null"));
        }

        /**
         * Whether backward receives zeros (the default) or null for outputs that no gradient reached; null lets
         * backward skip work, but it must then handle null gradients itself.
         */
        public void setMaterializeGrads(boolean materialize) {
            materializeGrads = materialize;
        }

        /** Keeps a value of any kind for backward (PyTorch's {@code ctx.attribute = value}). */
        public void put(String key, Object value) {
            if (values == null) values = new HashMap<>();
            values.put(key, value);
        }

        /** A value kept with {@link #put}; fails if there is none under {@code key}. */
        @SuppressWarnings("unchecked")
        public <T> T get(String key) {
            if (values == null || !values.containsKey(key)) {
                throw new IllegalStateException(name + ": no value was put under \"" + key + "\" in forward");
            }
            return (T) values.get(key);
        }

        private void requireForward(String op) {
            if (!inForward) throw new IllegalStateException(name + ": " + op + " may only be called in forward");
        }

        private void outputs(Tensor[] outs) {
            outShapes = new int[outs.length][];
            outDTypes = new DType[outs.length];
            outDevices = new Device[outs.length];
            for (int k = 0; k < outs.length; k++) {
                outShapes[k] = outs[k].shape.clone();
                outDTypes[k] = outs[k].dtype();
                outDevices[k] = outs[k].device();
            }
        }

        /** The node's rule: the user's backward, with the gradients it receives and returns checked. */
        private Tensor[] runBackward(CustomFunction fn, String nodeName, Tensor[] grads, Tensor[] inputs, boolean[] inputIsNull) {
            if (materializeGrads) {
                for (int k = 0; k < grads.length; k++) {
                    if (grads[k] == null) grads[k] = Tensor.zeros(outDTypes[k], outDevices[k], outShapes[k].clone());
                }
            }
            Tensor[] result = fn.backward(this, grads);
            int n = needs.length;
            if (result == null) {
                throw new IllegalStateException(nodeName + ": backward returned null; return an array with one gradient per input ("
                        + n + "), null for an input without a gradient");
            }
            if (result.length != n) {
                throw new IllegalStateException(nodeName + ": backward returned " + result.length + " gradient(s), but forward took "
                        + n + " input(s); return one per input, null for an input without a gradient");
            }
            Tensor[] out = new Tensor[n];
            for (int i = 0; i < n; i++) {
                Tensor g = result[i];
                if (g == null) continue;
                if (inputIsNull[i]) {
                    throw new IllegalStateException(nodeName + ": backward returned a gradient of shape " + g.shape() + " for input "
                            + i + ", which was null; return null there");
                }
                if (!needs[i]) continue; // as in PyTorch: a gradient for an input that needs none is dropped
                Tensor in = inputs[i];
                if (!g.device().equals(in.device()) || !g.dtype().isFloating()) {
                    throw new IllegalStateException(nodeName + ": backward returned a gradient " + g.dtype() + g.shape() + " on "
                            + g.device() + " for input " + i + ", which is " + in.dtype() + in.shape() + " on " + in.device());
                }
                if (!reducesTo(g.shape, in.shape)) {
                    throw new IllegalStateException(nodeName + ": backward returned a gradient of shape " + g.shape() + " for input "
                            + i + " of shape " + in.shape() + "; a gradient must have its input's shape (or one that"
                            + " broadcasting the input produced)");
                }
                out[i] = g.dtype() == in.dtype() ? g : g.to(in.dtype());
            }
            return out;
        }

        /** Whether broadcasting {@code target} could give {@code shape}, so a gradient of that shape sums back to it. */
        private static boolean reducesTo(int[] shape, int[] target) {
            int lead = shape.length - target.length;
            if (lead < 0) return false;
            for (int i = 0; i < target.length; i++) {
                if (target[i] != shape[lead + i] && target[i] != 1) return false;
            }
            return true;
        }
    }
}
