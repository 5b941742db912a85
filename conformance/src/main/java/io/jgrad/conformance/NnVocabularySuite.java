package io.jgrad.conformance;

import static io.jgrad.conformance.NnVocabularyReferences.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.HookHandle;
import io.jgrad.GradCheck;
import io.jgrad.Tensor;
import io.jgrad.nn.BatchNorm1d;
import io.jgrad.nn.BatchNorm2d;
import io.jgrad.nn.Embedding;
import io.jgrad.nn.Identity;
import io.jgrad.nn.LayerNorm;
import io.jgrad.nn.Linear;
import io.jgrad.nn.LogSoftmax;
import io.jgrad.nn.ModelSummary;
import io.jgrad.nn.Module;
import io.jgrad.nn.ModuleDict;
import io.jgrad.nn.ModuleList;
import io.jgrad.nn.MultiInputModule;
import io.jgrad.nn.ReLU;
import io.jgrad.nn.Sequential;
import io.jgrad.nn.Softmax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The modules of issue 12 (Softmax, LogSoftmax, Identity, Embedding with paddingIdx, BatchNorm without affine or
 * running statistics, BatchNorm2d, LayerNorm without affine, ModuleList, ModuleDict), multi-input forward, hooks,
 * the model summary and non-strict state-dict loading: against PyTorch-generated values
 * ({@link NnVocabularyReferences}), PyTorch's state-dict names and printouts, and hand-computed expectations.
 */
public abstract class NnVocabularySuite extends DeviceSuite {

    private static Tensor f64(double[] v, int... shape) {
        return Tensor.of(v, shape);
    }

    private static Tensor upstream(Tensor out) {
        double[] u = new double[(int) out.numel()];
        for (int i = 0; i < u.length; i++) u[i] = 1 + 0.1 * i;
        return Tensor.of(u, out.shape().toArray()).to(out.dtype());
    }

    private static void assertClose(String what, double[] expected, Tensor actual, double tol) {
        assertArrayEquals(expected, actual.toDoubleArray(), tol, what);
    }

    // ------------------------------------------------------------------ small layers

    @Test
    void softmaxLogSoftmaxAndIdentity() {
        Tensor x = Tensor.randn(new Generator(1), 2, 3, 4).to(DType.FLOAT64);
        assertArrayEquals(x.softmax(1).toDoubleArray(), new Softmax(1).forward(x).toDoubleArray(), 0);
        assertArrayEquals(x.logSoftmax(-1).toDoubleArray(), new LogSoftmax(-1).forward(x).toDoubleArray(), 0);
        assertSame(x, new Identity().forward(x));
        assertEquals("Softmax(dim=1)", new Softmax(1).toString());
        assertEquals("LogSoftmax(dim=-1)", new LogSoftmax(-1).toString());
        assertEquals("Identity()", new Identity().toString());
        assertTrue(new Softmax(0).stateDict().isEmpty());
        Tensor p = x.clone().requiresGrad(true);
        GradCheck.check(in -> new LogSoftmax(2).forward(in[0]), p).assertPassed();
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> new Softmax(3).forward(x));
        assertTrue(e.getMessage().contains("softmax") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }

    // ------------------------------------------------------------------ Embedding

