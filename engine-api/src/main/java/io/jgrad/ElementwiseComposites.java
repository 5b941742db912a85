package io.jgrad;

import io.jgrad.spi.UnaryOp;

/**
 * The element-wise ops that are compositions rather than one declared kernel: the float tests (isnan, isinf,
 * isfinite: bool results, no gradient), nanToNum (three wheres, so the gradient flows where the input is kept) and
 * lerp (PyTorch's two-sided formula, whose gradients follow from the ops it is made of). Also the integer forms of
 * the rounding ops, which PyTorch defines as a copy.
 */
final class ElementwiseComposites {
    private ElementwiseComposites() {
    }

    /** A rounding op (floor, ceil, round, trunc): the kernel for floating tensors, a copy for integer ones. */
    static Tensor rounding(UnaryOp op, Tensor x) {
        x.view();
        if (x.dtype().isFloating()) return Elementwise.unary(op, x, 0, 0);
        if (x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(op.pyName() + ": not supported for bool tensors (shape " + x.shape() + " on "
                    + x.device() + "); convert with to(DType)");
        }
        return x.clone(); // integers are already whole, as in PyTorch
    }

    static Tensor isnan(Tensor x) {
        x.view();
        if (!x.dtype().isFloating()) return Tensor.zeros(DType.BOOL, x.device(), x.shapeArray());
        return x.ne(x); // NaN is the only value unequal to itself
    }

    static Tensor isinf(Tensor x) {
        x.view();
        if (!x.dtype().isFloating()) return Tensor.zeros(DType.BOOL, x.device(), x.shapeArray());
        return x.detach().abs().eq(Double.POSITIVE_INFINITY);
    }

    static Tensor isfinite(Tensor x) {
        x.view();
        if (!x.dtype().isFloating()) return Tensor.ones(DType.BOOL, x.device(), x.shapeArray());
        return x.detach().abs().lt(Double.POSITIVE_INFINITY); // false for inf and NaN
    }

    /** The largest finite value of a floating dtype: nanToNum's default for +inf. */
    static double largestFinite(DType t) {
        return switch (t) {
            case FLOAT16 -> 65504.0;
            case BFLOAT16 -> 0x1.fep127;
            case FLOAT32 -> Float.MAX_VALUE;
            default -> Double.MAX_VALUE;
        };
    }

    /** x with NaN, +inf and -inf replaced (torch.nan_to_num); integer and bool tensors come back as a copy. */
    static Tensor nanToNum(Tensor x, double nan, double posinf, double neginf) {
        x.view();
        if (!x.dtype().isFloating()) return x.clone();
        Tensor probe = x.detach();
        Tensor out = Tensor.where(isnan(probe), nan, x);
        out = Tensor.where(probe.eq(Double.POSITIVE_INFINITY), posinf, out);
        return Tensor.where(probe.eq(Double.NEGATIVE_INFINITY), neginf, out);
    }

    /**
     * start + weight (end - start), as PyTorch computes it: from start where |weight| &lt; 1/2, else end - (end -
     * start)(1 - weight), so that weight 0 gives start and weight 1 gives end exactly. Backward is lerp's own
     * (d/dstart = 1 - weight, d/dend = weight), not that of the pieces: through the pieces, an infinite end - start
     * would turn the zero gradient of the branch not taken into NaN.
     */
    static Tensor lerp(Tensor start, Tensor end, double weight) {
        check(start, end, null);
        Tensor out;
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor diff = end.sub(start);
            out = Math.abs(weight) < 0.5 ? start.add(diff.mul(weight)) : end.sub(diff.mul(1 - weight));
        }
        if (Autograd.needed(start, end)) {
            Autograd.record("LerpBackward", out, new Tensor[]{start, end},
                    (g, needs) -> new Tensor[]{needs[0] ? g.mul(1 - weight) : null, needs[1] ? g.mul(weight) : null});
        }
        return out;
    }

    /** lerp with a weight per element (broadcast with start and end); d/dweight = end - start. */
    static Tensor lerp(Tensor start, Tensor end, Tensor weight) {
        check(start, end, weight);
        Tensor out;
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor diff = end.sub(start);
            Tensor small = weight.abs().lt(0.5);
            out = Tensor.where(small, start.add(weight.mul(diff)), end.sub(diff.mul(weight.rsub(1))));
        }
        Tensor[] inputs = {start, end, weight};
        if (Autograd.needed(inputs)) {
            Saved ss = Saved.of(start), se = Saved.of(end), sw = Saved.of(weight);
            Autograd.record("LerpBackward", out, inputs, (g, needs) -> {
                Tensor w = sw.get();
                return new Tensor[]{needs[0] ? g.mul(w.rsub(1)) : null, needs[1] ? g.mul(w) : null,
                        needs[2] ? g.mul(se.get().sub(ss.get())) : null};
            }, ss, se, sw);
        }
        return out;
    }

    private static void check(Tensor start, Tensor end, Tensor weight) {
        start.view();
        end.view();
        if (weight != null) weight.view();
        String operands = "input " + describe(start) + ", end " + describe(end) + (weight == null ? "" : ", weight " + describe(weight));
        if (!start.dtype().isFloating()) {
            throw new IllegalArgumentException("lerp: expects floating tensors, got " + operands);
        }
        if (end.dtype() != start.dtype() || weight != null && weight.dtype() != start.dtype()) {
            throw new IllegalArgumentException("lerp: expected end and weight of the input's dtype " + start.dtype() + ", got " + operands);
        }
        if (!end.device().equals(start.device()) || weight != null && !weight.device().equals(start.device())) {
            throw new IllegalArgumentException("lerp: expected all tensors on the same device, got " + operands);
        }
        int[] shape = Elementwise.broadcastShapes("lerp", start.shapeArray(), end.shapeArray());
        if (weight != null) Elementwise.broadcastShapes("lerp", shape, weight.shapeArray());
    }

    private static String describe(Tensor t) {
        return t.dtype() + t.shape().toString() + " on " + t.device();
    }
}
