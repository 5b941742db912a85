package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.spi.View;

/**
 * Batch norm of float32 images in place, x [n, c, s] contiguous (BatchNorm2d's NCHW with the pixels flattened): each
 * channel is n runs of s floats, so it is normalised where it lies, with no copy into channels-last rows and back.
 * Threads take whole channels, each summed by one thread in a fixed order, so results do not depend on the thread
 * count. Sums are in double (four partial sums per run, so the adds do not wait on each other), each pair of them in one
 * read of the data: the forward pass sums x - k and (x - k)^2 about the channel's first value k, the backward pass g and
 * g * (x - mean), so each direction reads its inputs twice, not three times; the per-element passes
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
            double[] moments = new double[2];
            float[] lanes = new float[RUNS.scratch()];
            for (int j = from; j < to; j++) {
                // one pass: the sums of (x - k) and (x - k)^2 about the channel's first value k, in double (the shift
                // keeps E[(x-k)^2] - E[x-k]^2 from cancelling when the mean is far from 0)
                double k = count == 0 ? 0 : xs[xo + j * s];
                moments[0] = 0;
                moments[1] = 0;
                for (int i = 0; i < n; i++) RUNS.moments(xs, xo + (i * c + j) * s, s, k, moments, lanes);
                double sum = moments[0], sq = moments[1];
                double m1 = sum / count, mu = k + m1, v = Math.max(0, sq / count - m1 * m1);
                double scale = w.get(j) / Math.sqrt(v + eps);
                mv.set(j, mu);
                vv.set(j, v);
                float a = (float) scale, add = (float) (b.get(j) - mu * scale);
                for (int i = 0; i < n; i++) RUNS.affine(os, oo + (i * c + j) * s, xs, xo + (i * c + j) * s, s, a, add);
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
            double[] sums = new double[2];
            float[] lanes = new float[RUNS.scratch()];
            for (int j = from; j < to; j++) {
                double mu = mv.get(j), inv = 1 / Math.sqrt(vv.get(j) + eps);
                sums[0] = 0;
                sums[1] = 0;
                for (int i = 0; i < n; i++) {
                    int at = (i * c + j) * s;
                    RUNS.sumAndDotCentered(gs, go + at, xs, xo + at, s, mu, sums, lanes);
                }
                double sumG = sums[0], sumGx = sums[1] * inv; // the sum of gradOut * xhat
                if (gb != null) gb.set(j, sumG);
                if (gw != null) gw.set(j, sumGx);
                if (ds == null) continue;
                // dx = scale * (g - (sumG + xhat * sumGx) / count) = a * g + bx * x + add
                double scale = w.get(j) * inv, k = scale * inv * sumGx / count;
                float a = (float) scale, bx = (float) -k, add = (float) (k * mu - scale * sumG / count);
                for (int i = 0; i < n; i++) {
                    int at = (i * c + j) * s;
                    RUNS.affine2(ds, dof + at, gs, go + at, xs, xo + at, s, a, bx, add);
                }
            }
        });
        return true;
    }

    /**
     * out[oo + j] = the sum over i and q of g[go + (i * c + j) * s + q] for each channel j of a contiguous [n, c, s]
     * float32 array (a convolution's bias gradient), in float64 rounded once; channels over the team, each summed by
     * one thread in a fixed order.
     */
    static void channelSums(float[] g, int go, int n, int c, int s, float[] out, int oo) {
        overChannels(n, c, s, 1, (from, to) -> {
            double[] acc = new double[1];
            float[] lanes = new float[RUNS.scratch()];
            for (int j = from; j < to; j++) {
                acc[0] = 0;
                for (int i = 0; i < n; i++) RUNS.sum(g, go + (i * c + j) * s, s, acc, lanes);
                out[oo + j] = (float) acc[0];
            }
        });
    }

    /**
     * The loops over one run of a channel (s consecutive floats of one image): the plain Java ones below, or, where the
     * Vector API is present, {@code VectorBatchNorm}'s (loaded by name, so that nothing else links against the module).
     * The per-element passes give the same bits either way (fused multiply-adds); the sums differ in their last bits.
     */
    abstract static class Runs {
        /** Floats of per-thread scratch each sum needs. */
        int scratch() {
            return 0;
        }

        /**
         * acc[0] += the sum of (x - k), acc[1] += the sum of (x - k)^2 over x[off, off + len): one read of the run for
         * both.
         */
        abstract void moments(float[] x, int off, int len, double k, double[] acc, float[] lanes);

        /** acc[0] += the sum of g, acc[1] += the sum of g * (x - mu) over a run, in one read of each. */
        abstract void sumAndDotCentered(float[] g, int go, float[] x, int xo, int len, double mu, double[] acc, float[] lanes);

        /** acc[0] += the sum of g over a run. */
        abstract void sum(float[] g, int go, int len, double[] acc, float[] lanes);

        /** o = fma(x, a, b) over a run. */
        abstract void affine(float[] o, int oo, float[] x, int xo, int len, float a, float b);

        /** o = fma(g, a, fma(x, bx, add)) over a run. */
        abstract void affine2(float[] o, int oo, float[] g, int go, float[] x, int xo, int len, float a, float bx, float add);
    }

    /** Used when the Vector API is missing (or {@code -Djgrad.cpu.batchNorm=plain}). */
    static final Runs PLAIN = new PlainRuns();

    static final Runs RUNS = load();

    private static Runs load() {
        if ("plain".equals(System.getProperty("jgrad.cpu.batchNorm"))) return PLAIN;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return PLAIN;
        try {
            return (Runs) Class.forName("io.jgrad.cpu.VectorBatchNorm").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return PLAIN;
        }
    }

    /**
     * Sums in double with four partial sums of each (so the adds do not wait on each other); the per-element passes
     * are float32 fused multiply-adds.
     */
    static final class PlainRuns extends Runs {
        @Override
        void moments(float[] x, int off, int len, double k, double[] acc, float[] lanes) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
            int q = 0;
            for (; q + 4 <= len; q += 4) {
                double d0 = x[off + q] - k, d1 = x[off + q + 1] - k, d2 = x[off + q + 2] - k, d3 = x[off + q + 3] - k;
                s0 += d0;
                s1 += d1;
                s2 += d2;
                s3 += d3;
                q0 += d0 * d0;
                q1 += d1 * d1;
                q2 += d2 * d2;
                q3 += d3 * d3;
            }
            for (; q < len; q++) {
                double d = x[off + q] - k;
                s0 += d;
                q0 += d * d;
            }
            acc[0] += (s0 + s1) + (s2 + s3);
            acc[1] += (q0 + q1) + (q2 + q3);
        }

        @Override
        void sumAndDotCentered(float[] g, int go, float[] x, int xo, int len, double mu, double[] acc, float[] lanes) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0, d0 = 0, d1 = 0, d2 = 0, d3 = 0;
            int q = 0;
            for (; q + 4 <= len; q += 4) {
                double g0 = g[go + q], g1 = g[go + q + 1], g2 = g[go + q + 2], g3 = g[go + q + 3];
                s0 += g0;
                s1 += g1;
                s2 += g2;
                s3 += g3;
                d0 += g0 * (x[xo + q] - mu);
                d1 += g1 * (x[xo + q + 1] - mu);
                d2 += g2 * (x[xo + q + 2] - mu);
                d3 += g3 * (x[xo + q + 3] - mu);
            }
            for (; q < len; q++) {
                s0 += g[go + q];
                d0 += g[go + q] * (x[xo + q] - mu);
            }
            acc[0] += (s0 + s1) + (s2 + s3);
            acc[1] += (d0 + d1) + (d2 + d3);
        }

        @Override
        void sum(float[] g, int go, int len, double[] acc, float[] lanes) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int q = 0;
            for (; q + 4 <= len; q += 4) {
                s0 += g[go + q];
                s1 += g[go + q + 1];
                s2 += g[go + q + 2];
                s3 += g[go + q + 3];
            }
            for (; q < len; q++) s0 += g[go + q];
            acc[0] += (s0 + s1) + (s2 + s3);
        }

        @Override
        void affine(float[] o, int oo, float[] x, int xo, int len, float a, float b) {
            for (int q = 0; q < len; q++) o[oo + q] = Math.fma(x[xo + q], a, b);
        }

        @Override
        void affine2(float[] o, int oo, float[] g, int go, float[] x, int xo, int len, float a, float bx, float add) {
            for (int q = 0; q < len; q++) o[oo + q] = Math.fma(g[go + q], a, Math.fma(x[xo + q], bx, add));
        }
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
