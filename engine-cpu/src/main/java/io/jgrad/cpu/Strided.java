package io.jgrad.cpu;

import io.jgrad.spi.View;

/**
 * Walks up to four views of one shape together, in row-major order, and hands a {@link Run} contiguous runs of
 * elements. Axes that all operands can merge are merged first, so most layouts reach one of two fast paths: one
 * contiguous run (possibly split across threads), or rows whose inner axis is contiguous in every operand. Anything
 * else (transposed, broadcast along the inner axis, ...) is gathered into small dense blocks through offsets that a
 * counter produces without any per-element division, run, and scattered back.
 */
final class Strided {
    private Strided() {
    }

    /**
     * A kernel over n consecutive elements: operand q's elements are at arrays aq[oq], aq[oq + 1], ... Operand 0 is
     * the output; unused operands are null. {@code pos} is the row-major index of the first element in the whole
     * iteration (only {@code random} needs it).
     */
    interface Run {
        void run(long pos, int n, Object a0, int o0, Object a1, int o1, Object a2, int o2, Object a3, int o3);
    }

    /** Elements per gathered block: small enough to stay in L1 with four operands of 8 bytes. */
    static final int BLOCK = 512;

    /** Inner rows shorter than this go through the gathered path, which amortises the per-call cost better. */
    private static final int MIN_ROW = 16;

