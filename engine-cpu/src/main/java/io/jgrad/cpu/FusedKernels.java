package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import io.jgrad.spi.Views;

/**
 * Single-pass versions of the fused {@code Backend} defaults for the common layouts. Each returns false when the
 * layout is not one it handles, and the backend then runs the default composition. float32 steps round where the
 * default's separate kernels round (softmax, cross-entropy, bias + activation agree with the defaults to the last
 * bit or nearly), and the optimizer updates compute in double and round once per stored value.
 */
final class FusedKernels {
    private FusedKernels() {
    }

    /** Softmax or log-softmax along the last axis of contiguous, same-dtype views. */
    static boolean softmax(View out, View in, int axis, boolean log) {
        if (axis != in.rank() - 1 || !in.isContiguous() || !out.isContiguous() || in.dtype() != out.dtype()) return false;
        int len = in.shape[axis];
        long total = in.numel();
        if (total == 0) return true;
        int rows = (int) (total / len);
        Object x = ((CpuBuffer) in.buffer).array(), o = ((CpuBuffer) out.buffer).array();
        int xb = (int) in.offset, ob = (int) out.offset;
        int chunks = Parallel.chunks(total * 24); // max, exp, sum and divide: about one and a half exps
        if (chunks == 1) {
            softmaxRows(x, xb, o, ob, 0, rows, len, log);
        } else {
            Parallel.forRange(rows, chunks, (from, to) -> softmaxRows(x, xb, o, ob, from, to, len, log));
        }
        return true;
    }

    private static void softmaxRows(Object x, int xb, Object o, int ob, int from, int to, int len, boolean log) {
        if (x instanceof float[] xf) {
            float[] of = (float[]) o;
            for (int r = from; r < to; r++) softmaxRow(xf, xb + r * len, of, ob + r * len, len, log);
        } else {
            double[] xd = (double[]) x, od = (double[]) o;
            for (int r = from; r < to; r++) softmaxRow(xd, xb + r * len, od, ob + r * len, len, log);
        }
    }

    private static void softmaxRow(float[] x, int xo, float[] o, int oo, int len, boolean log) {
        FloatSimd simd = FloatSimd.INSTANCE;
        float max = simd.maxForShift(x, xo, len); // a NaN makes the row NaN through the sum, whatever max is
        double sum;
        // the exps go through o (overwritten below); not when o overlaps x
        if (o != x || oo + len <= xo || xo + len <= oo) {
            sum = simd.expShiftedSum(x, xo, max, o, oo, len);
        } else {
            sum = 0;
            for (int j = 0; j < len; j++) {
                float e = (float) Math.exp(x[xo + j] - max);
                if (!log) o[oo + j] = e;
                sum += e;
            }
        }
        if (log) {
            float logSum = (float) Math.log((float) sum);
            for (int j = 0; j < len; j++) o[oo + j] = (x[xo + j] - max) - logSum;
        } else {
            // times the reciprocal, rounded once from the float64 sum, as PyTorch's kernel: within an ulp of dividing,
            // and a vector divide costs about as much as the exps themselves
            simd.scale(o, oo, (float) (1.0 / sum), len);
        }
    }

    private static void softmaxRow(double[] x, int xo, double[] o, int oo, int len, boolean log) {
        double max = x[xo];
        for (int j = 1; j < len; j++) max = Math.max(max, x[xo + j]);
        double sum = 0;
        for (int j = 0; j < len; j++) {
            double e = Math.exp(x[xo + j] - max);
            if (!log) o[oo + j] = e;
            sum += e;
        }
        if (log) {
            double logSum = Math.log(sum);
            for (int j = 0; j < len; j++) o[oo + j] = (x[xo + j] - max) - logSum;
        } else {
            for (int j = 0; j < len; j++) o[oo + j] /= sum;
        }
    }

