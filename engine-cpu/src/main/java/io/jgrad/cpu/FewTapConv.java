package io.jgrad.cpu;

import io.jgrad.spi.ConvGeometry;
import io.jgrad.spi.View;
import java.util.Arrays;

/**
 * Direct float32 convolutions for kernels of few taps (in channels x kernel height x kernel width at most
 * {@link #MAX_TAPS}: the first layer of a CNN, 1 x 3 x 3 on MNIST or 3 x 3 x 3 on RGB), stride 1, no dilation, one
 * group. As a GEMM such a layer has k = 9: every tile reloads C for nine multiply-adds, and the packing costs as much
 * as the products. Here each image is copied into a zero-padded plane of padded width wp; an output channel is then
 * one loop over the flat positions i of its outH rows at width wp, out[i] = bias + sum over taps t of w[t] *
 * plane[i + off[t]] (off[t] = c * plane + kh * wp + kw), computed for two channels and four vectors of positions at a
 * time, and the outW valid columns of each row are copied out (the wp - outW others are computed and dropped: 2 of 28
 * on MNIST). Images go to threads, each output computed by one thread
 * in a fixed order, so results do not depend on the thread count. (The weight gradient stays with {@link ConvGemm}:
 * direct dot products per tap, with their copies of short rows, ran slower than its packed kernel.) The loops are the Vector API's ({@code FewTapConvVector},
 * loaded by name); without the module these convolutions take {@link ConvKernels}' other paths.
 */
final class FewTapConv {
    private FewTapConv() {
    }

    /** Taps (in channels x kernel height x kernel width) at most. */
    static final int MAX_TAPS = 27;

    /** Floats of a padded image at most: the scratch stays in L1/L2. */
    private static final int MAX_PLANE = 1 << 14;

    /** The loops over one image's positions. */
    abstract static class Loops {
        /** Positions per step: lengths passed to the loops are multiples of it. */
        abstract int step();

        /**
         * Two output channels: t[ta + i] = ba + sum over taps s of w[wa + s] * p[i + off[s]], and likewise at tb with
         * wb and bb, for i in [0, len); the taps are added in order, each with one fused multiply-add.
         */
        abstract void forwardPair(float[] p, int[] off, int taps, float[] w, int wa, int wb, float ba, float bb,
                                  float[] t, int ta, int tb, int len);

    }

    static final Loops LOOPS = load();

    private static Loops load() {
        if ("plain".equals(System.getProperty("jgrad.cpu.gemm"))) return null;
        if ("off".equals(System.getProperty("jgrad.cpu.fewTapConv"))) return null;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
        try {
            return (Loops) Class.forName("io.jgrad.cpu.FewTapConvVector").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** The shape of the padded planes and the flat loop over them. */
    private record Layout(int wp, int plane, int len, int padded, int[] off) {
        static Layout of(ConvGeometry g, int step) {
            int wp = g.inW() + g.padLeft() + g.padRight(), hp = g.inH() + g.padTop() + g.padBottom();
            int plane = hp * wp, len = (g.outH() * wp + step - 1) / step * step;
            int taps = g.inChannels() * g.kernelH() * g.kernelW();
            int[] off = new int[taps];
            int s = 0;
            for (int c = 0; c < g.inChannels(); c++) {
                for (int i = 0; i < g.kernelH(); i++) for (int j = 0; j < g.kernelW(); j++) off[s++] = c * plane + i * wp + j;
            }
            // every read plane[i + off[t]], i < len, stays inside: the last channel's plane and the overrun of len
            return new Layout(wp, plane, len, len + off[taps - 1] + 1, off);
        }
    }

    static boolean suits(ConvGeometry g, View... views) {
        if (LOOPS == null || g.groups() != 1 || g.strideH() != 1 || g.strideW() != 1 || g.dilationH() != 1 || g.dilationW() != 1) {
            return false;
        }
        if ((long) g.inChannels() * g.kernelH() * g.kernelW() > MAX_TAPS || g.batch() == 0 || g.outH() < 1 || g.outW() < 1) return false;
        long wp = (long) g.inW() + g.padLeft() + g.padRight(), hp = (long) g.inH() + g.padTop() + g.padBottom();
        if (g.inChannels() * hp * wp > MAX_PLANE) return false;
        for (View v : views) if (v != null && !v.isContiguous()) return false;
        return true;
    }

    /** Units one by one to threads as they come free, or all on this thread (one scratch for all). */
    private static void overUnits(int n, int chunks, Parallel.Range body) {
        if (chunks <= 1) body.run(0, n); else Parallel.forEachUnit(n, Math.min(chunks, n), body);
    }

    /** Copies image n of x into the padded planes p (whose padding is zero and stays untouched). */
    private static void pad(float[] x, int image, ConvGeometry g, Layout l, float[] p) {
        int inPlane = g.inH() * g.inW();
        for (int c = 0; c < g.inChannels(); c++) {
            for (int r = 0; r < g.inH(); r++) {
                System.arraycopy(x, image + c * inPlane + r * g.inW(), p, c * l.plane + (r + g.padTop()) * l.wp + g.padLeft(), g.inW());
            }
        }
    }

    static boolean forward(View out, View x, View weight, View bias, ConvGeometry g) {
        if (!suits(g, out, x, weight, bias)) return false;
        float[] o = ((CpuBuffer) out.buffer).floats(), xs = ((CpuBuffer) x.buffer).floats(), w = ((CpuBuffer) weight.buffer).floats();
        float[] b = bias == null ? null : ((CpuBuffer) bias.buffer).floats();
        int oo = (int) out.offset, xo = (int) x.offset, wo = (int) weight.offset, bo = bias == null ? 0 : (int) bias.offset;
        Loops loops = LOOPS;
        Layout l = Layout.of(g, loops.step());
        int taps = l.off.length, outC = g.outChannels(), outH = g.outH(), outW = g.outW(), outPlane = outH * outW;
        int inImage = g.inChannels() * g.inH() * g.inW();
        long work = (long) g.batch() * outC * l.len * taps;
        int chunks = Parallel.chunks(work);
        overUnits(g.batch(), chunks, (n0, n1) -> {
            float[] p = ArrayPool.floats(l.padded), t = ArrayPool.floats(2 * l.len);
            try {
                Arrays.fill(p, 0, l.padded, 0f);
                for (int n = n0; n < n1; n++) {
                    pad(xs, xo + n * inImage, g, l, p);
                    for (int oc = 0; oc < outC; oc += 2) {
                        int oc2 = Math.min(oc + 1, outC - 1); // an odd last channel computed twice, written once
                        float ba = b == null ? 0f : b[bo + oc], bb = b == null ? 0f : b[bo + oc2];
                        loops.forwardPair(p, l.off, taps, w, wo + oc * taps, wo + oc2 * taps, ba, bb, t, 0, l.len, l.len);
                        for (int c = oc; c <= oc2; c++) {
                            int src = c == oc ? 0 : l.len, dst = oo + (n * outC + c) * outPlane;
                            for (int r = 0; r < outH; r++) System.arraycopy(t, src + r * l.wp, o, dst + r * outW, outW);
                        }
                    }
                }
            } finally {
                ArrayPool.recycle(p);
                ArrayPool.recycle(t);
            }
        });
        return true;
    }
}