    /**
     * Runs {@code kernel} over all elements of the views (views[0] is the output, written; the others are read).
     * {@code cost} is the per-element work (1 for an add) used to decide whether to use threads.
     */
    static void forEach(View[] views, int cost, Run kernel) {
        int nops = views.length;
        int[] shape = views[0].shape;
        int rank = shape.length;
        long total = View.numel(shape);
        if (total == 0) return;
        Object[] arrays = new Object[4];
        int[] base = new int[4];
        for (int q = 0; q < nops; q++) {
            arrays[q] = ((CpuBuffer) views[q].buffer).array();
            base[q] = (int) views[q].offset;
        }
        // merge axes: drop size-1 axes, and fuse an axis into the next one when every operand allows it
        int[] dims = new int[Math.max(rank, 1)];
        int[][] st = new int[nops][Math.max(rank, 1)];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            int size = shape[d];
            if (size == 1) continue;
            boolean merge = r > 0;
            for (int q = 0; q < nops && merge; q++) {
                merge = st[q][r - 1] == views[q].strides[d] * size;
            }
            if (merge) {
                dims[r - 1] *= size;
                for (int q = 0; q < nops; q++) st[q][r - 1] = (int) views[q].strides[d];
            } else {
                dims[r] = size;
                for (int q = 0; q < nops; q++) st[q][r] = (int) views[q].strides[d];
                r++;
            }
        }
        if (r == 0) { // a single element
            dims[0] = 1;
            for (int q = 0; q < nops; q++) st[q][0] = 1;
            r = 1;
        }
        boolean innerUnit = true;
        for (int q = 0; q < nops; q++) innerUnit &= st[q][r - 1] == 1;
        int chunks = Parallel.chunks(total * cost);
        if (innerUnit && r == 1) {
            runContiguous((int) total, chunks, kernel, arrays, base);
        } else if (innerUnit && dims[r - 1] >= MIN_ROW) {
            runRows(r, dims, st, nops, chunks, kernel, arrays, base);
        } else {
            runGathered(r, dims, st, nops, total, chunks, kernel, arrays, base);
        }
    }

    private static void runContiguous(int total, int chunks, Run k, Object[] a, int[] b) {
        if (chunks <= 1) {
            k.run(0, total, a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3]);
            return;
        }
        Parallel.forRange(total, chunks, (from, to) ->
                k.run(from, to - from, a[0], b[0] + from, a[1], b[1] + from, a[2], b[2] + from, a[3], b[3] + from));
    }

    private static void runRows(int r, int[] dims, int[][] st, int nops, int chunks, Run k, Object[] a, int[] base) {
        int inner = dims[r - 1];
        int rows = 1;
        for (int d = 0; d < r - 1; d++) rows *= dims[d];
        Parallel.forRange(rows, chunks, (from, to) -> {
            int[] idx = new int[r];
            int[] off = new int[4];
            start(from * (long) inner, r, dims, st, nops, base, idx, off);
            long pos = from * (long) inner;
            for (int row = from; row < to; row++) {
                k.run(pos, inner, a[0], off[0], a[1], off[1], a[2], off[2], a[3], off[3]);
                pos += inner;
                advanceOuter(r - 2, dims, st, nops, idx, off);
            }
        });
    }

    private static void runGathered(int r, int[] dims, int[][] st, int nops, long total, int chunks, Run k,
                                    Object[] a, int[] base) {
        // operands whose merged strides are row-major over the merged shape are dense: use them in place
        boolean[] dense = new boolean[4];
        boolean denseOrScalar = true;
        for (int q = 0; q < nops; q++) {
            long expect = 1;
            boolean ok = true, zero = true;
            for (int d = r - 1; d >= 0; d--) {
                ok &= st[q][d] == expect;
                zero &= st[q][d] == 0;
                expect *= dims[d];
            }
            dense[q] = ok;
            denseOrScalar &= ok || (zero && q > 0);
        }
        if (denseOrScalar) {
            runScalarBroadcast(nops, total, chunks, k, a, base, dense);
            return;
        }
        int blocks = (int) ((total + BLOCK - 1) / BLOCK);
        Parallel.forRange(blocks, chunks, (fromBlock, toBlock) -> {
            int[] idx = new int[r];
            int[] off = new int[4];
            long pos = (long) fromBlock * BLOCK;
            long end = Math.min(total, (long) toBlock * BLOCK);
            // scratch for one block, or for the whole range when it is shorter (a small op with a broadcast scalar
            // allocated 10 KB per call for 100 elements)
            int cap = (int) Math.min(BLOCK, end - pos);
            int[][] offs = new int[nops][cap];
            Object[] tmp = new Object[4];
            for (int q = 0; q < nops; q++) tmp[q] = dense[q] ? null : newLike(a[q], cap);
            start(pos, r, dims, st, nops, base, idx, off);
            Object[] arr = new Object[4];
            int[] at = new int[4];
            while (pos < end) {
                int len = (int) Math.min(BLOCK, end - pos);
                fillOffsets(len, r, dims, st, nops, idx, off, offs);
                for (int q = 0; q < nops; q++) {
                    if (dense[q]) {
                        arr[q] = a[q];
                        at[q] = base[q] + (int) pos;
                    } else {
                        arr[q] = tmp[q];
                        at[q] = 0;
                        if (q > 0) gather(a[q], offs[q], tmp[q], len);
                    }
                }
                k.run(pos, len, arr[0], at[0], arr[1], at[1], arr[2], at[2], arr[3], at[3]);
                if (!dense[0]) scatter(tmp[0], a[0], offs[0], len);
                pos += len;
            }
        });
    }

    /** Elements per block of {@link #runScalarBroadcast}: its only scratch is the broadcast values. */
    private static final int SCALAR_BLOCK = 4096;

    /**
     * Dense operands and inputs that are one element broadcast to the whole shape (all strides 0: the gradient of a
     * sum or a mean, a scalar operand): blocks of the dense operands in place, each broadcast element copied once
     * into a block of its own. No offsets, no gather, no scatter: as fast as the contiguous kernel.
     */
    private static void runScalarBroadcast(int nops, long total, int chunks, Run k, Object[] a, int[] base, boolean[] dense) {
        int blocks = (int) ((total + SCALAR_BLOCK - 1) / SCALAR_BLOCK);
        Parallel.forRange(blocks, Math.min(chunks, blocks), (fromBlock, toBlock) -> {
            long pos = (long) fromBlock * SCALAR_BLOCK;
            long end = Math.min(total, (long) toBlock * SCALAR_BLOCK);
            int cap = (int) Math.min(SCALAR_BLOCK, end - pos);
            Object[] arr = new Object[4];
            int[] at = new int[4];
            for (int q = 0; q < nops; q++) {
                if (dense[q]) {
                    arr[q] = a[q];
                } else {
                    arr[q] = newLike(a[q], cap);
                    broadcast(a[q], base[q], arr[q], cap);
                }
            }
            while (pos < end) {
                int len = (int) Math.min(SCALAR_BLOCK, end - pos);
                for (int q = 0; q < nops; q++) at[q] = dense[q] ? base[q] + (int) pos : 0;
                k.run(pos, len, arr[0], at[0], arr[1], at[1], arr[2], at[2], arr[3], at[3]);
                pos += len;
            }
        });
    }

    private static void broadcast(Object src, int at, Object dst, int n) {
        if (src instanceof float[] s) {
            java.util.Arrays.fill((float[]) dst, 0, n, s[at]);
        } else if (src instanceof double[] s) {
            java.util.Arrays.fill((double[]) dst, 0, n, s[at]);
        } else if (src instanceof long[] s) {
            java.util.Arrays.fill((long[]) dst, 0, n, s[at]);
        } else if (src instanceof int[] s) {
            java.util.Arrays.fill((int[]) dst, 0, n, s[at]);
        } else if (src instanceof short[] s) {
            java.util.Arrays.fill((short[]) dst, 0, n, s[at]);
        } else {
            java.util.Arrays.fill((boolean[]) dst, 0, n, ((boolean[]) src)[at]);
        }
    }

    /** Sets the counter and the operand offsets to the element at row-major position pos. */
    private static void start(long pos, int r, int[] dims, int[][] st, int nops, int[] base, int[] idx, int[] off) {
        for (int q = 0; q < nops; q++) off[q] = base[q];
        for (int d = r - 1; d >= 0; d--) {
            int i = (int) (pos % dims[d]);
            pos /= dims[d];
            idx[d] = i;
            for (int q = 0; q < nops; q++) off[q] += i * st[q][d];
        }
    }

    /** Moves the counter one step along axes [0, last], carrying; the axes after last are left at 0. */
    private static void advanceOuter(int last, int[] dims, int[][] st, int nops, int[] idx, int[] off) {
        for (int d = last; d >= 0; d--) {
            if (++idx[d] < dims[d]) {
                for (int q = 0; q < nops; q++) off[q] += st[q][d];
                return;
            }
            idx[d] = 0;
            for (int q = 0; q < nops; q++) off[q] -= (dims[d] - 1) * st[q][d];
        }
    }

    /** Writes the offsets of the next len elements per operand and advances the counter past them. */
    private static void fillOffsets(int len, int r, int[] dims, int[][] st, int nops, int[] idx, int[] off, int[][] offs) {
        int inner = dims[r - 1];
        int j = 0;
        while (j < len) {
            int run = Math.min(inner - idx[r - 1], len - j);
            for (int q = 0; q < nops; q++) {
                int[] o = offs[q];
                int s = st[q][r - 1];
                int x = off[q];
                for (int t = 0; t < run; t++) {
                    o[j + t] = x;
                    x += s;
                }
                off[q] = x;
            }
            j += run;
            idx[r - 1] += run;
            if (idx[r - 1] == inner) {
                idx[r - 1] = 0;
                for (int q = 0; q < nops; q++) off[q] -= inner * st[q][r - 1];
                advanceOuter(r - 2, dims, st, nops, idx, off);
            }
        }
    }

    static Object newLike(Object array, int n) {
        if (array instanceof float[]) return new float[n];
        if (array instanceof double[]) return new double[n];
        if (array instanceof long[]) return new long[n];
        if (array instanceof int[]) return new int[n];
        if (array instanceof short[]) return new short[n];
        return new boolean[n];
    }

    private static void gather(Object src, int[] offs, Object dst, int n) {
        if (src instanceof float[] s) {
            float[] d = (float[]) dst;
            for (int i = 0; i < n; i++) d[i] = s[offs[i]];
        } else if (src instanceof double[] s) {
            double[] d = (double[]) dst;
            for (int i = 0; i < n; i++) d[i] = s[offs[i]];
        } else if (src instanceof long[] s) {
            long[] d = (long[]) dst;
            for (int i = 0; i < n; i++) d[i] = s[offs[i]];
        } else if (src instanceof int[] s) {
            int[] d = (int[]) dst;
            for (int i = 0; i < n; i++) d[i] = s[offs[i]];
        } else if (src instanceof short[] s) {
            short[] d = (short[]) dst;
            for (int i = 0; i < n; i++) d[i] = s[offs[i]];
        } else {
            boolean[] s = (boolean[]) src;
            boolean[] d = (boolean[]) dst;
            for (int i = 0; i < n; i++) d[i] = s[offs[i]];
        }
    }

    private static void scatter(Object src, Object dst, int[] offs, int n) {
        if (dst instanceof float[] d) {
            float[] s = (float[]) src;
            for (int i = 0; i < n; i++) d[offs[i]] = s[i];
        } else if (dst instanceof double[] d) {
            double[] s = (double[]) src;
            for (int i = 0; i < n; i++) d[offs[i]] = s[i];
        } else if (dst instanceof long[] d) {
            long[] s = (long[]) src;
            for (int i = 0; i < n; i++) d[offs[i]] = s[i];
        } else if (dst instanceof int[] d) {
            int[] s = (int[]) src;
            for (int i = 0; i < n; i++) d[offs[i]] = s[i];
        } else if (dst instanceof short[] d) {
            short[] s = (short[]) src;
            for (int i = 0; i < n; i++) d[offs[i]] = s[i];
        } else {
            boolean[] d = (boolean[]) dst;
            boolean[] s = (boolean[]) src;
            for (int i = 0; i < n; i++) d[offs[i]] = s[i];
        }
    }
}
