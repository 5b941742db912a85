package io.jgrad;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Graphviz DOT of the graph behind a tensor, like micrograd's draw_dot: a record per tensor (op, shape, a few
 * values of data and grad) and an edge from each input to the tensor its op produced. Walked without recursion.
 */
final class GraphDot {
    private static final int SHOWN = 4;

    private GraphDot() {
    }

    static String of(Tensor root) {
        StringBuilder sb = new StringBuilder("digraph jgrad {\n  rankdir=LR;\n  node [shape=record];\n");
        Map<Tensor, Integer> ids = new IdentityHashMap<>();
        Map<Node, Tensor> outputs = new IdentityHashMap<>();
        ArrayDeque<Tensor> todo = new ArrayDeque<>();
        ids.put(root, 0);
        todo.add(root);
        while (!todo.isEmpty()) {
            Tensor t = todo.poll();
            int id = ids.get(t);
            sb.append("  t").append(id).append(" [label=\"{").append(t.gradFn == null ? "leaf" : t.gradFn.name)
                    .append(" | shape ").append(t.shape()).append(" | data ").append(preview(t))
                    .append(" | grad ").append(t.grad == null ? "none" : preview(t.grad)).append("}\"];\n");
            if (t.gradFn == null || outputs.containsKey(t.gradFn)) continue;
            outputs.put(t.gradFn, t);
            for (Tensor in : t.gradFn.inputs) {
                if (in == null) continue;
                Integer inId = ids.get(in);
                if (inId == null) {
                    inId = ids.size();
                    ids.put(in, inId);
                    todo.add(in);
                }
                sb.append("  t").append(inId).append(" -> t").append(id).append(";\n");
            }
        }
        return sb.append("}\n").toString();
    }

    private static String preview(Tensor t) {
        if (t.isClosed()) return "freed";
        double[] v;
        try (Grad.Mode ignored = Grad.disabled()) {
            v = t.reshape(-1).slice(0, 0, SHOWN).toDoubleArray();
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        if (t.numel() > SHOWN) sb.append(", ...");
        return sb.append(']').toString();
    }
}
