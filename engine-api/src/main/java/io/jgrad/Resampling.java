package io.jgrad;

import java.util.Arrays;

/**
 * Nearest and bilinear resampling of [n, c, h, w] tensors ({@code F.interpolate}). Both are separable, so each is
 * composed of existing ops with their own gradients: nearest picks source rows and then columns with indexSelect;
 * bilinear blends two picked rows, then two picked columns, with per-position weights. The source positions and
 * weights follow PyTorch's CPU kernels (computed in the input's precision), so the results agree to rounding.
 */
final class Resampling {
    private Resampling() {
    }

    static Tensor interpolate(Tensor x, int[] size, double[] scaleFactor, Functional.Interpolation mode, boolean alignCorners) {
        String op = "interpolate";
        x.view();
        if (x.dim() != 4 || !x.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": " + mode + " resampling takes a floating [n, c, h, w] input, got " + x.dtype() + x.shape());
        }
        if (mode == null) throw new IllegalArgumentException(op + ": mode is null");
        if ((size == null) == (scaleFactor == null)) {
            throw new IllegalArgumentException(op + ": give either an output size or a scale factor, not " + (size == null ? "neither" : "both"));
        }
        if (alignCorners && mode == Functional.Interpolation.NEAREST) {
            throw new IllegalArgumentException(op + ": alignCorners can only be set for bilinear resampling");
        }
        int[] out = new int[2];
        double[] scales = new double[2]; // 0: none given
        if (size != null) {
            out = Pooling.pair(op, "size", size, 1);
        } else {
            if (scaleFactor.length == 0 || scaleFactor.length > 2) {
                throw new IllegalArgumentException(op + ": scaleFactor takes one value or two (height, width), got " + Arrays.toString(scaleFactor));
            }
            for (int a = 0; a < 2; a++) {
                scales[a] = scaleFactor[scaleFactor.length == 1 ? 0 : a];
                if (!(scales[a] > 0) || Double.isInfinite(scales[a])) {
                    throw new IllegalArgumentException(op + ": scale factors must be positive and finite, got " + Arrays.toString(scaleFactor));
                }
                out[a] = (int) Math.floor(x.shape[2 + a] * scales[a]);
                if (out[a] < 1) {
                    throw new IllegalArgumentException(op + ": scale factor " + scales[a] + " gives an output size below 1 for input " + x.shape());
                }
            }
        }
        Tensor y = x;
        for (int a = 1; a >= 0; a--) { // columns first, then rows (PyTorch's bilinear order of operations)
            int dim = 2 + a, in = x.shape[dim];
            if (mode == Functional.Interpolation.NEAREST) {
                y = y.indexSelect(dim, Tensor.of(nearest(in, out[a], scales[a]), Device.CPU, out[a]).to(x.device()));
            } else {
                y = linear(y, dim, in, out[a], scales[a], alignCorners);
            }
        }
        return y;
    }

    /** PyTorch's nearest source index: floor(dst * scale) in float32, scale = 1 / scaleFactor or in / out. */
    private static long[] nearest(int in, int out, double scaleFactor) {
        long[] src = new long[out];
        float scale = scaleFactor > 0 ? (float) (1.0 / scaleFactor) : (float) in / out;
        for (int i = 0; i < out; i++) {
            src[i] = out == in ? i : out == 2 * in ? i >> 1 : Math.min((long) Math.floor(i * scale), in - 1);
        }
        return src;
    }

    /** y blended along dim: w0 * y[i0] + w1 * y[i1], with PyTorch's source positions. */
    private static Tensor linear(Tensor y, int dim, int in, int out, double scaleFactor, boolean alignCorners) {
        boolean f32 = y.dtype() != DType.FLOAT64; // float32 and the half types, which PyTorch indexes in float32
        long[] i0 = new long[out], i1 = new long[out];
        double[] w0 = new double[out], w1 = new double[out];
        for (int i = 0; i < out; i++) {
            double src;
            if (f32) {
                float scale = alignCorners ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f)
                        : scaleFactor > 0 ? (float) (1.0 / scaleFactor) : (float) in / out;
                float s = alignCorners ? scale * i : Math.max(scale * (i + 0.5f) - 0.5f, 0f);
                int lo = Math.min((int) Math.floor(s), in - 1);
                float l1 = Math.min(Math.max(s - lo, 0f), 1f);
                src = lo;
                w1[i] = l1;
                w0[i] = 1f - l1;
            } else {
                double scale = alignCorners ? (out > 1 ? (double) (in - 1) / (out - 1) : 0)
                        : scaleFactor > 0 ? 1.0 / scaleFactor : (double) in / out;
                double s = alignCorners ? scale * i : Math.max(scale * (i + 0.5) - 0.5, 0);
                int lo = Math.min((int) Math.floor(s), in - 1);
                double l1 = Math.min(Math.max(s - lo, 0), 1);
                src = lo;
                w1[i] = l1;
                w0[i] = 1 - l1;
            }
            i0[i] = (long) src;
            i1[i] = i0[i] + (i0[i] < in - 1 ? 1 : 0);
        }
        int[] wShape = new int[4];
        Arrays.fill(wShape, 1);
        wShape[dim] = out;
        Device dev = y.device();
        Tensor a = y.indexSelect(dim, Tensor.of(i0, Device.CPU, out).to(dev));
        Tensor b = y.indexSelect(dim, Tensor.of(i1, Device.CPU, out).to(dev));
        Tensor wa = Tensor.of(w0, Device.CPU, wShape).to(y.dtype()).to(dev);
        Tensor wb = Tensor.of(w1, Device.CPU, wShape).to(y.dtype()).to(dev);
        return a.mul(wa).add(b.mul(wb));
    }
}
