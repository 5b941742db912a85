package io.jgrad.cpu;

import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.ConvGeometry;
import io.jgrad.spi.View;
import java.util.Arrays;

/**
 * float32 convolutions on the packed GEMM: im2col in bounded tiles, straight from the input (padding is handled by the
 * copy loops, so no padded image is built), then one single-threaded product per group; the images are spread over
 * the thread team, each thread with its own column tile. A 1x1 convolution with stride 1 and no padding skips the
 * column tile: the image itself is the GEMM's B operand.
 * <p>
 * Results do not depend on the thread count: forward and input gradient are computed image by image (or images side
 * by side, which gives each output element the same sum in the same order); the weight
 * gradient is summed per fixed block of images ({@link #WEIGHT_BLOCKS}, whatever the team's size) and the blocks'
 * partial sums are added in order. They do differ from {@link io.jgrad.spi.Backend}'s default composition in the
 * last bits of float32 (the products are blocked differently), which the kernel conformance suite allows for.
 */
final class ConvKernels {
    private ConvKernels() {
    }

    private static final FloatSimd SIMD = FloatSimd.INSTANCE;

    /** Floats of one thread's column tile at most (4 MB): whole images for usual sizes, bands of output rows beyond. */
    static final int TILE_FLOATS = 1 << 20;

    /**
     * Output images of fewer pixels than this share one product: a 13 x 13 feature map alone gives the GEMM 169 columns
     * and repacks the weight for every image; 30 such images side by side give it 5070.
     */
    static final int BATCH_BELOW_PIXELS = 1024;

    /** The weight gradient's fixed partition of the batch: partial sums per block, added in block order. */
    static final int WEIGHT_BLOCKS = 4;

    /** How work is cut into column tiles: {@code images} whole images side by side, or bands of {@code rows} output rows of one. */
    private record Tiling(int images, int rows) {
        /**
         * Floats of the column tile for a range of {@code span} images: c * kh * kw rows of up to {@code images} of them
         * side by side (never more than the range holds: a unit of 8 small images must not take a tile sized for 170).
         */
        int colFloats(ConvGeometry g, int span) {
            return g.inChannels() * g.kernelH() * g.kernelW() * Math.min(images, span) * rows * g.outW();
        }

        /** Floats of the side-by-side output block for a range of {@code span} images (0 when images go one by one). */
        int packedFloats(ConvGeometry g, int span) {
            return images > 1 ? g.outChannels() * Math.min(images, span) * g.outH() * g.outW() : 0;
        }
    }

    private static Tiling tiling(ConvGeometry g) {
        long perRow = (long) g.inChannels() * g.kernelH() * g.kernelW() * g.outW();
        long perImage = perRow * g.outH();
        if (perImage > TILE_FLOATS) return new Tiling(1, (int) Math.max(1, TILE_FLOATS / perRow));
        int pixels = g.outH() * g.outW();
        if (pixels >= BATCH_BELOW_PIXELS || direct(g)) return new Tiling(1, g.outH());
        return new Tiling((int) Math.max(1, TILE_FLOATS / perImage), g.outH());
    }

    /** A 1x1 kernel at stride 1 without padding: each image already is its column matrix. */
    private static boolean direct(ConvGeometry g) {
        return g.kernelH() == 1 && g.kernelW() == 1 && g.strideH() == 1 && g.strideW() == 1 && !g.padded();
    }

    private static long macs(ConvGeometry g) {
        return (long) g.batch() * g.outChannels() * g.colRows() * g.outH() * g.outW();
    }

    private interface ImageRange {
        /** Images [from, to), with {@code gemmThreads} threads for each product. */
        void run(int from, int to, int gemmThreads);
    }

    /**
     * Images over the team in units handed out as threads come free (a vCPU that the hypervisor pauses delays a unit,
     * not half the batch); for fewer images than threads, one image at a time with threaded products. Side-by-side
     * images come in units of up to {@link Tiling#images}, smaller where that leaves fewer than four units per thread.
     * The grouping changes no result: an element of a product is the same sum in the same order however many columns
     * are computed beside it.
     */
    private static void overImages(ConvGeometry g, Tiling t, ImageRange body) {
        int n = g.batch(), chunks = Parallel.chunks(macs(g));
        if (chunks <= 1 || n < chunks) {
            body.run(0, n, chunks);
            return;
        }
        int per = Math.max(1, Math.min(t.images, (n + 4 * chunks - 1) / (4 * chunks)));
        int units = (n + per - 1) / per;
        Parallel.forEachUnit(units, chunks, (u, unused) -> body.run(u * per, Math.min(n, (u + 1) * per), 1));
    }

