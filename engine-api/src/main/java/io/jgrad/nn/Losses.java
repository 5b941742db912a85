package io.jgrad.nn;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Functional;
import io.jgrad.Tensor;
import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import io.jgrad.spi.UnaryOp;
import java.util.Arrays;

/**
 * Loss functions, as PyTorch's {@code torch.nn.functional} losses. Each returns the mean over all elements by
 * default; {@link Reduction#SUM} sums and {@link Reduction#NONE} returns the per-element (or per-sample) losses.
 * PyTorch's keyword arguments become an options record where there are several ({@link CrossEntropyOptions} with
 * a builder, {@link BceOptions}) and overloads where there are one or two (beta, delta, logTarget).
 */
public final class Losses {
    private Losses() {
    }

    /**
     * How per-element losses are combined into the result, as PyTorch's {@code reduction} argument. MEAN divides by
     * the number of elements, or, for losses with class weights, by the total weight of the targets (PyTorch's
     * weighted mean); BATCHMEAN (only for {@link #klDiv}) divides the sum by the batch size, input.size(0).
     */
    public enum Reduction { MEAN, SUM, NONE, BATCHMEAN }

    // ------------------------------------------------------------------ regression

    /** Mean squared error (pred - target)^2; pred and target must have the same shape, dtype and device. */
    public static Tensor mse(Tensor pred, Tensor target) {
        return mse(pred, target, Reduction.MEAN);
    }

    public static Tensor mse(Tensor pred, Tensor target, Reduction reduction) {
        if (Autocast.active()) return Autocast.call(AutocastOp.MSE_LOSS, in -> mse(in[0], in[1], reduction), pred, target);
        sameLayout("mse", pred, "pred", target, "target");
        Tensor diff = pred.sub(target), squared = diff.square();
        diff.close();
        return reduce(squared, reduction);
    }

    // ------------------------------------------------------------------ classification