    /** Log-softmax of contiguous [n, c] logits and the picked negative log-likelihoods, one pass per row. */
    static boolean crossEntropyForward(View losses, View logProbs, View logits, View targets) {
        if (logits.rank() != 2 || !logits.isContiguous() || !logProbs.isContiguous() || losses.rank() != 1
                || targets.rank() != 1 || logProbs.dtype() != logits.dtype() || losses.dtype() != logits.dtype()
                || targets.dtype() != DType.INT64) {
            return false;
        }
        int n = logits.shape[0], c = logits.shape[1];
        if (n == 0) return true;
        softmax(logProbs, logits, 1, true);
        long[] t = ((CpuBuffer) targets.buffer).longs();
        int tb = (int) targets.offset, ts = (int) targets.strides[0];
        int lb = (int) losses.offset, ls = (int) losses.strides[0];
        int pb = (int) logProbs.offset;
        Object lp = ((CpuBuffer) logProbs.buffer).array(), out = ((CpuBuffer) losses.buffer).array();
        for (int i = 0; i < n; i++) {
            long k = t[tb + i * ts];
            if (k < 0 || k >= c) {
                throw new IndexOutOfBoundsException("cpu crossEntropyForward: target " + k + " of row " + i
                        + " is out of bounds for " + c + " classes");
            }
            int at = pb + i * c + (int) k;
            if (out instanceof float[] of) of[lb + i * ls] = -((float[]) lp)[at];
            else ((double[]) out)[lb + i * ls] = -((double[]) lp)[at];
        }
        return true;
    }

    /** gradLogits = gradLosses[i] * (exp(logProbs) - onehot(target)) for contiguous [n, c] views. */
    static boolean crossEntropyBackward(View gradLogits, View logProbs, View targets, View gradLosses) {
        if (logProbs.rank() != 2 || !logProbs.isContiguous() || !gradLogits.isContiguous() || targets.rank() != 1
                || gradLosses.rank() != 1 || gradLogits.dtype() != logProbs.dtype()
                || gradLosses.dtype() != logProbs.dtype() || targets.dtype() != DType.INT64) {
            return false;
        }
        int n = logProbs.shape[0], c = logProbs.shape[1];
        long[] t = ((CpuBuffer) targets.buffer).longs();
        int tb = (int) targets.offset, ts = (int) targets.strides[0];
        int gb = (int) gradLosses.offset, gs = (int) gradLosses.strides[0];
        int pb = (int) logProbs.offset, ob = (int) gradLogits.offset;
        Object lp = ((CpuBuffer) logProbs.buffer).array(), g = ((CpuBuffer) gradLosses.buffer).array();
        Object out = ((CpuBuffer) gradLogits.buffer).array();
        // float32: every exp in one SIMD pass (as the default composition's EXP kernel computes them), then per row
        boolean simdExp = out instanceof float[] of0 && BinaryKernels.separate(of0, ob, (float[]) lp, pb, n * c);
        if (simdExp) FloatSimd.INSTANCE.exp((float[]) out, ob, (float[]) lp, pb, n * c);
        for (int i = 0; i < n; i++) {
            long k = t[tb + i * ts];
            if (k < 0 || k >= c) {
                throw new IndexOutOfBoundsException("cpu crossEntropyBackward: target " + k + " of row " + i
                        + " is out of bounds for " + c + " classes");
            }
            int src = pb + i * c, dst = ob + i * c;
            if (out instanceof float[] of) {
                float[] p = (float[]) lp;
                float gi = ((float[]) g)[gb + i * gs];
                for (int j = 0; j < c; j++) {
                    float e = simdExp ? of[dst + j] : (float) Math.exp(p[src + j]);
                    if (j == k) e += -1f;
                    of[dst + j] = e * gi;
                }
            } else {
                double[] p = (double[]) lp, od = (double[]) out;
                double gi = ((double[]) g)[gb + i * gs];
                for (int j = 0; j < c; j++) {
                    double e = Math.exp(p[src + j]);
                    if (j == k) e += -1.0;
                    od[dst + j] = e * gi;
                }
            }
        }
        return true;
    }

