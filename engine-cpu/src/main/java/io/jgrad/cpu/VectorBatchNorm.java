package io.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static io.jgrad.cpu.VectorBatchNorm.Species.S;

/**
 * {@link ChannelBatchNorm}'s loops over a run with the Vector API. The sums go in float32 lanes over blocks of
 * {@link #BLOCK} floats (two accumulators per sum, so each lane adds at most 16 terms from zero), and each block's
 * lanes are added into the float64 total in index order: the error of a sum is that of 16 float32 terms per lane plus
 * the float64 total's, whatever the run's length, and no float-to-double conversion sits in the loop (a widening
 * conversion is what C2 most often leaves to the library's Java fallback). The per-element passes are the plain
 * loops' fused multiply-adds, so their bits are the same. Loaded by name, like {@link ConvVectorKernels}.
 */
final class VectorBatchNorm extends ChannelBatchNorm.Runs {
    private static final int L = VectorShape.preferredShape().vectorBitSize() / Float.SIZE;
    private static final int BLOCK = 32 * L;

    /** The species, created by the first loop (see {@link VectorSgemm.Species}). */
    static final class Species {
        private Species() {
        }

        static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    }

    VectorBatchNorm() {
        if (L < 4) throw new UnsupportedOperationException("the preferred vector shape has only " + L + " float lanes");
    }

    @Override
    int scratch() {
        return 2 * L;
    }

    @Override
    void moments(float[] x, int off, int len, double k, double[] acc, float[] lanes) {
        float kf = (float) k; // the channel's first value: exact
        double s = 0, q = 0;
        int i = 0;
        while (len - i >= 2 * L) {
            int end = i + Math.min(BLOCK, (len - i) / (2 * L) * (2 * L));
            FloatVector a0 = FloatVector.zero(S), a1 = a0, b0 = a0, b1 = a0;
            for (; i < end; i += 2 * L) {
                FloatVector d0 = FloatVector.fromArray(S, x, off + i).sub(kf), d1 = FloatVector.fromArray(S, x, off + i + L).sub(kf);
                a0 = a0.add(d0);
                a1 = a1.add(d1);
                b0 = d0.fma(d0, b0);
                b1 = d1.fma(d1, b1);
            }
            a0.add(a1).intoArray(lanes, 0);
            b0.add(b1).intoArray(lanes, L);
            for (int j = 0; j < L; j++) {
                s += lanes[j];
                q += lanes[L + j];
            }
        }
        for (; i < len; i++) {
            double d = x[off + i] - k;
            s += d;
            q += d * d;
        }
        acc[0] += s;
        acc[1] += q;
    }

    @Override
    void sumAndDotCentered(float[] g, int go, float[] x, int xo, int len, double mu, double[] acc, float[] lanes) {
        // g * (x - mu) about mu rounded to float, then corrected in double: sum g (x - mu) = sum g (x - muf) + (muf - mu) sum g
        float muf = (float) mu;
        double sg = 0, sd = 0;
        int i = 0;
        while (len - i >= 2 * L) {
            int end = i + Math.min(BLOCK, (len - i) / (2 * L) * (2 * L));
            FloatVector a0 = FloatVector.zero(S), a1 = a0, b0 = a0, b1 = a0;
            for (; i < end; i += 2 * L) {
                FloatVector g0 = FloatVector.fromArray(S, g, go + i), g1 = FloatVector.fromArray(S, g, go + i + L);
                a0 = a0.add(g0);
                a1 = a1.add(g1);
                b0 = g0.fma(FloatVector.fromArray(S, x, xo + i).sub(muf), b0);
                b1 = g1.fma(FloatVector.fromArray(S, x, xo + i + L).sub(muf), b1);
            }
            a0.add(a1).intoArray(lanes, 0);
            b0.add(b1).intoArray(lanes, L);
            for (int j = 0; j < L; j++) {
                sg += lanes[j];
                sd += lanes[L + j];
            }
        }
        for (; i < len; i++) {
            sg += g[go + i];
            sd += g[go + i] * (double) (x[xo + i] - muf);
        }
        acc[0] += sg;
        acc[1] += sd + ((double) muf - mu) * sg;
    }

    @Override
    void sum(float[] g, int go, int len, double[] acc, float[] lanes) {
        double sg = 0;
        int i = 0;
        while (len - i >= 2 * L) {
            int end = i + Math.min(BLOCK, (len - i) / (2 * L) * (2 * L));
            FloatVector a0 = FloatVector.zero(S), a1 = a0;
            for (; i < end; i += 2 * L) {
                a0 = a0.add(FloatVector.fromArray(S, g, go + i));
                a1 = a1.add(FloatVector.fromArray(S, g, go + i + L));
            }
            a0.add(a1).intoArray(lanes, 0);
            for (int j = 0; j < L; j++) sg += lanes[j];
        }
        for (; i < len; i++) sg += g[go + i];
        acc[0] += sg;
    }

    @Override
    void affine(float[] o, int oo, float[] x, int xo, int len, float a, float b) {
        int i = 0;
        for (; i <= len - L; i += L) FloatVector.fromArray(S, x, xo + i).fma(a, b).intoArray(o, oo + i);
        for (; i < len; i++) o[oo + i] = Math.fma(x[xo + i], a, b);
    }

    @Override
    void affine2(float[] o, int oo, float[] g, int go, float[] x, int xo, int len, float a, float bx, float add) {
        FloatVector av = FloatVector.broadcast(S, a);
        int i = 0;
        for (; i <= len - L; i += L) {
            FloatVector.fromArray(S, g, go + i).fma(av, FloatVector.fromArray(S, x, xo + i).fma(bx, add)).intoArray(o, oo + i);
        }
        for (; i < len; i++) o[oo + i] = Math.fma(g[go + i], a, Math.fma(x[xo + i], bx, add));
    }
}
