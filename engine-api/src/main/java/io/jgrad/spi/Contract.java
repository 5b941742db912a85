package io.jgrad.spi;

import io.jgrad.DType;
import java.util.Arrays;

/**
 * The argument contract of {@link Backend}'s kernels that holds on every backend: dtypes, shapes, axes and index
 * ranks. Every backend calls these checks on entry to the kernel, so they are written once and fail alike
 * everywhere, with a message that names the op, the views' shapes and dtypes. What only a backend can check stays
 * in it: that a view's buffer is its own, open, and holds every element the view reaches; the dtypes its kernels
 * exist for; GEMM leading dimensions and bounds. The Tensor API checks user input before any of this, so these
 * checks guard the SPI against its callers' mistakes, not users'.
 */
public final class Contract {
    private Contract() {
    }

    /** out = op(in): one floating dtype, one shape. */
    public static void unary(UnaryOp op, View out, View in) {
        String name = "unary " + op;
        if (!out.dtype().isFloating() || in.dtype() != out.dtype()) {
            throw new IllegalArgumentException(name + ": needs one floating dtype, got out " + out.dtype() + " and in "
                    + in.dtype());
        }
        sameShape(name, out, "out", in, "in");
    }

    /**
     * out = x op y: x and y share a dtype, and so does out except for comparisons and logical ops (which write 1 or 0
     * in any dtype, bool at the API); one shape (broadcasting is the caller's); the operands' dtype is one the op
     * takes ({@link BinaryOp#supports}: DIV and POW are floating-point only).
     */
    public static void binary(BinaryOp op, View out, View x, View y) {
        String name = "binary " + op;
        DType dt = x.dtype();
        if (y.dtype() != dt || (!op.writesBool() && out.dtype() != dt)) {
            throw new IllegalArgumentException(name + ": dtypes differ: out " + out.dtype() + ", x " + dt + ", y "
                    + y.dtype() + (op.writesBool() ? " (x and y must match)" : ""));
        }
        if (!op.supports(dt)) {
            throw new IllegalArgumentException(name + ": " + dt + " operands are not supported (x " + x
                    + "; convert to a floating dtype first)");
        }
        sameShape(name, out, "out", x, "x");
        sameShape(name, out, "out", y, "y");
    }

    /** out = condition ? x : y: x and y of out's dtype, the condition of any dtype, one shape. */
    public static void where(View out, View condition, View x, View y) {
        if (x.dtype() != out.dtype() || y.dtype() != out.dtype()) {
            throw new IllegalArgumentException("where: x (" + x.dtype() + ") and y (" + y.dtype()
                    + ") must have out's dtype " + out.dtype());
        }
        sameShape("where", out, "out", condition, "condition");
        sameShape("where", out, "out", x, "x");
        sameShape("where", out, "out", y, "y");
    }

    /**
     * out = op over axis of in: the axis exists, out is in's shape with 1 at the axis, of in's dtype (int64 for
     * ARGMAX and ARGMIN), and only SUM reduces an empty axis (to 0).
     */
    public static void reduce(ReduceOp op, View out, View in, int axis) {
        String name = "reduce " + op;
        axis(name, in, axis);
        int[] expect = in.shape.clone();
        expect[axis] = 1;
        if (!Arrays.equals(expect, out.shape)) {
            throw new IllegalArgumentException(name + ": out has shape " + Arrays.toString(out.shape) + " but reducing axis "
                    + axis + " of " + Arrays.toString(in.shape) + " gives " + Arrays.toString(expect));
        }
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        if (in.dtype() == DType.INT32 || in.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(name + ": takes float32, float64 or int64 input, got " + in.dtype()
                    + " (the API widens int32 and bool to int64 first)");
        }
        DType want = arg ? DType.INT64 : in.dtype();
        if (out.dtype() != want) {
            throw new IllegalArgumentException(name + ": out must be " + want + " for input " + in.dtype() + ", got "
                    + out.dtype());
        }
        if (in.shape[axis] == 0 && op != ReduceOp.SUM) {
            throw new IllegalArgumentException(name + ": cannot reduce an empty axis " + axis + " of " + in);
        }
    }

