package io.jgrad;

import io.jgrad.spi.Pool2d;
import java.util.Arrays;

/**
 * 2-d pooling over NCHW (or unbatched CHW) tensors: max, average, adaptive max and adaptive average. Each op turns
 * its arguments into the windows of a {@link Pool2d} (shape rule, padding and ceil mode live here, not in the
 * kernels), runs the backend's one pooling kernel and records one backward rule: max pooling sends each output's
 * gradient to the input position its index names, average pooling spreads it evenly over the window.
 */
final class Pooling {
    private Pooling() {
    }

    /** max pooling; returns {output, indices}, indices int64 flat positions h * W + w within each plane. */
    static Tensor[] maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        String op = "maxPool2d";
        int[] hw = checkInput(op, x);
        int[] k = pair(op, "kernel", kernel, 1), s = stride == null || stride.length == 0 ? k : pair(op, "stride", stride, 1);
        int[] p = pair(op, "padding", padding, 0), d = pair(op, "dilation", dilation, 1);
        int[][] rows = strided(op, x, hw[0], k[0], s[0], p[0], d[0], ceilMode, "height");
        int[][] cols = strided(op, x, hw[1], k[1], s[1], p[1], d[1], ceilMode, "width");
        Pool2d windows = new Pool2d(true, hw[0], hw[1], rows[0].length, cols[0].length, rows[0], rows[1], cols[0], cols[1],
                d[0], d[1], null);
        return run(x, windows, "MaxPool2DWithIndicesBackward");
    }

    static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
                            int divisorOverride) {
        String op = "avgPool2d";
        int[] hw = checkInput(op, x);
        int[] k = pair(op, "kernel", kernel, 1), s = stride == null || stride.length == 0 ? k : pair(op, "stride", stride, 1);
        int[] p = pair(op, "padding", padding, 0);
        if (divisorOverride < 0) throw new IllegalArgumentException(op + ": divisorOverride must be positive (0 for none), got " + divisorOverride);
        int[][] rows = strided(op, x, hw[0], k[0], s[0], p[0], 1, ceilMode, "height");
        int[][] cols = strided(op, x, hw[1], k[1], s[1], p[1], 1, ceilMode, "width");
        int oh = rows[0].length, ow = cols[0].length;
        double[] divisor = new double[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                // count include pad counts the window inside the padded input (a ceil-mode window may run past it)
                divisor[i * ow + j] = divisorOverride > 0 ? divisorOverride
                        : countIncludePad ? (double) rows[2][i] * cols[2][j] : (double) rows[1][i] * cols[1][j];
            }
        }
        Pool2d windows = new Pool2d(false, hw[0], hw[1], oh, ow, rows[0], rows[1], cols[0], cols[1], 1, 1, divisor);
        return run(x, windows, "AvgPool2DBackward")[0];
    }

    static Tensor[] adaptiveMaxPool2d(Tensor x, int[] outputSize) {
        return run(x, adaptive("adaptiveMaxPool2d", x, outputSize, true), "AdaptiveMaxPool2DBackward");
    }

    static Tensor adaptiveAvgPool2d(Tensor x, int[] outputSize) {
        return run(x, adaptive("adaptiveAvgPool2d", x, outputSize, false), "AdaptiveAvgPool2DBackward")[0];
    }

    // ------------------------------------------------------------------ the op

    private static Tensor[] run(Tensor x, Pool2d windows, String node) {
        boolean batched = x.dim() == 4;
        Tensor x4 = batched ? x : x.unsqueeze(0);
        int n = x4.shape[0], c = x4.shape[1];
        int[] outShape = {n, c, windows.outH(), windows.outW()};
        Tensor out = Tensor.empty(x4.backend(), x4.dtype(), outShape);
        Tensor indices = windows.max() ? Tensor.empty(x4.backend(), DType.INT64, outShape.clone()) : null;
        x4.backend().pool2d(out.view(), indices == null ? null : indices.view(), x4.view(), windows);
        if (Autograd.needed(x4)) {
            int[] inShape = x4.shapeArray();
            Saved sIndices = indices == null ? null : Saved.of(indices);
            Node.Rule rule = (g, needs) -> {
                Tensor dense = g.contiguous();
                Tensor gi = Tensor.empty(g.backend(), g.dtype(), inShape);
                g.backend().pool2dBackward(gi.view(), dense.view(), sIndices == null ? null : sIndices.get().view(), windows);
                if (dense != g) dense.close();
                return new Tensor[]{gi};
            };
            if (sIndices != null) Autograd.record(node, out, new Tensor[]{x4}, rule, sIndices);
            else Autograd.record(node, out, new Tensor[]{x4}, rule);
        }
        if (batched) return new Tensor[]{out, indices};
        Tensor[] r = {out.squeeze(0), indices == null ? null : indices.squeeze(0)};
        Tensor.closeAll(x4, out, indices); // the 4-d views: only the 3-d results stay open
        return r;
    }

    // ------------------------------------------------------------------ windows

    /** The input's spatial size after checking it is a floating [n, c, h, w] or [c, h, w] tensor with planes. */
    private static int[] checkInput(String op, Tensor x) {
        x.view();
        if ((x.dim() != 3 && x.dim() != 4) || !x.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": input must be a floating [n, c, h, w] or [c, h, w] tensor, got "
                    + x.dtype() + x.shape());
        }
        int r = x.dim();
        if (x.shape[r - 3] == 0 || x.shape[r - 2] == 0 || x.shape[r - 1] == 0) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " has an empty channel or spatial dimension");
        }
        return new int[]{x.shape[r - 2], x.shape[r - 1]};
    }

    /** One value for both axes or one per axis (height, width), each at least {@code min}. */
    static int[] pair(String op, String what, int[] v, int min) {
        if (v == null || v.length == 0 || v.length > 2) {
            throw new IllegalArgumentException(op + ": " + what + " takes one value or two (height, width), got "
                    + (v == null ? "null" : Arrays.toString(v)));
        }
        int[] out = v.length == 1 ? new int[]{v[0], v[0]} : v.clone();
        for (int a : out) {
            if (a < min) throw new IllegalArgumentException(op + ": " + what + " must be at least " + min + ", got " + Arrays.toString(v));
        }
        return out;
    }

    /**
     * The windows of one axis of a kernel/stride/padding/dilation pooling: {starts, counts, padded extents}, starts
     * and counts clipped to the input, padded extents being what count include pad divides by. The output size is
     * PyTorch's: floor((in + 2p - d(k-1) - 1) / s) + 1, rounding up in ceil mode, except that the last window must
     * start inside the input or its left padding.
     */
    private static int[][] strided(String op, Tensor x, int in, int k, int s, int p, int d, boolean ceil, String axis) {
        if (p > k / 2) {
            throw new IllegalArgumentException(op + ": padding " + p + " along the " + axis + " must be at most half the kernel size " + k);
        }
        long span = (long) d * (k - 1) + 1;
        long out = Math.floorDiv((long) in + 2L * p - span + (ceil ? s - 1 : 0), s) + 1;
        if (ceil && out > 0 && (out - 1) * s >= in + p) out--;
        if (out < 1) {
            throw new IllegalArgumentException(op + ": output " + axis + " " + out + " is below 1: kernel " + k + " (dilation " + d
                    + ") is larger than the padded input " + x.shape() + " (padding " + p + ")");
        }
        int n = (int) out;
        int[] start = new int[n], count = new int[n], extent = new int[n];
        for (int i = 0; i < n; i++) {
            long first = (long) i * s - p;
            long k0 = first < 0 ? (-first + d - 1) / d : 0; // the first window position inside the input
            long k1 = Math.min(k - 1, Math.floorDiv(in - 1 - first, d));
            if (k1 < k0) {
                throw new IllegalArgumentException(op + ": window " + i + " along the " + axis + " covers only padding (input "
                        + x.shape() + ", kernel " + k + ", stride " + s + ", padding " + p + ", dilation " + d + ")");
            }
            start[i] = (int) (first + k0 * d);
            count[i] = (int) (k1 - k0 + 1);
            extent[i] = (int) (Math.min(first + k, (long) in + p) - first);
        }
        return new int[][]{start, count, extent};
    }

    /** Adaptive windows: output i reads [floor(i * in / out), ceil((i + 1) * in / out)). */
    private static Pool2d adaptive(String op, Tensor x, int[] outputSize, boolean max) {
        int[] hw = checkInput(op, x);
        int[] size = pair(op, "output size", outputSize, 1);
        int[][] axes = new int[4][];
        for (int a = 0; a < 2; a++) {
            int in = hw[a], out = size[a];
            int[] start = new int[out], count = new int[out];
            for (int i = 0; i < out; i++) {
                start[i] = (int) ((long) i * in / out);
                count[i] = (int) (((long) (i + 1) * in + out - 1) / out) - start[i];
            }
            axes[2 * a] = start;
            axes[2 * a + 1] = count;
        }
        double[] divisor = null;
        if (!max) {
            divisor = new double[size[0] * size[1]];
            for (int i = 0; i < size[0]; i++) {
                for (int j = 0; j < size[1]; j++) divisor[i * size[1] + j] = (double) axes[1][i] * axes[3][j];
            }
        }
        return new Pool2d(max, hw[0], hw[1], size[0], size[1], axes[0], axes[1], axes[2], axes[3], 1, 1, divisor);
    }
}
