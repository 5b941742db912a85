package io.jgrad.cuda;

import io.jgrad.DType;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.View;

/**
 * scatterAdd in a fixed order, for deterministic mode. The GPU kernel adds with atomics, so float sums land in
 * whatever order the threads arrive and the last bits vary from run to run. Here the operands are copied to the
 * host, added in row-major order of src, and copied back: bit-reproducible, but a round trip through host memory,
 * so it is meant for reproducibility runs, not for speed. It uses only primitives (copy, upload, download).
 */
final class OrderedScatterAdd {
    private OrderedScatterAdd() {
    }

    static void run(Backend be, View out, int dim, View index, View src) {
        int[] shape = index.shape;
        int n = (int) View.numel(shape);
        if (n == 0) return;
        long[] idx = new long[n];
        try (Buffer b = dense(be, index)) {
            be.download(b, 0, idx, 0, n);
        }
        int outN = (int) out.numel();
        long[] outStrides = View.contiguousStrides(out.shape);
        // Flat position in a dense copy of out for each element of src, in src's row-major order.
        int[] target = new int[n];
        int[] coord = new int[shape.length];
        for (int p = 0; p < n; p++) {
            long v = idx[p];
            if (v < 0 || v >= out.shape[dim]) {
                throw new IndexOutOfBoundsException("scatterAdd: index " + v + " is outside [0, " + out.shape[dim] + ")");
            }
            long flat = 0;
            for (int d = 0; d < shape.length; d++) flat += (d == dim ? v : coord[d]) * outStrides[d];
            target[p] = (int) flat;
            for (int d = shape.length - 1; d >= 0 && ++coord[d] == shape[d]; d--) coord[d] = 0;
        }
        DType t = out.dtype();
        try (Buffer outDense = dense(be, out); Buffer srcDense = dense(be, src)) {
            Buffer result;
            if (t == DType.FLOAT32) {
                float[] o = new float[outN], s = new float[n];
                be.download(outDense, 0, o, 0, outN);
                be.download(srcDense, 0, s, 0, n);
                for (int p = 0; p < n; p++) o[target[p]] += s[p];
                result = be.upload(o);
            } else if (t == DType.FLOAT64) {
                double[] o = new double[outN], s = new double[n];
                be.download(outDense, 0, o, 0, outN);
                be.download(srcDense, 0, s, 0, n);
                for (int p = 0; p < n; p++) o[target[p]] += s[p];
                result = be.upload(o);
            } else {
                long[] o = new long[outN], s = new long[n];
                be.download(outDense, 0, o, 0, outN);
                be.download(srcDense, 0, s, 0, n);
                for (int p = 0; p < n; p++) o[target[p]] += s[p];
                result = be.upload(o);
            }
            try (result) {
                be.copy(out, View.contiguous(result, out.shape));
            }
        }
    }

    /** A dense row-major copy of a view, in a new buffer. */
    private static Buffer dense(Backend be, View v) {
        Buffer b = be.allocate(v.dtype(), Math.max(1, v.numel()));
        be.copy(View.contiguous(b, v.shape), v);
        return b;
    }
}