    /**
     * C = alpha op(A) op(B) + beta C: one floating dtype, no negative size. (Whether batch items may share C, and
     * the operands' leading dimensions and reach, are the backend's to check.)
     */
    public static void gemm(Gemm g) {
        DType t = g.a().dtype();
        if (!t.isFloating() || g.b().dtype() != t || g.c().dtype() != t) {
            throw new IllegalArgumentException("gemm: A, B and C must share one floating dtype, got A " + g.a().dtype()
                    + ", B " + g.b().dtype() + ", C " + g.c().dtype());
        }
        if (g.batch() < 0 || g.m() < 0 || g.n() < 0 || g.k() < 0) {
            throw new IllegalArgumentException("gemm: negative size: batch " + g.batch() + ", m " + g.m() + ", n " + g.n()
                    + ", k " + g.k());
        }
    }

    /** out[i][j] = in[i][index[i][j]] along dim (torch.gather): out has index's shape and in's dtype. */
    public static void gather(View out, View in, int dim, View index) {
        sameShape("gather", out, "out", index, "index");
        indexing("gather", in, dim, index, true);
        if (in.dtype() != out.dtype()) {
            throw new IllegalArgumentException("gather: in is " + in.dtype() + " but out is " + out.dtype());
        }
    }

    /** out[index[i][j]] += src[i][j] along dim (torch.scatter_add_): src covers index, out fits it outside dim. */
    public static void scatterAdd(View out, int dim, View index, View src) {
        indexing("scatterAdd", out, dim, index, true);
        indexing("scatterAdd", src, dim, index, false);
        if (src.dtype() != out.dtype() || out.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("scatterAdd: src is " + src.dtype() + " and out is " + out.dtype()
                    + "; they must share one numeric dtype");
        }
    }

    /** out = in converted to out's dtype: one shape. */
    public static void copy(View out, View in) {
        sameShape("copy", out, "out", in, "in");
    }

    /** Softmax or log-softmax along an existing axis: one floating dtype, one shape. */
    public static void softmax(View out, View in, int axis, boolean log) {
        String name = log ? "logSoftmax" : "softmax";
        axis(name, in, axis);
        floating(name, out, in);
        sameShape(name, out, "out", in, "in");
    }

    /** losses [n] and logProbs [n, c] from logits [n, c] and int64 targets [n], one floating dtype. */
    public static void crossEntropyForward(View losses, View logProbs, View logits, View targets) {
        crossEntropy("crossEntropyForward", logits, logProbs, "logProbs", targets, losses, "losses");
    }

    /** gradLogits [n, c] from logProbs [n, c], int64 targets [n] and gradLosses [n], one floating dtype. */
    public static void crossEntropyBackward(View gradLogits, View logProbs, View targets, View gradLosses) {
        crossEntropy("crossEntropyBackward", logProbs, gradLogits, "gradLogits", targets, gradLosses, "gradLosses");
    }

    /** out = output &lt;= 0 ? 0 : grad: one floating dtype, one shape. */
    public static void reluBackward(View out, View grad, View output) {
        floating("reluBackward", out, grad);
        floating("reluBackward", out, output);
        sameShape("reluBackward", out, "out", grad, "grad");
        sameShape("reluBackward", out, "out", output, "output");
    }

    /** out = act(x + bias): one floating dtype, out of x's shape, bias a vector the size of x's last axis. */
    public static void biasActivation(View out, View x, View bias, UnaryOp act) {
        String name = "biasActivation " + (act == null ? "identity" : act);
        floating(name, out, x);
        sameShape(name, out, "out", x, "x");
        if (x.rank() == 0 || bias.rank() != 1 || bias.shape[0] != x.shape[x.rank() - 1] || bias.dtype() != x.dtype()) {
            throw new IllegalArgumentException(name + ": bias " + bias + " must be a " + x.dtype()
                    + " vector with the size of x's last axis, x is " + x);
        }
    }

