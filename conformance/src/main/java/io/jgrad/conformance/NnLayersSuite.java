package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.jgrad.DType;

import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.GradCheck;
import io.jgrad.Tensor;
import io.jgrad.nn.Dropout;
import io.jgrad.nn.Embedding;
import io.jgrad.nn.Flatten;
import io.jgrad.nn.GELU;
import io.jgrad.nn.Init;
import io.jgrad.nn.LayerNorm;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Module;
import io.jgrad.nn.ReLU;
import io.jgrad.nn.Residual;
import io.jgrad.nn.Sequential;
import io.jgrad.nn.Sigmoid;
import io.jgrad.nn.Tanh;
import java.util.Arrays;
import java.util.Map;


import org.junit.jupiter.api.Test;

/** Forward values against hand computations and float64 references, and gradients via GradCheck, per layer. */
public abstract class NnLayersSuite extends DeviceSuite {

    private static void set(Tensor target, double... values) {
        try (Grad.Mode ignored = Grad.disabled()) {
            target.copyFrom(Tensor.of(values, target.shape().toArray()).to(target.dtype()));
        }
    }

    private static Tensor f64(double[] values, int... shape) {
        return Tensor.of(values, shape);
    }

    // ------------------------------------------------------------------ Sequential fusion

    /**
     * Sequential runs a Linear and the activation after it as one fused op; the result and every gradient must be
     * what the modules give one by one, bit for bit (the fused kernels round where the separate ones do).
     */
    @Test
    void sequentialFusesLinearAndActivationWithoutChangingANumber() {
        Generator gen = new Generator(11);
        Linear l1 = new Linear(7, 9, gen), l2 = new Linear(9, 8, gen), l3 = new Linear(8, 5, false, gen), l4 = new Linear(5, 3, gen);
        Module[] modules = {l1, new ReLU(), l2, new Tanh(), l3, new Sigmoid(), l4};
        Sequential seq = new Sequential(modules);
        Tensor x = Tensor.randn(new Generator(3), 6, 7);
        Tensor fused = seq.forward(x).square().sum();
        fused.backward();
        double[][] fusedGrads = new double[4][], fusedBiasGrads = new double[4][];
        Linear[] linears = {l1, l2, l3, l4};
        for (int i = 0; i < 4; i++) {
            fusedGrads[i] = linears[i].weight().grad().toDoubleArray();
            linears[i].weight().setGrad(null);
            if (linears[i].bias() != null) {
                fusedBiasGrads[i] = linears[i].bias().grad().toDoubleArray();
                linears[i].bias().setGrad(null);
            }
        }
        Tensor h = x;
        for (Module m : modules) h = m.forward(h); // one by one: no fusion
        Tensor apart = h.square().sum();
        apart.backward();
        assertEquals(apart.item(), fused.item(), 0.0, "forward");
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(linears[i].weight().grad().toDoubleArray(), fusedGrads[i], 0.0, "weight gradient of linear " + i);
            if (linears[i].bias() != null) {
                assertArrayEquals(linears[i].bias().grad().toDoubleArray(), fusedBiasGrads[i], 0.0, "bias gradient of linear " + i);
            }
        }
        assertNotNull(fusedBiasGrads[0]);
    }

    // ------------------------------------------------------------------ Linear

    @Test
    void linearForwardMatchesHandComputation() {
        Linear lin = new Linear(3, 2);
        set(lin.weight(), 1, 2, 3, 4, 5, 6);
        set(lin.bias(), 0.5, -1);
        Tensor x = Tensor.of(new float[]{1, 0, -1, 2, 1, 0}, 2, 3);
        // [1,0,-1]·[1,2,3] + 0.5 = -1.5; [1,0,-1]·[4,5,6] - 1 = -3; [2,1,0]·[1,2,3] + 0.5 = 4.5; [2,1,0]·[4,5,6] - 1 = 12
        assertArrayEquals(new float[]{-1.5f, -3, 4.5f, 12}, lin.forward(x).toFloatArray(), 1e-6f);
        Tensor batched = lin.forward(x.reshape(2, 1, 3));
        assertArrayEquals(new int[]{2, 1, 2}, batched.shape().toArray());
        assertArrayEquals(new float[]{-1.5f, -3, 4.5f, 12}, batched.toFloatArray(), 1e-6f);
    }

    @Test
    void linearWithoutBias() {
        Linear lin = new Linear(2, 2, false);
        assertNull(lin.bias());
        assertEquals(1, lin.parameters().size());
        set(lin.weight(), 1, -1, 2, 3);
        assertArrayEquals(new float[]{-1, 8}, lin.forward(Tensor.of(new float[]{1, 2}, 1, 2)).toFloatArray(), 1e-6f);
    }

    @Test
    void linearInitIsPyTorchsKaimingUniform() {
        Linear lin = new Linear(16, 64, new Generator(42));
        double bound = 1 / Math.sqrt(16);
        double[] w = lin.weight().toDoubleArray();
        double[] b = lin.bias().toDoubleArray();
        double maxW = Arrays.stream(w).map(Math::abs).max().orElseThrow();
        double maxB = Arrays.stream(b).map(Math::abs).max().orElseThrow();
        assertTrue(maxW <= bound && maxW > 0.95 * bound, "weights within U(-1/4, 1/4) and reaching near the bound: " + maxW);
        assertTrue(maxB <= bound && maxB > 0.8 * bound, "bias within U(-1/4, 1/4): " + maxB);
        // The same draws as Init's kaiming-uniform with a = sqrt(5), then a U(-bound, bound) bias.
        Generator gen = new Generator(42);
        Tensor expectedW = Init.kaimingUniform(Tensor.zeros(64, 16), Math.sqrt(5), Init.Mode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, gen);
        Tensor expectedB = Init.uniform(Tensor.zeros(64), -bound, bound, gen);
        assertArrayEquals(expectedW.toFloatArray(), lin.weight().toFloatArray());
        assertArrayEquals(expectedB.toFloatArray(), lin.bias().toFloatArray());
        assertArrayEquals(w, new Linear(16, 64, new Generator(42)).weight().toDoubleArray(), 0, "seeded init is reproducible");
        assertFalse(Arrays.equals(w, new Linear(16, 64, new Generator(43)).weight().toDoubleArray()));
    }

    @Test
    void linearRejectsWrongInputs() {
        Linear lin = new Linear(3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lin.forward(Tensor.ones(4, 2)));
        assertTrue(e.getMessage().contains("Linear(in_features=3, out_features=2, bias=true)") && e.getMessage().contains("[4, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lin.forward(Tensor.ones(DType.FLOAT64, 4, 3)));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("float32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 2));
    }

    @Test
    void linearGradCheck() {
        Linear lin = new Linear(3, 2, new Generator(1));
        lin.to(DType.FLOAT64);
        Tensor x = Tensor.randn(new Generator(2), 4, 3).to(DType.FLOAT64).requiresGrad(true);
        Tensor w = lin.weight().detach().clone().requiresGrad(true);
        Tensor b = lin.bias().detach().clone().requiresGrad(true);
        GradCheck.check(in -> lin.functionalCall(Map.of("weight", in[1], "bias", in[2]), in[0]), x, w, b).assertPassed();
        Linear noBias = new Linear(3, 2, false, new Generator(2));
        noBias.to(DType.FLOAT64);
        Tensor w2 = noBias.weight().detach().clone().requiresGrad(true);
        GradCheck.check(in -> noBias.functionalCall(Map.of("weight", in[1]), in[0]), x, w2).assertPassed();
    }

    @Test
    void linearParameterGradientsMatchClosedForm() {
        Linear lin = new Linear(2, 1);
        set(lin.weight(), 0.5, -0.25);
        set(lin.bias(), 0.125);
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 3, 2);
        lin.forward(x).sum().backward();
        // d sum(x·wᵀ + b)/dw = column sums of x; /db = number of rows.
        assertArrayEquals(new float[]{9, 12}, lin.weight().grad().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[]{3}, lin.bias().grad().toFloatArray(), 1e-6f);
    }

    // ------------------------------------------------------------------ activations and reshaping

    @Test
    void activationsMatchClosedForms() {
        double[] x = {-2, -0.5, 0, 1, 2};
        Tensor t = f64(x, 5);
        double[] relu = new double[5];
        double[] tanh = new double[5];
        double[] sigmoid = new double[5];
        for (int i = 0; i < 5; i++) {
            relu[i] = Math.max(0, x[i]);
            tanh[i] = Math.tanh(x[i]);
            sigmoid[i] = 1 / (1 + Math.exp(-x[i]));
        }
        assertArrayEquals(relu, new ReLU().forward(t).toDoubleArray(), 0);
        assertArrayEquals(tanh, new Tanh().forward(t).toDoubleArray(), 1e-12);
        assertArrayEquals(sigmoid, new Sigmoid().forward(t).toDoubleArray(), 1e-12);
        // x * Phi(x) with the standard normal CDF: Phi(-2) = 0.022750131948179, Phi(-0.5) = 0.308537538725987,
        // Phi(1) = 0.841344746068543, Phi(2) = 0.977249868051821.
        double[] gelu = {-2 * 0.022750131948179, -0.5 * 0.308537538725987, 0, 0.841344746068543, 2 * 0.977249868051821};
        assertArrayEquals(gelu, new GELU().forward(t).toDoubleArray(), 1e-7);
    }

    @Test
    void flattenMergesTheRequestedDimensions() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 4);
        Tensor y = new Flatten().forward(x);
        assertArrayEquals(new int[]{2, 12}, y.shape().toArray());
        assertArrayEquals(x.toFloatArray(), y.toFloatArray());
        assertArrayEquals(new int[]{6, 4}, new Flatten(0, 1).forward(x).shape().toArray());
        assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
    }

    // ------------------------------------------------------------------ Residual

    @Test
    void residualAddsTheInputAndNamesItsChild() {
        Linear inner = new Linear(3, 3, new Generator(3));
        Residual res = new Residual(inner);
        Tensor x = Tensor.randn(new Generator(4), 2, 3);
        float[] expected = x.add(inner.forward(x)).toFloatArray();
        assertArrayEquals(expected, res.forward(x).toFloatArray(), 1e-6f);
        assertEquals(java.util.List.of("inner.weight", "inner.bias"), new java.util.ArrayList<>(res.namedParameters().keySet()));
        assertSame(inner, res.inner());
    }

    @Test
    void residualRejectsShapeChangingInner() {
        Residual res = new Residual(new Linear(3, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> res.forward(Tensor.ones(4, 3)));
        assertTrue(e.getMessage().contains("Residual") && e.getMessage().contains("[4, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
    }

    @Test
    void residualGradCheck() {
        Residual res = new Residual(new Tanh());
        Tensor x = Tensor.randn(new Generator(5), 3, 2).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> res.forward(in[0]), x).assertPassed();
        Residual withLinear = new Residual(new Linear(2, 2, new Generator(6)));
        withLinear.to(DType.FLOAT64);
        Tensor w = withLinear.namedParameters().get("inner.weight").detach().clone().requiresGrad(true);
        GradCheck.check(in -> withLinear.functionalCall(Map.of("inner.weight", in[1]), in[0]), x, w).assertPassed();
    }

    // ------------------------------------------------------------------ Embedding

    @Test
    void embeddingLooksUpRowsForIndicesOfAnyShape() {
        Embedding emb = new Embedding(5, 3, new Generator(7));
        double[] w = emb.weight().toDoubleArray();
        Tensor idx = Tensor.of(new long[]{0, 4, 2, 2}, 2, 2);
        Tensor out = emb.forward(idx);
        assertArrayEquals(new int[]{2, 2, 3}, out.shape().toArray());
        double[] o = out.toDoubleArray();
        long[] rows = {0, 4, 2, 2};
        for (int i = 0; i < 4; i++) {
            for (int d = 0; d < 3; d++) assertEquals(w[(int) rows[i] * 3 + d], o[i * 3 + d], 0, "row " + i + " dim " + d);
        }
        Tensor single = emb.forward(Tensor.of(new long[]{3}).squeeze());
        assertArrayEquals(new int[]{3}, single.shape().toArray());
        assertArrayEquals(Arrays.copyOfRange(w, 9, 12), single.toDoubleArray(), 0);
        assertEquals("Embedding(5, 3)", emb.toString());
    }

    @Test
    void embeddingGradientCountsRepeatedIndices() {
        Embedding emb = new Embedding(5, 2, new Generator(8));
        emb.forward(Tensor.of(new long[]{0, 4, 2, 2, 0, 0}, 3, 2)).sum().backward();
        assertArrayEquals(new float[]{3, 3, 0, 0, 2, 2, 0, 0, 1, 1}, emb.weight().grad().toFloatArray());
    }

    @Test
    void embeddingGradCheck() {
        Embedding emb = new Embedding(4, 3, new Generator(9));
        emb.to(DType.FLOAT64);
        Tensor w = emb.weight().detach().clone().requiresGrad(true);
        Tensor idx = Tensor.of(new long[]{1, 3, 1, 0, 2, 3}, 2, 3);
        GradCheck.check(in -> emb.functionalCall(Map.of("weight", in[0]), idx).tanh(), w).assertPassed();
    }

    @Test
    void embeddingInitIsStandardNormal() {
        double[] w = new Embedding(100, 50, new Generator(10)).weight().toDoubleArray();
        double mean = Arrays.stream(w).average().orElseThrow();
        double var = Arrays.stream(w).map(v -> (v - mean) * (v - mean)).sum() / (w.length - 1);
        assertEquals(0, mean, 0.06, "mean of 5000 N(0,1) draws");
        assertEquals(1, Math.sqrt(var), 0.05, "std of 5000 N(0,1) draws");
    }

    @Test
    void embeddingRejectsBadIndices() {
        Embedding emb = new Embedding(5, 3);
        // On a device the backend reports the bad index at the next read of the result rather than from forward().
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                () -> emb.forward(Tensor.of(new long[]{1, 5})).toFloatArray());
        assertTrue(oob.getMessage().contains("5") && oob.getMessage().contains("[0, 5)"), oob.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> emb.forward(Tensor.of(new long[]{-1})).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.of(new float[]{1, 2})));
        assertTrue(e.getMessage().contains("int64") && e.getMessage().contains("float32"), e.getMessage());
    }

    // ------------------------------------------------------------------ LayerNorm

    /** Float64 reference: normalise each block of {@code size} consecutive values, then apply weight and bias. */
    private static double[] layerNormReference(double[] x, int size, double[] weight, double[] bias, double eps) {
        double[] out = new double[x.length];
        for (int start = 0; start < x.length; start += size) {
            double mean = 0;
            for (int i = 0; i < size; i++) mean += x[start + i];
            mean /= size;
            double var = 0;
            for (int i = 0; i < size; i++) var += (x[start + i] - mean) * (x[start + i] - mean);
            var /= size;
            for (int i = 0; i < size; i++) {
                out[start + i] = (x[start + i] - mean) / Math.sqrt(var + eps) * weight[i] + bias[i];
            }
        }
        return out;
    }

    @Test
    void layerNormNormalisesEachRowByHand() {
        LayerNorm ln = new LayerNorm(4);
        ln.to(DType.FLOAT64);
        Tensor x = f64(new double[]{1, 2, 3, 4, -1, -1, 1, 1}, 2, 4);
        // Row 1: mean 2.5, biased variance 1.25; row 2: mean 0, variance 1.
        double s1 = Math.sqrt(1.25 + 1e-5);
        double s2 = Math.sqrt(1 + 1e-5);
        double[] expected = {-1.5 / s1, -0.5 / s1, 0.5 / s1, 1.5 / s1, -1 / s2, -1 / s2, 1 / s2, 1 / s2};
        assertArrayEquals(expected, ln.forward(x).toDoubleArray(), 1e-12);
        set(ln.weight(), 2, 1, 0.5, -1);
        set(ln.bias(), 0, 1, 0, -2);
        assertArrayEquals(layerNormReference(x.toDoubleArray(), 4, new double[]{2, 1, 0.5, -1}, new double[]{0, 1, 0, -2}, 1e-5),
                ln.forward(x).toDoubleArray(), 1e-12);
        ln.eval();
        assertArrayEquals(layerNormReference(x.toDoubleArray(), 4, new double[]{2, 1, 0.5, -1}, new double[]{0, 1, 0, -2}, 1e-5),
                ln.forward(x).toDoubleArray(), 1e-12, "LayerNorm is the same in eval mode");
    }

    @Test
    void layerNormOverSeveralTrailingDimensions() {
        LayerNorm ln = new LayerNorm(new int[]{2, 3}, 1e-3);
        ln.to(DType.FLOAT64);
        double[] w = {1, 2, 3, -1, 0.5, 0};
        double[] b = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
        set(ln.weight(), w);
        set(ln.bias(), b);
        Tensor x = Tensor.randn(new Generator(11), 4, 2, 3).to(DType.FLOAT64);
        Tensor y = ln.forward(x);
        assertArrayEquals(new int[]{4, 2, 3}, y.shape().toArray());
        assertArrayEquals(layerNormReference(x.toDoubleArray(), 6, w, b, 1e-3), y.toDoubleArray(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.ones(DType.FLOAT64, 3, 2)));
    }

    @Test
    void layerNormGradCheck() {
        LayerNorm ln = new LayerNorm(5);
        ln.to(DType.FLOAT64);
        Tensor x = Tensor.randn(new Generator(12), 3, 5).to(DType.FLOAT64).requiresGrad(true);
        Tensor w = Tensor.randn(new Generator(13), 5).to(DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensor.randn(new Generator(14), 5).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> ln.functionalCall(Map.of("weight", in[1], "bias", in[2]), in[0]), x, w, b).assertPassed();
    }

    // ------------------------------------------------------------------ Dropout

    @Test
    void dropoutValidatesP() {
        for (double p : new double[]{-0.1, 1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(p, new Generator(1)), "p = " + p);
            assertTrue(e.getMessage().contains("Dropout"), e.getMessage());
        }
    }

    @Test
    void dropoutZeroesAboutPAndScalesSurvivors() {
        int n = 20000;
        double p = 0.3;
        float[] y = new Dropout(p, new Generator(11)).forward(Tensor.ones(n)).toFloatArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) zeros++;
            else assertEquals(1 / (1 - p), v, 1e-6, "survivors are scaled by 1 / (1 - p)");
        }
        // The zero count is Binomial(20000, 0.3): standard deviation about 65, so 0.02 * n is six of them.
        assertEquals(p, zeros / (double) n, 0.02);
    }

    @Test
    void dropoutIsReproducibleFromTheSeedAndFreshPerCall() {
        Tensor x = Tensor.randn(new Generator(12), 1000);
        Dropout a = new Dropout(0.5, new Generator(5));
        Dropout b = new Dropout(0.5, new Generator(5));
        float[] a1 = a.forward(x).toFloatArray();
        float[] a2 = a.forward(x).toFloatArray();
        assertArrayEquals(a1, b.forward(x).toFloatArray(), "same seed, same first mask");
        assertArrayEquals(a2, b.forward(x).toFloatArray(), "same seed, same second mask");
        assertFalse(Arrays.equals(a1, a2), "each call draws a new mask");
        assertFalse(Arrays.equals(a1, new Dropout(0.5, new Generator(6)).forward(x).toFloatArray()));
    }

    @Test
    void dropoutIsTheIdentityInEvalAndForPZero() {
        Tensor x = Tensor.randn(new Generator(13), 3, 4);
        Dropout d = new Dropout(0.4, new Generator(1));
        d.eval();
        assertSame(x, d.forward(x));
        assertSame(x, new Dropout(0, new Generator(1)).forward(x));
        d.train();
        assertFalse(Arrays.equals(x.toFloatArray(), d.forward(x).toFloatArray()));
    }

    @Test
    void dropoutGradientIsTheScaledMask() {
        Tensor x = Tensor.ones(500).requiresGrad(true);
        Tensor y = new Dropout(0.2, new Generator(3)).forward(x);
        y.sum().backward();
        // With x = 1 the output is the scaled mask itself, and so is d sum(y)/dx.
        assertArrayEquals(y.toFloatArray(), x.grad().toFloatArray());
    }
}
