package io.jgrad.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;

/**
 * Every declared derivative is checked against the op's own reference math: the formula, evaluated in float64, must
 * equal central differences of {@link UnaryOp#apply} / {@link BinaryOp#apply} wherever the op is smooth. A new op's
 * declaration is covered here without a line of test code.
 */
class OpDeclarationsTest {

    /** Evaluates a formula with doubles. */
    private record Doubles(double g, double x, double y, double out) implements Formula.Evaluator<Double> {
        @Override
        public Double leaf(Formula.Leaf leaf) {
            return switch (leaf) {
                case GRAD -> g;
                case X -> x;
                case Y -> y;
                case OUT -> out;
                case ZERO -> 0.0;
            };
        }

        @Override
        public Double unary(UnaryOp op, Double v, double a, double b) {
            return op.apply(v, a, b);
        }

        @Override
        public Double binary(BinaryOp op, Double l, Double r) {
            return op.apply(l, r);
        }

        @Override
        public Double where(Double condition, Double then, Double otherwise) {
            return condition != 0 ? then : otherwise;
        }

        @Override
        public Double reluBackward(Double grad, Double output) {
            return ScalarMath.reluBackward(grad, output);
        }
    }

    /** The parameters each op is checked with, and where it is smooth. */
    private record Setting(double a, double b, DoublePredicate smooth) {
    }

    private static List<Setting> settings(UnaryOp op) {
        DoublePredicate any = x -> true, positive = x -> x > 0.05, awayFromZero = x -> Math.abs(x) > 0.05;
        return switch (op) {
            case LOG, SQRT, RSQRT -> List.of(new Setting(0, 0, positive));
            case RECIPROCAL, RELU, ABS, SIGN, STEP -> List.of(new Setting(0, 0, awayFromZero));
            case RDIV -> List.of(new Setting(3, 0, awayFromZero), new Setting(-0.5, 0, awayFromZero));
            case LEAKY_RELU -> List.of(new Setting(0.1, 0, awayFromZero), new Setting(-2, 0, awayFromZero));
            case POW -> List.of(new Setting(2.5, 0, positive), new Setting(3, 0, any), new Setting(-1.5, 0, positive),
                    new Setting(0, 0, any), new Setting(1, 0, any));
            case CLAMP -> List.of(new Setting(-0.5, 0.7, x -> Math.abs(x + 0.5) > 0.05 && Math.abs(x - 0.7) > 0.05));
            case AFFINE -> List.of(new Setting(1.7, -0.3, any), new Setting(0, 2, any));
            // softplus jumps where beta x crosses the threshold; elu and selu have a kink at 0 (unless alpha is 1)
            case SOFTPLUS -> List.of(new Setting(1, 20, any), new Setting(2, 1, x -> Math.abs(2 * x - 1) > 0.05),
                    new Setting(0.5, -0.4, x -> Math.abs(0.5 * x + 0.4) > 0.05));
            case ELU -> List.of(new Setting(1, 0, any), new Setting(0.3, 0, awayFromZero), new Setting(2.5, 0, awayFromZero));
            case SELU -> List.of(new Setting(0, 0, awayFromZero));
            case HARDTANH -> List.of(new Setting(-1, 1, x -> Math.abs(Math.abs(x) - 1) > 0.05),
                    new Setting(-0.5, 2, x -> Math.abs(x + 0.5) > 0.05 && Math.abs(x - 2) > 0.05));
            case HARDSIGMOID, HARDSWISH -> List.of(new Setting(0, 0, x -> Math.abs(Math.abs(x) - 3) > 0.05));
            // piecewise constant: away from whole numbers (and halves, where round jumps)
            case FLOOR, CEIL, ROUND, TRUNC -> List.of(new Setting(0, 0, x -> Math.abs(2 * x - Math.rint(2 * x)) > 0.1));
            default -> List.of(new Setting(0, 0, any));
        };
    }

    private static final double[] POINTS = {-2.3, -1.1, -0.7, -0.2, 0.0, 0.3, 0.9, 1.3, 2.9};

    /** Ops that exist only to compute another op's derivative. */
    private static final java.util.Set<UnaryOp> HELPERS = java.util.EnumSet.of(UnaryOp.GELU_GRAD, UnaryOp.GELU_TANH_GRAD);

