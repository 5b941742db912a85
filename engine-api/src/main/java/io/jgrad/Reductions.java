package io.jgrad;

import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.View;

/**
 * Reductions over one dimension or over all elements. Kernels always reduce one axis with the size kept as 1; a
 * result without keepDim is the same memory with that axis dropped. Gradients flow back by broadcasting (sum,
 * mean) or by scattering to the winning index (max, min).
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
        floating("mean", x);
        int axis = ViewOps.axis("mean", x, dim);
        int n = x.dim() == 0 ? 1 : x.shape[axis];
        return sum(x, dim, keepDim).mul(1.0 / n);
    }

    static Tensor meanAll(Tensor x) {
        floating("mean", x);
        if (x.numel() == 0) throw new IllegalArgumentException("mean: tensor of shape " + x.shape() + " has no elements");
        return sumAll(x).mul(1.0 / x.numel());
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

    private static Tensor flatForReduce(Tensor x) {
        return x.reshape(-1);
    }

    private static int[] ones(int n) {
        int[] s = new int[n];
        java.util.Arrays.fill(s, 1);
        return s;
    }
}
