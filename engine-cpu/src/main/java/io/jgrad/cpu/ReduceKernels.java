package io.jgrad.cpu;

import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.View;

/**
 * Reductions along one axis. Contiguous float32 sums (rows, and columns of a [outer, len, inner] block) stay in
 * float32, as {@link FloatSums} defines them: short runs summed as trees (a row's lanes in blocks of 16 vectors, a
 * column's rows eight at a time) whose sums are added with Kahan's compensation, so the error does not grow with the
 * length: within 7 u sum(|x|) (u = 2^-24) in the worst case and about an ulp of the result on data of one sign, more
 * accurate than PyTorch's cascade sum on the same data ({@code FloatSumAccuracyTest}). They used to widen every float
 * to float64: exact after the one rounding, but the conversions were not free (they held row and column sums of a
 * 1000 x 1000 matrix to 0.45x PyTorch's speed; the float32 loops take about half the time). The definition fixes the
 * lane order, so the Vector API loops, their scalar twins and the plain loops of a JVM without the Vector API give the
 * same bits, and threads take whole rows or blocks of whole columns, so no result depends on their number. Strided
 * float32 sums, and every float64 sum, accumulate in float64 (four accumulators where contiguous); int64 sums are
 * exact (wrapping). MAX and MIN propagate NaN (as Math.max and ScalarMath's binary MAX); ARGMAX and ARGMIN return the
 * first extreme, and treat NaN as the extreme (as PyTorch).
 */
final class ReduceKernels {
    private ReduceKernels() {
    }

    /** Width of the column blocks of a first-axis (or middle-axis) reduction: the accumulators stay in L1. */
    private static final int COLUMN_BLOCK = 512;
    /**
     * The same for float32 sums, whose totals and compensations take 8 bytes a column as a float64 accumulator does:
     * wider blocks make longer sequential runs per row (a 1000 x 1000 column sum ran 10% faster than with 512).
     */
    private static final int FLOAT_SUM_BLOCK = 2048;

    static void reduce(ReduceOp op, View out, View in, int axis) {
        int len = in.shape[axis];
        long count = out.numel();
        if (count == 0) return;
        Object inArr = ((CpuBuffer) in.buffer).array();
        Object outArr = ((CpuBuffer) out.buffer).array();
        if (in.isContiguous() && out.isContiguous()) {
            int outer = 1;
            for (int d = 0; d < axis; d++) outer *= in.shape[d];
            int inner = (int) (count / outer);
            boolean columns = inner > 1 && !(inArr instanceof long[])
                    && (op == ReduceOp.SUM || op == ReduceOp.MAX || op == ReduceOp.MIN);
            if (columns) {
                reduceColumns(op, outArr, (int) out.offset, inArr, (int) in.offset, outer, len, inner);
                return;
            }
            if (inner == 1) {
                int ib = (int) in.offset, ob = (int) out.offset;
                int chunks = Parallel.chunks(count * len);
                if (chunks == 1) {
                    for (int o = 0; o < outer; o++) reduceOne(op, outArr, ob + o, inArr, ib + o * len, 1, len);
                } else {
                    Parallel.forRange(outer, chunks, (from, to) -> {
                        for (int o = from; o < to; o++) reduceOne(op, outArr, ob + o, inArr, ib + o * len, 1, len);
                    });
                }
                return;
            }
        }
        reduceStrided(op, out, outArr, in, inArr, axis);
    }

    /** Any layout: one strided scan along the axis per output element, output elements visited by a counter. */
    private static void reduceStrided(ReduceOp op, View out, Object outArr, View in, Object inArr, int axis) {
        int len = in.shape[axis];
        int step = (int) in.strides[axis];
        int r = in.rank() - 1;
        int[] dims = new int[r];
        int[] is = new int[r];
        int[] os = new int[r];
        for (int d = 0, k = 0; d <= r; d++) {
            if (d == axis) continue;
            dims[k] = in.shape[d];
            is[k] = (int) in.strides[d];
            os[k] = (int) out.strides[d];
            k++;
        }
        long count = out.numel();
        int ib = (int) in.offset, ob = (int) out.offset;
        Parallel.forRange((int) count, Parallel.chunks(count * len), (from, to) -> {
            int[] idx = new int[r];
            int io = ib, oo = ob;
            long p = from;
            for (int d = r - 1; d >= 0; d--) {
                int i = (int) (p % dims[d]);
                p /= dims[d];
                idx[d] = i;
                io += i * is[d];
                oo += i * os[d];
            }
            for (int pos = from; pos < to; pos++) {
                reduceOne(op, outArr, oo, inArr, io, step, len);
                for (int d = r - 1; d >= 0; d--) {
                    if (++idx[d] < dims[d]) {
                        io += is[d];
                        oo += os[d];
                        break;
                    }
                    idx[d] = 0;
                    io -= (dims[d] - 1) * is[d];
                    oo -= (dims[d] - 1) * os[d];
                }
            }
        });
    }