    /** gradX, grad and y of one shape; gradBias, when wanted, a vector the size of their last axis, of gradX's dtype. */
    public static void biasActivationBackward(View gradX, View gradBias, View grad, View y) {
        String name = "biasActivationBackward";
        sameShape(name, gradX, "gradX", grad, "grad");
        sameShape(name, gradX, "gradX", y, "y");
        if (gradBias != null && (gradBias.rank() != 1 || gradX.rank() == 0
                || gradBias.shape[0] != gradX.shape[gradX.rank() - 1] || gradBias.dtype() != gradX.dtype())) {
            throw new IllegalArgumentException(name + ": gradBias " + gradBias + " does not match gradX " + gradX);
        }
    }

    /**
     * gradX = grad * act'(x + bias): act GELU or GELU_TANH; gradX, grad and x of one floating dtype and shape; bias and
     * gradBias, where given, vectors of that dtype the size of their last axis; gradBias only with gradX contiguous.
     */
    public static void geluBackward(View gradX, View gradBias, View grad, View x, View bias, UnaryOp act) {
        String name = "geluBackward " + act;
        if (act != UnaryOp.GELU && act != UnaryOp.GELU_TANH) {
            throw new IllegalArgumentException("geluBackward: act must be GELU or GELU_TANH, got " + act);
        }
        floating(name, gradX, grad);
        floating(name, gradX, x);
        sameShape(name, gradX, "gradX", grad, "grad");
        sameShape(name, gradX, "gradX", x, "x");
        for (View v : new View[]{bias, gradBias}) {
            if (v != null && (v.rank() != 1 || gradX.rank() == 0 || v.shape[0] != gradX.shape[gradX.rank() - 1]
                    || v.dtype() != gradX.dtype())) {
                throw new IllegalArgumentException(name + ": bias or gradBias " + v + " must be a " + gradX.dtype()
                        + " vector with the size of gradX's last axis, gradX is " + gradX);
            }
        }
        if (gradBias != null && !gradX.isContiguous()) {
            throw new IllegalArgumentException(name + ": gradBias needs a contiguous gradX, got " + gradX);
        }
    }

    /**
     * x is a floating [n, c] matrix or [n, c, s] tensor with n (and s) &gt; 0; each other operand is x's shape or a [c] vector, of x's dtype.
     * Null operands (gradients nobody needs) are skipped.
     */
    public static void batchNorm(String name, View x, View... others) {
        if (x.rank() < 2 || x.rank() > 3 || !x.dtype().isFloating() || x.shape[0] == 0 || (x.rank() == 3 && x.shape[2] == 0)) {
            throw new IllegalArgumentException(name + ": x must be a floating [n, c] matrix or [n, c, s] tensor with n > 0 (and s > 0), got " + x);
        }
        for (View v : others) {
            if (v == null) continue;
            boolean matrix = Arrays.equals(v.shape, x.shape), vector = v.rank() == 1 && v.shape[0] == x.shape[1];
            if (!(matrix || vector) || v.dtype() != x.dtype()) {
                throw new IllegalArgumentException(name + ": operand " + v + " does not fit x " + x);
            }
        }
    }

    /**
     * x is a floating [n, c] matrix with n, c &gt; 0; each other operand is x's shape, a [c] vector or an [n] vector (the
     * per-row statistics), of x's dtype. Null operands (no weight, gradients nobody needs) are skipped.
     */
    public static void layerNorm(String name, View x, View... others) {
        if (x.rank() != 2 || !x.dtype().isFloating() || x.shape[0] == 0 || x.shape[1] == 0) {
            throw new IllegalArgumentException(name + ": x must be a floating [n, c] matrix with n, c > 0, got " + x);
        }
        for (View v : others) {
            if (v == null) continue;
            boolean fits = Arrays.equals(v.shape, x.shape) || v.rank() == 1 && (v.shape[0] == x.shape[1] || v.shape[0] == x.shape[0]);
            if (!fits || v.dtype() != x.dtype()) {
                throw new IllegalArgumentException(name + ": operand " + v + " does not fit x " + x);
            }
        }
    }

    /** param, grad and both moments of one shape. */
    public static void adamUpdate(View param, View grad, View m, View v) {
        sameShape("adamUpdate", param, "param", grad, "grad");
        sameShape("adamUpdate", param, "param", m, "m");
        sameShape("adamUpdate", param, "param", v, "v");
    }

