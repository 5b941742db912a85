package io.jgrad;

import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import io.jgrad.spi.ScanOp;

/**
 * Cumulative sums, products and log-sum-exps along one dimension (torch.cumsum, cumprod, logcumsumexp): one scan
 * kernel forward; backward rules built from scans of the gradient taken from the end of the dimension.
 */
final class Scans {
    private Scans() {
    }

    private static String name(ScanOp op) {
        return switch (op) {
            case SUM -> "cumsum";
            case PROD -> "cumprod";
            case LOGSUMEXP -> "logcumsumexp";
        };
    }

    static Tensor scan(ScanOp op, Tensor x, int dim) {
        if (Autocast.active()) {
            AutocastOp row = switch (op) {
                case SUM -> AutocastOp.CUMSUM;
                case PROD -> AutocastOp.CUMPROD;
                case LOGSUMEXP -> AutocastOp.LOGCUMSUMEXP;
            };
            return Autocast.call(row, in -> scan(op, in[0], dim), x);
        }
        String name = name(op);
        int axis = ViewOps.axis(name, x, dim);
        if (op == ScanOp.LOGSUMEXP && !x.dtype().isFloating()) {
            throw new IllegalArgumentException(name + ": expects a floating tensor, got " + x.dtype() + " of shape " + x.shape());
        }
        if (x.dtype() == DType.INT32 || x.dtype() == DType.BOOL) return scan(op, x.to(DType.INT64), dim); // as PyTorch
        if (x.dim() == 0) return scan(op, x.reshape(1), 0).reshape();
        Tensor out = Tensor.empty(x.backend(), x.dtype(), x.shapeArray());
        x.backend().scan(op, out.view(), x.view(), axis);
        if (Autograd.needed(x)) {
            Saved sx = Saved.of(x), sOut = Saved.of(out);
            Autograd.record(switch (op) {
                case SUM -> "CumsumBackward";
                case PROD -> "CumprodBackward";
                case LOGSUMEXP -> "LogcumsumexpBackward";
            }, out, new Tensor[]{x}, (g, needs) -> new Tensor[]{switch (op) {
                case SUM -> reverseCumsum(g, axis);
                case PROD -> cumprodBackward(g, sx.get(), sOut.get(), axis);
                case LOGSUMEXP -> logcumsumexpBackward(g, sx.get(), sOut.get(), axis);
            }}, sx, sOut);
        }
        return out;
    }

    /** x reversed along axis. */
    static Tensor flip(Tensor x, int axis) {
        int n = x.shape[axis];
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) idx[i] = n - 1 - i;
        return x.indexSelect(axis, Tensor.of(idx, x.device(), n));
    }

    /** r[i] = sum over j &gt;= i of g[j]. */
    private static Tensor reverseCumsum(Tensor g, int axis) {
        return flip(flip(g, axis).cumsum(axis), axis);
    }

    /**
     * d out[i] / d x[k] is the product of x[0..i] without x[k]. Before the row's first zero, x[k] != 0 and the
     * gradient is sum_{i >= k} g[i] out[i] / x[k]. At the first zero it is sum_{i >= k} g[i] out'[i], out' being the
     * cumulative product with that zero replaced by 1. After it, every such product holds the zero: 0.
     */
    private static Tensor cumprodBackward(Tensor g, Tensor x, Tensor out, int axis) {
        Tensor one = Tensor.full(1, x.dtype(), x.device());
        Tensor zero = x.eq(0.0);
        Tensor zerosSoFar = zero.cumsum(axis);
        Tensor before = zerosSoFar.eq(0L);
        Tensor first = zero.logicalAnd(zerosSoFar.eq(1L));
        Tensor beforePart = reverseCumsum(g.mul(out), axis).div(Elementwise.where(before, x, one));
        Tensor firstPart = reverseCumsum(g.mul(Elementwise.where(first, one, x).cumprod(axis)), axis);
        return Elementwise.where(before, beforePart, Elementwise.where(first, firstPart, Tensor.zeros(x.dtype(), x.device())));
    }

    /**
     * d out[i] / d x[k] = exp(x[k] - out[i]) for k &lt;= i, so grad[k] = sum_{i >= k} g[i] exp(x[k] - out[i]), summed in
     * log space for the positive and the negative parts of g apart (no overflow for large x).
     */
    private static Tensor logcumsumexpBackward(Tensor g, Tensor x, Tensor out, int axis) {
        double lowest = -ElementwiseComposites.largestFinite(x.dtype());
        Tensor logAbs = g.abs().log();
        Tensor pos = Elementwise.where(g.gt(0.0), logAbs, Tensor.full(lowest, g.dtype(), g.device()));
        Tensor neg = Elementwise.where(g.lt(0.0), logAbs, Tensor.full(lowest, g.dtype(), g.device()));
        Tensor up = flip(flip(pos.sub(out), axis).logcumsumexp(axis), axis).add(x).exp();
        Tensor down = flip(flip(neg.sub(out), axis).logcumsumexp(axis), axis).add(x).exp();
        return up.sub(down);
    }
}
