package io.jgrad;

import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Formula;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import io.jgrad.spi.Views;
import java.util.Arrays;

/**
 * Element-wise ops: unary (with constant parameters), binary with NumPy broadcasting, and where. Each op is declared
 * once, in {@link UnaryOp} or {@link BinaryOp}: this file runs its kernel, saves what its derivative formula reads,
 * and evaluates that formula with tensor ops in backward. The gradient of a broadcast input is summed back to the
 * input's shape by {@link Autograd}.
 */
final class Elementwise {
    private Elementwise() {
    }

    // ---------------------------------------------------------------- unary

    static Tensor unary(UnaryOp op, Tensor x, double a, double b) {
        return unary(op, op.nodeName(), x, a, b);
    }

    /**
     * Runs a unary kernel; {@code node} names the graph node (so x.mul(2) shows as MulBackward, not as the affine
     * kernel that computes it). Backward evaluates the op's declared derivative, saving only the tensors it reads.
     */
    static Tensor unary(UnaryOp op, String node, Tensor x, double a, double b) {
        if (Autocast.active() && AutocastOp.of(op) != null) return Autocast.call(AutocastOp.of(op), in -> unary(op, node, in[0], a, b), x);
        View xv = x.view();
        if (!x.dtype().isFloating()) {
            // Named after the user's call: "mul", not the affine kernel behind x.mul(2).
            String userOp = Character.toLowerCase(node.charAt(0)) + node.substring(1, node.length() - "Backward".length());
            throw new IllegalArgumentException(userOp + ": expects a floating tensor, got " + x.dtype() + " of shape " + x.shape()
                    + " on " + x.device());
        }
        Tensor out = Tensor.emptyLike(x);
        x.backend().unary(op, out.view(), xv, a, b);
        if (Autograd.needed(x)) {
            Formula derivative = op.derivative();
            boolean shared = op.derivativeSharesNodes();
            Saved sx = op.savesInput() ? Saved.of(x) : null;
            Saved sOut = op.savesOutput() ? Saved.of(out) : null;
            Autograd.record(node, out, new Tensor[]{x},
                    (g, needs) -> new Tensor[]{derivative.eval(new Backward(g, sx, null, sOut), a, b, shared)},
                    saved(sx, null, sOut));
        }
        return out;
    }

    // ---------------------------------------------------------------- binary

    static Tensor binary(BinaryOp op, Tensor x, Tensor y) {
        if (Autocast.active() && AutocastOp.of(op) != null) return Autocast.call(AutocastOp.of(op), in -> binary(op, in[0], in[1]), x, y);
        String opName = op.pyName();
        x.view(); // fail on closed tensors before anything else
        y.view();
        sameDevice(opName, x, y);
        DType compute = computeType(op, opName, x, y);
        x = x.to(compute); // a no-op in the common case; otherwise a differentiable conversion
        y = y.to(compute);
        View xv = x.view();
        View yv = y.view();
        int[] shape = broadcastShapes(opName, x.shape, y.shape);
        DType outType = op.writesBool() ? DType.BOOL : compute;
        Tensor out = Tensor.empty(x.backend(), outType, shape);
        x.backend().binary(op, out.view(), broadcast(xv, shape), broadcast(yv, shape));
        if (op.isDifferentiable() && Autograd.needed(x, y)) {
            Formula dx = op.dx(), dy = op.dy();
            boolean shared = op.derivativesShareNodes();
            Saved sx = op.savesX() ? Saved.of(x) : null;
            Saved sy = op.savesY() ? Saved.of(y) : null;
            Saved sOut = op.savesOutput() ? Saved.of(out) : null;
            Autograd.record(op.nodeName(), out, new Tensor[]{x, y}, (g, needs) -> {
                Backward values = new Backward(g, sx, sy, sOut);
                return new Tensor[]{needs[0] ? dx.eval(values, 0, 0, shared) : null, needs[1] ? dy.eval(values, 0, 0, shared) : null};
            }, saved(sx, sy, sOut));
        }
        return out;
    }

    /** The saved tensors that are not null. */
    private static Saved[] saved(Saved a, Saved b, Saved c) {
        int n = (a != null ? 1 : 0) + (b != null ? 1 : 0) + (c != null ? 1 : 0);
        Saved[] out = new Saved[n];
        int i = 0;
        if (a != null) out[i++] = a;
        if (b != null) out[i++] = b;
        if (c != null) out[i] = c;
        return out;
    }

    /** v broadcast to shape, or v itself when it already has that shape (the common case; saves an allocation). */
    private static View broadcast(View v, int[] shape) {
        return Arrays.equals(v.shape, shape) ? v : Views.broadcast(v, shape);
    }

