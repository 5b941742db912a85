package io.jgrad.nn;

import io.jgrad.Device;
import io.jgrad.Functional;
import io.jgrad.Tensor;
import io.jgrad.spi.UnaryOp;

/**
 * Loss functions, as PyTorch's {@code torch.nn.functional} losses. Each returns the mean over all elements by
 * default; {@link Reduction#SUM} sums and {@link Reduction#NONE} returns the per-element (or per-sample) losses.
 */
public final class Losses {
    private Losses() {
    }

    /** How per-element losses are combined into the result. */
    public enum Reduction { MEAN, SUM, NONE }

    // ------------------------------------------------------------------ regression

    /** Mean squared error (pred - target)^2; pred and target must have the same shape, dtype and device. */
    public static Tensor mse(Tensor pred, Tensor target) {
        return mse(pred, target, Reduction.MEAN);
    }

    public static Tensor mse(Tensor pred, Tensor target, Reduction reduction) {
        sameLayout("mse", pred, "pred", target, "target");
        return reduce(pred.sub(target).square(), reduction);
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

    // ------------------------------------------------------------------ internals

    private static Tensor reduce(Tensor losses, Reduction reduction) {
        if (reduction == null) throw new IllegalArgumentException("reduction is null (use Reduction.MEAN, SUM or NONE)");
        return switch (reduction) {
            case SUM -> losses.sum();
            case NONE -> losses;
            case MEAN -> losses.mean();
        };
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
