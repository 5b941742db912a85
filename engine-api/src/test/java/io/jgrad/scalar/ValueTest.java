package io.jgrad.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ValueTest {

    // ---- micrograd's own tests (test/test_engine.py), with the values PyTorch gives ----

    @Test
    void microgradSanityCheck() {
        Value x = Value.of(-4.0);
        Value z = x.mul(2).add(2).add(x);
        Value q = z.relu().add(z.mul(x));
        Value h = z.mul(z).relu();
        Value y = h.add(q).add(q.mul(x));
        y.backward();

        assertEquals(-20.0, y.data(), 1e-12);
        assertEquals(46.0, x.grad(), 1e-12);
    }

    @Test
    void microgradMoreOps() {
        Value a = Value.of(-4.0);
        Value b = Value.of(2.0);
        Value c = a.add(b);
        Value d = a.mul(b).add(b.pow(3));
        c = c.add(c.add(1));
        c = c.add(Value.of(1).add(c).add(a.neg()));
        d = d.add(d.mul(2).add(b.add(a).relu()));
        d = d.add(Value.of(3).mul(d).add(b.sub(a).relu()));
        Value e = c.sub(d);
        Value f = e.pow(2);
        Value g = f.div(2.0);
        g = g.add(Value.of(10.0).div(f));
        g.backward();

        assertEquals(24.704081632653, g.data(), 1e-6);
        assertEquals(138.833819241982, a.grad(), 1e-6);
        assertEquals(645.577259475218, b.grad(), 1e-6);
    }

    // ---- every op against a central-difference gradient ----

    @Test
    void unaryOpsMatchNumericalGradients() {
        double[] points = {-2.3, -0.4, 0.35, 1.7};
        for (double x : points) {
            checkUnary("neg", Value::neg, x);
            checkUnary("tanh", Value::tanh, x);
            checkUnary("exp", Value::exp, x);
            checkUnary("relu", Value::relu, x);
            checkUnary("pow 2", v -> v.pow(2), x);
            checkUnary("pow 3", v -> v.pow(3), x);
            checkUnary("pow -1", v -> v.pow(-1), x);
            checkUnary("add const", v -> v.add(1.5), x);
            checkUnary("sub const", v -> v.sub(1.5), x);
            checkUnary("mul const", v -> v.mul(-2.5), x);
            checkUnary("div const", v -> v.div(-2.5), x);
            checkUnary("const div", v -> Value.of(3.0).div(v), x);
        }
        for (double x : new double[] {0.2, 1.0, 3.7}) {
            checkUnary("log", Value::log, x);
            checkUnary("pow 0.5", v -> v.pow(0.5), x);
            checkUnary("pow -1.5", v -> v.pow(-1.5), x);
        }
    }

    @Test
    void binaryOpsMatchNumericalGradientsForBothOperands() {
        double[][] pairs = {{-1.3, 0.7}, {2.1, -3.4}, {0.5, 0.25}, {-0.8, -1.9}};
        for (double[] p : pairs) {
            checkBinary("add", Value::add, p[0], p[1]);
            checkBinary("sub", Value::sub, p[0], p[1]);
            checkBinary("mul", Value::mul, p[0], p[1]);
            checkBinary("div", Value::div, p[0], p[1]);
            checkBinary("composite", (a, b) -> a.mul(b).tanh().add(a.pow(2).mul(b)).div(b.exp().add(1)), p[0], p[1]);
        }
    }

    @Test
    void reluPassesGradientOnlyWherePositive() {
        Value neg = Value.of(-0.5);
        neg.relu().backward();
        assertEquals(0.0, neg.grad());

        Value zero = Value.of(0.0);
        Value out = zero.relu();
        out.backward();
        assertEquals(0.0, out.data());
        assertEquals(0.0, zero.grad(), "the kink at 0 takes derivative 0, as micrograd");

        Value pos = Value.of(2.0);
        Value r = pos.relu();
        r.backward();
        assertEquals(2.0, r.data());
        assertEquals(1.0, pos.grad());
    }

    // ---- graph structure and accumulation ----

    @Test
    void sharedOperandAccumulatesBothPaths() {
        Value x = Value.of(3.0);
        Value y = x.mul(x);
        y.backward();
        assertEquals(6.0, x.grad(), 1e-12);
    }

    @Test
    void nodeUsedByTwoConsumersReceivesBothContributionsBeforePassingOn() {
        // r depends on c directly and through p; c must collect both before it propagates to x.
        for (boolean directFirst : new boolean[] {true, false}) {
            Value x = Value.of(0.3);
            Value c = x.exp();
            Value p = c.mul(2);
            Value r = directFirst ? c.add(p) : p.add(c);
            r.backward();
            assertEquals(3 * Math.exp(0.3), x.grad(), 1e-12, "direct operand first: " + directFirst);
        }
    }

    @Test
    void repeatedBackwardAccumulatesAndZeroGradResets() {
        Value x = Value.of(1.5);
        Value square = x.mul(x);
        Value y = square.add(x);
        y.backward();
        y.backward();
        // Each pass adds dy/dx = 2x + 1 = 4 to the leaf; op nodes hold this pass's gradient, not a running sum.
        assertEquals(8.0, x.grad(), 1e-12);
        assertEquals(1.0, square.grad(), 0.0);
        assertEquals(1.0, y.grad(), 0.0);
        x.zeroGrad();
        assertEquals(0.0, x.grad());
    }

    @Test
    void backwardFromAnIntermediateNodeTouchesOnlyItsInputs() {
        Value a = Value.of(2.0);
        Value b = Value.of(5.0);
        Value c = a.mul(3);
        Value unrelated = b.mul(c);
        c.backward();
        assertEquals(3.0, a.grad());
        assertEquals(0.0, b.grad());
        assertEquals(0.0, unrelated.grad());
    }

    @Test
    void millionNodeChainBackpropagatesWithoutRecursion() {
        int n = 1_000_000;
        Value x = Value.of(0.5);
        Value y = x;
        for (int i = 0; i < n; i++) y = y.add(x);
        y.backward();
        assertEquals(0.5 * (n + 1), y.data(), 1e-6);
        assertEquals(n + 1, x.grad(), 0.0);

        // The same depth along the second operand.
        Value z = Value.of(0.25);
        Value w = z;
        for (int i = 0; i < n; i++) w = z.add(w);
        w.backward();
        assertEquals(n + 1, z.grad(), 0.0);
    }

    @Test
    void setDataChangesLaterComputationsOnly() {
        Value w = Value.of(1.0);
        Value before = w.mul(2);
        w.setData(4.0);
        assertEquals(4.0, w.data());
        assertEquals(2.0, before.data());
        assertEquals(8.0, w.mul(2).data());
    }

    @Test
    void opNamesFollowMicrograd() {
        Value x = Value.of(2.0);
        assertEquals("", x.op());
        assertEquals("+", x.add(1).op());
        assertEquals("-", x.sub(1).op());
        assertEquals("*", x.mul(1).op());
        assertEquals("/", x.div(1).op());
        assertEquals("**2", x.pow(2).op());
        assertEquals("**-1", x.pow(-1).op());
        assertEquals("**0.5", x.pow(0.5).op());
        assertEquals("neg", x.neg().op());
        assertEquals("ReLU", x.relu().op());
        assertEquals("tanh", x.tanh().op());
        assertEquals("exp", x.exp().op());
        assertEquals("log", x.log().op());
    }

    @Test
    void childrenAreTheOperandsInOrder() {
        Value a = Value.of(1.0);
        Value b = Value.of(2.0);
        assertEquals(List.of(), a.children());
        List<Value> sum = b.sub(a).children();
        assertEquals(2, sum.size());
        assertSame(b, sum.get(0));
        assertSame(a, sum.get(1));
        List<Value> square = a.mul(a).children();
        assertEquals(2, square.size());
        assertSame(a, square.get(0));
        assertSame(a, square.get(1));
        List<Value> power = a.pow(3).children();
        assertEquals(1, power.size(), "the exponent is a constant, not an operand");
        assertSame(a, power.get(0));
        assertEquals(1, a.tanh().children().size());
        Value constant = a.add(7.0).children().get(1);
        assertEquals(7.0, constant.data());
        assertEquals("", constant.op());
    }

    @Test
    void labelsAndToString() {
        Value v = Value.of(-20.0);
        assertEquals("", v.label());
        assertSame(v, v.label("y"));
        assertEquals("y", v.label());
        assertEquals("w", Value.of(1.0, "w").label());
        assertEquals("Value(data=-20.0, grad=0.0)", v.toString());
        v.backward();
        assertEquals("Value(data=-20.0, grad=1.0)", v.toString());
    }

    @Test
    void nullOperandIsRejectedWithAMessage() {
        Value x = Value.of(1.0);
        for (BinaryOperator<Value> op : List.<BinaryOperator<Value>>of(Value::add, Value::sub, Value::mul, Value::div)) {
            NullPointerException e = assertThrows(NullPointerException.class, () -> op.apply(x, null));
            assertTrue(e.getMessage().contains("operand"), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> x.label(null));
    }

    // ---- helpers ----

    private static final double H = 1e-6;

    private static void checkUnary(String name, UnaryOperator<Value> f, double x0) {
        Value x = Value.of(x0);
        Value y = f.apply(x);
        y.backward();
        double numeric = (f.apply(Value.of(x0 + H)).data() - f.apply(Value.of(x0 - H)).data()) / (2 * H);
        assertClose(numeric, x.grad(), name + " at " + x0);
    }

    private static void checkBinary(String name, BinaryOperator<Value> f, double a0, double b0) {
        Value a = Value.of(a0);
        Value b = Value.of(b0);
        f.apply(a, b).backward();
        double dA = (f.apply(Value.of(a0 + H), Value.of(b0)).data() - f.apply(Value.of(a0 - H), Value.of(b0)).data())
                / (2 * H);
        double dB = (f.apply(Value.of(a0), Value.of(b0 + H)).data() - f.apply(Value.of(a0), Value.of(b0 - H)).data())
                / (2 * H);
        assertClose(dA, a.grad(), name + " d/da at (" + a0 + ", " + b0 + ")");
        assertClose(dB, b.grad(), name + " d/db at (" + a0 + ", " + b0 + ")");
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-6 * Math.max(1.0, Math.abs(expected)), what);
    }
}
