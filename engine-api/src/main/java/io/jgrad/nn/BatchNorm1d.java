package io.jgrad.nn;

import io.jgrad.DType;
import io.jgrad.Functional;
import io.jgrad.Grad;
import io.jgrad.Tensor;

/**
 * Batch normalisation over the batch of [N, C] inputs (or [N, C, L], normalising each channel over N and L), as
 * PyTorch's {@code BatchNorm1d}.
 * <p>
 * Training mode normalises with the batch mean and the biased batch variance, then updates the running statistics
 * with {@code running = (1 - momentum) * running + momentum * batch}, using the <em>unbiased</em> variance for
 * running_var. Eval mode normalises with the running statistics. The learnable affine transform starts as weight = 1,
 * bias = 0. Buffers: running_mean, running_var and num_batches_tracked (int64, counts training batches).
 */
public class BatchNorm1d extends Module {
    private final int numFeatures;
    private final double eps;
    private final double momentum;
    /** Mirrors the num_batches_tracked buffer, so training steps need not read the device to count. */
    private long batchesTracked;

    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum) {
        if (numFeatures <= 0) throw new IllegalArgumentException("BatchNorm1d: num_features must be positive, got " + numFeatures);
        if (!(eps > 0)) throw new IllegalArgumentException("BatchNorm1d: eps must be positive, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("BatchNorm1d: momentum must be in [0, 1], got " + momentum);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        registerParameter("weight", Tensor.ones(numFeatures));
        registerParameter("bias", Tensor.zeros(numFeatures));
        registerBuffer("running_mean", Tensor.zeros(numFeatures));
        registerBuffer("running_var", Tensor.ones(numFeatures));
        registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64));
    }

    public Tensor weight() {
        return param("weight");
    }

    public Tensor bias() {
        return param("bias");
    }

    public Tensor runningMean() {
        return buffer("running_mean");
    }

    public Tensor runningVar() {
        return buffer("running_var");
    }

    /** How many training batches have updated the running statistics. */
    public long numBatchesTracked() {
        return batchesTracked;
    }

    @Override
    public Tensor forward(Tensor input) {
        if ((input.dim() != 2 && input.dim() != 3) || input.size(1) != numFeatures) {
            throw new IllegalArgumentException(this + ": expected input of shape [N, " + numFeatures + "] or [N, " + numFeatures
                    + ", L], got " + input.shape());
        }
        Checks.matches(this, input, weight(), "weight");
        // Channels last, one row per normalised sample: [N, C] as is, [N, C, L] as [N * L, C].
        Tensor rows = input.dim() == 2 ? input : input.transpose(1, 2).reshape(-1, numFeatures);
        if (isTraining() && rows.size(0) < 2) {
            throw new IllegalArgumentException(this + ": expected more than 1 value per channel when training, got input of shape "
                    + input.shape() + "; use eval() for single samples");
        }
        Tensor out = Functional.batchNorm(rows, runningMean(), runningVar(), weight(), bias(), isTraining(), momentum, eps);
        if (isTraining()) {
            try (Grad.Mode ignored = Grad.disabled()) {
                buffer("num_batches_tracked").fill(++batchesTracked);
            }
        }
        return input.dim() == 2 ? out : out.reshape(input.size(0), input.size(2), numFeatures).transpose(1, 2);
    }

    @Override
    void afterStateLoaded() {
        batchesTracked = buffer("num_batches_tracked").toLongArray()[0];
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum;
    }
}
