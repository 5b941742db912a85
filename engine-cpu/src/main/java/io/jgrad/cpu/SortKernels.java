package io.jgrad.cpu;

import io.jgrad.spi.View;

/**
 * Stable sorts along one axis: a merge sort of positions per row, comparing the row's values (NaN above every
 * number, -0 equal to 0, as PyTorch). Rows are split among threads, one thread per row, so results do not depend
 * on the thread count.
 */
final class SortKernels {
    private SortKernels() {
    }

    static void sort(View values, View indices, View in, int axis, boolean descending) {
        ScanKernels.Rows rows = new ScanKernels.Rows(axis, values, indices, in);
        if (rows.count == 0 || rows.len == 0) return;
        int len = rows.len;
        Object vArr = ((CpuBuffer) values.buffer).array(), xArr = ((CpuBuffer) in.buffer).array();
        long[] iArr = ((CpuBuffer) indices.buffer).longs();
        long vs = values.strides[axis], is = indices.strides[axis], xs = in.strides[axis];
        long work = (long) rows.count * len * (32 - Integer.numberOfLeadingZeros(Math.max(1, len)));
        Parallel.forRange(rows.count, Parallel.chunks(work), (from, to) -> {
            long[] off = new long[3];
            int[] order = new int[len], tmp = new int[len];
            double[] keys = xArr instanceof long[] ? null : new double[len];
            long[] longKeys = xArr instanceof long[] ? new long[len] : null;
            for (int r = from; r < to; r++) {
                rows.offsets(r, off);
                int vo = (int) off[0], io = (int) off[1], xo = (int) off[2];
                for (int i = 0; i < len; i++) {
                    order[i] = i;
                    int at = (int) (xo + i * xs);
                    if (xArr instanceof float[] f) keys[i] = f[at];
                    else if (xArr instanceof double[] d) keys[i] = d[at];
                    else longKeys[i] = ((long[]) xArr)[at];
                }
                if (keys != null) mergeSort(order, tmp, 0, len, keys, null, descending);
                else mergeSort(order, tmp, 0, len, null, longKeys, descending);
                for (int i = 0; i < len; i++) {
                    int src = order[i];
                    int vAt = (int) (vo + i * vs);
                    iArr[(int) (io + i * is)] = src;
                    if (vArr instanceof float[] f) f[vAt] = (float) keys[src];
                    else if (vArr instanceof double[] d) d[vAt] = keys[src];
                    else ((long[]) vArr)[vAt] = longKeys[src];
                }
            }
        });
    }

    /** True when position b must come before position a (strictly): ties keep the original order. */
    private static boolean before(int b, int a, double[] keys, long[] longKeys, boolean descending) {
        if (keys != null) {
            double x = keys[b], y = keys[a];
            return descending ? greater(x, y) : greater(y, x);
        }
        long x = longKeys[b], y = longKeys[a];
        return descending ? x > y : x < y;
    }

    /** x &gt; y with NaN above every number (and NaN not above NaN). */
    private static boolean greater(double x, double y) {
        if (x != x) return y == y;
        return x > y; // false when y is NaN
    }

    private static void mergeSort(int[] a, int[] tmp, int lo, int hi, double[] keys, long[] longKeys, boolean descending) {
        if (hi - lo < 2) return;
        if (hi - lo <= 16) { // insertion sort: stable, since it moves an element only past strictly larger ones
            for (int i = lo + 1; i < hi; i++) {
                int v = a[i];
                int j = i - 1;
                while (j >= lo && before(v, a[j], keys, longKeys, descending)) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(a, tmp, lo, mid, keys, longKeys, descending);
        mergeSort(a, tmp, mid, hi, keys, longKeys, descending);
        if (!before(a[mid], a[mid - 1], keys, longKeys, descending)) return; // already in order
        System.arraycopy(a, lo, tmp, lo, hi - lo);
        int i = lo, j = mid, k = lo;
        while (i < mid && j < hi) a[k++] = before(tmp[j], tmp[i], keys, longKeys, descending) ? tmp[j++] : tmp[i++];
        while (i < mid) a[k++] = tmp[i++];
        while (j < hi) a[k++] = tmp[j++];
    }
}
