package io.jgrad;

import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.View;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that change how memory is seen (reshape, transpose, permute, expand, squeeze, slice) without copying, and the
 * copies (contiguous, clone, cat, stack, device and dtype moves). A view's backward puts the gradient back into the
 * input's layout: reshape it, transpose it back, or write it into a zero tensor at the sliced positions.
 */
final class ViewOps {
    private ViewOps() {
    }

    /** Normalises a possibly negative dimension, failing with the op's name when it is out of range. */
    static int axis(String op, Tensor x, int dim) {
        return axis(op, x.dim(), dim, x.shape);
    }

    static int axis(String op, int rank, int dim, int[] shape) {
        int r = Math.max(rank, 1);
        int a = dim < 0 ? dim + r : dim;
        if (a < 0 || a >= r || (rank == 0 && a != 0)) {
            throw new IndexOutOfBoundsException(op + ": dimension " + dim + " is out of range for a tensor of shape "
                    + Arrays.toString(shape) + " (expected in [" + (-r) + ", " + (r - 1) + "])");
        }
        return a;
    }

    static int[] dropAxis(int[] shape, int axis) {
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != axis) s[j++] = shape[i];
        return s;
    }

    private static Tensor viewOf(Tensor x, int[] shape, long[] strides, long offset) {
        x.view(); // fails on a closed tensor
        View.numel("view", shape); // a last guard: every op checks its own shape first, naming itself
        return new Tensor(x.storage, shape, strides, offset);
    }

    // ---------------------------------------------------------------- reshape

    static Tensor reshape(Tensor x, int[] requested, boolean viewOnly) {
        String op = viewOnly ? "view" : "reshape";
        int[] shape = inferShape(op, x, requested);
        long[] strides = x.isContiguous() ? View.contiguousStrides(shape) : stridesForView(x.shape, x.strides, shape);
        Tensor out;
        if (strides != null) {
            out = viewOf(x, shape, strides, x.offset);
        } else if (viewOnly) {
            throw new IllegalArgumentException("view: shape " + Arrays.toString(shape) + " is not compatible with the strides "
                    + Arrays.toString(x.strides) + " of input shape " + x.shape() + "; use reshape(), which may copy");
        } else {
            Tensor detached = x.detach(), c = copy(detached);
            out = viewOf(c, shape, View.contiguousStrides(shape), 0);
            Tensor.closeAll(detached, c); // out holds the copy; closing out frees it
        }
        if (Autograd.needed(x)) {
            int[] inShape = x.shapeArray();
            Autograd.record(viewOnly ? "ViewBackward" : "ReshapeBackward", out, new Tensor[]{x}, (g, needs) -> new Tensor[]{g.reshape(inShape)});
        }
        return out;
    }

    private static int[] inferShape(String op, Tensor x, int[] requested) {
        int[] shape = requested.clone();
        int infer = -1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be -1, got " + Arrays.toString(requested));
                infer = i;
                shape[i] = 1;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid dimension " + shape[i] + " in " + Arrays.toString(requested));
            }
        }
        long known = View.numel(op, shape); // the known sizes, checked for overflow
        if (infer >= 0) shape[infer] = -1;
        long numel = x.numel();
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(requested) + " is invalid for input of shape " + x.shape());
            }
            long inferred = numel / known;
            if (inferred > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(requested) + " for input of shape " + x.shape()
                        + " needs a dimension of " + inferred + ", more than the largest size " + Integer.MAX_VALUE);
            }
            shape[infer] = (int) inferred;
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(requested) + " is invalid for input of shape "
                    + x.shape() + " (" + numel + " elements)");
        }
        return shape;
    }

    /**
     * Strides that let {@code newShape} view memory laid out as (shape, strides), or null when a copy is needed.
     * Old dimensions are grouped into runs that are contiguous with each other; each run must be split exactly by
     * a run of new dimensions, whose strides then follow from the run's innermost stride.
     */
    static long[] stridesForView(int[] shape, long[] strides, int[] newShape) {
        long[] out = new long[newShape.length];
        if (View.numel(shape) == 0) return View.contiguousStrides(newShape);
        int nd = newShape.length - 1;
        long runBase = strides.length == 0 ? 1 : strides[strides.length - 1];
        long runElems = 1;
        long viewElems = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            runElems *= shape[d];
            boolean runEnds = d == 0 || (shape[d - 1] != 1 && strides[d - 1] != runElems * runBase);
            if (!runEnds) continue;
            while (nd >= 0 && (viewElems < runElems || newShape[nd] == 1)) {
                out[nd] = viewElems * runBase;
                viewElems *= newShape[nd];
                nd--;
            }
            if (viewElems != runElems) return null;
            if (d > 0) {
                runBase = strides[d - 1];
                runElems = 1;
                viewElems = 1;
            }
        }
        while (nd >= 0 && newShape[nd] == 1) out[nd--] = 1;
        return nd == -1 ? out : null;
    }

    static Tensor flatten(Tensor x, int startDim, int endDim) {
        if (x.dim() == 0) return x.reshape(1);
        int s = axis("flatten", x, startDim), e = axis("flatten", x, endDim);
        if (s > e) throw new IllegalArgumentException("flatten: startDim " + startDim + " comes after endDim " + endDim);
        int[] shape = new int[x.dim() - (e - s)];
        int j = 0;
        for (int i = 0; i < s; i++) shape[j++] = x.shape[i];
        long prod = 1;
        for (int i = s; i <= e; i++) prod *= x.shape[i]; // no overflow: x's element count fits a long
        if (prod > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("flatten: dimensions " + s + " to " + e + " of shape " + x.shape() + " hold " + prod
                    + " elements, more than the largest size " + Integer.MAX_VALUE);
        }
        shape[j++] = (int) prod;
        for (int i = e + 1; i < x.dim(); i++) shape[j++] = x.shape[i];
        return x.reshape(shape);
    }

    // ---------------------------------------------------------------- axis shuffles

    static Tensor transpose(Tensor x, int d0, int d1) {
        int a = axis("transpose", x, d0), b = axis("transpose", x, d1);
        if (x.dim() == 0) return x;
        int[] perm = new int[x.dim()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        perm[a] = b;
        perm[b] = a;
        return permuteChecked(x, perm, "TransposeBackward");
    }

    static Tensor permute(Tensor x, int[] dims) {
        if (dims.length != x.dim()) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " does not list the " + x.dim()
                    + " dimensions of shape " + x.shape());
        }
        int[] perm = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            perm[i] = axis("permute", x, dims[i]);
            if (seen[perm[i]]) throw new IllegalArgumentException("permute: dimension " + dims[i] + " repeats in " + Arrays.toString(dims));
            seen[perm[i]] = true;
        }
        return permuteChecked(x, perm, "PermuteBackward");
    }

    private static Tensor permuteChecked(Tensor x, int[] perm, String node) {
        int[] shape = new int[perm.length];
        long[] strides = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            shape[i] = x.shape[perm[i]];
            strides[i] = x.strides[perm[i]];
        }
        Tensor out = viewOf(x, shape, strides, x.offset);
        if (Autograd.needed(x)) {
            int[] inverse = new int[perm.length];
            for (int i = 0; i < perm.length; i++) inverse[perm[i]] = i;
            Autograd.record(node, out, new Tensor[]{x}, (g, needs) -> new Tensor[]{g.permute(inverse)});
        }
        return out;
    }

    static Tensor expand(Tensor x, int[] requested) {
        int r = requested.length;
        if (r < x.dim()) {
            throw new IllegalArgumentException("expand: target " + Arrays.toString(requested) + " has fewer dimensions than shape " + x.shape());
        }
        int lead = r - x.dim();
        int[] shape = new int[r];
        long[] strides = new long[r];
        for (int i = 0; i < r; i++) {
            int want = requested[i];
            if (i < lead) {
                if (want < 0) throw new IllegalArgumentException("expand: -1 is not allowed for new leading dimension " + i);
                shape[i] = want;
                strides[i] = 0;
                continue;
            }
            int have = x.shape[i - lead];
            if (want < -1) throw new IllegalArgumentException("expand: invalid size " + want + " in " + Arrays.toString(requested));
            if (want == -1 || want == have) {
                shape[i] = have;
                strides[i] = x.strides[i - lead];
            } else if (have == 1) {
                shape[i] = want;
                strides[i] = 0;
            } else {
                throw new IllegalArgumentException("expand: cannot expand shape " + x.shape() + " to " + Arrays.toString(requested)
                        + " (dimension " + i + " has size " + have + ", not 1)");
            }
        }
        if (Arrays.equals(shape, x.shape)) return x;
        View.numel("expand", shape);
        Tensor out = viewOf(x, shape, strides, x.offset);
        if (Autograd.needed(x)) {
            // Autograd sums the gradient back over the expanded axes.
            Autograd.record("ExpandBackward", out, new Tensor[]{x}, (g, needs) -> new Tensor[]{g});
        }
        return out;
    }

    static Tensor squeeze(Tensor x, Integer dim) {
        int[] shape;
        if (dim == null) {
            int kept = 0;
            for (int d : x.shape) if (d != 1) kept++;
            shape = new int[kept];
            for (int i = 0, j = 0; i < x.shape.length; i++) if (x.shape[i] != 1) shape[j++] = x.shape[i];
        } else {
            int a = axis("squeeze", x, dim);
            if (x.dim() == 0 || x.shape[a] != 1) return x;
            shape = dropAxis(x.shape, a);
        }
        return shape.length == x.dim() ? x : x.reshape(shape);
    }

    static Tensor unsqueeze(Tensor x, int dim) {
        int a = axis("unsqueeze", x.dim() + 1, dim, x.shape);
        int[] shape = new int[x.dim() + 1];
        for (int i = 0, j = 0; i < shape.length; i++) shape[i] = i == a ? 1 : x.shape[j++];
        return x.reshape(shape);
    }

    // ---------------------------------------------------------------- slicing

    static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        int a = axis("slice", x, dim);
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        int n = x.shape[a];
        int s = clampIndex(start, n), e = clampIndex(end, n);
        int len = e > s ? (e - s + step - 1) / step : 0;
        int[] shape = x.shapeArray();
        shape[a] = len;
        long[] strides = x.strides.clone();
        strides[a] = x.strides[a] * step;
        Tensor out = viewOf(x, shape, strides, x.offset + (long) s * x.strides[a]);
        if (Autograd.needed(x)) {
            int[] inShape = x.shapeArray();
            Autograd.record("SliceBackward", out, new Tensor[]{x}, (g, needs) -> {
                Tensor gi = Tensor.zeros(g.dtype(), g.device(), inShape);
                gi.backend().copy(slice(gi, a, s, e, step).view(), g.view());
                return new Tensor[]{gi};
            });
        }
        return out;
    }

    static Tensor narrow(Tensor x, int dim, int start, int length) {
        int a = axis("narrow", x, dim);
        int n = x.shape[a];
        if (length < 0) throw new IllegalArgumentException("narrow: length must be non-negative, got " + length);
        if (start < -n || start > n) {
            throw new IndexOutOfBoundsException("narrow: start " + start + " is out of range for dimension " + dim + " of size " + n
                    + " in shape " + x.shape() + " (expected in [" + (-n) + ", " + n + "])");
        }
        int s = start < 0 ? start + n : start;
        if ((long) s + length > n) {
            throw new IndexOutOfBoundsException("narrow: start (" + start + ") + length (" + length + ") exceeds dimension " + dim
                    + " of size " + n + " in shape " + x.shape());
        }
        return slice(x, a, s, s + length, 1);
    }

    private static int clampIndex(int i, int n) {
        int v = i < 0 ? i + n : i;
        return Math.max(0, Math.min(n, v));
    }

    static Tensor select(Tensor x, int dim, int index) {
        int a = axis("select", x, dim);
        int n = x.shape[a];
        if (index < -n || index >= n) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dimension " + dim + " of size " + n);
        }
        int i = index < 0 ? index + n : index;
        return slice(x, a, i, i + 1, 1).squeeze(a);
    }

    // ---------------------------------------------------------------- copies

    static Tensor copy(Tensor x) {
        View v = x.view();
        Tensor out = Tensor.emptyLike(x);
        x.backend().copy(out.view(), v);
        if (Autograd.needed(x)) {
            Autograd.record("CloneBackward", out, new Tensor[]{x}, (g, needs) -> new Tensor[]{g});
        }
        return out;
    }

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (Autocast.active()) return Autocast.call(AutocastOp.CAT, in -> cat(Arrays.asList(in), dim), tensors.toArray(new Tensor[0]));
        if (tensors.isEmpty()) throw new IllegalArgumentException("cat: expects a non-empty list of tensors");
        Tensor first = tensors.get(0);
        if (first.dim() == 0) throw new IllegalArgumentException("cat: a tensor of rank 0 cannot be concatenated; use stack()");
        int a = axis("cat", first, dim);
        int[] shape = first.shapeArray();
        long total = 0;
        for (Tensor t : tensors) {
            t.view();
            Elementwise.sameDevice("cat", first, t);
            if (t.dtype() != first.dtype()) {
                throw new IllegalArgumentException("cat: dtypes differ: " + first.dtype() + first.shape() + " and " + t.dtype() + t.shape());
            }
            boolean ok = t.dim() == first.dim();
            for (int d = 0; ok && d < t.dim(); d++) ok = d == a || t.shape[d] == first.shape[d];
            if (!ok) throw new IllegalArgumentException("cat: shapes " + first.shape() + " and " + t.shape() + " differ outside dimension " + dim);
            total += t.shape[a];
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cat: the sizes along dimension " + dim + " add up to " + total
                    + ", more than the largest size " + Integer.MAX_VALUE);
        }
        shape[a] = (int) total;
        View.numel("cat", shape);
        Tensor out = Tensor.empty(first.backend(), first.dtype(), shape);
        int[] starts = new int[tensors.size()];
        int at = 0;
        Tensor whole = out.detach();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            starts[i] = at;
            Tensor dst = slice(whole, a, at, at + t.shape[a], 1);
            out.backend().copy(dst.view(), t.view());
            dst.close();
            at += t.shape[a];
        }
        whole.close(); // views of out made only to copy into it: closing out frees it
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        if (Autograd.needed(inputs)) {
            int[] sizes = new int[inputs.length];
            for (int i = 0; i < inputs.length; i++) sizes[i] = inputs[i].shape[a];
            Autograd.record("CatBackward", out, inputs, (g, needs) -> {
                Tensor[] gs = new Tensor[sizes.length];
                for (int i = 0; i < sizes.length; i++) if (needs[i]) gs[i] = slice(g, a, starts[i], starts[i] + sizes[i], 1);
                return gs;
            });
        }
        return out;
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (Autocast.active()) return Autocast.call(AutocastOp.STACK, in -> stack(Arrays.asList(in), dim), tensors.toArray(new Tensor[0]));
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: expects a non-empty list of tensors");
        int a = axis("stack", tensors.get(0).dim() + 1, dim, tensors.get(0).shape);
        Tensor first = tensors.get(0);
        Tensor[] parts = new Tensor[tensors.size()];
        for (int i = 0; i < parts.length; i++) {
            Tensor t = tensors.get(i);
            if (!Arrays.equals(t.shape, first.shape)) {
                throw new IllegalArgumentException("stack: expects tensors of equal shape, got " + first.shape() + " and " + t.shape());
            }
            parts[i] = t.unsqueeze(a);
        }
        return cat(Arrays.asList(parts), a);
    }

    static Tensor toDevice(Tensor x, Device device) {
        View v = x.view();
        if (x.device().equals(device)) return x;
        Backend target = Backends.get(device);
        Buffer buf = upload(target, x.host("to(Device)")); // through the host, in the tensor's own element type
        int[] shape = x.shapeArray();
        Tensor out = new Tensor(new Storage(target, buf), shape, View.contiguousStrides(shape), 0);
        if (Autograd.needed(x)) {
            Device from = x.device();
            Autograd.record("ToDeviceBackward", out, new Tensor[]{x}, (g, needs) -> new Tensor[]{g.to(from)});
        }
        return out;
    }

    /** A host array of any element type onto a backend. */
    private static Buffer upload(Backend b, Object host) {
        if (host instanceof float[] a) return b.upload(a);
        if (host instanceof double[] a) return b.upload(a);
        if (host instanceof long[] a) return b.upload(a);
        if (host instanceof int[] a) return b.upload(a);
        if (host instanceof Tensor.HalfBits h) return b.upload(h.bits(), h.dtype());
        return b.upload((boolean[]) host);
    }

    static Tensor toDType(Tensor x, DType dtype) {
        View v = x.view();
        if (x.dtype() == dtype) return x;
        Tensor out = Tensor.empty(x.backend(), dtype, x.shapeArray());
        x.backend().copy(out.view(), v);
        if (dtype.isFloating() && Autograd.needed(x)) {
            DType from = x.dtype();
            Autograd.record("ToDTypeBackward", out, new Tensor[]{x}, (g, needs) -> new Tensor[]{g.to(from)});
        }
        return out;
    }
}
