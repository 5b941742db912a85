package io.jgrad;

import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import io.jgrad.spi.Backend;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;

/**
 * Fused ops for the hot paths of training, each one kernel call (a backend may override the kernel for speed)
 * with its own backward rule: cross-entropy on logits, linear layers with bias and activation, batch normalisation,
 * and the optimizer updates. nn and optim build on these; users may call them directly.
 */
public final class Functional {
    private Functional() {
    }

    /** Activations that {@link #linear} can fuse. */
    public enum Activation {
        NONE(null), RELU(UnaryOp.RELU), TANH(UnaryOp.TANH), SIGMOID(UnaryOp.SIGMOID), GELU(UnaryOp.GELU);

        final UnaryOp op;

        Activation(UnaryOp op) {
            this.op = op;
        }
    }

    /**
     * Per-sample cross-entropy of logits [n, c] against int64 class indices [n]: -log softmax(logits)[i, target_i].
     * Numerically stable for large logits. Its gradient is softmax minus one-hot.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        if (Autocast.active()) return Autocast.call(AutocastOp.CROSS_ENTROPY, in -> crossEntropy(in[0], in[1]), logits, targets);
        logits.view();
        targets.view();
        Elementwise.sameDevice("crossEntropy", logits, targets);
        if (logits.dim() != 2 || !logits.dtype().isFloating()) {
            throw new IllegalArgumentException("crossEntropy: logits must be a floating [n, classes] tensor, got " + logits.dtype() + logits.shape());
        }
        if (targets.dtype() != DType.INT64 || targets.dim() != 1 || targets.shape[0] != logits.shape[0]) {
            throw new IllegalArgumentException("crossEntropy: targets must be int64 of shape [" + logits.shape[0] + "], got "
                    + targets.dtype() + targets.shape() + " for logits " + logits.shape());
        }
        Indexing.checkRange("crossEntropy", targets, logits.shape[1], "the classes of logits " + logits.shape());
        int n = logits.shape[0];
        Tensor losses = Tensor.empty(logits.backend(), logits.dtype(), new int[]{n});
        Tensor logProbs = Tensor.emptyLike(logits);
        if (n > 0) logits.backend().crossEntropyForward(losses.view(), logProbs.view(), logits.view(), targets.view());
        if (Autograd.needed(logits)) {
            Saved sLogProbs = Saved.of(logProbs), sTargets = Saved.of(targets);
            Autograd.record("CrossEntropyBackward", losses, new Tensor[]{logits}, (g, needs) -> {
                Tensor lp = sLogProbs.get();
                Tensor gi = Tensor.emptyLike(lp);
                g.backend().crossEntropyBackward(gi.view(), lp.view(), sTargets.get().view(), g.view());
                return new Tensor[]{gi};
            }, sLogProbs, sTargets);
        }
        logProbs.close(); // only backward reads it, through its own reference
        return losses;
    }

    /** act(x + bias), with bias [features] broadcast along the last dimension of x. */
    public static Tensor biasActivation(Tensor x, Tensor bias, Activation act) {
        View xv = x.view();
        View bv = bias.view();
        Elementwise.sameDevice("biasActivation", x, bias);
        if (bias.dim() != 1 || x.dim() == 0 || bias.shape[0] != x.shape[x.dim() - 1] || bias.dtype() != x.dtype()) {
            throw new IllegalArgumentException("biasActivation: bias " + bias.dtype() + bias.shape() + " does not match the last dimension of "
                    + x.dtype() + x.shape());
        }
        Tensor out = Tensor.emptyLike(x);
        x.backend().biasActivation(out.view(), xv, bv, act.op);
        if (Autograd.needed(x, bias)) {
            Tensor[] inputs = {x, bias};
            switch (act) {
                case RELU, TANH, SIGMOID -> {
                    // one fused kernel for the activation's gradient and the bias gradient (its column sums),
                    // from the output
                    Saved sOut = Saved.of(out);
                    Autograd.record("BiasActivationBackward", out, inputs, (g, needs) -> {
                        Tensor y = sOut.get();
                        Tensor dz = Tensor.emptyLike(y);
                        Tensor db = !needs[1] ? null : Tensor.empty(g.backend(), g.dtype(), new int[]{y.shape[y.dim() - 1]});
                        g.backend().biasActivationBackward(dz.view(), db == null ? null : db.view(), g.view(), y.view(), act.op);
                        return new Tensor[]{needs[0] ? dz : null, db};
                    }, sOut);
                }
                case GELU -> {
                    // GELU's derivative needs the pre-activation
                    Saved sx = Saved.of(x), sBias = Saved.of(bias);
                    // one fused kernel for grad * GELU'(x + bias) and the bias gradient (its column sums)
                    Autograd.record("BiasActivationBackward", out, inputs, (g, needs) -> {
                        Tensor xs = sx.get();
                        Tensor dz = Tensor.emptyLike(xs);
                        Tensor db = !needs[1] ? null : Tensor.empty(g.backend(), g.dtype(), new int[]{xs.shape[xs.dim() - 1]});
                        g.backend().geluBackward(dz.view(), db == null ? null : db.view(), g.view(), xs.view(),
                                sBias.get().view(), UnaryOp.GELU);
                        return new Tensor[]{needs[0] ? dz : null, db};
                    }, sx, sBias);
                }
                case NONE -> Autograd.record("BiasActivationBackward", out, inputs, (g, needs) -> new Tensor[]{g, g});
            }
        }
        return out;
    }