    /** Cross-entropy of logits [N, C] against int64 class indices [N], from the fused, stable kernel. */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return crossEntropy(logits, targets, Reduction.MEAN, 0);
    }

    public static Tensor crossEntropy(Tensor logits, Tensor targets, Reduction reduction) {
        return crossEntropy(logits, targets, reduction, 0);
    }

    public static Tensor crossEntropy(Tensor logits, Tensor targets, double labelSmoothing) {
        return crossEntropy(logits, targets, Reduction.MEAN, labelSmoothing);
    }

    /**
     * Cross-entropy with label smoothing eps, as PyTorch: each sample's loss is
     * (1 - eps) * (-log p[target]) + eps * mean over classes of (-log p[c]), i.e. the target distribution puts
     * 1 - eps + eps / C on the target class and eps / C on every other class.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, Reduction reduction, double labelSmoothing) {
        if (Autocast.active()) return Autocast.call(AutocastOp.CROSS_ENTROPY, in -> crossEntropy(in[0], in[1], reduction, labelSmoothing), logits, targets);
        checkClassification("crossEntropy", logits, "logits", targets);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        Tensor perSample = Functional.crossEntropy(logits, targets);
        if (labelSmoothing > 0) {
            Tensor uniformTerm = logits.logSoftmax(1).mean(1, false).neg();
            perSample = perSample.mul(1 - labelSmoothing).add(uniformTerm.mul(labelSmoothing));
        }
        return reduce(perSample, reduction);
    }

    /** Negative log-likelihood -logProbs[i, target_i] of log-probabilities [N, C] (the output of logSoftmax). */
    public static Tensor nllLoss(Tensor logProbs, Tensor targets) {
        return nllLoss(logProbs, targets, Reduction.MEAN);
    }

    public static Tensor nllLoss(Tensor logProbs, Tensor targets, Reduction reduction) {
        if (Autocast.active()) return Autocast.call(AutocastOp.NLL_LOSS, in -> nllLoss(in[0], in[1], reduction), logProbs, targets);
        checkClassification("nllLoss", logProbs, "log-probabilities", targets);
        int n = logProbs.size(0);
        return reduce(logProbs.gather(1, targets.reshape(n, 1)).reshape(n).neg(), reduction);
    }

    /**
     * Binary cross-entropy on logits x against targets y in [0, 1] of the same shape, in the stable form
     * max(x, 0) - x * y + log(1 + exp(-|x|)), which never exponentiates a large positive number.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets) {
        return binaryCrossEntropyWithLogits(logits, targets, Reduction.MEAN);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction) {
        if (Autocast.active()) return Autocast.call(AutocastOp.BINARY_CROSS_ENTROPY_WITH_LOGITS, in -> binaryCrossEntropyWithLogits(in[0], in[1], reduction), logits, targets);
        sameLayout("binaryCrossEntropyWithLogits", logits, "logits", targets, "targets");
        // maximum() splits the gradient at a tie, so at x = 0 the derivative is the exact sigmoid(0) - y = 0.5 - y
        // (relu or clamp would give 1 - y or -y there, and zero logits are common at initialisation).
        Tensor positivePart = logits.maximum(Tensor.zeros(logits.dtype(), logits.device()));
        // log1p, not log(1 + .): past |x| = 16.6 in float32, 1 + e^-|x| rounds to 1 and the loss to exactly 0
        Tensor softplusOfNegAbs = logits.abs().neg().exp().apply(UnaryOp.LOG1P);
        return reduce(positivePart.sub(logits.mul(targets)).add(softplusOfNegAbs), reduction);
    }

    /**
     * micrograd's max-margin loss relu(1 - y * s) for scores s and labels y in {-1, +1} of the same shape. Labels
     * other than -1 and +1 are refused on the CPU; on a device they are not checked (the check would stall each step).
     */
    public static Tensor hinge(Tensor scores, Tensor targets) {
        return hinge(scores, targets, Reduction.MEAN);
    }

    public static Tensor hinge(Tensor scores, Tensor targets, Reduction reduction) {
        if (Autocast.active()) return Autocast.call(AutocastOp.HINGE_LOSS, in -> hinge(in[0], in[1], reduction), scores, targets);
        sameLayout("hinge", scores, "scores", targets, "targets");
        // The label check reads a value back; on a device that would stall every step, so it runs on the CPU only.
        long invalid = 0;
        if (targets.device().equals(Device.CPU)) {
            for (double t : targets.toDoubleArray()) if (t != 1 && t != -1) invalid++; // a host loop: no kernels
        }
        if (invalid > 0) {
            throw new IllegalArgumentException("hinge: targets must be -1 or +1, but " + (long) invalid + " of " + targets.numel()
                    + " elements are not");
        }
        return reduce(scores.mul(targets).rsub(1).relu(), reduction);
    }

    // ------------------------------------------------------------------ more regression losses

    /** Mean absolute error |pred - target| (PyTorch's {@code l1_loss}); same shape, dtype and device. */
    public static Tensor l1(Tensor pred, Tensor target) {
        return l1(pred, target, Reduction.MEAN);
    }

    public static Tensor l1(Tensor pred, Tensor target, Reduction reduction) {
        if (Autocast.active()) return Autocast.call(AutocastOp.L1_LOSS, in -> l1(in[0], in[1], reduction), pred, target);
        sameLayout("l1", pred, "pred", target, "target");
        Tensor diff = pred.sub(target), abs = diff.abs();
        diff.close();
        return reduce(abs, reduction);
    }

    /** Smooth L1 with beta = 1: see {@link #smoothL1(Tensor, Tensor, double, Reduction)}. */
    public static Tensor smoothL1(Tensor pred, Tensor target) {
        return smoothL1(pred, target, 1.0, Reduction.MEAN);
    }

    public static Tensor smoothL1(Tensor pred, Tensor target, double beta) {
        return smoothL1(pred, target, beta, Reduction.MEAN);
    }

    /**
     * PyTorch's {@code smooth_l1_loss}: with d = |pred - target|, 0.5 d² / beta where d &lt; beta and d - 0.5 beta
     * elsewhere; beta = 0 is the L1 loss. beta must not be negative.
     */
    public static Tensor smoothL1(Tensor pred, Tensor target, double beta, Reduction reduction) {
        if (Autocast.active()) return Autocast.call(AutocastOp.SMOOTH_L1_LOSS, in -> smoothL1(in[0], in[1], beta, reduction), pred, target);
        sameLayout("smoothL1", pred, "pred", target, "target");
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("smoothL1: beta must be a finite value >= 0, got " + beta);
        }
        Tensor d = pred.sub(target).abs();
        if (beta == 0) return reduce(d, reduction);
        return reduce(Tensor.where(d.lt(beta), d.square().mul(0.5 / beta), d.sub(0.5 * beta)), reduction);
    }

    /** Huber loss with delta = 1: see {@link #huber(Tensor, Tensor, double, Reduction)}. */
    public static Tensor huber(Tensor pred, Tensor target) {
        return huber(pred, target, 1.0, Reduction.MEAN);
    }

    public static Tensor huber(Tensor pred, Tensor target, double delta) {
        return huber(pred, target, delta, Reduction.MEAN);
    }

    /**
     * PyTorch's {@code huber_loss}: with d = |pred - target|, 0.5 d² where d &lt; delta and delta (d - 0.5 delta)
     * elsewhere (smoothL1 with beta = delta, times delta). delta must be positive.
     */
    public static Tensor huber(Tensor pred, Tensor target, double delta, Reduction reduction) {
        if (Autocast.active()) return Autocast.call(AutocastOp.HUBER_LOSS, in -> huber(in[0], in[1], delta, reduction), pred, target);
        sameLayout("huber", pred, "pred", target, "target");
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("huber: delta must be a finite value > 0, got " + delta);
        }
        Tensor d = pred.sub(target).abs();
        return reduce(Tensor.where(d.lt(delta), d.square().mul(0.5), d.sub(0.5 * delta).mul(delta)), reduction);
    }

    // ------------------------------------------------------------------ divergences and binary losses

    /** KL divergence with MEAN reduction and probabilities as target: see {@link #klDiv(Tensor, Tensor, Reduction, boolean)}. */
    public static Tensor klDiv(Tensor input, Tensor target) {
        return klDiv(input, target, Reduction.MEAN, false);
    }

    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction) {
        return klDiv(input, target, reduction, false);
    }

    /**
     * PyTorch's {@code kl_div}: {@code input} holds log-probabilities; the pointwise loss is
     * target (log target - input), 0 where target = 0, or with {@code logTarget} (target given as log-probabilities)
     * exp(target) (target - input). MEAN averages over all elements, as PyTorch does; BATCHMEAN (the mathematically
     * right KL divergence per sample) divides the sum by input.size(0).
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        if (Autocast.active()) return Autocast.call(AutocastOp.KL_DIV, in -> klDiv(in[0], in[1], reduction, logTarget), input, target);
        sameLayout("klDiv", input, "input", target, "target");
        Tensor pointwise;
        if (logTarget) {
            pointwise = target.exp().mul(target.sub(input));
        } else {
            // x log x with 0 log 0 = 0; log(1) at the zeros keeps their gradient finite (a where after the log would not)
            Tensor safe = Tensor.where(target.eq(0.0), 1.0, target);
            pointwise = target.mul(safe.log().sub(input));
        }
        if (reduction == Reduction.BATCHMEAN) return pointwise.sum().div(input.dim() == 0 ? 1 : input.size(0));
        return reduce(pointwise, reduction);
    }

    /**
     * Options of the binary cross-entropy losses: {@code weight} rescales each element's loss (it must broadcast to
     * the input's shape), {@code posWeight} (only for {@link #binaryCrossEntropyWithLogits}) weighs the positive
     * term, typically one value per class broadcast along the last dimension. Null means none.
     */
    public record BceOptions(Reduction reduction, Tensor weight, Tensor posWeight) {
        public BceOptions {
            if (reduction == null) throw new IllegalArgumentException("BceOptions: reduction is null (use Reduction.MEAN, SUM or NONE)");
        }

        public static BceOptions defaults() {
            return new BceOptions(Reduction.MEAN, null, null);
        }

        public BceOptions withReduction(Reduction r) {
            return new BceOptions(r, weight, posWeight);
        }

        public BceOptions withWeight(Tensor w) {
            return new BceOptions(reduction, w, posWeight);
        }

        public BceOptions withPosWeight(Tensor pw) {
            return new BceOptions(reduction, weight, pw);
        }
    }

    /** Binary cross-entropy of probabilities in [0, 1], mean over elements: see {@link #binaryCrossEntropy(Tensor, Tensor, BceOptions)}. */
    public static Tensor binaryCrossEntropy(Tensor probs, Tensor targets) {
        return binaryCrossEntropy(probs, targets, BceOptions.defaults());
    }

    public static Tensor binaryCrossEntropy(Tensor probs, Tensor targets, Reduction reduction) {
        return binaryCrossEntropy(probs, targets, BceOptions.defaults().withReduction(reduction));
    }

    /**
     * PyTorch's {@code binary_cross_entropy}: -w (y log p + (1 - y) log(1 - p)) with each log clamped at -100, so
     * p = 0 or 1 gives a finite loss and gradient. p must lie in [0, 1] (checked on the CPU; on a device the check
     * would stall every step). Prefer {@link #binaryCrossEntropyWithLogits} on logits: it is more stable.
     */
    public static Tensor binaryCrossEntropy(Tensor probs, Tensor targets, BceOptions options) {
        if (Autocast.active()) return Autocast.call(AutocastOp.BINARY_CROSS_ENTROPY, in -> binaryCrossEntropy(in[0], in[1], options), probs, targets);
        String op = "binaryCrossEntropy";
        if (options == null) throw new IllegalArgumentException(op + ": options is null (use BceOptions.defaults())");
        sameLayout(op, probs, "input", targets, "target");
        if (options.posWeight() != null) {
            throw new IllegalArgumentException(op + ": posWeight is only for binaryCrossEntropyWithLogits");
        }
        if (probs.device().equals(Device.CPU)) {
            double[] v = probs.toDoubleArray(); // a host loop: no kernels
            for (int i = 0; i < v.length; i++) {
                if (!(v[i] >= 0 && v[i] <= 1)) {
                    throw new IllegalArgumentException(op + ": all elements of input should be between 0 and 1, but element " + i
                            + " of " + Checks.describe(probs) + " is " + v[i] + " (for logits use binaryCrossEntropyWithLogits)");
                }
            }
        }
        Tensor losses = Functional.binaryCrossEntropy(probs, targets);
        if (options.weight() != null) losses = losses.mul(broadcastable(op, "weight", options.weight(), probs));
        return reduce(losses, options.reduction());
    }

    /**
     * PyTorch's {@code binary_cross_entropy_with_logits} with {@code weight} and {@code posWeight}: with
     * l = 1 + (posWeight - 1) y, the loss w ((1 - y) x + l log(1 + exp(-x))), computed as
     * (1 - y) x + l (log1p(exp(-|x|)) + max(-x, 0)) so that no large number is exponentiated.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets, BceOptions options) {
        if (Autocast.active()) return Autocast.call(AutocastOp.BINARY_CROSS_ENTROPY_WITH_LOGITS, in -> binaryCrossEntropyWithLogits(in[0], in[1], options), logits, targets);
        String op = "binaryCrossEntropyWithLogits";
        if (options == null) throw new IllegalArgumentException(op + ": options is null (use BceOptions.defaults())");
        Tensor losses;
        if (options.posWeight() == null) {
            losses = binaryCrossEntropyWithLogits(logits, targets, Reduction.NONE);
        } else {
            sameLayout(op, logits, "logits", targets, "targets");
            Tensor pw = broadcastable(op, "posWeight", options.posWeight(), logits);
            Tensor zero = Tensor.zeros(logits.dtype(), logits.device());
            Tensor softplusOfNegX = logits.abs().neg().exp().apply(UnaryOp.LOG1P).add(logits.neg().maximum(zero));
            Tensor l = pw.sub(1).mul(targets).add(1);
            losses = targets.rsub(1).mul(logits).add(l.mul(softplusOfNegX));
        }
        if (options.weight() != null) losses = losses.mul(broadcastable(op, "weight", options.weight(), logits));
        return reduce(losses, options.reduction());
    }

    // ------------------------------------------------------------------ cross-entropy with options

    /**
     * The keyword arguments of PyTorch's {@code cross_entropy}: {@code weight} (one rescaling factor per class,
     * [C], or null), {@code ignoreIndex} (targets of that class index contribute nothing and are left out of the
     * mean; PyTorch's default -100), {@code labelSmoothing} in [0, 1] and the reduction. Build with
     * {@code CrossEntropyOptions.builder().weight(w).ignoreIndex(0).build()}.
     */
    public record CrossEntropyOptions(Reduction reduction, Tensor weight, long ignoreIndex, double labelSmoothing) {
        /** PyTorch's default ignore_index. */
        public static final long DEFAULT_IGNORE_INDEX = -100;

        public CrossEntropyOptions {
            if (reduction == null) {
                throw new IllegalArgumentException("CrossEntropyOptions: reduction is null (use Reduction.MEAN, SUM or NONE)");
            }
            if (reduction == Reduction.BATCHMEAN) {
                throw new IllegalArgumentException("CrossEntropyOptions: reduction BATCHMEAN is only for klDiv; use MEAN, SUM or NONE");
            }
            if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
                throw new IllegalArgumentException("CrossEntropyOptions: label smoothing must be in [0, 1], got " + labelSmoothing);
            }
        }

        /** MEAN, no weight, ignoreIndex -100, no smoothing: PyTorch's defaults. */
        public static CrossEntropyOptions defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        public static final class Builder {
            private Reduction reduction = Reduction.MEAN;
            private Tensor weight;
            private long ignoreIndex = DEFAULT_IGNORE_INDEX;
            private double labelSmoothing;

            private Builder() {
            }

            public Builder reduction(Reduction r) {
                this.reduction = r;
                return this;
            }

            public Builder weight(Tensor w) {
                this.weight = w;
                return this;
            }

            public Builder ignoreIndex(long index) {
                this.ignoreIndex = index;
                return this;
            }

            public Builder labelSmoothing(double eps) {
                this.labelSmoothing = eps;
                return this;
            }

            public CrossEntropyOptions build() {
                return new CrossEntropyOptions(reduction, weight, ignoreIndex, labelSmoothing);
            }
        }
    }

    /**
     * PyTorch's {@code cross_entropy} in full. {@code input} holds logits: [C] (one sample), [N, C], or
     * [N, C, d1, ...] (class scores per position, as in segmentation). {@code target} is either int64 class
     * indices of the input's shape without the class dimension ([], [N] or [N, d1, ...]) or floating class
     * probabilities of the input's shape (soft targets).
     * <p>
     * Class indices: each position's loss is w[y] (-log p[y]) (with label smoothing eps:
     * (1 - eps) w[y] (-log p[y]) + eps / C sum over c of w[c] (-log p[c])); positions whose target is
     * {@code ignoreIndex} contribute 0, and MEAN divides by the summed weight w[y] of the positions kept (their
     * count without class weights). Probabilities: each position's loss is -sum over c of w[c] t[c] log p[c], with
     * t smoothed to (1 - eps) t + eps / C; MEAN divides by the number of positions (weights or not), and
     * ignoreIndex does not apply. NONE returns the per-position losses, shaped as the input without its class
     * dimension.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, CrossEntropyOptions options) {
        return classification("crossEntropy", input, target, options, true);
    }

    /**
     * PyTorch's {@code nll_loss} with its keyword arguments: {@code logProbs} are log-probabilities (the output of
     * logSoftmax over the class dimension) of shape [C], [N, C] or [N, C, d1, ...], {@code targets} int64 class
     * indices; {@code weight}, {@code ignoreIndex} and the reduction behave as in
     * {@link #crossEntropy(Tensor, Tensor, CrossEntropyOptions)}, and label smoothing must be 0.
     */
    public static Tensor nllLoss(Tensor logProbs, Tensor targets, CrossEntropyOptions options) {
        return classification("nllLoss", logProbs, targets, options, false);
    }

    /** crossEntropy (of logits) or nllLoss (of log-probabilities) with options. */
    private static Tensor classification(String op, Tensor input, Tensor target, CrossEntropyOptions options, boolean logits) {
        if (Autocast.active()) {
            return Autocast.call(logits ? AutocastOp.CROSS_ENTROPY : AutocastOp.NLL_LOSS, in -> classification(op, in[0], in[1], options, logits),
                    input, target);
        }
        if (options == null) throw new IllegalArgumentException(op + ": options is null (use CrossEntropyOptions.defaults())");
        if (input == null || target == null) throw new IllegalArgumentException(op + ": input and target must not be null");
        Checks.floating(op, "input", input);
        if (input.dim() == 0) throw new IllegalArgumentException(op + ": input must be [C], [N, C] or [N, C, d1, ...], got " + Checks.describe(input));
        Checks.sameDevice(op, input, "input", target, "target");
        int classDim = input.dim() == 1 ? 0 : 1;
        int classes = input.size(classDim);
        int[] inShape = input.shape().toArray();
        int[] batchShape = new int[inShape.length - 1];
        for (int i = 0, j = 0; i < inShape.length; i++) if (i != classDim) batchShape[j++] = inShape[i];
        Tensor weight = options.weight();
        if (weight != null) {
            if (weight.dim() != 1 || weight.size(0) != classes || weight.dtype() != input.dtype() || !weight.device().equals(input.device())) {
                throw new IllegalArgumentException(op + ": weight must be " + input.dtype() + "[" + classes + "] on " + input.device()
                        + " (one value per class of input " + Checks.describe(input) + "), got " + Checks.describe(weight));
            }
        }
        double eps = options.labelSmoothing();
        if (!logits && eps != 0) throw new IllegalArgumentException(op + ": label smoothing is for crossEntropy; got " + eps);
        Tensor rows = classRows(input, classDim, classes);
        if (!logits && target.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": targets must be int64 class indices (probability targets are for crossEntropy), got "
                    + Checks.describe(target));
        }
        if (target.dtype().isFloating()) {
            if (!target.shape().equals(input.shape()) || target.dtype() != input.dtype()) {
                throw new IllegalArgumentException(op + ": probability targets must have the input's shape and dtype, input "
                        + Checks.describe(input) + ", target " + Checks.describe(target)
                        + " (class-index targets are int64 of shape " + Arrays.toString(batchShape) + ")");
            }
            Tensor t = classRows(target, classDim, classes);
            if (eps > 0) t = t.mul(1 - eps).add(eps / classes);
            Tensor terms = rows.logSoftmax(1).mul(t);
            if (weight != null) terms = terms.mul(weight);
            Tensor perPosition = terms.sum(1, false).neg();
            return switch (options.reduction()) {
                case NONE -> perPosition.reshape(batchShape);
                case SUM -> perPosition.sum();
                default -> perPosition.mean();
            };
        }
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": target must be int64 class indices or floating probabilities, got " + Checks.describe(target));
        }
        if (!Arrays.equals(target.shape().toArray(), batchShape)) {
            throw new IllegalArgumentException(op + ": class-index target must have shape " + Arrays.toString(batchShape) + " for input "
                    + input.shape() + " (the input's shape without the class dimension " + classDim + "), got " + target.shape());
        }
        long ignore = options.ignoreIndex();
        if (target.device().equals(Device.CPU)) {
            long[] v = target.toLongArray(); // a host loop; on a device the gather reports a bad index itself
            for (int i = 0; i < v.length; i++) {
                if ((v[i] < 0 || v[i] >= classes) && v[i] != ignore) {
                    throw new IndexOutOfBoundsException(op + ": target value " + v[i] + " (element " + i + " of shape " + target.shape()
                            + ") is out of range [0, " + classes + ") and is not the ignore index " + ignore);
                }
            }
        }
        Tensor flat = target.reshape(-1);
        Tensor kept = flat.ne(ignore);
        Tensor safe = flat.mul(kept); // ignored positions read class 0, then count 0
        Tensor keptF = kept.to(input.dtype());
        Tensor scale = weight == null ? keptF : weight.indexSelect(0, safe).mul(keptF);
        Tensor losses;
        if (!logits) {
            losses = rows.gather(1, safe.reshape(-1, 1)).reshape(-1).neg().mul(scale);
        } else if (eps > 0) {
            Tensor logp = rows.logSoftmax(1);
            Tensor nll = logp.gather(1, safe.reshape(-1, 1)).reshape(-1).neg();
            Tensor smooth = (weight == null ? logp : logp.mul(weight)).sum(1, false).neg().mul(keptF);
            losses = nll.mul(scale).mul(1 - eps).add(smooth.mul(eps / classes));
        } else {
            losses = Functional.crossEntropy(rows, safe).mul(scale);
        }
        return switch (options.reduction()) {
            case NONE -> losses.reshape(batchShape);
            case SUM -> losses.sum();
            default -> losses.sum().div(scale.sum());
        };
    }

    /** The input as [positions, C]: the class dimension moved last, everything else flattened. */
    private static Tensor classRows(Tensor x, int classDim, int classes) {
        if (x.dim() <= 2) return x.reshape(-1, classes);
        int[] perm = new int[x.dim()];
        perm[0] = 0;
        for (int i = 2; i < x.dim(); i++) perm[i - 1] = i;
        perm[x.dim() - 1] = 1;
        return x.permute(perm).reshape(-1, classes);
    }

    /** Checks that a weighting tensor is floating, of x's dtype and device, and broadcasts to x's shape; returns it. */
    private static Tensor broadcastable(String op, String name, Tensor w, Tensor x) {
        if (w.dtype() != x.dtype() || !w.device().equals(x.device())) {
            throw new IllegalArgumentException(op + ": " + name + " " + Checks.describe(w) + " must have the dtype and device of the input "
                    + Checks.describe(x));
        }
        int[] ws = w.shape().toArray(), xs = x.shape().toArray();
        boolean ok = ws.length <= xs.length;
        for (int i = 1; ok && i <= ws.length; i++) {
            int a = ws[ws.length - i], b = xs[xs.length - i];
            ok = a == b || a == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": " + name + " of shape " + w.shape() + " does not broadcast to the input's shape " + x.shape());
        }
        return w;
    }

    // ------------------------------------------------------------------ internals

    /** Reduces the per-element losses, a temporary of the loss function, and closes them unless they are the result. */
    private static Tensor reduce(Tensor losses, Reduction reduction) {
        if (reduction == null) throw new IllegalArgumentException("reduction is null (use Reduction.MEAN, SUM or NONE)");
        Tensor out = switch (reduction) {
            case SUM -> losses.sum();
            case NONE -> losses;
            case MEAN -> losses.mean();
            case BATCHMEAN -> throw new IllegalArgumentException("reduction BATCHMEAN is only for klDiv; use MEAN, SUM or NONE");
        };
        Temporaries.close(losses, out);
        return out;
    }

    private static void sameLayout(String op, Tensor a, String aName, Tensor b, String bName) {
        Checks.floating(op, aName, a);
        if (!a.shape().equals(b.shape()) || a.dtype() != b.dtype() || !a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": " + aName + " " + Checks.describe(a) + " and " + bName + " "
                    + Checks.describe(b) + " must have the same shape, dtype and device");
        }
    }

    private static void checkClassification(String op, Tensor scores, String scoresName, Tensor targets) {
        if (scores.dim() != 2) {
            throw new IllegalArgumentException(op + ": " + scoresName + " must be [N, C], got " + Checks.describe(scores));
        }
        Checks.floating(op, scoresName, scores);
        Checks.int64(op, "targets", targets);
        if (targets.dim() != 1 || targets.size(0) != scores.size(0)) {
            throw new IllegalArgumentException(op + ": targets must have shape [" + scores.size(0) + "] to match " + scoresName
                    + " " + scores.shape() + ", got " + targets.shape());
        }
        Checks.sameDevice(op, scores, scoresName, targets, "targets");
        Checks.indicesBelow(op, "target", targets, scores.size(1));
    }
}