    /** param and grad of one shape, and a momentum buffer of that shape whenever momentum is not 0. */
    public static void sgdUpdate(View param, View grad, View momentumBuf, double momentum) {
        sameShape("sgdUpdate", param, "param", grad, "grad");
        if (momentumBuf != null) sameShape("sgdUpdate", param, "param", momentumBuf, "momentumBuf");
        if (momentum != 0 && momentumBuf == null) {
            throw new IllegalArgumentException("sgdUpdate: momentum " + momentum + " needs a momentum buffer");
        }
    }

    /** A floating gradient and a one-element float32 flag. */
    public static void unscaleAndCheck(View grad, View foundInf) {
        if (!grad.dtype().isFloating()) {
            throw new IllegalArgumentException("unscaleAndCheck: the gradient must be floating, got " + grad.dtype() + " " + grad);
        }
        if (foundInf.dtype() != DType.FLOAT32 || foundInf.numel() != 1) {
            throw new IllegalArgumentException("unscaleAndCheck: foundInf must be one float32 element, got " + foundInf.dtype() + " "
                    + foundInf);
        }
    }

    // ---- the pieces ----

    private static void sameShape(String op, View first, String firstRole, View other, String role) {
        if (!Arrays.equals(first.shape, other.shape)) {
            throw new IllegalArgumentException(op + ": shapes differ: " + role + " has shape " + Arrays.toString(other.shape)
                    + " but " + firstRole + " has " + Arrays.toString(first.shape) + " (broadcast inputs to " + firstRole
                    + "'s shape first)");
        }
    }

    private static void axis(String op, View v, int axis) {
        if (axis < 0 || axis >= v.rank()) throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for " + v);
    }

    private static void floating(String op, View out, View in) {
        if (!in.dtype().isFloating() || out.dtype() != in.dtype()) {
            throw new IllegalArgumentException(op + ": needs one floating dtype, got out " + out.dtype() + " and in "
                    + in.dtype());
        }
    }

