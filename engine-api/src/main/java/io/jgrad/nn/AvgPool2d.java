package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Tensor;

/**
 * 2-d average pooling, as PyTorch's {@code nn.AvgPool2d}: the stride defaults to the kernel size, padding to 0,
 * count include pad to true, no divisor override. Sizes take one value or (height, width).
 */
public class AvgPool2d extends Module {
    private final int[] kernelSize, stride, padding;
    private final boolean ceilMode, countIncludePad;
    private final int divisorOverride;

    public AvgPool2d(int kernelSize) {
        this(new int[]{kernelSize}, null, new int[]{0}, false, true, 0);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[]{kernelSize}, new int[]{stride}, new int[]{padding}, false, true, 0);
    }

    /** A null stride means the kernel size; a divisorOverride of 0 means none. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad, int divisorOverride) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + PoolSizes.repr(kernelSize) + ", stride=" + PoolSizes.repr(stride) + ", padding=" + PoolSizes.repr(padding);
    }
}