    /** out = act(x + bias) with contiguous x and out, and bias a vector along the last axis with unit stride. */
    static boolean biasActivation(View out, View x, View bias, UnaryOp act) {
        int r = x.rank();
        if (r == 0 || !x.isContiguous() || !out.isContiguous() || bias.rank() != 1 || bias.shape[0] != x.shape[r - 1]
                || (bias.shape[0] > 1 && bias.strides[0] != 1) || x.dtype() != out.dtype() || bias.dtype() != x.dtype()) {
            return false;
        }
        int c = x.shape[r - 1];
        long total = x.numel();
        if (total == 0) return true;
        int rows = (int) (total / c);
        Object xa = ((CpuBuffer) x.buffer).array(), oa = ((CpuBuffer) out.buffer).array();
        Object ba = ((CpuBuffer) bias.buffer).array();
        int xb = (int) x.offset, ob = (int) out.offset, bb = (int) bias.offset;
        // a bias add runs row by row, about 0.4 ns a float (14 us for the gpt step's [512, 64]), so its cost counts 8
        // of the threshold's float32 adds: [512, 64] splits over two threads, a worker's hand-off costing 1-2 us
        int cost = 8 + (act == null ? 0 : UnaryKernels.cost(act));
        int chunks = Parallel.chunks(total * cost);
        if (chunks == 1) {
            biasRows(oa, ob, xa, xb, ba, bb, c, 0, rows, act);
        } else {
            Parallel.forRange(rows, chunks, (from, to) -> biasRows(oa, ob, xa, xb, ba, bb, c, from, to, act));
        }
        return true;
    }

    private static void biasRows(Object o, int ob, Object x, int xb, Object b, int bb, int c, int from, int to, UnaryOp act) {
        for (int row = from; row < to; row++) {
            int oo = ob + row * c, xo = xb + row * c;
            if (o instanceof float[] of) {
                BinaryKernels.floats(BinaryOp.ADD, of, oo, (float[]) x, xo, (float[]) b, bb, c);
                if (act != null) UnaryKernels.floats(act, of, oo, of, oo, c, 0, 0);
            } else {
                double[] od = (double[]) o;
                BinaryKernels.doubles(BinaryOp.ADD, od, oo, (double[]) x, xo, (double[]) b, bb, c);
                if (act != null) UnaryKernels.doubles(act, od, oo, od, oo, c, 0, 0);
            }
        }
    }

    /**
     * The gradient through a ReLU, out = output &lt;= 0 ? 0 : grad, in one pass over contiguous operands (the default
     * takes a comparison and a where): SIMD for float32, a plain loop for float64.
     */
    static boolean reluBackward(View out, View grad, View output) {
        if (!out.isContiguous() || !grad.isContiguous() || !output.isContiguous()) return false;
        int oo = (int) out.offset, go = (int) grad.offset, yo = (int) output.offset, n = (int) out.numel();
        if (out.dtype() == DType.FLOAT32) {
            FloatSimd simd = FloatSimd.INSTANCE;
            float[] o = ((CpuBuffer) out.buffer).floats(), g = ((CpuBuffer) grad.buffer).floats(), y = ((CpuBuffer) output.buffer).floats();
            if (!BinaryKernels.separate(o, oo, g, go, n) || !BinaryKernels.separate(o, oo, y, yo, n)) return false;
            int chunks = Parallel.chunks(n);
            if (chunks == 1) {
                simd.reluGrad(o, oo, g, go, y, yo, n);
            } else {
                Parallel.forRange(n, chunks, (from, to) -> simd.reluGrad(o, oo + from, g, go + from, y, yo + from, to - from));
            }
            return true;
        }
        if (out.dtype() == DType.FLOAT64) {
            double[] o = ((CpuBuffer) out.buffer).doubles(), g = ((CpuBuffer) grad.buffer).doubles(), y = ((CpuBuffer) output.buffer).doubles();
            // element i reads only index i of each array, so any overlap at equal offsets is harmless
            if (!separate(o, oo, g, go, n) || !separate(o, oo, y, yo, n)) return false;
            Parallel.forRange(n, Parallel.chunks(n), (from, to) -> {
                for (int i = from; i < to; i++) o[oo + i] = y[yo + i] <= 0 ? 0.0 : g[go + i];
            });
            return true;
        }
        return false;
    }

