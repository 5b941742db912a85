package io.jgrad.cpu;

import io.jgrad.spi.BinaryOp;

/**
 * {@link FloatSimd} in plain Java, for JVMs without the Vector API (or with {@code -Djgrad.cpu.simd=plain}). These
 * are the loops the kernels ran before FloatSimd had two implementations, unchanged, so the scalar path keeps its
 * speed and its results; where C2 auto-vectorises (one index expression for every array) they are written so.
 */
final class ScalarFloatSimd implements FloatSimd {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n, double beta1,
                    double beta2, double eps, double invBc2, double stepSize, double coupledWeightDecay,
                    double decoupledDecay) {
        boolean coupled = coupledWeightDecay != 0, decoupled = decoupledDecay != 1;
        for (int i = 0; i < n; i++) {
            double pi = p[po + i], gi = g[go + i];
            if (coupled) gi += coupledWeightDecay * pi;
            double mi = beta1 * m[mo + i] + (1 - beta1) * gi;
            double vi = beta2 * v[vo + i] + (1 - beta2) * (gi * gi);
            if (decoupled) pi = decoupledDecay * pi;
            m[mo + i] = (float) mi;
            v[vo + i] = (float) vi;
            p[po + i] = (float) (pi - (stepSize * mi) / (Math.sqrt(invBc2 * vi) + eps));
        }
        return n;
    }

    /** With one index for both arrays where the offsets agree, so that SuperWord vectorises it. */
    @Override
    public int relu(float[] o, int oo, float[] x, int xo, int n) {
        if (oo == xo) {
            for (int i = oo, end = oo + n; i < end; i++) o[i] = x[i] < 0 ? 0f : x[i];
        } else {
            for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] < 0 ? 0f : x[xo + i];
        }
        return n;
    }

    @Override
    public int exp(float[] o, int oo, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = (float) Math.exp(x[xo + i]);
        return n;
    }

    @Override
    public int sigmoid(float[] o, int oo, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = FloatMath.sigmoid(x[xo + i]);
        return n;
    }

    @Override
    public int gelu(float[] o, int oo, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = FloatMath.gelu(x[xo + i]);
        return n;
    }

    @Override
    public int geluGrad(float[] o, int oo, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = FloatMath.geluGrad(x[xo + i]);
        return n;
    }

    @Override
    public int geluBackward(float[] o, int oo, float[] g, int go, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = g[go + i] * FloatMath.geluGrad(x[xo + i]);
        return n;
    }

    @Override
    public int binary(BinaryOp op, float[] o, int oo, float[] x, int xo, float[] y, int yo, int n) {
        switch (op) {
            case ADD: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + y[yo + i]; return n;
            case SUB: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] - y[yo + i]; return n;
            case MUL: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * y[yo + i]; return n;
            case DIV: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] / y[yo + i]; return n;
            default: return 0;
        }
    }

    @Override
    public int reluGrad(float[] o, int oo, float[] g, int go, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = y[yo + i] <= 0 ? 0f : g[go + i];
        return n;
    }

    @Override
    public int step(float[] o, int oo, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] > 0 ? 1f : 0f;
        return n;
    }

    /** {@link FloatSums#columnSums}, the definition the Vector API loops repeat. */
    @Override
    public void columnSums(float[] x, int src, int rows, int rowStride, int width, float[] out, int dst, float[] scratch) {
        FloatSums.columnSums(x, src, rows, rowStride, width, out, dst, scratch);
    }

    /** {@link FloatSums#sum}, likewise. */
    @Override
    public double sum(float[] x, int off, int len) {
        return FloatSums.sum(x, off, len);
    }

    @Override
    public float max(float[] x, int xo, int n) {
        float max = x[xo];
        for (int j = 1; j < n; j++) max = Math.max(max, x[xo + j]);
        return max;
    }

    @Override
    public int scale(float[] o, int oo, float s, int n) {
        for (int i = 0; i < n; i++) o[oo + i] *= s;
        return n;
    }

    @Override
    public double expShiftedSum(float[] x, int xo, float shift, float[] o, int oo, int n) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
            float e = (float) Math.exp(x[xo + j] - shift);
            o[oo + j] = e;
            sum += e;
        }
        return sum;
    }

    @Override
    public float maxForShift(float[] x, int xo, int n) {
        float max = x[xo];
        for (int j = 1; j < n; j++) max = x[xo + j] > max ? x[xo + j] : max;
        return max;
    }

    @Override
    public int bfloat16ToFloat(float[] o, int oo, short[] x, int xo, int n) {
        io.jgrad.HalfFloat.toFloat(io.jgrad.DType.BFLOAT16, x, xo, o, oo, n);
        return n;
    }

    @Override
    public int floatToBfloat16(short[] o, int oo, float[] x, int xo, int n) {
        io.jgrad.HalfFloat.fromFloat(io.jgrad.DType.BFLOAT16, x, xo, o, oo, n);
        return n;
    }
}
