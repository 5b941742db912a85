package io.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static io.jgrad.cpu.FewTapConvVector.Species.S;

/**
 * {@link FewTapConv}'s loops with the Vector API: the forward pass keeps eight accumulators (two channels, four vectors
 * of positions), so that the chain of fused multiply-adds per tap does not wait on its latency. Loaded by name,
 * like {@link ConvVectorKernels}.
 */
final class FewTapConvVector extends FewTapConv.Loops {
    private static final int L = VectorShape.preferredShape().vectorBitSize() / Float.SIZE;

    /** The species, created by the first loop (see {@link VectorSgemm.Species}). */
    static final class Species {
        private Species() {
        }

        static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    }

    FewTapConvVector() {
        if (L < 4) throw new UnsupportedOperationException("the preferred vector shape has only " + L + " float lanes");
    }

    @Override
    int step() {
        return 4 * L;
    }

    @Override
    void forwardPair(float[] p, int[] off, int taps, float[] w, int wa, int wb, float ba, float bb, float[] t, int ta, int tb,
                     int len) {
        for (int i = 0; i < len; i += 4 * L) {
            FloatVector a0 = FloatVector.broadcast(S, ba), a1 = a0, a2 = a0, a3 = a0;
            FloatVector b0 = FloatVector.broadcast(S, bb), b1 = b0, b2 = b0, b3 = b0;
            for (int s = 0; s < taps; s++) {
                int at = i + off[s];
                FloatVector x0 = FloatVector.fromArray(S, p, at), x1 = FloatVector.fromArray(S, p, at + L);
                FloatVector x2 = FloatVector.fromArray(S, p, at + 2 * L), x3 = FloatVector.fromArray(S, p, at + 3 * L);
                FloatVector va = FloatVector.broadcast(S, w[wa + s]), vb = FloatVector.broadcast(S, w[wb + s]);
                a0 = x0.fma(va, a0);
                a1 = x1.fma(va, a1);
                a2 = x2.fma(va, a2);
                a3 = x3.fma(va, a3);
                b0 = x0.fma(vb, b0);
                b1 = x1.fma(vb, b1);
                b2 = x2.fma(vb, b2);
                b3 = x3.fma(vb, b3);
            }
            a0.intoArray(t, ta + i);
            a1.intoArray(t, ta + i + L);
            a2.intoArray(t, ta + i + 2 * L);
            a3.intoArray(t, ta + i + 3 * L);
            b0.intoArray(t, tb + i);
            b1.intoArray(t, tb + i + L);
            b2.intoArray(t, tb + i + 2 * L);
            b3.intoArray(t, tb + i + 3 * L);
        }
    }
}
