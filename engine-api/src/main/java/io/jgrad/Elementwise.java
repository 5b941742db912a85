package io.jgrad;

import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import io.jgrad.spi.Views;
import java.util.Arrays;

/**
 * Element-wise ops: unary (with constant parameters), binary with NumPy broadcasting, and where.
 * Each op's derivative sits in the switch of its backward rule; the gradient of a broadcast input is summed back to
 * the input's shape by {@link Autograd}.
 */
final class Elementwise {
    private Elementwise() {
    }

    // ---------------------------------------------------------------- unary

    static Tensor unary(UnaryOp op, Tensor x, double a, double b) {
        return unary(op, UNARY_NODE[op.ordinal()], x, a, b);
    }

    /**
     * Runs a unary kernel; {@code node} names the graph node (so x.mul(2) shows as MulBackward, not as the affine
     * kernel that computes it). Only the tensors the derivative reads are saved for backward.
     */
    static Tensor unary(UnaryOp op, String node, Tensor x, double a, double b) {
        View xv = x.view();
        if (!x.dtype().isFloating()) {
            // Named after the user's call: "mul", not the affine kernel behind x.mul(2).
            String userOp = Character.toLowerCase(node.charAt(0)) + node.substring(1, node.length() - "Backward".length());
            throw new IllegalArgumentException(userOp + ": expects a floating tensor, got " + x.dtype() + " of shape " + x.shape());
        }
        Tensor out = Tensor.emptyLike(x);
        x.backend().unary(op, out.view(), xv, a, b);
        if (Autograd.needed(x)) {
            Tensor[] saved;
            switch (SAVES[op.ordinal()]) {
                case SAVES_INPUT: saved = new Tensor[]{x, null}; break;
                case SAVES_OUTPUT: saved = new Tensor[]{null, out}; break;
                default: saved = null;
            }
            Autograd.record(node, out, new Tensor[]{x}, saved,
                    (g, s, need) -> new Tensor[]{unaryGrad(op, g, s == null ? null : s[0], s == null ? null : s[1], a, b)});
        }
        return out;
    }

    private static final int SAVES_NOTHING = 0, SAVES_INPUT = 1, SAVES_OUTPUT = 2;
    /** What each op's derivative reads: nothing, its input x, or its output. */
    private static final int[] SAVES = new int[UnaryOp.values().length];
    /** The node name of each unary op ("ExpBackward"), built once. */
    private static final String[] UNARY_NODE = new String[UnaryOp.values().length];

    static {
        for (UnaryOp op : UnaryOp.values()) {
            String camel;
            switch (op) {
                case AFFINE: camel = "Affine"; break;
                case RDIV: camel = "Rdiv"; break;
                case LEAKY_RELU: camel = "LeakyRelu"; break;
                case GELU_GRAD: camel = "GeluGrad"; break;
                default: {
                    String n = op.name().toLowerCase(java.util.Locale.ROOT);
                    camel = Character.toUpperCase(n.charAt(0)) + n.substring(1);
                }
            }
            UNARY_NODE[op.ordinal()] = camel + "Backward";
            switch (op) {
                case NEG: case AFFINE: case SIGN: case STEP: case GELU_GRAD:
                    SAVES[op.ordinal()] = SAVES_NOTHING;
                    break;
                case EXP: case SQRT: case RSQRT: case RECIPROCAL: case TANH: case SIGMOID:
                    SAVES[op.ordinal()] = SAVES_OUTPUT;
                    break;
                default:
                    SAVES[op.ordinal()] = SAVES_INPUT;
            }
        }
    }