    /**
     * Copies the output-shaped rows of images [n0, n0 + nb) side by side: to[c * nb * p + b * p + q] =
     * from[fo + (n0 + b) * channels * p + c * p + q]; or back, with {@code back}, adding bias[c] when given.
     */
    private static void sideBySide(float[] from, int fo, float[] to, int n0, int nb, int channels, int p, boolean back,
                                   float[] bias, int bo) {
        int ld = nb * p;
        for (int b = 0; b < nb; b++) {
            for (int c = 0; c < channels; c++) {
                int image = fo + ((n0 + b) * channels + c) * p, packed = c * ld + b * p;
                if (!back) {
                    System.arraycopy(from, image, to, packed, p);
                } else if (bias == null) {
                    System.arraycopy(to, packed, from, image, p);
                } else {
                    float add = bias[bo + c];
                    for (int q = 0; q < p; q++) from[image + q] = to[packed + q] + add;
                }
            }
        }
    }

    // ------------------------------------------------------------------ forward

    static void forward(View out, View x, View weight, View bias, ConvGeometry g) {
        float[] o = ((CpuBuffer) out.buffer).floats(), xs = ((CpuBuffer) x.buffer).floats(), w = ((CpuBuffer) weight.buffer).floats();
        float[] b = bias == null ? null : ((CpuBuffer) bias.buffer).floats();
        int oo = (int) out.offset, xo = (int) x.offset, wo = (int) weight.offset, bo = bias == null ? 0 : (int) bias.offset;
        int p = g.outH() * g.outW(), k = g.colRows(), og = g.outPerGroup(), inPlane = g.inH() * g.inW(), inImage = g.inChannels() * inPlane;
        if (FewTapConv.forward(out, x, weight, bias, g)) return; // few taps (a first layer): a direct loop, see FewTapConv
        if (ConvWinograd.suits(ConvGemm.Plan.forward(g))) {
            ConvWinograd.convolve(ConvGemm.Plan.forward(g), xs, xo, w, wo, false, o, oo, b, bo);
            return;
        }
        if (ConvGemm.suitsForward(ConvGemm.Plan.forward(g))) {
            ConvGemm.convolve(ConvGemm.Plan.forward(g), xs, xo, w, wo, false, o, oo, b, bo);
            return;
        }
        Tiling t = tiling(g);
        boolean direct = direct(g);
        overImages(g, t, (from, to, threads) -> {
            float[] col = direct ? null : ArrayPool.floats(t.colFloats(g, to - from));
            float[] packed = t.images > 1 ? ArrayPool.floats(t.packedFloats(g, to - from)) : null;
            try {
                for (int n0 = from; n0 < to; n0 += t.images) {
                    int nb = Math.min(t.images, to - n0);
                    if (nb > 1) { // whole images side by side: one product per group, then back into place
                        int ld = nb * p;
                        for (int i = 0; i < nb; i++) im2col(xs, xo + (n0 + i) * inImage, col, i * p, ld, g, 0, g.outH());
                        for (int gr = 0; gr < g.groups(); gr++) {
                            CpuGemm.multiply(threads, og, ld, k, 1f, w, wo + gr * og * k, k, 1, col, gr * k * ld, ld, 1,
                                    0f, packed, gr * og * ld, ld);
                        }
                        sideBySide(o, oo, packed, n0, nb, g.outChannels(), p, true, b, bo);
                        continue;
                    }
                    int image = xo + n0 * inImage, outImage = oo + n0 * g.outChannels() * p;
                    for (int oh0 = 0; oh0 < g.outH(); oh0 += t.rows) {
                        int rows = Math.min(t.rows, g.outH() - oh0), width = rows * g.outW();
                        if (!direct) im2col(xs, image, col, 0, width, g, oh0, rows);
                        for (int gr = 0; gr < g.groups(); gr++) {
                            int co = outImage + gr * og * p + oh0 * g.outW();
                            if (b != null) {
                                for (int c = 0; c < og; c++) Arrays.fill(o, co + c * p, co + c * p + width, b[bo + gr * og + c]);
                            }
                            float beta = b == null ? 0f : 1f;
                            if (direct) {
                                CpuGemm.multiply(threads, og, width, k, 1f, w, wo + gr * og * k, k, 1,
                                        xs, image + gr * k * inPlane + oh0 * g.outW(), inPlane, 1, beta, o, co, p);
                            } else {
                                CpuGemm.multiply(threads, og, width, k, 1f, w, wo + gr * og * k, k, 1,
                                        col, gr * k * width, width, 1, beta, o, co, p);
                            }
                        }
                    }
                }
            } finally {
                if (col != null) ArrayPool.recycle(col);
                if (packed != null) ArrayPool.recycle(packed);
            }
        });
    }

