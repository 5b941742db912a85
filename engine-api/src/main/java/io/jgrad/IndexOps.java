package io.jgrad;

import io.jgrad.spi.View;
import java.util.Arrays;
import java.util.List;

/**
 * Writes through an index, out of place: scatterAdd, scatter (a tensor or a value), indexAdd, indexPut, and oneHot.
 * All run on the {@code scatterAdd}, {@code gather} and {@code where} primitives, so every backend has them.
 * <p>
 * Where several index entries name one position, scatter and indexPut (without accumulate) keep the last of them in
 * row-major order of the index, on every device (PyTorch leaves the choice unspecified); the gradient then reaches
 * only the value that was kept. Finding the last writer needs the index on the host, so these two ops download it.
 */
final class IndexOps {
    private IndexOps() {
    }

    /** int64 or int32 (widened), on x's device; anything else is refused, naming the op. */
    private static Tensor index(String op, Tensor x, Tensor index) {
        index.view();
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": index must be int64 or int32, got " + index.dtype() + " of shape " + index.shape());
        }
        Elementwise.sameDevice(op, x, index);
        return index.to(DType.INT64);
    }

    /** The checks torch.scatter makes: one rank, index within src everywhere and within x off dim, same dtypes. */
    private static int checkScatter(String op, Tensor x, int dim, Tensor index, Tensor src) {
        int a = ViewOps.axis(op, x, dim);
        if (src != null) {
            src.view();
            Elementwise.sameDevice(op, x, src);
            if (src.dtype() != x.dtype()) {
                throw new IllegalArgumentException(op + ": src is " + src.dtype() + src.shape() + " but the input is " + x.dtype()
                        + x.shape() + "; they must share one dtype");
            }
        }
        int rank = Math.max(1, x.dim());
        if (Math.max(1, index.dim()) != rank || (src != null && Math.max(1, src.dim()) != rank)) {
            throw new IllegalArgumentException(op + ": index " + index.shape() + (src != null ? ", src " + src.shape() : "")
                    + " and input " + x.shape() + " must have the same number of dimensions");
        }
        int[] xs = x.dim() == 0 ? new int[]{1} : x.shape, is = index.dim() == 0 ? new int[]{1} : index.shape;
        for (int d = 0; d < rank; d++) {
            if ((d != a && is[d] > xs[d]) || (src != null && is[d] > (src.dim() == 0 ? 1 : src.shape[d]))) {
                throw new IllegalArgumentException(op + ": index " + index.shape() + " is larger than "
                        + (d != a && is[d] > xs[d] ? "input " + x.shape() : "src " + src.shape()) + " at dimension " + d);
            }
        }
        Indexing.checkRange(op, index, xs[a], "dimension " + dim + " of input shape " + x.shape());
        return a;
    }

    private static Tensor atLeast1d(Tensor t) {
        return t.dim() == 0 ? t.reshape(1) : t;
    }

    // ---------------------------------------------------------------- scatterAdd

    /** out = x, then out[..., index[i], ...] += src[i] along dim (torch.scatter_add). */
    static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
        index = index("scatterAdd", x, index);
        int a = checkScatter("scatterAdd", x, dim, index, src);
        if (x.dtype() == DType.BOOL) throw new IllegalArgumentException("scatterAdd: bool tensors cannot be added, got input " + x.dtype() + x.shape());
        Tensor idx = atLeast1d(index);
        int[] srcShape = src.shapeArray();
        Tensor out = Tensor.emptyLike(x);
        x.backend().copy(out.view(), x.view());
        Tensor o = atLeast1d(out.detach());
        x.backend().scatterAdd(o.view(), a, idx.view(), atLeast1d(src).view());
        if (Autograd.needed(x, src)) {
            Saved sIndex = Saved.of(idx);
            Autograd.record("ScatterAddBackward", out, new Tensor[]{x, src}, (g, needs) -> new Tensor[]{
                    needs[0] ? g : null,
                    needs[1] ? intoShape(atLeast1d(g).gather(a, sIndex.get()), srcShape) : null}, sIndex);
        }
        return out;
    }

    // ---------------------------------------------------------------- scatter

    /** out = x with out[..., index[i], ...] = src[i] along dim (torch.scatter); the last of repeated positions wins. */
    static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src) {
        index = index("scatter", x, index);
        int a = checkScatter("scatter", x, dim, index, src);
        Tensor idx = atLeast1d(index);
        int[] srcShape = src.shapeArray();
        Tensor keep = lastWriters(x, a, idx);
        Tensor written, out;
        try (Grad.Mode ignored = Grad.disabled()) {
            written = writtenMask(x, a, idx);
            Tensor s = atLeast1d(src.detach());
            for (int d = 0; d < s.dim(); d++) s = s.narrow(d, 0, idx.shape[d]);
            DType work = x.dtype() == DType.BOOL ? DType.INT64 : x.dtype();
            s = s.to(work);
            if (keep != null) s = Tensor.where(keep, s, Elementwise.constant(s, 0));
            Tensor values = Tensor.zeros(work, x.device(), atLeast1d(x).shapeArray());
            values.backend().scatterAdd(values.view(), a, idx.view(), s.view());
            out = Tensor.where(written, values.to(x.dtype()), atLeast1d(x.detach())).reshape(x.shapeArray());
        }
        if (Autograd.needed(x, src)) {
            Saved sIndex = Saved.of(idx);
            Tensor w = written;
            Autograd.record("ScatterBackward", out, new Tensor[]{x, src}, (g, needs) -> {
                Tensor g1 = atLeast1d(g);
                Tensor gx = needs[0] ? Tensor.where(w, Elementwise.constant(g, 0), g1).reshape(g.shapeArray()) : null;
                Tensor gs = null;
                if (needs[1]) {
                    Tensor picked = g1.gather(a, sIndex.get());
                    if (keep != null) picked = Tensor.where(keep, picked, Elementwise.constant(picked, 0));
                    gs = intoShape(picked, srcShape);
                }
                return new Tensor[]{gx, gs};
            }, sIndex);
        }
        return out;
    }

    /** picked laid into zeros of {@code shape} at its low corner (src may be larger than the index). */
    private static Tensor intoShape(Tensor picked, int[] shape) {
        if (Arrays.equals(picked.shape, shape) || (shape.length == 0 && picked.numel() == 1)) return picked.reshape(shape);
        Tensor full = Tensor.zeros(picked.dtype(), picked.device(), shape);
        Tensor inner = atLeast1d(full.detach());
        for (int d = 0; d < picked.dim(); d++) inner = inner.narrow(d, 0, picked.shape[d]);
        full.backend().copy(inner.view(), picked.view());
        return full;
    }

    /** out = x with value at every indexed position (torch.scatter with a scalar); the gradient reaches x elsewhere. */
    static Tensor scatter(Tensor x, int dim, Tensor index, double value) {
        index = index("scatter", x, index);
        int a = checkScatter("scatter", x, dim, index, null);
        Tensor idx = atLeast1d(index);
        Tensor written, out;
        try (Grad.Mode ignored = Grad.disabled()) {
            written = writtenMask(x, a, idx);
            out = Tensor.where(written, Tensor.full(value, x.dtype(), x.device()), atLeast1d(x.detach())).reshape(x.shapeArray());
        }
        if (Autograd.needed(x)) {
            Autograd.record("ScatterBackward", out, new Tensor[]{x},
                    (g, needs) -> new Tensor[]{Tensor.where(written, Elementwise.constant(g, 0), atLeast1d(g)).reshape(g.shapeArray())});
        }
        return out;
    }

    /** A bool tensor of x's shape (at least 1-D): true where some index entry writes. */
    private static Tensor writtenMask(Tensor x, int axis, Tensor idx) {
        Tensor count = Tensor.zeros(DType.INT64, x.device(), atLeast1d(x).shapeArray());
        Tensor ones = Tensor.ones(DType.INT64, x.device(), idx.shapeArray());
        count.backend().scatterAdd(count.view(), axis, idx.view(), ones.view());
        return count.gt(0L);
    }

    /**
     * Null when no two index entries write one position; otherwise a bool tensor of the index's shape, true for the
     * last entry (in row-major order) of each position.
     */
    private static Tensor lastWriters(Tensor x, int axis, Tensor idx) {
        long[] v = idx.toLongArray();
        int[] xs = atLeast1d(x).shapeArray(), is = idx.shapeArray();
        long[] xStrides = View.contiguousStrides(xs);
        int rank = is.length;
        int[] coord = new int[rank];
        long[] target = new long[v.length];
        for (int e = 0; e < v.length; e++) {
            if (v[e] < 0 || v[e] >= xs[axis]) { // the index is on the host here, so every device gets this check
                throw new IndexOutOfBoundsException("scatter: index " + v[e] + " is out of range [0, " + xs[axis] + ") of dimension "
                        + axis + " of input shape " + x.shape() + " (index shape " + idx.shape() + ")");
            }
            long t = 0;
            for (int d = 0; d < rank; d++) t += (d == axis ? v[e] : coord[d]) * xStrides[d];
            target[e] = t;
            for (int d = rank - 1; d >= 0; d--) {
                if (++coord[d] < is[d]) break;
                coord[d] = 0;
            }
        }
        java.util.HashMap<Long, Integer> last = new java.util.HashMap<>();
        for (int e = 0; e < v.length; e++) last.put(target[e], e);
        if (last.size() == v.length) return null;
        boolean[] keep = new boolean[v.length];
        for (int e : last.values()) keep[e] = true;
        return Tensor.of(keep, x.device(), is);
    }

    // ---------------------------------------------------------------- indexAdd

    /** out = x with out[..., index[i], ...] += alpha * source[..., i, ...] along dim (torch.index_add). */
    static Tensor indexAdd(Tensor x, int dim, Tensor index, Tensor source, double alpha) {
        index = index("indexAdd", x, index);
        source.view();
        Elementwise.sameDevice("indexAdd", x, source);
        int a = ViewOps.axis("indexAdd", x, dim);
        if (index.dim() > 1) throw new IllegalArgumentException("indexAdd: index must be 0-D or 1-D, got shape " + index.shape());
        if (source.dtype() != x.dtype()) {
            throw new IllegalArgumentException("indexAdd: source is " + source.dtype() + source.shape() + " but the input is "
                    + x.dtype() + x.shape() + "; they must share one dtype");
        }
        if (x.dtype() == DType.BOOL) throw new IllegalArgumentException("indexAdd: bool tensors cannot be added, got input " + x.shape());
        if (!x.dtype().isFloating() && alpha != Math.rint(alpha)) {
            throw new IllegalArgumentException("indexAdd: alpha " + alpha + " must be an integer for " + x.dtype() + " tensors");
        }
        int[] want = atLeast1d(x).shapeArray();
        want[a] = (int) index.numel();
        int[] have = atLeast1d(source).shapeArray();
        if (!Arrays.equals(want, have)) {
            throw new IllegalArgumentException("indexAdd: source of shape " + source.shape() + " must have shape " + Arrays.toString(want)
                    + " (the input's shape " + x.shape() + " with dimension " + dim + " the index's length " + index.numel() + ")");
        }
        Indexing.checkRange("indexAdd", index, atLeast1d(x).shape[a], "dimension " + dim + " of input shape " + x.shape());
        Tensor out = Tensor.emptyLike(x);
        x.backend().copy(out.view(), x.view());
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor s = alpha == 1 ? source : x.dtype().isFloating() ? source.mul(alpha) : source.mul((long) alpha);
            x.backend().scatterAdd(atLeast1d(out.detach()).view(), a, spread(index, have, a), atLeast1d(s).view());
        }
        if (Autograd.needed(x, source)) {
            Saved sIndex = Saved.of(index);
            int[] sourceShape = source.shapeArray();
            Autograd.record("IndexAddBackward", out, new Tensor[]{x, source}, (g, needs) -> {
                Tensor gs = null;
                if (needs[1]) {
                    gs = atLeast1d(g).indexSelect(a, sIndex.get()).reshape(sourceShape);
                    if (alpha != 1) gs = gs.mul(alpha);
                }
                return new Tensor[]{needs[0] ? g : null, gs};
            }, sIndex);
        }
        return out;
    }

    /** A 1-D index laid along {@code axis} of {@code shape}, repeated (stride 0) along every other axis. */
    private static View spread(Tensor index, int[] shape, int axis) {
        View iv = index.view();
        long[] strides = new long[shape.length];
        strides[axis] = iv.rank() == 0 ? 0 : iv.strides[0];
        return new View(iv.buffer, iv.offset, shape, strides);
    }

    // ---------------------------------------------------------------- indexPut

    /**
     * torch.index_put: the positions named by one index tensor per leading dimension (broadcast together; negative
     * entries count from the end) get {@code values} (broadcast to the indexed shape); with {@code accumulate} they are
     * added instead, repeated positions adding up. A bool index selects where it is true, covering as many dimensions
     * as it has.
     */
    static Tensor indexPut(Tensor x, List<Tensor> indices, Tensor values, boolean accumulate) {
        x.view();
        values.view();
        Elementwise.sameDevice("indexPut", x, values);
        if (values.dtype() != x.dtype()) {
            throw new IllegalArgumentException("indexPut: values are " + values.dtype() + values.shape() + " but the input is "
                    + x.dtype() + x.shape() + "; they must share one dtype");
        }
        if (indices.isEmpty()) throw new IllegalArgumentException("indexPut: expects at least one index tensor");
        // bool masks become one int64 index per dimension they cover
        java.util.ArrayList<long[]> cols = new java.util.ArrayList<>();
        java.util.ArrayList<int[]> colShapes = new java.util.ArrayList<>();
        int d = 0;
        for (Tensor t : indices) {
            t.view();
            Elementwise.sameDevice("indexPut", x, t);
            if (t.dtype() == DType.BOOL) {
                if (d + t.dim() > x.dim()) {
                    throw new IndexOutOfBoundsException("indexPut: bool index of shape " + t.shape() + " at dimension " + d
                            + " does not fit input shape " + x.shape());
                }
                for (int k = 0; k < t.dim(); k++) {
                    if (t.shape[k] != x.shape[d + k]) {
                        throw new IndexOutOfBoundsException("indexPut: bool index of shape " + t.shape() + " does not match input shape "
                                + x.shape() + " at dimension " + (d + k));
                    }
                }
                boolean[] m = t.toBooleanArray();
                int count = 0;
                for (boolean b : m) if (b) count++;
                long[][] nz = new long[t.dim()][count];
                long[] strides = View.contiguousStrides(t.shape);
                for (int i = 0, j = 0; i < m.length; i++) {
                    if (!m[i]) continue;
                    for (int k = 0; k < t.dim(); k++) nz[k][j] = (i / strides[k]) % t.shape[k];
                    j++;
                }
                for (int k = 0; k < t.dim(); k++) {
                    cols.add(nz[k]);
                    colShapes.add(new int[]{count});
                }
                d += t.dim();
            } else if (t.dtype() == DType.INT64 || t.dtype() == DType.INT32) {
                if (d >= x.dim()) {
                    throw new IndexOutOfBoundsException("indexPut: " + indices.size() + " index tensors for input shape " + x.shape()
                            + " of " + x.dim() + " dimensions");
                }
                cols.add(t.toLongArray());
                colShapes.add(t.shapeArray());
                d++;
            } else {
                throw new IllegalArgumentException("indexPut: index tensors must be int64, int32 or bool, got " + t.dtype() + t.shape());
            }
        }
        int k = cols.size();
        int[] bshape = colShapes.get(0);
        for (int[] s : colShapes) bshape = Elementwise.broadcastShapes("indexPut", bshape, s);
        int nb = (int) View.numel(bshape);
        long[] flat = new long[nb];
        long block = 1;
        for (int c = k - 1; c >= 0; c--) {
            int size = x.shape[c];
            long[] v = cols.get(c);
            int[] cs = colShapes.get(c);
            long[] cStrides = View.contiguousStrides(cs);
            long[] bStrides = View.contiguousStrides(bshape);
            for (int e = 0; e < nb; e++) {
                long src = 0; // e's coordinates in bshape, read from this index with broadcasting
                for (int q = 0; q < bshape.length; q++) {
                    int qc = q - (bshape.length - cs.length);
                    if (qc < 0 || cs[qc] == 1) continue;
                    src += ((e / bStrides[q]) % bshape[q]) * cStrides[qc];
                }
                long i = v[(int) src];
                if (i < -size || i >= size) {
                    throw new IndexOutOfBoundsException("indexPut: index " + i + " is out of range for dimension " + c + " of size "
                            + size + " in input shape " + x.shape());
                }
                flat[e] += (i < 0 ? i + size : i) * block;
            }
            block *= size;
        }
        int[] rest = Arrays.copyOfRange(x.shape, k, x.dim());
        int[] target = new int[bshape.length + rest.length];
        System.arraycopy(bshape, 0, target, 0, bshape.length);
        System.arraycopy(rest, 0, target, bshape.length, rest.length);
        if (!Arrays.equals(Elementwise.broadcastShapes("indexPut", values.shape, target), target)) {
            throw new IllegalArgumentException("indexPut: values of shape " + values.shape() + " cannot broadcast to the indexed shape "
                    + Arrays.toString(target) + " of input " + x.shape());
        }
        int[] rows = new int[1 + rest.length];
        rows[0] = (int) block;
        System.arraycopy(rest, 0, rows, 1, rest.length);
        int[] valueRows = rows.clone();
        valueRows[0] = nb;
        Tensor xr = x.reshape(rows);
        Tensor vr = values.expand(target).reshape(valueRows);
        Tensor lin = ShapeOps.indexOn(x, flat);
        Tensor out;
        if (accumulate) {
            out = xr.indexAdd(0, lin, vr);
        } else {
            int[] expandTo = valueRows.clone();
            int[] unsq = new int[valueRows.length];
            Arrays.fill(unsq, 1);
            unsq[0] = nb;
            out = xr.scatter(0, lin.reshape(unsq).expand(expandTo), vr);
        }
        return out.reshape(x.shapeArray());
    }

    // ---------------------------------------------------------------- oneHot

    /** torch.nn.functional.one_hot: int64 classes in, int64 out with a new last dimension of numClasses (-1: max + 1). */
    static Tensor oneHot(Tensor x, int numClasses) {
        x.view();
        if (x.dtype() != DType.INT64) {
            throw new IllegalArgumentException("oneHot: expects an int64 tensor of class indices, got " + x.dtype() + x.shape());
        }
        if (numClasses < -1) throw new IllegalArgumentException("oneHot: numClasses must be positive or -1, got " + numClasses);
        long[] v = x.toLongArray();
        long max = -1;
        for (long c : v) {
            if (c < 0) throw new IllegalArgumentException("oneHot: class values must be non-negative, got " + c + " in shape " + x.shape());
            max = Math.max(max, c);
        }
        if (numClasses == -1) {
            if (v.length == 0) throw new IllegalArgumentException("oneHot: cannot infer the number of classes from an empty tensor " + x.shape());
            if (max >= Integer.MAX_VALUE) throw new IllegalArgumentException("oneHot: class value " + max + " is too large");
            numClasses = (int) max + 1;
        } else if (max >= numClasses) {
            throw new IllegalArgumentException("oneHot: class value " + max + " is not smaller than numClasses " + numClasses
                    + " (shape " + x.shape() + ")");
        }
        Tensor classes = Tensor.arange(0, numClasses, 1).to(x.device());
        return x.unsqueeze(x.dim()).eq(classes).to(DType.INT64);
    }
}
