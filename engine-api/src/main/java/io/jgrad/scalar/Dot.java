package io.jgrad.scalar;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link Value} graph as Graphviz DOT text, drawn like micrograd's {@code draw_dot} but laid out top to
 * bottom: one record node per value showing {@code label | data | grad}, one small node per operation, and edges
 * operand -> op -> result.
 * Render the text with {@code dot -Tsvg}.
 */
public final class Dot {

    private Dot() {
    }

    /** The DOT text of the graph that produced root. Values are named n0, n1, ... leaves first. */
    public static String toDot(Value root) {
        if (root == null) throw new NullPointerException("root is null");
        Value[] nodes = reachableAsChildren(root);
        Map<Value, Integer> ids = new IdentityHashMap<>(nodes.length * 2);
        for (int i = 0; i < nodes.length; i++) ids.put(nodes[i], i);

        StringBuilder out = new StringBuilder(64 + nodes.length * 96);
        out.append("digraph {\n  rankdir=TB;\n"); // top to bottom: a long graph grows down the page, not into a strip
        for (Value v : nodes) {
            String name = "n" + ids.get(v);
            out.append("  ").append(name).append(" [shape=record, label=\"{ ").append(escapeRecord(v.label()))
                    .append(" | data ").append(format(v.data()))
                    .append(" | grad ").append(format(v.grad())).append(" }\"];\n");
            String op = v.op();
            if (op.isEmpty()) continue;
            String opName = name + "_op";
            out.append("  ").append(opName).append(" [label=\"").append(escapeQuoted(op)).append("\"];\n");
            out.append("  ").append(opName).append(" -> ").append(name).append(";\n");
            List<Value> children = v.children();
            for (int c = 0; c < children.size(); c++) {
                Value child = children.get(c);
                // x*x has the same operand twice; micrograd draws one edge for it.
                if (c == 1 && child == children.get(0)) continue;
                out.append("  n").append(ids.get(child)).append(" -> ").append(opName).append(";\n");
            }
        }
        return out.append("}\n").toString();
    }

    /**
     * The nodes reachable through {@link Value#children()}, in topological order. The raw sort also reaches the
     * exponent constants that pow keeps internally; those are not children and are left out.
     */
    private static Value[] reachableAsChildren(Value root) {
        Value[] sorted = TopoSort.sortedCopy(root);
        Map<Value, Boolean> keep = new IdentityHashMap<>();
        keep.put(root, Boolean.TRUE);
        // Reverse topological order visits every node after all nodes that use it.
        for (int i = sorted.length - 1; i >= 0; i--) {
            if (!keep.containsKey(sorted[i])) continue;
            for (Value child : sorted[i].children()) keep.put(child, Boolean.TRUE);
        }
        Value[] result = new Value[keep.size()];
        int n = 0;
        for (Value v : sorted) {
            if (keep.containsKey(v)) result[n++] = v;
        }
        return result;
    }

    private static String format(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    private static String escapeQuoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Record labels also give meaning to braces, bars and angle brackets. */
    private static String escapeRecord(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("{}|<>\"\\".indexOf(c) >= 0) b.append('\\');
            b.append(c);
        }
        return b.toString();
    }
}