    // ------------------------------------------------------------------ input gradient

    static void backwardInput(View gradX, View gradOut, View weight, ConvGeometry g) {
        float[] gx = ((CpuBuffer) gradX.buffer).floats(), gy = ((CpuBuffer) gradOut.buffer).floats(), w = ((CpuBuffer) weight.buffer).floats();
        int gxo = (int) gradX.offset, gyo = (int) gradOut.offset, wo = (int) weight.offset;
        int p = g.outH() * g.outW(), k = g.colRows(), og = g.outPerGroup(), inPlane = g.inH() * g.inW(), inImage = g.inChannels() * inPlane;
        if (g.strideH() == 1 && g.strideW() == 1 && ConvWinograd.suits(ConvGemm.Plan.inputGradient(g))) {
            ConvWinograd.convolve(ConvGemm.Plan.inputGradient(g), gy, gyo, w, wo, true, gx, gxo, null, 0);
            return;
        }
        if (g.strideH() == 1 && g.strideW() == 1 && ConvGemm.suitsForward(ConvGemm.Plan.inputGradient(g))) {
            // the forward convolution of gradOut with the flipped, transposed weight: no column matrix, no col2im
            ConvGemm.convolve(ConvGemm.Plan.inputGradient(g), gy, gyo, w, wo, true, gx, gxo, null, 0);
            return;
        }
        Tiling t = tiling(g);
        boolean direct = direct(g);
        overImages(g, t, (from, to, threads) -> {
            float[] col = direct ? null : ArrayPool.floats(t.colFloats(g, to - from));
            float[] packed = t.images > 1 ? ArrayPool.floats(t.packedFloats(g, to - from)) : null;
            try {
                for (int n0 = from; n0 < to; n0 += t.images) {
                    int nb = Math.min(t.images, to - n0);
                    if (nb > 1) {
                        int ld = nb * p;
                        sideBySide(gy, gyo, packed, n0, nb, g.outChannels(), p, false, null, 0);
                        for (int gr = 0; gr < g.groups(); gr++) {
                            CpuGemm.multiply(threads, k, ld, og, 1f, w, wo + gr * og * k, 1, k, packed, gr * og * ld, ld, 1,
                                    0f, col, gr * k * ld, ld);
                        }
                        for (int i = 0; i < nb; i++) {
                            int image = gxo + (n0 + i) * inImage;
                            Arrays.fill(gx, image, image + inImage, 0f);
                            col2im(col, i * p, ld, gx, image, g, 0, g.outH());
                        }
                        continue;
                    }
                    int image = gxo + n0 * inImage, outImage = gyo + n0 * g.outChannels() * p;
                    if (direct) {
                        for (int gr = 0; gr < g.groups(); gr++) {
                            CpuGemm.multiply(threads, k, p, og, 1f, w, wo + gr * og * k, 1, k,
                                    gy, outImage + gr * og * p, p, 1, 0f, gx, image + gr * k * inPlane, inPlane);
                        }
                        continue;
                    }
                    Arrays.fill(gx, image, image + inImage, 0f);
                    for (int oh0 = 0; oh0 < g.outH(); oh0 += t.rows) {
                        int rows = Math.min(t.rows, g.outH() - oh0), width = rows * g.outW();
                        for (int gr = 0; gr < g.groups(); gr++) {
                            CpuGemm.multiply(threads, k, width, og, 1f, w, wo + gr * og * k, 1, k,
                                    gy, outImage + gr * og * p + oh0 * g.outW(), p, 1, 0f, col, gr * k * width, width);
                        }
                        col2im(col, 0, width, gx, image, g, oh0, rows);
                    }
                }
            } finally {
                if (col != null) ArrayPool.recycle(col);
                if (packed != null) ArrayPool.recycle(packed);
            }
        });
    }

