package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.spi.View;

/**
 * Batch norm of float32 images in place, x [n, c, s] contiguous (BatchNorm2d's NCHW with the pixels flattened): each
 * channel is n runs of s floats, so it is normalised where it lies, with no copy into channels-last rows and back.
 * Threads take whole channels, each summed by one thread in a fixed order, so results do not depend on the thread
 * count. Sums are in double (four partial sums per run, so the adds do not wait on each other); the per-element passes
 * are float32 fused multiply-adds {@code x * a + b} with a and b folded in double per channel, which the JIT turns into
 * SIMD loops.
 */
final class ChannelBatchNorm {
    private ChannelBatchNorm() {
    }

    private static boolean fits(View x, View... others) {
        if (x.rank() != 3 || x.dtype() != DType.FLOAT32 || !x.isContiguous()) return false;
        for (View v : others) if (v != null && (!v.isContiguous() || v.dtype() != DType.FLOAT32)) return false;
        return true;
    }

    private static void overChannels(int n, int c, int s, int cost, Parallel.Range body) {
        int chunks = Parallel.chunks((long) n * c * s * cost);
        if (chunks <= 1) body.run(0, c); else Parallel.forEachUnit(c, chunks, body);
    }

    static boolean forward(View out, View mean, View var, View x, View weight, View bias, double eps) {
        if (!fits(x, out)) return false;
        int n = x.shape[0], c = x.shape[1], s = x.shape[2];
        float[] xs = ((CpuBuffer) x.buffer).floats(), os = ((CpuBuffer) out.buffer).floats();
        int xo = (int) x.offset, oo = (int) out.offset;
        Vector w = new Vector(weight), b = new Vector(bias), mv = new Vector(mean), vv = new Vector(var);
        double count = (double) n * s;
        overChannels(n, c, s, 3, (from, to) -> {
            for (int j = from; j < to; j++) {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += sum(xs, xo + (i * c + j) * s, s, 0);
                double mu = sum / count, sq = 0;
                for (int i = 0; i < n; i++) sq += sumSquares(xs, xo + (i * c + j) * s, s, mu);
                double v = sq / count, scale = w.get(j) / Math.sqrt(v + eps);
                mv.set(j, mu);
                vv.set(j, v);
                float a = (float) scale, add = (float) (b.get(j) - mu * scale);
                for (int i = 0; i < n; i++) {
                    int src = xo + (i * c + j) * s, dst = oo + (i * c + j) * s;
                    for (int q = 0; q < s; q++) os[dst + q] = Math.fma(xs[src + q], a, add);
                }
            }
        });
        return true;
    }

    static boolean backward(View gradX, View gradWeight, View gradBias, View gradOut, View x, View mean, View var,
                            View weight, double eps) {
        if (!fits(x, gradOut, gradX)) return false;
        int n = x.shape[0], c = x.shape[1], s = x.shape[2];
        float[] xs = ((CpuBuffer) x.buffer).floats(), gs = ((CpuBuffer) gradOut.buffer).floats();
        float[] ds = gradX == null ? null : ((CpuBuffer) gradX.buffer).floats();
        int xo = (int) x.offset, go = (int) gradOut.offset, dof = gradX == null ? 0 : (int) gradX.offset;
        Vector w = new Vector(weight), mv = new Vector(mean), vv = new Vector(var);
        Vector gw = gradWeight == null ? null : new Vector(gradWeight), gb = gradBias == null ? null : new Vector(gradBias);
        double count = (double) n * s;
        overChannels(n, c, s, 4, (from, to) -> {
            for (int j = from; j < to; j++) {
                double mu = mv.get(j), inv = 1 / Math.sqrt(vv.get(j) + eps);
                double sumG = 0, sumGx = 0;
                for (int i = 0; i < n; i++) {
                    int at = (i * c + j) * s;
                    sumG += sum(gs, go + at, s, 0);
                    sumGx += dotCentered(gs, go + at, xs, xo + at, s, mu);
                }
                sumGx *= inv; // the sum of gradOut * xhat
                if (gb != null) gb.set(j, sumG);
                if (gw != null) gw.set(j, sumGx);
                if (ds == null) continue;
                // dx = scale * (g - (sumG + xhat * sumGx) / count) = a * g + bx * x + add
                double scale = w.get(j) * inv, k = scale * inv * sumGx / count;
                float a = (float) scale, bx = (float) -k, add = (float) (k * mu - scale * sumG / count);
                for (int i = 0; i < n; i++) {
                    int at = (i * c + j) * s, src = xo + at, g = go + at, dst = dof + at;
                    for (int q = 0; q < s; q++) ds[dst + q] = Math.fma(gs[g + q], a, Math.fma(xs[src + q], bx, add));
                }
            }
        });
        return true;
    }

    /** The sum of x[off, off + len) - shift, in double with four partial sums. */
    private static double sum(float[] x, int off, int len, double shift) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int q = 0;
        for (; q + 4 <= len; q += 4) {
            s0 += x[off + q];
            s1 += x[off + q + 1];
            s2 += x[off + q + 2];
            s3 += x[off + q + 3];
        }
        for (; q < len; q++) s0 += x[off + q];
        return (s0 + s1) + (s2 + s3) - shift * len;
    }

    private static double sumSquares(float[] x, int off, int len, double mu) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int q = 0;
        for (; q + 4 <= len; q += 4) {
            double d0 = x[off + q] - mu, d1 = x[off + q + 1] - mu, d2 = x[off + q + 2] - mu, d3 = x[off + q + 3] - mu;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; q < len; q++) {
            double d = x[off + q] - mu;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The sum of g * (x - mu) over a run. */
    private static double dotCentered(float[] g, int go, float[] x, int xo, int len, double mu) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int q = 0;
        for (; q + 4 <= len; q += 4) {
            s0 += g[go + q] * (x[xo + q] - mu);
            s1 += g[go + q + 1] * (x[xo + q + 1] - mu);
            s2 += g[go + q + 2] * (x[xo + q + 2] - mu);
            s3 += g[go + q + 3] * (x[xo + q + 3] - mu);
        }
        for (; q < len; q++) s0 += g[go + q] * (x[xo + q] - mu);
        return (s0 + s1) + (s2 + s3);
    }

    /** A float32 or float64 [c] vector of any stride, read and written in double. */
    private record Vector(Object array, int offset, int stride) {
        Vector(View v) {
            this(((CpuBuffer) v.buffer).array(), (int) v.offset, v.rank() == 0 ? 0 : (int) v.strides[0]);
        }

        double get(int j) {
            return array instanceof float[] f ? f[offset + j * stride] : ((double[]) array)[offset + j * stride];
        }

        void set(int j, double value) {
            if (array instanceof float[] f) f[offset + j * stride] = (float) value;
            else ((double[]) array)[offset + j * stride] = value;
        }
    }
}