    /** Evaluates a declared derivative with tensors: the incoming gradient and what the node saved. */
    private record Backward(Tensor grad, Saved x, Saved y, Saved out) implements Formula.Evaluator<Tensor> {
        @Override
        public Tensor leaf(Formula.Leaf leaf) {
            return switch (leaf) {
                case GRAD -> grad;
                case X -> x.get();
                case Y -> y.get();
                case OUT -> out.get();
                case ZERO -> Tensor.zerosLike(grad);
            };
        }

        @Override
        public Tensor unary(UnaryOp op, Tensor v, double a, double b) {
            return Elementwise.unary(op, v, a, b);
        }

        @Override
        public Tensor binary(BinaryOp op, Tensor l, Tensor r) {
            return Elementwise.binary(op, l, r);
        }

        @Override
        public Tensor where(Tensor condition, Tensor then, Tensor otherwise) {
            return Elementwise.where(condition, then, otherwise);
        }

        @Override
        public Tensor reluBackward(Tensor g, Tensor output) {
            return Elementwise.reluBackward(g, output);
        }

        @Override
        public Tensor geluBackward(UnaryOp gelu, Tensor g, Tensor x) {
            return Elementwise.geluBackward(gelu, g, x);
        }
    }

    /** grad * gelu'(x) in one fused kernel (no graph: it runs only inside backward); gelu is GELU or GELU_TANH. */
    static Tensor geluBackward(UnaryOp gelu, Tensor grad, Tensor x) {
        View gv = grad.view();
        View xv = x.view();
        if (!grad.shape().equals(x.shape()) || grad.dtype() != x.dtype()) {
            throw new IllegalArgumentException("geluBackward: gradient " + grad.dtype() + grad.shape() + " does not match input "
                    + x.dtype() + x.shape());
        }
        sameDevice("geluBackward", grad, x);
        Tensor out = Tensor.emptyLike(x);
        x.backend().geluBackward(out.view(), null, gv, xv, null, gelu);
        return out;
    }

    /** grad where output &gt; 0 (or NaN), else 0: one fused kernel (no graph: it runs only inside backward). */
    static Tensor reluBackward(Tensor grad, Tensor output) {
        View gv = grad.view();
        View ov = output.view();
        if (!grad.shape().equals(output.shape()) || grad.dtype() != output.dtype()) {
            throw new IllegalArgumentException("reluBackward: gradient " + grad.dtype() + grad.shape() + " does not match output "
                    + output.dtype() + output.shape());
        }
        sameDevice("reluBackward", grad, output);
        Tensor out = Tensor.emptyLike(output);
        output.backend().reluBackward(out.view(), gv, ov);
        return out;
    }

    /** A rank-0 tensor holding s, with x's dtype and device, for comparisons against a number. */
    static Tensor constant(Tensor x, double s) {
        return Tensor.full(s, x.dtype(), x.device());
    }

    // ---------------------------------------------------------------- where

