package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Functional.Interpolation;
import io.jgrad.Tensor;

/**
 * Resampling of [n, c, h, w] input to a size or by a scale factor, nearest (the default) or bilinear, as PyTorch's
 * {@code nn.Upsample}; see {@link Functional#interpolate(Tensor, int[], Interpolation, boolean)}.
 */
public class Upsample extends Module {
    private final int[] size;
    private final double[] scaleFactor;
    private final Interpolation mode;
    private final boolean alignCorners;

    /** Nearest-neighbour upsampling by {@code scaleFactor}. */
    public Upsample(double scaleFactor) {
        this(null, new double[]{scaleFactor}, Interpolation.NEAREST, false);
    }

    public Upsample(double scaleFactor, Interpolation mode) {
        this(null, new double[]{scaleFactor}, mode, false);
    }

    /** Give either size or scaleFactor (one value or height, width); alignCorners is for bilinear only. */
    public Upsample(int[] size, double[] scaleFactor, Interpolation mode, boolean alignCorners) {
        if ((size == null) == (scaleFactor == null)) {
            throw new IllegalArgumentException("Upsample: give either a size or a scale factor");
        }
        if (mode == null) throw new IllegalArgumentException("Upsample: mode is null");
        this.size = size == null ? null : size.clone();
        this.scaleFactor = scaleFactor == null ? null : scaleFactor.clone();
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    @Override
    public Tensor forward(Tensor input) {
        return size != null ? Functional.interpolate(input, size, mode, alignCorners)
                : Functional.interpolate(input, scaleFactor, mode, alignCorners);
    }

    @Override
    protected String extraRepr() {
        String info = size != null ? "size=" + PoolSizes.repr(size) : "scale_factor=" + PoolSizes.repr(scaleFactor);
        return info + ", mode='" + mode.name().toLowerCase(java.util.Locale.ROOT) + "'";
    }
}
