package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.jgrad.DType;
import io.jgrad.Generator;

import io.jgrad.Tensor;
import io.jgrad.optim.ClipGrad;
import io.jgrad.optim.GradientFlow;
import io.jgrad.optim.GradientFlow.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import org.junit.jupiter.api.Test;

/** Gradient clipping by total norm, and the gradient-flow report on vanishing, exploding and healthy networks. */
public abstract class OptimGradientSuite extends DeviceSuite {

    private static Tensor withGrad(double[] data, double[] grad) {
        Tensor p = Tensor.of(data.clone(), data.length).requiresGrad(true);
        p.setGrad(grad == null ? null : Tensor.of(grad.clone(), grad.length));
        return p;
    }

    /** Gradients [3, 4] and [12] (total L2 norm 13), and a parameter without a gradient. */
    private static List<Tensor> threeFourTwelve() {
        return List.of(withGrad(new double[]{1, 1}, new double[]{3, 4}), withGrad(new double[]{5}, null),
                withGrad(new double[]{1}, new double[]{-12}));
    }

    // ------------------------------------------------------------------ clipGradNorm

    @Test
    void clipGradNormScalesAllGradientsTogether() {
        List<Tensor> ps = threeFourTwelve();
        double total = ClipGrad.clipGradNorm(ps, 6.5);
        assertEquals(13.0, total, 1e-14);
        double scale = 6.5 / (13 + 1e-6);
        assertArrayEquals(new double[]{3 * scale, 4 * scale}, ps.get(0).grad().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[]{-12 * scale}, ps.get(2).grad().toDoubleArray(), 1e-15);
        assertNull(ps.get(1).grad());
        // the clipped gradients now have norm just under maxNorm
        assertEquals(6.5, ClipGrad.clipGradNorm(ps, 100), 1e-6);
    }

    @Test
    void clipGradNormLeavesGradientsUnderTheLimitAlone() {
        List<Tensor> ps = threeFourTwelve();
        assertEquals(13.0, ClipGrad.clipGradNorm(ps, 13.0), 1e-14);
        // exactly at the limit the scale 13/(13 + 1e-6) is just below 1, so PyTorch's rule still applies it
        assertArrayEquals(new double[]{3 * 13 / (13 + 1e-6), 4 * 13 / (13 + 1e-6)}, ps.get(0).grad().toDoubleArray(), 1e-15);
        List<Tensor> qs = threeFourTwelve();
        assertEquals(13.0, ClipGrad.clipGradNorm(qs, 20.0), 1e-14);
        assertArrayEquals(new double[]{3, 4}, qs.get(0).grad().toDoubleArray(), 0);
        assertArrayEquals(new double[]{-12}, qs.get(2).grad().toDoubleArray(), 0);
    }

    @Test
    void clipGradNormOtherNorms() {
        List<Tensor> ps = threeFourTwelve();
        assertEquals(19.0, ClipGrad.clipGradNorm(ps, 100, 1), 1e-13);
        assertEquals(12.0, ClipGrad.clipGradNorm(threeFourTwelve(), 100, Double.POSITIVE_INFINITY), 0);
        assertEquals(Math.cbrt(27 + 64 + 1728), ClipGrad.clipGradNorm(threeFourTwelve(), 100, 3), 1e-12);
        List<Tensor> inf = threeFourTwelve();
        ClipGrad.clipGradNorm(inf, 6, Double.POSITIVE_INFINITY);
        double scale = 6 / (12 + 1e-6);
        assertArrayEquals(new double[]{-12 * scale}, inf.get(2).grad().toDoubleArray(), 1e-14);
    }