    /** Reduces len elements x[off], x[off + step], ... into out[o]. */
    private static void reduceOne(ReduceOp op, Object out, int o, Object x, int off, int step, int len) {
        if (x instanceof float[] xf) {
            switch (op) {
                case SUM: ((float[]) out)[o] = (float) sum(xf, off, step, len); return;
                case MAX: ((float[]) out)[o] = max(xf, off, step, len); return;
                case MIN: ((float[]) out)[o] = min(xf, off, step, len); return;
                case ARGMAX: ((long[]) out)[o] = argExtreme(xf, off, step, len, true); return;
                default: ((long[]) out)[o] = argExtreme(xf, off, step, len, false); return;
            }
        } else if (x instanceof double[] xd) {
            switch (op) {
                case SUM: ((double[]) out)[o] = sum(xd, off, step, len); return;
                case MAX: ((double[]) out)[o] = max(xd, off, step, len); return;
                case MIN: ((double[]) out)[o] = min(xd, off, step, len); return;
                case ARGMAX: ((long[]) out)[o] = argExtreme(xd, off, step, len, true); return;
                default: ((long[]) out)[o] = argExtreme(xd, off, step, len, false); return;
            }
        } else {
            long[] xl = (long[]) x;
            long[] ol = (long[]) out;
            switch (op) {
                case SUM: { long s = 0; for (int i = 0, j = off; i < len; i++, j += step) s += xl[j]; ol[o] = s; return; }
                case MAX: { long m = xl[off]; for (int i = 1, j = off + step; i < len; i++, j += step) m = Math.max(m, xl[j]); ol[o] = m; return; }
                case MIN: { long m = xl[off]; for (int i = 1, j = off + step; i < len; i++, j += step) m = Math.min(m, xl[j]); ol[o] = m; return; }
                default: {
                    boolean isMax = op == ReduceOp.ARGMAX;
                    long best = xl[off];
                    int at = 0;
                    for (int i = 1, j = off + step; i < len; i++, j += step) {
                        long v = xl[j];
                        if (isMax ? v > best : v < best) {
                            best = v;
                            at = i;
                        }
                    }
                    ol[o] = at;
                }
            }
        }
    }

    // @template float32 (float64 twin below: engine-cpu/scripts/kernel-twins.sh)
    private static double sum(float[] x, int off, int step, int len) {
        // @float32-only begin
        if (step == 1) return FloatSimd.INSTANCE.sum(x, off, len); // the unrolled loop below serves float64
        // @float32-only end
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0, j = off;
        if (step == 1) {
            for (; i + 3 < len; i += 4, j += 4) {
                s0 += x[j];
                s1 += x[j + 1];
                s2 += x[j + 2];
                s3 += x[j + 3];
            }
        }
        for (; i < len; i++, j += step) s0 += x[j];
        return (s0 + s1) + (s2 + s3);
    }

    private static float max(float[] x, int off, int step, int len) {
        float m = x[off];
        for (int i = 1, j = off + step; i < len; i++, j += step) m = Math.max(m, x[j]);
        return m;
    }

    private static float min(float[] x, int off, int step, int len) {
        float m = x[off];
        for (int i = 1, j = off + step; i < len; i++, j += step) m = Math.min(m, x[j]);
        return m;
    }

    private static long argExtreme(float[] x, int off, int step, int len, boolean isMax) {
        float best = x[off];
        if (best != best) return 0;
        int at = 0;
        for (int i = 1, j = off + step; i < len; i++, j += step) {
            float v = x[j];
            if (isMax ? v > best : v < best) {
                best = v;
                at = i;
            } else if (v != v) {
                return i;
            }
        }
        return at;
    }

    // @generated float64 from the template above by KernelTwins: do not edit
    private static double sum(double[] x, int off, int step, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0, j = off;
        if (step == 1) {
            for (; i + 3 < len; i += 4, j += 4) {
                s0 += x[j];
                s1 += x[j + 1];
                s2 += x[j + 2];
                s3 += x[j + 3];
            }
        }
        for (; i < len; i++, j += step) s0 += x[j];
        return (s0 + s1) + (s2 + s3);
    }

    private static double max(double[] x, int off, int step, int len) {
        double m = x[off];
        for (int i = 1, j = off + step; i < len; i++, j += step) m = Math.max(m, x[j]);
        return m;
    }

    private static double min(double[] x, int off, int step, int len) {
        double m = x[off];
        for (int i = 1, j = off + step; i < len; i++, j += step) m = Math.min(m, x[j]);
        return m;
    }

