package io.jgrad.cpu;

import io.jgrad.spi.View;

/** torch.gather and torch.scatter_add_ along one dimension, with int64 indices checked against the bound. */
final class IndexKernels {
    private IndexKernels() {
    }

    /** out[..., i, ...] = in[..., index[..., i, ...], ...] along dim; index has out's shape. */
    static void gather(View out, View in, int dim, View index) {
        int[] shape = out.shape;
        long count = View.numel(shape);
        if (count == 0) return;
        Object o = ((CpuBuffer) out.buffer).array();
        Object x = ((CpuBuffer) in.buffer).array();
        long[] ix = ((CpuBuffer) index.buffer).longs();
        int r = shape.length;
        int[] os = ints(out.strides), is = ints(index.strides), xs = ints(in.strides);
        int bound = in.shape[dim];
        int dimStride = xs[dim];
        xs[dim] = 0; // the index supplies the position along dim
        int ob = (int) out.offset, ib = (int) index.offset, xb = (int) in.offset;
        Parallel.forRange((int) count, Parallel.chunks(count * 2), (from, to) -> {
            int[] idx = new int[r];
            int[] off = {ob, ib, xb};
            start(from, shape, os, is, xs, idx, off);
            for (int pos = from; pos < to; pos++) {
                long k = ix[off[1]];
                if (k < 0 || k >= bound) throw outOfBounds("gather", k, dim, bound);
                int src = off[2] + (int) k * dimStride;
                if (o instanceof float[] of) of[off[0]] = ((float[]) x)[src];
                else if (o instanceof double[] od) od[off[0]] = ((double[]) x)[src];
                else if (o instanceof long[] ol) ol[off[0]] = ((long[]) x)[src];
                else if (o instanceof int[] oi) oi[off[0]] = ((int[]) x)[src];
                else ((boolean[]) o)[off[0]] = ((boolean[]) x)[src];
                advance(shape, os, is, xs, idx, off);
            }
        });
    }

    /**
     * out[..., index[..., i, ...], ...] += src[..., i, ...] along dim, iterating over index's shape. Runs on one
     * thread in row-major order, so repeated indices add up exactly as the sequential definition says.
     */
    static void scatterAdd(View out, int dim, View index, View src) {
        int[] shape = index.shape;
        long count = View.numel(shape);
        if (count == 0) return;
        Object o = ((CpuBuffer) out.buffer).array();
        Object s = ((CpuBuffer) src.buffer).array();
        long[] ix = ((CpuBuffer) index.buffer).longs();
        int[] os = ints(out.strides), is = ints(index.strides), ss = ints(src.strides);
        int bound = out.shape[dim];
        int dimStride = os[dim];
        os[dim] = 0;
        int[] idx = new int[shape.length];
        int[] off = {(int) out.offset, (int) index.offset, (int) src.offset};
        for (long pos = 0; pos < count; pos++) {
            long k = ix[off[1]];
            if (k < 0 || k >= bound) throw outOfBounds("scatterAdd", k, dim, bound);
            int dst = off[0] + (int) k * dimStride;
            if (o instanceof float[] of) of[dst] += ((float[]) s)[off[2]];
            else if (o instanceof double[] od) od[dst] += ((double[]) s)[off[2]];
            else if (o instanceof long[] ol) ol[dst] += ((long[]) s)[off[2]];
            else ((int[]) o)[dst] += ((int[]) s)[off[2]];
            advance(shape, os, is, ss, idx, off);
        }
    }

    private static IndexOutOfBoundsException outOfBounds(String op, long k, int dim, int bound) {
        return new IndexOutOfBoundsException("cpu " + op + ": index " + k + " is out of bounds for dim " + dim
                + " with size " + bound);
    }

    private static int[] ints(long[] strides) {
        int[] s = new int[strides.length];
        for (int i = 0; i < s.length; i++) s[i] = (int) strides[i];
        return s;
    }

    private static void start(long pos, int[] shape, int[] s0, int[] s1, int[] s2, int[] idx, int[] off) {
        for (int d = shape.length - 1; d >= 0; d--) {
            int i = (int) (pos % shape[d]);
            pos /= shape[d];
            idx[d] = i;
            off[0] += i * s0[d];
            off[1] += i * s1[d];
            off[2] += i * s2[d];
        }
    }

    private static void advance(int[] shape, int[] s0, int[] s1, int[] s2, int[] idx, int[] off) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                off[0] += s0[d];
                off[1] += s1[d];
                off[2] += s2[d];
                return;
            }
            int back = shape[d] - 1;
            idx[d] = 0;
            off[0] -= back * s0[d];
            off[1] -= back * s1[d];
            off[2] -= back * s2[d];
        }
    }
}
