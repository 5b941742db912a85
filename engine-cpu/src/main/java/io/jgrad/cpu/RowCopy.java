package io.jgrad.cpu;

import io.jgrad.spi.View;

/**
 * A float32 or float64 copy between layouts whose inner axis is contiguous on both sides but whose rows are short and
 * far apart: a transformer's head split and merge ([n, t, h, d] to [n, h, t, d] and back, d = 16 in the gpt example)
 * and the gradient of a slice written into its place. The generic walk ({@link Strided}) goes through its Run
 * interface, the dtype dispatch of {@code BinaryKernels.convert} and an offset counter per row, about 26 ns for a row
 * of 16 floats; here nested loops over up to four merged axes call {@code System.arraycopy} per row, about 9 ns (the
 * gpt step's head copies of 32K floats went from 53 to 19 us each, one thread). A plain element loop is no faster:
 * C2 cannot tell that the two arrays differ, so it leaves the loop scalar (a row of 64 floats took longer than with the
 * generic walk).
 */
final class RowCopy {
    private RowCopy() {
    }

    /**
     * Copies in to out (same shape) and returns true when both hold float32 or both float64, neither is contiguous as a
     * whole or both are, the merged inner axis has stride 1 on both sides, at most four axes remain after merging, and the
     * two views do not share a buffer (rows split over threads from 2^15 elements); else returns false, touching nothing.
     */
    static boolean copy(View out, View in) {
        Object oa = ((CpuBuffer) out.buffer).array(), ia = ((CpuBuffer) in.buffer).array();
        boolean floats = oa instanceof float[] && ia instanceof float[];
        if (!floats && !(oa instanceof double[] && ia instanceof double[])) return false;
        if (out.buffer == in.buffer) return false; // an overlapping copy needs the generic path's staging
        long total = out.numel();
        if (total == 0) return false;
        int[] dims = {1, 1, 1, 1};
        int[] so = new int[4], si = new int[4];
        int r = 0;
        for (int d = 0; d < out.shape.length; d++) {
            int size = out.shape[d];
            if (size == 1) continue;
            if (r > 0 && so[r - 1] == out.strides[d] * size && si[r - 1] == in.strides[d] * size) {
                dims[r - 1] *= size;
                so[r - 1] = (int) out.strides[d];
                si[r - 1] = (int) in.strides[d];
            } else {
                if (r == 4) return false;
                dims[r] = size;
                so[r] = (int) out.strides[d];
                si[r] = (int) in.strides[d];
                r++;
            }
        }
        if (r < 2 || so[r - 1] != 1 || si[r - 1] != 1) return false;
        // right-align into four axes: [a, b, c, inner]
        int shift = 4 - r;
        for (int d = r - 1; d >= 0; d--) {
            dims[d + shift] = dims[d];
            so[d + shift] = so[d];
            si[d + shift] = si[d];
        }
        for (int d = 0; d < shift; d++) {
            dims[d] = 1;
            so[d] = 0;
            si[d] = 0;
        }
        int oo = (int) out.offset, io = (int) in.offset;
        int outer = dims[0] * dims[1];
        // a row costs about 9 ns per 16 floats, four times a float32 add's share of the threshold: the gpt step's
        // [32, 16, 4, 16] head copies (19 us on one thread) go to two threads, a worker's hand-off costing 1-2 us
        int chunks = Math.min(outer, Parallel.chunks(total * COST));
        if (chunks <= 1 && Parallel.chunks(total) > 1) return false; // a big copy of too few rows: the generic path splits it
        if (chunks <= 1) {
            rows(oa, oo, ia, io, dims, so, si, 0, outer, floats);
        } else {
            Parallel.forRange(outer, chunks, (from, to) -> rows(oa, oo, ia, io, dims, so, si, from, to, floats));
        }
        return true;
    }

    /** Work per copied element against {@link Parallel#MIN_PARALLEL_WORK}: a copy of 2^15 floats splits. */
    static final int COST = 8;

    private static void rows(Object oa, int oo, Object ia, int io, int[] dims, int[] so, int[] si, int from, int to, boolean floats) {
        if (floats) rowsF((float[]) oa, oo, (float[]) ia, io, dims, so, si, from, to);
        else rowsD((double[]) oa, oo, (double[]) ia, io, dims, so, si, from, to);
    }

    /** Rows of the outer pairs (a, b) numbered a * dims[1] + b in [from, to). */
    private static void rowsF(float[] dst, int oo, float[] src, int io, int[] dims, int[] so, int[] si, int from, int to) {
        int inner = dims[3], nb = dims[1];
        for (int ab = from; ab < to; ab++) {
            int a = ab / nb, b = ab - a * nb;
            int o = oo + a * so[0] + b * so[1], x = io + a * si[0] + b * si[1];
            for (int c = 0; c < dims[2]; c++, o += so[2], x += si[2]) {
                System.arraycopy(src, x, dst, o, inner);
            }
        }
    }

    private static void rowsD(double[] dst, int oo, double[] src, int io, int[] dims, int[] so, int[] si, int from, int to) {
        int inner = dims[3], nb = dims[1];
        for (int ab = from; ab < to; ab++) {
            int a = ab / nb, b = ab - a * nb;
            int o = oo + a * so[0] + b * so[1], x = io + a * si[0] + b * si[1];
            for (int c = 0; c < dims[2]; c++, o += so[2], x += si[2]) {
                System.arraycopy(src, x, dst, o, inner);
            }
        }
    }
}
