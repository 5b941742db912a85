package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Tensor;
import io.jgrad.io.Checkpoint;
import io.jgrad.nn.LayerNorm;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Module;
import io.jgrad.nn.Sequential;
import io.jgrad.optim.Adagrad;
import io.jgrad.optim.Adam;
import io.jgrad.optim.AdamW;
import io.jgrad.optim.NAdam;
import io.jgrad.optim.Optimizer;
import io.jgrad.optim.ParamGroup;
import io.jgrad.optim.ParamGroups;
import io.jgrad.optim.RAdam;
import io.jgrad.optim.RMSprop;
import io.jgrad.optim.SGD;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimizer vocabulary against PyTorch, step by step: AMSGrad, maximize, Adagrad, NAdam and RAdam, and parameter
 * groups with their own hyper-parameters, over 20 steps of a deterministic gradient sequence (the references and
 * their set-ups are in {@link OptimVocabularyReference} and conformance/scripts/optim_vocabulary_refs.py); state
 * dicts with groups, saved and restored mid-trajectory; and bad input.
 */
public abstract class OptimVocabularySuite extends DeviceSuite {
    private static final int STEPS = 20;
    private static final int VALUES = 8;

    /** Each configuration of the reference script, built with jgrad's API. */
    private static Map<String, Function<List<Tensor>, Optimizer>> configs() {
        Map<String, Function<List<Tensor>, Optimizer>> c = new LinkedHashMap<>();
        c.put("adam_amsgrad", ps -> Adam.builder().lr(0.05).amsgrad(true).params(ps).build());
        c.put("adam_amsgrad_wd", ps -> Adam.builder().lr(0.03).betas(0.8, 0.95).weightDecay(0.1).amsgrad(true).params(ps).build());
        c.put("adamw_amsgrad", ps -> AdamW.builder().lr(0.05).weightDecay(0.1).amsgrad(true).params(ps).build());
        c.put("adam_maximize", ps -> Adam.builder().lr(0.02).maximize(true).params(ps).build());
        c.put("adamw_groups", ps -> AdamW.builder().lr(0.05).weightDecay(0.2)
                .group(ps.subList(0, 1), g -> { })
                .group(ps.subList(1, 2), g -> g.weightDecay(0).lr(0.01).betas(0.5, 0.9))
                .build());
        c.put("sgd_groups_maximize", ps -> SGD.builder().lr(0.05).weightDecay(0.01).maximize(true)
                .group(ps.subList(0, 1), g -> g.momentum(0.9).set(SGD.NESTEROV, true))
                .group(ps.subList(1, 2), g -> g.lr(0.2).momentum(0.5).set(SGD.DAMPENING, 0.1))
                .build());
        c.put("rmsprop_groups", ps -> RMSprop.builder().lr(0.01).weightDecay(0.05)
                .group(ps.subList(0, 1), g -> g.set(RMSprop.CENTERED, true))
                .group(ps.subList(1, 2), g -> g.momentum(0.5).set(RMSprop.ALPHA, 0.9))
                .build());
        c.put("adagrad", ps -> new Adagrad(ps, 0.1));
        c.put("adagrad_full", ps -> Adagrad.builder().lr(0.1).lrDecay(0.05).weightDecay(0.1).initialAccumulatorValue(0.2).eps(1e-6)
                .params(ps).build());
        c.put("adagrad_groups_maximize", ps -> Adagrad.builder().lr(0.1).maximize(true)
                .group(ps.subList(0, 1), g -> { })
                .group(ps.subList(1, 2), g -> g.lr(0.3).set(Adagrad.LR_DECAY, 0.1))
                .build());
        c.put("nadam", ps -> new NAdam(ps, 0.02));
        c.put("nadam_wd", ps -> NAdam.builder().lr(0.02).weightDecay(0.1).momentumDecay(0.01).params(ps).build());
        c.put("nadam_decoupled", ps -> NAdam.builder().lr(0.02).betas(0.8, 0.99).weightDecay(0.1).decoupledWeightDecay(true)
                .params(ps).build());
        c.put("nadam_groups_maximize", ps -> NAdam.builder().lr(0.02).maximize(true)
                .group(ps.subList(0, 1), g -> { })
                .group(ps.subList(1, 2), g -> g.lr(0.05).betas(0.5, 0.9))
                .build());
        c.put("radam", ps -> new RAdam(ps, 0.05));
        c.put("radam_wd", ps -> RAdam.builder().lr(0.05).weightDecay(0.1).params(ps).build());
        c.put("radam_decoupled", ps -> RAdam.builder().lr(0.05).betas(0.8, 0.9).weightDecay(0.1).decoupledWeightDecay(true)
                .params(ps).build());
        c.put("radam_groups_maximize", ps -> RAdam.builder().lr(0.05).maximize(true)
                .group(ps.subList(0, 1), g -> g.betas(0.8, 0.9))
                .group(ps.subList(1, 2), g -> g.lr(0.1).weightDecay(0.1))
                .build());
        return c;
    }