    /** A linear layer: act(x · weightᵀ + bias), weight [out, in]; bias may be null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation act) {
        if (Autocast.active()) return Autocast.call(AutocastOp.LINEAR, in -> linear(in[0], in[1], in[2], act), x, weight, bias);
        if (weight.dim() != 2 || x.dim() == 0 || x.shape[x.dim() - 1] != weight.shape[1]) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " does not match weight " + weight.shape()
                    + " (expected input [..., " + (weight.dim() == 2 ? weight.shape[1] : "?") + "])");
        }
        Tensor xd = x.detach(), wd = weight.detach(), wt = wd.t();
        Tensor z = xd.matmul(wt);
        Tensor.closeAll(xd, wd, wt); // views made only for the product: closing x frees its memory (LinearBackward keeps its own)
        if (Autograd.needed(x, weight)) {
            // Its own rule rather than matmul's through a transposed view: dW = gᵀ·x comes out of the GEMM already
            // in weight's [out, in] layout, so no transposed gradient has to be copied into place.
            int in = weight.shape[1], out = weight.shape[0];
            Saved sx = Saved.of(x), sWeight = Saved.of(weight);
            Autograd.record("LinearBackward", z, new Tensor[]{x, weight}, (g, needs) -> new Tensor[]{
                    needs[0] ? g.matmul(sWeight.get()) : null,
                    needs[1] ? g.reshape(-1, out).t().matmul(sx.get().reshape(-1, in)) : null}, sx, sWeight);
        }
        Tensor out = bias != null ? biasActivation(z, bias, act) : act.op == null ? z : Elementwise.unary(act.op, z, 0, 0);
        if (out != z) z.close(); // the pre-activation: a node that needs it keeps its own reference
        return out;
    }

    /**
     * Batch normalisation of x [n, c] over its rows, as PyTorch's {@code F.batch_norm}: (x - mean) / sqrt(var + eps)
     * * weight + bias, with weight and bias [c]. x may also be [n, c, s]: each channel over n and s (BatchNorm2d passes
     * its images so, pixels flattened, and the kernels normalise them in place). Training normalises with the batch mean and biased variance (n &gt; 1)
     * in one fused kernel each way, and, where runningMean and runningVar are given, updates them in place:
     * running = (1 - momentum) * running + momentum * batch, with the unbiased variance for runningVar. Eval mode
     * normalises with the running statistics.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        if (Autocast.active()) {
            return Autocast.call(AutocastOp.BATCH_NORM, in -> batchNorm(in[0], runningMean, runningVar, in[1], in[2], training, momentum, eps),
                    x, weight, bias);
        }
        View xv = x.view();
        if (x.dim() < 2 || x.dim() > 3 || !x.dtype().isFloating()) {
            throw new IllegalArgumentException("batchNorm: x must be a floating [n, c] or [n, c, s] tensor, got " + x.dtype() + x.shape());
        }
        int c = x.shape[1], n = x.dim() == 3 ? x.shape[0] * x.shape[2] : x.shape[0]; // n: values per channel
        for (Tensor t : new Tensor[]{weight, bias, runningMean, runningVar}) {
            if (t == null) continue;
            t.view();
            Elementwise.sameDevice("batchNorm", x, t);
            if (t.dim() != 1 || t.shape[0] != c || t.dtype() != x.dtype()) {
                throw new IllegalArgumentException("batchNorm: weight, bias and running statistics must be " + x.dtype() + "[" + c
                        + "] for x " + x.dtype() + x.shape() + ", got " + t.dtype() + t.shape());
            }
        }
        if (weight == null || bias == null) throw new IllegalArgumentException("batchNorm: weight and bias are required");
        if (!training) {
            if (runningMean == null || runningVar == null) {
                throw new IllegalArgumentException("batchNorm: eval mode needs the running mean and variance");
            }
            int[] col = x.dim() == 3 ? new int[]{c, 1} : new int[]{c}; // the statistics broadcast along dim 1
            return x.sub(runningMean.reshape(col)).mul(runningVar.add(eps).rsqrt().reshape(col)).mul(weight.reshape(col))
                    .add(bias.reshape(col));
        }
        if (n < 2) {
            throw new IllegalArgumentException("batchNorm: training needs more than 1 value per channel, got x of shape " + x.shape());
        }
        Backend be = x.backend();
        Tensor out = Tensor.empty(be, x.dtype(), x.shape.clone());
        Tensor mean = Tensor.empty(be, x.dtype(), new int[]{c});
        Tensor var = Tensor.empty(be, x.dtype(), new int[]{c});
        be.batchNormForward(out.view(), mean.view(), var.view(), xv, weight.view(), bias.view(), eps);
        if (runningMean != null && runningVar != null) {
            try (Grad.Mode ignored = Grad.disabled()) {
                runningMean.mulInPlace(1 - momentum).addInPlace(mean, momentum);
                runningVar.mulInPlace(1 - momentum).addInPlace(var, momentum * n / (n - 1));
            }
        }
        if (Autograd.needed(new Tensor[]{x, weight, bias})) {
            Saved sx = Saved.of(x), sMean = Saved.of(mean), sVar = Saved.of(var), sWeight = Saved.of(weight);
            Autograd.record("BatchNormBackward", out, new Tensor[]{x, weight, bias}, (g, needs) -> {
                Tensor gx = needs[0] ? Tensor.empty(g.backend(), g.dtype(), g.shape.clone()) : null;
                Tensor gw = needs[1] ? Tensor.empty(g.backend(), g.dtype(), new int[]{c}) : null;
                Tensor gb = needs[2] ? Tensor.empty(g.backend(), g.dtype(), new int[]{c}) : null;
                g.backend().batchNormBackward(gx == null ? null : gx.view(), gw == null ? null : gw.view(),
                        gb == null ? null : gb.view(), g.view(), sx.get().view(), sMean.get().view(), sVar.get().view(),
                        sWeight.get().view(), eps);
                return new Tensor[]{gx, gw, gb};
            }, sx, sMean, sVar, sWeight);
        }
        Tensor.closeAll(mean, var); // the batch statistics: backward keeps its own references
        return out;
    }

    /**
     * Layer normalisation over the trailing dimensions {@code normalizedShape}, as PyTorch's {@code F.layer_norm}:
     * each row normalised with its own mean and biased variance, then * weight + bias (each of normalizedShape, or
     * null). One fused kernel each way (see {@link LayerNorms}).
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return LayerNorms.layerNorm(x, normalizedShape.clone(), weight, bias, eps);
    }

    /**
     * One Adam (or AdamW, with {@code decoupled}) step in place on param, m and v. Runs outside the graph and bumps
     * the version of each tensor it writes. {@code step} counts from 1.
     */
    public static void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2,
                                  double eps, double weightDecay, boolean decoupled, long step) {
        sameLayout("adamUpdate", param, grad, m, v);
        dense("adamUpdate", param, m, v);
        Tensor g = denseGrad(grad);
        param.backend().adamUpdate(param.view(), g.view(), m.view(), v.view(), lr, beta1, beta2, eps, weightDecay, decoupled, step);
        if (g != grad) g.close();
        param.storage.version++;
        m.storage.version++;
        v.storage.version++;
    }

    /** One SGD step in place with PyTorch's semantics; {@code momentumBuffer} may be null when momentum is 0. */
    public static void sgdUpdate(Tensor param, Tensor grad, Tensor momentumBuffer, double lr, double momentum, double dampening,
                                 double weightDecay, boolean nesterov, boolean firstStep) {
        if (momentum != 0 && momentumBuffer == null) throw new IllegalArgumentException("sgdUpdate: momentum needs a buffer");
        if (momentumBuffer != null) {
            sameLayout("sgdUpdate", param, grad, momentumBuffer);
            dense("sgdUpdate", param, momentumBuffer);
        } else {
            sameLayout("sgdUpdate", param, grad);
            dense("sgdUpdate", param);
        }
        Tensor g = denseGrad(grad);
        param.backend().sgdUpdate(param.view(), g.view(), momentumBuffer == null ? null : momentumBuffer.view(), lr, momentum,
                dampening, weightDecay, nesterov, firstStep);
        if (g != grad) g.close();
        param.storage.version++;
        if (momentumBuffer != null) momentumBuffer.storage.version++;
    }

    /**
     * Loss scaling's unscale step, in place: grad *= invScale, and foundInf (a float32 tensor of one element on
     * grad's device) is set to 1 if grad held an infinite or NaN value, else left alone. One fused pass where the
     * backend has it ({@link Backend#unscaleAndCheck}). Runs outside the graph; bumps the versions of what it writes.
     */
    public static void unscaleAndCheck(Tensor grad, Tensor foundInf, double invScale) {
        grad.view();
        foundInf.view();
        if (!grad.dtype().isFloating() || foundInf.dtype() != DType.FLOAT32 || foundInf.numel() != 1
                || !grad.device().equals(foundInf.device())) {
            throw new IllegalArgumentException("unscaleAndCheck: expects a floating gradient and a one-element float32 flag on its device,"
                    + " got grad " + grad.dtype() + grad.shape() + " on " + grad.device() + " and foundInf " + foundInf.dtype()
                    + foundInf.shape() + " on " + foundInf.device());
        }
        if (!grad.isContiguous()) {
            // through a dense copy: in place, an element that a broadcast view repeats would be multiplied once per alias
            try (Grad.Mode ignored = Grad.disabled(); Tensor dense = grad.detach().contiguous()) {
                dense.backend().unscaleAndCheck(dense.view(), foundInf.view(), invScale);
                grad.copyFrom(dense);
            }
        } else {
            grad.backend().unscaleAndCheck(grad.view(), foundInf.view(), invScale);
            grad.storage.version++;
        }
        foundInf.storage.version++;
    }

    /** The fused updates write their state tensors as flat arrays, so those must be dense and row-major. */
    private static void dense(String op, Tensor... written) {
        for (Tensor t : written) {
            if (!t.isContiguous()) {
                throw new IllegalArgumentException(op + ": the tensors it updates in place must be contiguous; got shape " + t.shape()
                        + " with strides " + java.util.Arrays.toString(t.strides));
            }
        }
    }

    /** The gradient as dense memory (a gradient may legitimately be a strided or broadcast view). */
    private static Tensor denseGrad(Tensor grad) {
        if (grad.isContiguous()) return grad;
        try (Grad.Mode ignored = Grad.disabled()) {
            return Scope.persist(grad.detach().contiguous());
        }
    }

    private static void sameLayout(String op, Tensor first, Tensor... others) {
        first.view();
        for (Tensor t : others) {
            t.view();
            if (!t.shape().equals(first.shape()) || t.dtype() != first.dtype() || !t.device().equals(first.device())) {
                throw new IllegalArgumentException(op + ": tensors must match the parameter " + first.dtype() + first.shape()
                        + " on " + first.device() + ", got " + t.dtype() + t.shape() + " on " + t.device());
            }
        }
    }

    // ---- losses and module helpers ----

    /** PyTorch's floor of x (1 - x) in the BCE gradient: the float 1e-12 (9.99999996e-13 as a double). */
    private static final double BCE_EPSILON = 1e-12f;

    /**
     * Per-element binary cross-entropy of probabilities {@code input} against {@code target} (same shape, dtype and
     * device): {@code -(y log x + (1 - y) log(1 - x))}, each log clamped at -100 as PyTorch does, so x = 0 or 1
     * gives a finite loss. The backward is PyTorch's closed form {@code (x - y) / max(x (1 - x), 1e-12)} (finite
     * where a composed clamp-of-log would give 0 * inf); the target's gradient is {@code log(1 - x) - log(x)},
     * unclamped as in PyTorch (infinite at x = 0 or 1).
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        if (Autocast.active()) return Autocast.call(AutocastOp.BINARY_CROSS_ENTROPY, in -> binaryCrossEntropy(in[0], in[1]), input, target);
        input.view();
        target.view();
        Elementwise.sameDevice("binaryCrossEntropy", input, target);
        if (!input.dtype().isFloating() || input.dtype() != target.dtype() || !java.util.Arrays.equals(input.shape, target.shape)) {
            throw new IllegalArgumentException("binaryCrossEntropy: input and target must be floating tensors of the same shape and"
                    + " dtype, got " + input.dtype() + input.shape() + " and " + target.dtype() + target.shape());
        }
        Tensor out;
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor logX = input.log().clampMin(-100);
            Tensor log1mX = input.neg().apply(UnaryOp.LOG1P).clampMin(-100);
            out = target.sub(1).mul(log1mX).sub(target.mul(logX));
        }
        if (Autograd.needed(input, target)) {
            Saved sx = Saved.of(input), sy = Saved.of(target);
            Autograd.record("BinaryCrossEntropyBackward", out, new Tensor[]{input, target}, (g, needs) -> {
                Tensor x = sx.get(), y = sy.get();
                Tensor gx = needs[0] ? g.mul(x.sub(y)).div(x.rsub(1).mul(x).clampMin(BCE_EPSILON)) : null;
                Tensor gy = needs[1] ? g.mul(x.neg().apply(UnaryOp.LOG1P).sub(x.log())) : null; // unclamped, as PyTorch
                return new Tensor[]{gx, gy};
            }, sx, sy);
        }
        return out;
    }

    /**
     * The identity on {@code x}, except that in the backward pass the gradient arriving at the result goes through
     * {@code onGradient} first; what it returns (null: the gradient unchanged) flows on to x. Returns x itself when
     * no gradient will flow (grad mode off or x not requiring grad). The building block of
     * {@code Module.registerBackwardHook}.
     */
    public static Tensor gradientTap(Tensor x, java.util.function.UnaryOperator<Tensor> onGradient) {
        if (onGradient == null) throw new IllegalArgumentException("gradientTap: onGradient is null");
        if (!Autograd.needed(x)) return x;
        Tensor out = x.detach();
        int[] shape = x.shapeArray();
        Tensor tapped = Autograd.record("BackwardHookFunctionBackward", out, new Tensor[]{x}, (g, needs) -> {
            Tensor r = onGradient.apply(g);
            if (r == null) return new Tensor[]{g};
            if (!java.util.Arrays.equals(r.shapeArray(), shape) || r.dtype() != g.dtype() || !r.device().equals(g.device())) {
                throw new IllegalArgumentException("backward hook: a replacement gradient must be " + g.dtype() + g.shape() + " on "
                        + g.device() + ", got " + r.dtype() + r.shape() + " on " + r.device());
            }
            return new Tensor[]{r};
        });
        tapped.gradFn.userCode = true; // onGradient may keep g
        return tapped;
    }

    // ---- convolutions ----

    /** conv2d with stride 1, no padding, no dilation, one group (F.conv2d(x, weight, bias)); bias may be null. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) {
        return Convolution.conv2d(x, weight, bias, new int[]{1}, new int[]{0}, new int[]{1}, 1);
    }

    /** conv2d with one stride and padding for both axes. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return Convolution.conv2d(x, weight, bias, new int[]{stride}, new int[]{padding}, new int[]{1}, 1);
    }

    /**
     * The 2-D convolution of x [n, c, h, w] with weight [out, c / groups, kh, kw] plus bias [out] (or null), as
     * F.conv2d. stride and dilation take 1 value (both axes) or 2 (h, w); padding 1, 2 (h, w) or 4 (top, bottom, left,
     * right: asymmetric zero padding, which F.conv2d needs an F.pad for). groups = c = out is a depthwise convolution.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolution.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    /** conv2d with padding "same" (stride 1; the odd pixel of an even kernel's padding goes bottom and right) or "valid". */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        int[] kernel = weight.dim() == 4 ? new int[]{weight.size(2), weight.size(3)} : new int[]{1, 1};
        int[] d = dilation.length == 1 ? new int[]{dilation[0], dilation[0]} : dilation;
        return Convolution.conv2d(x, weight, bias, stride, Convolution.namedPadding("conv2d", padding, kernel, d, stride), dilation, groups);
    }

    /** The 1-D convolution of x [n, c, l] with weight [out, c / groups, k] plus bias [out] (or null), as F.conv1d. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return Convolution.conv1d(x, weight, bias, stride, new int[]{padding}, dilation, groups);
    }

    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias) {
        return conv1d(x, weight, bias, 1, 0, 1, 1);
    }

    /** conv1d with padding "same" (stride 1; an odd total pads one more on the right) or "valid". */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, String padding, int dilation, int groups) {
        int[] kernel = {weight.dim() == 3 ? weight.size(2) : 1};
        return Convolution.conv1d(x, weight, bias, stride,
                Convolution.namedPadding("conv1d", padding, kernel, new int[]{dilation}, new int[]{stride}), dilation, groups);
    }

    /**
     * The transposed convolution of x [n, c_in, h, w] with weight [c_in, out / groups, kh, kw] plus bias [out] (or null),
     * as F.conv_transpose2d (same argument order): the gradient of conv2d with respect to its input. outputPadding
     * (below the stride) adds rows and columns at the bottom and right of the output.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                         int groups, int[] dilation) {
        return Convolution.convTranspose2d(x, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return convTranspose2d(x, weight, bias, new int[]{stride}, new int[]{padding}, new int[]{0}, 1, new int[]{1});
    }

    // ---- pooling and resampling ----

    /** A max pooling's output with the int64 flat positions (h * W + w within each plane) its values came from. */
    public record PoolResult(Tensor output, Tensor indices) {
    }

    /** How {@link #interpolate} fills in between samples. */
    public enum Interpolation { NEAREST, BILINEAR }

    /** {@code F.max_pool2d(x, kernel)}: square windows, stride = kernel, no padding. */
    public static Tensor maxPool2d(Tensor x, int kernel) {
        return maxPool2d(x, new int[]{kernel}, null, new int[]{0}, new int[]{1}, false);
    }

    /**
     * {@code F.max_pool2d} on [n, c, h, w] or [c, h, w]: the largest value of each window (NaN wins). kernel, stride,
     * padding and dilation take one value or (height, width); a null or empty stride means the kernel size. Padding
     * (implicitly -inf) is at most half the kernel; ceil mode rounds the output size up, as PyTorch does.
     */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        Tensor[] r = Pooling.maxPool2d(x, kernel, stride, padding, dilation, ceilMode);
        r[1].close(); // the indices: backward keeps its own reference
        return r[0];
    }

    /** {@link #maxPool2d(Tensor, int[], int[], int[], int[], boolean)} with the indices ({@code return_indices=True}). */
    public static PoolResult maxPool2dWithIndices(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        Tensor[] r = Pooling.maxPool2d(x, kernel, stride, padding, dilation, ceilMode);
        return new PoolResult(r[0], r[1]);
    }

    /** {@code F.avg_pool2d(x, kernel)}: stride = kernel, no padding. */
    public static Tensor avgPool2d(Tensor x, int kernel) {
        return avgPool2d(x, new int[]{kernel}, null, new int[]{0}, false, true, 0);
    }

    /**
     * {@code F.avg_pool2d}: the mean of each window. With countIncludePad the zero padding counts in the divisor
     * (as PyTorch, up to the padded input's edge); a divisorOverride above 0 replaces the divisor.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
                                   int divisorOverride) {
        return Pooling.avgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    /** {@code F.adaptive_avg_pool2d}: output size (one value or height, width); window i spans [floor(i*in/out), ceil((i+1)*in/out)). */
    public static Tensor adaptiveAvgPool2d(Tensor x, int... outputSize) {
        return Pooling.adaptiveAvgPool2d(x, outputSize);
    }

    /** {@code F.adaptive_max_pool2d}, windows as {@link #adaptiveAvgPool2d}. */
    public static Tensor adaptiveMaxPool2d(Tensor x, int... outputSize) {
        Tensor[] r = Pooling.adaptiveMaxPool2d(x, outputSize);
        r[1].close(); // the indices: backward keeps its own reference
        return r[0];
    }

    /** {@link #adaptiveMaxPool2d} with the indices. */
    public static PoolResult adaptiveMaxPool2dWithIndices(Tensor x, int... outputSize) {
        Tensor[] r = Pooling.adaptiveMaxPool2d(x, outputSize);
        return new PoolResult(r[0], r[1]);
    }

    /**
     * {@code F.interpolate} of [n, c, h, w] to an output size (one value or height, width), nearest or bilinear;
     * alignCorners (bilinear only) maps the corner pixels' centres onto each other.
     */
    public static Tensor interpolate(Tensor x, int[] size, Interpolation mode, boolean alignCorners) {
        return Resampling.interpolate(x, size, null, mode, alignCorners);
    }

    /**
     * {@code F.interpolate} by scale factors (one value or height, width): the output size is floor(in * scale), and
     * the source positions use 1 / scale, as PyTorch does without recompute_scale_factor.
     */
    public static Tensor interpolate(Tensor x, double[] scaleFactor, Interpolation mode, boolean alignCorners) {
        return Resampling.interpolate(x, null, scaleFactor, mode, alignCorners);
    }

    // ---- attention ----

    /** softmax(q k^T / sqrt(e)) v over the last two dimensions, as PyTorch's F.scaled_dot_product_attention. */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v) {
        return Attention.scaledDotProductAttention(q, k, v);
    }

    /**
     * With a mask (bool: true attends; float: added to the scores; null for none), dropout on the attention weights
     * and the causal constraint; see {@link Attention} for the fused kernel and the reference it is tested against.
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor mask, double dropoutP, boolean causal) {
        return Attention.scaledDotProductAttention(q, k, v, mask, dropoutP, causal);
    }

    // ---- dropout ----

    /**
     * The mask of inverted dropout, outside the graph: 1 / (1 - p) where a uniform draw from {@code gen} is at least p
     * (probability 1 - p), else 0, in {@code dtype} on {@code device}. Multiplying by it keeps the expectation; a shape
     * with size-1 dimensions drops whole slices (one draw per channel for Dropout2d).
     */
    public static Tensor dropoutMask(double p, DType dtype, Device device, Generator gen, int... shape) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropoutMask: p must be in [0, 1), got " + p);
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor u = Tensor.random(io.jgrad.spi.Distribution.UNIFORM, 0, 1, dtype, device, gen, shape);
            Tensor keep = u.ge(p);
            Tensor mask = keep.to(dtype).mul(1 / (1 - p));
            keep.close();
            u.close();
            return mask;
        }
    }
}
