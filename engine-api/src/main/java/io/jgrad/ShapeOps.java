package io.jgrad;

import io.jgrad.spi.View;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Shape vocabulary built on the view and indexing primitives: chunk and split (views, like PyTorch's), repeat and
 * repeatInterleave (an expand then a copy), flip and roll (copies), tril and triu (a mask), pad (constant, reflect,
 * replicate, circular) and maskedSelect. No new kernels: each op is views, indexSelect, cat or where, so every backend
 * runs it. Where the composition would leave a chain of nodes, the forward runs without recording and one node with
 * the op's own backward rule is recorded instead (flip's gradient is a flip, roll's a roll the other way).
 */
final class ShapeOps {
    private ShapeOps() {
    }

    /** Runs {@code forward} on x outside the graph and records one node whose rule is {@code backward(grad)}. */
    private static Tensor recorded(String node, Tensor x, UnaryOperator<Tensor> forward, UnaryOperator<Tensor> backward) {
        Tensor out;
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor detached = x.detach();
            out = forward.apply(detached);
            if (out != detached) detached.close(); // out may view it, with a reference of its own
        }
        if (Autograd.needed(x)) {
            Autograd.record(node, out, new Tensor[]{x}, (g, needs) -> new Tensor[]{backward.apply(g)});
        }
        return out;
    }

    /** An int64 index vector on x's device. */
    static Tensor indexOn(Tensor x, long[] values) {
        return Tensor.of(values, x.device(), values.length);
    }

    // ---------------------------------------------------------------- chunk and split (views)

    static List<Tensor> split(Tensor x, int splitSize, int dim) {
        if (x.dim() == 0) throw new IllegalArgumentException("split: a tensor of rank 0 cannot be split");
        int a = ViewOps.axis("split", x, dim);
        int n = x.shape[a];
        if (splitSize < 0 || (splitSize == 0 && n > 0)) {
            throw new IllegalArgumentException("split: split size must be positive, got " + splitSize + " for dimension " + dim
                    + " of size " + n + " in shape " + x.shape());
        }
        List<Tensor> parts = new ArrayList<>();
        if (n == 0) {
            parts.add(x.narrow(a, 0, 0));
            return parts;
        }
        for (int start = 0; start < n; start += splitSize) parts.add(x.narrow(a, start, Math.min(splitSize, n - start)));
        return parts;
    }

    static List<Tensor> split(Tensor x, int[] sizes, int dim) {
        if (x.dim() == 0) throw new IllegalArgumentException("split: a tensor of rank 0 cannot be split");
        int a = ViewOps.axis("split", x, dim);
        int n = x.shape[a];
        long total = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " contain a negative size");
            total += s;
        }
        if (total != n) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " sum to " + total + ", but dimension " + dim
                    + " of shape " + x.shape() + " has size " + n);
        }
        List<Tensor> parts = new ArrayList<>(sizes.length);
        int start = 0;
        for (int s : sizes) {
            parts.add(x.narrow(a, start, s));
            start += s;
        }
        return parts;
    }

    /** PyTorch's chunk: pieces of ceil(n / chunks), so there may be fewer than {@code chunks} of them. */
    static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk: number of chunks must be positive, got " + chunks);
        if (x.dim() == 0) throw new IllegalArgumentException("chunk: a tensor of rank 0 cannot be chunked");
        int a = ViewOps.axis("chunk", x, dim);
        int n = x.shape[a];
        if (n == 0) {
            List<Tensor> parts = new ArrayList<>();
            for (int i = 0; i < chunks; i++) parts.add(x.narrow(a, 0, 0));
            return parts;
        }
        return split(x, (int) ((n + (long) chunks - 1) / chunks), a);
    }

    // ---------------------------------------------------------------- repeat

    /** torch.Tensor.repeat: tiles the tensor; leading repeats add dimensions. An expand, then one copy. */
    static Tensor repeat(Tensor x, int[] repeats) {
        if (repeats.length < x.dim()) {
            throw new IllegalArgumentException("repeat: " + repeats.length + " repeats " + Arrays.toString(repeats)
                    + " cannot be fewer than the " + x.dim() + " dimensions of shape " + x.shape());
        }
        for (int r : repeats) {
            if (r < 0) throw new IllegalArgumentException("repeat: repeats " + Arrays.toString(repeats) + " contain a negative count");
        }
        int r = repeats.length, lead = r - x.dim();
        int[] interleaved = new int[2 * r], expanded = new int[2 * r], result = new int[r];
        for (int i = 0; i < r; i++) {
            int size = i < lead ? 1 : x.shape[i - lead];
            interleaved[2 * i] = 1;
            interleaved[2 * i + 1] = size;
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = size;
            long total = (long) repeats[i] * size;
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("repeat: repeating size " + size + " " + repeats[i] + " times exceeds the largest size");
            }
            result[i] = (int) total;
        }
        View.numel("repeat", result);
        return x.reshape(interleaved).expand(expanded).reshape(result);
    }

    /** Each element (slice along dim) repeated {@code repeats} times in place: an expand of a new axis, then a copy. */
    static Tensor repeatInterleave(Tensor x, int repeats, Integer dim) {
        if (repeats < 0) throw new IllegalArgumentException("repeatInterleave: repeats must be non-negative, got " + repeats);
        if (dim == null) return repeatInterleave(x.flatten(), repeats, 0);
        if (x.dim() == 0) return repeatInterleave(x.reshape(1), repeats, 0);
        int a = ViewOps.axis("repeatInterleave", x, dim);
        int[] inserted = new int[x.dim() + 1], expanded = new int[x.dim() + 1];
        for (int i = 0, j = 0; i < inserted.length; i++) {
            inserted[i] = i == a + 1 ? 1 : x.shape[j];
            expanded[i] = i == a + 1 ? repeats : x.shape[j];
            if (i != a + 1) j++;
        }
        int[] result = x.shapeArray();
        long total = (long) result[a] * repeats;
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("repeatInterleave: the result along dimension " + dim + " is too large");
        result[a] = (int) total;
        return x.reshape(inserted).expand(expanded).reshape(result);
    }

    /** Slice i along dim repeated repeats[i] times (repeats: int64 or int32, 0-D, or 1-D of the dimension's size or 1). */
    static Tensor repeatInterleave(Tensor x, Tensor repeats, Integer dim) {
        if (repeats.dtype() != DType.INT64 && repeats.dtype() != DType.INT32) {
            throw new IllegalArgumentException("repeatInterleave: repeats must be int64 or int32, got " + repeats.dtype() + " of shape " + repeats.shape());
        }
        Elementwise.sameDevice("repeatInterleave", x, repeats);
        if (dim == null) return repeatInterleave(x.flatten(), repeats, 0);
        if (x.dim() == 0) return repeatInterleave(x.reshape(1), repeats, 0);
        int a = ViewOps.axis("repeatInterleave", x, dim);
        int n = x.shape[a];
        if (repeats.dim() > 1 || (repeats.numel() != n && repeats.numel() != 1)) {
            throw new IllegalArgumentException("repeatInterleave: repeats of shape " + repeats.shape() + " must be 0-D or 1-D with "
                    + n + " (or 1) elements, for dimension " + dim + " of shape " + x.shape());
        }
        long[] r = repeats.toLongArray();
        long total = 0;
        for (long v : r) {
            if (v < 0) throw new IllegalArgumentException("repeatInterleave: repeats must be non-negative, got " + Arrays.toString(r));
            total += r.length == 1 ? v * n : v;
        }
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("repeatInterleave: the result along dimension " + dim + " is too large");
        long[] index = new long[(int) total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            long times = r.length == 1 ? r[0] : r[i];
            for (long k = 0; k < times; k++) index[at++] = i;
        }
        return x.indexSelect(a, indexOn(x, index));
    }

    // ---------------------------------------------------------------- flip and roll (copies)

    static Tensor flip(Tensor x, int[] dims) {
        int[] axes = distinctAxes("flip", x, dims);
        return recorded("FlipBackward", x, v -> {
            Tensor out = v;
            for (int a : axes) {
                int n = v.shape[a];
                long[] rev = new long[n];
                for (int i = 0; i < n; i++) rev[i] = n - 1 - i;
                out = out.indexSelect(a, indexOn(v, rev));
            }
            return out == v ? ViewOps.copy(v) : out;
        }, g -> flip(g, axes));
    }

    private static int[] distinctAxes(String op, Tensor x, int[] dims) {
        int[] axes = new int[dims.length];
        boolean[] seen = new boolean[Math.max(x.dim(), 1)];
        for (int i = 0; i < dims.length; i++) {
            axes[i] = ViewOps.axis(op, x, dims[i]);
            if (seen[axes[i]]) throw new IllegalArgumentException(op + ": dimension " + dims[i] + " appears more than once in " + Arrays.toString(dims));
            seen[axes[i]] = true;
        }
        if (x.dim() == 0) return new int[0];
        return axes;
    }

    static Tensor roll(Tensor x, int[] shifts, int[] dims) {
        if (dims.length == 0) {
            if (shifts.length != 1) {
                throw new IllegalArgumentException("roll: without dims, shifts must hold one value, got " + Arrays.toString(shifts));
            }
            return roll(x.flatten(), shifts, new int[]{0}).reshape(x.shapeArray());
        }
        if (shifts.length != dims.length) {
            throw new IllegalArgumentException("roll: shifts " + Arrays.toString(shifts) + " and dims " + Arrays.toString(dims)
                    + " must have the same length");
        }
        if (x.dim() == 0) return roll(x.reshape(1), shifts, new int[]{0}).reshape();
        int[] axes = new int[dims.length];
        for (int i = 0; i < dims.length; i++) axes[i] = ViewOps.axis("roll", x, dims[i]);
        int[] back = new int[shifts.length];
        for (int i = 0; i < shifts.length; i++) back[i] = -shifts[i];
        return recorded("RollBackward", x, v -> {
            Tensor out = v;
            for (int i = 0; i < axes.length; i++) {
                int n = v.shape[axes[i]];
                if (n == 0) continue;
                int s = Math.floorMod(shifts[i], n);
                if (s == 0) continue;
                out = ViewOps.cat(List.of(out.narrow(axes[i], n - s, s), out.narrow(axes[i], 0, n - s)), axes[i]);
            }
            return out == v ? ViewOps.copy(v) : out;
        }, g -> roll(g, back, axes));
    }

    // ---------------------------------------------------------------- tril and triu

    /** Keeps the elements on and below (tril) or on and above (triu) the diagonal {@code k} of the last two dims. */
    static Tensor triangle(Tensor x, int k, boolean lower) {
        String op = lower ? "tril" : "triu";
        if (x.dim() < 2) throw new IllegalArgumentException(op + ": expects a tensor of at least 2 dimensions, got shape " + x.shape());
        int rows = x.shape[x.dim() - 2], cols = x.shape[x.dim() - 1];
        boolean[] keep = new boolean[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) keep[i * cols + j] = lower ? (long) j - i <= k : (long) j - i >= k;
        }
        Tensor mask = Tensor.of(keep, x.device(), rows, cols);
        return recorded(lower ? "TrilBackward" : "TriuBackward", x,
                v -> Tensor.where(mask, v, Elementwise.constant(v, 0)),
                g -> Tensor.where(mask, g, Elementwise.constant(g, 0)));
    }

    // ---------------------------------------------------------------- pad

    /**
     * torch.nn.functional.pad: {@code pad} lists (left, right) pairs starting from the last dimension. CONSTANT fills
     * with {@code value} and accepts negative pads (cropping); the other modes take their values from the input:
     * REFLECT mirrors without repeating the edge (pads must be smaller than the dimension), REPLICATE repeats the
     * edge, CIRCULAR wraps around (pads at most the dimension).
     */
    static Tensor pad(Tensor x, int[] pad, Tensor.PadMode mode, double value) {
        if (pad.length % 2 != 0 || pad.length / 2 > x.dim()) {
            throw new IllegalArgumentException("pad: the pad list " + Arrays.toString(pad) + " must hold (left, right) pairs for at most the "
                    + x.dim() + " dimensions of shape " + x.shape());
        }
        if (mode != Tensor.PadMode.CONSTANT && value != 0) {
            throw new IllegalArgumentException("pad: a fill value applies to CONSTANT padding only, got " + value + " with " + mode);
        }
        int pairs = pad.length / 2;
        if (mode == Tensor.PadMode.CONSTANT) return constantPad(x, pad, value);
        Tensor out = x;
        for (int p = 0; p < pairs; p++) {
            int a = x.dim() - 1 - p;
            int left = pad[2 * p], right = pad[2 * p + 1], n = x.shape[a];
            String where = "padding (" + left + ", " + right + ") at dimension " + a + " of input shape " + x.shape();
            if (left < 0 || right < 0) {
                throw new IllegalArgumentException("pad: " + mode + " padding cannot be negative: " + where);
            }
            if (left == 0 && right == 0) continue;
            switch (mode) {
                case REFLECT -> {
                    if (left >= n || right >= n) {
                        throw new IllegalArgumentException("pad: REFLECT padding must be smaller than the padded dimension: " + where);
                    }
                }
                case REPLICATE -> {
                    if (n == 0) throw new IllegalArgumentException("pad: REPLICATE padding of an empty dimension: " + where);
                }
                case CIRCULAR -> {
                    if (left > n || right > n) {
                        throw new IllegalArgumentException("pad: CIRCULAR padding may wrap around at most once (pads at most the dimension): " + where);
                    }
                }
                default -> throw new IllegalStateException();
            }
            long[] index = new long[Math.addExact(n, Math.addExact(left, right))];
            for (int j = 0; j < index.length; j++) {
                int i = j - left;
                index[j] = switch (mode) {
                    case REFLECT -> i < 0 ? -i : i >= n ? 2L * (n - 1) - i : i;
                    case REPLICATE -> Math.max(0, Math.min(n - 1, i));
                    default -> Math.floorMod(i, n);
                };
            }
            out = out.indexSelect(a, indexOn(x, index)); // the gradient sums the copies back (scatter-add)
        }
        return out;
    }

    private static Tensor constantPad(Tensor x, int[] pad, double value) {
        int pairs = pad.length / 2;
        Tensor cropped = x; // negative pads crop first, as views
        int[] grow = new int[pad.length];
        for (int p = 0; p < pairs; p++) {
            int a = x.dim() - 1 - p;
            int left = pad[2 * p], right = pad[2 * p + 1], n = cropped.shape[a];
            int cutLeft = Math.max(0, -left), cutRight = Math.max(0, -right);
            if ((long) cutLeft + cutRight > n || (long) n + left + right < 0) {
                throw new IllegalArgumentException("pad: padding (" + left + ", " + right + ") at dimension " + a
                        + " leaves a negative size for input shape " + x.shape());
            }
            if (cutLeft + cutRight > 0) cropped = cropped.narrow(a, cutLeft, n - cutLeft - cutRight);
            grow[2 * p] = Math.max(0, left);
            grow[2 * p + 1] = Math.max(0, right);
        }
        int[] shape = cropped.shapeArray();
        for (int p = 0; p < pairs; p++) {
            int a = x.dim() - 1 - p;
            long size = (long) shape[a] + grow[2 * p] + grow[2 * p + 1];
            if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("pad: dimension " + a + " would exceed the largest size");
            shape[a] = (int) size;
        }
        View.numel("pad", shape);
        int[] inShape = cropped.shapeArray();
        return recorded("ConstantPadBackward", cropped, v -> {
            Tensor out = Tensor.full(value, v.dtype(), v.device(), shape);
            Tensor inner = out.detach();
            for (int p = 0; p < pairs; p++) inner = inner.narrow(v.dim() - 1 - p, grow[2 * p], v.shape[v.dim() - 1 - p]);
            out.backend().copy(inner.view(), v.view());
            return out;
        }, g -> {
            Tensor inner = g;
            for (int p = 0; p < pairs; p++) inner = inner.narrow(g.dim() - 1 - p, grow[2 * p], inShape[inShape.length - 1 - p]);
            return inner;
        });
    }

    // ---------------------------------------------------------------- maskedSelect

    /** The elements where the bool mask (broadcast with x) is true, as a 1-D tensor in row-major order. */
    static Tensor maskedSelect(Tensor x, Tensor mask) {
        x.view();
        mask.view();
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("maskedSelect: expected a bool mask, got " + mask.dtype() + mask.shape()
                    + " (compare first, e.g. x.gt(0))");
        }
        Elementwise.sameDevice("maskedSelect", x, mask);
        int[] shape = Elementwise.broadcastShapes("maskedSelect", x.shape, mask.shape);
        boolean[] m = mask.expand(shape).toBooleanArray();
        int count = 0;
        for (boolean b : m) if (b) count++;
        long[] positions = new long[count];
        for (int i = 0, j = 0; i < m.length; i++) if (m[i]) positions[j++] = i;
        return x.expand(shape).reshape(-1).indexSelect(0, indexOn(x, positions));
    }
}