    private static boolean separate(double[] o, int oo, double[] x, int xo, int n) {
        return o != x || oo == xo || oo + n <= xo || xo + n <= oo;
    }

    /**
     * ReLU's bias-activation backward on contiguous grad, y and gradX: gradX in one pass ({@link #reluBackward}; the
     * default takes a comparison, a where and a sum), then the bias gradient as gradX's column sums.
     */
    static boolean biasActivationBackward(View gradX, View gradBias, View grad, View y, UnaryOp act) {
        if (act != UnaryOp.RELU || !reluBackward(gradX, grad, y)) return false;
        int n = (int) gradX.numel();
        if (gradBias != null) {
            int c = gradBias.shape[0];
            View rows = new View(gradX.buffer, gradX.offset, new int[]{n / Math.max(1, c), c}, new long[]{c, 1});
            ReduceKernels.reduce(io.jgrad.spi.ReduceOp.SUM, Views.row(gradBias), rows, 0);
        }
        return true;
    }

    /**
     * The gradient through GELU of x + bias on contiguous float32 operands, one pass: each row's pre-activation goes
     * to a scratch row (with a bias), then {@link FloatSimd#geluBackward} (the erf form) or FloatMath's tanh-form
     * derivative times the gradient; then the bias gradient as gradX's column sums. The same bits as the default's
     * separate kernels: they round x + bias, the derivative and the product the same way.
     */
    static boolean geluBackward(View gradX, View gradBias, View grad, View x, View bias, UnaryOp act) {
        if (gradX.dtype() != DType.FLOAT32 || !gradX.isContiguous() || !grad.isContiguous() || !x.isContiguous()
                || (bias != null && bias.shape[0] > 1 && bias.strides[0] != 1)) {
            return false;
        }
        float[] o = ((CpuBuffer) gradX.buffer).floats(), g = ((CpuBuffer) grad.buffer).floats();
        float[] xa = ((CpuBuffer) x.buffer).floats(), b = bias == null ? null : ((CpuBuffer) bias.buffer).floats();
        int oo = (int) gradX.offset, go = (int) grad.offset, xo = (int) x.offset, bo = bias == null ? 0 : (int) bias.offset;
        int n = (int) gradX.numel();
        // each element reads only its own index of grad and x (the bias row goes through scratch first)
        if (!BinaryKernels.separate(o, oo, g, go, n) || !BinaryKernels.separate(o, oo, xa, xo, n)) return false;
        if (n > 0) {
            // rows of the last axis with a bias (which the contract allows only at rank 1 and up), else runs of 4096
            int width = bias != null ? gradX.shape[gradX.rank() - 1] : Math.min(n, 4096);
            int rows = (n + width - 1) / width;
            boolean tanh = act == UnaryOp.GELU_TANH;
            int chunks = Parallel.chunks((long) n * UnaryKernels.cost(UnaryOp.GELU_GRAD));
            Parallel.Range body = (from, to) -> {
                float[] z = b == null ? null : new float[width];
                for (int r = from; r < to; r++) {
                    int at = r * width, len = Math.min(width, n - at);
                    float[] in = xa;
                    int io = xo + at;
                    if (b != null) {
                        for (int j = 0; j < len; j++) z[j] = xa[io + j] + b[bo + j];
                        in = z;
                        io = 0;
                    }
                    if (tanh) {
                        for (int j = 0; j < len; j++) o[oo + at + j] = FloatMath.geluTanhGrad(in[io + j]) * g[go + at + j];
                    } else {
                        FloatSimd.INSTANCE.geluBackward(o, oo + at, g, go + at, in, io, len);
                    }
                }
            };
            if (chunks == 1) body.run(0, rows);
            else Parallel.forRange(rows, chunks, body);
        }
        if (gradBias != null) {
            int c = gradBias.shape[0];
            View rowsView = new View(gradX.buffer, gradX.offset, new int[]{n / Math.max(1, c), c}, new long[]{c, 1});
            ReduceKernels.reduce(io.jgrad.spi.ReduceOp.SUM, Views.row(gradBias), rowsView, 0);
        }
        return true;
    }

