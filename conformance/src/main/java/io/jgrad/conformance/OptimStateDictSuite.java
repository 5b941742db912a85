package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.jgrad.DType;

import io.jgrad.Tensor;
import io.jgrad.optim.Adam;
import io.jgrad.optim.AdamW;
import io.jgrad.optim.Optimizer;
import io.jgrad.optim.RMSprop;
import io.jgrad.optim.SGD;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;


import org.junit.jupiter.api.Test;

/** Optimizer state: its keys, a save-and-restore round trip, and strict rejection of state that does not fit. */
public abstract class OptimStateDictSuite extends DeviceSuite {

    private static List<Tensor> params() {
        return List.of(Tensor.of(new double[]{1, -2, 3, 0.5, -0.25, 2}, 2, 3).requiresGrad(true),
                Tensor.of(new double[]{0.1, 0.2}, 2).requiresGrad(true));
    }

    private static List<Tensor> copies(List<Tensor> ps) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : ps) out.add(p.detach().clone().requiresGrad(true));
        return out;
    }

    /** Gradients of a small non-quadratic loss, so each step sees different gradients. */
    private static void backward(List<Tensor> ps) {
        for (Tensor p : ps) p.setGrad(null);
        ps.get(0).tanh().square().sum().add(ps.get(1).exp().sum().mul(ps.get(0).sum())).backward();
    }

    private static void train(Optimizer opt, int steps) {
        for (int i = 0; i < steps; i++) {
            backward(opt.params());
            opt.step();
        }
    }

    private static void assertRoundTrip(String name, Function<List<Tensor>, Optimizer> make) {
        Optimizer original = make.apply(params());
        train(original, 3);
        original.setLr(original.lr() * 0.5);

        Optimizer restored = make.apply(copies(original.params()));
        restored.loadStateDict(original.stateDict());
        Optimizer fresh = make.apply(copies(original.params())); // same parameters, no state: must differ
        fresh.setLr(original.lr());
        assertEquals(original.lr(), restored.lr(), name + ": lr");
        assertEquals(3, restored.stepCount(), name + ": step count");

        train(original, 2);
        train(restored, 2);
        train(fresh, 2);
        for (int i = 0; i < original.params().size(); i++) {
            double[] expected = original.params().get(i).toDoubleArray();
            assertArrayEquals(expected, restored.params().get(i).toDoubleArray(), name + ": parameter " + i + " after restoring");
            assertFalse(java.util.Arrays.equals(expected, fresh.params().get(i).toDoubleArray()),
                    name + ": without the state the steps should differ, or this test proves nothing");
        }
        for (Map.Entry<String, Tensor> e : original.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toDoubleArray(), restored.stateDict().get(e.getKey()).toDoubleArray(), name + ": " + e.getKey());
        }
    }

    @Test
    void restoredOptimizersTakeIdenticalSteps() {
        assertRoundTrip("SGD momentum", ps -> new SGD(ps, 0.05, 0.9, 0.1, 0.01, false));
        assertRoundTrip("SGD nesterov", ps -> new SGD(ps, 0.05, 0.9, 0, 0, true));
        assertRoundTrip("Adam", ps -> new Adam(ps, 0.05, 0.8, 0.9, 1e-8, 0.01));
        assertRoundTrip("AdamW", ps -> new AdamW(ps, 0.05));
        assertRoundTrip("RMSprop", ps -> new RMSprop(ps, 0.01, 0.9, 1e-8, 0.01, 0.5, true));
    }

    @Test
    void stateDictKeysFollowPyTorchNames() {
        Adam adam = new Adam(params(), 0.01);
        List<String> group = List.of("step", "param_groups.0.params", "param_groups.0.lr", "param_groups.0.beta1",
                "param_groups.0.beta2", "param_groups.0.eps", "param_groups.0.weight_decay", "param_groups.0.amsgrad",
                "param_groups.0.maximize");
        assertEquals(group, new ArrayList<>(adam.stateDict().keySet()), "no state before the first step");
        train(adam, 2);
        LinkedHashMap<String, Tensor> state = adam.stateDict();
        List<String> expected = new ArrayList<>(group);
        expected.addAll(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq",
                "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq"));
        assertEquals(expected, new ArrayList<>(state.keySet()));
        assertEquals(DType.FLOAT64, state.get("step").dtype());
        assertEquals(0, state.get("step").dim());
        assertEquals(2.0, state.get("step").item());
        assertEquals(0.01, state.get("param_groups.0.lr").item());
        assertArrayEquals(new long[]{0, 1}, state.get("param_groups.0.params").toLongArray());
        assertEquals(adam.params().get(0).shape(), state.get("state.0.exp_avg").shape());

        SGD sgd = new SGD(params(), 0.1, 0.9);
        train(sgd, 1);
        assertEquals(List.of("step", "param_groups.0.params", "param_groups.0.lr", "param_groups.0.momentum", "param_groups.0.dampening",
                "param_groups.0.weight_decay", "param_groups.0.nesterov", "param_groups.0.maximize",
                "state.0.momentum_buffer", "state.1.momentum_buffer"), new ArrayList<>(sgd.stateDict().keySet()));
        SGD plain = new SGD(params(), 0.1);
        train(plain, 1);
        assertTrue(plain.stateDict().keySet().stream().noneMatch(k -> k.startsWith("state.")), plain.stateDict().keySet().toString());
        RMSprop rms = new RMSprop(params(), 0.1, 0.99, 1e-8, 0, 0.9, true);
        train(rms, 1);
        assertTrue(rms.stateDict().keySet().containsAll(List.of("state.1.step", "state.1.square_avg", "state.1.momentum_buffer",
                "state.1.grad_avg")), rms.stateDict().keySet().toString());
    }

    @Test
    void loadingOwnStateIsHarmless() {
        Adam adam = new Adam(params(), 0.01);
        train(adam, 2);
        double[] m = adam.stateDict().get("state.0.exp_avg").toDoubleArray();
        adam.loadStateDict(adam.stateDict());
        assertArrayEquals(m, adam.stateDict().get("state.0.exp_avg").toDoubleArray());
        train(adam, 1);
        assertEquals(3, adam.stepCount());
    }

    @Test
    void loadingConvertsToTheParameterDtype() {
        Adam source = new Adam(params(), 0.01);
        train(source, 2);
        List<Tensor> floats = new ArrayList<>();
        for (Tensor p : source.params()) floats.add(p.detach().to(DType.FLOAT32).requiresGrad(true));
        Adam target = new Adam(floats, 0.01);
        target.loadStateDict(source.stateDict());
        Tensor m = target.stateDict().get("state.0.exp_avg");
        assertEquals(DType.FLOAT32, m.dtype());
        double[] expected = source.stateDict().get("state.0.exp_avg").toDoubleArray();
        double[] actual = m.toDoubleArray();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-7 * Math.max(1, Math.abs(expected[i])));
    }

    @Test
    void strictLoadingRejectsStateThatDoesNotFit() {
        Adam source = new Adam(params(), 0.01);
        train(source, 1);
        Adam target = new Adam(params(), 0.5);

        Map<String, Tensor> missing = new LinkedHashMap<>(source.stateDict());
        missing.remove("param_groups.0.lr");
        assertRejected(target, missing, "missing key 'param_groups.0.lr'");

        Map<String, Tensor> noGroups = new LinkedHashMap<>(source.stateDict());
        noGroups.keySet().removeIf(k -> k.startsWith("param_groups."));
        assertRejected(target, noGroups, "missing key 'param_groups.0.lr'", "'lr'");

        Map<String, Tensor> partial = new LinkedHashMap<>(source.stateDict());
        partial.remove("state.1.exp_avg_sq");
        assertRejected(target, partial, "parameter 1 has partial state", "exp_avg_sq");

        Map<String, Tensor> wrongShape = new LinkedHashMap<>(source.stateDict());
        wrongShape.put("state.0.exp_avg", Tensor.zeros(DType.FLOAT64, 3, 2));
        assertRejected(target, wrongShape, "'state.0.exp_avg' has shape [3, 2]", "[2, 3]");

        Map<String, Tensor> unknown = new LinkedHashMap<>(source.stateDict());
        unknown.put("state.0.momentum_buffer", Tensor.zeros(DType.FLOAT64, 2, 3));
        assertRejected(target, unknown, "unexpected key 'state.0.momentum_buffer'");

        Map<String, Tensor> outOfRange = new LinkedHashMap<>(source.stateDict());
        outOfRange.put("state.7.exp_avg", Tensor.zeros(DType.FLOAT64, 2));
        assertRejected(target, outOfRange, "parameter 7", "2 parameters");

        Map<String, Tensor> badStep = new LinkedHashMap<>(source.stateDict());
        badStep.put("state.0.step", Tensor.scalar(1.5));
        assertRejected(target, badStep, "'state.0.step' must be a whole number");

        // a failed load changes nothing
        assertEquals(0.5, target.lr());
        assertEquals(0, target.stepCount());
        assertTrue(target.stateDict().keySet().stream().noneMatch(k -> k.startsWith("state.")), target.stateDict().keySet().toString());
        // and a good one works afterwards
        target.loadStateDict(source.stateDict());
        assertNotEquals(0.5, target.lr());
    }

    private static void assertRejected(Optimizer target, Map<String, Tensor> state, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(state));
        assertTrue(e.getMessage().startsWith("Adam.loadStateDict"), e.getMessage());
        for (String part : parts) assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should mention " + part);
    }
}
