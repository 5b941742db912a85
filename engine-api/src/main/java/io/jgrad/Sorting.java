package io.jgrad;

import io.jgrad.spi.ReduceOp;

/**
 * sort, argsort, topk and max/min along a dim with their indices. One stable sort kernel per call; the gradient
 * of the values goes back to the positions the indices name (a scatter of the incoming gradient).
 */
final class Sorting {
    private Sorting() {
    }

    static Tensor.ValuesIndices sort(Tensor x, int dim, boolean descending) {
        int axis = ViewOps.axis("sort", x, dim);
        if (x.dtype() == DType.INT32 || x.dtype() == DType.BOOL) {
            Tensor.ValuesIndices wide;
            try (Tensor w = x.to(DType.INT64)) {
                wide = sort(w, dim, descending);
            }
            try (Tensor wideValues = wide.values()) {
                return new Tensor.ValuesIndices(wideValues.to(x.dtype()), wide.indices());
            }
        }
        if (x.dim() == 0) {
            Tensor.ValuesIndices r = sort(x.reshape(1), 0, descending);
            return new Tensor.ValuesIndices(r.values().reshape(), r.indices().reshape());
        }
        Tensor values = Tensor.empty(x.backend(), x.dtype(), x.shapeArray());
        Tensor indices = Tensor.empty(x.backend(), DType.INT64, x.shapeArray());
        x.backend().sort(values.view(), indices.view(), x.view(), axis, descending);
        recordScatterBack("SortBackward", x, values, indices, axis);
        return new Tensor.ValuesIndices(values, indices);
    }

    /**
     * The k largest (or smallest) elements along dim and their indices, in sorted order (NaN counts as the largest,
     * as in PyTorch). {@code sorted = false} allows any order; jgrad returns them sorted anyway.
     */
    static Tensor.ValuesIndices topk(Tensor x, int k, int dim, boolean largest) {
        int axis = ViewOps.axis("topk", x, dim);
        int size = x.dim() == 0 ? 1 : x.shape[axis];
        if (k < 0 || k > size) {
            throw new IllegalArgumentException("topk: k = " + k + " is out of range for dimension " + dim + " of size " + size
                    + " (input shape " + x.shape() + ", " + x.dtype() + ")");
        }
        Tensor values, indices;
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor.ValuesIndices all = sort(x, dim, largest);
            if (x.dim() == 0) {
                values = all.values();
                indices = all.indices();
            } else {
                values = all.values().narrow(axis, 0, k).clone();
                indices = all.indices().narrow(axis, 0, k).clone();
                all.close();
            }
        }
        if (x.dim() == 0) return new Tensor.ValuesIndices(values, indices);
        recordScatterBack("TopkBackward", x, values, indices, axis);
        return new Tensor.ValuesIndices(values, indices);
    }

    /** max(dim) / min(dim) with the index of the (first) winner; the values' gradient goes to that index. */
    static Tensor.ValuesIndices extremeWithIndices(ReduceOp op, Tensor x, int dim, boolean keepDim) {
        Tensor values = Reductions.extreme(op, x, dim, keepDim);
        Tensor indices = Reductions.arg(op == ReduceOp.MAX ? ReduceOp.ARGMAX : ReduceOp.ARGMIN, x, dim, keepDim);
        return new Tensor.ValuesIndices(values, indices);
    }

    /** When x wants a gradient: gradient of x = zeros with g scattered to the positions indices name along axis. */
    private static void recordScatterBack(String name, Tensor x, Tensor values, Tensor indices, int axis) {
        if (!Autograd.needed(x) || !x.dtype().isFloating()) return;
        int[] inShape = x.shapeArray();
        Saved sIdx = Saved.of(indices);
        Autograd.record(name, values, new Tensor[]{x},
                (g, needs) -> new Tensor[]{Indexing.scatterAddInto(Tensor.zeros(g.dtype(), g.device(), inShape), axis, sIdx.get(), g)},
                sIdx);
    }
}
