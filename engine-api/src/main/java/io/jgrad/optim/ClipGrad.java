package io.jgrad.optim;

import io.jgrad.DType;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Gradient clipping, applied between {@code backward()} and {@code optimizer.step()}. */
public final class ClipGrad {
    private ClipGrad() {
    }

    /** {@link #clipGradNorm(List, double, double)} with the L2 norm. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2);
    }

    /**
     * Rescales the gradients of {@code params} together so that their total norm (the norm of all gradients
     * concatenated into one vector) is at most {@code maxNorm}, as PyTorch's clip_grad_norm_: each gradient is
     * multiplied by {@code maxNorm / (total + 1e-6)} when that is below 1. Parameters without a gradient are
     * ignored. The norm is computed on the gradients' device, with one transfer of the result to the host.
     * <p>
     * If the total norm is NaN or infinite the gradients are left as they are (scaling would only turn them into
     * NaN or zero) and the non-finite norm is returned, so the caller can skip the step.
     *
     * @param normType p of the p-norm, > 0, or {@code Double.POSITIVE_INFINITY} for the largest magnitude
     * @return the total norm before clipping (0 when no parameter has a gradient)
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm must be finite and >= 0, got " + maxNorm);
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clipGradNorm: normType must be > 0 (or infinity), got " + normType);
        }
        List<Tensor> grads = gradients(params);
        if (grads.isEmpty()) return 0;
        double total;
        try (Grad.Mode noGrad = Grad.disabled(); Scope scope = Scope.open()) {
            total = totalNorm(grads, normType).item();
            double scale = maxNorm / (total + 1e-6);
            if (Double.isFinite(total) && scale < 1) {
                for (Tensor g : grads) g.mulInPlace(scale);
            }
        }
        return total;
    }

    private static List<Tensor> gradients(List<Tensor> params) {
        if (params == null) throw new IllegalArgumentException("clipGradNorm: params is null");
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (!grads.isEmpty() && !g.device().equals(grads.get(0).device())) {
                throw new IllegalArgumentException("clipGradNorm: gradients on different devices: " + grads.get(0).device() + " and "
                        + g.device() + " (parameter of shape " + p.shape() + ")");
            }
            grads.add(g);
        }
        return grads;
    }

    /**
     * The p-norm of all gradients together, as a 0-d float64 tensor on their device. Each gradient is reduced in its
     * own dtype; the per-gradient results are combined in float64.
     */
    static Tensor totalNorm(List<Tensor> grads, double normType) {
        Tensor acc = null;
        for (Tensor g : grads) {
            Tensor part;
            if (normType == Double.POSITIVE_INFINITY) {
                part = g.numel() == 0 ? Tensor.zeros(DType.FLOAT64, g.device()) : g.abs().max().to(DType.FLOAT64);
                acc = acc == null ? part : acc.maximum(part);
            } else {
                Tensor powered = normType == 2 ? g.square() : normType == 1 ? g.abs() : g.abs().pow(normType);
                part = powered.sum().to(DType.FLOAT64);
                acc = acc == null ? part : acc.add(part);
            }
        }
        if (normType == Double.POSITIVE_INFINITY || normType == 1) return acc;
        return normType == 2 ? acc.sqrt() : acc.pow(1 / normType);
    }
}
