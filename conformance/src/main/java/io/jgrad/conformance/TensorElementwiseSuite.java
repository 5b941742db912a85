package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jgrad.DType;
import io.jgrad.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Element-wise ops: every unary and binary op forward against float64 references written here in plain Java
 * (float32 and float64, contiguous and strided, with broadcasting), and backward against central differences.
 */
public abstract class TensorElementwiseSuite extends TensorBaseSuite {

    /** Where an op's test inputs come from: anywhere, positive only, or away from a kink or pole at 0. */
    private enum Domain { ANY, POSITIVE, AWAY_FROM_ZERO, AWAY_FROM_CLAMP_EDGES }

    private record UnaryCase(String name, Function<Tensor, Tensor> op, DoubleUnaryOperator ref, Domain domain) {
    }

    private static double erf(double x) {
        // Maclaurin series, alternating; exact to ~1e-13 for |x| <= 3.5, which covers the test inputs.
        double sum = 0, term = x;
        for (int n = 0; n < 120; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private static final List<UnaryCase> UNARY = List.of(
            new UnaryCase("neg", Tensor::neg, x -> -x, Domain.ANY),
            new UnaryCase("exp", Tensor::exp, Math::exp, Domain.ANY),
            new UnaryCase("log", Tensor::log, Math::log, Domain.POSITIVE),
            new UnaryCase("sqrt", Tensor::sqrt, Math::sqrt, Domain.POSITIVE),
            new UnaryCase("rsqrt", Tensor::rsqrt, x -> 1 / Math.sqrt(x), Domain.POSITIVE),
            new UnaryCase("square", Tensor::square, x -> x * x, Domain.ANY),
            new UnaryCase("reciprocal", Tensor::reciprocal, x -> 1 / x, Domain.AWAY_FROM_ZERO),
            new UnaryCase("tanh", Tensor::tanh, Math::tanh, Domain.ANY),
            new UnaryCase("sigmoid", Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x)), Domain.ANY),
            new UnaryCase("relu", Tensor::relu, x -> x > 0 ? x : 0, Domain.AWAY_FROM_ZERO),
            new UnaryCase("leakyRelu", t -> t.leakyRelu(0.1), x -> x > 0 ? x : 0.1 * x, Domain.AWAY_FROM_ZERO),
            new UnaryCase("gelu", Tensor::gelu, x -> 0.5 * x * (1 + erf(x / Math.sqrt(2))), Domain.ANY),
            new UnaryCase("abs", Tensor::abs, Math::abs, Domain.AWAY_FROM_ZERO),
            new UnaryCase("sin", Tensor::sin, Math::sin, Domain.ANY),
            new UnaryCase("cos", Tensor::cos, Math::cos, Domain.ANY),
            new UnaryCase("clamp", t -> t.clamp(-0.5, 0.7), x -> Math.min(0.7, Math.max(-0.5, x)), Domain.AWAY_FROM_CLAMP_EDGES),
            new UnaryCase("clampMin", t -> t.clampMin(0.7), x -> Math.max(0.7, x), Domain.AWAY_FROM_CLAMP_EDGES),
            new UnaryCase("pow(2.5)", t -> t.pow(2.5), x -> Math.pow(x, 2.5), Domain.POSITIVE),
            new UnaryCase("pow(3)", t -> t.pow(3), x -> x * x * x, Domain.ANY),
            new UnaryCase("pow(-1.5)", t -> t.pow(-1.5), x -> Math.pow(x, -1.5), Domain.POSITIVE),
            new UnaryCase("add(s)", t -> t.add(1.25), x -> x + 1.25, Domain.ANY),
            new UnaryCase("sub(s)", t -> t.sub(0.75), x -> x - 0.75, Domain.ANY),
            new UnaryCase("mul(s)", t -> t.mul(-3), x -> -3 * x, Domain.ANY),
            new UnaryCase("div(s)", t -> t.div(4), x -> x / 4, Domain.ANY),
            new UnaryCase("rsub(s)", t -> t.rsub(2), x -> 2 - x, Domain.ANY),
            new UnaryCase("rdiv(s)", t -> t.rdiv(3), x -> 3 / x, Domain.AWAY_FROM_ZERO));