    @Test
    void clipGradNormOnFloat32MatchesAFloat64Reference() {
        Tensor a = Tensor.randn(new Generator(7), 50, 40).requiresGrad(true);
        Tensor b = Tensor.randn(new Generator(8), 40).requiresGrad(true);
        a.setGrad(Tensor.randn(new Generator(9), 50, 40).mul(0.3));
        b.setGrad(Tensor.randn(new Generator(10), 40).mul(2));
        double sum = 0;
        for (Tensor p : List.of(a, b)) for (double g : p.grad().toDoubleArray()) sum += g * g;
        double expected = Math.sqrt(sum);
        float[] before = a.grad().toFloatArray();
        assertEquals(expected, ClipGrad.clipGradNorm(List.of(a, b), 1.0), expected * 1e-5);
        float[] after = a.grad().toFloatArray();
        for (int i = 0; i < before.length; i += 97) assertEquals(before[i] / expected, after[i], 1e-6);
    }

    @Test
    void clipGradNormWithNonFiniteGradientsReportsAndKeepsThem() {
        List<Tensor> ps = List.of(withGrad(new double[]{1, 1}, new double[]{3, Double.NaN}), withGrad(new double[]{1}, new double[]{2}));
        assertTrue(Double.isNaN(ClipGrad.clipGradNorm(ps, 1)));
        assertArrayEquals(new double[]{2}, ps.get(1).grad().toDoubleArray(), 0);
        assertEquals(0.0, ClipGrad.clipGradNorm(List.of(withGrad(new double[]{1}, null)), 1), "no gradients: norm 0");
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(threeFourTwelve(), -1));
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(threeFourTwelve(), 1, 0));
    }

    // ------------------------------------------------------------------ GradientFlow

    @Test
    void reportMeasuresNormsAndRatio() {
        Map<String, Tensor> named = new LinkedHashMap<>();
        named.put("w", withGrad(new double[]{1, 2, 2}, new double[]{0, 0.3, 0.4}));
        named.put("zeroBias", withGrad(new double[]{0, 0}, new double[]{1e-3, 0}));
        named.put("unused", withGrad(new double[]{1}, null));
        GradientFlow.Report report = GradientFlow.report(named);
        GradientFlow.Entry w = report.get("w");
        assertEquals(0.5, w.gradNorm(), 1e-15);
        assertEquals(3.0, w.dataNorm(), 1e-15);
        assertEquals(0.5 / 3, w.ratio(), 1e-15);
        assertEquals(Status.OK, w.status());
        GradientFlow.Entry bias = report.get("zeroBias");
        assertEquals(1e-3, bias.gradNorm(), 1e-18);
        assertTrue(Double.isNaN(bias.ratio()), "no ratio for zero data");
        assertEquals(Status.OK, bias.status(), "a zero bias is not vanishing for its ratio alone");
        assertEquals(Status.NO_GRAD, report.get("unused").status());
        assertTrue(report.healthy());
        assertEquals(List.of("w", "zeroBias", "unused"), report.entries().stream().map(GradientFlow.Entry::name).toList());
    }

    @Test
    void reportAppliesThresholds() {
        Map<String, Tensor> named = new LinkedHashMap<>();
        named.put("tinyNorm", withGrad(new double[]{1e-3}, new double[]{5e-8}));
        named.put("tinyRatio", withGrad(new double[]{1e3}, new double[]{5e-3}));
        named.put("huge", withGrad(new double[]{1}, new double[]{2e3}));
        named.put("nan", withGrad(new double[]{1, 1}, new double[]{Double.NaN, 1}));
        named.put("inf", withGrad(new double[]{1}, new double[]{Double.NEGATIVE_INFINITY}));
        named.put("fine", withGrad(new double[]{1}, new double[]{1e-3}));
        GradientFlow.Report report = GradientFlow.report(named);
        assertEquals(Status.VANISHING, report.get("tinyNorm").status());
        assertEquals(Status.VANISHING, report.get("tinyRatio").status()); // 5e-6 < 1e-5
        assertEquals(Status.EXPLODING, report.get("huge").status());
        assertEquals(Status.EXPLODING, report.get("nan").status());
        assertEquals(Status.EXPLODING, report.get("inf").status());
        assertEquals(Status.OK, report.get("fine").status());
        assertEquals(5, report.flagged().size());
        GradientFlow.Report lenient = GradientFlow.report(named, new GradientFlow.Thresholds(1e-9, 1e-7, 1e4));
        assertEquals(Status.OK, lenient.get("tinyNorm").status());
        assertEquals(Status.OK, lenient.get("tinyRatio").status());
        assertEquals(Status.OK, lenient.get("huge").status());
        assertEquals(Status.EXPLODING, lenient.get("nan").status());
        assertThrows(IllegalArgumentException.class, () -> new GradientFlow.Thresholds(1, 0, 0.5));
    }

    /** Runs x through square layers (sigmoid or none), backpropagates the sum, and reports. */
    private static GradientFlow.Report stack(int layers, double weightScale, boolean sigmoid, long seed) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        Tensor h = Tensor.randn(new Generator(seed), 16, 8).to(DType.FLOAT64);
        for (int l = 0; l < layers; l++) {
            Tensor w = Tensor.randn(new Generator(seed + 1 + l), 8, 8).to(DType.FLOAT64).mul(weightScale / Math.sqrt(8)).requiresGrad(true);
            named.put("layers." + l + ".weight", w);
            h = h.matmul(w);
            if (sigmoid) h = h.sigmoid();
        }
        h.sum().backward();
        return GradientFlow.report(named);
    }

    @Test
    void deepSigmoidStackVanishes() {
        GradientFlow.Report report = stack(20, 1.0, true, 11);
        GradientFlow.Entry first = report.get("layers.0.weight");
        GradientFlow.Entry last = report.get("layers.19.weight");
        assertEquals(Status.VANISHING, first.status(), report.toString());
        assertEquals(Status.OK, last.status(), report.toString());
        // sigmoid' <= 1/4 at every layer: the gradient shrinks by orders of magnitude from the top to the bottom
        assertTrue(first.gradNorm() < last.gradNorm() * 1e-6, report.toString());
        String table = report.toString();
        assertTrue(table.contains("layers.0.weight") && table.contains("VANISHING") && table.contains("grad/data"), table);
        assertTrue(table.contains("barely learn"), table);
    }

    @Test
    void largeWeightsExplode() {
        GradientFlow.Report report = stack(8, 8.0, false, 21);
        assertEquals(Status.EXPLODING, report.get("layers.0.weight").status(), report.toString());
        assertTrue(report.toString().contains("EXPLODING"), report.toString());
        assertTrue(report.toString().contains("clipGradNorm"), report.toString());
    }

    @Test
    void healthyNetworkIsNotFlagged() {
        Map<String, Tensor> named = new LinkedHashMap<>();
        Tensor x = Tensor.randn(new Generator(31), 32, 4).to(DType.FLOAT64);
        Tensor y = Tensor.randn(new Generator(32), 32, 1).to(DType.FLOAT64);
        Tensor w1 = Tensor.randn(new Generator(33), 4, 16).to(DType.FLOAT64).mul(0.5).requiresGrad(true);
        Tensor b1 = Tensor.zeros(DType.FLOAT64, 16).requiresGrad(true);
        Tensor w2 = Tensor.randn(new Generator(34), 16, 1).to(DType.FLOAT64).mul(0.25).requiresGrad(true);
        named.put("hidden.weight", w1);
        named.put("hidden.bias", b1);
        named.put("out.weight", w2);
        x.matmul(w1).add(b1).tanh().matmul(w2).sub(y).square().mean().backward();
        GradientFlow.Report report = GradientFlow.report(named);
        assertTrue(report.healthy(), report.toString());
        for (GradientFlow.Entry e : report.entries()) assertEquals(Status.OK, e.status(), e.name());
        assertTrue(report.toString().contains("no vanishing or exploding gradients"), report.toString());
        List<String> names = new ArrayList<>();
        report.entries().forEach(e -> names.add(e.name()));
        assertEquals(List.of("hidden.weight", "hidden.bias", "out.weight"), names);
    }
}