    // ------------------------------------------------------------------ weight and bias gradients

    static void backwardWeight(View gradWeight, View gradBias, View gradOut, View x, ConvGeometry g) {
        float[] gw = ((CpuBuffer) gradWeight.buffer).floats(), gy = ((CpuBuffer) gradOut.buffer).floats(), xs = ((CpuBuffer) x.buffer).floats();
        int gwo = (int) gradWeight.offset, gyo = (int) gradOut.offset, xo = (int) x.offset;
        int p = g.outH() * g.outW(), k = g.colRows(), og = g.outPerGroup(), inPlane = g.inH() * g.inW(), inImage = g.inChannels() * inPlane;
        int size = g.outChannels() * k;
        int blocks = Math.max(1, Math.min(g.batch(), WEIGHT_BLOCKS));
        float[][] partial = new float[blocks][];
        Tiling t = tiling(g);
        boolean direct = direct(g);
        int chunks = Parallel.chunks(macs(g));
        int gemmThreads = blocks >= chunks ? 1 : chunks;
        if (g.batch() == 0) {
            Arrays.fill(gw, gwo, gwo + size, 0f);
        } else if (ConvWinograd.suitsWeight(ConvGemm.Plan.forward(g))) {
            ConvWinograd.weightGradient(ConvGemm.Plan.forward(g), xs, xo, gy, gyo, gw, gwo);
        } else if (ConvGemm.suitsWeight(g)) {
            ConvGemm.weightGradient(ConvGemm.Plan.forward(g), xs, xo, gy, gyo, gw, gwo);
        } else {
            Parallel.forEachUnit(blocks, gemmThreads == 1 ? chunks : 1, (blk, unused) -> {
                float[] acc = blk == 0 ? null : ArrayPool.floats(size);
                float[] target = blk == 0 ? gw : acc;
                int to0 = blk == 0 ? gwo : 0;
                int from = (int) ((long) g.batch() * blk / blocks), to = (int) ((long) g.batch() * (blk + 1) / blocks);
                float[] col = direct ? null : ArrayPool.floats(t.colFloats(g, to - from));
                float[] packed = t.images > 1 ? ArrayPool.floats(t.packedFloats(g, to - from)) : null;
                try {
                    boolean first = true;
                    for (int n0 = from; n0 < to; n0 += t.images) {
                        int nb = Math.min(t.images, to - n0);
                        if (nb > 1) {
                            int ld = nb * p;
                            for (int i = 0; i < nb; i++) im2col(xs, xo + (n0 + i) * inImage, col, i * p, ld, g, 0, g.outH());
                            sideBySide(gy, gyo, packed, n0, nb, g.outChannels(), p, false, null, 0);
                            for (int gr = 0; gr < g.groups(); gr++) {
                                CpuGemm.multiply(gemmThreads, og, k, ld, 1f, packed, gr * og * ld, ld, 1, col, gr * k * ld, 1, ld,
                                        first ? 0f : 1f, target, to0 + gr * og * k, k);
                            }
                            first = false;
                            continue;
                        }
                        int image = xo + n0 * inImage, outImage = gyo + n0 * g.outChannels() * p;
                        for (int oh0 = 0; oh0 < g.outH(); oh0 += t.rows) {
                            int rows = Math.min(t.rows, g.outH() - oh0), width = rows * g.outW();
                            if (!direct) im2col(xs, image, col, 0, width, g, oh0, rows);
                            for (int gr = 0; gr < g.groups(); gr++) {
                                float[] bm = direct ? xs : col;
                                int bOff = direct ? image + gr * k * inPlane + oh0 * g.outW() : gr * k * width;
                                int bRow = direct ? inPlane : width;
                                CpuGemm.multiply(gemmThreads, og, k, width, 1f, gy, outImage + gr * og * p + oh0 * g.outW(), p, 1,
                                        bm, bOff, 1, bRow, first ? 0f : 1f, target, to0 + gr * og * k, k);
                            }
                            first = false;
                        }
                    }
                    if (first) Arrays.fill(target, to0, to0 + size, 0f); // an empty block (never with blocks <= batch)
                } finally {
                    if (col != null) ArrayPool.recycle(col);
                    if (packed != null) ArrayPool.recycle(packed);
                }
                partial[blk] = acc;
            });
            for (int blk = 1; blk < blocks; blk++) {
                float[] acc = partial[blk];
                for (int i = 0; i < size; i++) gw[gwo + i] += acc[i];
                ArrayPool.recycle(acc);
            }
        }
        if (gradBias != null) {
            float[] gb = ((CpuBuffer) gradBias.buffer).floats();
            // each channel's sum over the batch and the pixels, in float64 (ChannelBatchNorm's runs)
            ChannelBatchNorm.channelSums(gy, gyo, g.batch(), g.outChannels(), p, gb, (int) gradBias.offset);
        }
    }

