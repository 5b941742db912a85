package io.jgrad.conformance;

import static io.jgrad.conformance.LossVocabularyReferences.BP;
import static io.jgrad.conformance.LossVocabularyReferences.BT;
import static io.jgrad.conformance.LossVocabularyReferences.BW;
import static io.jgrad.conformance.LossVocabularyReferences.CASES;
import static io.jgrad.conformance.LossVocabularyReferences.CW;
import static io.jgrad.conformance.LossVocabularyReferences.CX;
import static io.jgrad.conformance.LossVocabularyReferences.DX;
import static io.jgrad.conformance.LossVocabularyReferences.KI;
import static io.jgrad.conformance.LossVocabularyReferences.KLT;
import static io.jgrad.conformance.LossVocabularyReferences.KT;
import static io.jgrad.conformance.LossVocabularyReferences.LW;
import static io.jgrad.conformance.LossVocabularyReferences.LX;
import static io.jgrad.conformance.LossVocabularyReferences.LY;
import static io.jgrad.conformance.LossVocabularyReferences.P;
import static io.jgrad.conformance.LossVocabularyReferences.PW;
import static io.jgrad.conformance.LossVocabularyReferences.SD;
import static io.jgrad.conformance.LossVocabularyReferences.SP;
import static io.jgrad.conformance.LossVocabularyReferences.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgrad.DType;
import io.jgrad.Generator;
import io.jgrad.GradCheck;
import io.jgrad.Tensor;
import io.jgrad.nn.Losses;
import io.jgrad.nn.Losses.BceOptions;
import io.jgrad.nn.Losses.CrossEntropyOptions;
import io.jgrad.nn.Losses.Reduction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The losses of issue 12 (L1, SmoothL1, Huber, KL divergence, BCE, BCE with logits and its weights, cross-entropy with
 * class weights, ignoreIndex, label smoothing, soft targets and [N, C, d...] inputs): every reduction and option
 * combination against PyTorch-generated values and gradients ({@link LossVocabularyReferences}), in float64 and
 * float32, GradCheck in float64, and the argument checks.
 */
public abstract class LossVocabularySuite extends DeviceSuite {
    private static final Reduction[] REDUCTIONS = {Reduction.NONE, Reduction.MEAN, Reduction.SUM};

    private static String key(Reduction r) {
        return r.name().toLowerCase();
    }

    private static String num(double v) {
        return Double.toString(v);
    }

    private static Tensor f64(double[] v, int... shape) {
        return Tensor.of(v, shape);
    }

