package io.jgrad.cpu;

import io.jgrad.spi.ScanOp;
import io.jgrad.spi.View;

/**
 * Inclusive scans along one axis (cumsum, cumprod, logcumsumexp). Every row along the axis is walked in order by one
 * thread; rows are split among threads, so the result does not depend on the thread count. Floating scans carry a
 * float64 accumulator and round each output once (as PyTorch's CPU cumsum does); int64 wraps.
 */
final class ScanKernels {
    private ScanKernels() {
    }

    static void scan(ScanOp op, View out, View in, int axis) {
        Rows rows = new Rows(axis, out, in);
        if (rows.count == 0 || rows.len == 0) return;
        Object o = ((CpuBuffer) out.buffer).array(), x = ((CpuBuffer) in.buffer).array();
        int len = rows.len;
        long os = out.strides[axis], is = in.strides[axis];
        Parallel.forRange(rows.count, Parallel.chunks((long) rows.count * len * (op == ScanOp.LOGSUMEXP ? 8 : 1)), (from, to) -> {
            long[] off = new long[2];
            for (int r = from; r < to; r++) {
                rows.offsets(r, off);
                int oo = (int) off[0], io = (int) off[1];
                if (x instanceof float[] xf) {
                    float[] of = (float[]) o;
                    double acc = xf[io];
                    of[oo] = (float) acc;
                    for (int i = 1; i < len; i++) {
                        acc = step(op, acc, xf[(int) (io + i * is)]);
                        of[(int) (oo + i * os)] = (float) acc;
                    }
                } else if (x instanceof double[] xd) {
                    double[] od = (double[]) o;
                    double acc = xd[io];
                    od[oo] = acc;
                    for (int i = 1; i < len; i++) {
                        acc = step(op, acc, xd[(int) (io + i * is)]);
                        od[(int) (oo + i * os)] = acc;
                    }
                } else {
                    long[] xl = (long[]) x, ol = (long[]) o;
                    long acc = xl[io];
                    ol[oo] = acc;
                    for (int i = 1; i < len; i++) {
                        long v = xl[(int) (io + i * is)];
                        acc = op == ScanOp.PROD ? acc * v : acc + v;
                        ol[(int) (oo + i * os)] = acc;
                    }
                }
            }
        });
    }

    private static double step(ScanOp op, double acc, double x) {
        return switch (op) {
            case SUM -> acc + x;
            case PROD -> acc * x;
            case LOGSUMEXP -> logAddExp(acc, x);
        };
    }

    /** log(exp(a) + exp(b)) without overflow; NaN propagates, two equal infinities give that infinity. */
    static double logAddExp(double a, double b) {
        if (a != a || b != b) return Double.NaN;
        double hi = Math.max(a, b), lo = Math.min(a, b);
        if (hi == lo && Double.isInfinite(hi)) return hi;
        return hi + Math.log1p(Math.exp(lo - hi));
    }

    /**
     * The rows of some same-shaped views along one axis: row r's first element in each view, found by decomposing
     * r over the other axes (row-major).
     */
    static final class Rows {
        final int count, len;
        private final int[] dims;
        private final long[][] strides;
        private final View[] views;

        Rows(int axis, View... views) {
            int[] shape = views[0].shape;
            len = shape[axis];
            int r = shape.length - 1;
            dims = new int[r];
            strides = new long[views.length][r];
            long n = 1;
            for (int d = 0, k = 0; d < shape.length; d++) {
                if (d == axis) continue;
                dims[k] = shape[d];
                n *= shape[d];
                for (int v = 0; v < views.length; v++) strides[v][k] = views[v].strides[d];
                k++;
            }
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("too many rows: " + n);
            count = (int) n;
            this.views = views;
        }

        void offsets(int row, long[] off) {
            for (int v = 0; v < off.length; v++) off[v] = views[v].offset;
            long p = row;
            for (int d = dims.length - 1; d >= 0; d--) {
                long i = p % dims[d];
                p /= dims[d];
                for (int v = 0; v < off.length; v++) off[v] += i * strides[v][d];
            }
        }
    }
}