    // ------------------------------------------------------------------ im2col and col2im

    /** Output columns q with q * stride + offset inside [0, size): [lo, hi). */
    private static int lo(int offset, int stride) {
        return Math.max(0, -Math.floorDiv(offset, stride));
    }

    private static int hi(int offset, int stride, int size, int outW) {
        return Math.min(outW, Math.floorDiv(size - 1 - offset, stride) + 1);
    }

    /**
     * col[colBase + (c * kh * kw + i * kw + j) * ld + r * outW + q] = x[c, (oh0 + r) * sh + i * dh - padTop,
     * q * sw + j * dw - padLeft] (0 outside) for the image starting at x[image]: one image's (or band's) columns of a
     * column matrix whose rows are ld floats long.
     */
    static void im2col(float[] x, int image, float[] col, int colBase, int ld, ConvGeometry g, int oh0, int rows) {
        int kh = g.kernelH(), kw = g.kernelW(), h = g.inH(), w = g.inW(), ow = g.outW(), sw = g.strideW();
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = image + c * h * w;
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int dst = colBase + ((c * kh + i) * kw + j) * ld;
                    int offW = j * g.dilationW() - g.padLeft();
                    int qlo = lo(offW, sw), qhi = Math.max(qlo, hi(offW, sw, w, ow));
                    for (int r = 0; r < rows; r++, dst += ow) {
                        int ih = (oh0 + r) * g.strideH() + i * g.dilationH() - g.padTop();
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        for (int q = 0; q < qlo; q++) col[dst + q] = 0f; // the padding: a pixel or two, not worth a call
                        for (int q = qhi; q < ow; q++) col[dst + q] = 0f;
                        int src = plane + ih * w + offW;
                        if (sw == 1) {
                            System.arraycopy(x, src + qlo, col, dst + qlo, qhi - qlo);
                        } else {
                            for (int q = qlo; q < qhi; q++) col[dst + q] = x[src + q * sw];
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: adds col back into the image gradient starting at gx[image]. */
    static void col2im(float[] col, int colBase, int ld, float[] gx, int image, ConvGeometry g, int oh0, int rows) {
        int kh = g.kernelH(), kw = g.kernelW(), h = g.inH(), w = g.inW(), ow = g.outW(), sw = g.strideW();
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = image + c * h * w;
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int src = colBase + ((c * kh + i) * kw + j) * ld;
                    int offW = j * g.dilationW() - g.padLeft();
                    int qlo = lo(offW, sw), qhi = Math.max(qlo, hi(offW, sw, w, ow));
                    for (int r = 0; r < rows; r++, src += ow) {
                        int ih = (oh0 + r) * g.strideH() + i * g.dilationH() - g.padTop();
                        if (ih < 0 || ih >= h) continue;
                        int dst = plane + ih * w + offW;
                        if (sw == 1) { // a run of adds, in SIMD lanes where the Vector API is there (exact either way)
                            int run = qhi - qlo;
                            if (run > 0 && SIMD.binary(BinaryOp.ADD, gx, dst + qlo, gx, dst + qlo, col, src + qlo, run) != run) {
                                for (int q = qlo; q < qhi; q++) gx[dst + q] += col[src + q];
                            }
                        } else {
                            for (int q = qlo; q < qhi; q++) gx[dst + q * sw] += col[src + q];
                        }
                    }
                }
            }
        }
    }
}
