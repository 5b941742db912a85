package io.jgrad;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Graphviz DOT of the graph behind a tensor, like micrograd's draw_dot and torchviz's make_dot: a box per tensor (its
 * name if it has one, the op that made it, its shape, and a few values of data and grad) and an edge from each input
 * to the tensor its op produced. Laid out top to bottom, leaves first and the root last, so that a deep graph grows
 * downwards as a page does instead of into a strip thousands of pixels wide; leaves are filled light blue and the
 * root light green. Walked without recursion.
 */
final class GraphDot {
    private static final int SHOWN = 4;
    /** Above this many nodes the data and grad previews are left out, so that a big graph stays legible. */
    static final int PREVIEW_LIMIT = 60;

    private GraphDot() {
    }

    static String of(Tensor root, Map<String, Tensor> names) {
        Map<Tensor, String> named = new IdentityHashMap<>();
        if (names != null) names.forEach((name, t) -> named.putIfAbsent(t, name));

        // First the nodes and edges, then the text: whether previews fit depends on the number of nodes.
        Map<Tensor, Integer> ids = new IdentityHashMap<>();
        Map<Node, Tensor> outputs = new IdentityHashMap<>();
        ArrayDeque<Tensor> todo = new ArrayDeque<>();
        StringBuilder edges = new StringBuilder();
        ids.put(root, 0);
        todo.add(root);
        while (!todo.isEmpty()) {
            Tensor t = todo.poll();
            int id = ids.get(t);
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
                edges.append("  t").append(inId).append(" -> t").append(id).append(";\n");
            }
        }
        boolean previews = ids.size() <= PREVIEW_LIMIT;

        StringBuilder sb = new StringBuilder("digraph jgrad {\n  rankdir=TB;\n  nodesep=0.25;\n  ranksep=0.35;\n")
                .append("  node [shape=record, fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=white];\n")
                .append("  edge [arrowsize=0.6];\n");
        Tensor[] byId = new Tensor[ids.size()];
        ids.forEach((t, id) -> byId[id] = t);
        for (int id = byId.length - 1; id >= 0; id--) { // leaves (found last) first: the text reads top down too
            Tensor t = byId[id];
            String name = named.getOrDefault(t, t.name());
            StringBuilder label = new StringBuilder();
            if (name != null) label.append(escape(name)).append(" | ");
            label.append(t.gradFn == null ? "leaf" : t.gradFn.name).append(" ").append(escape(t.shape().toString()));
            if (previews) {
                label.append(" | data ").append(escape(preview(t)))
                        .append(" | grad ").append(t.grad == null ? "none" : escape(preview(t.grad)));
            }
            sb.append("  t").append(id).append(" [label=\"{").append(label).append("}\"");
            if (id == 0) sb.append(", fillcolor=\"#c8f0c8\"");
            else if (t.gradFn == null) sb.append(", fillcolor=\"#cfe3f7\"");
            sb.append("];\n");
        }
        return sb.append(edges).append("}\n").toString();
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

    /** Record labels give meaning to braces, bars, angle brackets and quotes. */
    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("{}|<>\"\\".indexOf(c) >= 0) b.append('\\');
            b.append(c);
        }
        return b.toString();
    }
}