    private static List<Tensor> params(DType dtype) {
        double[][] p0 = OptimVocabularyReference.P0;
        return List.of(Tensor.of(p0[0].clone(), 2, 3).to(dtype).requiresGrad(true),
                Tensor.of(p0[1].clone(), 2).to(dtype).requiresGrad(true));
    }

    private static List<Tensor> copies(List<Tensor> ps) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : ps) out.add(p.detach().clone().requiresGrad(true));
        return out;
    }

    /** Step k's gradient (k from 1): 0.5*p + sin(0.9k + 1.3i + 2.1j) for element i of parameter j. */
    private static void setGrads(List<Tensor> ps, int k) {
        for (int j = 0; j < ps.size(); j++) {
            Tensor p = ps.get(j);
            double[] v = p.toDoubleArray();
            double[] g = new double[v.length];
            for (int i = 0; i < v.length; i++) g[i] = 0.5 * v[i] + Math.sin(0.9 * k + 1.3 * i + 2.1 * j);
            p.setGrad(Tensor.of(g, p.shape().toArray()).to(p.dtype()));
        }
    }

    private static double[] flat(List<Tensor> ps) {
        double[] a = ps.get(0).toDoubleArray();
        double[] b = ps.get(1).toDoubleArray();
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Steps from..to (1-based, inclusive), comparing each step with the reference. */
    private static void follow(String name, Optimizer opt, int from, int to, double tol) {
        double[] ref = OptimVocabularyReference.OPTIMIZERS.get(name);
        for (int k = from; k <= to; k++) {
            setGrads(opt.params(), k);
            opt.step();
            double[] actual = flat(opt.params());
            for (int i = 0; i < VALUES; i++) {
                double expected = ref[(k - 1) * VALUES + i];
                assertEquals(expected, actual[i], tol * Math.max(1, Math.abs(expected)), name + ": step " + k + ", value " + i);
            }
        }
    }

    @Test
    void everyReferenceHasAConfiguration() {
        assertEquals(OptimVocabularyReference.OPTIMIZERS.keySet(), configs().keySet());
        for (double[] t : OptimVocabularyReference.OPTIMIZERS.values()) assertEquals(STEPS * VALUES, t.length);
    }

    @Test
    void trajectoriesFollowPyTorchInFloat64() {
        configs().forEach((name, make) -> follow(name, make.apply(params(DType.FLOAT64)), 1, STEPS, 1e-11));
    }

    @Test
    void trajectoriesFollowPyTorchInFloat32() {
        // float32 rounding (about 6e-8 a step, compounded over 20 steps) bounds the agreement
        for (String name : List.of("adam_amsgrad", "adamw_groups", "sgd_groups_maximize", "adagrad_full", "nadam_decoupled", "radam_decoupled")) {
            Optimizer opt = configs().get(name).apply(params(DType.FLOAT32));
            follow(name, opt, 1, STEPS, 2e-5);
            assertEquals(DType.FLOAT32, opt.params().get(0).dtype());
        }
    }

    @Test
    void stateDictRoundTripMidTrajectory() {
        configs().forEach((name, make) -> {
            Optimizer first = make.apply(params(DType.FLOAT64));
            follow(name, first, 1, 10, 1e-11);
            Optimizer restored = make.apply(copies(first.params()));
            restored.loadStateDict(first.stateDict());
            assertEquals(10, restored.stepCount(), name);
            follow(name, restored, 11, STEPS, 1e-11);

            // without the state the trajectory leaves the reference, or this test proves nothing
            Optimizer fresh = make.apply(copies(first.params()));
            setGrads(fresh.params(), 11);
            fresh.step();
            double[] ref = OptimVocabularyReference.OPTIMIZERS.get(name);
            double[] actual = flat(fresh.params());
            boolean differs = false;
            for (int i = 0; i < VALUES; i++) differs |= Math.abs(actual[i] - ref[10 * VALUES + i]) > 1e-9;
            assertTrue(differs, name + ": a fresh optimizer should not follow the reference");
        });
    }

    @Test
    void stateDictsCarryTheGroups() {
        Optimizer opt = configs().get("adamw_groups").apply(params(DType.FLOAT64));
        setGrads(opt.params(), 1);
        opt.step();
        LinkedHashMap<String, Tensor> state = opt.stateDict();
        assertEquals(List.of("step",
                "param_groups.0.params", "param_groups.0.lr", "param_groups.0.beta1", "param_groups.0.beta2", "param_groups.0.eps",
                "param_groups.0.weight_decay", "param_groups.0.amsgrad", "param_groups.0.maximize",
                "param_groups.1.params", "param_groups.1.lr", "param_groups.1.beta1", "param_groups.1.beta2", "param_groups.1.eps",
                "param_groups.1.weight_decay", "param_groups.1.amsgrad", "param_groups.1.maximize",
                "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq"),
                new ArrayList<>(state.keySet()));
        assertArrayEquals(new long[]{1}, state.get("param_groups.1.params").toLongArray());
        assertEquals(DType.INT64, state.get("param_groups.1.params").dtype());
        assertEquals(0.01, state.get("param_groups.1.lr").item());
        assertEquals(0.5, state.get("param_groups.1.beta1").item());
        assertEquals(0.2, state.get("param_groups.0.weight_decay").item());

        // loading restores the groups' options (as PyTorch does) into an optimizer built with others
        Optimizer other = AdamW.builder().lr(0.9).group(opt.params().subList(0, 1), g -> { }).group(opt.params().subList(1, 2), g -> { })
                .build();
        other.loadStateDict(state);
        assertEquals(opt.paramGroups().get(1).options(), other.paramGroups().get(1).options());
        assertEquals(0.05, other.paramGroups().get(0).lr());

        // NAdam keeps a per-parameter scalar, saved as a 0-d tensor
        Optimizer nadam = configs().get("nadam").apply(params(DType.FLOAT64));
        setGrads(nadam.params(), 1);
        nadam.step();
        Tensor mu = nadam.stateDict().get("state.1.mu_product");
        assertEquals(0, mu.dim());
        assertEquals(0.9 * (1 - 0.5 * Math.pow(0.96, 0.004)), mu.item(), 1e-16);
    }

    @Test
    void groupedStateSurvivesACheckpointFile(@TempDir Path dir) throws IOException {
        Module model = new Sequential(new Linear(3, 4), new LayerNorm(4));
        NAdam nadam = NAdam.builder().lr(0.01).groups(ParamGroups.decayOnlyWeights(model, 0.1)).build();
        for (int k = 1; k <= 3; k++) {
            for (Tensor p : nadam.params()) p.setGrad(Tensor.fullLike(p, 0.1 * k));
            nadam.step();
        }
        nadam.paramGroups().get(1).lr(0.003);
        Path file = dir.resolve("grouped.safetensors");
        Checkpoint.save(file, model, nadam, Map.of());

        Module copy = new Sequential(new Linear(3, 4), new LayerNorm(4));
        NAdam restored = NAdam.builder().lr(0.5).groups(ParamGroups.decayOnlyWeights(copy, 0.0)).build();
        Checkpoint.restore(file, copy, restored);
        assertEquals(3, restored.stepCount());
        assertEquals(0.003, restored.paramGroups().get(1).lr());
        assertEquals(0.1, restored.paramGroups().get(0).get(Optimizer.WEIGHT_DECAY));
        Map<String, Tensor> a = nadam.stateDict();
        Map<String, Tensor> b = restored.stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) assertArrayEquals(a.get(key).toDoubleArray(), b.get(key).toDoubleArray(), key);
    }

    @Test
    void stateDictsFromBeforeGroupsStillLoad() {
        Adam source = new Adam(params(DType.FLOAT64), 0.05);
        setGrads(source.params(), 1);
        source.step();
        Map<String, Tensor> legacy = new LinkedHashMap<>();
        legacy.put("step", Tensor.scalar(1.0));
        legacy.put("lr", Tensor.scalar(0.125));
        source.stateDict().forEach((k, v) -> {
            if (k.startsWith("state.")) legacy.put(k, v);
        });
        Adam target = new Adam(copies(source.params()), 0.5);
        target.loadStateDict(legacy);
        assertEquals(0.125, target.lr());
        assertEquals(1, target.stepCount());
        assertArrayEquals(source.stateDict().get("state.0.exp_avg").toDoubleArray(), target.stateDict().get("state.0.exp_avg").toDoubleArray());
    }

    @Test
    void decayOnlyWeightsIsOneLine() {
        Module model = new Sequential(new Linear(3, 4), new LayerNorm(4), new Linear(4, 2));
        AdamW adamw = AdamW.builder().lr(3e-4).groups(ParamGroups.decayOnlyWeights(model, 0.1)).build();
        List<ParamGroup> groups = adamw.paramGroups();
        assertEquals(2, groups.size());
        assertEquals(2, groups.get(0).params().size(), "the two weight matrices");
        assertEquals(4, groups.get(1).params().size(), "two biases, the norm's weight and bias");
        for (Tensor p : groups.get(0).params()) assertEquals(2, p.dim());
        for (Tensor p : groups.get(1).params()) assertEquals(1, p.dim());
        assertEquals(0.1, groups.get(0).get(Optimizer.WEIGHT_DECAY));
        assertEquals(0.0, groups.get(1).get(Optimizer.WEIGHT_DECAY));
        assertEquals(3e-4, groups.get(1).lr());
        assertEquals(model.parameters().size(), adamw.params().size());

        // an undecayed parameter keeps its values under AdamW with lr but zero gradient; a decayed one shrinks
        Tensor weight = groups.get(0).params().get(0);
        Tensor bias = groups.get(1).params().get(0);
        double[] w0 = weight.toDoubleArray();
        double[] b0 = bias.toDoubleArray();
        for (Tensor p : adamw.params()) p.setGrad(Tensor.zerosLike(p));
        adamw.step();
        assertArrayEquals(b0, bias.toDoubleArray());
        double[] w1 = weight.toDoubleArray();
        for (int i = 0; i < w0.length; i++) assertEquals(w0[i] * (1 - 3e-4 * 0.1), w1[i], 1e-7 * Math.abs(w0[i]) + 1e-12);
    }

    @Test
    void liveGroupsChangeTheNextSteps() {
        List<Tensor> ps = params(DType.FLOAT64);
        SGD sgd = SGD.builder().lr(0.1).group(ps.subList(0, 1), g -> { }).group(ps.subList(1, 2), g -> g.lr(0.5)).build();
        assertEquals(0.1, sgd.lr(), "lr() is the first group's");
        sgd.paramGroups().get(1).lr(0.25);
        for (Tensor p : ps) p.setGrad(Tensor.onesLike(p));
        sgd.step();
        assertEquals(0.5 - 0.1, ps.get(0).toDoubleArray()[0], 1e-15);
        assertEquals(0.25 - 0.25, ps.get(1).toDoubleArray()[0], 1e-15);
        sgd.setLr(0.01);
        assertEquals(0.01, sgd.paramGroups().get(1).lr(), "setLr sets every group");
        assertSame(sgd.paramGroups().get(1), sgd.paramGroups().get(1), "the groups are live, not copies");
    }

    @Test
    void badInputIsRefusedClearly() {
        List<Tensor> ps = params(DType.FLOAT64);
        assertMessage(() -> new Adam(ps, -0.1), "Adam", "learning rate", "-0.1");
        assertMessage(() -> Adam.builder().lr(-1).params(ps).build(), "Adam", "learning rate");
        assertMessage(() -> Adam.builder().betas(1.0, 0.999).params(ps).build(), "Adam", "beta1", "0 <= beta1 < 1");
        assertMessage(() -> AdamW.builder().betas(0.9, -0.1).params(ps).build(), "AdamW", "beta2");
        assertMessage(() -> NAdam.builder().betas(0.9, 1.0).params(ps).build(), "NAdam", "beta2");
        assertMessage(() -> RAdam.builder().eps(-1e-8).params(ps).build(), "RAdam", "eps");
        assertMessage(() -> NAdam.builder().momentumDecay(-1).params(ps).build(), "NAdam", "momentum_decay");
        assertMessage(() -> Adagrad.builder().lrDecay(-0.1).params(ps).build(), "Adagrad", "lr_decay");
        assertMessage(() -> Adagrad.builder().initialAccumulatorValue(-1).params(ps).build(), "Adagrad", "initial_accumulator_value");
        assertMessage(() -> Adagrad.builder().weightDecay(Double.NaN).params(ps).build(), "Adagrad", "weight decay");
        // a group's own bad value names the group
        assertMessage(() -> Adam.builder().group(ps.subList(0, 1), g -> { }).group(ps.subList(1, 2), g -> g.betas(0.9, 1.5)).build(),
                "Adam", "group 1", "beta2", "1.5");
        // an option the optimizer does not have
        assertMessage(() -> Adam.builder().group(ps.subList(0, 1), g -> { }).group(ps.subList(1, 2), g -> g.momentum(0.9)).build(),
                "Adam", "group 1", "unknown option 'momentum'");
        assertMessage(() -> Adagrad.builder().group(ps, g -> g.betas(0.9, 0.99)).build(), "Adagrad", "unknown option 'beta1'");
        // a parameter in two groups
        assertMessage(() -> SGD.builder().group(ps, g -> { }).group(ps.subList(0, 1), g -> { }).build(), "SGD", "same tensor", "one group");
        assertMessage(() -> SGD.builder().momentum(0).nesterov(true).params(ps).build(), "SGD", "Nesterov", "momentum");
        assertMessage(() -> Adam.builder().build(), "Adam", "empty parameter list");

        // a live group refuses a bad value, and keeps the old one
        Adam adam = Adam.builder().lr(0.1).group(ps.subList(0, 1), g -> { }).group(ps.subList(1, 2), g -> { }).build();
        assertMessage(() -> adam.paramGroups().get(1).lr(-3), "Adam", "group 1", "learning rate", "-3");
        assertMessage(() -> adam.paramGroups().get(0).betas(0.5, 1.0), "beta2");
        assertMessage(() -> adam.setLr(Double.POSITIVE_INFINITY), "Adam", "learning rate");
        assertEquals(0.1, adam.paramGroups().get(1).lr());
        assertEquals(0.1, adam.paramGroups().get(0).lr());
        assertEquals(0.9, adam.paramGroups().get(0).get(Optimizer.BETA1), "a refused pair of betas changes neither");
        assertEquals(0.999, adam.paramGroups().get(0).get(Optimizer.BETA2));
        SGD nesterov = SGD.builder().momentum(0.9).nesterov(true).params(ps).build();
        assertMessage(() -> nesterov.paramGroups().get(0).momentum(0), "SGD", "Nesterov");
        assertEquals(0.9, nesterov.paramGroups().get(0).get(Optimizer.MOMENTUM), "a refused momentum is not kept");

        // state of differently grouped parameters is refused whole
        Optimizer grouped = configs().get("adamw_groups").apply(params(DType.FLOAT64));
        setGrads(grouped.params(), 1);
        grouped.step();
        AdamW oneGroup = new AdamW(copies(grouped.params()), 0.3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> oneGroup.loadStateDict(grouped.stateDict()));
        assertTrue(e.getMessage().startsWith("AdamW.loadStateDict"), e.getMessage());
        assertTrue(e.getMessage().contains("param_groups.0.params") && e.getMessage().contains("group 1 but there are 1 groups"), e.getMessage());
        assertEquals(0.3, oneGroup.lr(), "a refused state changes nothing");
        assertEquals(0, oneGroup.stepCount());

        Map<String, Tensor> badBeta = new LinkedHashMap<>(grouped.stateDict());
        badBeta.put("param_groups.1.beta2", Tensor.scalar(1.0));
        assertMessage(() -> grouped.loadStateDict(badBeta), "AdamW.loadStateDict", "param_groups.1.beta2", "beta2");
        Map<String, Tensor> amsgradWithoutItsBuffer = new LinkedHashMap<>(grouped.stateDict());
        amsgradWithoutItsBuffer.put("param_groups.0.amsgrad", Tensor.scalar(1.0));
        assertMessage(() -> grouped.loadStateDict(amsgradWithoutItsBuffer), "parameter 0 has partial state", "max_exp_avg_sq");
    }

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should mention " + part);
    }

    @Test
    void maximizeAscends() {
        // the same configuration with maximize and the negated gradients takes the same steps
        List<Tensor> up = params(DType.FLOAT64);
        List<Tensor> down = params(DType.FLOAT64);
        Optimizer a = NAdam.builder().lr(0.02).maximize(true).params(up).build();
        Optimizer b = new NAdam(down, 0.02);
        for (int k = 1; k <= 3; k++) {
            setGrads(up, k);
            a.step();
            setGrads(down, k);
            for (Tensor p : down) p.setGrad(p.grad().neg());
            b.step();
        }
        assertArrayEquals(flat(down), flat(up));
        assertFalse(java.util.Arrays.equals(flat(down), flat(params(DType.FLOAT64))));
    }
}