    /** d op(x) / dx times g. */
    private static Tensor unaryGrad(UnaryOp op, Tensor g, Tensor x, Tensor out, double a, double b) {
        switch (op) {
            case NEG: return g.neg();
            case EXP: return g.mul(out);
            case LOG: return g.div(x);
            case SQRT: return g.div(out).mul(0.5);
            case RSQRT: return g.mul(out.pow(3)).mul(-0.5);
            case SQUARE: return g.mul(x).mul(2);
            case RECIPROCAL: return g.mul(out.square()).neg();
            case TANH: return g.mul(out.square().rsub(1));
            case SIGMOID: return g.mul(out.mul(out.rsub(1)));
            case RELU: return g.mul(unary(UnaryOp.STEP, x, 0, 0));
            case LEAKY_RELU: return g.mul(unary(UnaryOp.AFFINE, unary(UnaryOp.STEP, x, 0, 0), 1 - a, a));
            case GELU: return g.mul(unary(UnaryOp.GELU_GRAD, x, 0, 0));
            case ABS: return g.mul(x.sign());
            case SIN: return g.mul(x.cos());
            case COS: return g.mul(x.sin()).neg();
            case POW: return a == 0 ? Tensor.zerosLike(g) : g.mul(x.pow(a - 1)).mul(a); // x^0 is constant, even at x = 0
            case CLAMP: {
                // The gradient passes where min <= x <= max: 1 - [x > max] - [x < min].
                Tensor above = unary(UnaryOp.STEP, unary(UnaryOp.AFFINE, x, 1, -b), 0, 0);
                Tensor below = unary(UnaryOp.STEP, unary(UnaryOp.AFFINE, x, -1, a), 0, 0);
                return g.mul(above.add(below).rsub(1));
            }
            case AFFINE: return g.mul(a);
            case RDIV: return g.mul(x.square().rdiv(-a));
            case SIGN:
            case STEP:
            case GELU_GRAD:
                return Tensor.zerosLike(g); // piecewise constant (GELU_GRAD is only used inside backward)
            default: throw new UnsupportedOperationException("no derivative for " + op);
        }
    }


    // ---------------------------------------------------------------- binary

    static Tensor binary(BinaryOp op, Tensor x, Tensor y) {
        String opName = BINARY_OP[op.ordinal()];
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
        if (differentiable(op) && Autograd.needed(x, y)) {
            Tensor[] saved;
            switch (op) {
                case ADD:
                case SUB:
                    saved = null;
                    break;
                case MUL:
                case MAX:
                case MIN:
                    saved = new Tensor[]{x, y};
                    break;
                case DIV:
                    // d/dx = 1/y and d/dy = -out/y: x itself is not needed.
                    saved = new Tensor[]{null, y, out};
                    break;
                default:
                    saved = new Tensor[]{x, y, out};
            }
            Autograd.record(BINARY_NODE[op.ordinal()], out, new Tensor[]{x, y}, saved, (g, s, need) -> binaryGrad(op, g, s, need));
        }
        return out;
    }

    /** v broadcast to shape, or v itself when it already has that shape (the common case; saves an allocation). */
    private static View broadcast(View v, int[] shape) {
        return Arrays.equals(v.shape, shape) ? v : Views.broadcast(v, shape);
    }

    private static Tensor[] binaryGrad(BinaryOp op, Tensor g, Tensor[] s, Tensor[] need) {
        boolean nx = need[0] != null;
        boolean ny = need[1] != null;
        switch (op) {
            case ADD: return new Tensor[]{g, g};
            case SUB: return new Tensor[]{g, ny ? g.neg() : null};
            case MUL: return new Tensor[]{nx ? g.mul(s[1]) : null, ny ? g.mul(s[0]) : null};
            case DIV: return new Tensor[]{nx ? g.div(s[1]) : null, ny ? g.mul(s[2]).div(s[1]).neg() : null};
            case POW: {
                Tensor x = s[0], y = s[1], out = s[2];
                return new Tensor[]{nx ? g.mul(y).mul(x.pow(y.sub(1))) : null, ny ? g.mul(out).mul(x.log()) : null};
            }
            case MAX:
            case MIN: {
                // Ties split the gradient evenly, as PyTorch does.
                Tensor x = s[0], y = s[1];
                Tensor wins = op == BinaryOp.MAX ? x.gt(y) : x.lt(y);
                Tensor share = wins.add(x.eq(y).mul(0.5));
                return new Tensor[]{nx ? g.mul(share) : null, ny ? g.mul(share.rsub(1)) : null};
            }
            default: throw new UnsupportedOperationException("no derivative for " + op);
        }
    }

