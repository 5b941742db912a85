package io.jgrad;

import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.ScanOp;
import io.jgrad.spi.View;

/**
 * Reductions over one dimension, several at once, or all elements. Kernels always reduce one axis with the size kept
 * as 1; a result without keepDim is the same memory with that axis dropped, and a reduction over several dims
 * reduces them one after the other. Gradients flow back by broadcasting (sum, mean), by scattering to the winning
 * index (max, min along a dim) or by sharing among the elements equal to the result (amax, amin, max and min of
 * all elements). prod is the last element of a cumulative product ({@link Scans}).
 */
final class Reductions {
    private Reductions() {
    }

    /** mean and var need fractions; sum, max, min and the arg-reductions also take int64 (class labels, counts). */
    private static void floating(String op, Tensor x) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expects a floating tensor, got " + x.dtype() + " of shape " + x.shape());
        }
    }

    /** Runs one axis reduction; returns the result shaped with or without the reduced axis. */
    private static Tensor reduceAxis(ReduceOp op, Tensor x, int axis, boolean keepDim, DType outType) {
        View xv = x.view();
        int[] kept = x.shape.clone();
        kept[axis] = 1;
        Tensor out = Tensor.empty(x.backend(), outType, keepDim ? kept : ViewOps.dropAxis(x.shape, axis));
        x.backend().reduce(op, View.contiguous(out.storage.buffer, kept), xv, axis);
        return out;
    }

    /**
     * Reduction kernels take float32, float64 and int64; int32 and bool are widened to int64 first (sums of them are
     * int64, as in PyTorch; max and min convert back to the input's dtype).
     */
    private static boolean narrow(Tensor x) {
        return x.dtype() == DType.INT32 || x.dtype() == DType.BOOL;
    }

    static Tensor sum(Tensor x, int dim, boolean keepDim) {
        if (Autocast.active()) return Autocast.call(AutocastOp.SUM, in -> sum(in[0], dim, keepDim), x);
        if (narrow(x)) return sum(x.to(DType.INT64), dim, keepDim);
        int axis = ViewOps.axis("sum", x, dim);
        if (x.dim() == 0) return sum(x.reshape(1), 0, false); // a rank-0 tensor reduces to itself, as in PyTorch
        Tensor out = reduceAxis(ReduceOp.SUM, x, axis, keepDim, x.dtype());
        if (Autograd.needed(x)) {
            int[] inShape = x.shapeArray();
            int[] kept = inShape.clone();
            kept[axis] = 1;
            Autograd.record("SumBackward", out, new Tensor[]{x}, (g, needs) -> new Tensor[]{g.reshape(kept).expand(inShape)});
        }
        return out;
    }

    static Tensor sumAll(Tensor x) {
        if (Autocast.active()) return Autocast.call(AutocastOp.SUM, in -> sumAll(in[0]), x);
        x.view(); // fails on a closed tensor
        if (narrow(x)) return sumAll(x.to(DType.INT64));
        Tensor out = Tensor.empty(x.backend(), x.dtype(), new int[0]);
        View in = x.view();
        if (x.isContiguous()) {
            x.backend().reduce(ReduceOp.SUM, View.contiguous(out.storage.buffer, 1),
                    new View(in.buffer, in.offset, new int[]{(int) x.numel()}, new long[]{1}), 0);
        } else {
            // Gather the strided elements once, outside the graph, and free the copy right away.
            try (Tensor dense = Tensor.empty(x.backend(), x.dtype(), x.shapeArray())) {
                x.backend().copy(dense.view(), in);
                x.backend().reduce(ReduceOp.SUM, View.contiguous(out.storage.buffer, 1),
                        View.contiguous(dense.storage.buffer, (int) x.numel()), 0);
            }
        }
        if (Autograd.needed(x)) {
            int[] inShape = x.shapeArray();
            Autograd.record("SumBackward", out, new Tensor[]{x}, (g, needs) -> new Tensor[]{g.reshape(ones(inShape.length)).expand(inShape)});
        }
        return out;
    }

    static Tensor mean(Tensor x, int dim, boolean keepDim) {
        if (Autocast.active()) return Autocast.call(AutocastOp.MEAN, in -> mean(in[0], dim, keepDim), x);
        floating("mean", x);
        int axis = ViewOps.axis("mean", x, dim);
        int n = x.dim() == 0 ? 1 : x.shape[axis];
        return scaledAndClosed(sum(x, dim, keepDim), 1.0 / n);
    }

    static Tensor meanAll(Tensor x) {
        if (Autocast.active()) return Autocast.call(AutocastOp.MEAN, in -> meanAll(in[0]), x);
        floating("mean", x);
        if (x.numel() == 0) throw new IllegalArgumentException("mean: tensor of shape " + x.shape() + " has no elements");
        return scaledAndClosed(sumAll(x), 1.0 / x.numel());
    }

    /** s * c, closing the sum once read: a mean keeps no temporary alive, as PyTorch's single kernel does. */
    private static Tensor scaledAndClosed(Tensor s, double c) {
        Tensor out = s.mul(c);
        if (out != s) s.close(); // a node that saved it holds a reference of its own
        return out;
    }

    static Tensor extreme(ReduceOp op, Tensor x, int dim, boolean keepDim) {
        if (narrow(x)) return extreme(op, x.to(DType.INT64), dim, keepDim).to(x.dtype());
        String name = op == ReduceOp.MAX ? "max" : "min";
        int axis = ViewOps.axis(name, x, dim);
        if (x.dim() == 0) return extreme(op, x.reshape(1), 0, false);
        if (x.shape[axis] == 0) throw new IllegalArgumentException(name + ": dimension " + dim + " of shape " + x.shape() + " is empty");
        Tensor out = reduceAxis(op, x, axis, keepDim, x.dtype());
        if (Autograd.needed(x)) {
            // The gradient goes to the (first) winning element, so remember its index.
            Tensor idx;
            try (Grad.Mode ignored = Grad.disabled()) {
                idx = reduceAxis(op == ReduceOp.MAX ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, x, axis, true, DType.INT64);
            }
            int[] inShape = x.shapeArray();
            int[] kept = inShape.clone();
            kept[axis] = 1;
            Saved sIdx = Saved.of(idx);
            Autograd.record(op == ReduceOp.MAX ? "MaxBackward" : "MinBackward", out, new Tensor[]{x},
                    (g, needs) -> new Tensor[]{Indexing.scatterAddInto(Tensor.zeros(g.dtype(), g.device(), inShape), axis, sIdx.get(), g.reshape(kept))},
                    sIdx);
        }
        return out;
    }

    /**
     * max() or min() over all elements. Unlike max(dim), which returns an index and gives the gradient to that element,
     * the gradient is spread evenly over every element equal to the result (or over every NaN, when the result is
     * NaN), as PyTorch does.
     */
    static Tensor extremeAll(ReduceOp op, Tensor x) {
        if (x.numel() == 0) {
            throw new IllegalArgumentException((op == ReduceOp.MAX ? "max" : "min") + ": tensor of shape " + x.shape() + " has no elements");
        }
        Tensor out;
        try (Grad.Mode ignored = Grad.disabled()) {
            out = extreme(op, flatForReduce(x), 0, false);
        }
        if (Autograd.needed(x)) {
            Saved sx = Saved.of(x), sOut = Saved.of(out);
            Autograd.record(op == ReduceOp.MAX ? "MaxBackward" : "MinBackward", out, new Tensor[]{x}, (g, needs) -> {
                Tensor in = sx.get(), result = sOut.get();
                // winners: x == result, or x is NaN where the result is NaN
                Tensor hit = Elementwise.where(result.ne(result), in.ne(in), in.eq(result));
                Tensor share = hit.to(in.dtype());
                return new Tensor[]{share.mul(g.div(share.sum()))};
            }, sx, sOut);
        }
        return out;
    }

    static Tensor arg(ReduceOp op, Tensor x, int dim, boolean keepDim) {
        if (narrow(x)) return arg(op, x.to(DType.INT64), dim, keepDim);
        String name = op == ReduceOp.ARGMAX ? "argmax" : "argmin";
        int axis = ViewOps.axis(name, x, dim);
        if (x.dim() == 0) return arg(op, x.reshape(1), 0, false);
        if (x.shape[axis] == 0) throw new IllegalArgumentException(name + ": dimension " + dim + " of shape " + x.shape() + " is empty");
        return reduceAxis(op, x, axis, keepDim, DType.INT64);
    }

    static Tensor argAll(ReduceOp op, Tensor x) {
        if (x.numel() == 0) {
            throw new IllegalArgumentException((op == ReduceOp.ARGMAX ? "argmax" : "argmin") + ": tensor of shape " + x.shape() + " has no elements");
        }
        try (Grad.Mode ignored = Grad.disabled()) {
            return arg(op, flatForReduce(x), 0, false);
        }
    }

    /** Variance along dim (or of all elements when {@code all}), dividing by n - 1 when unbiased. */
    static Tensor var(Tensor x, int dim, boolean keepDim, boolean unbiased, boolean all) {
        floating("var", x);
        Tensor src = all || x.dim() == 0 ? flatForReduce(x) : x;
        int axis = all ? 0 : ViewOps.axis("var", x, dim);
        if (x.dim() == 0) axis = 0;
        int n = src.shape[axis];
        int denom = unbiased ? n - 1 : n;
        if (denom <= 0) throw new IllegalArgumentException("var: needs more than " + (unbiased ? 1 : 0) + " elements along the reduced dimension, got " + n);
        Tensor centered = src.sub(src.mean(axis, true));
        Tensor r = centered.square().sum(axis, keepDim && !all).mul(1.0 / denom);
        return x.dim() == 0 && !all ? r.reshape() : r;
    }

    // ---- over several dimensions at once (sum, mean, amax, amin, var, std), prod, norm, any, all, countNonzero ----

    /**
     * The axes that {@code dims} names, as a mask over x's axes; no dims (or null) means all of them, as in PyTorch.
     * Negative dims count from the end; a dim named twice is refused.
     */
    static boolean[] axes(String op, Tensor x, int[] dims) {
        int rank = Math.max(1, x.dim());
        boolean[] mask = new boolean[rank];
        if (dims == null || dims.length == 0) {
            java.util.Arrays.fill(mask, true);
            return mask;
        }
        for (int d : dims) {
            int a = ViewOps.axis(op, x, d);
            if (mask[a]) {
                throw new IllegalArgumentException(op + ": dimension " + d + " appears more than once in " + java.util.Arrays.toString(dims)
                        + " (shape " + x.shape() + ")");
            }
            mask[a] = true;
        }
        return mask;
    }

    /** The shape after reducing the masked axes: 1 there with keepDim, dropped without. */
    private static int[] reducedShape(Tensor x, boolean[] mask, boolean keepDim) {
        if (x.dim() == 0) return new int[0];
        int[] s = new int[x.dim()];
        int r = 0;
        for (int a = 0; a < x.dim(); a++) {
            if (!mask[a]) s[r++] = x.shape[a];
            else if (keepDim) s[r++] = 1;
        }
        return java.util.Arrays.copyOf(s, r);
    }

    /** How many elements each result element reduces. */
    private static long reducedCount(Tensor x, boolean[] mask) {
        long n = 1;
        for (int a = 0; a < x.dim(); a++) if (mask[a]) n *= x.shape[a];
        return n;
    }

    /** sum over the masked axes, one axis after the other (each records its own backward), keeping them as 1. */
    private static Tensor sumKept(Tensor x, boolean[] mask) {
        if (x.dim() == 0) return x.dtype() == DType.INT32 || x.dtype() == DType.BOOL ? x.to(DType.INT64) : sum(x, 0, false);
        Tensor r = x;
        for (int a = x.dim() - 1; a >= 0; a--) if (mask[a]) r = sum(r, a, true);
        return r == x ? sum(x, 0, true) : r; // at least one axis is always masked
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        if (Autocast.active()) return Autocast.call(AutocastOp.SUM, in -> sum(in[0], dims, keepDim), x);
        boolean[] mask = axes("sum", x, dims);
        return sumKept(x, mask).reshape(reducedShape(x, mask, keepDim));
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        if (Autocast.active()) return Autocast.call(AutocastOp.MEAN, in -> mean(in[0], dims, keepDim), x);
        floating("mean", x);
        boolean[] mask = axes("mean", x, dims);
        long n = reducedCount(x, mask);
        return sumKept(x, mask).reshape(reducedShape(x, mask, keepDim)).div((double) n); // 0 / 0 = NaN for nothing, as PyTorch
    }

    /**
     * amax / amin over several dims. The gradient is shared evenly among the elements equal to the result, as in
     * PyTorch (where the result is NaN no element equals it, and the gradient is NaN, as PyTorch's).
     */
    static Tensor amaxAmin(ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        String name = op == ReduceOp.MAX ? "amax" : "amin";
        boolean[] mask = axes(name, x, dims);
        for (int a = 0; a < x.dim(); a++) {
            if (mask[a] && x.shape[a] == 0) {
                throw new IllegalArgumentException(name + ": cannot reduce dimension " + a + " of shape " + x.shape()
                        + " (" + x.dtype() + "): it is empty");
            }
        }
        Tensor kept;
        try (Grad.Mode ignored = Grad.disabled()) {
            kept = x.dim() == 0 ? x.clone() : x;
            for (int a = x.dim() - 1; a >= 0; a--) if (mask[a]) kept = extreme(op, kept, a, true);
        }
        Tensor out = kept.reshape(reducedShape(x, mask, keepDim));
        if (Autograd.needed(x)) {
            out = out.detach(); // the node hangs on this result, not on the kept-shape tensor above
            Saved sx = Saved.of(x), sKept = Saved.of(kept);
            Autograd.record(op == ReduceOp.MAX ? "AmaxBackward" : "AminBackward", out, new Tensor[]{x}, (g, needs) -> {
                Tensor in = sx.get();
                Tensor hit = in.eq(sKept.get()).to(in.dtype());
                Tensor gk = g.reshape(sKept.get().shapeArray());
                return new Tensor[]{hit.mul(gk.div(sumKept(hit, mask)))};
            }, sx, sKept);
        }
        return out;
    }

    /**
     * Variance with a correction (PyTorch 2.x): the sum of squared deviations from the mean over the dims, divided by
     * max(0, n - correction); a divisor of 0 gives inf (or NaN for no deviation), as in PyTorch.
     */
    static Tensor varCorrected(String name, Tensor x, int[] dims, int correction, boolean keepDim) {
        floating(name, x);
        if (correction < 0) throw new IllegalArgumentException(name + ": correction must be >= 0, got " + correction);
        boolean[] mask = axes(name, x, dims);
        long n = reducedCount(x, mask);
        Tensor mean = sumKept(x, mask).div((double) n);
        Tensor squares = x.sub(mean).square();
        return sumKept(squares, mask).reshape(reducedShape(x, mask, keepDim)).div((double) Math.max(0, n - correction));
    }

    static Tensor std(Tensor x, int[] dims, int correction, boolean keepDim) {
        return varCorrected("std", x, dims, correction, keepDim).sqrt();
    }

    /**
     * The product along dim (int32 and bool multiply as int64, as in PyTorch): the last element of the cumulative
     * product. Its gradient is the product of the other elements, right when the row holds zeros: with none it is
     * out / x; with one zero, the product of the rest at the zero and 0 elsewhere; with more, 0 everywhere.
     */
    static Tensor prod(Tensor x, int dim, boolean keepDim) {
        if (Autocast.active()) return Autocast.call(AutocastOp.PROD, in -> prod(in[0], dim, keepDim), x);
        if (narrow(x)) return prod(x.to(DType.INT64), dim, keepDim);
        int axis = ViewOps.axis("prod", x, dim);
        if (x.dim() == 0) return prod(x.reshape(1), 0, false);
        int n = x.shape[axis];
        int[] kept = x.shapeArray();
        kept[axis] = 1;
        Tensor out;
        try (Grad.Mode ignored = Grad.disabled()) {
            if (n == 0) {
                out = Tensor.full(1, x.dtype(), x.device(), kept);
            } else {
                try (Tensor c = Scans.scan(ScanOp.PROD, x, axis)) {
                    out = c.narrow(axis, n - 1, 1).clone();
                }
            }
        }
        if (!keepDim) out = out.reshape(ViewOps.dropAxis(x.shape, axis));
        if (Autograd.needed(x) && n > 0) {
            Saved sx = Saved.of(x), sOut = Saved.of(out);
            Autograd.record("ProdBackward", out, new Tensor[]{x}, (g, needs) -> {
                Tensor in = sx.get(), result = sOut.get().reshape(kept);
                Tensor zero = in.eq(0.0);
                Tensor zeros = zero.sum(axis, true);
                Tensor others = prod(Elementwise.where(zero, Tensor.full(1, in.dtype(), in.device()), in), axis, true);
                Tensor noZero = result.div(Elementwise.where(zero, Tensor.full(1, in.dtype(), in.device()), in));
                Tensor grad = Elementwise.where(zeros.eq(0L), noZero,
                        Elementwise.where(zeros.eq(1L).logicalAnd(zero), others, Tensor.zeros(in.dtype(), in.device())));
                return new Tensor[]{grad.mul(g.reshape(kept))};
            }, sx, sOut);
        }
        return out;
    }

    static Tensor prodAll(Tensor x) {
        return prod(flatForReduce(x), 0, false);
    }

    /**
     * Vector norms over dims (all when none): p = 1 (sum of |x|), 2 (Euclidean; also "fro"), infinity (amax |x|)
     * and -infinity (amin |x|). At a zero norm the gradient is 0 (a subgradient), as in PyTorch.
     */
    static Tensor norm(Tensor x, double p, int[] dims, boolean keepDim) {
        if (Autocast.active()) return Autocast.call(AutocastOp.NORM, in -> norm(in[0], p, dims, keepDim), x);
        floating("norm", x);
        boolean[] mask = axes("norm", x, dims);
        if (p == 1) return sum(x.abs(), dims, keepDim);
        if (p == Double.POSITIVE_INFINITY) return amaxAmin(ReduceOp.MAX, x.abs(), dims, keepDim);
        if (p == Double.NEGATIVE_INFINITY) return amaxAmin(ReduceOp.MIN, x.abs(), dims, keepDim);
        if (p != 2) {
            throw new IllegalArgumentException("norm: p = " + p + " is not supported (use 1, 2, infinity, -infinity or \"fro\"); x has shape "
                    + x.shape() + " (" + x.dtype() + ")");
        }
        Tensor kept;
        try (Grad.Mode ignored = Grad.disabled()) {
            kept = sumKept(x.square(), mask).sqrt();
        }
        Tensor out = kept.reshape(reducedShape(x, mask, keepDim));
        if (Autograd.needed(x)) {
            out = out.detach();
            Saved sx = Saved.of(x), sKept = Saved.of(kept);
            Autograd.record("NormBackward", out, new Tensor[]{x}, (g, needs) -> {
                Tensor in = sx.get(), n = sKept.get();
                Tensor scaled = g.reshape(n.shapeArray()).div(n);
                return new Tensor[]{Elementwise.where(n.eq(0.0), Tensor.zeros(in.dtype(), in.device()), in.mul(scaled))};
            }, sx, sKept);
        }
        return out;
    }

    static Tensor norm(Tensor x, String p, int[] dims, boolean keepDim) {
        if (!"fro".equals(p)) {
            throw new IllegalArgumentException("norm: unknown norm \"" + p + "\" (expected \"fro\" or a number); x has shape "
                    + x.shape() + " (" + x.dtype() + ")");
        }
        return norm(x, 2, dims, keepDim);
    }

    /** x != 0 as bool (NaN counts as non-zero). */
    private static Tensor nonZero(Tensor x) {
        return switch (x.dtype()) {
            case BOOL -> x;
            case INT64, INT32 -> x.ne(0L);
            default -> x.ne(0.0);
        };
    }

    static Tensor countNonzero(Tensor x, int[] dims) {
        return sum(nonZero(x), dims, false);
    }

    static Tensor any(Tensor x, int dim, boolean keepDim, boolean all) {
        String name = all ? "all" : "any";
        int[] dims = {dim};
        boolean[] mask = axes(name, x, dims);
        Tensor count = sum(nonZero(x), dims, keepDim);
        return all ? count.eq(reducedCount(x, mask)) : count.ne(0L);
    }

    static Tensor anyAll(Tensor x, boolean all) {
        Tensor count = sum(nonZero(x), null, false);
        return all ? count.eq(x.numel()) : count.ne(0L);
    }

    private static Tensor flatForReduce(Tensor x) {
        return x.reshape(-1);
    }

    private static int[] ones(int n) {
        int[] s = new int[n];
        java.util.Arrays.fill(s, 1);
        return s;
    }
}
