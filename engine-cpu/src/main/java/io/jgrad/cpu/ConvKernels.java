package io.jgrad.cpu;

import io.jgrad.spi.ConvGeometry;
import io.jgrad.spi.View;
import java.util.Arrays;

/**
 * float32 convolutions on the packed GEMM: im2col in bounded tiles, straight from the input (padding is handled by the
 * copy loops, so no padded image is built), then one single-threaded product per group; the images are spread over
 * the thread team, each thread with its own column tile. A 1x1 convolution with stride 1 and no padding skips the
 * column tile: the image itself is the GEMM's B operand.
 * <p>
 * Results do not depend on the thread count: forward and input gradient are computed image by image; the weight
 * gradient is summed per fixed block of images ({@link #WEIGHT_BLOCKS}, whatever the team's size) and the blocks'
 * partial sums are added in order. They do differ from {@link io.jgrad.spi.Backend}'s default composition in the
 * last bits of float32 (the products are blocked differently), which the kernel conformance suite allows for.
 */
final class ConvKernels {
    private ConvKernels() {
    }

    /** Floats of one thread's column tile at most (4 MB): whole images for usual sizes, bands of output rows beyond. */
    static final int TILE_FLOATS = 1 << 20;

    /** The weight gradient's fixed partition of the batch: partial sums per block, added in block order. */
    static final int WEIGHT_BLOCKS = 4;