    /** User-facing names ("maximum") and node names ("MaximumBackward") of the binary ops, built once. */
    private static final String[] BINARY_OP = new String[BinaryOp.values().length];
    private static final String[] BINARY_NODE = new String[BinaryOp.values().length];

    static {
        for (BinaryOp op : BinaryOp.values()) {
            String n;
            switch (op) {
                case MAX: n = "maximum"; break;
                case MIN: n = "minimum"; break;
                default: n = op.name().toLowerCase(java.util.Locale.ROOT);
            }
            BINARY_OP[op.ordinal()] = n;
            BINARY_NODE[op.ordinal()] = Character.toUpperCase(n.charAt(0)) + n.substring(1) + "Backward";
        }
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
            Autograd.record("WhereBackward", out, new Tensor[]{x, y}, new Tensor[]{cond}, (g, s, need) -> {
                Tensor zero = constant(g, 0);
                return new Tensor[]{need[0] != null ? where(s[0], g, zero) : null, need[1] != null ? where(s[0], zero, g) : null};
            });
        }
        return out;
    }

    // ---------------------------------------------------------------- shared checks

    static void sameDevice(String op, Tensor a, Tensor b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": expected all tensors on the same device, but found " + a.device()
                    + " (shape " + a.shape() + ") and " + b.device() + " (shape " + b.shape() + ")");
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
     * The dtype op computes in: the operands' promoted dtype ({@link Promotion}), except that true division of
     * integers or bools computes in float32. Fails, naming the op, where the kernel does not
     * take that dtype.
     */
    private static DType computeType(BinaryOp op, String opName, Tensor x, Tensor y) {
        if (op == BinaryOp.SUB && (x.dtype() == DType.BOOL || y.dtype() == DType.BOOL)) {
            throw new IllegalArgumentException("sub: subtracting a bool tensor is not supported (operands " + x.dtype() + x.shape()
                    + " and " + y.dtype() + y.shape() + "); use logicalXor or logicalNot, or convert with to(DType)");
        }
        DType common = Promotion.resultType(x, y);
        if (op == BinaryOp.DIV && !common.isFloating()) common = DType.FLOAT32;
        if (!op.supports(common)) {
            String hint = common == DType.BOOL ? "; use logicalAnd/logicalOr or convert with to(DType)"
                    : "; convert to a floating dtype with to(DType)";
            throw new IllegalArgumentException(opName + ": not supported for " + common + " (operands " + x.dtype() + x.shape()
                    + " and " + y.dtype() + y.shape() + ")" + hint);
        }
        return common;
    }

    /** Whether binary() records a backward node: comparisons, logical ops and floor division are not differentiable. */
    private static boolean differentiable(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, POW, MAX, MIN -> true;
            case EQ, NE, LT, LE, GT, GE, FLOOR_DIVIDE, REMAINDER, LOGICAL_AND, LOGICAL_OR -> false;
        };
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

    /** torch.remainder, with d/dx = 1 and d/dy = -floor(x / y) for floating operands. */
    static Tensor remainder(Tensor x, Tensor y) {
        DType common = Promotion.resultType(x, y);
        Tensor xc = x.to(common), yc = y.to(common);
        Tensor out = binary(BinaryOp.REMAINDER, xc, yc);
        if (Autograd.needed(xc, yc)) {
            Autograd.record("RemainderBackward", out, new Tensor[]{xc, yc}, new Tensor[]{xc, yc}, (g, s, need) -> new Tensor[]{
                    need[0] != null ? g : null,
                    need[1] != null ? g.mul(binary(BinaryOp.FLOOR_DIVIDE, s[0], s[1])).neg() : null});
        }
        return out;
    }
}
