package io.jgrad.conformance;

import static io.jgrad.conformance.ElementwiseVocabularyReferences.BINARY;
import static io.jgrad.conformance.ElementwiseVocabularyReferences.BX;
import static io.jgrad.conformance.ElementwiseVocabularyReferences.BY;
import static io.jgrad.conformance.ElementwiseVocabularyReferences.INF;
import static io.jgrad.conformance.ElementwiseVocabularyReferences.NaN;
import static io.jgrad.conformance.ElementwiseVocabularyReferences.UNARY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.GeluApproximation;
import io.jgrad.GradCheck;
import io.jgrad.Tensor;
import io.jgrad.conformance.ElementwiseVocabularyReferences.BinaryCase;
import io.jgrad.conformance.ElementwiseVocabularyReferences.UnaryCase;
import io.jgrad.nn.ELU;
import io.jgrad.nn.GELU;
import io.jgrad.nn.Hardsigmoid;
import io.jgrad.nn.Hardswish;
import io.jgrad.nn.Hardtanh;
import io.jgrad.nn.LeakyReLU;
import io.jgrad.nn.Mish;
import io.jgrad.nn.Module;
import io.jgrad.nn.SELU;
import io.jgrad.nn.SiLU;
import io.jgrad.nn.Softplus;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The element-wise vocabulary of issue 12 (expm1, softplus, silu, elu, selu, mish, hardtanh, hardsigmoid, hardswish,
 * GELU's tanh form, erf, the rounding ops, tan and the inverse and hyperbolic trigonometric functions, atan2, fmod,
 * isnan/isinf/isfinite, nanToNum and lerp) and the activation modules.
 *
 * <p>Forward values and gradients are compared with PyTorch 2.13 run in float64 ({@link ElementwiseVocabularyReferences}:
 * for each op, {@code y = f(x); y.backward(torch.full_like(y, 1.5))}, one element at a time, on a fixed list of inputs that includes 0, -0,
 * the infinities, NaN, large |x| where the op saturates or overflows, the bounds of the piecewise ops and both sides
 * of softplus's threshold), then checked again with float64 GradCheck at smooth points, and in float32 against the
 * float64 references at the float32-rounded inputs.
 */
public abstract class ElementwiseVocabularySuite extends DeviceSuite {

    /** float64 tolerance: a few ulps of libm differences, plus an absolute floor for results that cancel. */
    private static final double REL64 = 1e-12, ABS64 = 1e-15;
    /** float32 values: within a few float32 ulps of the float64 reference rounded to float32. */
    private static final double REL32 = 4 * 0x1p-23;

    private static final double GRAD_OUT = 1.5;

    private Tensor f64(double... values) {
        return Tensor.of(values, device());
    }

    private Tensor f32(double... values) {
        return f64(values).to(DType.FLOAT32);
    }

    /** got matches want: NaN where NaN, the same infinity, else within rel * |want| + abs. */
    private static void assertClose(double[] want, double[] got, double rel, double abs, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            String at = what + " at " + i + ": want " + want[i] + ", got " + got[i];
            if (Double.isNaN(want[i])) {
                assertTrue(Double.isNaN(got[i]), at);
            } else if (Double.isInfinite(want[i])) {
                assertEquals(want[i], got[i], at);
            } else {
                assertTrue(Math.abs(got[i] - want[i]) <= rel * Math.abs(want[i]) + abs, at);
            }
        }
    }

    private static double[] roundToFloat(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
        return out;
    }

    // ---------------------------------------------------------------- unary ops against PyTorch

    @Test
    void unaryValuesAndGradientsMatchPyTorchInFloat64() {
        for (UnaryCase c : UNARY) {
            Tensor x = f64(c.x()).requiresGrad(true);
            Tensor y = c.f().apply(x);
            assertEquals(DType.FLOAT64, y.dtype(), c.name());
            assertEquals(x.shape(), y.shape(), c.name());
            assertClose(c.value(), y.toDoubleArray(), REL64, ABS64, c.name() + " forward");
            y.backward(Tensor.fullLike(y, GRAD_OUT));
            assertClose(c.grad(), x.grad().toDoubleArray(), REL64, ABS64, c.name() + " gradient");
        }
    }

    @Test
    void unaryValuesAndGradientsInFloat32() {
        for (UnaryCase c : UNARY) {
            Tensor x = f32(c.x()).requiresGrad(true);
            Tensor y = c.f().apply(x);
            assertEquals(DType.FLOAT32, y.dtype(), c.name());
            // values: the float64 reference at the rounded inputs, rounded once, to a few float32 ulps
            assertClose(roundToFloat(c.value32()), y.toDoubleArray(), REL32, Float.MIN_NORMAL, c.name() + " float32 forward");
            y.backward(Tensor.fullLike(y, GRAD_OUT));
            // gradients: formulas of several float32 ops, each rounded; relative to the gradient's scale
            double[] want = roundToFloat(c.grad32());
            assertClose(want, x.grad().toDoubleArray(), 1e-5, 1e-6, c.name() + " float32 gradient");
            assertEquals(DType.FLOAT32, x.grad().dtype());
        }
    }

    @Test
    void roundingOpsKeepTheSignOfZeroAndRoundHalfToEven() {
        // the ROUNDING inputs hold -0.5, -0.0 and halves; PyTorch's values compared bit for bit
        for (UnaryCase c : UNARY) {
            if (!List.of("floor", "ceil", "round", "trunc").contains(c.name())) continue;
            double[] got = c.f().apply(f64(c.x())).toDoubleArray();
            for (int i = 0; i < got.length; i++) {
                assertEquals(Double.doubleToLongBits(c.value()[i]), Double.doubleToLongBits(got[i]),
                        c.name() + "(" + c.x()[i] + "): want " + c.value()[i] + ", got " + got[i]);
            }
        }
        assertArrayEquals(new double[]{-2, -2, -0.0, 0, 2, 2, 4}, f64(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5).round().toDoubleArray());
        assertArrayEquals(new double[]{-2, -2, -0.0, 0, 2, 2, 4}, f32(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5).round().toDoubleArray());
    }

    // ---------------------------------------------------------------- binary ops against PyTorch

    @Test
    void atan2AndFmodMatchPyTorch() {
        for (BinaryCase c : BINARY) {
            Tensor x = f64(BX).requiresGrad(true);
            Tensor y = f64(BY).requiresGrad(true);
            Tensor z = c.f().apply(x, y);
            assertClose(c.value(), z.toDoubleArray(), REL64, ABS64, c.name() + " forward");
            z.backward(Tensor.fullLike(z, GRAD_OUT));
            assertClose(c.dx(), x.grad().toDoubleArray(), REL64, ABS64, c.name() + " d/dx");
            assertClose(c.dy(), y.grad().toDoubleArray(), REL64, ABS64, c.name() + " d/dy");
            Tensor z32 = c.f().apply(f32(BX), f32(BY));
            assertEquals(DType.FLOAT32, z32.dtype());
            assertClose(roundToFloat(c.value32()), z32.toDoubleArray(), REL32, Float.MIN_NORMAL, c.name() + " float32");
        }
    }

    @Test
    void fmodTakesTheDividendsSignWhereRemainderTakesTheDivisors() {
        Tensor x = f64(-7, 7, -7, 7, 5.5, -5.5);
        Tensor y = f64(2, -2, -2, 2, 2, 2);
        assertArrayEquals(new double[]{-1, 1, -1, 1, 1.5, -1.5}, x.fmod(y).toDoubleArray());
        assertArrayEquals(new double[]{1, -1, -1, 1, 1.5, 0.5}, x.remainder(y).toDoubleArray());
        assertArrayEquals(new double[]{-1, 1, -1, 1, 1.5, -1.5}, x.fmod(2.0).toDoubleArray(), "by a number: the sign of x");
        // integers: C's %, in int64 (torch.fmod(torch.tensor([-7, 7]), torch.tensor([2, -2])) is [-1, 1])
        Tensor xi = Tensor.of(new long[]{-7, 7, -7, 7, Long.MIN_VALUE}, device());
        Tensor yi = Tensor.of(new long[]{2, -2, -2, 2, -1}, device());
        Tensor r = xi.fmod(yi);
        assertEquals(DType.INT64, r.dtype());
        assertArrayEquals(new long[]{-1, 1, -1, 1, 0}, r.toLongArray());
        assertArrayEquals(new long[]{-1, 1, -1, 1, 0}, xi.fmod(2L).toLongArray());
        assertEquals(DType.FLOAT32, xi.fmod(2.5).dtype(), "an integer tensor by a double promotes to float32");
        assertArrayEquals(new double[]{-2, 2, -2, 2}, Tensor.of(new long[]{-7, 7, -7, 7}, device()).fmod(2.5).toDoubleArray());
    }

    @Test
    void fmodOfIntegersByZeroThrows() {
        Tensor xi = Tensor.of(new long[]{3, 4}, device());
        Tensor zero = Tensor.of(new long[]{1, 0}, device());
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> xi.fmod(zero).toLongArray());
        assertTrue(e.getMessage().contains("fmod") && e.getMessage().contains("zero"), e.getMessage());
        // floating: NaN, as C's fmod
        assertTrue(Double.isNaN(f64(3).fmod(0.0).item()));
    }

    @Test
    void atan2OfIntegersIsFloat32AndCoversTheQuadrants() {
        Tensor y = Tensor.of(new long[]{1, 1, -1, -1, 0, 0}, device());
        Tensor x = Tensor.of(new long[]{1, -1, 1, -1, 1, -1}, device());
        Tensor a = y.atan2(x);
        assertEquals(DType.FLOAT32, a.dtype(), "torch.atan2 of int64 tensors is float32");
        double q = Math.PI / 4;
        assertClose(roundToFloat(new double[]{q, 3 * q, -q, -3 * q, 0, Math.PI}), a.toDoubleArray(), 0, 0, "atan2 quadrants");
        // broadcasting: a column against a row
        Tensor col = f64(1, -1).reshape(2, 1);
        Tensor row = f64(2, -2, 0);
        Tensor b = col.atan2(row);
        assertArrayEquals(new int[]{2, 3}, b.shape().toArray());
        assertEquals(Math.atan2(-1, -2), b.toDoubleArray()[4], 1e-15);
    }

    // ---------------------------------------------------------------- lerp and nanToNum against PyTorch

    @Test
    void lerpMatchesPyTorch() {
        double[][][] scalar = {ElementwiseVocabularyReferences.LERP_SCALAR_0_25, ElementwiseVocabularyReferences.LERP_SCALAR_1_0,
                ElementwiseVocabularyReferences.LERP_SCALAR_0_7};
        double[] weights = {0.25, 1.0, 0.7};
        for (int k = 0; k < weights.length; k++) {
            Tensor s = f64(ElementwiseVocabularyReferences.LERP_START).requiresGrad(true);
            Tensor e = f64(ElementwiseVocabularyReferences.LERP_END).requiresGrad(true);
            Tensor z = s.lerp(e, weights[k]);
            String what = "lerp weight " + weights[k];
            assertClose(scalar[k][0], z.toDoubleArray(), REL64, ABS64, what);
            z.backward(Tensor.fullLike(z, GRAD_OUT));
            assertClose(scalar[k][1], s.grad().toDoubleArray(), REL64, ABS64, what + " d/dstart");
            assertClose(scalar[k][2], e.grad().toDoubleArray(), REL64, ABS64, what + " d/dend");
        }
        // weight 1 gives end exactly, even where start + (end - start) would not (start 1e16, end 1)
        assertEquals(1.0, f64(1e16).lerp(f64(1), 1.0).item(), 0.0);
        double[][] ref = ElementwiseVocabularyReferences.LERP_TENSOR;
        Tensor s = f64(ElementwiseVocabularyReferences.LERP_START).requiresGrad(true);
        Tensor e = f64(ElementwiseVocabularyReferences.LERP_END).requiresGrad(true);
        Tensor w = f64(ElementwiseVocabularyReferences.LERP_WEIGHT).requiresGrad(true);
        Tensor z = s.lerp(e, w);
        assertClose(ref[0], z.toDoubleArray(), REL64, ABS64, "lerp with a weight tensor");
        z.backward(Tensor.fullLike(z, GRAD_OUT));
        assertClose(ref[1], s.grad().toDoubleArray(), REL64, ABS64, "lerp d/dstart");
        assertClose(ref[2], e.grad().toDoubleArray(), REL64, ABS64, "lerp d/dend");
        assertClose(ref[3], w.grad().toDoubleArray(), REL64, ABS64, "lerp d/dweight");
        // float32 and broadcasting: a [2, 1] start against a [3] end
        Tensor b = f32(0, 10).reshape(2, 1).lerp(f32(1, 2, 3), 0.5);
        assertEquals(DType.FLOAT32, b.dtype());
        assertArrayEquals(new double[]{0.5, 1, 1.5, 5.5, 6, 6.5}, b.toDoubleArray());
    }

    @Test
    void nanToNumMatchesPyTorch() {
        double[] x = ElementwiseVocabularyReferences.NAN_TO_NUM_X;
        double[][][] refs = {ElementwiseVocabularyReferences.NAN_TO_NUM_DEFAULT_F64, ElementwiseVocabularyReferences.NAN_TO_NUM_DEFAULT_F32,
                ElementwiseVocabularyReferences.NAN_TO_NUM_GIVEN_F64, ElementwiseVocabularyReferences.NAN_TO_NUM_GIVEN_F32};
        for (int k = 0; k < refs.length; k++) {
            boolean given = k >= 2;
            Tensor t = (k % 2 == 0 ? f64(x) : f32(x)).requiresGrad(true);
            Tensor z = given ? t.nanToNum(7, 100, -200) : t.nanToNum();
            String what = "nanToNum " + (given ? "(7, 100, -200) " : "() ") + t.dtype();
            assertEquals(t.dtype(), z.dtype(), what);
            assertArrayEquals(refs[k][0], z.toDoubleArray(), what);
            z.backward(Tensor.fullLike(z, GRAD_OUT));
            assertArrayEquals(refs[k][1], t.grad().toDoubleArray(), what + " gradient");
        }
        assertArrayEquals(new double[]{1, -3, Double.MAX_VALUE}, f64(1, NaN, INF).nanToNum(-3).toDoubleArray());
        Tensor ints = Tensor.of(new long[]{1, -2}, device());
        assertArrayEquals(new long[]{1, -2}, ints.nanToNum().toLongArray(), "integers come back unchanged");
    }

    @Test
    void floatTestsReturnBool() {
        Tensor x = f64(1, NaN, INF, -INF, -0.0, 3e38);
        for (Tensor t : List.of(x, x.to(DType.FLOAT32))) {
            assertEquals(DType.BOOL, t.isnan().dtype());
            assertArrayEquals(new boolean[]{false, true, false, false, false, false}, t.isnan().toBooleanArray(), t.dtype() + " isnan");
            assertArrayEquals(new boolean[]{false, false, true, true, false, false}, t.isinf().toBooleanArray(), t.dtype() + " isinf");
            assertArrayEquals(new boolean[]{true, false, false, false, true, true}, t.isfinite().toBooleanArray(), t.dtype() + " isfinite");
        }
        // float64's largest value is finite, and rounds to inf in float32
        Tensor big = f64(Double.MAX_VALUE, -Double.MAX_VALUE);
        assertArrayEquals(new boolean[]{false, false}, big.isinf().toBooleanArray());
        assertArrayEquals(new boolean[]{true, true}, big.to(DType.FLOAT32).isinf().toBooleanArray());
        Tensor ints = Tensor.of(new long[]{3, -1}, device());
        assertArrayEquals(new boolean[]{false, false}, ints.isnan().toBooleanArray());
        assertArrayEquals(new boolean[]{false, false}, ints.isinf().toBooleanArray());
        assertArrayEquals(new boolean[]{true, true}, ints.isfinite().toBooleanArray());
        assertEquals(DType.BOOL, ints.isfinite().dtype());
        // not differentiable: the result records nothing
        Tensor g = f64(1, NaN).requiresGrad(true);
        assertFalse(g.isnan().requiresGrad());
        assertFalse(g.isfinite().requiresGrad());
    }

    @Test
    void roundingOpsCopyIntegersAndRefuseBool() {
        Tensor ints = Tensor.of(new long[]{3, -4}, device());
        for (UnaryOperator<Tensor> f : List.<UnaryOperator<Tensor>>of(Tensor::floor, Tensor::ceil, Tensor::round, Tensor::trunc)) {
            Tensor r = f.apply(ints);
            assertEquals(DType.INT64, r.dtype());
            assertArrayEquals(new long[]{3, -4}, r.toLongArray());
        }
        Tensor bools = Tensor.of(new boolean[]{true}, device());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bools::floor);
        assertTrue(e.getMessage().contains("floor") && e.getMessage().contains("bool"), e.getMessage());
    }

    // ---------------------------------------------------------------- float64 GradCheck at smooth points

    /** Points away from every kink and jump of the ops below (0, +-1, +-3, whole numbers and halves). */
    private static final double[] SMOOTH = {-2.3, -1.4, -0.6, -0.15, 0.2, 0.7, 1.3, 2.2};

    @Test
    void gradCheckUnaryOps() {
        List<Function<Tensor, Tensor>> ops = List.of(Tensor::expm1, Tensor::log1p, Tensor::softplus, t -> t.softplus(2, 1),
                t -> t.softplus(0.5, 0.5), Tensor::silu, Tensor::elu, t -> t.elu(0.3), Tensor::selu, Tensor::mish, Tensor::hardtanh,
                t -> t.hardtanh(-0.5, 2.5), Tensor::hardsigmoid, Tensor::hardswish, t -> t.gelu(GeluApproximation.TANH), Tensor::erf,
                Tensor::floor, Tensor::ceil, Tensor::round, Tensor::trunc, Tensor::tan, Tensor::atan, Tensor::sinh, Tensor::cosh);
        for (int i = 0; i < ops.size(); i++) {
            Function<Tensor, Tensor> f = ops.get(i);
            Tensor x = f64(SMOOTH).reshape(2, 4);
            if (i == 1) x = x.abs(); // log1p: inside its domain
            x.requiresGrad(true);
            GradCheck.Result r = GradCheck.check(in -> f.apply(in[0]), x);
            assertTrue(r.passed(), "op " + i + ": " + r.message());
        }
        Tensor u = f64(SMOOTH).mul(0.4).reshape(2, 4).requiresGrad(true);
        GradCheck.check(in -> in[0].asin(), u).assertPassed();
        GradCheck.check(in -> in[0].acos(), u).assertPassed();
    }

    @Test
    void gradCheckBinaryAndComposedOps() {
        Tensor x = f64(SMOOTH).reshape(2, 4).requiresGrad(true);
        Tensor y = f64(0.9, -1.7, 2.6, 0.45, -0.8, 1.9, -2.2, 0.35).reshape(2, 4).requiresGrad(true);
        GradCheck.check(in -> in[0].atan2(in[1]), x, y).assertPassed();
        GradCheck.check(in -> in[0].fmod(in[1]), x, y).assertPassed();
        Tensor row = f64(0.8, -1.3, 2.1, 0.6).requiresGrad(true); // broadcast along the rows: gradients summed back
        GradCheck.check(in -> in[0].atan2(in[1]), x, row).assertPassed();
        Tensor w = f64(0.1, 0.45, 0.55, 0.9, -0.3, 1.2, 0.5, 0.7).reshape(2, 4).requiresGrad(true);
        GradCheck.check(in -> in[0].lerp(in[1], 0.3), x, y).assertPassed();
        GradCheck.check(in -> in[0].lerp(in[1], 0.8), x, y).assertPassed();
        GradCheck.check(in -> in[0].lerp(in[1], in[2]), x, y, w).assertPassed();
        // lerp's own backward, with every operand broadcast: [2, 1] start, [4] end, [2, 4] weight
        Tensor col = f64(0.3, -1.1).reshape(2, 1).requiresGrad(true);
        GradCheck.check(in -> in[0].lerp(in[1], in[2]), col, row, w).assertPassed();
        GradCheck.check(in -> in[0].lerp(in[1], 0.6), col, row).assertPassed();
        GradCheck.check(in -> in[0].nanToNum(), x).assertPassed();
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void floatOnlyOpsRefuseIntegersNamingOpDtypeShapeAndDevice() {
        Tensor ints = Tensor.of(new long[]{1, 2, 3}, device());
        List<Function<Tensor, Tensor>> ops = List.of(Tensor::expm1, Tensor::softplus, Tensor::silu, Tensor::elu, Tensor::erf,
                t -> t.gelu(GeluApproximation.TANH), Tensor::asin);
        List<String> names = List.of("expm1", "softplus", "silu", "elu", "erf", "gelu", "asin");
        for (int i = 0; i < ops.size(); i++) {
            Function<Tensor, Tensor> f = ops.get(i);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.apply(ints));
            String m = e.getMessage();
            assertTrue(m.startsWith(names.get(i) + ":") && m.contains("int64") && m.contains("[3]") && m.contains(device().toString()), m);
        }
    }

    @Test
    void badArgumentsNameTheOpShapesAndDtypes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f64(1, 2, 3).atan2(f64(1, 2, 3, 4)));
        assertTrue(e.getMessage().contains("atan2") && e.getMessage().contains("[3]") && e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f64(1, 2).fmod(f64(1, 2, 3)));
        assertTrue(e.getMessage().contains("fmod") && e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f32(1, 2).lerp(f64(1, 2), 0.5));
        assertTrue(e.getMessage().startsWith("lerp:") && e.getMessage().contains("float32") && e.getMessage().contains("float64")
                && e.getMessage().contains("[2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f64(1, 2).lerp(f64(1, 2), f32(0.5, 0.5)));
        assertTrue(e.getMessage().startsWith("lerp:") && e.getMessage().contains("weight float32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f64(1, 2).lerp(f64(1, 2, 3), 0.5));
        assertTrue(e.getMessage().startsWith("lerp:") && e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f64(1, 2).hardtanh(1, -1));
        assertTrue(e.getMessage().contains("hardtanh") && e.getMessage().contains("min_val"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new boolean[]{true}, device()).fmod(Tensor.of(new boolean[]{true}, device())));
        assertTrue(e.getMessage().contains("fmod") && e.getMessage().contains("bool"), e.getMessage());
    }

    @Test
    void mixedDevicesAreRefusedNamingBoth() {
        assumeFalse(device().equals(Device.CPU), "needs a second device: this suite runs on the CPU only");
        Tensor here = f64(1, 2);
        Tensor cpu = Tensor.of(new double[]{1, 2}, Device.CPU);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> here.atan2(cpu));
        assertTrue(e.getMessage().contains("atan2") && e.getMessage().contains("cpu") && e.getMessage().contains(device().toString())
                && e.getMessage().contains("float64") && e.getMessage().contains("[2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> here.lerp(cpu, 0.5));
        assertTrue(e.getMessage().contains("lerp") && e.getMessage().contains("cpu") && e.getMessage().contains(device().toString()),
                e.getMessage());
    }

    // ---------------------------------------------------------------- modules

    @Test
    void activationModulesComputeTheirOpAndPrintLikePyTorch() {
        Tensor x = f64(SMOOTH);
        Object[][] cases = {
                {new LeakyReLU(), x.leakyRelu(0.01), "LeakyReLU(negative_slope=0.01)"},
                {new LeakyReLU(0.2), x.leakyRelu(0.2), "LeakyReLU(negative_slope=0.2)"},
                {new SiLU(), x.silu(), "SiLU()"},
                {new ELU(), x.elu(1), "ELU(alpha=1.0)"},
                {new ELU(0.5), x.elu(0.5), "ELU(alpha=0.5)"},
                {new SELU(), x.selu(), "SELU()"},
                {new Softplus(), x.softplus(1, 20), "Softplus(beta=1.0, threshold=20.0)"},
                {new Softplus(2, 1), x.softplus(2, 1), "Softplus(beta=2.0, threshold=1.0)"},
                {new Hardtanh(), x.hardtanh(-1, 1), "Hardtanh(min_val=-1.0, max_val=1.0)"},
                {new Hardtanh(-0.5, 2), x.hardtanh(-0.5, 2), "Hardtanh(min_val=-0.5, max_val=2.0)"},
                {new Mish(), x.mish(), "Mish()"},
                {new Hardswish(), x.hardswish(), "Hardswish()"},
                {new Hardsigmoid(), x.hardsigmoid(), "Hardsigmoid()"},
                {new GELU(), x.gelu(), "GELU(approximate='none')"},
                {new GELU("tanh"), x.gelu(GeluApproximation.TANH), "GELU(approximate='tanh')"},
                {new GELU(GeluApproximation.NONE), x.gelu(GeluApproximation.NONE), "GELU(approximate='none')"},
        };
        for (Object[] c : cases) {
            Module m = (Module) c[0];
            assertEquals(c[2], m.toString());
            assertArrayEquals(((Tensor) c[1]).toDoubleArray(), m.forward(x).toDoubleArray(), c[2].toString());
            assertTrue(m.parameters().isEmpty(), c[2] + " has no parameters");
        }
        // the tanh form differs from the exact one (by about 1e-3 at most), so the option is really taken
        assertTrue(Math.abs(new GELU("tanh").forward(f64(1.5)).item() - new GELU().forward(f64(1.5)).item()) > 1e-5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GELU("fast"));
        assertTrue(e.getMessage().contains("approximate") && e.getMessage().contains("fast"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Hardtanh(1, -1));
        assertThrows(IllegalArgumentException.class, () -> new Softplus(0, 20));
    }

    @Test
    void gradientsFlowThroughTheModules() {
        Tensor x = f64(SMOOTH).requiresGrad(true);
        new Softplus(2, 1).forward(x).sum().backward();
        double[] got = x.grad().toDoubleArray();
        for (int i = 0; i < SMOOTH.length; i++) {
            double want = 2 * SMOOTH[i] > 1 ? 1 : 1 / (1 + Math.exp(-2 * SMOOTH[i]));
            assertEquals(want, got[i], 1e-15, "softplus(2, 1)' at " + SMOOTH[i]);
        }
        assertEquals("SoftplusBackward", new Softplus().forward(x).gradFnName());
        assertEquals("GeluBackward", new GELU("tanh").forward(x).gradFnName());
        assertEquals("HardtanhBackward", new Hardtanh().forward(x).gradFnName());
    }
}