    /**
     * Runs {@code loss} on the inputs (float64: those flagged differentiate), compares the loss and the gradients of
     * sum(loss * u), u = 1 + 0.1 i, with the reference; then the loss again in float32.
     */
    private void check(String key, Function<Tensor[], Tensor> loss, boolean[] differentiate, Tensor... inputs) {
        double[][] ref = CASES.get(key);
        assertNotNull(ref, "no reference for " + key);
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < xs.length; i++) xs[i] = inputs[i].clone().requiresGrad(differentiate[i]);
        Tensor out = loss.apply(xs);
        assertEquals(DType.FLOAT64, out.dtype(), key);
        assertClose(key + " loss", ref[0], out.toDoubleArray(), 1e-12);
        int n = (int) out.numel();
        double[] u = new double[n];
        for (int i = 0; i < n; i++) u[i] = 1 + 0.1 * i;
        Tensor up = out.dim() == 0 ? Tensor.scalar(1.0).to(out.device()) : f64(u, out.shape().toArray());
        out.mul(up).sum().backward();
        int g = 1;
        for (int i = 0; i < xs.length; i++) {
            if (!differentiate[i]) continue;
            assertNotNull(xs[i].grad(), key + ": input " + i + " has no gradient");
            assertClose(key + " gradient of input " + i, ref[g++], xs[i].grad().toDoubleArray(), 1e-10);
        }
        Tensor[] x32 = new Tensor[inputs.length];
        for (int i = 0; i < x32.length; i++) x32[i] = inputs[i].dtype() == DType.FLOAT64 ? inputs[i].to(DType.FLOAT32) : inputs[i];
        Tensor out32 = loss.apply(x32);
        assertEquals(DType.FLOAT32, out32.dtype(), key + " float32");
        assertClose(key + " float32 loss", ref[0], out32.toDoubleArray(), 2e-5);
    }

    private static void assertClose(String what, double[] expected, double[] actual, double rel) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a) : Double.isInfinite(e) ? e == a : Math.abs(e - a) <= rel * Math.max(1, Math.abs(e));
            if (!ok) {
                fail(what + ": element " + i + " expected " + e + " but was " + a);
            }
        }
    }

    private static boolean[] first() {
        return new boolean[]{true, false};
    }

    private static boolean[] both() {
        return new boolean[]{true, true};
    }

    // ------------------------------------------------------------------ regression losses

    @Test
    void l1SmoothL1AndHuberMatchPyTorch() {
        for (Reduction r : REDUCTIONS) {
            check("l1/" + key(r), in -> Losses.l1(in[0], in[1], r), both(), f64(P, 2, 3), f64(T, 2, 3));
            for (double beta : new double[]{1.0, 0.5, 0.0}) {
                check("smoothL1/" + num(beta) + "/" + key(r), in -> Losses.smoothL1(in[0], in[1], beta, r), both(), f64(P, 2, 3), f64(T, 2, 3));
            }
            for (double delta : new double[]{1.0, 0.3, 2.5}) {
                check("huber/" + num(delta) + "/" + key(r), in -> Losses.huber(in[0], in[1], delta, r), both(), f64(P, 2, 3), f64(T, 2, 3));
            }
        }
        // the short overloads are beta = delta = 1 and MEAN
        assertEquals(CASES.get("smoothL1/1.0/mean")[0][0], Losses.smoothL1(f64(P, 2, 3), f64(T, 2, 3)).item(), 1e-12);
        assertEquals(CASES.get("huber/1.0/mean")[0][0], Losses.huber(f64(P, 2, 3), f64(T, 2, 3)).item(), 1e-12);
        assertEquals(CASES.get("l1/mean")[0][0], Losses.l1(f64(P, 2, 3), f64(T, 2, 3)).item(), 1e-12);
    }

    // ------------------------------------------------------------------ KL divergence

    @Test
    void klDivMatchesPyTorchForEveryReduction() {
        for (Reduction r : new Reduction[]{Reduction.NONE, Reduction.MEAN, Reduction.SUM, Reduction.BATCHMEAN}) {
            check("kl/" + key(r), in -> Losses.klDiv(in[0], in[1], r), first(), f64(KI, 2, 3), f64(KT, 2, 3));
            check("klLog/" + key(r), in -> Losses.klDiv(in[0], in[1], r, true), both(), f64(KI, 2, 3), f64(KLT, 2, 3));
        }
        assertEquals(CASES.get("kl/mean")[0][0], Losses.klDiv(f64(KI, 2, 3), f64(KT, 2, 3)).item(), 1e-12);
    }

    // ------------------------------------------------------------------ binary cross-entropy

    @Test
    void binaryCrossEntropyMatchesPyTorchIncludingClampedLogs() {
        // probabilities 0, 1 and 1e-50 exercise the clamp of log at -100 and the 1e-12 floor of the gradient
        for (Reduction r : REDUCTIONS) {
            check("bce/" + key(r), in -> Losses.binaryCrossEntropy(in[0], in[1], r), both(), f64(BP, 2, 3), f64(BT, 2, 3));
            check("bceW/" + key(r), in -> Losses.binaryCrossEntropy(in[0], in[1],
                    BceOptions.defaults().withReduction(r).withWeight(f64(BW, 3).to(in[0].dtype()))), both(), f64(BP, 2, 3), f64(BT, 2, 3));
        }
    }

    @Test
    void binaryCrossEntropyWithLogitsWeightsMatchPyTorch() {
        for (Reduction r : REDUCTIONS) {
            check("bcel/" + key(r), in -> Losses.binaryCrossEntropyWithLogits(in[0], in[1], BceOptions.defaults().withReduction(r)),
                    first(), f64(LX, 2, 3), f64(LY, 2, 3));
            check("bcelPW/" + key(r), in -> Losses.binaryCrossEntropyWithLogits(in[0], in[1],
                    BceOptions.defaults().withReduction(r).withPosWeight(f64(PW, 3).to(in[0].dtype()))), both(), f64(LX, 2, 3), f64(LY, 2, 3));
            check("bcelPWW/" + key(r), in -> Losses.binaryCrossEntropyWithLogits(in[0], in[1], new BceOptions(r,
                    f64(LW, 2, 1).to(in[0].dtype()), f64(PW, 3).to(in[0].dtype()))), first(), f64(LX, 2, 3), f64(LY, 2, 3));
            check("bcelW/" + key(r), in -> Losses.binaryCrossEntropyWithLogits(in[0], in[1],
                    BceOptions.defaults().withReduction(r).withWeight(f64(LW, 2, 1).to(in[0].dtype()))), first(), f64(LX, 2, 3), f64(LY, 2, 3));
        }
    }

    // ------------------------------------------------------------------ cross-entropy

    private static final long[] CY = {2, -100, 0, 1, 1};
    private static final long[] CY_CLAMPED = {2, 0, 0, 1, 1};
    private static final long[] DY = {0, 2, 1, -100, 2, 2, 0, 1};

    @Test
    void crossEntropyWithWeightsIgnoreIndexAndSmoothingMatchesPyTorch() {
        for (Reduction r : REDUCTIONS) {
            for (double ls : new double[]{0.0, 0.2}) {
                String suffix = num(ls) + "/" + key(r);
                check("ce/" + suffix, in -> Losses.crossEntropy(in[0], in[1], CrossEntropyOptions.builder().reduction(r).labelSmoothing(ls).build()),
                        first(), f64(CX, 5, 3), Tensor.of(CY));
                check("ceW/" + suffix, in -> Losses.crossEntropy(in[0], in[1], CrossEntropyOptions.builder().reduction(r).labelSmoothing(ls)
                        .weight(f64(CW, 3).to(in[0].dtype())).build()), first(), f64(CX, 5, 3), Tensor.of(CY));
                check("ceIgn1W/" + suffix, in -> Losses.crossEntropy(in[0], in[1], CrossEntropyOptions.builder().reduction(r).labelSmoothing(ls)
                        .weight(f64(CW, 3).to(in[0].dtype())).ignoreIndex(1).build()), first(), f64(CX, 5, 3), Tensor.of(CY_CLAMPED));
            }
        }
    }

    @Test
    void crossEntropyOnSpatialInputsMatchesPyTorch() {
        for (Reduction r : REDUCTIONS) {
            check("ce4d/" + key(r), in -> Losses.crossEntropy(in[0], in[1], CrossEntropyOptions.builder().reduction(r)
                    .weight(f64(CW, 3).to(in[0].dtype())).build()), first(), f64(DX, 2, 3, 2, 2), Tensor.of(DY, 2, 2, 2));
            check("ce4dLs/" + key(r), in -> Losses.crossEntropy(in[0], in[1], CrossEntropyOptions.builder().reduction(r).labelSmoothing(0.1).build()),
                    first(), f64(DX, 2, 3, 2, 2), Tensor.of(DY, 2, 2, 2));
        }
        Tensor none = Losses.crossEntropy(f64(DX, 2, 3, 2, 2), Tensor.of(DY, 2, 2, 2), CrossEntropyOptions.builder().reduction(Reduction.NONE).build());
        assertEquals(List.of(2, 2, 2), List.of(none.size(0), none.size(1), none.size(2)), "NONE keeps the positions' shape");
        check("ce1d/mean", in -> Losses.crossEntropy(in[0], in[1], CrossEntropyOptions.builder().labelSmoothing(0.1)
                .weight(f64(CW, 3).to(in[0].dtype())).build()), first(), f64(java.util.Arrays.copyOf(CX, 3), 3), Tensor.of(new long[]{2}).reshape());
    }

    @Test
    void crossEntropyWithProbabilityTargetsMatchesPyTorch() {
        for (Reduction r : REDUCTIONS) {
            for (double ls : new double[]{0.0, 0.3}) {
                String suffix = num(ls) + "/" + key(r);
                check("ceSoft/" + suffix, in -> Losses.crossEntropy(in[0], in[1], CrossEntropyOptions.builder().reduction(r).labelSmoothing(ls).build()),
                        both(), f64(CX, 5, 3), f64(SP, 5, 3));
                check("ceSoftW/" + suffix, in -> Losses.crossEntropy(in[0], in[1], CrossEntropyOptions.builder().reduction(r).labelSmoothing(ls)
                        .weight(f64(CW, 3).to(in[0].dtype())).build()), first(), f64(CX, 5, 3), f64(SP, 5, 3));
            }
        }
        check("ceSoft4d/mean", in -> Losses.crossEntropy(in[0], in[1], CrossEntropyOptions.builder().weight(f64(CW, 3).to(in[0].dtype())).build()),
                first(), f64(DX, 2, 3, 2, 2), f64(SD, 2, 3, 2, 2));
        check("ceSoft4d/none", in -> Losses.crossEntropy(in[0], in[1], CrossEntropyOptions.builder().reduction(Reduction.NONE).build()),
                first(), f64(DX, 2, 3, 2, 2), f64(SD, 2, 3, 2, 2));
    }

    @Test
    void nllLossWithOptionsMatchesPyTorch() {
        for (Reduction r : REDUCTIONS) {
            check("nllW/" + key(r), in -> Losses.nllLoss(in[0].logSoftmax(1), in[1], CrossEntropyOptions.builder().reduction(r)
                    .weight(f64(CW, 3).to(in[0].dtype())).build()), first(), f64(CX, 5, 3), Tensor.of(CY));
        }
        // log-probabilities are not checked to be normalised, as in PyTorch: raw scores of [N, C, d1, d2] with class 2 ignored
        check("nll4d/mean", in -> Losses.nllLoss(in[0], in[1], CrossEntropyOptions.builder().ignoreIndex(2).build()), first(),
                f64(DX, 2, 3, 2, 2), Tensor.of(new long[]{0, 2, 1, 0, 2, 2, 0, 1}, 2, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.nllLoss(f64(CX, 5, 3), Tensor.of(CY),
                CrossEntropyOptions.builder().labelSmoothing(0.1).build()));
        assertTrue(e.getMessage().contains("nllLoss") && e.getMessage().contains("label smoothing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.nllLoss(f64(CX, 5, 3), f64(SP, 5, 3), CrossEntropyOptions.defaults()));
        assertTrue(e.getMessage().contains("nllLoss") && e.getMessage().contains("int64"), e.getMessage());
    }

    @Test
    void optionsWithoutExtrasAgreeWithTheFusedOverloads() {
        Tensor logits = f64(CX, 5, 3);
        Tensor targets = Tensor.of(CY_CLAMPED);
        for (Reduction r : REDUCTIONS) {
            for (double ls : new double[]{0, 0.25}) {
                double[] fused = Losses.crossEntropy(logits, targets, r, ls).toDoubleArray();
                double[] composed = Losses.crossEntropy(logits, targets, CrossEntropyOptions.builder().reduction(r).labelSmoothing(ls).build()).toDoubleArray();
                assertClose("reduction " + r + ", smoothing " + ls, fused, composed, 1e-12);
            }
        }
    }

    // ------------------------------------------------------------------ GradCheck

    private static Tensor randn64(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(DType.FLOAT64);
    }

    @Test
    void gradCheckEveryLoss() {
        Tensor a = randn64(1, 3, 4).requiresGrad(true);
        Tensor b = randn64(2, 3, 4).requiresGrad(true);
        for (Reduction r : REDUCTIONS) {
            GradCheck.check(in -> Losses.l1(in[0], in[1], r), a, b).assertPassed();
            GradCheck.check(in -> Losses.smoothL1(in[0], in[1], 0.7, r), a, b).assertPassed();
            GradCheck.check(in -> Losses.huber(in[0], in[1], 0.4, r), a, b).assertPassed();
        }
        Tensor logp = randn64(3, 3, 4).logSoftmax(1).detach().requiresGrad(true);
        Tensor q = randn64(4, 3, 4).softmax(1).detach().requiresGrad(true);
        Tensor logq = randn64(5, 3, 4).logSoftmax(1).detach().requiresGrad(true);
        for (Reduction r : Reduction.values()) {
            GradCheck.check(in -> Losses.klDiv(in[0], in[1], r), logp, q).assertPassed();
            GradCheck.check(in -> Losses.klDiv(in[0], in[1], r, true), logp, logq).assertPassed();
        }
        Tensor p = randn64(6, 3, 4).sigmoid().detach().requiresGrad(true);
        Tensor y = randn64(7, 3, 4).sigmoid().detach().requiresGrad(true);
        Tensor w = randn64(8, 4).abs().detach();
        GradCheck.check(in -> Losses.binaryCrossEntropy(in[0], in[1], BceOptions.defaults().withWeight(w)), p, y).assertPassed();
        Tensor x = randn64(9, 3, 4).mul(3).detach().requiresGrad(true);
        Tensor pw = randn64(10, 4).abs().add(0.1).detach().requiresGrad(true);
        GradCheck.check(in -> Losses.binaryCrossEntropyWithLogits(in[0], in[1], new BceOptions(Reduction.SUM, w, in[2])), x, y, pw).assertPassed();
        Tensor logits = randn64(11, 4, 3, 2, 2).mul(2).detach().requiresGrad(true);
        Tensor cls = Tensor.of(new long[]{0, 1, 2, -100, 2, 2, 1, 0, -100, 1, 1, 0, 2, 0, 1, 2}, 4, 2, 2);
        Tensor cw = randn64(12, 3).abs().add(0.1).detach();
        GradCheck.check(in -> Losses.crossEntropy(in[0], cls, CrossEntropyOptions.builder().weight(cw).labelSmoothing(0.15).build()), logits)
                .assertPassed();
        Tensor soft = randn64(13, 4, 3, 2, 2).softmax(1).detach().requiresGrad(true);
        GradCheck.check(in -> Losses.crossEntropy(in[0], in[1], CrossEntropyOptions.builder().weight(cw).labelSmoothing(0.15).build()),
                logits, soft).assertPassed();
    }

    // ------------------------------------------------------------------ edge cases and errors

    @Test
    void allIgnoredTargetsGiveNanMeanAndZeroSum() {
        // as PyTorch: the weighted mean is 0 / 0
        Tensor logits = f64(CX, 5, 3).requiresGrad(true);
        Tensor ignored = Tensor.of(new long[]{-100, -100, -100, -100, -100});
        assertTrue(Double.isNaN(Losses.crossEntropy(logits, ignored, CrossEntropyOptions.defaults()).item()));
        Tensor sum = Losses.crossEntropy(logits, ignored, CrossEntropyOptions.builder().reduction(Reduction.SUM).build());
        assertEquals(0, sum.item(), 0);
        sum.backward();
        for (double v : logits.grad().toDoubleArray()) assertEquals(0, v, 0);
    }

    @Test
    void badArgumentsAreRefusedWithClearMessages() {
        Tensor x = f64(CX, 5, 3);
        List<Runnable> bad = new ArrayList<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(x, Tensor.of(new long[]{0, 1, 2}), CrossEntropyOptions.defaults()));
        assertTrue(e.getMessage().contains("crossEntropy") && e.getMessage().contains("[5]") && e.getMessage().contains("[3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(x, Tensor.of(CY),
                CrossEntropyOptions.builder().weight(f64(new double[]{1, 2}, 2)).build()));
        assertTrue(e.getMessage().contains("weight") && e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(x, Tensor.of(CY),
                CrossEntropyOptions.builder().weight(f64(CW, 3).to(DType.FLOAT32)).build()));
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("float64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(x, f64(SP, 5, 3).to(DType.FLOAT32), CrossEntropyOptions.defaults()));
        assertTrue(e.getMessage().contains("probability targets"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(x, Tensor.of(new int[]{0, 1, 2, 0, 1}), CrossEntropyOptions.defaults()));
        assertTrue(e.getMessage().contains("int64") && e.getMessage().contains("int32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CrossEntropyOptions.builder().labelSmoothing(1.5).build());
        assertTrue(e.getMessage().contains("label smoothing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CrossEntropyOptions.builder().reduction(Reduction.BATCHMEAN).build());
        assertTrue(e.getMessage().contains("BATCHMEAN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.l1(x, x, Reduction.BATCHMEAN));
        assertTrue(e.getMessage().contains("only for klDiv"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.smoothL1(x, x, -1, Reduction.MEAN));
        assertTrue(e.getMessage().contains("smoothL1") && e.getMessage().contains("beta"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.huber(x, x, 0, Reduction.MEAN));
        assertTrue(e.getMessage().contains("huber") && e.getMessage().contains("delta"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.klDiv(x, f64(KT, 2, 3)));
        assertTrue(e.getMessage().contains("klDiv") && e.getMessage().contains("[5, 3]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.binaryCrossEntropyWithLogits(f64(LX, 2, 3), f64(LY, 2, 3),
                BceOptions.defaults().withPosWeight(f64(new double[]{1, 2}, 2))));
        assertTrue(e.getMessage().contains("posWeight") && e.getMessage().contains("[2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.binaryCrossEntropy(f64(LX, 2, 3), f64(LY, 2, 3),
                BceOptions.defaults().withPosWeight(f64(PW, 3))));
        assertTrue(e.getMessage().contains("posWeight is only for binaryCrossEntropyWithLogits"), e.getMessage());
        if (device().equals(io.jgrad.Device.CPU)) {
            e = assertThrows(IllegalArgumentException.class, () -> Losses.binaryCrossEntropy(f64(LX, 2, 3), f64(LY, 2, 3)));
            assertTrue(e.getMessage().contains("between 0 and 1") && e.getMessage().contains("-30.0"), e.getMessage());
            IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                    () -> Losses.crossEntropy(x, Tensor.of(new long[]{0, 1, 3, 0, 1}), CrossEntropyOptions.defaults()));
            assertTrue(oob.getMessage().contains("3") && oob.getMessage().contains("ignore index -100"), oob.getMessage());
        }
        assertTrue(bad.isEmpty());
    }
}
