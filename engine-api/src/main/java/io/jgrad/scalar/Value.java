package io.jgrad.scalar;

import java.util.List;
import java.util.Objects;

/**
 * One scalar in a dynamically built expression graph, with reverse-mode autodiff: micrograd's {@code Value}.
 *
 * <p>Every operation returns a new node that remembers its operands and the op that made it; {@link #backward()}
 * then fills in {@link #grad()} of every node the result depends on. Leaf gradients accumulate (as in micrograd),
 * so call {@link #zeroGrad()} on the parameters between steps. A {@code double} operand becomes a constant leaf,
 * as micrograd wraps plain numbers.
 *
 * <p>Nodes are deliberately small (two operand fields and an op tag, no collections, no closures) because a
 * scalar network builds tens of thousands of them per training step. A graph must not be built or
 * backpropagated from several threads at once.
 */
public final class Value {

    private double data;
    private double grad;
    private final Op op;
    // Operands; null where the op takes fewer. For POW, b is a hidden constant holding the exponent.
    private final Value a;
    private final Value b;
    private String label;
    // The last topological sort that reached this node; see TopoSort.
    int visitMark;

    private Value(double data, Op op, Value a, Value b) {
        this.data = data;
        this.op = op;
        this.a = a;
        this.b = b;
    }

    /** A leaf: an input or a parameter. */
    public static Value of(double data) {
        return new Value(data, Op.LEAF, null, null);
    }

    /** A leaf with a name, shown by {@link Dot}. */
    public static Value of(double data, String label) {
        return of(data).label(label);
    }

    // ---- Operations. Each forward is followed by its local derivative, applied in backward(). ----

    /** this + other */
    public Value add(Value other) {
        requireOperand(other);
        return new Value(data + other.data, Op.ADD, this, other);
    }

    public Value add(double other) {
        return add(of(other));
    }

    private void addBackward() {
        a.grad += grad;
        b.grad += grad;
    }

    /** this - other */
    public Value sub(Value other) {
        requireOperand(other);
        return new Value(data - other.data, Op.SUB, this, other);
    }

    public Value sub(double other) {
        return sub(of(other));
    }

    private void subBackward() {
        a.grad += grad;
        b.grad -= grad;
    }

    /** this * other */
    public Value mul(Value other) {
        requireOperand(other);
        return new Value(data * other.data, Op.MUL, this, other);
    }

    public Value mul(double other) {
        return mul(of(other));
    }

    private void mulBackward() {
        a.grad += b.data * grad;
        b.grad += a.data * grad;
    }

    /** this / other */
    public Value div(Value other) {
        requireOperand(other);
        return new Value(data / other.data, Op.DIV, this, other);
    }

    public Value div(double other) {
        return div(of(other));
    }

    private void divBackward() {
        // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 = -(a/b)/b
        a.grad += grad / b.data;
        b.grad -= grad * data / b.data;
    }

    /** this raised to a constant power. */
    public Value pow(double exponent) {
        return new Value(Math.pow(data, exponent), Op.POW, this, of(exponent));
    }

    private void powBackward() {
        double k = b.data;
        a.grad += k * Math.pow(a.data, k - 1) * grad;
    }

    /** -this */
    public Value neg() {
        return new Value(-data, Op.NEG, this, null);
    }

    private void negBackward() {
        a.grad -= grad;
    }

    /** max(0, this); NaN stays NaN. */
    public Value relu() {
        return new Value(data < 0 ? 0.0 : data, Op.RELU, this, null);
    }

    private void reluBackward() {
        // The kink at 0 gets derivative 0, as in micrograd.
        if (data > 0) a.grad += grad;
    }

    public Value tanh() {
        return new Value(Math.tanh(data), Op.TANH, this, null);
    }

    private void tanhBackward() {
        a.grad += (1 - data * data) * grad;
    }

    public Value exp() {
        return new Value(Math.exp(data), Op.EXP, this, null);
    }

    private void expBackward() {
        a.grad += data * grad;
    }

