package io.jgrad.nn;

import io.jgrad.DType;
import io.jgrad.Functional;
import io.jgrad.Grad;
import io.jgrad.Tensor;

/**
 * What BatchNorm1d and BatchNorm2d share: the parameters and buffers under PyTorch's names, the options
 * {@code affine} and {@code trackRunningStats}, and the normalisation of rows [M, C] through the fused batch-norm
 * kernel. Subclasses bring their input layout to rows and back.
 */
abstract class BatchNormBase extends Module {
    final int numFeatures;
    final double eps;
    final double momentum;
    final boolean affine;
    final boolean trackRunningStats;
    /** Mirrors the num_batches_tracked buffer, so training steps need not read the device to count. */
    private long batchesTracked;

    BatchNormBase(String type, int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) throw new IllegalArgumentException(type + ": num_features must be positive, got " + numFeatures);
        if (!(eps > 0)) throw new IllegalArgumentException(type + ": eps must be positive, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException(type + ": momentum must be in [0, 1], got " + momentum);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        if (affine) {
            registerParameter("weight", Tensor.ones(numFeatures));
            registerParameter("bias", Tensor.zeros(numFeatures));
        }
        if (trackRunningStats) {
            registerBuffer("running_mean", Tensor.zeros(numFeatures));
            registerBuffer("running_var", Tensor.ones(numFeatures));
            registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64));
        }
    }

    /** The learnable scale [C], or null when built with affine = false. */
    public Tensor weight() {
        return affine ? param("weight") : null;
    }

    /** The learnable shift [C], or null when built with affine = false. */
    public Tensor bias() {
        return affine ? param("bias") : null;
    }

    /** The running mean [C], or null when built with trackRunningStats = false. */
    public Tensor runningMean() {
        return trackRunningStats ? buffer("running_mean") : null;
    }

    /** The running (unbiased) variance [C], or null when built with trackRunningStats = false. */
    public Tensor runningVar() {
        return trackRunningStats ? buffer("running_var") : null;
    }

    /** How many training batches have updated the running statistics (0 without running statistics). */
    public long numBatchesTracked() {
        return batchesTracked;
    }

    public boolean affine() {
        return affine;
    }

    public boolean trackRunningStats() {
        return trackRunningStats;
    }

    /**
     * Normalises rows [M, C] (or images [N, C, S]): with batch statistics in training mode or without running statistics, else with the
     * running ones; updates the running statistics in training mode.
     */
    Tensor normalizeRows(Tensor rows, Tensor input) {
        Tensor w = weight(), b = bias();
        if (affine) {
            Checks.matches(this, input, w, "weight");
        } else {
            Checks.floating(this, "input", input);
            if (trackRunningStats) Checks.matches(this, input, runningMean(), "running_mean");
            w = Tensor.ones(input.dtype(), input.device(), numFeatures);
            b = Tensor.zeros(input.dtype(), input.device(), numFeatures);
        }
        boolean batchStats = isTraining() || !trackRunningStats;
        if (batchStats && rows.numel() / numFeatures < 2) {
            throw new IllegalArgumentException(this + ": expected more than 1 value per channel when training, got input of shape "
                    + input.shape() + (trackRunningStats ? "; use eval() for single samples" : ""));
        }
        boolean update = isTraining() && trackRunningStats;
        Tensor out = Functional.batchNorm(rows, update || !batchStats ? runningMean() : null, update || !batchStats ? runningVar() : null,
                w, b, batchStats, momentum, eps);
        if (!affine) {
            w.close();
            b.close();
        }
        if (update) {
            try (Grad.Mode ignored = Grad.disabled()) {
                buffer("num_batches_tracked").fill(++batchesTracked);
            }
        }
        return out;
    }

    @Override
    void afterStateLoaded() {
        if (trackRunningStats) batchesTracked = buffer("num_batches_tracked").toLongArray()[0];
    }

    @Override
    protected String extraRepr() {
        // the options print only where they differ from the defaults, so existing printouts stay as they were
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + (affine ? "" : ", affine=false")
                + (trackRunningStats ? "" : ", track_running_stats=false");
    }
}