    /**
     * Batch-norm forward on a contiguous [n, c] x and out, in double per element (the statistics in two passes, so the
     * variance does not cancel), rounded once per stored value. Threads take blocks of columns. The float32 and
     * float64 arrays are both in scope and one is null: C2 hoists that test out of the loops.
     */
    static boolean batchNormForward(View out, View mean, View var, View x, View weight, View bias, double eps) {
        if (x.rank() != 2 || !x.isContiguous() || !out.isContiguous() || out.dtype() != x.dtype()) return false;
        int n = x.shape[0], c = x.shape[1];
        Vec w = new Vec(weight), b = new Vec(bias), mv = new Vec(mean), vv = new Vec(var);
        float[] xf = floatsOrNull(x), of = floatsOrNull(out);
        double[] xd = doublesOrNull(x), od = doublesOrNull(out);
        int xb = (int) x.offset, ob = (int) out.offset;
        columnBlocks(n, c, 4, (j0, j1) -> {
            int width = j1 - j0;
            double[] mu = new double[width], sq = new double[width];
            for (int r = 0; r < n; r++) {
                int row = xb + r * c + j0;
                for (int k = 0; k < width; k++) mu[k] += xf != null ? xf[row + k] : xd[row + k];
            }
            for (int k = 0; k < width; k++) mu[k] /= n;
            for (int r = 0; r < n; r++) {
                int row = xb + r * c + j0;
                for (int k = 0; k < width; k++) {
                    double d = (xf != null ? xf[row + k] : xd[row + k]) - mu[k];
                    sq[k] += d * d;
                }
            }
            double[] scale = new double[width], shift = new double[width];
            for (int k = 0; k < width; k++) {
                double v = sq[k] / n;
                mv.set(j0 + k, mu[k]);
                vv.set(j0 + k, v);
                scale[k] = w.get(j0 + k) / Math.sqrt(v + eps);
                shift[k] = b.get(j0 + k);
            }
            for (int r = 0; r < n; r++) {
                int row = xb + r * c + j0, orow = ob + r * c + j0;
                for (int k = 0; k < width; k++) {
                    double y = ((xf != null ? xf[row + k] : xd[row + k]) - mu[k]) * scale[k] + shift[k];
                    if (of != null) of[orow + k] = (float) y; else od[orow + k] = y;
                }
            }
        });
        return true;
    }