    @Test
    void everyUnaryDerivativeMatchesCentralDifferencesOfItsReferenceMath() {
        List<String> checked = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            // GELU_GRAD and GELU_TANH_GRAD are helpers of GELU's backwards and declare no derivative of their own (ZERO)
            if (HELPERS.contains(op)) continue;
            Formula d = op.derivative();
            assertNotNull(d, op + " declares a derivative");
            for (Setting s : settings(op)) {
                for (double x : POINTS) {
                    if (!s.smooth.test(x)) continue;
                    double out = op.apply(x, s.a, s.b);
                    double g = 1.375; // a gradient other than 1 catches formulas that forget it
                    double got = d.eval(new Doubles(g, x, 0, out), s.a, s.b);
                    double h = 1e-6;
                    // outside the op's domain (log1p below -1, ...) there is nothing to compare
                    if (!Double.isFinite(op.apply(x - h, s.a, s.b)) || !Double.isFinite(op.apply(x + h, s.a, s.b))) continue;
                    double want = g * (op.apply(x + h, s.a, s.b) - op.apply(x - h, s.a, s.b)) / (2 * h);
                    assertEquals(want, got, 1e-6 * Math.max(1, Math.abs(want)),
                            op + " at x = " + x + ", a = " + s.a + ", b = " + s.b + ": declared derivative vs central difference");
                }
            }
            checked.add(op.name());
        }
        assertEquals(UnaryOp.values().length - HELPERS.size(), checked.size());
    }

    @Test
    void everyBinaryDerivativeMatchesCentralDifferences() {
        double[][] pairs = {{1.3, 0.7}, {-0.8, 2.1}, {2.5, -1.2}, {0.4, 0.9}, {-1.7, -0.6}};
        for (BinaryOp op : BinaryOp.values()) {
            if (!op.isDifferentiable()) {
                assertNull(op.dy(), op + " is not differentiable");
                assertTrue(op.writesBool() || op == BinaryOp.FLOOR_DIVIDE, op + ": only comparisons, logical ops and floor division lack a derivative");
                continue;
            }
            for (double[] p : pairs) {
                double x = op == BinaryOp.POW ? Math.abs(p[0]) : p[0], y = p[1];
                double g = 0.625, out = op.apply(x, y), h = 1e-6;
                Doubles at = new Doubles(g, x, y, out);
                double dx = op.dx().eval(at, 0, 0), dy = op.dy().eval(at, 0, 0);
                double wantDx = g * (op.apply(x + h, y) - op.apply(x - h, y)) / (2 * h);
                double wantDy = g * (op.apply(x, y + h) - op.apply(x, y - h)) / (2 * h);
                assertEquals(wantDx, dx, 1e-6 * Math.max(1, Math.abs(wantDx)), op + " d/dx at (" + x + ", " + y + ")");
                assertEquals(wantDy, dy, 1e-6 * Math.max(1, Math.abs(wantDy)), op + " d/dy at (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void powAtZeroFollowsPyTorch() {
        // torch.pow(x, y).backward() with x, y float64; values from PyTorch 2.13.
        double[][] cases = { // x, y, dx, dy
                {0, 0, 0, 0}, {0, 2, 0, 0}, {0, -1, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                {0, 0.5, Double.POSITIVE_INFINITY, 0}, {2, 0, 0, 0.6931471805599453}, {0, -0.0, 0, 0}};
        for (double[] c : cases) {
            Doubles at = new Doubles(1, c[0], c[1], Math.pow(c[0], c[1]));
            assertEquals(c[2], BinaryOp.POW.dx().eval(at, 0, 0), "d/dx pow at (" + c[0] + ", " + c[1] + ")");
            assertEquals(c[3], BinaryOp.POW.dy().eval(at, 0, 0), "d/dy pow at (" + c[0] + ", " + c[1] + ")");
        }
        // and the constant-exponent op: d/dx x^0 = 0 even at x = 0
        assertEquals(0.0, UnaryOp.POW.derivative().eval(new Doubles(1, 0, 0, 1), 0, 0));
    }

    @Test
    void maximumAndMinimumSplitTiesAndPassNanLikePyTorch() {
        // torch.maximum(x, y).backward(ones): x = [-1, 2, 2, nan], y = [2, 2, 1, 1] gives dx [0, .5, 1, 1], dy [1, .5, 0, 1]
        double[] xs = {-1, 2, 2, Double.NaN}, ys = {2, 2, 1, 1};
        double[] dx = {0, 0.5, 1, 1}, dy = {1, 0.5, 0, 1};
        // torch.minimum(x, y) on the same values: dx [1, .5, 0, 1], dy [0, .5, 1, 1]
        double[] minDx = {1, 0.5, 0, 1}, minDy = {0, 0.5, 1, 1};
        for (int i = 0; i < xs.length; i++) {
            Doubles at = new Doubles(1, xs[i], ys[i], BinaryOp.MAX.apply(xs[i], ys[i]));
            assertEquals(dx[i], BinaryOp.MAX.dx().eval(at, 0, 0), "maximum d/dx " + i);
            assertEquals(dy[i], BinaryOp.MAX.dy().eval(at, 0, 0), "maximum d/dy " + i);
            Doubles atMin = new Doubles(1, xs[i], ys[i], BinaryOp.MIN.apply(xs[i], ys[i]));
            assertEquals(minDx[i], BinaryOp.MIN.dx().eval(atMin, 0, 0), "minimum d/dx " + i);
            assertEquals(minDy[i], BinaryOp.MIN.dy().eval(atMin, 0, 0), "minimum d/dy " + i);
        }
    }

    @Test
    void savedTensorsFollowFromTheFormulas() {
        assertTrue(UnaryOp.EXP.savesOutput());
        assertFalse(UnaryOp.EXP.savesInput());
        assertTrue(UnaryOp.LOG.savesInput());
        assertFalse(UnaryOp.LOG.savesOutput());
        assertTrue(UnaryOp.RELU.savesOutput(), "ReLU's backward reads its output");
        assertFalse(UnaryOp.RELU.savesInput());
        assertFalse(UnaryOp.NEG.savesInput() || UnaryOp.NEG.savesOutput());
        assertFalse(BinaryOp.DIV.dx().reads(Formula.Leaf.X) || BinaryOp.DIV.dy().reads(Formula.Leaf.X), "div never reads x");
        assertFalse(BinaryOp.ADD.dx().reads(Formula.Leaf.X) || BinaryOp.ADD.dy().reads(Formula.Leaf.Y));
    }

    @Test
    void sharedNodesAreFoundSoThatTheyRunOnce() {
        // pow's d/dy names one subexpression in both branches of a where: evaluated once, with a memo
        assertTrue(BinaryOp.POW.derivativesShareNodes());
        assertFalse(BinaryOp.MUL.derivativesShareNodes(), "a tree needs no memo");
        assertFalse(UnaryOp.EXP.derivativeSharesNodes());
        int[] calls = {0};
        Doubles base = new Doubles(1, 0, -1, Double.POSITIVE_INFINITY);
        Formula.Evaluator<Double> counting = new Formula.Evaluator<>() {
            public Double leaf(Formula.Leaf leaf) { return base.leaf(leaf); }
            public Double unary(UnaryOp op, Double v, double a, double b) { calls[0]++; return base.unary(op, v, a, b); }
            public Double binary(BinaryOp op, Double l, Double r) { calls[0]++; return base.binary(op, l, r); }
            public Double where(Double c, Double t, Double o) { calls[0]++; return base.where(c, t, o); }
            public Double reluBackward(Double g, Double y) { calls[0]++; return base.reluBackward(g, y); }
        };
        double memo = BinaryOp.POW.dy().eval(counting, 0, 0, true);
        int withMemo = calls[0];
        calls[0] = 0;
        double tree = BinaryOp.POW.dy().eval(counting, 0, 0, false);
        assertEquals(memo, tree, 0.0);
        assertTrue(withMemo < calls[0], "the shared subexpression ran once with the memo (" + withMemo + " vs " + calls[0] + " calls)");
    }

    @Test
    void namesComeFromTheDeclaration() {
        assertEquals("LeakyReluBackward", UnaryOp.LEAKY_RELU.nodeName());
        assertEquals("ExpBackward", UnaryOp.EXP.nodeName());
        assertEquals("MaximumBackward", BinaryOp.MAX.nodeName());
        assertEquals("maximum", BinaryOp.MAX.pyName());
    }

    @Test
    void reluFollowsPyTorchAtNegativeZeroAndNan() {
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(UnaryOp.RELU.apply(-0.0, 0, 0)), "relu(-0) = -0");
        assertTrue(Double.isNaN(UnaryOp.RELU.apply(Double.NaN, 0, 0)));
        assertEquals(0.0, UnaryOp.RELU.apply(-3, 0, 0));
        assertEquals(2.0, ScalarMath.reluBackward(2, Double.NaN), "a NaN output passes the gradient");
        assertEquals(0.0, ScalarMath.reluBackward(2, -0.0), "-0 stops it");
    }
}