    private static long argExtreme(double[] x, int off, int step, int len, boolean isMax) {
        double best = x[off];
        if (best != best) return 0;
        int at = 0;
        for (int i = 1, j = off + step; i < len; i++, j += step) {
            double v = x[j];
            if (isMax ? v > best : v < best) {
                best = v;
                at = i;
            } else if (v != v) {
                return i;
            }
        }
        return at;
    }

    // @end generated

    /**
     * A contiguous [outer, len, inner] input reduced over the middle axis, inner &gt; 1 (column sums of a row-major
     * matrix when outer = 1, as in bias gradients): rows are added into a block of column accumulators, so every
     * load is sequential.
     */
    private static void reduceColumns(ReduceOp op, Object out, int ob, Object in, int ib, int outer, int len, int inner) {
        int chunks = Parallel.chunks((long) outer * len * inner);
        int width = op == ReduceOp.SUM && in instanceof float[] ? FLOAT_SUM_BLOCK : COLUMN_BLOCK;
        if (outer * ((inner + width - 1) / width) < chunks) {
            // fewer items than threads (a bias gradient of 256 columns): narrower blocks, whole cache lines each.
            // Every column is still summed by one thread in row order, so the split never shows in the bits
            int perThread = (inner + (chunks / outer) - 1) / (chunks / outer);
            width = Math.max(16, (perThread + 15) / 16 * 16);
        }
        int blockWidth = width;
        int colBlocks = (inner + blockWidth - 1) / blockWidth;
        int items = outer * colBlocks;
        if (chunks == 1) {
            columnItems(op, out, ob, in, ib, len, inner, blockWidth, colBlocks, 0, items);
        } else {
            Parallel.forRange(items, chunks, (from, to) -> columnItems(op, out, ob, in, ib, len, inner, blockWidth, colBlocks, from, to));
        }
    }

    /** Items [from, to) of a column reduction; item = (outer index, block of blockWidth columns). */
    private static void columnItems(ReduceOp op, Object out, int ob, Object in, int ib, int len, int inner, int blockWidth,
                                    int colBlocks, int from, int to) {
        boolean floatSums = op == ReduceOp.SUM && in instanceof float[];
        float[] sums = floatSums ? new float[2 * Math.min(inner, blockWidth)] : null;
        double[] acc = floatSums ? null : new double[Math.min(inner, blockWidth)];
        for (int item = from; item < to; item++) {
            int o = item / colBlocks;
            int c0 = (item % colBlocks) * blockWidth;
            int w = Math.min(blockWidth, inner - c0);
            int src = ib + o * len * inner + c0;
            int dst = ob + o * inner + c0;
            if (floatSums) FloatSimd.INSTANCE.columnSums((float[]) in, src, len, inner, w, (float[]) out, dst, sums);
            else if (in instanceof float[] x) columns(op, x, src, len, inner, w, acc, (float[]) out, dst);
            else columns(op, (double[]) in, src, len, inner, w, acc, (double[]) out, dst);
        }
    }

    // @template float32 (float64 twin below); float32 sums do not come here but go to FloatSimd.columnSums
    private static void columns(ReduceOp op, float[] x, int src, int len, int inner, int w, double[] acc,
                                float[] out, int dst) {
        for (int j = 0; j < w; j++) acc[j] = x[src + j];
        for (int k = 1; k < len; k++) {
            int row = src + k * inner;
            switch (op) {
                case SUM: for (int j = 0; j < w; j++) acc[j] += x[row + j]; break;
                case MAX: for (int j = 0; j < w; j++) acc[j] = Math.max(acc[j], x[row + j]); break;
                default: for (int j = 0; j < w; j++) acc[j] = Math.min(acc[j], x[row + j]); break;
            }
        }
        for (int j = 0; j < w; j++) out[dst + j] = (float) acc[j];
    }

    // @generated float64 from the template above by KernelTwins: do not edit
    private static void columns(ReduceOp op, double[] x, int src, int len, int inner, int w, double[] acc,
                                double[] out, int dst) {
        for (int j = 0; j < w; j++) acc[j] = x[src + j];
        for (int k = 1; k < len; k++) {
            int row = src + k * inner;
            switch (op) {
                case SUM: for (int j = 0; j < w; j++) acc[j] += x[row + j]; break;
                case MAX: for (int j = 0; j < w; j++) acc[j] = Math.max(acc[j], x[row + j]); break;
                default: for (int j = 0; j < w; j++) acc[j] = Math.min(acc[j], x[row + j]); break;
            }
        }
        for (int j = 0; j < w; j++) out[dst + j] = acc[j];
    }

    // @end generated
}