    /** Batch-norm backward on contiguous [n, c] x and gradOut (and gradX when wanted), in double per element. */
    static boolean batchNormBackward(View gradX, View gradWeight, View gradBias, View gradOut, View x, View mean, View var,
                                     View weight, double eps) {
        if (x.rank() != 2 || !x.isContiguous() || !gradOut.isContiguous() || gradOut.dtype() != x.dtype()
                || (gradX != null && (!gradX.isContiguous() || gradX.dtype() != x.dtype()))) {
            return false;
        }
        int n = x.shape[0], c = x.shape[1];
        Vec w = new Vec(weight), mv = new Vec(mean), vv = new Vec(var);
        Vec gw = gradWeight == null ? null : new Vec(gradWeight), gb = gradBias == null ? null : new Vec(gradBias);
        float[] xf = floatsOrNull(x), gf = floatsOrNull(gradOut), df = gradX == null ? null : floatsOrNull(gradX);
        double[] xd = doublesOrNull(x), gd = doublesOrNull(gradOut), dd = gradX == null ? null : doublesOrNull(gradX);
        int xb = (int) x.offset, gob = (int) gradOut.offset, db = gradX == null ? 0 : (int) gradX.offset;
        columnBlocks(n, c, 6, (j0, j1) -> {
            int width = j1 - j0;
            double[] mu = new double[width], inv = new double[width], sumG = new double[width], sumGx = new double[width];
            for (int k = 0; k < width; k++) {
                mu[k] = mv.get(j0 + k);
                inv[k] = 1 / Math.sqrt(vv.get(j0 + k) + eps);
            }
            for (int r = 0; r < n; r++) {
                int row = xb + r * c + j0, grow = gob + r * c + j0;
                for (int k = 0; k < width; k++) {
                    double g = gf != null ? gf[grow + k] : gd[grow + k];
                    sumG[k] += g;
                    sumGx[k] += g * ((xf != null ? xf[row + k] : xd[row + k]) - mu[k]) * inv[k];
                }
            }
            for (int k = 0; k < width; k++) {
                if (gb != null) gb.set(j0 + k, sumG[k]);
                if (gw != null) gw.set(j0 + k, sumGx[k]);
            }
            if (gradX == null) return;
            double[] scale = new double[width];
            for (int k = 0; k < width; k++) scale[k] = w.get(j0 + k) * inv[k];
            for (int r = 0; r < n; r++) {
                int row = xb + r * c + j0, grow = gob + r * c + j0, drow = db + r * c + j0;
                for (int k = 0; k < width; k++) {
                    double xhat = ((xf != null ? xf[row + k] : xd[row + k]) - mu[k]) * inv[k];
                    double g = gf != null ? gf[grow + k] : gd[grow + k];
                    double dx = scale[k] * (g - (sumG[k] + xhat * sumGx[k]) / n);
                    if (df != null) df[drow + k] = (float) dx; else dd[drow + k] = dx;
                }
            }
        });
        return true;
    }

    private static float[] floatsOrNull(View v) {
        return ((CpuBuffer) v.buffer).array() instanceof float[] f ? f : null;
    }

    private static double[] doublesOrNull(View v) {
        return ((CpuBuffer) v.buffer).array() instanceof double[] d ? d : null;
    }

    /** Splits the columns of an [n, c] job into blocks for the threads when it is big enough; cost per element. */
    private static void columnBlocks(int n, int c, int cost, Parallel.Range body) {
        int chunks = Parallel.chunks((long) n * c * cost);
        if (chunks == 1 || c < 2 * 16) {
            body.run(0, c);
            return;
        }
        int blocks = (c + 15) / 16; // 16 columns: a cache line of float32 per row
        Parallel.forRange(blocks, chunks, (from, to) -> body.run(from * 16, Math.min(c, to * 16)));
    }

    /** A float32 or float64 vector view of any stride, read and written in double. */
    private static final class Vec {
        final Object array;
        final int offset;
        final int stride;

        Vec(View v) {
            array = ((CpuBuffer) v.buffer).array();
            offset = (int) v.offset;
            stride = v.rank() == 0 ? 0 : (int) v.strides[0];
        }

        double get(int j) {
            return at(array, offset + j * stride);
        }

        void set(int j, double value) {
            put(array, offset + j * stride, value);
        }

        static double at(Object a, int i) {
            return a instanceof float[] f ? f[i] : ((double[]) a)[i];
        }

        static void put(Object a, int i, double value) {
            if (a instanceof float[] f) f[i] = (float) value; else ((double[]) a)[i] = value;
        }
    }

    /** Adam or AdamW on contiguous same-dtype views, in double per element, following the default's formula. */
    static boolean adamUpdate(View param, View grad, View m, View v, double lr, double beta1, double beta2, double eps,
                              double weightDecay, boolean decoupled, long step) {
        if (!allContiguousSameType(param, grad, m, v)) return false;
        int n = (int) param.numel();
        Adam adam = new Adam(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step);
        // about 0.6 ns an element in float64 (10 us for a [256, 64] weight): the gpt step's weights of 2^14 split
        int chunks = Parallel.chunks(n * 16L);
        if (chunks == 1) adam.run(0, n); else Parallel.forRange(n, chunks, adam);
        return true;
    }

