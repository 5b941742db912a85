package io.jgrad;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The gradient hooks of one tensor, as PyTorch's: hooks that see (and may replace) the tensor's gradient, the
 * retained gradient of a non-leaf, and hooks that run after a leaf's gradient was accumulated.
 * <p>
 * A leaf keeps its hooks itself; backward collects a hooked leaf's gradients until the last node that feeds it has
 * run, then runs the hooks once on the sum and accumulates what they return. A non-leaf's hooks belong to the node
 * that made it (one per output), and the tensor points at the same object: the node runs them on the summed gradient
 * of that output before its rule, in registration order, then stores the result in the tensor's {@code .grad} if
 * {@link Tensor#retainGrad()} asked for it (always last, as in PyTorch). The node refers to the tensor only weakly, so
 * retaining a gradient does not keep the tensor alive.
 */
final class TensorHooks {
    /** One registered hook; it is its own handle. */
    private static final class Entry implements HookHandle {
        final Object hook;
        final ArrayList<Entry> list;
        boolean removed;

        Entry(Object hook, ArrayList<Entry> list) {
            this.hook = hook;
            this.list = list;
        }

        @Override
        public void remove() {
            if (!removed) {
                removed = true;
                list.remove(this);
            }
        }
    }

    private final ArrayList<Entry> pre = new ArrayList<>(1);
    private final ArrayList<Entry> post = new ArrayList<>(0);
    /** The non-leaf whose gradient {@link Tensor#retainGrad()} keeps, or null. */
    private WeakReference<Tensor> retained;

    // Bookkeeping of one backward pass, for hooked leaves (see Autograd.run).
    int mark;
    int lastConsumer;
    Tensor pending;

    // ---------------------------------------------------------------- registration (the Tensor methods)

    static HookHandle registerHook(Tensor t, UnaryOperator<Tensor> hook) {
        Objects.requireNonNull(hook, "registerHook: the hook is null");
        requiresGrad(t, "registerHook");
        TensorHooks h = of(t);
        return h.add(h.pre, hook);
    }

    static HookHandle registerPostAccumulateGradHook(Tensor t, Consumer<Tensor> hook) {
        Objects.requireNonNull(hook, "registerPostAccumulateGradHook: the hook is null");
        requiresGrad(t, "registerPostAccumulateGradHook");
        if (t.gradFn != null) {
            throw new IllegalStateException("registerPostAccumulateGradHook: the tensor of shape " + t.shape() + " was made by "
                    + t.gradFn.name + "; only leaves accumulate gradients (use registerHook on other tensors)");
        }
        TensorHooks h = of(t);
        return h.add(h.post, hook);
    }

    static void retainGrad(Tensor t) {
        requiresGrad(t, "retainGrad");
        if (t.gradFn == null) return; // a leaf keeps its gradient anyway
        TensorHooks h = of(t);
        if (h.retained == null || h.retained.get() != t) h.retained = new WeakReference<>(t);
    }

    static boolean retainsGrad(Tensor t) {
        return t.gradFn != null && t.hooks != null && t.hooks.retained != null && t.hooks.retained.get() == t;
    }

    private static void requiresGrad(Tensor t, String op) {
        if (!t.requiresGrad) {
            throw new IllegalStateException(op + ": the tensor of shape " + t.shape() + " does not require grad, so no"
                    + " gradient will reach it; call requiresGrad(true) on a leaf or use a result of ops on such leaves");
        }
    }

    private static TensorHooks of(Tensor t) {
        if (t.hooks == null) t.hooks = t.gradFn == null ? new TensorHooks() : t.gradFn.hooksOf(t.outputNr);
        return t.hooks;
    }

    private HookHandle add(ArrayList<Entry> list, Object hook) {
        Entry e = new Entry(hook, list);
        list.add(e);
        return e;
    }

    // ---------------------------------------------------------------- running (from the backward pass)

    /** A non-leaf's hooks, run by its node on the gradient of this output; returns the gradient the node uses. */
    Tensor beforeNode(Tensor g, Node node) {
        g = runHooks(g, node);
        Tensor t = retained == null ? null : retained.get();
        if (t != null) {
            if (t.grad == null) t.grad = Scope.persist(g.clone());
            else t.grad.addInPlace(g);
        }
        return g;
    }

    /** Runs a leaf's hooks on the sum of its gradients in this pass, accumulates the result, then the post hooks. */
    static void accumulateLeaf(Tensor leaf, Tensor g) {
        TensorHooks h = leaf.hooks;
        Autograd.accumulate(leaf, h.runHooks(g, null));
        if (!h.post.isEmpty()) {
            for (Entry e : h.post.toArray(new Entry[0])) {
                if (!e.removed) {
                    @SuppressWarnings("unchecked")
                    Consumer<Tensor> hook = (Consumer<Tensor>) e.hook;
                    hook.accept(leaf);
                }
            }
        }
    }

    /** The pre hooks in registration order, each seeing the previous one's result; null keeps the gradient. */
    private Tensor runHooks(Tensor g, Node node) {
        if (pre.isEmpty()) return g;
        for (Entry e : pre.toArray(new Entry[0])) { // a hook may remove itself or another one while running
            if (e.removed) continue;
            @SuppressWarnings("unchecked")
            UnaryOperator<Tensor> hook = (UnaryOperator<Tensor>) e.hook;
            Tensor r = hook.apply(g);
            if (r == null) continue;
            if (!Arrays.equals(r.shape, g.shape) || r.dtype() != g.dtype() || !r.device().equals(g.device())) {
                throw new IllegalStateException("gradient hook on " + (node == null ? "a leaf" : "the output of " + node.name)
                        + ": it returned " + r.dtype() + r.shape() + " on " + r.device() + " for the gradient " + g.dtype()
                        + g.shape() + " on " + g.device() + "; a hook must return a gradient of the same shape, dtype and"
                        + " device, or null to keep the gradient it was given");
            }
            g = r;
        }
        return g;
    }
}