    /** Output rows per column tile. */
    private static int tileRows(ConvGeometry g) {
        long perRow = (long) g.inChannels() * g.kernelH() * g.kernelW() * g.outW();
        return (int) Math.max(1, Math.min(g.outH(), TILE_FLOATS / perRow));
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

    /** Images over the team, or, for fewer images than threads, one image at a time with threaded products. */
    private static void overImages(ConvGeometry g, ImageRange body) {
        int chunks = Parallel.chunks(macs(g));
        if (g.batch() >= chunks) {
            Parallel.forRange(g.batch(), chunks, (from, to) -> body.run(from, to, 1));
        } else {
            body.run(0, g.batch(), chunks);
        }
    }

    // ------------------------------------------------------------------ forward

    static void forward(View out, View x, View weight, View bias, ConvGeometry g) {
        float[] o = ((CpuBuffer) out.buffer).floats(), xs = ((CpuBuffer) x.buffer).floats(), w = ((CpuBuffer) weight.buffer).floats();
        float[] b = bias == null ? null : ((CpuBuffer) bias.buffer).floats();
        int oo = (int) out.offset, xo = (int) x.offset, wo = (int) weight.offset, bo = bias == null ? 0 : (int) bias.offset;
        int p = g.outH() * g.outW(), k = g.colRows(), og = g.outPerGroup(), inPlane = g.inH() * g.inW();
        int rowsPerTile = tileRows(g);
        boolean direct = direct(g);
        overImages(g, (from, to, threads) -> {
            float[] col = direct ? null : ArrayPool.floats(g.inChannels() * g.kernelH() * g.kernelW() * rowsPerTile * g.outW());
            try {
                for (int n = from; n < to; n++) {
                    int image = xo + n * g.inChannels() * inPlane, outImage = oo + n * g.outChannels() * p;
                    for (int oh0 = 0; oh0 < g.outH(); oh0 += rowsPerTile) {
                        int rows = Math.min(rowsPerTile, g.outH() - oh0), width = rows * g.outW();
                        if (!direct) im2col(xs, image, col, g, oh0, rows);
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
            }
        });
    }

    // ------------------------------------------------------------------ input gradient

    static void backwardInput(View gradX, View gradOut, View weight, ConvGeometry g) {
        float[] gx = ((CpuBuffer) gradX.buffer).floats(), gy = ((CpuBuffer) gradOut.buffer).floats(), w = ((CpuBuffer) weight.buffer).floats();
        int gxo = (int) gradX.offset, gyo = (int) gradOut.offset, wo = (int) weight.offset;
        int p = g.outH() * g.outW(), k = g.colRows(), og = g.outPerGroup(), inPlane = g.inH() * g.inW();
        int rowsPerTile = direct(g) ? g.outH() : tileRows(g);
        boolean direct = direct(g);
        overImages(g, (from, to, threads) -> {
            float[] col = direct ? null : ArrayPool.floats(g.inChannels() * g.kernelH() * g.kernelW() * rowsPerTile * g.outW());
            try {
                for (int n = from; n < to; n++) {
                    int image = gxo + n * g.inChannels() * inPlane, outImage = gyo + n * g.outChannels() * p;
                    if (direct) {
                        for (int gr = 0; gr < g.groups(); gr++) {
                            CpuGemm.multiply(threads, k, p, og, 1f, w, wo + gr * og * k, 1, k,
                                    gy, outImage + gr * og * p, p, 1, 0f, gx, image + gr * k * inPlane, inPlane);
                        }
                        continue;
                    }
                    Arrays.fill(gx, image, image + g.inChannels() * inPlane, 0f);
                    for (int oh0 = 0; oh0 < g.outH(); oh0 += rowsPerTile) {
                        int rows = Math.min(rowsPerTile, g.outH() - oh0), width = rows * g.outW();
                        for (int gr = 0; gr < g.groups(); gr++) {
                            CpuGemm.multiply(threads, k, width, og, 1f, w, wo + gr * og * k, 1, k,
                                    gy, outImage + gr * og * p + oh0 * g.outW(), p, 1, 0f, col, gr * k * width, width);
                        }
                        col2im(col, gx, image, g, oh0, rows);
                    }
                }
            } finally {
                if (col != null) ArrayPool.recycle(col);
            }
        });
    }

    // ------------------------------------------------------------------ weight and bias gradients

    static void backwardWeight(View gradWeight, View gradBias, View gradOut, View x, ConvGeometry g) {
        float[] gw = ((CpuBuffer) gradWeight.buffer).floats(), gy = ((CpuBuffer) gradOut.buffer).floats(), xs = ((CpuBuffer) x.buffer).floats();
        int gwo = (int) gradWeight.offset, gyo = (int) gradOut.offset, xo = (int) x.offset;
        int p = g.outH() * g.outW(), k = g.colRows(), og = g.outPerGroup(), inPlane = g.inH() * g.inW();
        int size = g.outChannels() * k;
        int blocks = Math.max(1, Math.min(g.batch(), WEIGHT_BLOCKS));
        float[][] partial = new float[blocks][];
        int rowsPerTile = tileRows(g);
        boolean direct = direct(g);
        int chunks = Parallel.chunks(macs(g));
        int gemmThreads = blocks >= chunks ? 1 : chunks;
        if (g.batch() == 0) {
            Arrays.fill(gw, gwo, gwo + size, 0f);
        } else {
            Parallel.forEachUnit(blocks, gemmThreads == 1 ? chunks : 1, (blk, unused) -> {
                float[] acc = blk == 0 ? null : ArrayPool.floats(size);
                float[] target = blk == 0 ? gw : acc;
                int to0 = blk == 0 ? gwo : 0;
                float[] col = direct ? null : ArrayPool.floats(g.inChannels() * g.kernelH() * g.kernelW() * rowsPerTile * g.outW());
                try {
                    boolean first = true;
                    int from = (int) ((long) g.batch() * blk / blocks), to = (int) ((long) g.batch() * (blk + 1) / blocks);
                    for (int n = from; n < to; n++) {
                        int image = xo + n * g.inChannels() * inPlane, outImage = gyo + n * g.outChannels() * p;
                        for (int oh0 = 0; oh0 < g.outH(); oh0 += rowsPerTile) {
                            int rows = Math.min(rowsPerTile, g.outH() - oh0), width = rows * g.outW();
                            if (!direct) im2col(xs, image, col, g, oh0, rows);
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
            int gbo = (int) gradBias.offset;
            for (int c = 0; c < g.outChannels(); c++) {
                double sum = 0; // double: a bias sums batch * pixels terms
                for (int n = 0; n < g.batch(); n++) {
                    int base = gyo + (n * g.outChannels() + c) * p;
                    float s = 0f;
                    for (int i = 0; i < p; i++) s += gy[base + i];
                    sum += s;
                }
                gb[gbo + c] = (float) sum;
            }
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
     * col[(c, i, j), (r, q)] = x[c, (oh0 + r) * sh + i * dh - padTop, q * sw + j * dw - padLeft] (0 outside), for the
     * image starting at x[image]: rows [c * kh * kw + i * kw + j], each of rows * outW floats.
     */
    static void im2col(float[] x, int image, float[] col, ConvGeometry g, int oh0, int rows) {
        int kh = g.kernelH(), kw = g.kernelW(), h = g.inH(), w = g.inW(), ow = g.outW(), sw = g.strideW();
        int width = rows * ow;
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = image + c * h * w;
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int dst = ((c * kh + i) * kw + j) * width;
                    int offW = j * g.dilationW() - g.padLeft();
                    int qlo = lo(offW, sw), qhi = Math.max(qlo, hi(offW, sw, w, ow));
                    for (int r = 0; r < rows; r++, dst += ow) {
                        int ih = (oh0 + r) * g.strideH() + i * g.dilationH() - g.padTop();
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        if (qlo > 0) Arrays.fill(col, dst, dst + qlo, 0f);
                        if (qhi < ow) Arrays.fill(col, dst + qhi, dst + ow, 0f);
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
    static void col2im(float[] col, float[] gx, int image, ConvGeometry g, int oh0, int rows) {
        int kh = g.kernelH(), kw = g.kernelW(), h = g.inH(), w = g.inW(), ow = g.outW(), sw = g.strideW();
        int width = rows * ow;
        for (int c = 0; c < g.inChannels(); c++) {
            int plane = image + c * h * w;
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int src = ((c * kh + i) * kw + j) * width;
                    int offW = j * g.dilationW() - g.padLeft();
                    int qlo = lo(offW, sw), qhi = Math.max(qlo, hi(offW, sw, w, ow));
                    for (int r = 0; r < rows; r++, src += ow) {
                        int ih = (oh0 + r) * g.strideH() + i * g.dilationH() - g.padTop();
                        if (ih < 0 || ih >= h) continue;
                        int dst = plane + ih * w + offW;
                        if (sw == 1) {
                            for (int q = qlo; q < qhi; q++) gx[dst + q] += col[src + q];
                        } else {
                            for (int q = qlo; q < qhi; q++) gx[dst + q * sw] += col[src + q];
                        }
                    }
                }
            }
        }
    }
}