    @Test
    void embeddingPaddingRowStartsAtZeroAndGetsNoGradient() {
        Embedding emb = new Embedding(5, 2, -2, new Generator(3)); // -2 is row 3, as in PyTorch
        assertEquals(3, emb.paddingIdx());
        assertEquals("Embedding(5, 2, padding_idx=3)", emb.toString());
        double[] w = emb.weight().toDoubleArray();
        assertEquals(0, w[6], 0);
        assertEquals(0, w[7], 0);
        assertTrue(w[0] != 0 && w[9] != 0, "the other rows are drawn");
        try (Grad.Mode ignored = Grad.disabled()) {
            emb.weight().select(0, 3).fill(0.5); // a padding row set by hand is returned as is
        }
        Tensor idx = Tensor.of(new long[]{3, 1, 3, 4}, 2, 2);
        Tensor out = emb.forward(idx);
        assertEquals(List.of(2, 2, 2), List.of(out.size(0), out.size(1), out.size(2)));
        double[] o = out.toDoubleArray();
        assertEquals(0.5, o[0], 0);
        assertEquals(0.5, o[5], 0);
        out.mul(upstream(out)).sum().backward();
        double[] g = emb.weight().grad().toDoubleArray();
        // row 1 gets u[2], u[3]; row 4 gets u[6], u[7]; the padding row 3 gets nothing
        assertArrayEquals(new double[]{0, 0, 1.2, 1.3, 0, 0, 0, 0, 1.6, 1.7}, g, 1e-6);
        assertEquals(0.5, emb.weight().toDoubleArray()[6], 0, "backward leaves the padding row alone");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 2, 5));
        assertTrue(e.getMessage().contains("padding_idx") && e.getMessage().contains("5"), e.getMessage());
        assertNull(new Embedding(5, 2).paddingIdx());
    }

    // ------------------------------------------------------------------ batch and layer norm

    @Test
    void batchNorm2dMatchesPyTorchInTrainingAndEval() {
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.to(DType.FLOAT64);
        try (Grad.Mode ignored = Grad.disabled()) {
            bn.weight().copyFrom(f64(new double[]{1.5, -0.5, 2.0}, 3));
            bn.bias().copyFrom(f64(new double[]{0.1, 0.2, -0.3}, 3));
        }
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.stateDict().keySet()));
        Tensor x = f64(X, 2, 3, 2, 2).requiresGrad(true);
        Tensor out = bn.forward(x);
        assertEquals(x.shape(), out.shape());
        assertClose("train output", BN_TRAIN_OUT, out, 1e-12);
        out.mul(upstream(out)).sum().backward();
        assertClose("input gradient", BN_GX, x.grad(), 1e-10);
        assertClose("weight gradient", BN_GW, bn.weight().grad(), 1e-10);
        assertClose("bias gradient", BN_GB, bn.bias().grad(), 1e-10);
        bn.forward(f64(X2, 2, 3, 2, 2));
        assertClose("running mean", BN_RMEAN, bn.runningMean(), 1e-12);
        assertClose("running var", BN_RVAR, bn.runningVar(), 1e-12);
        assertEquals(2, bn.numBatchesTracked());
        assertEquals(2, bn.stateDict().get("num_batches_tracked").itemLong());
        bn.eval();
        assertClose("eval output", BN_EVAL_OUT, bn.forward(f64(X, 2, 3, 2, 2)), 1e-12);
        // float32 runs the same kernel
        BatchNorm2d bn32 = new BatchNorm2d(3);
        bn32.loadStateDict(bn.stateDict(), true, true);
        bn32.eval();
        assertClose("float32 eval output", BN_EVAL_OUT, bn32.forward(f64(X, 2, 3, 2, 2).to(DType.FLOAT32)), 1e-5);
        Tensor p = f64(X, 2, 3, 2, 2).requiresGrad(true);
        BatchNorm2d fresh = new BatchNorm2d(3);
        fresh.to(DType.FLOAT64);
        GradCheck.check(in -> fresh.forward(in[0]).mul(upstream(in[0])), p).assertPassed();
    }

    @Test
    void batchNormWithoutAffineOrRunningStatsMatchesPyTorch() {
        BatchNorm2d noAffine = new BatchNorm2d(3, 1e-5, 0.1, false, true);
        noAffine.to(DType.FLOAT64);
        assertTrue(noAffine.parameters().isEmpty());
        assertNull(noAffine.weight());
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"), List.copyOf(noAffine.stateDict().keySet()));
        assertClose("affine=false", BN_NOAFFINE_OUT, noAffine.forward(f64(X, 2, 3, 2, 2)), 1e-12);
        assertEquals("BatchNorm2d(3, eps=1.0E-5, momentum=0.1, affine=false)", noAffine.toString());

        BatchNorm2d noTrack = new BatchNorm2d(3, 1e-5, 0.1, true, false);
        noTrack.to(DType.FLOAT64);
        assertEquals(List.of("weight", "bias"), List.copyOf(noTrack.stateDict().keySet()));
        assertNull(noTrack.runningMean());
        noTrack.eval();
        assertClose("eval without running stats uses the batch", BN_NOTRACK_EVAL_OUT, noTrack.forward(f64(X, 2, 3, 2, 2)), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> noTrack.forward(f64(new double[]{1, 2, 3}, 1, 3, 1, 1)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());

        BatchNorm1d b1 = new BatchNorm1d(3, 1e-5, 0.3, false, true);
        b1.to(DType.FLOAT64);
        Tensor y = f64(X, 2, 3, 4).requiresGrad(true);
        Tensor o = b1.forward(y);
        assertClose("BatchNorm1d [N, C, L] without affine", BN1_OUT, o, 1e-12);
        o.mul(upstream(o)).sum().backward();
        assertClose("its input gradient", BN1_GX, y.grad(), 1e-10);
        b1.eval();
        assertClose("its eval output after one step at momentum 0.3", BN1_EVAL_OUT, b1.forward(f64(X, 2, 3, 4)), 1e-12);

        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.ones(2, 3, 4)));
        assertTrue(e.getMessage().contains("BatchNorm2d") && e.getMessage().contains("[N, 3, H, W]") && e.getMessage().contains("[2, 3, 4]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3, 1e-5, 0.1, false, true).forward(Tensor.ones(DType.FLOAT64, 2, 3, 1, 1)));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("float32"), e.getMessage());
    }

    @Test
    void layerNormWithoutAffineMatchesPyTorch() {
        LayerNorm ln = new LayerNorm(new int[]{2, 2}, 1e-5, false);
        assertTrue(ln.stateDict().isEmpty());
        assertNull(ln.weight());
        assertEquals("LayerNorm([2, 2], eps=1.0E-5, elementwise_affine=false)", ln.toString());
        Tensor x = f64(X, 2, 3, 2, 2).requiresGrad(true);
        Tensor out = ln.forward(x);
        assertClose("output", LN_OUT, out, 1e-12);
        out.mul(upstream(out)).sum().backward();
        assertClose("input gradient", LN_GX, x.grad(), 1e-10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.ones(DType.INT64, 3, 2, 2)));
        assertTrue(e.getMessage().contains("floating") && e.getMessage().contains("int64"), e.getMessage());
    }

    // ------------------------------------------------------------------ containers

    /** PyTorch: layers = ModuleList([Linear(2, 3), Linear(3, 1, bias=False)]), heads = ModuleDict({cls, norm}). */
    static final class Holder extends Module {
        final ModuleList<Linear> layers;
        final ModuleDict<Module> heads;

        Holder() {
            layers = register("layers", new ModuleList<>(new Linear(2, 3), new Linear(3, 1, false)));
            heads = register("heads", new ModuleDict<>().put("cls", new Linear(1, 2)).put("norm", new BatchNorm1d(2)));
        }

        @Override
        public Tensor forward(Tensor input) {
            Tensor x = input;
            for (Linear l : layers) x = l.call(x);
            return heads.get("norm").call(heads.get("cls").call(x));
        }
    }

    @Test
    void moduleListAndDictNameStateLikePyTorch() {
        Holder h = new Holder();
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "heads.cls.weight", "heads.cls.bias", "heads.norm.weight",
                "heads.norm.bias", "heads.norm.running_mean", "heads.norm.running_var", "heads.norm.num_batches_tracked"),
                List.copyOf(h.stateDict().keySet()));
        assertEquals(2, h.layers.size());
        assertEquals(3, h.layers.get(-1).inFeatures());
        assertEquals(List.of("cls", "norm"), List.copyOf(h.heads.keySet()));
        assertEquals(List.of(4, 2), List.of(h.forward(Tensor.ones(4, 2)).size(0), h.forward(Tensor.ones(4, 2)).size(1)));
        assertTrue(h.toString().contains("(layers): ModuleList(\n    (0): Linear(in_features=2, out_features=3, bias=true)"), h.toString());
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class, () -> h.layers.forward(Tensor.ones(1, 2)));
        assertTrue(u.getMessage().contains("ModuleList has no forward"), u.getMessage());
        u = assertThrows(UnsupportedOperationException.class, () -> h.heads.forward(Tensor.ones(1, 2)));
        assertTrue(u.getMessage().contains("ModuleDict has no forward"), u.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.heads.get("head"));
        assertTrue(e.getMessage().contains("'head'") && e.getMessage().contains("[cls, norm]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> h.heads.put("cls", new Identity()));
        assertTrue(e.getMessage().contains("already registered"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> h.heads.put("a.b", new Identity()));
        assertTrue(e.getMessage().contains("'a.b'"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> h.layers.get(2));
    }

    // ------------------------------------------------------------------ several inputs

    /** out = a * w + b, a module of two inputs. */
    static final class ScaleAdd extends MultiInputModule {
        ScaleAdd() {
            registerParameter("w", Tensor.full(2.0, 3));
        }

        @Override
        public Tensor forward(Tensor... inputs) {
            if (inputs.length != 2) throw new IllegalArgumentException("ScaleAdd takes 2 inputs, got " + inputs.length);
            return inputs[0].mul(param("w")).add(inputs[1]);
        }
    }

    @Test
    void modulesOfSeveralInputs() {
        ScaleAdd m = new ScaleAdd();
        Tensor a = Tensor.of(new float[]{1, 2, 3}, 3), b = Tensor.of(new float[]{10, 20, 30}, 3);
        assertArrayEquals(new float[]{12, 24, 36}, m.forward(a, b).toFloatArray());
        assertArrayEquals(new float[]{12, 24, 36}, m.call(a, b).toFloatArray());
        assertArrayEquals(new float[]{12, 24, 36}, m.forward(new Tensor[]{a, b}).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(a));
        assertTrue(e.getMessage().contains("ScaleAdd takes several inputs") && e.getMessage().contains("float32[3]"), e.getMessage());
        Linear lin = new Linear(3, 2);
        assertArrayEquals(lin.forward(a).toFloatArray(), lin.forward(new Tensor[]{a}).toFloatArray());
        e = assertThrows(IllegalArgumentException.class, () -> lin.forward(a, b));
        assertTrue(e.getMessage().contains("Linear.forward takes 1 input, got 2") && e.getMessage().contains("MultiInputModule"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lin.call(a, b, a));
        assertTrue(e.getMessage().contains("got 3"), e.getMessage());
    }

    // ------------------------------------------------------------------ hooks

    @Test
    void forwardHooksSeeAndReplaceInputsAndOutputsAndCanBeRemoved() {
        Linear l1 = new Linear(3, 4, new Generator(1));
        Linear l2 = new Linear(4, 2, new Generator(2));
        Sequential seq = new Sequential(l1, new ReLU(), l2);
        Tensor x = Tensor.randn(new Generator(3), 5, 3);
        Tensor plain = seq.forward(x);
        List<String> log = new ArrayList<>();
        Tensor[] seen = new Tensor[1];
        HookHandle pre = l2.registerForwardPreHook((m, in) -> {
            log.add("pre " + in[0].shape());
            return null;
        });
        HookHandle post = l1.registerForwardHook((m, in, out) -> {
            log.add("post " + out.shape());
            seen[0] = out;
            return null;
        });
        Tensor same = seq.forward(x);
        assertEquals(List.of("post [5, 4]", "pre [5, 4]"), log, "hooks fire in execution order inside a Sequential");
        assertArrayEquals(plain.toFloatArray(), same.toFloatArray(), 1e-6f, "observing hooks change nothing (a hooked Linear runs unfused)");
        assertArrayEquals(l1.forward(x).toFloatArray(), seen[0].toFloatArray());
        // replacing: the pre-hook doubles l2's input, the forward hook negates l1's output
        HookHandle twice = l2.registerForwardPreHook((m, in) -> new Tensor[]{in[0].mul(2)});
        Tensor doubled = seq.forward(x);
        Tensor expected = l2.forward(l1.forward(x).relu().mul(2));
        assertArrayEquals(expected.toFloatArray(), doubled.toFloatArray(), 1e-5f);
        HookHandle negate = l1.registerForwardHook((m, in, out) -> out.neg());
        assertArrayEquals(l2.forward(l1.forward(x).neg().relu().mul(2)).toFloatArray(), seq.forward(x).toFloatArray(), 1e-5f);
        for (HookHandle h : List.of(pre, post, twice, negate)) h.remove();
        negate.remove(); // twice is harmless
        log.clear();
        assertArrayEquals(plain.toFloatArray(), seq.forward(x).toFloatArray(), 1e-6f);
        assertTrue(log.isEmpty(), "removed hooks do not run");
        // forward itself runs no hooks; call does
        l1.registerForwardHook((m, in, out) -> {
            log.add("called");
            return null;
        });
        l1.forward(x);
        assertTrue(log.isEmpty());
        l1.call(x);
        assertEquals(List.of("called"), log);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l1.registerForwardHook(null));
        assertTrue(e.getMessage().contains("Linear.registerForwardHook: hook is null"), e.getMessage());
    }

    @Test
    void backwardHooksSeeGradientsAndCanReplaceTheInputGradient() {
        Linear lin = new Linear(3, 2, new Generator(4));
        lin.to(DType.FLOAT64);
        Tensor x = Tensor.randn(new Generator(5), 4, 3).to(DType.FLOAT64).requiresGrad(true);
        Tensor[][] got = new Tensor[2][];
        HookHandle h = lin.registerBackwardHook((m, gin, gout) -> {
            got[0] = gin;
            got[1] = gout;
            return null;
        });
        Tensor out = lin.call(x);
        Tensor u = upstream(out);
        out.mul(u).sum().backward();
        assertEquals(1, got[1].length);
        assertArrayEquals(u.toDoubleArray(), got[1][0].toDoubleArray(), 1e-15, "grad_output");
        double[] expectedGin = u.matmul(lin.weight().detach()).toDoubleArray();
        assertArrayEquals(expectedGin, got[0][0].toDoubleArray(), 1e-12, "grad_input = grad_output . W");
        assertArrayEquals(expectedGin, x.grad().toDoubleArray(), 1e-12);
        h.remove();
        // a replacing hook: the input gradient is scaled by 3
        lin.registerBackwardHook((m, gin, gout) -> new Tensor[]{gin[0].mul(3)});
        Tensor x2 = x.detach().clone().requiresGrad(true);
        lin.call(x2).mul(u).sum().backward();
        double[] g = x2.grad().toDoubleArray();
        for (int i = 0; i < g.length; i++) assertEquals(3 * expectedGin[i], g[i], 1e-12);
        // an input that needs no gradient: the hook runs with a null grad_input as soon as grad_output is known
        Linear first = new Linear(3, 2, new Generator(6));
        List<Tensor[]> calls = new ArrayList<>();
        first.registerBackwardHook((m, gin, gout) -> {
            calls.add(new Tensor[]{gin[0], gout[0]});
            return null;
        });
        first.call(Tensor.ones(4, 3)).sum().backward();
        assertEquals(1, calls.size());
        assertNull(calls.get(0)[0]);
        assertNotNull(calls.get(0)[1]);
        assertNotNull(first.weight().grad(), "the parameters still get their gradients");
        // without grad mode nothing is recorded and no hook runs
        try (Grad.Mode ignored = Grad.disabled()) {
            first.call(Tensor.ones(4, 3));
        }
        assertEquals(1, calls.size());
    }

    // ------------------------------------------------------------------ summary

    @Test
    void summaryListsLayersShapesAndParameterCounts() {
        Sequential model = new Sequential(new Linear(4, 8), new ReLU(), new BatchNorm1d(8), new Linear(8, 2));
        model.get(3).parameters().get(1).requiresGrad(false); // a frozen bias: 2 non-trainable
        double meanBefore = model.namedBuffers().get("2.running_mean").sum().item();
        ModelSummary s = model.summary(3, 4);
        List<String> rows = new ArrayList<>();
        for (ModelSummary.Row r : s.rows()) rows.add(r.depth() + " " + r.name() + " " + r.type() + " " + r.outputShape() + " " + r.params());
        assertEquals(List.of("0  Sequential [3, 2] 74", "1 0 Linear [3, 8] 40", "1 1 ReLU [3, 8] 0", "1 2 BatchNorm1d [3, 8] 16",
                "1 3 Linear [3, 2] 18"), rows);
        assertEquals(74, s.totalParams());
        assertEquals(72, s.trainableParams());
        assertEquals(2, s.nonTrainableParams());
        String table = s.toString();
        assertTrue(table.contains("Layer (type)") && table.contains("Output shape") && table.contains("Param #"), table);
        assertTrue(table.contains("  0 (Linear)") && table.contains("[3, 8]") && table.contains("Total params: 74")
                && table.contains("Trainable params: 72") && table.contains("Non-trainable params: 2"), table);
        assertEquals(meanBefore, model.namedBuffers().get("2.running_mean").sum().item(), 0, "the summary's forward leaves running stats alone");
        assertEquals(0, ((BatchNorm1d) model.get(2)).numBatchesTracked());
        assertTrue(model.isTraining());
        // an explicit input tensor; nested containers are indented by depth
        Holder h = new Holder();
        ModelSummary hs = h.summary(Tensor.ones(5, 2));
        List<String> names = new ArrayList<>();
        for (ModelSummary.Row r : hs.rows()) names.add(r.depth() + ":" + r.name());
        assertEquals(List.of("0:", "2:layers.0", "2:layers.1", "2:heads.cls", "2:heads.norm"), names);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.summary(3, 5));
        assertTrue(e.getMessage().contains("[3, 5]"), e.getMessage());
    }

    // ------------------------------------------------------------------ loading state

    @Test
    void nonStrictLoadReportsMissingAndUnexpectedKeys() {
        Sequential a = new Sequential(new Linear(2, 3, new Generator(1)), new BatchNorm1d(3));
        Sequential b = new Sequential(new Linear(2, 3, new Generator(2)), new BatchNorm1d(3));
        Map<String, Tensor> partial = new LinkedHashMap<>();
        partial.put("0.weight", a.stateDict().get("0.weight"));
        partial.put("1.num_batches_tracked", Tensor.scalar(7L));
        partial.put("head.weight", Tensor.ones(1));
        double[] biasBefore = b.stateDict().get("0.bias").toDoubleArray();
        Module.LoadResult r = b.loadStateDict(partial, false);
        assertEquals(List.of("0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"), r.missingKeys());
        assertEquals(List.of("head.weight"), r.unexpectedKeys());
        assertArrayEquals(a.stateDict().get("0.weight").toDoubleArray(), b.stateDict().get("0.weight").toDoubleArray());
        assertArrayEquals(biasBefore, b.stateDict().get("0.bias").toDoubleArray(), "missing keys keep their values");
        assertEquals(7, ((BatchNorm1d) b.get(1)).numBatchesTracked());
        // strict still refuses, naming the keys, and loads nothing
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(partial, true));
        assertTrue(e.getMessage().contains("missing keys: [0.bias") && e.getMessage().contains("unexpected keys: [head.weight]"), e.getMessage());
        assertEquals(Module.LoadResult.class, b.loadStateDict(a.stateDict(), true).getClass());
        assertTrue(b.loadStateDict(a.stateDict(), true).missingKeys().isEmpty());
        // shapes must match even when not strict
        Map<String, Tensor> wrong = Map.of("0.weight", Tensor.ones(2, 3));
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(wrong, false));
        assertTrue(e.getMessage().contains("0.weight") && e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void dtypeConversionOnLoadIsOptIn() {
        Linear src = new Linear(2, 3, new Generator(1));
        src.to(DType.FLOAT64);
        Linear dst = new Linear(2, 3, new Generator(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dst.loadStateDict(src.stateDict()));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("float32") && e.getMessage().contains("convertDTypes"), e.getMessage());
        Module.LoadResult r = dst.loadStateDict(src.stateDict(), true, true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty());
        assertEquals(DType.FLOAT32, dst.weight().dtype(), "the module keeps its dtype");
        assertArrayEquals(src.weight().to(DType.FLOAT32).toFloatArray(), dst.weight().toFloatArray());
    }
}
