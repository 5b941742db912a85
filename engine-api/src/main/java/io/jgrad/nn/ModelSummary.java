package io.jgrad.nn;

import io.jgrad.Grad;
import io.jgrad.HookHandle;
import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model summary as torchinfo prints it: one row per module invocation of one forward pass, in the order the
 * modules started, with the module's dotted name, type, nesting depth, output shape and parameter count (of the
 * module and its submodules), and the totals. Made by {@link Module#summary(Tensor...)}; {@link #toString()} is
 * the table.
 */
public final class ModelSummary {
    /** One invoked module: depth 0 is the summarised model, its name "". */
    public record Row(String name, String type, int depth, List<Integer> outputShape, long params) {
    }

    private final List<Row> rows;
    private final long totalParams;
    private final long trainableParams;

    private ModelSummary(List<Row> rows, long totalParams, long trainableParams) {
        this.rows = List.copyOf(rows);
        this.totalParams = totalParams;
        this.trainableParams = trainableParams;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Elements of all parameters, each shared tensor once. */
    public long totalParams() {
        return totalParams;
    }

    /** Elements of the parameters that require grad. */
    public long trainableParams() {
        return trainableParams;
    }

    public long nonTrainableParams() {
        return totalParams - trainableParams;
    }

    static ModelSummary of(Module model, Tensor... inputs) {
        if (inputs == null || inputs.length == 0) {
            throw new IllegalArgumentException("summary of " + model.typeName() + ": give the input tensors (or an input shape)");
        }
        Map<Module, String> names = new IdentityHashMap<>();
        model.namedModules().forEach((n, m) -> names.put(m, n));
        List<Row> rows = new ArrayList<>();
        // open calls: the row index each started module will fill in when it returns
        Map<Module, List<Integer>> open = new IdentityHashMap<>();
        List<HookHandle> handles = new ArrayList<>();
        LinkedHashMap<String, Tensor> savedBuffers = new LinkedHashMap<>();
        try (Grad.Mode ignored = Grad.disabled()) {
            model.namedBuffers().forEach((n, b) -> savedBuffers.put(n, b.clone()));
            for (Map.Entry<Module, String> e : names.entrySet()) {
                Module m = e.getKey();
                String name = e.getValue();
                int depth = name.isEmpty() ? 0 : name.split("\\.").length;
                handles.add(m.registerForwardPreHook((mod, in) -> {
                    open.computeIfAbsent(mod, k -> new ArrayList<>()).add(rows.size());
                    rows.add(new Row(name, mod.typeName(), depth, List.of(), count(mod, false)));
                    return null;
                }));
                handles.add(m.registerForwardHook((mod, in, out) -> {
                    List<Integer> stack = open.get(mod);
                    int row = stack.remove(stack.size() - 1);
                    Row r = rows.get(row);
                    rows.set(row, new Row(r.name(), r.type(), r.depth(),
                            Arrays.stream(out.shape().toArray()).boxed().toList(), r.params()));
                    return null;
                }));
            }
            model.call(inputs);
        } finally {
            handles.forEach(HookHandle::remove);
            if (!savedBuffers.isEmpty()) model.loadStateDict(savedBuffers, false);
        }
        return new ModelSummary(rows, count(model, false), count(model, true));
    }

    private static long count(Module m, boolean trainableOnly) {
        long n = 0;
        for (Tensor p : m.parameters()) if (!trainableOnly || p.requiresGrad()) n += p.numel();
        return n;
    }

    /** The table: layer (indented by depth, "name (Type)"), output shape, parameter count; then the totals. */
    @Override
    public String toString() {
        List<String[]> cells = new ArrayList<>();
        for (Row r : rows) {
            String layer = "  ".repeat(r.depth()) + (r.name().isEmpty() ? r.type() : r.name() + " (" + r.type() + ")");
            cells.add(new String[]{layer, r.outputShape().toString(), String.format("%,d", r.params())});
        }
        String[] header = {"Layer (type)", "Output shape", "Param #"};
        int[] w = {header[0].length(), header[1].length(), header[2].length()};
        for (String[] c : cells) for (int i = 0; i < 3; i++) w[i] = Math.max(w[i], c[i].length());
        String fmt = "%-" + w[0] + "s   %-" + w[1] + "s   %" + w[2] + "s%n";
        int width = w[0] + w[1] + w[2] + 6;
        StringBuilder sb = new StringBuilder();
        sb.append("=".repeat(width)).append('\n');
        sb.append(String.format(fmt, (Object[]) header));
        sb.append("=".repeat(width)).append('\n');
        for (String[] c : cells) sb.append(String.format(fmt, (Object[]) c));
        sb.append("=".repeat(width)).append('\n');
        sb.append(String.format("Total params: %,d%n", totalParams));
        sb.append(String.format("Trainable params: %,d%n", trainableParams));
        sb.append(String.format("Non-trainable params: %,d%n", nonTrainableParams()));
        sb.append("=".repeat(width));
        return sb.toString();
    }
}
