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
 * <li>Scratch is per thread and bounded by the band: the planes, V and M of one unit (~0.5 MB at 64 channels), never a
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

    /** Tiles per unit: the columns of its 16 products (a 32-wide image: 4 tile rows, 64 tiles). */
    static final int BAND_TILES = 64;

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
     * The forward product of the plan ({@link #suits}) with the weight w, as stored or, for an input gradient's plan,
     * {@code flipped} (see {@link ConvGemm.Plan#inputGradient}), plus the bias when given.
     */
    static void convolve(ConvGemm.Plan s, float[] src, int srcOff, float[] w, int wo, boolean flipped, float[] out,
                         int outOff, float[] bias, int biasOff) {
        ConvGemm.Direct kernel = ConvGemm.DIRECT;
        int lanes = kernel.lanes(), nr = kernel.nr, mr = ConvGemm.DIRECT_ROWS;
        int cin = s.channels(), rows = s.rows(), rowsPad = ConvGemm.roundUp(rows, mr), groups = s.groups();
        int oh = s.outH(), ow = s.outW(), th = (oh + 1) / 2, tw = (ow + 1) / 2, h = s.h(), inW = s.w();
        // tile rows padded to whole vectors, or one long row per band (width tw + 1): whichever computes fewer tiles
        boolean longRow = tw + 1 < ConvGemm.roundUp(tw, lanes);
        int cols = longRow ? tw + 1 : ConvGemm.roundUp(tw, lanes), w2 = longRow ? cols : cols + 1;
        int sb = Math.max(1, Math.min(th, BAND_TILES / cols)), bands = (th + sb - 1) / sb;
        int tMax = ConvGemm.roundUp(sb * cols, nr);
        int planeFloats = (sb + 1) * w2 + nr + 2; // + nr + 2: the long row's last vectors read past its rows
        // + nr: the 16 positions' products 64 bytes off a multiple of 4 KB apart (at 64 channels they were 16 KB
        // apart, and the transform's 16 streams of stores fought over one set of L1)
        int panelStride = cin * nr, vPos = tMax * cin + nr, mPos = rowsPad * tMax + nr;
        int kcStep = ConvGemm.directDepth(cin);
        int units = s.batch() * groups * bands;
        float[] u = transformWeight(s, w, wo, flipped, kcStep);
        int uPos = rowsPad * cin;
        long macs = (long) s.batch() * groups * bands * tMax * rowsPad * cin * 16;
        int teams = Math.min(units, Parallel.chunks(macs));
        AtomicInteger next = new AtomicInteger();
        try {
            Parallel.forEachUnit(teams, teams, (unusedFrom, unusedTo) -> {
                float[] pl = ArrayPool.floats(4 * cin * planeFloats);
                float[] v = ArrayPool.floats(16 * vPos);
                float[] m = ArrayPool.floats(16 * mPos);
                float[] y = ArrayPool.floats(4 * tMax);
                Arrays.fill(pl, 0f); // the planes' tails, which only dropped tiles read, stay zero
                try {
                    for (int unit; (unit = next.getAndIncrement()) < units; ) {
                        int n = unit / (groups * bands), g = unit / bands % groups, s0 = unit % bands * sb;
                        int sbHere = Math.min(sb, th - s0), tHere = ConvGemm.roundUp(sbHere * cols, nr);
                        int image = srcOff + n * s.srcImage() + g * cin * h * inW;
                        // the band's input rows 2 s0 - padT .. 2 (s0 + sbHere) + 1 - padT, split by parity
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
                            if (longRow) {
                                kernel.winogradInput(tHere, pl, pEE, pEE + planeFloats, pEE + 2 * planeFloats,
                                        pEE + 3 * planeFloats, w2, v, c * nr, 0, panelStride, vPos);
                            } else {
                                for (int r = 0; r < sbHere; r++) {
                                    int at = pEE + r * w2;
                                    kernel.winogradInput(cols, pl, at, at + planeFloats, at + 2 * planeFloats,
                                            at + 3 * planeFloats, w2, v, c * nr, r * cols, panelStride, vPos);
                                }
                            }
                        }
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
                            for (int t = 0; t < sbHere; t++) {
                                int oy = 2 * (s0 + t);
                                System.arraycopy(y, 2 * t * cols, out, plane + oy * ow, ow);
                                if (oy + 1 < oh) System.arraycopy(y, 2 * tMax + 2 * t * cols, out, plane + (oy + 1) * ow, ow);
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
}
