package io.jgrad.cpu;

import io.jgrad.spi.Pool2d;
import io.jgrad.spi.View;

/**
 * Direct 2-d pooling loops, one (n, c) plane per task: a window is scanned in place, with no copy of the input and
 * no window table. Each plane is computed by one thread in a fixed order, so results do not depend on the thread
 * count. Max pooling keeps the first of equal maxima and lets NaN win (as PyTorch's CPU kernel); average pooling sums
 * in float64 and rounds once.
 */
final class PoolKernels {
    private PoolKernels() {
    }

    static void forward(View out, View indices, View in, Pool2d p) {
        int n = in.shape[0], c = in.shape[1], planes = n * c, outPlane = p.outH() * p.outW();
        if (planes == 0 || outPlane == 0) return;
        Object x = ((CpuBuffer) in.buffer).array();
        Object o = ((CpuBuffer) out.buffer).array();
        long[] idx = indices == null ? null : ((CpuBuffer) indices.buffer).longs();
        long sN = in.strides[0], sC = in.strides[1], sH = in.strides[2], sW = in.strides[3];
        int windowWork = Math.max(1, p.maxWindow());
        boolean pairs = pairs(p);
        Parallel.forRange(planes, Parallel.chunks((long) planes * outPlane * windowWork), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int base = (int) (in.offset + (pl / c) * sN + (pl % c) * sC);
                int ob = (int) out.offset + pl * outPlane;
                if (p.max()) {
                    int ib = (int) indices.offset + pl * outPlane;
                    if (x instanceof float[] xf) maxPlane(xf, base, sH, sW, (float[]) o, ob, idx, ib, p, pairs);
                    else maxPlane((double[]) x, base, sH, sW, (double[]) o, ob, idx, ib, p, pairs);
                } else {
                    avgPlane(x, base, sH, sW, o, ob, p);
                }
            }
        });
    }

    /** Every window 2x2 at stride 2, inside the input (no padding, no dilation, no ceil-mode remnant). */
    private static boolean pairs(Pool2d p) {
        if (!p.max() || p.dilationH() != 1 || p.dilationW() != 1) return false;
        for (int oh = 0; oh < p.outH(); oh++) if (p.rowStart()[oh] != 2 * oh || p.rowCount()[oh] != 2) return false;
        for (int ow = 0; ow < p.outW(); ow++) if (p.colStart()[ow] != 2 * ow || p.colCount()[ow] != 2) return false;
        return true;
    }

    // @template float32 (float64 twin below: engine-cpu/scripts/kernel-twins.sh)
    private static void maxPlane(float[] x, int base, long sH, long sW, float[] o, int ob, long[] idx, int ib, Pool2d p,
                                 boolean pairs) {
        int inW = p.inW(), outW = p.outW(), dh = p.dilationH(), dw = p.dilationW(), sh = (int) sH, sw = (int) sW;
        int[] rs = p.rowStart(), rc = p.rowCount(), cs = p.colStart(), cc = p.colCount();
        if (pairs) { // 2x2 windows at stride 2 inside the plane: no window tables, no data-dependent branch
            for (int oh = 0; oh < p.outH(); oh++) {
                int r0 = base + 2 * oh * sh, at0 = ob + oh * outW, ix0 = ib + oh * outW, pos0 = 2 * oh * inW;
                for (int ow = 0; ow < outW; ow++) {
                    int i = r0 + 2 * ow * sw, j = i + sh;
                    float a = x[i], b = x[i + sw], c = x[j], d = x[j + sw];
                    float top = Math.max(a, b), bottom = Math.max(c, d);
                    int pos, at;
                    if (top == top & bottom == bottom) {
                        // the first maximum, as a scan with > finds it, by integer arithmetic on the comparisons (the
                        // value is read back at its position, which keeps the sign of a zero): branches on random
                        // data mispredicted and made this loop ~3x slower
                        int right = b > a ? 1 : 0, rightBelow = d > c ? 1 : 0, down = bottom > top ? 1 : 0;
                        int col = right + down * (rightBelow - right);
                        pos = pos0 + down * inW + 2 * ow + col;
                        at = i + down * sh + col * sw;
                    } else {
                        pos = scan(x, base, sh, sw, inW, 2 * oh, 2, 2 * ow, 2, 1, 1);
                        at = base + pos / inW * sh + pos % inW * sw;
                    }
                    idx[ix0 + ow] = pos;
                    o[at0 + ow] = x[at];
                }
            }
            return;
        }
        for (int oh = 0; oh < p.outH(); oh++) {
            int h0 = rs[oh], hn = rc[oh], at0 = ob + oh * outW, ix0 = ib + oh * outW;
            for (int ow = 0; ow < outW; ow++) {
                int w0 = cs[ow], wn = cc[ow];
                if (hn == 2 && wn == 2) { // the common 2x2 window, unrolled and without branches
                    int r0 = base + h0 * sh + w0 * sw, r1 = r0 + dh * sh, step = dw * sw;
                    float a = x[r0], b = x[r0 + step], c = x[r1], d = x[r1 + step];
                    if (a == a & b == b & c == c & d == d) { // no NaN (& rather than &&: no branch per element)
                        // the first maximum, as a scan with > finds it: the first of each row's pair, then the first
                        // row unless the second is greater. Selecting positions (integer conditional moves) and
                        // reading the value back keeps the sign of a zero; a branch per comparison mispredicted
                        // half the time on random data.
                        int right = b > a ? 1 : 0, rightBelow = d > c ? 1 : 0;
                        int top = r0 + right * step, bottom = r1 + rightBelow * step;
                        int down = x[bottom] > x[top] ? 1 : 0;
                        int p0 = h0 * inW + w0 + (down == 0 ? right : rightBelow) * dw + down * dh * inW;
                        idx[ix0 + ow] = p0;
                        o[at0 + ow] = x[down == 0 ? top : bottom];
                        continue;
                    }
                }
                float best = Float.NEGATIVE_INFINITY;
                int at = h0 * inW + w0;
                boolean nan = false;
                for (int i = 0; i < hn; i++) {
                    int h = h0 + i * dh;
                    int row = base + h * sh, pos = h * inW;
                    for (int j = 0; j < wn; j++) {
                        int w = w0 + j * dw;
                        float v = x[row + w * sw];
                        // one comparison feeding two selects (conditional moves), not a branch: which position of a
                        // window holds the maximum is random, and a mispredicted branch per element made this loop
                        // ten times slower than a plain max. NaN, rare, takes the slow path below.
                        boolean take = v > best;
                        best = take ? v : best;
                        at = take ? pos + w : at;
                        nan |= v != v;
                    }
                }
                if (nan) { // the last NaN of the window wins, as in PyTorch's CPU kernel
                    for (int i = 0; i < hn; i++) {
                        int h = h0 + i * dh;
                        for (int j = 0; j < wn; j++) {
                            int w = w0 + j * dw;
                            if (x[base + h * sh + w * sw] != x[base + h * sh + w * sw]) {
                                best = x[base + h * sh + w * sw];
                                at = h * inW + w;
                            }
                        }
                    }
                }
                o[at0 + ow] = best;
                idx[ix0 + ow] = at;
            }
        }
    }

    /** The position h * inW + w of a window's maximum: the first of equal maxima, the last NaN if any. */
    private static int scan(float[] x, int base, int sh, int sw, int inW, int h0, int hn, int w0, int wn, int dh, int dw) {
        float best = Float.NEGATIVE_INFINITY;
        int at = h0 * inW + w0;
        boolean nan = false;
        for (int i = 0; i < hn; i++) {
            int h = h0 + i * dh;
            for (int j = 0; j < wn; j++) {
                int w = w0 + j * dw;
                float v = x[base + h * sh + w * sw];
                if (v != v) {
                    nan = true;
                    at = h * inW + w;
                } else if (!nan && v > best) {
                    best = v;
                    at = h * inW + w;
                }
            }
        }
        return at;
    }

    // @generated float64 from the template above by KernelTwins: do not edit
    private static void maxPlane(double[] x, int base, long sH, long sW, double[] o, int ob, long[] idx, int ib, Pool2d p,
                                 boolean pairs) {
        int inW = p.inW(), outW = p.outW(), dh = p.dilationH(), dw = p.dilationW(), sh = (int) sH, sw = (int) sW;
        int[] rs = p.rowStart(), rc = p.rowCount(), cs = p.colStart(), cc = p.colCount();
        if (pairs) { // 2x2 windows at stride 2 inside the plane: no window tables, no data-dependent branch
            for (int oh = 0; oh < p.outH(); oh++) {
                int r0 = base + 2 * oh * sh, at0 = ob + oh * outW, ix0 = ib + oh * outW, pos0 = 2 * oh * inW;
                for (int ow = 0; ow < outW; ow++) {
                    int i = r0 + 2 * ow * sw, j = i + sh;
                    double a = x[i], b = x[i + sw], c = x[j], d = x[j + sw];
                    double top = Math.max(a, b), bottom = Math.max(c, d);
                    int pos, at;
                    if (top == top & bottom == bottom) {
                        // the first maximum, as a scan with > finds it, by integer arithmetic on the comparisons (the
                        // value is read back at its position, which keeps the sign of a zero): branches on random
                        // data mispredicted and made this loop ~3x slower
                        int right = b > a ? 1 : 0, rightBelow = d > c ? 1 : 0, down = bottom > top ? 1 : 0;
                        int col = right + down * (rightBelow - right);
                        pos = pos0 + down * inW + 2 * ow + col;
                        at = i + down * sh + col * sw;
                    } else {
                        pos = scan(x, base, sh, sw, inW, 2 * oh, 2, 2 * ow, 2, 1, 1);
                        at = base + pos / inW * sh + pos % inW * sw;
                    }
                    idx[ix0 + ow] = pos;
                    o[at0 + ow] = x[at];
                }
            }
            return;
        }
        for (int oh = 0; oh < p.outH(); oh++) {
            int h0 = rs[oh], hn = rc[oh], at0 = ob + oh * outW, ix0 = ib + oh * outW;
            for (int ow = 0; ow < outW; ow++) {
                int w0 = cs[ow], wn = cc[ow];
                if (hn == 2 && wn == 2) { // the common 2x2 window, unrolled and without branches
                    int r0 = base + h0 * sh + w0 * sw, r1 = r0 + dh * sh, step = dw * sw;
                    double a = x[r0], b = x[r0 + step], c = x[r1], d = x[r1 + step];
                    if (a == a & b == b & c == c & d == d) { // no NaN (& rather than &&: no branch per element)
                        // the first maximum, as a scan with > finds it: the first of each row's pair, then the first
                        // row unless the second is greater. Selecting positions (integer conditional moves) and
                        // reading the value back keeps the sign of a zero; a branch per comparison mispredicted
                        // half the time on random data.
                        int right = b > a ? 1 : 0, rightBelow = d > c ? 1 : 0;
                        int top = r0 + right * step, bottom = r1 + rightBelow * step;
                        int down = x[bottom] > x[top] ? 1 : 0;
                        int p0 = h0 * inW + w0 + (down == 0 ? right : rightBelow) * dw + down * dh * inW;
                        idx[ix0 + ow] = p0;
                        o[at0 + ow] = x[down == 0 ? top : bottom];
                        continue;
                    }
                }
                double best = Double.NEGATIVE_INFINITY;
                int at = h0 * inW + w0;
                boolean nan = false;
                for (int i = 0; i < hn; i++) {
                    int h = h0 + i * dh;
                    int row = base + h * sh, pos = h * inW;
                    for (int j = 0; j < wn; j++) {
                        int w = w0 + j * dw;
                        double v = x[row + w * sw];
                        // one comparison feeding two selects (conditional moves), not a branch: which position of a
                        // window holds the maximum is random, and a mispredicted branch per element made this loop
                        // ten times slower than a plain max. NaN, rare, takes the slow path below.
                        boolean take = v > best;
                        best = take ? v : best;
                        at = take ? pos + w : at;
                        nan |= v != v;
                    }
                }
                if (nan) { // the last NaN of the window wins, as in PyTorch's CPU kernel
                    for (int i = 0; i < hn; i++) {
                        int h = h0 + i * dh;
                        for (int j = 0; j < wn; j++) {
                            int w = w0 + j * dw;
                            if (x[base + h * sh + w * sw] != x[base + h * sh + w * sw]) {
                                best = x[base + h * sh + w * sw];
                                at = h * inW + w;
                            }
                        }
                    }
                }
                o[at0 + ow] = best;
                idx[ix0 + ow] = at;
            }
        }
    }

    /** The position h * inW + w of a window's maximum: the first of equal maxima, the last NaN if any. */
    private static int scan(double[] x, int base, int sh, int sw, int inW, int h0, int hn, int w0, int wn, int dh, int dw) {
        double best = Double.NEGATIVE_INFINITY;
        int at = h0 * inW + w0;
        boolean nan = false;
        for (int i = 0; i < hn; i++) {
            int h = h0 + i * dh;
            for (int j = 0; j < wn; j++) {
                int w = w0 + j * dw;
                double v = x[base + h * sh + w * sw];
                if (v != v) {
                    nan = true;
                    at = h * inW + w;
                } else if (!nan && v > best) {
                    best = v;
                    at = h * inW + w;
                }
            }
        }
        return at;
    }

    // @end generated

    private static void avgPlane(Object x, int base, long sH, long sW, Object o, int ob, Pool2d p) {
        float[] xf = x instanceof float[] f ? f : null;
        double[] xd = x instanceof double[] d ? d : null;
        double[] div = p.divisor();
        int dh = p.dilationH(), dw = p.dilationW();
        for (int oh = 0; oh < p.outH(); oh++) {
            int h0 = p.rowStart()[oh], hn = p.rowCount()[oh];
            for (int ow = 0; ow < p.outW(); ow++) {
                int w0 = p.colStart()[ow], wn = p.colCount()[ow];
                double sum = 0;
                for (int i = 0; i < hn; i++) {
                    int row = base + (int) ((h0 + i * dh) * sH);
                    if (xf != null) for (int j = 0; j < wn; j++) sum += xf[row + (int) ((w0 + j * dw) * sW)];
                    else for (int j = 0; j < wn; j++) sum += xd[row + (int) ((w0 + j * dw) * sW)];
                }
                int at = oh * p.outW() + ow;
                if (xf != null) ((float[]) o)[ob + at] = (float) (sum / div[at]);
                else ((double[]) o)[ob + at] = sum / div[at];
            }
        }
    }

    /** gradIn and grad are contiguous (the contract). */
    static void backward(View gradIn, View grad, View indices, Pool2d p) {
        int planes = gradIn.shape[0] * gradIn.shape[1], plane = p.inH() * p.inW(), outPlane = p.outH() * p.outW();
        if (planes == 0) return;
        Object gi = ((CpuBuffer) gradIn.buffer).array();
        Object g = ((CpuBuffer) grad.buffer).array();
        long[] idx = indices == null ? null : ((CpuBuffer) indices.buffer).longs();
        int gib = (int) gradIn.offset, gb = (int) grad.offset;
        Parallel.forRange(planes, Parallel.chunks((long) planes * (plane + (long) outPlane * Math.max(1, p.maxWindow()))), (from, to) -> {
            for (int pl = from; pl < to; pl++) {
                int ib = gib + pl * plane, ob = gb + pl * outPlane;
                if (gi instanceof float[] gif) {
                    float[] gf = (float[]) g;
                    java.util.Arrays.fill(gif, ib, ib + plane, 0f);
                    if (idx != null) {
                        int xb = (int) indices.offset + pl * outPlane;
                        for (int k = 0; k < outPlane; k++) gif[ib + (int) idx[xb + k]] += gf[ob + k];
                    } else {
                        avgBackPlane(gif, ib, gf, ob, p);
                    }
                } else {
                    double[] gid = (double[]) gi, gd = (double[]) g;
                    java.util.Arrays.fill(gid, ib, ib + plane, 0.0);
                    if (idx != null) {
                        int xb = (int) indices.offset + pl * outPlane;
                        for (int k = 0; k < outPlane; k++) gid[ib + (int) idx[xb + k]] += gd[ob + k];
                    } else {
                        avgBackPlane(gid, ib, gd, ob, p);
                    }
                }
            }
        });
    }

    private static void avgBackPlane(float[] gi, int ib, float[] g, int ob, Pool2d p) {
        int inW = p.inW(), dh = p.dilationH(), dw = p.dilationW();
        for (int oh = 0; oh < p.outH(); oh++) {
            int h0 = p.rowStart()[oh], hn = p.rowCount()[oh];
            for (int ow = 0; ow < p.outW(); ow++) {
                int w0 = p.colStart()[ow], wn = p.colCount()[ow];
                int at = oh * p.outW() + ow;
                float share = g[ob + at] / (float) p.divisor()[at];
                for (int i = 0; i < hn; i++) {
                    int row = ib + (h0 + i * dh) * inW;
                    for (int j = 0; j < wn; j++) gi[row + w0 + j * dw] += share;
                }
            }
        }
    }

    private static void avgBackPlane(double[] gi, int ib, double[] g, int ob, Pool2d p) {
        int inW = p.inW(), dh = p.dilationH(), dw = p.dilationW();
        for (int oh = 0; oh < p.outH(); oh++) {
            int h0 = p.rowStart()[oh], hn = p.rowCount()[oh];
            for (int ow = 0; ow < p.outW(); ow++) {
                int w0 = p.colStart()[ow], wn = p.colCount()[ow];
                int at = oh * p.outW() + ow;
                double share = g[ob + at] / p.divisor()[at];
                for (int i = 0; i < hn; i++) {
                    int row = ib + (h0 + i * dh) * inW;
                    for (int j = 0; j < wn; j++) gi[row + w0 + j * dw] += share;
                }
            }
        }
    }

    /** Bounds of the index values, checked before the scatter so that a bad index corrupts nothing. */
    static void checkIndices(View indices, Pool2d p) {
        long[] idx = ((CpuBuffer) indices.buffer).longs();
        long bound = (long) p.inH() * p.inW();
        for (long k = indices.offset, end = indices.offset + indices.numel(); k < end; k++) {
            if (idx[(int) k] < 0 || idx[(int) k] >= bound) {
                throw new IndexOutOfBoundsException("cpu pool2dBackward: index " + idx[(int) k] + " outside a plane of " + bound);
            }
        }
    }
}
