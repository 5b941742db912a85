package io.jgrad.nn;

import io.jgrad.Tensor;

/**
 * Batch normalisation of images [N, C, H, W], each channel over N, H and W, as PyTorch's {@code BatchNorm2d}: the
 * same statistics, options, parameters and buffers (running_mean, running_var, num_batches_tracked) as
 * {@link BatchNorm1d}, run through the same fused kernel on the images as they lie, [N, C, H * W].
 */
public class BatchNorm2d extends BatchNormBase {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum) {
        this(numFeatures, eps, momentum, true, true);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super("BatchNorm2d", numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 4 || input.size(1) != numFeatures) {
            throw new IllegalArgumentException(this + ": expected input of shape [N, " + numFeatures + ", H, W], got " + input.shape());
        }
        int n = input.size(0), h = input.size(2), w = input.size(3);
        Tensor images = input.reshape(n, numFeatures, h * w);
        Tensor normalized = normalizeRows(images, input);
        Tensor out = normalized.reshape(n, numFeatures, h, w);
        Temporaries.close(images, input);
        Temporaries.close(normalized, out);
        return out;
    }
}
