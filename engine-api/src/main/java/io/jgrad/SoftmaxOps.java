package io.jgrad;

import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
/**
 * Softmax and log-softmax along a dimension (one fused, max-shifted kernel each), and logSumExp.
 * Backward, with y the output: softmax gives y * (g - sum(g * y)); log-softmax gives g - exp(y) * sum(g).
 */
final class SoftmaxOps {
    private SoftmaxOps() {
    }

    static Tensor softmax(Tensor x, int dim, boolean log) {
        if (Autocast.active()) return Autocast.call(log ? AutocastOp.LOG_SOFTMAX : AutocastOp.SOFTMAX, in -> softmax(in[0], dim, log), x);
        String op = log ? "logSoftmax" : "softmax";
        int axis = ViewOps.axis(op, x, dim);
        if (!x.dtype().isFloating()) throw new IllegalArgumentException(op + ": expects a floating tensor, got " + x.dtype());
        // A scalar is a one-element axis, as in PyTorch: softmax 1, log-softmax 0, gradient 0.
        if (x.dim() == 0) return softmax(x.reshape(1), 0, log).reshape();
        Tensor out = Tensor.emptyLike(x);
        if (x.numel() > 0) x.backend().softmax(out.view(), x.view(), axis, log);
        if (Autograd.needed(x)) {
            Saved sOut = Saved.of(out);
            Autograd.record(log ? "LogSoftmaxBackward" : "SoftmaxBackward", out, new Tensor[]{x}, (g, needs) -> {
                Tensor y = sOut.get();
                Tensor gi = log
                        ? g.sub(y.exp().mul(g.sum(axis, true)))
                        : y.mul(g.sub(g.mul(y).sum(axis, true)));
                return new Tensor[]{gi};
            }, sOut);
        }
        return out;
    }

    /** log(sum(exp(x))) along dim, shifted by the (constant) maximum so large inputs do not overflow. */
    static Tensor logSumExp(Tensor x, int dim, boolean keepDim) {
        if (Autocast.active()) return Autocast.call(AutocastOp.LOG_SUM_EXP, in -> logSumExp(in[0], dim, keepDim), x);
        int axis = ViewOps.axis("logSumExp", x, dim);
        if (x.dim() > 0 && x.shape[axis] == 0) {
            // An empty sum is 0 and its log -inf (PyTorch's answer); there is no maximum to shift by.
            Tensor r = x.exp().sum(axis, true).log();
            return keepDim ? r : r.squeeze(axis);
        }
        Tensor shift;
        try (Grad.Mode ignored = Grad.disabled()) {
            shift = x.max(axis, true);
            // A row of -inf would give inf - inf; shifting by 0 there yields the right -inf.
            shift = Tensor.where(shift.abs().eq(Double.POSITIVE_INFINITY), Tensor.zerosLike(shift), shift);
        }
        Tensor r = x.sub(shift).exp().sum(axis, true).log().add(shift);
        return keepDim ? r : r.squeeze(axis);
    }
}
