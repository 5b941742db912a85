package io.jgrad.nn;

import io.jgrad.Tensor;

/**
 * Batch normalisation over the batch of [N, C] inputs (or [N, C, L], normalising each channel over N and L), as
 * PyTorch's {@code BatchNorm1d}.
 * <p>
 * Training mode normalises with the batch mean and the biased batch variance, then updates the running statistics
 * with {@code running = (1 - momentum) * running + momentum * batch}, using the <em>unbiased</em> variance for
 * running_var. Eval mode normalises with the running statistics. The learnable affine transform starts as weight = 1,
 * bias = 0. Buffers: running_mean, running_var and num_batches_tracked (int64, counts training batches).
 * <p>
 * With {@code affine = false} there is no weight and bias (no parameters at all); with
 * {@code trackRunningStats = false} there are no buffers and batch statistics are used in eval mode too, as in
 * PyTorch.
 */
public class BatchNorm1d extends BatchNormBase {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum) {
        this(numFeatures, eps, momentum, true, true);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super("BatchNorm1d", numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor input) {
        if ((input.dim() != 2 && input.dim() != 3) || input.size(1) != numFeatures) {
            throw new IllegalArgumentException(this + ": expected input of shape [N, " + numFeatures + "] or [N, " + numFeatures
                    + ", L], got " + input.shape());
        }
        // Channels last, one row per normalised sample: [N, C] as is, [N, C, L] as [N * L, C].
        if (input.dim() == 2) return normalizeRows(input, input);
        Tensor channelsLast = input.transpose(1, 2), rows = channelsLast.reshape(-1, numFeatures);
        Temporaries.close(channelsLast, rows);
        Tensor out = normalizeRows(rows, input);
        Temporaries.close(rows, input);
        Tensor unflat = out.reshape(input.size(0), input.size(2), numFeatures), result = unflat.transpose(1, 2);
        Temporaries.close(out, unflat);
        Temporaries.close(unflat, result);
        return result;
    }
}
