package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.spi.View;

/**
 * Gather and scatter-add of whole float32 rows: an embedding's lookup, out[i, :] = table[index[i], :], and its
 * gradient, gradTable[index[i], :] += grad[i, :], which reach the backend as a gather and a scatter-add along dim 0 of
 * [n, c] views whose index repeats each row's entry across the columns (column stride 0). The generic kernels
 * ({@link IndexKernels}) read one index, check it and step an N-d counter per element, about 5 ns each (the gpt step's
 * [512, 64] lookup and its gradient took ~180 us each); here each row costs one index, one check and one copy or add
 * loop. Rows are taken in order, so repeated indices add up in the same order as the generic scatter-add, with the same
 * bits.
 */
final class EmbeddingRows {
    private EmbeddingRows() {
    }

    /** out = in gathered along dim 0 when the call is such a row lookup; false, touching nothing, otherwise. */
    static boolean gather(View out, View in, int dim, View index) {
        if (!rows(dim, index, out, in)) return false;
        float[] o = ((CpuBuffer) out.buffer).floats(), x = ((CpuBuffer) in.buffer).floats();
        long[] ix = ((CpuBuffer) index.buffer).longs();
        int n = out.shape[0], c = out.shape[1], bound = in.shape[0];
        int oo = (int) out.offset, os = (int) out.strides[0], xo = (int) in.offset, xs = (int) in.strides[0];
        int io = (int) index.offset, is = (int) index.strides[0];
        for (int i = 0; i < n; i++) { // checked first: a bad index must leave out as it was
            long k = ix[io + i * is];
            if (k < 0 || k >= bound) throw outOfBounds("gather", k, bound);
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, xo + (int) ix[io + i * is] * xs, o, oo + i * os, c);
        }
        return true;
    }

    /** out += src scattered along dim 0 when the call adds whole rows; false, touching nothing, otherwise. */
    static boolean scatterAdd(View out, int dim, View index, View src) {
        if (!rows(dim, index, src, out)) return false;
        float[] o = ((CpuBuffer) out.buffer).floats(), s = ((CpuBuffer) src.buffer).floats();
        long[] ix = ((CpuBuffer) index.buffer).longs();
        int n = src.shape[0], c = src.shape[1], bound = out.shape[0];
        int oo = (int) out.offset, os = (int) out.strides[0], so = (int) src.offset, ss = (int) src.strides[0];
        int io = (int) index.offset, is = (int) index.strides[0];
        for (int i = 0; i < n; i++) {
            long k = ix[io + i * is];
            if (k < 0 || k >= bound) throw outOfBounds("scatterAdd", k, bound);
        }
        for (int i = 0; i < n; i++) {
            int d = oo + (int) ix[io + i * is] * os, x = so + i * ss;
            for (int j = 0; j < c; j++) o[d + j] += s[x + j];
        }
        return true;
    }

    /**
     * dim 0 of float32 [n, c] views with unit column strides, the index [n, c] with column stride 0 (one entry per
     * row), and per (small) the two float views in distinct buffers.
     */
    private static boolean rows(int dim, View index, View rowsOf, View table) {
        return dim == 0 && index.rank() == 2 && index.strides[1] == 0 && rowsOf.rank() == 2 && table.rank() == 2
                && rowsOf.dtype() == DType.FLOAT32 && table.dtype() == DType.FLOAT32
                && (rowsOf.strides[1] == 1 || rowsOf.shape[1] == 1) && (table.strides[1] == 1 || table.shape[1] == 1)
                && rowsOf.buffer != table.buffer && index.shape[0] == rowsOf.shape[0] && index.shape[1] == rowsOf.shape[1]
                && table.shape[1] == rowsOf.shape[1];
    }

    private static IndexOutOfBoundsException outOfBounds(String op, long k, int bound) {
        return new IndexOutOfBoundsException("cpu " + op + ": index " + k + " is out of bounds for dim 0 with size " + bound);
    }
}
