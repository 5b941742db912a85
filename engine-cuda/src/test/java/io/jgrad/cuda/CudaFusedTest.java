package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.DType;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.ScalarMath;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import org.junit.jupiter.api.Test;

/** The fused kernels against float64 references and against the SPI's unfused defaults. */
class CudaFusedTest extends GpuTestSupport {
    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

    @Test
    void biasActivationMatchesAddThenActivate() {
        int rows = 9;
        int cols = 70;
        double[] x = randoms(rows * cols, 51, 4);
        double[] bias = randoms(cols, 52, 2);
        for (DType t : FLOATS) {
            Buffer bx = upload(t, x);
            Buffer bb = upload(t, bias);
            Buffer out = garbage(t, rows * cols);
            for (UnaryOp act : new UnaryOp[]{null, UnaryOp.RELU, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.GELU}) {
                gpu.biasActivation(view(out, rows, cols), view(bx, rows, cols), view(bb, cols), act);
                double[] got = download(out);
                for (int i = 0; i < rows * cols; i++) {
                    double s = round(t, round(t, x[i]) + round(t, bias[i % cols]));
                    double want = round(t, act == null ? s : ScalarMath.unary(act, s, 0, 0));
                    assertClose(want, got[i], tolerance(t), CudaElementwiseTest.absoluteTolerance(act == null ? UnaryOp.NEG : act, t),
                            t + " bias+" + act + " at " + i);
                }
            }
        }
    }

    /** Runs the fused update and the SPI default (forced by a strided gradient) from the same state; they must agree. */
    @Test
    void adamFusedAgreesWithTheDefaultAndTheReference() {
        int n = 1000;
        double[] p0 = randoms(n, 61, 1);
        double[] g0 = randoms(n, 62, 0.1);
        double[] m0 = randoms(n, 63, 0.01);
        double[] v0 = randoms(n, 64, 0.01);
        for (int i = 0; i < n; i++) v0[i] = Math.abs(v0[i]);
        for (DType t : FLOATS) {
            for (boolean decoupled : new boolean[]{false, true}) {
                double lr = 1e-2;
                double b1 = 0.9;
                double b2 = 0.999;
                double eps = 1e-8;
                double wd = 0.05;
                long step = 3;
                Buffer[] fused = {upload(t, p0), upload(t, m0), upload(t, v0)};
                gpu.adamUpdate(view(fused[0], n), view(upload(t, g0), n), view(fused[1], n), view(fused[2], n), lr, b1, b2, eps, wd, decoupled, step);
                Buffer[] unfused = {upload(t, p0), upload(t, m0), upload(t, v0)};
                View stridedGrad = new View(upload(t, interleave(g0)), 0, new int[]{n}, new long[]{2});
                gpu.adamUpdate(view(unfused[0], n), stridedGrad, view(unfused[1], n), view(unfused[2], n), lr, b1, b2, eps, wd, decoupled, step);
                double[] p = download(fused[0]);
                double[] pd = download(unfused[0]);
                double[] m = download(fused[1]);
                double[] v = download(fused[2]);
                double bc1 = 1 - Math.pow(b1, step);
                double bc2 = 1 - Math.pow(b2, step);
                for (int i = 0; i < n; i++) {
                    double pi = round(t, p0[i]);
                    double gi = round(t, g0[i]);
                    if (!decoupled) gi += wd * pi;
                    double mi = b1 * round(t, m0[i]) + (1 - b1) * gi;
                    double vi = b2 * round(t, v0[i]) + (1 - b2) * gi * gi;
                    if (decoupled) pi *= 1 - lr * wd;
                    double want = pi - lr * (mi / bc1) / (Math.sqrt(vi / bc2) + eps);
                    String what = t + (decoupled ? " AdamW" : " Adam") + " at " + i;
                    assertClose(round(t, mi), m[i], tolerance(t) * 4, 1e-12, what + " m");
                    assertClose(round(t, vi), v[i], tolerance(t) * 4, 1e-15, what + " v");
                    assertClose(round(t, want), p[i], tolerance(t) * 4, 1e-12, what + " param");
                    assertClose(pd[i], p[i], tolerance(t) * 4, t == DType.FLOAT32 ? 1e-7 : 1e-14, what + " fused vs default");
                }
            }
        }
    }