    /** scores [n, c] and its same-shaped partner of one floating dtype, int64 targets [n], per-row values [n]. */
    private static void crossEntropy(String op, View scores, View partner, String partnerRole, View targets, View rows,
                                     String rowsRole) {
        int n = scores.rank() == 2 ? scores.shape[0] : -1;
        if (n < 0 || !Arrays.equals(scores.shape, partner.shape) || targets.rank() != 1 || targets.shape[0] != n
                || rows.rank() != 1 || rows.shape[0] != n || targets.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": expects scores [n, c], " + partnerRole + " [n, c], int64 targets [n]"
                    + " and " + rowsRole + " [n]; got " + scores + ", " + partner + ", " + targets + ", " + rows);
        }
        if (!scores.dtype().isFloating() || partner.dtype() != scores.dtype() || rows.dtype() != scores.dtype()) {
            throw new IllegalArgumentException(op + ": scores, " + partnerRole + " and " + rowsRole
                    + " must share one floating dtype, got " + scores.dtype() + ", " + partner.dtype() + ", " + rows.dtype());
        }
    }

    /**
     * For gather (data = in) and scatterAdd (data = out, then src): index is int64 of data's rank, dim is in range,
     * and along every other axis index is no longer than data (src, which is read at index's positions, must cover
     * index along every axis).
     */
    private static void indexing(String op, View data, int dim, View index, boolean dimMayDiffer) {
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be int64, got " + index.dtype());
        }
        if (index.rank() != data.rank() || dim < 0 || dim >= data.rank()) {
            throw new IllegalArgumentException(op + ": dim " + dim + ", index " + Arrays.toString(index.shape)
                    + " and data " + Arrays.toString(data.shape) + " must have one rank with dim inside it");
        }
        for (int d = 0; d < data.rank(); d++) {
            if ((d != dim || !dimMayDiffer) && index.shape[d] > data.shape[d]) {
                throw new IllegalArgumentException(op + ": index " + Arrays.toString(index.shape) + " exceeds "
                        + Arrays.toString(data.shape) + " along axis " + d);
            }
        }
    }

    // ---- reductions, scans and sorting ----

    /** out = scan op of in along axis: the axis exists, one shape, one dtype (float32, float64, int64; LOGSUMEXP floating). */
    public static void scan(ScanOp op, View out, View in, int axis) {
        String name = "scan " + op;
        axis(name, in, axis);
        sameShape(name, out, "out", in, "in");
        DType dt = in.dtype();
        boolean ok = op == ScanOp.LOGSUMEXP ? dt.isFloating() : dt.isFloating() || dt == DType.INT64;
        if (!ok || out.dtype() != dt) {
            throw new IllegalArgumentException(name + ": takes " + (op == ScanOp.LOGSUMEXP ? "float32 or float64" : "float32, float64 or int64")
                    + " with out of in's dtype, got out " + out.dtype() + " and in " + dt);
        }
    }

    /** values and int64 indices of in's shape, values of in's dtype (float32, float64 or int64), an existing axis. */
    public static void sort(View values, View indices, View in, int axis) {
        String name = "sort";
        axis(name, in, axis);
        sameShape(name, values, "values", in, "in");
        sameShape(name, indices, "indices", in, "in");
        DType dt = in.dtype();
        if (!(dt.isFloating() || dt == DType.INT64) || values.dtype() != dt || indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException(name + ": needs in of float32, float64 or int64, values of in's dtype and"
                    + " int64 indices, got in " + dt + ", values " + values.dtype() + ", indices " + indices.dtype());
        }
    }

    // ---- convolutions ----
    /**
     * A convolution kernel's views against its geometry: input (or its gradient) [n, c, h, w], weight (or its gradient)
     * [out, c / groups, kh, kw], output (or its gradient) [n, out, oh, ow], all contiguous and of one floating dtype;
     * a bias (or its gradient), where given, [out] and contiguous. Null views are skipped.
     */
    public static void conv(String op, ConvGeometry g, View input, View weight, View output, View bias) {
        g.check(op);
        DType dt = input != null ? input.dtype() : output.dtype();
        if (!dt.isFloating()) throw new IllegalArgumentException(op + ": needs a floating dtype, got " + dt);
        convView(op, "input", input, g.inputShape(), dt);
        convView(op, "weight", weight, g.weightShape(), dt);
        convView(op, "output", output, g.outputShape(), dt);
        convView(op, "bias", bias, new int[]{g.outChannels()}, dt);
    }

    private static void convView(String op, String what, View v, int[] shape, DType dt) {
        if (v == null) return;
        if (v.dtype() != dt) {
            throw new IllegalArgumentException(op + ": " + what + " is " + v.dtype() + ", the other operands " + dt);
        }
        if (!Arrays.equals(v.shape, shape)) {
            throw new IllegalArgumentException(op + ": " + what + " has shape " + Arrays.toString(v.shape) + " where "
                    + Arrays.toString(shape) + " is needed");
        }
        if (!v.isContiguous()) {
            throw new IllegalArgumentException(op + ": " + what + " must be contiguous, got " + v);
        }
    }

    // ---- pooling and resampling ----

    /**
     * 2-d pooling: in [n, c, inH, inW] and out [n, c, outH, outW] (contiguous) of one floating dtype, matching the
     * windows; indices int64 of out's shape (contiguous) for max pooling, null for average pooling.
     */
    public static void pool2d(View out, View indices, View in, Pool2d p) {
        poolShapes("pool2d", in, "in", out, "out", indices, p);
    }

    /** The gradient of pool2d: gradIn [n, c, inH, inW] and grad [n, c, outH, outW], both contiguous. */
    public static void pool2dBackward(View gradIn, View grad, View indices, Pool2d p) {
        if (!gradIn.isContiguous()) throw new IllegalArgumentException("pool2dBackward: gradIn must be contiguous, got " + gradIn);
        poolShapes("pool2dBackward", gradIn, "gradIn", grad, "grad", indices, p);
    }

    private static void poolShapes(String op, View in, String inRole, View out, String outRole, View indices, Pool2d p) {
        floating(op, out, in);
        if (in.rank() != 4 || out.rank() != 4 || in.shape[2] != p.inH() || in.shape[3] != p.inW()
                || out.shape[0] != in.shape[0] || out.shape[1] != in.shape[1] || out.shape[2] != p.outH() || out.shape[3] != p.outW()) {
            throw new IllegalArgumentException(op + ": " + inRole + " " + Arrays.toString(in.shape) + " and " + outRole + " "
                    + Arrays.toString(out.shape) + " do not match windows " + p.inH() + "x" + p.inW() + " -> " + p.outH() + "x" + p.outW());
        }
        if (!out.isContiguous()) throw new IllegalArgumentException(op + ": " + outRole + " must be contiguous, got " + out);
        if (p.max() != (indices != null)) {
            throw new IllegalArgumentException(op + ": max pooling needs indices, average pooling takes none");
        }
        if (indices != null && (indices.dtype() != DType.INT64 || !Arrays.equals(indices.shape, out.shape) || !indices.isContiguous())) {
            throw new IllegalArgumentException(op + ": indices must be contiguous int64 " + Arrays.toString(out.shape) + ", got " + indices);
        }
    }

    // ---- attention ----

    /**
     * Fused attention: q [b, l, e], k [b, s, e], v [b, s, ev], out [b, l, ev] and the row log-sum-exps lse [b, l],
     * all dense row-major and of one floating dtype; mask null or an additive [b, l, s] view (any strides) of it.
     * For the backward, dq, dk, dv (each may be null) have the shapes of q, k, v and dOut that of out.
     */
    public static void attention(String op, View out, View lse, View q, View k, View v, View mask) {
        DType dt = q.dtype();
        if (!dt.isFloating()) throw new IllegalArgumentException(op + ": needs a floating dtype, got q " + dt);
        if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3 || out.rank() != 3 || lse.rank() != 2) {
            throw new IllegalArgumentException(op + ": needs q [b, l, e], k [b, s, e], v [b, s, ev], out [b, l, ev] and lse [b, l], got q "
                    + Arrays.toString(q.shape) + ", k " + Arrays.toString(k.shape) + ", v " + Arrays.toString(v.shape)
                    + ", out " + Arrays.toString(out.shape) + ", lse " + Arrays.toString(lse.shape));
        }
        int b = q.shape[0], l = q.shape[1], e = q.shape[2], s = k.shape[1], ev = v.shape[2];
        if (!Arrays.equals(k.shape, new int[]{b, s, e}) || !Arrays.equals(v.shape, new int[]{b, s, ev})
                || !Arrays.equals(out.shape, new int[]{b, l, ev}) || !Arrays.equals(lse.shape, new int[]{b, l})
                || (mask != null && !Arrays.equals(mask.shape, new int[]{b, l, s}))) {
            throw new IllegalArgumentException(op + ": shapes do not fit: q " + Arrays.toString(q.shape) + ", k "
                    + Arrays.toString(k.shape) + ", v " + Arrays.toString(v.shape) + ", out " + Arrays.toString(out.shape)
                    + ", lse " + Arrays.toString(lse.shape) + (mask == null ? "" : ", mask " + Arrays.toString(mask.shape)));
        }
        for (View x : new View[]{out, lse, k, v, mask}) {
            if (x != null && x.dtype() != dt) {
                throw new IllegalArgumentException(op + ": all views must be " + dt + ", got " + x);
            }
        }
        for (View x : new View[]{out, lse, q, k, v}) {
            if (!x.isContiguous()) throw new IllegalArgumentException(op + ": q, k, v, out and lse must be dense row-major, got " + x);
        }
    }

    /** The backward's gradients (each may be null) have their inputs' shapes and dtype, dOut that of out; all dense. */
    public static void attentionGradients(View dq, View dk, View dv, View dOut, View q, View k, View v, View out) {
        View[][] pairs = {{dq, q}, {dk, k}, {dv, v}, {dOut, out}};
        String[] names = {"dq", "dk", "dv", "dOut"};
        for (int i = 0; i < pairs.length; i++) {
            View grad = pairs[i][0], of = pairs[i][1];
            if (grad == null) continue;
            if (!Arrays.equals(grad.shape, of.shape) || grad.dtype() != of.dtype() || !grad.isContiguous()) {
                throw new IllegalArgumentException("attentionBackward: " + names[i] + " must be a dense " + of.dtype()
                        + Arrays.toString(of.shape) + ", got " + grad);
            }
        }
    }
}
