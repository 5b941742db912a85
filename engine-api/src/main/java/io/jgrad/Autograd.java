package io.jgrad;

import io.jgrad.amp.Autocast;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Graph recording and the reverse pass. Recording happens in the ops ({@link #record}); {@link #backward} sorts the
 * graph topologically with an explicit stack (so a million-node chain cannot overflow the call stack), then runs
 * each node's rule once, summing the gradients that reach a node from several consumers.
 */
final class Autograd {
    private static final AtomicInteger PASS = new AtomicInteger();

    private Autograd() {
    }

    /** Whether an op over these inputs must be recorded. */
    static boolean needed(Tensor a) {
        return a.requiresGrad && Grad.isEnabled();
    }

    static boolean needed(Tensor a, Tensor b) {
        return (a.requiresGrad || b.requiresGrad) && Grad.isEnabled();
    }

    static boolean needed(Tensor[] ts) {
        if (!Grad.isEnabled()) return false;
        for (Tensor t : ts) if (t.requiresGrad) return true;
        return false;
    }

    /**
     * Attaches a node to {@code out}. Callers check {@link #needed} first, so no-grad code allocates nothing here.
     * {@code inputs} must be a fresh array: the node keeps it, with inputs that need no gradient set to null.
     * {@code saved} are the tensors the rule reads, which the node checks before the rule runs and drops after it.
     */
    static Tensor record(String name, Tensor out, Tensor[] inputs, Node.Rule rule, Saved... saved) {
        for (int i = 0; i < inputs.length; i++) if (!inputs[i].requiresGrad) inputs[i] = null;
        Node node = new Node(name, inputs, saved, rule);
        out.gradFn = node;
        out.requiresGrad = true;
        if (node.createdAt != null) Anomaly.checkForward(out); // createdAt is recorded only in anomaly mode
        return out;
    }

    /**
     * As {@link #record}, for a node with several outputs (a {@link CustomFunction}'s): output k of the node is
     * {@code outs[k]}; a null entry is an output that takes no gradient.
     */
    static void record(String name, Tensor[] outs, Tensor[] inputs, Node.MultiRule rule, Saved... saved) {
        recordMulti(name, outs, inputs, rule, saved).userCode = true;
    }

    /**
     * As the multi-output {@link #record}, for a core op whose rule runs no user code (so the pass may free its
     * gradients early, as for single-output ops).
     */
    static void recordOp(String name, Tensor[] outs, Tensor[] inputs, Node.MultiRule rule, Saved... saved) {
        recordMulti(name, outs, inputs, rule, saved).userCode = false;
    }

    private static Node recordMulti(String name, Tensor[] outs, Tensor[] inputs, Node.MultiRule rule, Saved... saved) {
        for (int i = 0; i < inputs.length; i++) if (inputs[i] != null && !inputs[i].requiresGrad) inputs[i] = null;
        Node node = new Node(name, inputs, saved, rule, outs.length);
        for (int k = 0; k < outs.length; k++) {
            Tensor out = outs[k];
            if (out == null) continue;
            out.gradFn = node;
            out.outputNr = k;
            out.requiresGrad = true;
            if (node.createdAt != null) Anomaly.checkForward(out);
        }
        return node;
    }

    static void backward(Tensor root, Tensor grad, boolean keepGraph) {
        if (root.isClosed()) {
            throw new IllegalStateException("backward: the output tensor of shape " + root.shape() + " was closed (by close() or"
                    + " by the Scope that owned it); call backward() before the scope ends or keep the tensor with scope.keep()");
        }
        if (!root.requiresGrad) {
            throw new IllegalStateException("backward: tensor of shape " + root.shape()
                    + " does not require grad and has no grad_fn; call requiresGrad(true) on the inputs you differentiate");
        }
        long passStart = Storage.nextSerial(); // gradients made from here on belong to this pass
        if (grad == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("backward: grad can be implicitly created only for scalar outputs, but"
                        + " the output has shape " + root.shape() + "; pass a gradient of that shape to backward(gradient)");
            }
            grad = Tensor.onesLike(root);
        } else {
            if (!grad.shape().equals(root.shape())) {
                throw new IllegalArgumentException("backward: gradient shape " + grad.shape() + " does not match output shape " + root.shape());
            }
            if (!grad.device().equals(root.device()) || grad.dtype() != root.dtype()) {
                throw new IllegalArgumentException("backward: gradient is " + grad.dtype() + " on " + grad.device()
                        + " but the output is " + root.dtype() + " on " + root.device());
            }
        }
        // Backward ops run in the dtypes their forward ops ran in: autocast is off during the pass.
        try (Grad.Mode ignored = Grad.disabled(); Autocast noAutocast = Autocast.disable()) {
            if (root.gradFn == null) {
                if (root.hooks != null) TensorHooks.accumulateLeaf(root, grad);
                else accumulate(root, grad);
                return;
            }
            ArrayList<Tensor> hookedLeaves = new ArrayList<>(0);
            ArrayList<Node> order = topologicalOrder(root.gradFn, hookedLeaves);
            root.gradFn.receive(root.outputNr, grad);
            try {
                run(order, hookedLeaves, keepGraph, Freeing.of(order, hookedLeaves, passStart, grad));
            } finally {
                // After a failure, gradients parked on nodes not yet reached must not leak into the next pass.
                for (int i = order.size() - 1; i >= 0; i--) Arrays.fill(order.get(i).pending, null);
                for (Tensor leaf : hookedLeaves) leaf.hooks.pending = null;
            }
        }
    }

    /**
     * Runs each node's rule from the root down, in reverse topological order, sending gradients to the inputs. Leaves
     * with hooks collect their gradients until the last node that feeds them has run; then their hooks see the sum
     * once, before it is accumulated (as PyTorch's AccumulateGrad node does).
     */
    private static void run(ArrayList<Node> order, ArrayList<Tensor> hookedLeaves, boolean keepGraph, Freeing freeing) {
        boolean anomaly = Grad.isAnomalyDetectionEnabled();
        int nextLeaf = hookedLeaves.size() - 1;
        for (int i = order.size() - 1; i >= 0; i--) {
            Node node = order.get(i);
            if (node.reached()) {
                Tensor[] grads = null;
                Tensor[] incoming = freeing == null ? null : node.pending.clone();
                long mark = Storage.nextSerial();
                // Where no user code runs, the rule runs in a scope of its own that keeps only the gradients it
                // returns: its other results (views of saved tensors, intermediate products) are freed at once.
                Scope ruleScope = freeing == null ? null : Scope.open();
                try {
                    grads = node.apply();
                } finally {
                    if (ruleScope != null) {
                        if (grads != null) for (Tensor g : grads) if (g != null) ruleScope.keep(g);
                        ruleScope.close();
                    }
                    if (!keepGraph) node.release(grads);
                }
                if (freeing != null) freeing.taken(incoming, grads, node);
                for (int j = 0; j < node.inputs.length; j++) {
                    Tensor input = node.inputs[j];
                    Tensor gj = grads[j];
                    if (input == null || gj == null) continue;
                    gj = reduceToShape(gj, input, node.name);
                    if (anomaly) Anomaly.checkBackward(node, gj, j);
                    if (input.gradFn != null) {
                        Tensor before = input.gradFn.pending[input.outputNr];
                        input.gradFn.receive(input.outputNr, gj);
                        if (freeing != null) freeing.received(before, gj, input.gradFn.pending[input.outputNr]);
                    } else if (input.hooks != null) {
                        TensorHooks h = input.hooks;
                        h.pending = h.pending == null ? gj : h.pending.add(gj);
                    } else {
                        accumulate(input, gj, ownedByThisRule(gj, grads, j, mark));
                        if (freeing != null) freeing.candidate(gj, input.grad == gj);
                    }
                }
                if (freeing != null) freeing.closeUnused();
            }
            for (; nextLeaf >= 0 && hookedLeaves.get(nextLeaf).hooks.lastConsumer == i; nextLeaf--) {
                Tensor leaf = hookedLeaves.get(nextLeaf);
                Tensor g = leaf.hooks.pending;
                leaf.hooks.pending = null;
                if (g != null) TensorHooks.accumulateLeaf(leaf, g);
            }
        }
    }

    /**
     * Nodes in post-order (inputs before their consumers), found without recursion. Leaves with hooks are added to
     * {@code hookedLeaves} in the order of their last consumer in the reverse pass (the first in this order), which
     * each records in {@link TensorHooks#lastConsumer}.
     */
    private static ArrayList<Node> topologicalOrder(Node root, ArrayList<Tensor> hookedLeaves) {
        int pass = PASS.incrementAndGet();
        ArrayList<Node> order = new ArrayList<>();
        Node[] stack = new Node[64];
        int[] next = new int[64];
        int top = 0;
        stack[0] = root;
        next[0] = 0;
        root.mark = pass;
        while (top >= 0) {
            Node n = stack[top];
            Tensor[] ins = n.inputs;
            int k = next[top];
            Node child = null;
            while (k < ins.length) {
                Tensor in = ins[k++];
                if (in != null && in.gradFn != null && in.gradFn.mark != pass) {
                    child = in.gradFn;
                    break;
                }
            }
            next[top] = k;
            if (child != null) {
                child.mark = pass;
                if (++top == stack.length) {
                    stack = Arrays.copyOf(stack, top * 2);
                    next = Arrays.copyOf(next, top * 2);
                }
                stack[top] = child;
                next[top] = 0;
            } else {
                for (Tensor in : ins) {
                    if (in != null && in.gradFn == null && in.hooks != null && in.hooks.mark != pass) {
                        in.hooks.mark = pass;
                        in.hooks.lastConsumer = order.size();
                        hookedLeaves.add(in);
                    }
                }
                order.add(n);
                stack[top--] = null;
            }
        }
        return order;
    }

    /**
     * Closes the gradients a pass makes as soon as nothing will read them again, rather than when the caller's scope
     * ends: a node's incoming gradient once its rule has run, a gradient summed into another, a rule's result once
     * it is reduced or copied into a leaf's .grad. Each such tensor is counted by the pending slots that hold it, and
     * closed when none does and it is neither a leaf's .grad nor older than the pass (a saved tensor, the caller's
     * gradient). Closing a view only drops its own reference, so a view that lives on keeps its storage. Hooks and
     * custom functions run user code that may keep a gradient, so a graph with either frees nothing early.
     */
    private static final class Freeing {
        private final long passStart;
        private final IdentityHashMap<Tensor, Integer> held = new IdentityHashMap<>();
        private final IdentityHashMap<Tensor, Boolean> kept = new IdentityHashMap<>();
        private final ArrayList<Tensor> candidates = new ArrayList<>();

        private Freeing(long passStart) {
            this.passStart = passStart;
        }

        static Freeing of(ArrayList<Node> order, ArrayList<Tensor> hookedLeaves, long passStart, Tensor rootGrad) {
            if (!hookedLeaves.isEmpty()) return null;
            for (Node n : order) if (n.hooks != null || n.userCode) return null;
            Freeing f = new Freeing(passStart);
            f.held.merge(rootGrad, 1, Integer::sum);
            return f;
        }

        /** A node's rule took its incoming gradients and returned grads. */
        void taken(Tensor[] incoming, Tensor[] grads, Node node) {
            for (Tensor t : incoming) {
                if (t == null) continue;
                held.computeIfPresent(t, (k, v) -> v == 1 ? null : v - 1);
                candidates.add(t);
            }
            for (Tensor t : grads) if (t != null) candidates.add(t);
        }

        /** A slot that held {@code before} now holds {@code now} (g itself, or before + g). */
        void received(Tensor before, Tensor g, Tensor now) {
            if (before != null) {
                held.computeIfPresent(before, (k, v) -> v == 1 ? null : v - 1);
                candidates.add(before);
            }
            candidates.add(g);
            held.merge(now, 1, Integer::sum);
        }

        void candidate(Tensor g, boolean keep) {
            if (keep) kept.put(g, Boolean.TRUE);
            else candidates.add(g);
        }

        void closeUnused() {
            for (Tensor t : candidates) {
                if (t.storage.serial >= passStart && !held.containsKey(t) && !kept.containsKey(t)) t.close();
            }
            candidates.clear();
        }
    }

    /** Sums a gradient over the axes along which the input was broadcast, so it takes the input's shape. */
    static Tensor reduceToShape(Tensor g, Tensor input, String op) {
        int[] target = input.shape;
        int[] gs = g.shape;
        if (Arrays.equals(gs, target)) return g;
        int lead = gs.length - target.length;
        if (lead < 0) {
            throw new IllegalStateException(op + ": gradient of shape " + g.shape() + " cannot reduce to input shape " + input.shape());
        }
        Tensor r = g;
        for (int axis = 0; axis < gs.length; axis++) {
            int t = axis < lead ? 1 : target[axis - lead];
            if (gs[axis] != t) {
                if (t != 1) {
                    throw new IllegalStateException(op + ": gradient of shape " + g.shape() + " cannot reduce to input shape " + input.shape());
                }
                Tensor s = r.sum(axis, true);
                if (r != g) r.close(); // each partial sum dies once read, so that none outlives the pass
                r = s;
            }
        }
        Tensor out = r.reshape(target.clone());
        if (out != r && r != g) r.close(); // out views r's memory with a reference of its own: it is then its only view
        return out;
    }

    /**
     * True when gradient j (after reduceToShape) is a dense tensor whose memory the rule just allocated and that no other
     * tensor views: then nothing else can see it, and it can become a leaf's .grad without a copy (PyTorch steals such
     * gradients too). Anything older (the incoming gradient passed through, a saved tensor), any view, and a tensor the
     * rule returned for two inputs is copied instead.
     */
    private static boolean ownedByThisRule(Tensor gj, Tensor[] grads, int j, long mark) {
        if (gj.storage.serial < mark || gj.offset != 0 || !gj.isContiguous() || gj.storage.buffer.length() != gj.numel()
                || !gj.storage.soleView()) {
            return false;
        }
        for (int k = 0; k < grads.length; k++) if (k != j && grads[k] == gj) return false;
        return true;
    }

    static void accumulate(Tensor leaf, Tensor g) {
        accumulate(leaf, g, false);
    }

    private static void accumulate(Tensor leaf, Tensor g, boolean owned) {
        if (!Arrays.equals(leaf.shape, g.shape)) g = reduceToShape(g, leaf, "AccumulateGrad");
        if (leaf.grad == null) {
            // A private copy unless this pass made g and nothing else sees it: g may be shared with other leaves or be a
            // view of a temporary.
            Tensor own = owned ? g : g.clone();
            Scope.persist(own);
            leaf.grad = own;
        } else {
            leaf.grad.addInPlace(g);
        }
    }
}