    /** One Adam step over a range of elements; all constants are computed once per call. */
    private static final class Adam implements Parallel.Range {
        private final float[] pf, gf, mf, vf;
        private final double[] pd, gd, md, vd;
        private final int po, go, mo, vo;
        private final double beta1, beta2, eps, weightDecay, invBc2, stepSize, decay;
        private final boolean coupledDecay, decoupledDecay;

        Adam(View param, View grad, View m, View v, double lr, double beta1, double beta2, double eps,
             double weightDecay, boolean decoupled, long step) {
            boolean f32 = param.dtype() == DType.FLOAT32;
            CpuBuffer p = (CpuBuffer) param.buffer, g = (CpuBuffer) grad.buffer;
            CpuBuffer mb = (CpuBuffer) m.buffer, vb = (CpuBuffer) v.buffer;
            pf = f32 ? p.floats() : null;
            gf = f32 ? g.floats() : null;
            mf = f32 ? mb.floats() : null;
            vf = f32 ? vb.floats() : null;
            pd = f32 ? null : p.doubles();
            gd = f32 ? null : g.doubles();
            md = f32 ? null : mb.doubles();
            vd = f32 ? null : vb.doubles();
            po = (int) param.offset;
            go = (int) grad.offset;
            mo = (int) m.offset;
            vo = (int) v.offset;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
            invBc2 = 1 / (1 - Math.pow(beta2, step));
            stepSize = lr / (1 - Math.pow(beta1, step));
            decay = 1 - lr * weightDecay;
            coupledDecay = weightDecay != 0 && !decoupled;
            decoupledDecay = weightDecay != 0 && decoupled;
        }

        @Override
        public void run(int from, int to) {
            if (pf != null) { // this loop in float32 (FloatSimd says how each implementation rounds)
                FloatSimd.INSTANCE.adam(pf, po + from, gf, go + from, mf, mo + from, vf, vo + from, to - from, beta1,
                        beta2, eps, invBc2, stepSize, coupledDecay ? weightDecay : 0, decoupledDecay ? decay : 1);
            } else {
                for (int i = from; i < to; i++) {
                    double pi = pd[po + i], gi = gd[go + i];
                    if (coupledDecay) gi += weightDecay * pi;
                    double mi = beta1 * md[mo + i] + (1 - beta1) * gi;
                    double vi = beta2 * vd[vo + i] + (1 - beta2) * (gi * gi);
                    if (decoupledDecay) pi = decay * pi;
                    md[mo + i] = mi;
                    vd[vo + i] = vi;
                    pd[po + i] = pi - (stepSize * mi) / (Math.sqrt(invBc2 * vi) + eps);
                }
            }
        }
    }

    /** SGD with PyTorch's momentum, dampening and Nesterov rules, on contiguous same-dtype views. */
    static boolean sgdUpdate(View param, View grad, View buf, double lr, double momentum, double dampening,
                             double weightDecay, boolean nesterov, boolean firstStep) {
        boolean useMomentum = momentum != 0;
        if (!allContiguousSameType(param, grad, useMomentum ? buf : param, param)) return false;
        int n = (int) param.numel();
        Sgd sgd = new Sgd(param, grad, useMomentum ? buf : null, lr, momentum, dampening, weightDecay, nesterov, firstStep);
        int chunks = Parallel.chunks(n * 4L);
        if (chunks == 1) sgd.run(0, n); else Parallel.forRange(n, chunks, sgd);
        return true;
    }

    private static final class Sgd implements Parallel.Range {
        private final float[] pf, gf, bf;
        private final double[] pd, gd, bd;
        private final int po, go, bo;
        private final double lr, momentum, dampening, weightDecay;
        private final boolean nesterov, firstStep;

