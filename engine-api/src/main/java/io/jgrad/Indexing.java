package io.jgrad;

import io.jgrad.spi.View;

/** Ops that read or write through an int64 (or int32) index: indexSelect, gather, and the scatter-add their gradients need. */
final class Indexing {
    private Indexing() {
    }

    /**
     * Indices may be int64 or int32 (indexSelect takes both in PyTorch; jgrad's gather takes int32 too). Backends see
     * int64 only, so an int32 index is widened first. Other dtypes (floating, bool) are refused.
     */
    private static Tensor checkIndex(String op, Tensor x, Tensor index) {
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": index must be int64 or int32, got " + index.dtype() + " of shape " + index.shape());
        }
        Elementwise.sameDevice(op, x, index);
        return index.to(DType.INT64);
    }

    /**
     * Fails when an index is outside [0, size). Checked only for host memory: on a device the check would cost a
     * synchronising download on every call, so device backends report bad indices themselves.
     */
    static void checkRange(String op, Tensor index, int size, String what) {
        if (!index.device().equals(Device.CPU) || index.numel() == 0) return;
        long[] v = index.toLongArray();
        for (long i : v) {
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException(op + ": index " + i + " is out of range [0, " + size + ") of " + what
                        + " (index shape " + index.shape() + ")");
            }
        }
    }

    /** Picks slices along dim: out.shape = x.shape with shape[dim] = index.numel(). */
    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        index = checkIndex("indexSelect", x, index);
        int axis = ViewOps.axis("indexSelect", x, dim);
        if (index.dim() > 1) throw new IllegalArgumentException("indexSelect: index must be 0-D or 1-D, got shape " + index.shape());
        checkRange("indexSelect", index, x.shape[axis], "dimension " + dim + " of input shape " + x.shape());
        int[] shape = x.shapeArray();
        shape[axis] = (int) index.numel();
        Tensor out = Tensor.empty(x.backend(), x.dtype(), shape);
        View idx = spread(index, shape, axis);
        x.backend().gather(out.view(), x.view(), axis, idx);
        if (Autograd.needed(x)) {
            int[] inShape = x.shapeArray();
            Saved sIndex = Saved.of(index);
            Autograd.record("IndexSelectBackward", out, new Tensor[]{x}, (g, needs) -> {
                Tensor gi = Tensor.zeros(g.dtype(), g.device(), inShape);
                g.backend().scatterAdd(gi.view(), axis, spread(sIndex.get(), g.shape, axis), g.view());
                return new Tensor[]{gi};
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

    static Tensor gather(Tensor x, int dim, Tensor index) {
        index = checkIndex("gather", x, index);
        int axis = ViewOps.axis("gather", x, dim);
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException("gather: index rank " + index.dim() + " (shape " + index.shape()
                    + ") must equal input rank " + x.dim() + " (shape " + x.shape() + ")");
        }
        for (int d = 0; d < x.dim(); d++) {
            if (d != axis && index.shape[d] > x.shape[d]) {
                throw new IllegalArgumentException("gather: index shape " + index.shape() + " exceeds input shape "
                        + x.shape() + " at dimension " + d);
            }
        }
        checkRange("gather", index, x.shape[axis], "dimension " + dim + " of input shape " + x.shape());
        Tensor out = Tensor.empty(x.backend(), x.dtype(), index.shapeArray());
        x.backend().gather(out.view(), x.view(), axis, index.view());
        if (Autograd.needed(x)) {
            int[] inShape = x.shapeArray();
            Saved sIndex = Saved.of(index);
            Autograd.record("GatherBackward", out, new Tensor[]{x},
                    (g, needs) -> new Tensor[]{scatterAddInto(Tensor.zeros(g.dtype(), g.device(), inShape), axis, sIndex.get(), g)}, sIndex);
        }
        return out;
    }

    /** target[..., index[...], ...] += src along axis, in place on a fresh target; returns target. */
    static Tensor scatterAddInto(Tensor target, int axis, Tensor index, Tensor src) {
        target.backend().scatterAdd(target.view(), axis, index.view(), src.view());
        return target;
    }
}
