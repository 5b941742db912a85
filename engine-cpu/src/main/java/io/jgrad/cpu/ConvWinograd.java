package io.jgrad.cpu;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 3x3 convolutions at stride 1 and dilation 1 by Winograd's minimal filtering F(2x2, 3x3): each 2 x 2 block of output
 * pixels (a tile) comes from the 4 x 4 block of input it sees, as Aᵀ [(G w Gᵀ) ⊙ (Bᵀ d B)] A, so that the
 * 36 multiplies per tile and channel pair of the direct convolution become 16, and these 16 are 16 independent matrix
 * products: M_pos[o, tile] = sum_c U_pos[o, c] V_pos[c, tile], pos the 4 x 4 position. Their operands are packed in
 * the micro-kernel's panels ({@link ConvGemm.Direct#packedTile}): U, the transformed weight, once per call; V, the
 * transformed input, per unit of work.
 * <ul>
 * <li>A unit is a band of tile rows of one image and one group (about {@link #BAND_TILES} tiles). Its input rows, zero
 * padded, are split into four planes by the parity of row and column, so that the tiles' inputs at each of the 16
 * positions are consecutive floats of a plane, and the transforms run on whole vectors of tiles.</li>
 * <li>Tiles of a row are laid out side by side in the products' columns, each tile row padded to a multiple of the
 * vector length; or, where that wastes more, as one long row of the band (width tw + 1 per tile row, the last tile of
 * each computed and dropped), as {@link ConvGemm}'s direct kernel does with pixels.</li>
 * <li>Scratch is per thread and bounded by the band: the planes, V and M of one unit (~1 MB at 64 channels), never a
 * whole image's or batch's transformed buffer.</li>
 * </ul>
 * Every output element is the same sequence of operations whichever unit or thread computes it, so results do not
 * depend on the thread count, and a batch gives the bits of its images one by one. The transforms of the input and the
 * output are sums of 3 or 4 terms and G's are exact halves, so the error stays within a few float32 ulps of the
 * result's scale (measured: below 1e-6 of the largest output magnitude at 16 to 256 channels).
 */
final class ConvWinograd {
    private ConvWinograd() {
    }

    /** Off with {@code -Djgrad.cpu.winograd=off}: the implicit GEMM of {@link ConvGemm} takes these convolutions. */
    static final boolean ENABLED = !"off".equals(System.getProperty("jgrad.cpu.winograd"));

    /**
     * Channels per group, in and out, from which the products are wide enough to repay the transforms (each costs
     * about as much per tile as a product over a few channels).
     */
    static final int MIN_CHANNELS = 16;

    /**
     * Tiles per unit at most: the columns of its 16 products (a 32-wide image: 8 tile rows, 128 tiles, ~0.5 MB of V
     * at 64 channels). Measured on one thread at [32, 64, 32, 32]: 32 tiles 23.2 ms forward, 64 22.9, 128 22.1.
     */
    static final int BAND_TILES = 128;

    /** Whether the plan is a 3x3 convolution at stride 1, dilation 1, with enough channels for the transforms to pay. */
    static boolean suits(ConvGemm.Plan s) {
        return ENABLED && ConvGemm.DIRECT != null && s.kh() == 3 && s.kw() == 3 && s.sh() == 1 && s.sw() == 1
                && s.dh() == 1 && s.dw() == 1 && s.channels() >= MIN_CHANNELS && s.rows() >= MIN_CHANNELS
                && s.pixels() > 0 && s.batch() > 0;
    }

    /**
     * The transformed weight U = G w Gᵀ of every (group, output row, channel), packed per group and position as the
     * micro-kernel's A: panels of 6 rows (zero rows past the group's), per block of {@code kcStep} channels, as {@link
     * ConvGemm} packs its weight. Computed in float64 and rounded once.
     */
    private static float[] transformWeight(ConvGemm.Plan s, float[] w, int wo, boolean flipped, int kcStep) {
        int cin = s.channels(), rows = s.rows(), rowsPad = ConvGemm.roundUp(rows, ConvGemm.DIRECT_ROWS);
        int posFloats = rowsPad * cin;
        float[] u = ArrayPool.floats(s.groups() * 16 * posFloats);
        double[] k = new double[9], t = new double[12];
        for (int g = 0; g < s.groups(); g++) {
            for (int r = 0; r < rowsPad; r++) {
                for (int c = 0; c < cin; c++) {
                    if (r < rows) {
                        for (int i = 0; i < 3; i++) {
                            for (int j = 0; j < 3; j++) {
                                k[i * 3 + j] = flipped
                                        ? w[wo + ((g * cin + c) * rows + r) * 9 + (2 - i) * 3 + (2 - j)]
                                        : w[wo + ((g * rows + r) * cin + c) * 9 + i * 3 + j];
                            }
                        }
                        // t = G k (4 x 3), then U = t Gᵀ (4 x 4); G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]
                        for (int j = 0; j < 3; j++) {
                            double k0 = k[j], k1 = k[3 + j], k2 = k[6 + j];
                            t[j] = k0;
                            t[3 + j] = 0.5 * (k0 + k1 + k2);
                            t[6 + j] = 0.5 * (k0 - k1 + k2);
                            t[9 + j] = k2;
                        }
                    }
                    int k0 = c / kcStep * kcStep, kc = Math.min(kcStep, cin - k0);
                    int at = g * 16 * posFloats + rowsPad * k0 + (r - r % ConvGemm.DIRECT_ROWS) * kc
                            + (c - k0) * ConvGemm.DIRECT_ROWS + r % ConvGemm.DIRECT_ROWS;
                    for (int a = 0; a < 4; a++) {
                        double t0 = t[a * 3], t1 = t[a * 3 + 1], t2 = t[a * 3 + 2];
                        double[] row = {t0, 0.5 * (t0 + t1 + t2), 0.5 * (t0 - t1 + t2), t2};
                        for (int b = 0; b < 4; b++) {
                            u[at + (a * 4 + b) * posFloats] = r < rows ? (float) row[b] : 0f;
                        }
                    }
                }
            }
        }
        return u;
    }

    /**
     * Whether the weight gradient of the forward plan {@code s} suits the transposed algorithm: {@link #suits}, and
     * output pixels at least {@link #WEIGHT_MIN_FILL} of the 2 x 2 tiles' pixels computed. Its products cost as much as
     * the forward pass's, but the direct kernel it replaces is faster than theirs (the input in place as A), and its
     * own transforms and copies more: on the cnn example's layer (11 x 11 outputs: 42 tiles computed per 36, in 48
     * columns) it ran slower than the direct kernel, on 32 x 32 images 1.7x faster.
     */
    static boolean suitsWeight(ConvGemm.Plan s) {
        if (!suits(s)) return false;
        Layout t = Layout.of(s, ConvGemm.DIRECT.lanes(), ConvGemm.DIRECT.nr);
        return s.pixels() >= WEIGHT_MIN_FILL * 4.0 * t.bands() * t.tMax();
    }

    /** See {@link #suitsWeight}. */
    static final double WEIGHT_MIN_FILL = 0.8;

    /**
     * How a plan's tiles are cut into units and laid out: {@code cols} tiles per tile row in the products' columns
     * (tw padded to whole vectors, or tw + 1 as one long row of the band), planes of rows {@code w2} floats wide, units
     * of {@code sb} tile rows, {@code tMax} columns per unit at most (whole panels), the transformed input V as
     * [position][panel of nr tiles][channel][nr] with {@code vPos} floats per position.
     */
    private record Layout(int th, int tw, boolean longRow, int cols, int w2, int sb, int bands, int tMax, int planeFloats,
                          int panelStride, int vPos) {
        static Layout of(ConvGemm.Plan s, int lanes, int nr) {
            int th = (s.outH() + 1) / 2, tw = (s.outW() + 1) / 2;
            // tile rows padded to whole vectors, or one long row per band: whichever computes fewer tiles
            boolean longRow = tw + 1 < ConvGemm.roundUp(tw, lanes);
            int cols = longRow ? tw + 1 : ConvGemm.roundUp(tw, lanes), w2 = longRow ? cols : cols + 1;
            int sb = Math.max(1, Math.min(th, BAND_TILES / cols)), bands = (th + sb - 1) / sb;
            int tMax = ConvGemm.roundUp(sb * cols, nr);
            int planeFloats = (sb + 1) * w2 + nr + 2; // + nr + 2: the long row's last vectors read past its rows
            // + nr: the 16 positions 64 bytes off a multiple of 4 KB apart (at 64 channels they were 16 KB apart, and
            // the transform's 16 streams of stores fought over one set of L1)
            return new Layout(th, tw, longRow, cols, w2, sb, bands, tMax, planeFloats, s.channels() * nr,
                    tMax * s.channels() + nr);
        }
    }

    /**
     * V for tile rows [s0, s0 + sbHere) of one image's group (its channels from src[image]): the band's input rows
     * 2 s0 - padT .. 2 (s0 + sbHere) + 1 - padT, split by the parity of row and column into four planes per channel
     * (zeros outside the image), then transformed, {@link Layout#cols} tiles per tile row.
     */
    private static void transformBand(ConvGemm.Plan s, Layout t, ConvGemm.Direct kernel, float[] src, int image, int s0,
                                      int sbHere, float[] pl, float[] v, int cStride, int panelStride, int posStride) {
        int lanes = kernel.lanes(), nr = kernel.nr, w2 = t.w2(), planeFloats = t.planeFloats();
        int h = s.h(), inW = s.w(), cin = s.channels();
        int tHere = ConvGemm.roundUp(sbHere * t.cols(), nr);
        int ih0 = 2 * s0 - s.padT(), padL = s.padL();
        int uLo = Math.min(w2, Math.max(0, Math.floorDiv(padL + 1, 2)));
        int uHi = Math.max(uLo, Math.min(w2, Math.floorDiv(inW - 2 + padL, 2) + 1));
        for (int c = 0; c < cin; c++) {
            for (int r = 0; r < 2 * sbHere + 2; r++) {
                int e = (c * 4 + (r & 1) * 2) * planeFloats + (r >> 1) * w2, o = e + planeFloats;
                int ih = ih0 + r;
                if (ih < 0 || ih >= h) {
                    Arrays.fill(pl, e, e + w2, 0f);
                    Arrays.fill(pl, o, o + w2, 0f);
                    continue;
                }
                int row = image + (c * h + ih) * inW - padL;
                for (int q = 0; q < uLo; q++) {
                    int iw = 2 * q - padL;
                    pl[e + q] = iw >= 0 && iw < inW ? src[row + 2 * q] : 0f;
                    pl[o + q] = iw + 1 >= 0 && iw + 1 < inW ? src[row + 2 * q + 1] : 0f;
                }
                int inside = uHi - uLo, bulk = inside / lanes * lanes;
                kernel.deinterleave(bulk, src, row + 2 * uLo, pl, e + uLo, o + uLo);
                if (bulk < inside && inside >= lanes) { // the rest as one vector that overlaps the last
                    kernel.deinterleave(lanes, src, row + 2 * (uHi - lanes), pl, e + uHi - lanes, o + uHi - lanes);
                } else {
                    for (int q = uLo + bulk; q < uHi; q++) {
                        pl[e + q] = src[row + 2 * q];
                        pl[o + q] = src[row + 2 * q + 1];
                    }
                }
                for (int q = uHi; q < w2; q++) {
                    int iw = 2 * q - padL;
                    pl[e + q] = iw >= 0 && iw < inW ? src[row + 2 * q] : 0f;
                    pl[o + q] = iw + 1 >= 0 && iw + 1 < inW ? src[row + 2 * q + 1] : 0f;
                }
            }
            int pEE = c * 4 * planeFloats;
            if (t.longRow()) {
                kernel.winogradInput(tHere, pl, pEE, pEE + planeFloats, pEE + 2 * planeFloats, pEE + 3 * planeFloats,
                        w2, v, c * cStride, 0, panelStride, posStride);
            } else {
                for (int r = 0; r < sbHere; r++) {
                    int at = pEE + r * w2;
                    kernel.winogradInput(t.cols(), pl, at, at + planeFloats, at + 2 * planeFloats, at + 3 * planeFloats,
                            w2, v, c * cStride, r * t.cols(), panelStride, posStride);
                }
            }
        }
    }

    /**
     * The forward product of the plan ({@link #suits}) with the weight w, as stored or, for an input gradient's plan,
     * {@code flipped} (see {@link ConvGemm.Plan#inputGradient}), plus the bias when given.
     */
    static void convolve(ConvGemm.Plan s, float[] src, int srcOff, float[] w, int wo, boolean flipped, float[] out,
                         int outOff, float[] bias, int biasOff) {
        ConvGemm.Direct kernel = ConvGemm.DIRECT;
        int nr = kernel.nr, mr = ConvGemm.DIRECT_ROWS;
        int cin = s.channels(), rows = s.rows(), rowsPad = ConvGemm.roundUp(rows, mr), groups = s.groups();
        int oh = s.outH(), ow = s.outW();
        Layout t = Layout.of(s, kernel.lanes(), nr);
        int sb = t.sb(), bands = t.bands(), tMax = t.tMax(), cols = t.cols(), vPos = t.vPos(), panelStride = t.panelStride();
        int mPos = rowsPad * tMax + nr;
        int kcStep = ConvGemm.directDepth(cin);
        int units = s.batch() * groups * bands;
        float[] u = transformWeight(s, w, wo, flipped, kcStep);
        int uPos = rowsPad * cin;
        long macs = (long) s.batch() * groups * bands * tMax * rowsPad * cin * 16;
        int teams = Math.min(units, Parallel.chunks(macs));
        AtomicInteger next = new AtomicInteger();
        try {
            Parallel.forEachUnit(teams, teams, (unusedFrom, unusedTo) -> {
                float[] pl = ArrayPool.floats(4 * cin * t.planeFloats());
                float[] v = ArrayPool.floats(16 * vPos);
                float[] m = ArrayPool.floats(16 * mPos);
                float[] y = ArrayPool.floats(4 * tMax);
                Arrays.fill(pl, 0f); // the planes' tails, which only dropped tiles read, stay zero
                try {
                    for (int unit; (unit = next.getAndIncrement()) < units; ) {
                        int n = unit / (groups * bands), g = unit / bands % groups, s0 = unit % bands * sb;
                        int sbHere = Math.min(sb, t.th() - s0), tHere = ConvGemm.roundUp(sbHere * cols, nr);
                        transformBand(s, t, kernel, src, srcOff + n * s.srcImage() + g * cin * s.h() * s.w(), s0, sbHere, pl, v,
                                nr, panelStride, vPos);
                        // the 16 products M_pos = U_pos V_pos, a B panel of 2L tiles against every row tile
                        int uGroup = g * 16 * uPos;
                        for (int pos = 0; pos < 16; pos++) {
                            int uBase = uGroup + pos * uPos, vBase = pos * vPos, mBase = pos * mPos;
                            for (int jp = 0; jp < tHere / nr; jp++) {
                                for (int k0 = 0; k0 < cin; k0 += kcStep) {
                                    int kc = Math.min(kcStep, cin - k0);
                                    int bi = vBase + jp * panelStride + k0 * nr, ci = mBase + jp * nr;
                                    for (int ir = 0; ir < rowsPad; ir += mr) {
                                        int ai = uBase + rowsPad * k0 + ir * kc;
                                        if (rows - ir <= 4) {
                                            kernel.packedTile4(kc, u, ai, v, bi, m, ci + ir * tMax, tMax, k0 > 0);
                                        } else {
                                            kernel.packedTile(kc, u, ai, v, bi, m, ci + ir * tMax, tMax, k0 > 0);
                                        }
                                    }
                                }
                            }
                        }
                        // Aᵀ M A per output channel, then its 2 x 2 blocks into the output rows
                        int outImage = outOff + n * s.outImage();
                        for (int r = 0; r < rows; r++) {
                            int ch = g * rows + r, plane = outImage + ch * oh * ow;
                            kernel.winogradOutput(tHere, m, r * tMax, mPos, y, 0, 2 * tMax, bias == null ? 0f : bias[biasOff + ch]);
                            for (int q = 0; q < sbHere; q++) {
                                int oy = 2 * (s0 + q);
                                System.arraycopy(y, 2 * q * cols, out, plane + oy * ow, ow);
                                if (oy + 1 < oh) System.arraycopy(y, 2 * tMax + 2 * q * cols, out, plane + (oy + 1) * ow, ow);
                            }
                        }
                    }
                } finally {
                    ArrayPool.recycle(pl);
                    ArrayPool.recycle(v);
                    ArrayPool.recycle(m);
                    ArrayPool.recycle(y);
                }
            });
        } finally {
            ArrayPool.recycle(u);
        }
    }

    /** The weight gradient's fixed partition of a group's units: partial sums per block, added in block order. */
    static final int WEIGHT_BLOCKS = 8;

    /**
     * gradWeight of the forward plan {@code s} ({@link #suits}) by the transposed algorithm: with U = G w Gᵀ the
     * forward tile is Aᵀ (U ⊙ V) A, so dL/dU_pos[o, c] = sum over tiles of (A gy Aᵀ)_pos[o] V_pos[c] and dL/dw =
     * Gᵀ (dL/dU) G. A unit's V is the forward pass's (read in place as the products' A operand, a row of 2L tiles per
     * channel); its output-gradient tiles, copied channels last, are transformed into B panels of 2L channels; the 16
     * products [c x tiles] x [tiles x o] are summed per fixed block of units ({@link #WEIGHT_BLOCKS}, whatever the
     * team's size), the blocks added in order in float64 before Gᵀ . G, so the result does not depend on the thread
     * count.
     */
    static void weightGradient(ConvGemm.Plan s, float[] x, int xo, float[] gy, int gyo, float[] gw, int gwo) {
        ConvGemm.Direct kernel = ConvGemm.DIRECT;
        int nr = kernel.nr, mr = ConvGemm.DIRECT_ROWS, lanes = kernel.lanes();
        int cin = s.channels(), og = s.rows(), groups = s.groups(), oh = s.outH(), ow = s.outW();
        Layout t = Layout.of(s, lanes, nr);
        int sb = t.sb(), bands = t.bands(), cols = t.cols(), tw = t.tw();
        // V as rows of tiles per channel ([position][channel][tile]), which the products read in place as A
        int ldv = t.tMax(), vPosW = ConvGemm.roundUp(cin, mr) * ldv + nr;
        int ogPad = ConvGemm.roundUp(og, nr), cPad = ConvGemm.roundUp(cin, mr);
        int kMax = sb * cols, gyPanel = kMax * nr, gyPos = ogPad / nr * gyPanel + nr;
        int gtRow = 2 * tw * ogPad; // the output gradient's band, channels last: [row][column][channel]
        int posAcc = cPad * ogPad, groupAcc = 16 * posAcc + nr;
        int perGroup = s.batch() * bands, blocks = Math.min(perGroup, WEIGHT_BLOCKS), jobs = blocks * groups;
        float[][] acc = new float[blocks][];
        for (int b = 0; b < blocks; b++) acc[b] = ArrayPool.floats(groups * groupAcc);
        long macs = (long) perGroup * groups * kMax * cPad * ogPad * 16;
        int teams = Math.min(jobs, Parallel.chunks(macs));
        AtomicInteger next = new AtomicInteger();
        try {
            Parallel.forEachUnit(teams, teams, (unusedFrom, unusedTo) -> {
                float[] pl = ArrayPool.floats(4 * cin * t.planeFloats());
                float[] v = ArrayPool.floats(16 * vPosW);
                float[] gt = ArrayPool.floats(2 * sb * gtRow);
                float[] gyp = ArrayPool.floats(16 * gyPos);
                Arrays.fill(pl, 0f);
                Arrays.fill(gt, 0f); // channels og .. ogPad stay zero
                Arrays.fill(v, 0f); // the rows past the last channel, which the last row tile reads, stay zero
                try {
                    for (int job; (job = next.getAndIncrement()) < jobs; ) {
                        int blk = job / groups, g = job % groups;
                        float[] c = acc[blk];
                        int from = (int) ((long) perGroup * blk / blocks), to = (int) ((long) perGroup * (blk + 1) / blocks);
                        for (int unit = from; unit < to; unit++) {
                            int n = unit / bands, s0 = unit % bands * sb, sbHere = Math.min(sb, t.th() - s0);
                            int kHere = sbHere * cols;
                            transformBand(s, t, kernel, x, xo + n * s.srcImage() + g * cin * s.h() * s.w(), s0, sbHere, pl, v,
                                    ldv, nr, vPosW);
                            // the band's output gradient, channels last, zeros past the image
                            int plane0 = gyo + n * s.outImage() + g * og * oh * ow;
                            // (eight channels at a time: eight rows read, eight floats of each pixel written)
                            for (int o0 = 0; o0 < og; o0 += 8) {
                                int oc = Math.min(8, og - o0), ohw = oh * ow;
                                for (int yy = 0; yy < 2 * sbHere; yy++) {
                                    int oy = 2 * s0 + yy, d = yy * gtRow + o0;
                                    if (oy >= oh) {
                                        for (int xx = 0; xx < 2 * tw; xx++) Arrays.fill(gt, d + xx * ogPad, d + xx * ogPad + oc, 0f);
                                        continue;
                                    }
                                    int src = plane0 + o0 * ohw + oy * ow;
                                    if (oc == 8) {
                                        for (int xx = 0; xx < ow; xx++) {
                                            int e = d + xx * ogPad, f = src + xx;
                                            gt[e] = gy[f];
                                            gt[e + 1] = gy[f + ohw];
                                            gt[e + 2] = gy[f + 2 * ohw];
                                            gt[e + 3] = gy[f + 3 * ohw];
                                            gt[e + 4] = gy[f + 4 * ohw];
                                            gt[e + 5] = gy[f + 5 * ohw];
                                            gt[e + 6] = gy[f + 6 * ohw];
                                            gt[e + 7] = gy[f + 7 * ohw];
                                        }
                                    } else {
                                        for (int xx = 0; xx < ow; xx++) {
                                            for (int q = 0; q < oc; q++) gt[d + xx * ogPad + q] = gy[src + q * ohw + xx];
                                        }
                                    }
                                    for (int xx = ow; xx < 2 * tw; xx++) Arrays.fill(gt, d + xx * ogPad, d + xx * ogPad + oc, 0f);
                                }
                            }
                            for (int r = 0; r < sbHere; r++) {
                                kernel.winogradGradient(tw, gt, 2 * r * gtRow, gtRow, ogPad, gyp, r * cols * nr, gyPos, gyPanel);
                                for (int pos = 0; pos < 16; pos++) { // the tiles past the row's end add nothing
                                    for (int op = 0; op < ogPad / nr; op++) {
                                        int d = pos * gyPos + op * gyPanel + (r * cols + tw) * nr;
                                        Arrays.fill(gyp, d, d + (cols - tw) * nr, 0f);
                                    }
                                }
                            }
                            boolean add = unit > from;
                            int cBase = g * groupAcc;
                            for (int pos = 0; pos < 16; pos++) {
                                for (int op = 0; op < ogPad / nr; op++) {
                                    int bi = pos * gyPos + op * gyPanel;
                                    for (int c0 = 0; c0 < cPad; c0 += mr) {
                                        kernel.winogradWeightTile(kHere, v, pos * vPosW + c0 * ldv, ldv, gyp, bi, c,
                                                cBase + pos * posAcc + c0 * ogPad + op * nr, ogPad, add);
                                    }
                                }
                            }
                        }
                    }
                } finally {
                    ArrayPool.recycle(pl);
                    ArrayPool.recycle(v);
                    ArrayPool.recycle(gt);
                    ArrayPool.recycle(gyp);
                }
            });
            // dL/dw = Gᵀ (sum of the blocks) G, in float64, channels over the team
            Parallel.forRange(groups * og, Parallel.chunks((long) groups * og * cin * 16 * (blocks + 4)), (lo, hi) -> {
                double[] d = new double[16], r = new double[12];
                for (int go = lo; go < hi; go++) {
                    int g = go / og, o = go % og;
                    for (int ci = 0; ci < cin; ci++) {
                        int at = g * groupAcc + ci * ogPad + o;
                        for (int pos = 0; pos < 16; pos++) {
                            double sum = 0;
                            for (float[] c : acc) sum += c[at + pos * posAcc];
                            d[pos] = sum;
                        }
                        // Gᵀ = [1 .5 .5 0; 0 .5 -.5 0; 0 .5 .5 1]: over the rows a, then the columns b
                        for (int b = 0; b < 4; b++) {
                            double d0 = d[b], d1 = d[4 + b], d2 = d[8 + b], d3 = d[12 + b];
                            r[b] = d0 + 0.5 * (d1 + d2);
                            r[4 + b] = 0.5 * (d1 - d2);
                            r[8 + b] = 0.5 * (d1 + d2) + d3;
                        }
                        int dst = gwo + (go * cin + ci) * 9;
                        for (int i = 0; i < 3; i++) {
                            double r0 = r[4 * i], r1 = r[4 * i + 1], r2 = r[4 * i + 2], r3 = r[4 * i + 3];
                            gw[dst + 3 * i] = (float) (r0 + 0.5 * (r1 + r2));
                            gw[dst + 3 * i + 1] = (float) (0.5 * (r1 - r2));
                            gw[dst + 3 * i + 2] = (float) (0.5 * (r1 + r2) + r3);
                        }
                    }
                }
            });
        } finally {
            for (float[] c : acc) ArrayPool.recycle(c);
        }
    }
}
