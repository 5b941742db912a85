package io.jgrad.optim;

import io.jgrad.Tensor;
import io.jgrad.nn.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/** Ready-made {@link ParamGroup} splits of a model's parameters. */
public final class ParamGroups {
    private ParamGroups() {
    }

    /**
     * The usual set-up for decoupled weight decay (nanoGPT's): weight matrices and kernels (parameters of two or
     * more dimensions) decay by {@code weightDecay}; biases and normalisation weights (one dimension) and scalars do
     * not. Parameters that do not require grad are left out. Either group may be empty.
     * <pre>{@code
     * var adamw = AdamW.builder().lr(3e-4).groups(ParamGroups.decayOnlyWeights(model, 0.1)).build();
     * }</pre>
     *
     * @return two groups: the decayed weights, then the rest with weight decay 0
     */
    public static List<ParamGroup> decayOnlyWeights(Module model, double weightDecay) {
        if (model == null) throw new IllegalArgumentException("ParamGroups.decayOnlyWeights: the model is null");
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("ParamGroups.decayOnlyWeights: weight decay must be finite and >= 0, got " + weightDecay);
        }
        List<Tensor> decay = select(model, (name, p) -> p.dim() >= 2);
        List<Tensor> noDecay = select(model, (name, p) -> p.dim() < 2);
        return List.of(ParamGroup.of(decay).weightDecay(weightDecay), ParamGroup.of(noDecay).weightDecay(0));
    }

    /**
     * The model's trainable parameters (those that require grad) whose dotted name and tensor pass {@code test}, in
     * the model's order: {@code select(model, (name, p) -> name.endsWith("bias"))}.
     */
    public static List<Tensor> select(Module model, BiPredicate<String, Tensor> test) {
        if (model == null || test == null) throw new IllegalArgumentException("ParamGroups.select: needs a model and a test");
        List<Tensor> out = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            if (e.getValue().requiresGrad() && test.test(e.getKey(), e.getValue())) out.add(e.getValue());
        }
        return out;
    }
}