    @Test
    void sgdFusedAgreesWithTheDefaultAndTheReference() {
        int n = 500;
        double[] p0 = randoms(n, 71, 1);
        double[] g0 = randoms(n, 72, 0.1);
        double[] buf0 = randoms(n, 73, 0.1);
        for (DType t : FLOATS) {
            for (int variant = 0; variant < 4; variant++) {
                double momentum = variant == 0 ? 0 : 0.9;
                boolean nesterov = variant == 2;
                boolean first = variant == 3;
                double lr = 0.1;
                double damp = nesterov ? 0 : 0.1;
                double wd = 0.01;
                Buffer p = upload(t, p0);
                Buffer b = upload(t, buf0);
                gpu.sgdUpdate(view(p, n), view(upload(t, g0), n), momentum == 0 ? null : view(b, n), lr, momentum, damp, wd, nesterov, first);
                Buffer pd = upload(t, p0);
                Buffer bd = upload(t, buf0);
                View stridedGrad = new View(upload(t, interleave(g0)), 0, new int[]{n}, new long[]{2});
                gpu.sgdUpdate(view(pd, n), stridedGrad, momentum == 0 ? null : view(bd, n), lr, momentum, damp, wd, nesterov, first);
                double[] got = download(p);
                double[] gotDefault = download(pd);
                double[] gotBuf = download(b);
                for (int i = 0; i < n; i++) {
                    double pi = round(t, p0[i]);
                    double g = round(t, g0[i]) + wd * pi;
                    double bi = round(t, buf0[i]);
                    if (momentum != 0) {
                        bi = first ? g : momentum * bi + (1 - damp) * g;
                        g = nesterov ? g + momentum * bi : bi;
                        assertClose(round(t, bi), gotBuf[i], tolerance(t) * 4, 1e-15, t + " SGD variant " + variant + " buffer at " + i);
                    }
                    String what = t + " SGD variant " + variant + " at " + i;
                    assertClose(round(t, pi - lr * g), got[i], tolerance(t) * 4, 1e-15, what);
                    assertClose(gotDefault[i], got[i], tolerance(t) * 4, 1e-15, what + " fused vs default");
                }
            }
        }
    }

    private static double[] interleave(double[] g) {
        double[] r = new double[g.length * 2];
        for (int i = 0; i < g.length; i++) {
            r[2 * i] = g[i];
            r[2 * i + 1] = 1e9; // never read
        }
        return r;
    }

    @Test
    void softmaxOverrideAgreesWithTheDefault() {
        double[] x = randoms(4 * 33, 81, 5);
        Buffer in = upload(DType.FLOAT64, x);
        Buffer fused = allocate(DType.FLOAT64, x.length);
        Buffer unfused = allocate(DType.FLOAT64, x.length);
        for (boolean log : new boolean[]{false, true}) {
            gpu.softmax(view(fused, 4, 33), view(in, 4, 33), 1, log);
            new io.jgrad.spi.Backend() { // only the default method, on top of the GPU's primitives
                @Override public String name() { return gpu.name(); }
                @Override public io.jgrad.Device device() { return gpu.device(); }
                @Override public Buffer allocate(DType d, long l) { return gpu.allocate(d, l); }
                @Override public Buffer upload(float[] d) { return gpu.upload(d); }
                @Override public Buffer upload(double[] d) { return gpu.upload(d); }
                @Override public Buffer upload(long[] d) { return gpu.upload(d); }
                @Override public void download(Buffer s, long o, float[] d, int p, int l) { gpu.download(s, o, d, p, l); }
                @Override public void download(Buffer s, long o, double[] d, int p, int l) { gpu.download(s, o, d, p, l); }
                @Override public void download(Buffer s, long o, long[] d, int p, int l) { gpu.download(s, o, d, p, l); }
                @Override public void unary(UnaryOp op, View out, View v, double a, double b) { gpu.unary(op, out, v, a, b); }
                @Override public void binary(io.jgrad.spi.BinaryOp op, View out, View a, View b) { gpu.binary(op, out, a, b); }
                @Override public void where(View out, View c, View a, View b) { gpu.where(out, c, a, b); }
                @Override public void reduce(io.jgrad.spi.ReduceOp op, View out, View v, int axis) { gpu.reduce(op, out, v, axis); }
                @Override public void gemm(io.jgrad.spi.Gemm g) { gpu.gemm(g); }
                @Override public void gather(View out, View v, int dim, View idx) { gpu.gather(out, v, dim, idx); }
                @Override public void scatterAdd(View out, int dim, View idx, View src) { gpu.scatterAdd(out, dim, idx, src); }
                @Override public void copy(View out, View v) { gpu.copy(out, v); }
                @Override public void fill(View out, double value) { gpu.fill(out, value); }
                @Override public void random(View out, io.jgrad.spi.Distribution d, long seed, double a, double b) { gpu.random(out, d, seed, a, b); }
                @Override public void scan(io.jgrad.spi.ScanOp op, View out, View in, int axis) { gpu.scan(op, out, in, axis); }
                @Override public void sort(View values, View indices, View in, int axis, boolean descending) { gpu.sort(values, indices, in, axis, descending); }
            }.softmax(view(unfused, 4, 33), view(in, 4, 33), 1, log);
            double[] f = download(fused);
            double[] u = download(unfused);
            for (int i = 0; i < x.length; i++) assertClose(u[i], f[i], 1e-14, 1e-15, (log ? "log-" : "") + "softmax at " + i);
        }
        assertEquals(x.length, fused.length());
    }
}
