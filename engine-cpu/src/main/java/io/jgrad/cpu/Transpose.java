package io.jgrad.cpu;

import io.jgrad.spi.View;

/**
 * Copies a transposed matrix into a contiguous one in square tiles. The generic strided walk gathers such a copy
 * element by element through offset tables, and one side of it always strides through memory; tiles keep both the
 * rows read and the rows written in L1. Autograd hits this on every step: a weight gradient is computed as the
 * transpose of a product and made contiguous when it is accumulated.
 */
final class Transpose {
    private Transpose() {
    }

    /** Tile edge: 32 x 32 floats are 4 KB, so a source and a destination tile fit L1 together with room to spare. */
    private static final int TILE = 32;

    /**
     * Handles {@code out = in} when out is a contiguous matrix [rows, cols] of in's float dtype and in reads down its
     * columns (stride 1 along rows); returns false, touching nothing, for any other layout.
     */
    static boolean copy(View out, View in) {
        if (out.rank() != 2 || out.dtype() != in.dtype() || !out.isContiguous() || in.strides[0] != 1
                || out.dtype() == io.jgrad.DType.INT32 || out.dtype() == io.jgrad.DType.BOOL // tiles: float, double, long
                || out.buffer == in.buffer) { // an overlapping copy needs the generic path's staging
            return false;
        }
        int rows = out.shape[0], cols = out.shape[1];
        if (rows < TILE || cols < TILE || in.strides[1] < rows) return false;
        Object dst = ((CpuBuffer) out.buffer).array(), src = ((CpuBuffer) in.buffer).array();
        int oo = (int) out.offset, io = (int) in.offset, ld = (int) in.strides[1];
        int tileRows = (rows + TILE - 1) / TILE;
        // cost 4 per element: strided reads make it several times an add, and two threads pay from ~32K elements
        Parallel.forRange(tileRows, Parallel.chunks(4L * rows * cols), (from, to) -> {
            for (int t = from; t < to; t++) {
                int i0 = t * TILE, i1 = Math.min(rows, i0 + TILE);
                if (dst instanceof float[] d) tilesF(d, oo, (float[]) src, io, ld, i0, i1, cols);
                else if (dst instanceof double[] d) tilesD(d, oo, (double[]) src, io, ld, i0, i1, cols);
                else tilesL((long[]) dst, oo, (long[]) src, io, ld, i0, i1, cols);
            }
        });
        return true;
    }

    /** Output rows [i0, i1): out[i, j] = in[io + i + j*ld], one column tile at a time. */
    private static void tilesF(float[] d, int oo, float[] s, int io, int ld, int i0, int i1, int cols) {
        for (int j0 = 0; j0 < cols; j0 += TILE) {
            int j1 = Math.min(cols, j0 + TILE);
            for (int i = i0; i < i1; i++) {
                int o = oo + i * cols, x = io + i;
                for (int j = j0; j < j1; j++) d[o + j] = s[x + j * ld];
            }
        }
    }

    private static void tilesD(double[] d, int oo, double[] s, int io, int ld, int i0, int i1, int cols) {
        for (int j0 = 0; j0 < cols; j0 += TILE) {
            int j1 = Math.min(cols, j0 + TILE);
            for (int i = i0; i < i1; i++) {
                int o = oo + i * cols, x = io + i;
                for (int j = j0; j < j1; j++) d[o + j] = s[x + j * ld];
            }
        }
    }

    private static void tilesL(long[] d, int oo, long[] s, int io, int ld, int i0, int i1, int cols) {
        for (int j0 = 0; j0 < cols; j0 += TILE) {
            int j1 = Math.min(cols, j0 + TILE);
            for (int i = i0; i < i1; i++) {
                int o = oo + i * cols, x = io + i;
                for (int j = j0; j < j1; j++) d[o + j] = s[x + j * ld];
            }
        }
    }
}
