package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Tensor;

/**
 * 2-d max pooling over [n, c, h, w] (or [c, h, w]) input, as PyTorch's {@code nn.MaxPool2d}: the stride defaults to
 * the kernel size, padding to 0, dilation to 1. Sizes take one value or (height, width).
 */
public class MaxPool2d extends Module {
    private final int[] kernelSize, stride, padding, dilation;
    private final boolean ceilMode;

    /** Non-overlapping square windows: {@code MaxPool2d(2)} halves height and width. */
    public MaxPool2d(int kernelSize) {
        this(new int[]{kernelSize}, null, new int[]{0}, new int[]{1}, false);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[]{kernelSize}, new int[]{stride}, new int[]{padding}, new int[]{1}, false);
    }

    /** A null stride means the kernel size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** The output and the flat positions (h * W + w within each plane) of the maxima, as {@code return_indices=True}. */
    public Functional.PoolResult forwardWithIndices(Tensor input) {
        return Functional.maxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + PoolSizes.repr(kernelSize) + ", stride=" + PoolSizes.repr(stride) + ", padding=" + PoolSizes.repr(padding)
                + ", dilation=" + PoolSizes.repr(dilation) + ", ceil_mode=" + PoolSizes.bool(ceilMode);
    }
}
