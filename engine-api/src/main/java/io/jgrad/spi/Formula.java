package io.jgrad.spi;

import java.util.IdentityHashMap;

/**
 * A derivative written as data, in the spirit of PyTorch's {@code derivatives.yaml}: an expression over the incoming
 * gradient {@link Leaf#GRAD}, the op's inputs {@link Leaf#X} and {@link Leaf#Y}, its output {@link Leaf#OUT} and its
 * constants a and b, built from the element-wise kernels themselves. Each {@link UnaryOp} and {@link BinaryOp} declares
 * its derivative this way, and everything else follows from the declaration: which tensors backward saves (the leaves
 * a formula reads), the backward rule (the autograd layer evaluates the formula with tensor ops), and the tests (a
 * float64 evaluation of the formula is checked against numerical derivatives of the op's reference math).
 *
 * <p>Formulas are read by {@link #eval}, which hands each node to an {@link Evaluator}: one evaluator computes with
 * tensors, another with doubles. A node shared by two branches is evaluated once.
 */
public sealed interface Formula permits Formula.Leaf, Formula.Apply, Formula.Combine, Formula.Where, Formula.ReluBackward,
        Formula.GeluBackward {

    /** The operands of a derivative. */
    enum Leaf implements Formula {
        /** The gradient flowing into the op's output. */
        GRAD,
        /** The (first) input. */
        X,
        /** The second input of a binary op. */
        Y,
        /** The op's output. */
        OUT,
        /** Zeros shaped like the gradient: the derivative of a piecewise-constant op. */
        ZERO
    }

    /** A constant computed from the op's parameters a and b (for binary ops both are 0). */
    @FunctionalInterface
    interface Param {
        double of(double a, double b);
    }

    /** A test on the op's parameters, decided once per evaluation. */
    @FunctionalInterface
    interface Condition {
        boolean test(double a, double b);
    }

    /** {@code op(x)} with constants computed from the outer op's parameters. */
    record Apply(UnaryOp op, Formula x, Param a, Param b) implements Formula {
    }

    /** {@code op(x, y)}; comparisons give 1 or 0. */
    record Combine(BinaryOp op, Formula x, Formula y) implements Formula {
    }

    /**
     * Element-wise {@code condition != 0 ? then : otherwise}, where the condition is a formula (a comparison), or, when
     * {@code paramTest} is set, a test of the parameters that picks one branch for the whole tensor.
     */
    record Where(Formula condition, Condition paramTest, Formula then, Formula otherwise) implements Formula {
    }

    /** The gradient through a ReLU from its output: {@code output <= 0 ? 0 : grad} (NaN passes), one fused kernel. */
    record ReluBackward(Formula grad, Formula output) implements Formula {
    }

    /**
     * The gradient through GELU ({@code gelu} is GELU or GELU_TANH) from its input: {@code grad * gelu'(x)}, one fused
     * kernel where the backend has one.
     */
    record GeluBackward(UnaryOp gelu, Formula grad, Formula x) implements Formula {
    }

    /** What a formula's nodes mean to one kind of value. */
    interface Evaluator<T> {
        T leaf(Leaf leaf);

        T unary(UnaryOp op, T x, double a, double b);

        T binary(BinaryOp op, T x, T y);

        T where(T condition, T then, T otherwise);

        T reluBackward(T grad, T output);

        /** grad * gelu'(x); by default the declared derivative times the gradient, two kernels. */
        default T geluBackward(UnaryOp gelu, T grad, T x) {
            UnaryOp derivative = gelu == UnaryOp.GELU_TANH ? UnaryOp.GELU_TANH_GRAD : UnaryOp.GELU_GRAD;
            return binary(BinaryOp.MUL, grad, unary(derivative, x, 0, 0));
        }
    }

    /** Evaluates this formula for an op called with parameters a and b; a node shared by two branches runs once. */
    default <T> T eval(Evaluator<T> e, double a, double b) {
        return eval(e, a, b, hasSharedNodes());
    }

    /** {@link #eval}, told whether the formula has shared nodes (which a declaration knows once and for all). */
    default <T> T eval(Evaluator<T> e, double a, double b, boolean sharedNodes) {
        return Evaluation.run(this, e, a, b, sharedNodes ? new IdentityHashMap<>() : null);
    }

    /**
     * Whether some node is reachable along two paths (then {@link #eval} remembers results). Most derivatives are trees,
     * and their evaluation allocates nothing for the memo. Declarations compute it once.
     */
    default boolean hasSharedNodes() {
        return Evaluation.shares(this, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /** Whether evaluating this formula reads the given leaf (what backward must save). */
    default boolean reads(Leaf leaf) {
        if (this == leaf) return true;
        if (this instanceof Apply f) return f.x.reads(leaf);
        if (this instanceof Combine f) return f.x.reads(leaf) || f.y.reads(leaf);
        if (this instanceof ReluBackward f) return f.grad.reads(leaf) || f.output.reads(leaf);
        if (this instanceof GeluBackward f) return f.grad.reads(leaf) || f.x.reads(leaf);
        if (this instanceof Where f) {
            return f.condition != null && f.condition.reads(leaf) || f.then.reads(leaf) || f.otherwise.reads(leaf);
        }
        return false;
    }

    // ---------------------------------------------------------------- building formulas

    /** The parameter a, and b, of the op being differentiated. */
    Param A = (a, b) -> a;
    Param B = (a, b) -> b;

    default Formula apply(UnaryOp op) {
        return new Apply(op, this, A, B);
    }

    default Formula apply(UnaryOp op, Param a, Param b) {
        return new Apply(op, this, a, b);
    }

    default Formula mul(Formula y) {
        return new Combine(BinaryOp.MUL, this, y);
    }

    default Formula div(Formula y) {
        return new Combine(BinaryOp.DIV, this, y);
    }

    default Formula add(Formula y) {
        return new Combine(BinaryOp.ADD, this, y);
    }

    default Formula pow(Formula y) {
        return new Combine(BinaryOp.POW, this, y);
    }

    /** this * c for a constant c. */
    default Formula mul(double c) {
        return affine((a, b) -> c, (a, b) -> 0);
    }

    /** this * p(a, b). */
    default Formula mul(Param p) {
        return affine(p, (a, b) -> 0);
    }

    /** scale * this + shift. */
    default Formula affine(Param scale, Param shift) {
        return new Apply(UnaryOp.AFFINE, this, scale, shift);
    }

    /** scale * this + shift for constants. */
    default Formula affine(double scale, double shift) {
        return affine((a, b) -> scale, (a, b) -> shift);
    }

    /** c - this. */
    default Formula rsub(double c) {
        return affine(-1, c);
    }

    default Formula neg() {
        return new Apply(UnaryOp.NEG, this, A, B);
    }

    default Formula square() {
        return new Apply(UnaryOp.SQUARE, this, A, B);
    }

    /** this == y, this &gt; y, ... as 1 or 0. */
    default Formula compare(BinaryOp comparison, Formula y) {
        if (!comparison.isComparison()) throw new IllegalArgumentException(comparison + " is not a comparison");
        return new Combine(comparison, this, y);
    }

    /** condition != 0 ? then : otherwise, element by element. */
    static Formula where(Formula condition, Formula then, Formula otherwise) {
        return new Where(condition, null, then, otherwise);
    }

    /** test(a, b) ? then : otherwise, for the whole tensor. */
    static Formula when(Condition test, Formula then, Formula otherwise) {
        return new Where(null, test, then, otherwise);
    }

    static Formula reluBackward(Formula grad, Formula output) {
        return new ReluBackward(grad, output);
    }

    static Formula geluBackward(UnaryOp gelu, Formula grad, Formula x) {
        return new GeluBackward(gelu, grad, x);
    }

    /** The interpreter behind {@link #eval}. */
    final class Evaluation {
        private Evaluation() {
        }

        /** Whether a node below f (leaves aside) is met twice. */
        static boolean shares(Formula f, java.util.Set<Formula> seen) {
            if (f instanceof Leaf) return false;
            if (!seen.add(f)) return true;
            if (f instanceof Apply n) return shares(n.x, seen);
            if (f instanceof Combine n) return shares(n.x, seen) || shares(n.y, seen);
            if (f instanceof ReluBackward n) return shares(n.grad, seen) || shares(n.output, seen);
            if (f instanceof GeluBackward n) return shares(n.grad, seen) || shares(n.x, seen);
            Where n = (Where) f;
            return n.condition != null && shares(n.condition, seen) || shares(n.then, seen) || shares(n.otherwise, seen);
        }

        /** Evaluates f; {@code done} memoises non-leaf results, or is null for a tree. */
        @SuppressWarnings("unchecked")
        static <T> T run(Formula f, Evaluator<T> e, double a, double b, IdentityHashMap<Formula, Object> done) {
            if (f instanceof Leaf leaf) return e.leaf(leaf);
            Object memo = done == null ? null : done.get(f);
            if (memo != null) return (T) memo;
            T value;
            if (f instanceof Apply n) {
                value = e.unary(n.op, run(n.x, e, a, b, done), n.a.of(a, b), n.b.of(a, b));
            } else if (f instanceof Combine n) {
                value = e.binary(n.op, run(n.x, e, a, b, done), run(n.y, e, a, b, done));
            } else if (f instanceof ReluBackward n) {
                value = e.reluBackward(run(n.grad, e, a, b, done), run(n.output, e, a, b, done));
            } else if (f instanceof GeluBackward n) {
                value = e.geluBackward(n.gelu, run(n.grad, e, a, b, done), run(n.x, e, a, b, done));
            } else {
                Where n = (Where) f;
                if (n.paramTest != null) {
                    value = run(n.paramTest.test(a, b) ? n.then : n.otherwise, e, a, b, done);
                } else {
                    value = e.where(run(n.condition, e, a, b, done), run(n.then, e, a, b, done), run(n.otherwise, e, a, b, done));
                }
            }
            if (done != null) done.put(f, value);
            return value;
        }
    }
}