        Sgd(View param, View grad, View buf, double lr, double momentum, double dampening, double weightDecay,
            boolean nesterov, boolean firstStep) {
            boolean f32 = param.dtype() == DType.FLOAT32;
            CpuBuffer p = (CpuBuffer) param.buffer, g = (CpuBuffer) grad.buffer;
            CpuBuffer b = buf == null ? null : (CpuBuffer) buf.buffer;
            pf = f32 ? p.floats() : null;
            gf = f32 ? g.floats() : null;
            bf = f32 && b != null ? b.floats() : null;
            pd = f32 ? null : p.doubles();
            gd = f32 ? null : g.doubles();
            bd = !f32 && b != null ? b.doubles() : null;
            po = (int) param.offset;
            go = (int) grad.offset;
            bo = buf == null ? 0 : (int) buf.offset;
            this.lr = lr;
            this.momentum = momentum;
            this.dampening = dampening;
            this.weightDecay = weightDecay;
            this.nesterov = nesterov;
            this.firstStep = firstStep;
        }

        @Override
        public void run(int from, int to) {
            boolean useMomentum = momentum != 0;
            if (pf != null) {
                for (int i = from; i < to; i++) {
                    double pi = pf[po + i], gi = gf[go + i];
                    if (weightDecay != 0) gi += weightDecay * pi;
                    if (useMomentum) {
                        double bi = firstStep ? gi : momentum * bf[bo + i] + (1 - dampening) * gi;
                        bf[bo + i] = (float) bi;
                        gi = nesterov ? gi + momentum * bi : bi;
                    }
                    pf[po + i] = (float) (pi - lr * gi);
                }
            } else {
                for (int i = from; i < to; i++) {
                    double pi = pd[po + i], gi = gd[go + i];
                    if (weightDecay != 0) gi += weightDecay * pi;
                    if (useMomentum) {
                        double bi = firstStep ? gi : momentum * bd[bo + i] + (1 - dampening) * gi;
                        bd[bo + i] = bi;
                        gi = nesterov ? gi + momentum * bi : bi;
                    }
                    pd[po + i] = pi - lr * gi;
                }
            }
        }
    }

    /**
     * grad *= invScale in one pass over a dense float32 or float64 gradient, noting whether any element was
     * infinite or NaN before the multiplication (then foundInf becomes 1). Each thread's chunk keeps its own flag.
     */
    static boolean unscaleAndCheck(View grad, View foundInf, double invScale) {
        DType t = grad.dtype();
        if (t != DType.FLOAT32 && t != DType.FLOAT64 || !grad.isContiguous()) return false;
        int n = (int) grad.numel();
        int off = (int) grad.offset;
        CpuBuffer g = (CpuBuffer) grad.buffer;
        boolean[] found = new boolean[1];
        Parallel.Range body;
        if (t == DType.FLOAT32) {
            float[] a = g.floats();
            float inv = (float) invScale;
            body = (from, to) -> {
                boolean bad = false;
                for (int i = off + from, end = off + to; i < end; i++) {
                    float v = a[i];
                    bad |= !Float.isFinite(v);
                    a[i] = v * inv;
                }
                if (bad) found[0] = true; // a benign race: every writer writes true
            };
        } else {
            double[] a = g.doubles();
            body = (from, to) -> {
                boolean bad = false;
                for (int i = off + from, end = off + to; i < end; i++) {
                    double v = a[i];
                    bad |= !Double.isFinite(v);
                    a[i] = v * invScale;
                }
                if (bad) found[0] = true;
            };
        }
        int chunks = Parallel.chunks(n * 2L);
        if (chunks == 1) body.run(0, n); else Parallel.forRange(n, chunks, body);
        if (found[0]) {
            float[] f = ((CpuBuffer) foundInf.buffer).floats();
            f[(int) foundInf.offset] = 1;
        }
        return true;
    }

    private static boolean allContiguousSameType(View a, View b, View c, View d) {
        DType t = a.dtype();
        return t.isFloating() && b.dtype() == t && c.dtype() == t && d.dtype() == t
                && a.isContiguous() && b.isContiguous() && c.isContiguous() && d.isContiguous()
                && a.numel() == b.numel() && a.numel() == c.numel() && a.numel() == d.numel();
    }
}
