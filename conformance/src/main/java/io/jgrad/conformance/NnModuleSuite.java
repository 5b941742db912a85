package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.nn.BatchNorm1d;
import io.jgrad.nn.Dropout;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Module;
import io.jgrad.nn.ReLU;
import io.jgrad.nn.Sequential;
import io.jgrad.nn.Tanh;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import org.junit.jupiter.api.Test;

/** The Module contract: naming, traversal, modes, state dicts, conversion and printing. */
public abstract class NnModuleSuite extends DeviceSuite {

    /** A user-defined module with its own parameter and a nested container, as examples write them. */
    static final class Net extends Module {
        Net(Generator gen) {
            registerParameter("scale", Tensor.ones(1));
            register("layers", new Sequential(new Linear(2, 3, gen), new Tanh(), new Linear(3, 1, gen)));
        }

        @Override
        public Tensor forward(Tensor input) {
            return child("layers").forward(input).mul(param("scale"));
        }
    }

    private static Sequential mlp(long seed) {
        Generator gen = new Generator(seed);
        return new Sequential(new Linear(2, 4, gen), new ReLU(), new Sequential(new Linear(4, 4, gen), new Tanh()), new Linear(4, 1, gen));
    }

    // ------------------------------------------------------------------ naming and traversal

    @Test
    void namedParametersUseDottedPyTorchNames() {
        Sequential m = mlp(1);
        assertEquals(List.of("0.weight", "0.bias", "2.0.weight", "2.0.bias", "3.weight", "3.bias"), new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(List.of("scale", "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"),
                new ArrayList<>(new Net(new Generator(1)).namedParameters().keySet()));
    }

    @Test
    void parametersFollowRegistrationOrderWithShapes() {
        Sequential m = mlp(1);
        List<Tensor> ps = m.parameters();
        assertEquals(6, ps.size());
        int[][] shapes = {{4, 2}, {4}, {4, 4}, {4}, {1, 4}, {1}};
        for (int i = 0; i < shapes.length; i++) {
            assertArrayEquals(shapes[i], ps.get(i).shape().toArray(), "parameter " + i);
            assertTrue(ps.get(i).requiresGrad() && ps.get(i).isLeaf(), "parameter " + i + " must be a leaf requiring grad");
        }
        assertSame(((Linear) m.get(0)).weight(), ps.get(0));
        assertSame(((Linear) m.get(-1)).bias(), ps.get(5));
    }

    @Test
    void sharedModuleParametersAppearOnce() {
        Linear shared = new Linear(3, 3, new Generator(2));
        Sequential m = new Sequential(shared, new Tanh(), shared);
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(2, m.parameters().size());
        // As in PyTorch, the state dict still lists the shared tensors under every name.
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(m.stateDict().keySet()));
    }

    @Test
    void buffersAreNamedAndCountedAsInt64() {
        Sequential m = new Sequential(new Linear(2, 3, new Generator(3)), new BatchNorm1d(3));
        LinkedHashMap<String, Tensor> buffers = m.namedBuffers();
        assertEquals(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked"), new ArrayList<>(buffers.keySet()));
        Tensor tracked = buffers.get("1.num_batches_tracked");
        assertEquals(DType.INT64, tracked.dtype());
        assertEquals(0, tracked.dim());
        assertFalse(buffers.get("1.running_mean").requiresGrad());
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"),
                new ArrayList<>(m.stateDict().keySet()));
    }

