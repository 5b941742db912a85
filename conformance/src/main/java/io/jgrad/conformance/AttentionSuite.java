package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Attention;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.GradCheck;
import io.jgrad.Tensor;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Scaled dot-product attention: the fused path (the backend's attentionForward/Backward) against PyTorch's
 * F.scaled_dot_product_attention (values generated with PyTorch 2.13, float64, inputs built from the formulas below),
 * against the composed reference for every mask combination and for shapes that cross the CPU kernel's 64-row and
 * 64-key tiles, and by float64 gradient checks; plus the refusals.
 */
public abstract class AttentionSuite {
    protected abstract Device device();

    private Tensor fill(DType dt, IntToDoubleFunction f, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = f.applyAsDouble(i);
        return Tensor.of(x, shape).to(dt).to(device());
    }

    private static void close(String what, double[] want, double[] got, double tol) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            if (Double.isNaN(want[i])) {
                assertTrue(Double.isNaN(got[i]), what + "[" + i + "]: want NaN, got " + got[i]);
                continue;
            }
            assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), what + "[" + i + "]");
        }
    }

    // PyTorch: q, k, v from the formulas in pytorchParity*, w = cos(0.5 i), loss = sum(out * w)
    private static final double[] OUT = {
            0.3, 0.409509453806229, 0.382215791094328, 0.488422901619956, 0.469244123693336, 0.569401600975486,
            0.735155498249097, 0.806414690652959, 0.981632986593423, 0.971688710173905, 0.965510951058112, 0.94224440072156,
            0.893337989215875, 0.843972373500496, 0.779592888491875, 0.713794687975718, 0.437417823802335, 0.374362948081547,
            0.352257634297818, 0.303903689269865, 0.281003576135083, 0.255001342368418, 0.345075035840005, 0.302130176662387,
            0.379637299205619, 0.449566663596678, 0.4863943767457, 0.568457179596997, 0.499473537492869, 0.579943559916226,
            0.430701765402212, 0.505579749346552};
    private static final double[] DQ = {
            0.0, 0.0, 0.0, -0.00211938867595, -0.005372418831988, -0.008342498677252,
            0.027438618007482, 0.040049344351356, 0.050550783466346, 0.102626888762336, 0.115854179737671, 0.12297975430063,
            0.0, 0.0, 0.0, -0.002849341426258, -0.004107435873991, -0.005149203134031,
            -0.027899718858758, -0.031987225486644, -0.034390054192851, -0.028812114116873, -0.028593261169659, -0.026868480932144,
            0.0, 0.0, 0.0, -0.013172723285001, -0.015974017897637, -0.017934005555287,
            -0.01809500709562, -0.019282541206493, -0.019454517670517, 0.009069259939678, 0.010025796695493, 0.010454302711437,
            0.0, 0.0, 0.0, 0.019921585564958, 0.021881493779009, 0.022688964765322,
            -0.010974154544549, -0.011178491932344, -0.010794089338176, -0.042894285340385, -0.044687042190954, -0.044126257206653};
    private static final double[] DK = {
            0.008866577621217, -0.024925753067493, -0.055344500010511, 0.000377608419205, -0.004648676356919, -0.00904578459606,
            -0.03378658964933, -0.023221301231925, -0.009513118628828, 0.024542403608908, 0.052795730656336, 0.073903403235398,
            0.0, 0.0, 0.0, 0.007843840753217, 0.015820361540611, 0.021655670610155,
            0.023455723632619, 0.025079098347451, 0.023308134752324, -0.00322787498834, -0.014890075068131, -0.02453697333995,
            -0.028071689397495, -0.026009384819931, -0.020426832022529, 0.0, 0.0, 0.0,
            0.026580870298374, 0.035295218665426, 0.039232524763469, -0.009994876509849, -0.018813851479699, -0.025086459911539,
            -0.016585993788525, -0.016481367185727, -0.01414606485193, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0, -0.071797230399626, -0.074559637291778, -0.067230747051558,
            0.053596855263756, 0.050810846766652, 0.04114782852414, 0.01820037513587, 0.023748790525125, 0.026082918527418,
            0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    private static final double[] DV = {
            1.07914201687054, 0.509785383347662, -0.061361265543193, -0.372101013108631, -0.339755943037336, -0.41251348222992,
            -0.543861835569459, -0.514451427288765, 0.0, 0.0, -0.359779640154202, 0.301730990574637,
            0.40977457789639, 0.581747005302629, 0.784151038156884, 0.703152198124608, 0.509945129694213, 0.234466724421656,
            0.0, 0.0, -0.467691101613764, -0.729152875367197, -0.849565527819071, -0.673673196943466,
            -0.574019497348857, -0.188590155813525, 0.0, 0.0, 0.0, 0.0,
            0.610601476694495, 0.286066785103883, 0.53432850128521, 0.113253127942723, -0.016579932448004, -0.139978700165723,
            0.0, 0.0, 0.0, 0.0};
    private static final double[] OUT2 = {
            0.530941824187149, 0.62400426713778, 0.458384673394067, 0.558813438812679, 0.521199426017335, 0.614750724182324,
            0.768962355447858, 0.827212232517757, 0.943376492733769, 0.914436682159477, 0.893242665085774, 0.852735427072143,
            0.743742496156392, 0.681375988532386, 0.707893058769006, 0.642360779799166, 0.312476131606217, 0.287628018679532,
            0.269929139825722, 0.274406851637737, 0.272376457538636, 0.278931327773913, 0.32846444246726, 0.301966503258645,
            0.788569633397215, 0.874565908818845, 0.775302038927805, 0.860255896498047, 0.598451352460573, 0.679221644946708,
            0.475326223757841, 0.551479161811289};
    private static final double[] DQ2 = {
            -0.084967107103326, -0.100563583372782, -0.110863656279473, -0.014329285846796, -0.018998486096234, -0.022667089088965,
            0.055437962725386, 0.065406510092857, 0.071930279058603, 0.149424903332373, 0.155163829913196, 0.152730710481245,
            0.01354770928193, 0.014709406906713, 0.015096401109123, -0.043917436823557, -0.04435755071349, -0.042461476165387,
            -0.112328430567013, -0.103224068899788, -0.088683183519873, -0.055466021444969, -0.050109812400403, -0.042114459343623,
            -0.00984892525445, -0.010675498735453, -0.010939823482816, -0.008336315729084, -0.0102256165182, -0.011576362614884,
            -0.008570441508089, -0.009519700808648, -0.009967584027682, 0.005842885417821, 0.006480173959844, 0.006776169819158,
            0.087483688793152, 0.065659248916989, 0.040376719590378, 0.087850883262569, 0.06777357988578, 0.044126831145422,
            -0.018181177109047, -0.01593222124489, -0.012844159738833, -0.082030261478576, -0.075656476246276, -0.065298075492467};
    private static final double[] DK2 = {
            -0.006954737153513, -0.064057778681775, -0.112490900374084, -0.003188408984869, -0.016820895674479, -0.028176753044937,
            -0.005022688360423, 0.012052319289765, 0.027496102064068, 0.000774514823783, 0.019413094156788, 0.035424202266613,
            0.014391319675022, 0.049413260909702, 0.077747349088339, 0.015198850347357, 0.02549947040284, 0.032348856762722,
            0.022962931010854, 0.035118630155223, 0.042521187457025, 0.024236282897195, 0.02861011272619, 0.029111698013801,
            0.002957950504544, -0.001873170180233, -0.006450766068553, -0.06535601475995, -0.087355043104021, -0.097530976164995,
            0.003613469513957, 0.009657343006748, 0.01439414042822, 0.006440173123567, 0.005870085039403, 0.004505508482969,
            -0.007709263642222, -0.012464297135245, -0.015532346483673, -0.011825782460701, -0.01465233536623, -0.015495763417153,
            0.009481403465398, 0.011589204455324, 0.012128460989638, -0.084864650245194, -0.094915715275152, -0.092120383512368,
            -0.05771149221945, -0.056695615152165, -0.048006252545187, -0.023242617431007, -0.022370005430239, -0.018469718136927,
            0.055032636636132, 0.058296482451791, 0.053670172848763, 0.110786123259519, 0.115684853405764, 0.10492618134572};
    private static final double[] DV2 = {
            0.305051219397983, -0.055111087740531, 0.309824613645326, -0.077989946627449, 0.026662979235461, -0.10771529760528,
            -0.146525818312424, -0.178138354449395, -0.360850021245794, -0.370325852857, -0.138122279758137, 0.172233537447084,
            0.050201447365506, 0.340801865630422, 0.288240014147298, 0.362611284258962, 0.418251515663515, 0.370773098989672,
            0.725520408175104, 0.57467713209739, -0.10842010450578, -0.048308088776914, -0.289095262557796, -0.256443303941458,
            -0.452094952437841, -0.42652488193003, -0.47910149050866, -0.415708001064335, -0.562564316771615, -0.444431952411452,
            -0.342376791065043, -0.655449347029543, 0.158423185978567, -0.088528473667768, 0.516086043212689, 0.387815448696762,
            0.448174970591961, 0.36942451958744, 0.348042636813526, 0.246079065293993};

    private Tensor[] parityInputs(DType dt) {
        Tensor q = fill(dt, i -> Math.sin(0.37 * i + 0.1), 2, 2, 4, 3).requiresGrad(true);
        Tensor k = fill(dt, i -> Math.cos(0.23 * i - 0.2), 2, 2, 5, 3).requiresGrad(true);
        Tensor v = fill(dt, i -> Math.sin(0.11 * i) * Math.cos(0.07 * i) + 0.3, 2, 2, 5, 2).requiresGrad(true);
        return new Tensor[]{q, k, v};
    }

    private void parity(DType dt, double tol) {
        // key padding (batch 1 sees 3 of 5 keys) and causal together, scale 0.7
        boolean[] pad = new boolean[10];
        for (int j = 0; j < 5; j++) pad[j] = true;
        for (int j = 0; j < 3; j++) pad[5 + j] = true;
        Tensor padMask = Tensor.of(pad, device(), 2, 1, 1, 5);
        Tensor[] in = parityInputs(dt);
        Tensor out = Attention.scaledDotProductAttention(in[0], in[1], in[2], padMask, 0, true, 0.7, Generator.global());
        assertArrayEquals(new int[]{2, 2, 4, 2}, out.shape().toArray());
        out.mul(fill(dt, i -> Math.cos(0.5 * i), 2, 2, 4, 2)).sum().backward();
        close("out", OUT, out.toDoubleArray(), tol);
        close("dq", DQ, in[0].grad().toDoubleArray(), tol);
        close("dk", DK, in[1].grad().toDoubleArray(), tol);
        close("dv", DV, in[2].grad().toDoubleArray(), tol);
        // an additive float mask [4, 5], the default scale
        in = parityInputs(dt);
        Tensor floatMask = fill(dt, i -> 0.5 * Math.sin(1.3 * i), 4, 5);
        out = Functional.scaledDotProductAttention(in[0], in[1], in[2], floatMask, 0, false);
        out.mul(fill(dt, i -> Math.cos(0.5 * i), 2, 2, 4, 2)).sum().backward();
        close("out (float mask)", OUT2, out.toDoubleArray(), tol);
        close("dq (float mask)", DQ2, in[0].grad().toDoubleArray(), tol);
        close("dk (float mask)", DK2, in[1].grad().toDoubleArray(), tol);
        close("dv (float mask)", DV2, in[2].grad().toDoubleArray(), tol);
    }

    @Test
    void matchesPyTorchInFloat64() {
        parity(DType.FLOAT64, 1e-12);
    }

    @Test
    void matchesPyTorchInFloat32() {
        parity(DType.FLOAT32, 2e-6);
    }

    /** The mask combinations the suite runs: none, causal, bool [l, s], key padding, float [l, s], and pairs. */
    private enum Masks { NONE, CAUSAL, BOOL, PADDING, FLOAT, CAUSAL_AND_PADDING, CAUSAL_AND_FLOAT }

    private Tensor mask(Masks m, DType dt, int batch, int l, int s) {
        switch (m) {
            case BOOL: {
                boolean[] keep = new boolean[l * s];
                for (int i = 0; i < l; i++) for (int j = 0; j < s; j++) keep[i * s + j] = (i * 7 + j * 3) % 5 != 0 || j == i % s;
                return Tensor.of(keep, device(), l, s);
            }
            case PADDING:
            case CAUSAL_AND_PADDING: {
                boolean[] keep = new boolean[batch * s];
                for (int b = 0; b < batch; b++) for (int j = 0; j < s; j++) keep[b * s + j] = j < Math.max(1, s - 2 * b);
                return Tensor.of(keep, device(), batch, 1, 1, s);
            }
            case FLOAT:
            case CAUSAL_AND_FLOAT:
                return fill(dt, i -> 0.8 * Math.cos(0.9 * i), l, s);
            default:
                return null;
        }
    }

    private static boolean causal(Masks m) {
        return m == Masks.CAUSAL || m == Masks.CAUSAL_AND_PADDING || m == Masks.CAUSAL_AND_FLOAT;
    }

    /** The fused path and the composed reference: the same outputs and gradients, to float32 tolerance. */
    private void fusedEqualsReference(int batch, int heads, int l, int s, int e, int ev, Masks m, DType dt, double tol) {
        String what = m + " b" + batch + " h" + heads + " l" + l + " s" + s + " e" + e + " ev" + ev + " " + dt;
        Tensor[] a = {fill(dt, i -> Math.sin(0.013 * i * (i % 7) + 0.3), batch, heads, l, e),
                fill(dt, i -> Math.cos(0.029 * i + 0.001 * i * (i % 5)), batch, heads, s, e),
                fill(dt, i -> Math.sin(0.017 * i) - 0.2, batch, heads, s, ev)};
        Tensor w = fill(dt, i -> Math.cos(0.31 * i), batch, heads, l, ev);
        Tensor mask = mask(m, dt, batch, l, s);
        double[][] results = new double[2][];
        double[][][] grads = new double[2][3][];
        for (int path = 0; path < 2; path++) {
            Tensor[] in = {a[0].detach().requiresGrad(true), a[1].detach().requiresGrad(true), a[2].detach().requiresGrad(true)};
            double scale = 1 / Math.sqrt(e);
            Tensor out = path == 0
                    ? Attention.scaledDotProductAttention(in[0], in[1], in[2], mask, 0, causal(m), scale, Generator.global())
                    : Attention.reference(in[0], in[1], in[2], mask, 0, causal(m), scale, Generator.global());
            out.mul(w).sum().backward();
            results[path] = out.toDoubleArray();
            for (int i = 0; i < 3; i++) grads[path][i] = in[i].grad().toDoubleArray();
        }
        close(what + " out", results[1], results[0], tol);
        String[] names = {"dq", "dk", "dv"};
        for (int i = 0; i < 3; i++) close(what + " " + names[i], grads[1][i], grads[0][i], tol);
    }

    @Test
    void withoutDropoutOrAMaskGradientTheFusedKernelRuns() {
        Tensor q = fill(DType.FLOAT32, i -> Math.sin(0.37 * i), 2, 3, 4).requiresGrad(true);
        Tensor k = fill(DType.FLOAT32, i -> Math.cos(0.23 * i), 2, 5, 4);
        Tensor v = fill(DType.FLOAT32, i -> 0.1 * i, 2, 5, 2);
        assertEquals("ScaledDotProductAttentionBackward", Functional.scaledDotProductAttention(q, k, v, null, 0, true).gradFnName());
        assertEquals("MatmulBackward", Attention.reference(q, k, v, null, 0, true, 0.5, Generator.global()).gradFnName());
    }

    @Test
    void theFusedPathEqualsTheComposedReferenceForEveryMask() {
        for (Masks m : Masks.values()) {
            fusedEqualsReference(2, 3, 5, 7, 4, 3, m, DType.FLOAT32, 2e-5);
            fusedEqualsReference(2, 3, 5, 7, 4, 3, m, DType.FLOAT64, 1e-12);
        }
    }

    @Test
    void theFusedPathEqualsTheReferenceAcrossTileEdges() {
        for (int[] lse : new int[][]{{64, 64}, {65, 63}, {130, 129}, {1, 200}, {150, 1}}) {
            for (Masks m : new Masks[]{Masks.NONE, Masks.CAUSAL, Masks.CAUSAL_AND_PADDING, Masks.FLOAT}) {
                fusedEqualsReference(2, 1, lse[0], lse[1], 16, 8, m, DType.FLOAT32, 5e-5);
            }
        }
    }

    @Test
    void gradientsPassFloat64GradCheckForEveryMask() {
        for (Masks m : Masks.values()) {
            Tensor mask = mask(m, DType.FLOAT64, 2, 3, 4);
            Tensor q = fill(DType.FLOAT64, i -> Math.sin(0.7 * i + 0.2), 2, 1, 3, 2).requiresGrad(true);
            Tensor k = fill(DType.FLOAT64, i -> Math.cos(0.45 * i), 2, 1, 4, 2).requiresGrad(true);
            Tensor v = fill(DType.FLOAT64, i -> Math.sin(0.3 * i) + 0.1, 2, 1, 4, 2).requiresGrad(true);
            GradCheck.check(x -> Attention.scaledDotProductAttention(x[0], x[1], x[2], mask, 0, causal(m), 0.8,
                    Generator.global()), q, k, v).assertPassed();
        }
    }

    @Test
    void aFloatMaskThatNeedsAGradientGetsOneThroughTheReference() {
        Tensor q = fill(DType.FLOAT64, i -> Math.sin(0.7 * i + 0.2), 1, 3, 2).requiresGrad(true);
        Tensor k = fill(DType.FLOAT64, i -> Math.cos(0.45 * i), 1, 4, 2);
        Tensor v = fill(DType.FLOAT64, i -> Math.sin(0.3 * i) + 0.1, 1, 4, 2);
        Tensor mask = fill(DType.FLOAT64, i -> 0.1 * i, 3, 4).requiresGrad(true);
        GradCheck.check(x -> Attention.scaledDotProductAttention(x[0], k, v, x[1], 0, false), q, mask).assertPassed();
    }

    @Test
    void dropoutKeepsTheExpectationAndIsReproducible() {
        Tensor q = fill(DType.FLOAT32, i -> Math.sin(0.37 * i), 1, 1, 8, 4);
        Tensor k = fill(DType.FLOAT32, i -> Math.cos(0.23 * i), 1, 1, 16, 4);
        Tensor v = Tensor.ones(DType.FLOAT32, device(), 1, 1, 16, 1);
        // softmax rows sum to 1 and v is 1, so each output is (kept weight) / (1 - p); averaged over many draws, 1
        double total = 0;
        Generator gen = new Generator(7);
        int draws = 400;
        for (int d = 0; d < draws; d++) {
            total += Attention.scaledDotProductAttention(q, k, v, null, 0.25, false, 0.5, gen).mean().item();
        }
        assertEquals(1.0, total / draws, 0.02);
        double[] a = Attention.scaledDotProductAttention(q, k, v, null, 0.25, false, 0.5, new Generator(3)).toDoubleArray();
        double[] b = Attention.scaledDotProductAttention(q, k, v, null, 0.25, false, 0.5, new Generator(3)).toDoubleArray();
        close("the same generator seed", a, b, 0);
    }

    @Test
    void aRowThatMaySeeNoKeyIsNaNAsInTheReference() {
        Tensor q = fill(DType.FLOAT32, i -> Math.sin(0.37 * i), 1, 2, 3);
        Tensor k = fill(DType.FLOAT32, i -> Math.cos(0.23 * i), 1, 3, 3);
        Tensor v = fill(DType.FLOAT32, i -> 0.1 * i, 1, 3, 2);
        Tensor mask = Tensor.of(new boolean[]{true, false, true, false, false, false}, device(), 2, 3);
        double[] out = Functional.scaledDotProductAttention(q, k, v, mask, 0, false).toDoubleArray();
        assertTrue(Double.isFinite(out[0]) && Double.isFinite(out[1]), "row 0 sees two keys");
        assertTrue(Double.isNaN(out[2]) && Double.isNaN(out[3]), "row 1 sees none: NaN, as softmax of -inf");
    }

    @Test
    void badInputIsRefusedWithTheShapes() {
        Tensor q = Tensor.zeros(DType.FLOAT32, device(), 2, 4, 8);
        Tensor k = Tensor.zeros(DType.FLOAT32, device(), 2, 5, 8);
        Tensor v = Tensor.zeros(DType.FLOAT32, device(), 2, 5, 3);
        String m = assertThrows(IllegalArgumentException.class, () -> Functional.scaledDotProductAttention(q,
                Tensor.zeros(DType.FLOAT32, device(), 2, 5, 7), v, null, 0, false)).getMessage();
        assertTrue(m.contains("scaledDotProductAttention") && m.contains("[2, 5, 7]") && m.contains("last dimension"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Functional.scaledDotProductAttention(q, k,
                Tensor.zeros(DType.FLOAT32, device(), 2, 6, 3), null, 0, false)).getMessage();
        assertTrue(m.contains("number of keys") && m.contains("[2, 6, 3]"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Functional.scaledDotProductAttention(q, k,
                v.to(DType.FLOAT64), null, 0, false)).getMessage();
        assertTrue(m.contains("float64") || m.contains("FLOAT64"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Functional.scaledDotProductAttention(q, k, v,
                Tensor.zeros(DType.BOOL, device(), 3, 5), 0, false)).getMessage();
        assertTrue(m.contains("mask of shape [3, 5]") && m.contains("[2, 4, 5]"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Functional.scaledDotProductAttention(q, k, v, null, 1.0,
                false)).getMessage();
        assertTrue(m.contains("dropoutP"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Functional.scaledDotProductAttention(q,
                Tensor.zeros(DType.FLOAT32, device(), 3, 5, 8), Tensor.zeros(DType.FLOAT32, device(), 3, 5, 3), null, 0,
                false)).getMessage();
        assertTrue(m.contains("leading"), m);
    }
}