    static Tensor where(Tensor cond, Tensor x, Tensor y) {
        View cv = cond.view();
        x.view();
        y.view();
        sameDevice("where", cond, x);
        sameDevice("where", x, y);
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where: expected a bool condition, got " + cond.dtype() + cond.shape()
                    + " (compare, e.g. cond.ne(0), or convert with to(DType.BOOL))");
        }
        DType common = Promotion.resultType(x, y);
        x = x.to(common);
        y = y.to(common);
        View xv = x.view();
        View yv = y.view();
        int[] shape = broadcastShapes("where", broadcastShapes("where", cond.shape, x.shape), y.shape);
        Tensor out = Tensor.empty(x.backend(), x.dtype(), shape);
        x.backend().where(out.view(), broadcast(cv, shape), broadcast(xv, shape), broadcast(yv, shape));
        if (Autograd.needed(x, y)) {
            Saved sCond = Saved.of(cond);
            Autograd.record("WhereBackward", out, new Tensor[]{x, y}, (g, needs) -> {
                Tensor zero = constant(g, 0);
                Tensor c = sCond.get();
                return new Tensor[]{needs[0] ? where(c, g, zero) : null, needs[1] ? where(c, zero, g) : null};
            }, sCond);
        }
        return out;
    }

    // ---------------------------------------------------------------- shared checks

    static void sameDevice(String op, Tensor a, Tensor b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": expected all tensors on the same device, but found " + a.device()
                    + " (" + a.dtype() + ", shape " + a.shape() + ") and " + b.device() + " (" + b.dtype() + ", shape " + b.shape() + ")");
        }
    }

    /** NumPy broadcasting: align right; sizes must match or be 1. */
    static int[] broadcastShapes(String op, int[] a, int[] b) {
        if (Arrays.equals(a, b)) return a.clone();
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    // ---------------------------------------------------------------- dtypes: promotion, scalars, bool and integer ops

    /**
     * The dtype op computes in: the operands' promoted dtype ({@link Promotion}), except that true division and
     * atan2 of integers or bools compute in float32. Fails, naming the op, where the kernel does not
     * take that dtype.
     */
    private static DType computeType(BinaryOp op, String opName, Tensor x, Tensor y) {
        if (op == BinaryOp.SUB && (x.dtype() == DType.BOOL || y.dtype() == DType.BOOL)) {
            throw new IllegalArgumentException("sub: subtracting a bool tensor is not supported (operands " + x.dtype() + x.shape()
                    + " and " + y.dtype() + y.shape() + "); use logicalXor or logicalNot, or convert with to(DType)");
        }
        DType common = Promotion.resultType(x, y);
        if (op.floatsIntegers() && !common.isFloating()) common = DType.FLOAT32;
        if (!op.supports(common)) {
            String hint = common == DType.BOOL ? "; use logicalAnd/logicalOr or convert with to(DType)"
                    : "; convert to a floating dtype with to(DType)";
            throw new IllegalArgumentException(opName + ": not supported for " + common + " (operands " + x.dtype() + x.shape()
                    + " and " + y.dtype() + y.shape() + ")" + hint);
        }
        return common;
    }

    /**
     * A Java number as the rank-0 tensor it stands for next to x: of x's promoted dtype ({@link Promotion}: a double
     * does not promote a floating tensor, an integer tensor and a double give float32), on x's device.
     */
    static Tensor scalarTensor(Tensor x, double s) {
        return Tensor.full(s, Promotion.resultType(x, DType.FLOAT64), x.device());
    }

    static Tensor scalarTensor(Tensor x, long s) {
        DType t = Promotion.resultType(x, DType.INT64);
        if (t.isFloating()) return Tensor.full(s, t, x.device());
        Tensor c = Tensor.of(new long[]{s}, x.device()).reshape();
        return c.to(t); // exact for every long (full goes through a double)
    }

    static Tensor scalarTensor(Tensor x, boolean s) {
        return Tensor.full(s ? 1 : 0, Promotion.resultType(x, DType.BOOL), x.device());
    }

    /** x op s for a Java number s (x + 2.5, x.gt(0)), promoted as PyTorch promotes a Python number. */
    static Tensor scalar(BinaryOp op, Tensor x, double s) {
        return binary(op, x, scalarTensor(x, s));
    }

    static Tensor scalar(BinaryOp op, Tensor x, long s) {
        return binary(op, x, scalarTensor(x, s));
    }

    static Tensor scalar(BinaryOp op, Tensor x, boolean s) {
        return binary(op, x, scalarTensor(x, s));
    }

    /** x with value where mask is true (torch.masked_fill): x's dtype and shape; the gradient flows where mask is false. */
    static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        mask.view();
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("maskedFill: expected a bool mask, got " + mask.dtype() + mask.shape());
        }
        if (!Arrays.equals(broadcastShapes("maskedFill", x.shape, mask.shape), x.shape)) {
            throw new IllegalArgumentException("maskedFill: mask of shape " + mask.shape() + " does not broadcast to the input's shape "
                    + x.shape());
        }
        return where(mask, Tensor.full(value, x.dtype(), x.device()), x);
    }

    /** LOGICAL_AND, LOGICAL_OR, or NE for xor, on the operands' truth values (non-zero is true). */
    static Tensor logical(BinaryOp op, Tensor x, Tensor y) {
        if (op == BinaryOp.NE) return binary(op, x.to(DType.BOOL), y.to(DType.BOOL));
        return binary(op, x, y);
    }

    static Tensor logicalNot(Tensor x) {
        return binary(BinaryOp.EQ, x.to(DType.BOOL), Tensor.full(0, DType.BOOL, x.device()));
    }

    /** -x for an integer tensor (wrapping at the type's minimum, as in PyTorch); bool has no negation. */
    static Tensor negInteger(Tensor x) {
        if (x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("neg: not supported for bool tensors (shape " + x.shape() + "); use logicalNot");
        }
        return binary(BinaryOp.SUB, Tensor.full(0, x.dtype(), x.device()), x);
    }

    /** |x| for an integer tensor: max(x, -x), which keeps the type's minimum as PyTorch does. */
    static Tensor absInteger(Tensor x) {
        if (x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("abs: not supported for bool tensors (shape " + x.shape() + ")");
        }
        return binary(BinaryOp.MAX, x, negInteger(x));
    }

    /** torch.remainder: its derivative (d/dx = 1, d/dy = -floor(x / y)) is declared in {@link BinaryOp}. */
    static Tensor remainder(Tensor x, Tensor y) {
        return binary(BinaryOp.REMAINDER, x, y);
    }
}