    /** Natural logarithm; NaN below 0 and -Infinity at 0, as {@link Math#log}. */
    public Value log() {
        return new Value(Math.log(data), Op.LOG, this, null);
    }

    private void logBackward() {
        a.grad += grad / a.data;
    }

    /** Adds this node's contribution to its operands' gradients (the chain rule, one step). */
    private void propagate() {
        switch (op) {
            case LEAF -> { }
            case ADD -> addBackward();
            case SUB -> subBackward();
            case MUL -> mulBackward();
            case DIV -> divBackward();
            case POW -> powBackward();
            case NEG -> negBackward();
            case RELU -> reluBackward();
            case TANH -> tanhBackward();
            case EXP -> expBackward();
            case LOG -> logBackward();
        }
    }

    // ---- Backpropagation ----

    /**
     * Computes d(this)/d(node) for every node this one depends on, in reverse topological order, and adds it to
     * the gradient of every leaf. Iterative, so graphs of any depth work.
     *
     * <p>Leaves accumulate across calls, as in micrograd, which is what lets an optimizer sum over several losses;
     * {@link #zeroGrad()} them between steps. Op nodes differ from micrograd: their gradients are recomputed from
     * zero on each call, so a second backward through the same graph adds exactly the same amount to the leaves
     * (PyTorch's behaviour) instead of compounding stale intermediate gradients.
     */
    public void backward() {
        TopoSort sort = TopoSort.forThisThread();
        int n = sort.sort(this);
        Value[] order = sort.order();
        for (int i = 0; i < n; i++) {
            if (order[i].op != Op.LEAF) order[i].grad = 0.0;
        }
        grad = 1.0;
        for (int i = n - 1; i >= 0; i--) {
            order[i].propagate();
        }
        sort.release(n);
    }

    /** The operands of an op node (one or two; the same node twice for {@code x.mul(x)}), none for a leaf. */
    public List<Value> children() {
        if (a == null) return List.of();
        if (b == null || op == Op.POW) return List.of(a);
        return List.of(a, b);
    }

    // Graph walks use the raw fields; POW's exponent constant is part of the graph but not a child.
    Value first() {
        return a;
    }

    Value second() {
        return b;
    }

    // ---- State ----

    public double data() {
        return data;
    }

    public double grad() {
        return grad;
    }

    /** Overwrites the value, e.g. for an optimizer step; nodes already computed from it are not updated. */
    public void setData(double data) {
        this.data = data;
    }

    public void zeroGrad() {
        grad = 0.0;
    }

    /**
     * The op that made this node, named in micrograd's style: "+", "-", "*", "/", "**k" (e.g. "**2", "**-1"),
     * "neg", "ReLU", "tanh", "exp", "log", or "" for a leaf. (micrograd itself builds "-" and "/" from "+", "*" and
     * "**"; here they are single nodes, which keeps graphs smaller.)
     */
    public String op() {
        return op == Op.POW ? "**" + formatExponent(b.data) : op.symbol;
    }

    /** The name given with {@link #label(String)}, or "" if none. */
    public String label() {
        return label == null ? "" : label;
    }

    /** Names this node (for {@link Dot}); returns this, so it can be chained. */
    public Value label(String label) {
        this.label = Objects.requireNonNull(label, "label");
        return this;
    }

    @Override
    public String toString() {
        return "Value(data=" + data + ", grad=" + grad + ")";
    }

    private static void requireOperand(Value other) {
        if (other == null) throw new NullPointerException("operand is null");
    }

    private static String formatExponent(double k) {
        // Integral exponents print as micrograd's ints do: "**2", not "**2.0".
        if (k == Math.rint(k) && Math.abs(k) < 1e15) return Long.toString((long) k);
        return Double.toString(k);
    }

    private enum Op {
        LEAF(""), ADD("+"), SUB("-"), MUL("*"), DIV("/"), POW("**"), NEG("neg"),
        RELU("ReLU"), TANH("tanh"), EXP("exp"), LOG("log");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }
}