    private static double[] inputs(Domain d, long seed, int n) {
        switch (d) {
            case POSITIVE: return uniform(seed, n, 0.2, 3);
            case AWAY_FROM_ZERO: return awayFromZero(seed, n, 0.2, 3);
            case AWAY_FROM_CLAMP_EDGES: {
                // Between the kinks at -0.5 and 0.7, and at least 0.1 from them.
                double[] v = uniform(seed, n, -2, 2);
                for (int i = 0; i < n; i++) {
                    for (double edge : new double[]{-0.5, 0.7}) {
                        if (Math.abs(v[i] - edge) < 0.1) v[i] = (float) (edge + Math.copySign(0.15, v[i] - edge));
                    }
                }
                return v;
            }
            default: return uniform(seed, n, -3, 3);
        }
    }

    private static double[] map(double[] v, DoubleUnaryOperator f) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = f.applyAsDouble(v[i]);
        return r;
    }

    @Test
    void unaryOpsMatchFloat64ReferenceInFloat32() {
        int[] shape = {3, 4, 5};
        for (UnaryCase c : UNARY) {
            double[] x = inputs(c.domain, c.name.hashCode(), numel(shape));
            Tensor out = c.op.apply(f32(x, shape));
            assertEquals(DType.FLOAT32, out.dtype(), c.name);
            assertShape(out, shape);
            assertCloseF32(map(x, c.ref), out, c.name + " float32");
        }
    }

    @Test
    void unaryOpsMatchFloat64ReferenceInFloat64() {
        int[] shape = {7, 3};
        for (UnaryCase c : UNARY) {
            double[] x = inputs(c.domain, c.name.hashCode() + 1, numel(shape));
            Tensor out = c.op.apply(f64(x, shape));
            assertEquals(DType.FLOAT64, out.dtype(), c.name);
            assertClose(map(x, c.ref), out, 1e-12, 1e-12, c.name + " float64");
        }
    }

    @Test
    void unaryOpsReadStridedInputs() {
        // A transposed, sliced input: the kernel must follow the strides, and the output is dense.
        for (UnaryCase c : UNARY) {
            double[] x = inputs(c.domain, c.name.hashCode() + 2, 24);
            Tensor strided = f32(x, 4, 6).t().slice(0, 1, 6, 2); // [3, 4]: rows 1, 3, 5 of the transpose
            double[] expected = new double[12];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) expected[i * 4 + j] = c.ref.applyAsDouble(x[j * 6 + (1 + 2 * i)]);
            Tensor out = c.op.apply(strided);
            assertShape(out, 3, 4);
            assertCloseF32(expected, out, c.name + " strided");
        }
    }

    @Test
    void unaryOpsPassGradCheck() {
        Random r = new Random(11);
        for (UnaryCase c : UNARY) {
            int[] shape = randomShape(r, 1 + r.nextInt(3), 3);
            double[] x = inputs(c.domain, c.name.hashCode() + 3, numel(shape));
            gradcheck(in -> c.op.apply(in[0]), f64(x, shape).requiresGrad(true));
        }
    }

    @Test
    void specialValuesFollowIeee() {
        Tensor x = Tensor.of(new float[]{0f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN});
        assertClose(new double[]{Double.NEGATIVE_INFINITY, Double.NaN, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN},
                x.log(), 0, 0, "log");
        assertClose(new double[]{0.5, 1 / (1 + Math.E), 1, 0, Double.NaN}, x.sigmoid(), 1e-7, 1e-6, "sigmoid");
        assertClose(new double[]{0, 0, Double.POSITIVE_INFINITY, 0, Double.NaN}, x.relu(), 0, 0, "relu");
        assertClose(new double[]{0, Math.tanh(-1), 1, -1, Double.NaN}, x.tanh(), 1e-7, 1e-6, "tanh");
        assertClose(new double[]{1, Math.exp(-1), Double.POSITIVE_INFINITY, 0, Double.NaN}, x.exp(), 1e-7, 1e-6, "exp");
        assertClose(new double[]{0, -1, 1, -1, Double.NaN}, x.sign(), 0, 0, "sign");
    }

    // ---------------------------------------------------------------- binary

    private record BinaryCase(String name, BiFunction<Tensor, Tensor, Tensor> op, DoubleBinaryOperator ref, boolean positiveBase,
                              boolean awayFromZeroY) {
    }

    private static final List<BinaryCase> BINARY = List.of(
            new BinaryCase("add", Tensor::add, Double::sum, false, false),
            new BinaryCase("sub", Tensor::sub, (a, b) -> a - b, false, false),
            new BinaryCase("mul", Tensor::mul, (a, b) -> a * b, false, false),
            new BinaryCase("div", Tensor::div, (a, b) -> a / b, false, true),
            new BinaryCase("pow", Tensor::pow, Math::pow, true, false),
            new BinaryCase("maximum", Tensor::maximum, Math::max, false, false),
            new BinaryCase("minimum", Tensor::minimum, Math::min, false, false));

    /** Shape pairs that exercise broadcasting: trailing alignment, size-1 axes on both sides, rank 0. */
    private static final int[][][] BROADCAST_PAIRS = {
            {{3, 1, 4}, {2, 1}},
            {{2, 3}, {2, 3}},
            {{2, 3}, {3}},
            {{1}, {2, 3}},
            {{4, 1}, {1, 5}},
            {{2, 1, 3}, {4, 1}},
            {{5}, {}},
            {{}, {2, 2}},
    };

    private static double[] binaryReference(DoubleBinaryOperator f, double[] x, int[] xs, double[] y, int[] ys) {
        int[] out = broadcastShape(xs, ys);
        double[] r = new double[numel(out)];
        for (int i = 0; i < r.length; i++) {
            int[] idx = unravel(i, out);
            r[i] = f.applyAsDouble(broadcastGet(x, xs, idx), broadcastGet(y, ys, idx));
        }
        return r;
    }

    private static double[] binaryInputs(BinaryCase c, boolean isY, long seed, int n) {
        if (c.positiveBase && !isY) return uniform(seed, n, 0.3, 2.5);
        if (c.awayFromZeroY && isY) return awayFromZero(seed, n, 0.3, 3);
        // maximum/minimum: the two operands come from disjoint sets, so no ties (and no kinks for gradcheck)
        if (c.name.equals("maximum") || c.name.equals("minimum")) {
            double[] v = uniform(seed, n, 0, 1);
            for (int i = 0; i < n; i++) v[i] = (float) (isY ? v[i] * 2 - 1 + 0.05 : v[i] * 2 - 1);
            for (int i = 0; i < n; i++) v[i] = (float) (Math.round(v[i] * 10) / 10.0 + (isY ? 0.05 : 0));
            return v;
        }
        return uniform(seed, n, -2, 2);
    }

    @Test
    void binaryOpsBroadcastAndMatchReference() {
        for (BinaryCase c : BINARY) {
            for (int[][] pair : BROADCAST_PAIRS) {
                int[] xs = pair[0], ys = pair[1];
                double[] x = binaryInputs(c, false, 5, numel(xs));
                double[] y = binaryInputs(c, true, 6, numel(ys));
                String what = c.name + " " + str(xs) + " x " + str(ys);
                Tensor out = c.op.apply(f32(x, xs), f32(y, ys));
                assertShape(out, broadcastShape(xs, ys));
                assertCloseF32(binaryReference(c.ref, x, xs, y, ys), out, what);
                Tensor out64 = c.op.apply(f64(x, xs), f64(y, ys));
                assertClose(binaryReference(c.ref, x, xs, y, ys), out64, 1e-12, 1e-12, what + " float64");
            }
        }
    }

    @Test
    void binaryOpsReadStridedAndExpandedOperands() {
        double[] a = uniform(1, 12, 0.5, 2), b = uniform(2, 4, 0.5, 2);
        Tensor x = f32(a, 4, 3).t();                     // [3, 4], strides (1, 3)
        Tensor y = f32(b, 4, 1).t().expand(3, 4);        // [3, 4], stride 0 on rows
        double[] xt = transposed(a, 4, 3);
        for (BinaryCase c : BINARY) {
            double[] expected = new double[12];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) expected[i * 4 + j] = c.ref.applyAsDouble(xt[i * 4 + j], b[j]);
            assertCloseF32(expected, c.op.apply(x, y), c.name + " strided");
        }
    }

    @Test
    void binaryOpsPassGradCheckWithBroadcasting() {
        for (BinaryCase c : BINARY) {
            for (int[][] pair : BROADCAST_PAIRS) {
                int[] xs = pair[0], ys = pair[1];
                Tensor x = f64(binaryInputs(c, false, 7, numel(xs)), xs).requiresGrad(true);
                Tensor y = f64(binaryInputs(c, true, 8, numel(ys)), ys).requiresGrad(true);
                gradcheck(in -> c.op.apply(in[0], in[1]), x, y);
            }
        }
    }

    @Test
    void gradientOfBroadcastOperandIsSummedToItsShape() {
        // x [2, 3] + b [3]: db = column sums of the upstream gradient.
        Tensor x = Tensor.of(new double[]{1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor b = Tensor.of(new double[]{10, 20, 30}).requiresGrad(true);
        Tensor g = Tensor.of(new double[]{1, 2, 3, 4, 5, 6}, 2, 3);
        x.add(b).backward(g);
        assertShape(b.grad(), 3);
        assertExactly(new double[]{5, 7, 9}, b.grad(), "db");
        assertExactly(new double[]{1, 2, 3, 4, 5, 6}, x.grad(), "dx");
        // [3, 1] * [1, 4] -> [3, 4]: each side's gradient sums over the other's axis.
        Tensor u = Tensor.of(new double[]{1, 2, 3}, 3, 1).requiresGrad(true);
        Tensor v = Tensor.of(new double[]{1, 10, 100, 1000}, 1, 4).requiresGrad(true);
        u.mul(v).sum().backward();
        assertExactly(new double[]{1111, 1111, 1111}, u.grad(), "du");
        assertExactly(new double[]{6, 6, 6, 6}, v.grad(), "dv");
    }

    @Test
    void maximumAndMinimumSplitTiedGradientsEvenly() {
        Tensor x = Tensor.of(new double[]{1, 5, 3}).requiresGrad(true);
        Tensor y = Tensor.of(new double[]{2, 5, 1}).requiresGrad(true);
        x.maximum(y).sum().backward();
        assertExactly(new double[]{0, 0.5, 1}, x.grad(), "dmax/dx");
        assertExactly(new double[]{1, 0.5, 0}, y.grad(), "dmax/dy");
        x.setGrad(null);
        y.setGrad(null);
        x.minimum(y).sum().backward();
        assertExactly(new double[]{1, 0.5, 0}, x.grad(), "dmin/dx");
        assertExactly(new double[]{0, 0.5, 1}, y.grad(), "dmin/dy");
    }

    @Test
    void powWithTensorExponentHasBothDerivatives() {
        // d(x^y)/dx = y x^(y-1); d(x^y)/dy = x^y ln x.
        Tensor x = Tensor.of(new double[]{2, 3}).requiresGrad(true);
        Tensor y = Tensor.of(new double[]{3, 0.5}).requiresGrad(true);
        x.pow(y).sum().backward();
        assertClose(new double[]{12, 0.5 / Math.sqrt(3)}, x.grad(), 1e-12, 1e-12, "dx");
        assertClose(new double[]{8 * Math.log(2), Math.sqrt(3) * Math.log(3)}, y.grad(), 1e-12, 1e-12, "dy");
    }

    @Test
    void powWithExponentZeroHasZeroGradientEvenAtZero() {
        Tensor x = Tensor.of(new double[]{0, 2}).requiresGrad(true);
        x.pow(0).sum().backward();
        assertExactly(new double[]{0, 0}, x.grad(), "d x^0");
    }

    // ---------------------------------------------------------------- comparisons and where

    @Test
    void comparisonsGiveOnesAndZerosIncludingTies() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4}, 2, 2);
        Tensor y = Tensor.of(new float[]{2, 2, 2}, 3, 1, 1);
        double[] xv = {1, 2, 3, 4};
        String[] names = {"eq", "ne", "lt", "le", "gt", "ge"};
        List<BiFunction<Tensor, Tensor, Tensor>> ops = List.of(Tensor::eq, Tensor::ne, Tensor::lt, Tensor::le, Tensor::gt, Tensor::ge);
        List<DoubleBinaryOperator> refs = List.of((a, b) -> a == b ? 1 : 0, (a, b) -> a != b ? 1 : 0, (a, b) -> a < b ? 1 : 0,
                (a, b) -> a <= b ? 1 : 0, (a, b) -> a > b ? 1 : 0, (a, b) -> a >= b ? 1 : 0);
        for (int k = 0; k < names.length; k++) {
            Tensor out = ops.get(k).apply(x, y);
            assertShape(out, 3, 2, 2);
            assertExactly(binaryReference(refs.get(k), xv, new int[]{2, 2}, new double[]{2, 2, 2}, new int[]{3, 1, 1}), out, names[k]);
        }
        assertExactly(new double[]{0, 1, 1, 1}, x.ge(2), "ge(2)");
        assertExactly(new double[]{1, 0, 0, 0}, x.lt(1.5), "lt(1.5)");
        assertExactly(new double[]{0, 0, 1, 0}, x.eq(3), "eq(3)");
    }

    @Test
    void comparisonsGiveBoolAndRecordNoGraph() {
        Tensor a = Tensor.of(new long[]{1, 5, 7});
        Tensor b = Tensor.of(new long[]{1, 6, 2});
        Tensor eq = a.eq(b);
        assertEquals(DType.BOOL, eq.dtype());
        assertEquals(DType.BOOL, Tensor.of(new float[]{1}).gt(0.5).dtype());
        assertExactly(new double[]{1, 0, 0}, eq, "eq");
        assertExactly(new double[]{0, 1, 0}, a.lt(b), "lt");
        Tensor x = Tensor.of(new double[]{1, 2}).requiresGrad(true);
        Tensor gt = x.gt(1.5);
        assertFalse(gt.requiresGrad(), "a comparison is not differentiable");
        assertNull(gt.gradFnName());
    }

    @Test
    void whereBroadcastsAllThreeAndMatchesReference() {
        double[] c = {1, 0, 0, 1, 1, 0};
        double[] x = uniform(3, 4, -1, 1), y = uniform(4, 3, -1, 1);
        int[] cs = {2, 1, 3}, xs = {4, 1}, ys = {3};
        int[] out = broadcastShape(broadcastShape(cs, xs), ys);
        double[] expected = new double[numel(out)];
        for (int i = 0; i < expected.length; i++) {
            int[] idx = unravel(i, out);
            expected[i] = broadcastGet(c, cs, idx) != 0 ? broadcastGet(x, xs, idx) : broadcastGet(y, ys, idx);
        }
        Tensor r = Tensor.where(f32(c, cs).ne(0), f32(x, xs), f32(y, ys));
        assertShape(r, out);
        assertExactly(expected, r, "where");
        // A non-bool condition is refused, as in PyTorch; a comparison gives a bool one.
        Tensor r2 = Tensor.where(Tensor.of(new long[]{0, 3}).ne(0), Tensor.of(new float[]{1, 2}), Tensor.of(new float[]{-1, -2}));
        assertExactly(new double[]{-1, 2}, r2, "int64 condition");
    }

    @Test
    void wherePassesGradCheckAndRoutesGradients() {
        Tensor cond = Tensor.of(new boolean[]{true, false, true, false, false, true}, 2, 3);
        Tensor x = f64(uniform(5, 3, -1, 1), 3).requiresGrad(true);
        Tensor y = f64(uniform(6, 6, -1, 1), 2, 3).requiresGrad(true);
        gradcheck(in -> Tensor.where(cond, in[0], in[1]), x, y);
        Tensor.where(cond, x, y).sum().backward();
        assertExactly(new double[]{1, 0, 2}, x.grad(), "x gets the gradient where cond holds, summed over rows");
        assertExactly(new double[]{0, 1, 0, 1, 1, 0}, y.grad(), "y gets it elsewhere");
    }
}