    @Test
    void sequentialIndexingAndChaining() {
        Linear a = new Linear(2, 2, new Generator(4));
        ReLU r = new ReLU();
        Sequential s = new Sequential().add(a).add(r);
        assertEquals(2, s.size());
        assertSame(a, s.get(0));
        assertSame(r, s.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(2));
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(s.namedParameters().keySet()));
    }

    @Test
    void sequentialAppliesModulesInOrder() {
        Linear lin = new Linear(2, 2, new Generator(5));
        Sequential s = new Sequential(lin, new ReLU());
        Tensor x = Tensor.of(new float[]{1, -2, 0.5f, 3}, 2, 2);
        assertArrayEquals(lin.forward(x).relu().toFloatArray(), s.forward(x).toFloatArray());
    }

    @Test
    void registrationRejectsBadNames() {
        class Bad extends Module {
            final String problem;

            Bad(String problem) {
                this.problem = problem;
                switch (problem) {
                    case "duplicate":
                        registerParameter("w", Tensor.ones(2));
                        registerBuffer("w", Tensor.ones(2));
                        break;
                    case "dotted":
                        register("a.b", new ReLU());
                        break;
                    case "nonLeaf": {
                        Tensor leaf = Tensor.ones(2).requiresGrad(true);
                        registerParameter("w", leaf.mul(2));
                        break;
                    }
                    default:
                        registerParameter("w", Tensor.of(new long[]{1, 2}));
                }
            }

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }
        }
        for (String p : List.of("duplicate", "dotted", "nonLeaf", "int64")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Bad(p), p);
            assertTrue(e.getMessage().contains("Bad"), "message names the module: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ modes and gradients

    @Test
    void trainAndEvalAreRecursive() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Dropout drop = new Dropout(0.5, new Generator(1));
        Sequential inner = new Sequential(bn);
        Sequential m = new Sequential(drop, inner);
        assertTrue(m.isTraining() && bn.isTraining() && drop.isTraining());
        assertSame(m, m.eval());
        assertFalse(m.isTraining() || inner.isTraining() || bn.isTraining() || drop.isTraining());
        assertSame(m, m.train());
        assertTrue(m.isTraining() && inner.isTraining() && bn.isTraining() && drop.isTraining());
        m.train(false);
        assertFalse(bn.isTraining());
    }

    @Test
    void zeroGradClearsEveryParameterGradient() {
        Sequential m = mlp(6);
        m.forward(Tensor.of(new float[]{1, 2, -1, 0.5f}, 2, 2)).sum().backward();
        for (Tensor p : m.parameters()) assertNotNull(p.grad());
        m.zeroGrad();
        for (Tensor p : m.parameters()) assertNull(p.grad());
    }

    @Test
    void parametersSurviveTheScopeTheyWereCreatedIn() {
        Linear lin;
        try (Scope ignored = Scope.open()) {
            lin = new Linear(2, 2, new Generator(7));
            lin.forward(Tensor.ones(1, 2));
        }
        assertFalse(lin.weight().isClosed());
        assertFalse(lin.bias().isClosed());
        assertEquals(2, lin.forward(Tensor.ones(1, 2)).numel());
    }

    // ------------------------------------------------------------------ state dict

    private static Map<String, double[]> snapshot(Module m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, t) -> out.put(k, t.toDoubleArray()));
        return out;
    }

    private static void assertSnapshot(Map<String, double[]> expected, Module m) {
        Map<String, double[]> actual = snapshot(m);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), 0, "state of " + k));
    }

    private static Sequential bnNet(long seed) {
        Generator gen = new Generator(seed);
        return new Sequential(new Linear(3, 4, gen), new BatchNorm1d(4), new Tanh(), new Linear(4, 2, gen));
    }

    @Test
    void stateDictIsDetachedAndSharesMemory() {
        Sequential m = bnNet(8);
        LinkedHashMap<String, Tensor> sd = m.stateDict();
        for (Map.Entry<String, Tensor> e : sd.entrySet()) assertFalse(e.getValue().requiresGrad(), e.getKey());
        assertArrayEquals(((Linear) m.get(0)).weight().toFloatArray(), sd.get("0.weight").toFloatArray());
    }

    @Test
    void stateDictRoundTripReproducesTheModel() {
        Sequential source = bnNet(9);
        Tensor batch = Tensor.randn(new Generator(10), 5, 3);
        source.forward(batch); // moves the running statistics and the batch counter away from their initial values
        source.eval();
        Sequential target = bnNet(10);
        target.eval();
        List<Tensor> paramsBefore = target.parameters();
        Tensor x = Tensor.randn(new Generator(11), 4, 3);
        assertFalse(java.util.Arrays.equals(source.forward(x).toFloatArray(), target.forward(x).toFloatArray()));

        target.loadStateDict(source.stateDict());

        assertSnapshot(snapshot(source), target);
        assertArrayEquals(source.forward(x).toFloatArray(), target.forward(x).toFloatArray(), 0f);
        assertEquals(1, ((BatchNorm1d) target.get(1)).numBatchesTracked());
        List<Tensor> paramsAfter = target.parameters();
        for (int i = 0; i < paramsBefore.size(); i++) {
            assertSame(paramsBefore.get(i), paramsAfter.get(i), "loading copies into the existing parameters");
            assertTrue(paramsAfter.get(i).isLeaf() && paramsAfter.get(i).requiresGrad());
        }
    }

    @Test
    void loadStateDictFailsOnMissingKeyAndLoadsNothing() {
        Sequential m = bnNet(12);
        Map<String, double[]> before = snapshot(m);
        Map<String, Tensor> state = new LinkedHashMap<>(bnNet(13).stateDict());
        state.remove("3.bias");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state));
        assertTrue(e.getMessage().contains("missing keys: [3.bias]"), e.getMessage());
        assertSnapshot(before, m);
    }

    @Test
    void loadStateDictFailsOnUnexpectedKeyAndLoadsNothing() {
        Sequential m = bnNet(14);
        Map<String, double[]> before = snapshot(m);
        Map<String, Tensor> state = new LinkedHashMap<>(bnNet(15).stateDict());
        state.put("4.weight", Tensor.ones(2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state));
        assertTrue(e.getMessage().contains("unexpected keys: [4.weight]"), e.getMessage());
        assertSnapshot(before, m);
    }

    @Test
    void loadStateDictFailsOnShapeOrDtypeMismatchAndLoadsNothing() {
        Sequential m = bnNet(16);
        Map<String, double[]> before = snapshot(m);
        Map<String, Tensor> state = new LinkedHashMap<>(bnNet(17).stateDict());
        state.put("0.weight", Tensor.ones(3, 4));
        state.put("1.num_batches_tracked", Tensor.zeros(DType.FLOAT32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state));
        assertTrue(e.getMessage().contains("0.weight: checkpoint float32[3, 4], module float32[4, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("1.num_batches_tracked: checkpoint float32[], module int64[]"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was loaded"), e.getMessage());
        assertSnapshot(before, m);
    }

    @Test
    void loadStateDictListsEveryProblemAtOnce() {
        Sequential m = bnNet(18);
        Map<String, Tensor> state = new HashMap<>(bnNet(19).stateDict());
        state.remove("0.bias");
        state.put("extra", Tensor.ones(1));
        state.put("3.weight", Tensor.ones(2, 5));
        String msg = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state)).getMessage();
        assertTrue(msg.contains("missing keys: [0.bias]") && msg.contains("unexpected keys: [extra]") && msg.contains("3.weight"), msg);
    }

    // ------------------------------------------------------------------ conversion and functional calls

    @Test
    void toFloat64ConvertsFloatingTensorsAndKeepsLeaves() {
        Sequential m = bnNet(20);
        float[] w = ((Linear) m.get(0)).weight().toFloatArray();
        assertSame(m, m.to(DType.FLOAT64));
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            assertEquals(DType.FLOAT64, e.getValue().dtype(), e.getKey());
            assertTrue(e.getValue().isLeaf() && e.getValue().requiresGrad(), e.getKey());
        }
        assertEquals(DType.FLOAT64, m.namedBuffers().get("1.running_var").dtype());
        assertEquals(DType.INT64, m.namedBuffers().get("1.num_batches_tracked").dtype());
        double[] w64 = ((Linear) m.get(0)).weight().toDoubleArray();
        for (int i = 0; i < w.length; i++) assertEquals(w[i], w64[i], 0, "value " + i);
        Tensor out = m.forward(Tensor.randn(new Generator(21), 4, 3).to(DType.FLOAT64));
        assertEquals(DType.FLOAT64, out.dtype());
        out.sum().backward();
        assertEquals(DType.FLOAT64, ((Linear) m.get(0)).weight().grad().dtype());
    }

    @Test
    void toTheCurrentDeviceKeepsTheSameTensors() {
        Sequential m = bnNet(22);
        List<Tensor> before = m.parameters();
        Tensor rm = m.namedBuffers().get("1.running_mean");
        m.to(device());
        List<Tensor> after = m.parameters();
        for (int i = 0; i < before.size(); i++) assertSame(before.get(i), after.get(i));
        assertSame(rm, m.namedBuffers().get("1.running_mean"));
    }

    @Test
    void movingFromTheCpuToTheSuiteDevice() {
        // Built and trained one step on the CPU; on a CPU run the move is a no-op, on an accelerator a real copy.
        Backends.setDefaultDevice(Device.CPU);
        Sequential m = bnNet(25);
        Tensor xCpu = Tensor.randn(new Generator(26), 6, 3);
        m.forward(xCpu).sum().backward();
        m.eval();
        float[] expected = m.forward(xCpu).toFloatArray();
        float[] grad0 = ((Linear) m.get(0)).weight().grad().toFloatArray();
        Map<String, Tensor> cpuState = m.stateDict();
        Backends.setDefaultDevice(device());

        assertSame(m, m.to(device()));
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            assertEquals(device(), p.device(), e.getKey());
            assertTrue(p.isLeaf() && p.requiresGrad(), e.getKey() + " stays a leaf that requires grad");
            assertEquals(device(), p.grad().device(), e.getKey() + " gradient moves along");
        }
        for (Map.Entry<String, Tensor> e : m.namedBuffers().entrySet()) assertEquals(device(), e.getValue().device(), e.getKey());
        assertArrayEquals(grad0, ((Linear) m.get(0)).weight().grad().toFloatArray());
        assertArrayEquals(expected, m.forward(xCpu.to(device())).toFloatArray(), 1e-5f);

        Sequential other = bnNet(27);
        other.eval();
        other.loadStateDict(cpuState); // copies across devices
        assertEquals(1, ((BatchNorm1d) other.get(1)).numBatchesTracked());
        assertArrayEquals(expected, other.forward(xCpu.to(device())).toFloatArray(), 1e-5f);
        // Training continues on the device.
        m.train();
        m.zeroGrad();
        m.forward(xCpu.to(device())).sum().backward();
        assertEquals(device(), ((Linear) m.get(0)).weight().grad().device());
    }

    @Test
    void functionalCallSubstitutesParametersAndRestoresThem() {
        Linear lin = new Linear(2, 2, new Generator(23));
        Tensor w = Tensor.of(new float[]{1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor x = Tensor.of(new float[]{1, -1}, 1, 2);
        Tensor out = lin.functionalCall(Map.of("weight", w), x);
        float[] b = lin.bias().toFloatArray();
        assertArrayEquals(new float[]{-1 + b[0], -1 + b[1]}, out.toFloatArray(), 1e-6f);
        out.sum().backward();
        assertArrayEquals(new float[]{1, -1, 1, -1}, w.grad().toFloatArray());
        assertNull(lin.weight().grad(), "the module's own weight was not in the graph");
        assertFalse(java.util.Arrays.equals(new float[]{1, 2, 3, 4}, lin.weight().toFloatArray()), "the module's weight is restored");
        assertThrows(IllegalArgumentException.class, () -> lin.functionalCall(Map.of("nope", w), x));
        assertThrows(IllegalArgumentException.class, () -> lin.functionalCall(Map.of("bias", w), x));
    }

    @Test
    void inPlaceParameterUpdatesWorkUnderNoGrad() {
        Linear lin = new Linear(2, 1, new Generator(24));
        assertThrows(IllegalStateException.class, () -> lin.weight().mulInPlace(0.1));
        float[] before = lin.weight().toFloatArray();
        try (Grad.Mode ignored = Grad.disabled()) {
            lin.weight().mulInPlace(0.5);
        }
        float[] after = lin.weight().toFloatArray();
        for (int i = 0; i < before.length; i++) assertEquals(before[i] * 0.5f, after[i], 1e-7f);
    }

    // ------------------------------------------------------------------ printing

    @Test
    void toStringPrintsTheTreeLikePyTorch() {
        Sequential flat = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 1, false));
        assertEquals("Sequential(\n"
                + "  (0): Linear(in_features=2, out_features=16, bias=true)\n"
                + "  (1): ReLU()\n"
                + "  (2): Linear(in_features=16, out_features=1, bias=false)\n"
                + ")", flat.toString());
        Sequential nested = new Sequential(new Linear(2, 2), new Sequential(new BatchNorm1d(2), new Tanh()), new Dropout(0.25, new Generator(1)));
        assertEquals("Sequential(\n"
                + "  (0): Linear(in_features=2, out_features=2, bias=true)\n"
                + "  (1): Sequential(\n"
                + "    (0): BatchNorm1d(2, eps=1.0E-5, momentum=0.1)\n"
                + "    (1): Tanh()\n"
                + "  )\n"
                + "  (2): Dropout(p=0.25)\n"
                + ")", nested.toString());
        assertEquals("Net(\n  (layers): Sequential(\n    (0): Linear(in_features=2, out_features=3, bias=true)\n    (1): Tanh()\n"
                + "    (2): Linear(in_features=3, out_features=1, bias=true)\n  )\n)", new Net(new Generator(1)).toString());
    }
}
