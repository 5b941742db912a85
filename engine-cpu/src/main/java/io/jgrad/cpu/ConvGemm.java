package io.jgrad.cpu;

import io.jgrad.spi.ConvGeometry;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * float32 convolutions as implicit GEMMs with no column matrix: micro-kernels of their own ({@link
 * ConvVectorKernels}, 6 x 2-vector tiles like the SGEMM's) read the image in place from a small zero-padded band of
 * its rows, so nothing of the image is packed.
 * <ul>
 * <li>Forward, stride 1: out[n, o, q] = sum_kk W[o, kk] col_n[kk, q]; the weight is packed once per call as A, and a
 * tile's columns are consecutive floats of the band. Units (bands of output rows of one image) go to the threads as
 * they come free; every output element is the same sum in the same order whichever unit or thread computes it.</li>
 * <li>Input gradient at stride 1: the forward convolution of the output gradient with the weight flipped in both
 * spatial axes and its channel axes swapped, padded by dilation * (kernel - 1) - padding, so no col2im.</li>
 * <li>Weight gradient, any stride: gradWᵀ[kk, o] = sum_(n, q) col_n[kk, q] gy[n, o, q], with gy's rows packed as B
 * panels and the column rows read in place as A; summed over a fixed partition of the output rows ({@link
 * #weightBlocks}, independent of the thread count) into partial sums added in block order.</li>
 * </ul>
 * The convolutions do not start on the scalar twin as other products do: every convolution of a run goes through the
 * vector kernels, so no switch shows in their bits.
 */
final class ConvGemm {
    private ConvGemm() {
    }

    /**
     * The direct micro-kernels ({@link ConvVectorKernels}): 6 x nr tiles with one operand read in place from a padded
     * band of the image, so that nothing is packed per column.
     */
    abstract static class Direct {
        /** Columns of a tile: two vectors. */
        final int nr;

        Direct(int nr) {
            this.nr = nr;
        }

        /**
         * C tile (6 rows at c[ci], row stride ldc, nr columns) = sum over l in [0, kc) of a[ai + 6 l + r] * x[base +
         * off[o0 + l] + (0 .. nr)], added to C when {@code add}, else written over it (C unread).
         */
        abstract void forwardTile(int kc, float[] a, int ai, float[] x, int base, int[] off, int o0, float[] c, int ci,
                                  int ldc, boolean add);

        /** {@link #forwardTile} for rows 0 .. 3 of the tile only (A's panels still 6 rows wide). */
        abstract void forwardTile4(int kc, float[] a, int ai, float[] x, int base, int[] off, int o0, float[] c, int ci,
                                   int ldc, boolean add);

        /**
         * C tile (6 rows at c[ci], row stride ldc, nr columns) = sum over l in [0, steps) of x[p_r + col[l]] * b[bi + l *
         * nr + (0 .. nr)], added to C when {@code add}.
         */
        abstract void weightTile(int steps, float[] x, int p0, int p1, int p2, int p3, int p4, int p5, int[] col, float[] b,
                                 int bi, float[] c, int ci, int ldc, boolean add);

        /**
         * C tile (6 rows at c[ci], row stride ldc, nr columns) = sum over l in [0, kc) of a[ai + 6 l + r] * b[bi + l *
         * nr + (0 .. nr)], added to C when {@code add}: A and B both packed ({@link ConvWinograd}).
         */
        abstract void packedTile(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc, boolean add);

        /** {@link #packedTile} for rows 0 .. 3 of the tile only (A's panels still 6 rows wide). */
        abstract void packedTile4(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc, boolean add);

        /** Winograd F(2x2, 3x3) input transform of {@code len} tiles of one channel (see {@link ConvVectorKernels}). */
        abstract void winogradInput(int len, float[] pl, int pEE, int pEO, int pOE, int pOO, int w2, float[] v, int vo,
                                    int j0, int panelStride, int posStride);

        /** Winograd F(2x2, 3x3) output transform of {@code len} tiles of one channel (see {@link ConvVectorKernels}). */
        abstract void winogradOutput(int len, float[] m, int mo, int posStride, float[] y, int yo, int ys, float bias);

        /** The even and odd floats of src[from .. from + 2 len), len a multiple of {@link #lanes()}, to dst[e], dst[o]. */
        abstract void deinterleave(int len, float[] src, int from, float[] dst, int e, int o);

        /** The weight gradient's Winograd products (see {@link ConvVectorKernels}). */
        abstract void winogradWeightTile(int kc, float[] a, int ai, int ars, float[] b, int bi, float[] c, int ci, int ldc,
                                         boolean add);

        /** The output gradient's Winograd transform for the weight gradient (see {@link ConvVectorKernels}). */
        abstract void winogradGradient(int tiles, float[] gt, int g0, int rowStride, int ldo, float[] gyp, int d0,
                                       int posStride, int panelStride);

        /** Float lanes of one vector: the Winograd transforms go in steps of this many tiles. */
        final int lanes() {
            return nr / 2;
        }
    }

    /**
     * The direct kernels, or null without the Vector API module, with the plain GEMM asked for
     * ({@code -Djgrad.cpu.gemm=plain}), or with {@code -Djgrad.cpu.convGemm=off}: {@link ConvKernels} then runs its
     * im2col tiles on whatever GEMM {@link CpuGemm} has.
     */
    static final Direct DIRECT = loadDirect();

    private static Direct loadDirect() {
        if ("plain".equals(System.getProperty("jgrad.cpu.gemm"))) return null;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
        if ("off".equals(System.getProperty("jgrad.cpu.convGemm"))) return null;
        try {
            return (Direct) Class.forName("io.jgrad.cpu.ConvVectorKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** Rows of the direct kernels' tiles. */
    static final int DIRECT_ROWS = 6;

    /** Output pixels per band of the direct paths: a band of gy's panel, 256 x 16 floats, is 16 KB of L1. */
    static final int BAND_PIXELS = 256;

    /**
     * The depth of k's blocks for the direct kernels: equal blocks of at most 320, as {@link PackedSgemm} does, so that
     * the band rows one tile reads (~18 KB for 288) stay in L1 for the next row tile.
     */
    static int directDepth(int k) {
        int blocks = Math.max(1, (k + 319) / 320);
        return (k + blocks - 1) / blocks;
    }

    /** Rows of packed A per block: 96 x 320 floats = 120 KB of L2. */
    private static final int ROW_BLOCK = 96;

    /**
     * One convolution seen as a product per group: out[n, g * rows + r, q] = sum over kk = (c, i, j) of A_g[r, kk] *
     * src[n, g * channels + c, q_h * sh + i * dh - padT, q_w * sw + j * dw - padL] (0 outside the image).
     */
    record Plan(int batch, int groups, int channels, int h, int w, int rows, int outH, int outW,
                int kh, int kw, int sh, int sw, int dh, int dw, int padT, int padL) {
        int depth() {
            return channels * kh * kw;
        }

        int pixels() {
            return outH * outW;
        }

        int srcImage() {
            return groups * channels * h * w;
        }

        int outImage() {
            return groups * rows * outH * outW;
        }

        static Plan forward(ConvGeometry g) {
            return new Plan(g.batch(), g.groups(), g.inPerGroup(), g.inH(), g.inW(), g.outPerGroup(), g.outH(), g.outW(),
                    g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), g.dilationH(), g.dilationW(), g.padTop(), g.padLeft());
        }

        /** The input gradient of a stride-1 convolution as a forward one over the output gradient. */
        static Plan inputGradient(ConvGeometry g) {
            return new Plan(g.batch(), g.groups(), g.outPerGroup(), g.outH(), g.outW(), g.inPerGroup(), g.inH(), g.inW(),
                    g.kernelH(), g.kernelW(), 1, 1, g.dilationH(), g.dilationW(),
                    g.dilationH() * (g.kernelH() - 1) - g.padTop(), g.dilationW() * (g.kernelW() - 1) - g.padLeft());
        }
    }

    /** Whether the plan suits the direct forward kernel: stride 1, and rows per group to fill most of a 6-row tile. */
    static boolean suitsForward(Plan s) {
        return DIRECT != null && s.sh() == 1 && s.sw() == 1 && s.rows() >= DIRECT_ROWS;
    }

    /** Whether the weight gradient suits the kernel: enough output channels per group to fill most of a B panel. */
    static boolean suitsWeight(ConvGeometry g) {
        return DIRECT != null && g.outPerGroup() >= DIRECT.nr / 2;
    }

    // ------------------------------------------------------------------ packing the weight

    private static void zeros(float[] dst, int to, int len, int step) {
        if (step == 1) {
            Arrays.fill(dst, to, to + len, 0f);
        } else {
            for (int q = 0; q < len; q++) dst[to + q * step] = 0f;
        }
    }

    /**
     * The weight of a forward plan packed as the kernel's A: per group, per block of k, panels of mr rows (zero rows
     * past the group's), element (r, kk) at w[wo + (g * rows + r) * depth + kk].
     */
    private static float[] packForwardWeight(Plan s, float[] w, int wo, int mr, int kcStep) {
        int k = s.depth();
        return packWeight(s, mr, kcStep, (g, r, kk) -> w[wo + (g * s.rows() + r) * k + kk]);
    }

    /**
     * The weight of the convolution whose input gradient {@code s} computes, packed as that plan's A: row ci of group
     * g, column kk = (co, i, j) is w[g * s.channels() + co, ci, kh - 1 - i, kw - 1 - j].
     */
    private static float[] packFlippedWeight(Plan s, float[] w, int wo, int mr, int kcStep) {
        int taps = s.kh() * s.kw(), inPerGroup = s.rows();
        return packWeight(s, mr, kcStep, (g, r, kk) -> {
            int co = kk / taps, i = kk % taps / s.kw(), j = kk % s.kw();
            return w[wo + ((g * s.channels() + co) * inPerGroup + r) * taps + (s.kh() - 1 - i) * s.kw() + (s.kw() - 1 - j)];
        });
    }

    private interface WeightAt {
        float at(int group, int row, int kk);
    }

    private static float[] packWeight(Plan s, int mr, int kcStep, WeightAt at) {
        int k = s.depth(), rowsPad = roundUp(s.rows(), mr);
        float[] packed = ArrayPool.floats(Math.max(1, s.groups() * rowsPad * k));
        for (int g = 0; g < s.groups(); g++) {
            int gBase = g * rowsPad * k;
            for (int k0 = 0; k0 < k; k0 += kcStep) {
                int kc = Math.min(kcStep, k - k0);
                for (int r0 = 0; r0 < rowsPad; r0 += mr) {
                    int d = gBase + rowsPad * k0 + r0 * kc;
                    for (int l = 0; l < kc; l++) {
                        for (int r = 0; r < mr; r++, d++) packed[d] = r0 + r < s.rows() ? at.at(g, r0 + r, k0 + l) : 0f;
                    }
                }
            }
        }
        return packed;
    }

    static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    // ------------------------------------------------------------------ forward

    /**
     * The forward product of the plan (stride 1: {@link #suitsForward}) with the weight w, as stored or, for an input
     * gradient's plan, {@code flipped}, plus the bias when given.
     */
    static void convolve(Plan s, float[] src, int srcOff, float[] w, int wo, boolean flipped, float[] out, int outOff,
                         float[] bias, int biasOff) {
        int kcStep = directDepth(s.depth());
        float[] packed = flipped ? packFlippedWeight(s, w, wo, DIRECT_ROWS, kcStep) : packForwardWeight(s, w, wo, DIRECT_ROWS, kcStep);
        try {
            directForward(s, src, srcOff, packed, kcStep, out, outOff, bias, biasOff);
        } finally {
            ArrayPool.recycle(packed);
        }
    }

    /** Offsets of kk = (c, i, j) in a padded band of {@code rows} rows of {@code wp} floats per channel. */
    private static int[] bandOffsets(Plan s, int rows, int wp) {
        int k = s.depth(), taps = s.kh() * s.kw();
        int[] off = new int[k];
        for (int kk = 0; kk < k; kk++) {
            int c = kk / taps, i = kk % taps / s.kw(), j = kk % s.kw();
            off[kk] = (c * rows + i * s.dh()) * wp + j * s.dw();
        }
        return off;
    }

    /**
     * Copies channels [c0, c0 + channels) of image rows ih0 .. ih0 + rows - 1, columns iw0 .. iw0 + wp - 1 of the
     * source image at src[image] into band[(c * rows + t) * wp + u], zeros outside the image.
     */
    private static void padBand(Plan s, float[] src, int image, int c0, int ih0, int rows, int iw0, int wp, float[] band) {
        int h = s.h(), w = s.w(), lo = Math.min(wp, Math.max(0, -iw0)), hi = Math.max(lo, Math.min(wp, w - iw0));
        for (int c = 0; c < s.channels(); c++) {
            int plane = image + (c0 + c) * h * w;
            for (int t = 0; t < rows; t++) {
                int d = (c * rows + t) * wp, ih = ih0 + t;
                if (ih < 0 || ih >= h || hi == lo) {
                    Arrays.fill(band, d, d + wp, 0f);
                    continue;
                }
                if (lo > 0) Arrays.fill(band, d, d + lo, 0f);
                System.arraycopy(src, plane + ih * w + iw0 + lo, band, d + lo, hi - lo);
                if (hi < wp) Arrays.fill(band, d + hi, d + wp, 0f);
            }
        }
    }

    /**
     * The forward product at stride 1 by the direct kernel: units are bands of output rows of one image, padded into
     * a band buffer that the kernel reads in place. A tile's nr columns are nr consecutive floats of the band: when
     * nr divides the output width, nr pixels of one row; otherwise nr consecutive positions of the band's rows read
     * as one long row of padded width wp, whose wp - outW positions past each row's end are computed and dropped (an
     * 11-wide map in rows of 13: 85% of the work is kept, where panels within rows would keep 69%).
     */
    private static void directForward(Plan s, float[] src, int srcOff, float[] packedA, int kcStep, float[] out, int outOff,
                                      float[] bias, int biasOff) {
        Direct kernel = DIRECT;
        int nr = kernel.nr, mr = DIRECT_ROWS, k = s.depth(), rows = s.rows(), rowsPad = roundUp(rows, mr);
        int ow = s.outW(), oh = s.outH(), p = s.pixels();
        int wp = ow + (s.kw() - 1) * s.dw();
        boolean byRow = ow % nr == 0; // else one long row of width wp
        int br = Math.max(1, Math.min(oh, BAND_PIXELS / (byRow ? ow : wp))), bands = (oh + br - 1) / br;
        int units = s.batch() * bands;
        int bandRows = (br - 1) + (s.kh() - 1) * s.dh() + 1, cw = byRow ? ow : wp;
        int bandFloats = s.channels() * bandRows * wp;
        int[] off = bandOffsets(s, bandRows, wp);
        // whole rows of pixels, and row tiles that end at the group's last row (6-row tiles, the last one of 4 rows or
        // 6): the tiles are written straight into the output, whose channel rows are the C rows, with no copy
        boolean inPlace = byRow && (rows % mr == 0 || rows % mr == 4);
        long macs = (long) s.batch() * p * rows * k * s.groups();
        int teams = Math.min(units, Parallel.chunks(macs));
        AtomicInteger next = new AtomicInteger();
        Parallel.forEachUnit(teams, teams, (unusedFrom, unusedTo) -> {
            float[] band = ArrayPool.floats(bandFloats + nr); // + nr: the last long-row panel reads past the band
            float[] c = inPlace ? null : ArrayPool.floats(rowsPad * roundUp(br * cw, nr));
            Arrays.fill(band, bandFloats, bandFloats + nr, 0f);
            try {
                for (int u; (u = next.getAndIncrement()) < units; ) {
                    int n = u / bands, oh0 = u % bands * br, rowsHere = Math.min(br, oh - oh0);
                    // tiles: (band position, C column) pairs
                    int span = byRow ? rowsHere * ow : (rowsHere - 1) * wp + ow, ldc = roundUp(span, nr);
                    int tiles = byRow ? span / nr : ldc / nr;
                    for (int g = 0; g < s.groups(); g++) {
                        padBand(s, src, srcOff + n * s.srcImage(), g * s.channels(), oh0 - s.padT(), bandRows, -s.padL(), wp, band);
                        int aBase = g * rowsPad * k, to = outOff + n * s.outImage() + oh0 * ow;
                        float[] dst = inPlace ? out : c;
                        int dBase = inPlace ? to + g * rows * p : 0, dld = inPlace ? p : ldc;
                        for (int ic = 0; ic < rowsPad; ic += ROW_BLOCK) {
                            int icEnd = Math.min(rowsPad, ic + ROW_BLOCK);
                            for (int tile = 0; tile < tiles; tile++) {
                                int col = tile * nr, at = byRow ? col / ow * wp + col % ow : col;
                                for (int k0 = 0; k0 < k; k0 += kcStep) {
                                    int kc = Math.min(kcStep, k - k0);
                                    for (int ir = ic; ir < icEnd; ir += mr) {
                                        if (rows - ir <= 4) {
                                            kernel.forwardTile4(kc, packedA, aBase + rowsPad * k0 + ir * kc, band, at, off,
                                                    k0, dst, dBase + ir * dld + col, dld, k0 > 0);
                                        } else {
                                            kernel.forwardTile(kc, packedA, aBase + rowsPad * k0 + ir * kc, band, at, off,
                                                    k0, dst, dBase + ir * dld + col, dld, k0 > 0);
                                        }
                                    }
                                }
                            }
                        }
                        if (inPlace) {
                            if (bias != null) {
                                for (int r = 0; r < rows; r++) {
                                    int ch = g * rows + r, o = to + ch * p;
                                    float add = bias[biasOff + ch];
                                    for (int x = 0; x < span; x++) out[o + x] += add;
                                }
                            }
                            continue;
                        }
                        for (int r = 0; r < rows; r++) {
                            int ch = g * rows + r;
                            float add = bias == null ? 0f : bias[biasOff + ch];
                            for (int t = 0; t < (byRow ? 1 : rowsHere); t++) {
                                int o = to + ch * p + t * ow, from = r * ldc + t * cw, len = byRow ? span : ow;
                                if (bias == null) {
                                    System.arraycopy(c, from, out, o, len);
                                } else {
                                    for (int x = 0; x < len; x++) out[o + x] = c[from + x] + add;
                                }
                            }
                        }
                    }
                }
            } finally {
                ArrayPool.recycle(band);
                if (c != null) ArrayPool.recycle(c);
            }
        });
    }

    // ------------------------------------------------------------------ weight gradient

    /** The fixed number of partial sums of a weight gradient over q columns: never depends on the thread count. */
    static int weightBlocks(long q) {
        return (int) Math.max(1, Math.min(8, q / 512));
    }

    /**
     * gradWeight[g * og + o, kk] = sum over (n, q) of gy[n, g * og + o, q] col_n[kk, q] for the forward plan {@code s}
     * of the convolution (rows = og per group); any stride.
     */
    static void weightGradient(Plan s, float[] x, int xo, float[] gy, int gyo, float[] gw, int gwo) {
        if ((long) s.batch() * s.pixels() == 0) {
            Arrays.fill(gw, gwo, gwo + s.groups() * s.rows() * s.depth(), 0f);
            return;
        }
        directWeightGradient(s, x, xo, gy, gyo, gw, gwo);
    }

    /**
     * gw[g, o, kk] = the blocks' partial sums of gradWᵀ[kk, o] (kPad x ogPad per group), added in block order; the
     * output channels are split over the team (each element is the same sum whichever thread adds it).
     */
    private static void reduce(float[][] partial, int groups, int og, int k, int kPad, int ogPad, float[] gw, int gwo) {
        int channels = groups * og;
        Parallel.forRange(channels, Parallel.chunks((long) partial.length * channels * k), (from, to) -> {
            for (int go = from; go < to; go++) {
                int g = go / og, o = go % og;
                int dst = gwo + go * k, src = g * kPad * ogPad + o;
                float[] first = partial[0];
                for (int kk = 0; kk < k; kk++) gw[dst + kk] = first[src + kk * ogPad];
                for (int blk = 1; blk < partial.length; blk++) {
                    float[] c = partial[blk];
                    for (int kk = 0; kk < k; kk++) gw[dst + kk] += c[src + kk * ogPad];
                }
            }
        });
        for (float[] c : partial) ArrayPool.recycle(c);
    }

    /**
     * The weight gradient by the direct kernel: each fixed block of output rows (image, row) goes in bands; a band packs
     * gy's rows as B panels of nr channels and pads the input rows it reads, which the kernel reads in place as A.
     */
    private static void directWeightGradient(Plan s, float[] x, int xo, float[] gy, int gyo, float[] gw, int gwo) {
        Direct kernel = DIRECT;
        int nr = kernel.nr, mr = DIRECT_ROWS, k = s.depth(), og = s.rows(), groups = s.groups();
        int kPad = roundUp(k, mr), ogPad = roundUp(og, nr), part = groups * kPad * ogPad, p = s.pixels();
        int ow = s.outW(), oh = s.outH();
        long q = (long) s.batch() * p, totalRows = (long) s.batch() * oh;
        int blocks = (int) Math.min(weightBlocks(q), totalRows); // no empty block
        int br = Math.max(1, Math.min(oh, BAND_PIXELS / ow));
        int bandRows = (br - 1) * s.sh() + (s.kh() - 1) * s.dh() + 1, wp = (ow - 1) * s.sw() + (s.kw() - 1) * s.dw() + 1;
        int[] off = bandOffsets(s, bandRows, wp);
        int[] col = new int[br * ow]; // pixel (t, l) of a band reads its taps at t * sh * wp + l * sw
        for (int t = 0; t < br; t++) {
            for (int l = 0; l < ow; l++) col[t * ow + l] = t * s.sh() * wp + l * s.sw();
        }
        float[][] partial = new float[blocks][];
        int teams = Math.min(blocks, Parallel.chunks(q * og * k * groups));
        AtomicInteger next = new AtomicInteger();
        Parallel.forEachUnit(teams, teams, (unusedFrom, unusedTo) -> {
            float[] band = ArrayPool.floats(s.channels() * bandRows * wp);
            float[] b = ArrayPool.floats(br * ow * ogPad);
            try {
                for (int blk; (blk = next.getAndIncrement()) < blocks; ) {
                    float[] c = ArrayPool.floats(part);
                    partial[blk] = c;
                    long from = totalRows * blk / blocks, to = totalRows * (blk + 1) / blocks;
                    boolean first = true;
                    for (long r = from; r < to; ) {
                        int n = (int) (r / oh), oh0 = (int) (r % oh), rowsHere = (int) Math.min(Math.min(br, oh - oh0), to - r);
                        int px = rowsHere * ow;
                        for (int g = 0; g < groups; g++) {
                            padBand(s, x, xo + n * s.srcImage(), g * s.channels(), oh0 * s.sh() - s.padT(), bandRows, -s.padL(), wp, band);
                            int gyBand = gyo + n * s.outImage() + oh0 * ow;
                            for (int o = 0; o < ogPad; o++) {
                                int d = o / nr * px * nr + o % nr;
                                if (o >= og) {
                                    zeros(b, d, px, nr);
                                } else {
                                    int src = gyBand + (g * og + o) * p;
                                    for (int t = 0; t < px; t++) b[d + t * nr] = gy[src + t];
                                }
                            }
                            int gBase = g * kPad * ogPad;
                            for (int jp = 0; jp < ogPad; jp += nr) {
                                for (int kt = 0; kt < kPad; kt += mr) {
                                    // rows past k read row kt's pixels: their sums land in padding rows nobody reads
                                    int p0 = off[kt], p1 = off[Math.min(kt + 1, k - 1)], p2 = off[Math.min(kt + 2, k - 1)];
                                    int p3 = off[Math.min(kt + 3, k - 1)], p4 = off[Math.min(kt + 4, k - 1)], p5 = off[Math.min(kt + 5, k - 1)];
                                    kernel.weightTile(px, band, p0, p1, p2, p3, p4, p5, col, b, jp * px, c, gBase + kt * ogPad + jp,
                                            ogPad, !first);
                                }
                            }
                        }
                        first = false;
                        r += rowsHere;
                    }
                }
            } finally {
                ArrayPool.recycle(band);
                ArrayPool.recycle(b);
            }
        });
        reduce(partial, groups, og, k, kPad, ogPad, gw, gwo);
    }
}
