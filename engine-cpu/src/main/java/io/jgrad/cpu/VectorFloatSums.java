package io.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatSums}'s loops with the Vector API, eight float lanes (256 bits, whatever the preferred shape: the
 * definition fixes the lanes), the same float operations in the same order, so the same bits. Used by {@link
 * VectorFloatSimd} when its vectors have at least eight lanes. Each method is one loop body with no vector-returning
 * helper, so C2's inlining budget cannot split it (see DESIGN, softmax's sum).
 */
final class VectorFloatSums {
    private VectorFloatSums() {
    }

    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;
    private static final int L = FloatSums.LANES;

    /** {@link FloatSums#sum}. */
    static double sum(float[] x, int off, int len) {
        int vec = len - len % L;
        if (vec == 0) return FloatSums.sum(x, off, len);
        FloatVector total = FloatVector.zero(S8), comp = total;
        for (int b = 0; b < vec; b += FloatSums.RUN_BLOCK) {
            int i = off + b;
            FloatVector p0, p1, p2, p3, p4, p5, p6, p7;
            if (vec - b >= FloatSums.RUN_BLOCK) { // eight partial sums of two vectors: two loads and an add each
                p0 = FloatVector.fromArray(S8, x, i).add(FloatVector.fromArray(S8, x, i + 8 * L));
                p1 = FloatVector.fromArray(S8, x, i + L).add(FloatVector.fromArray(S8, x, i + 9 * L));
                p2 = FloatVector.fromArray(S8, x, i + 2 * L).add(FloatVector.fromArray(S8, x, i + 10 * L));
                p3 = FloatVector.fromArray(S8, x, i + 3 * L).add(FloatVector.fromArray(S8, x, i + 11 * L));
                p4 = FloatVector.fromArray(S8, x, i + 4 * L).add(FloatVector.fromArray(S8, x, i + 12 * L));
                p5 = FloatVector.fromArray(S8, x, i + 5 * L).add(FloatVector.fromArray(S8, x, i + 13 * L));
                p6 = FloatVector.fromArray(S8, x, i + 6 * L).add(FloatVector.fromArray(S8, x, i + 14 * L));
                p7 = FloatVector.fromArray(S8, x, i + 7 * L).add(FloatVector.fromArray(S8, x, i + 15 * L));
            } else { // the last, partial block of m vectors: those past its end left out, +0 where none is left
                int m = (vec - b) / L;
                FloatVector z = FloatVector.zero(S8);
                p0 = FloatVector.fromArray(S8, x, i);
                p1 = m > 1 ? FloatVector.fromArray(S8, x, i + L) : z;
                p2 = m > 2 ? FloatVector.fromArray(S8, x, i + 2 * L) : z;
                p3 = m > 3 ? FloatVector.fromArray(S8, x, i + 3 * L) : z;
                p4 = m > 4 ? FloatVector.fromArray(S8, x, i + 4 * L) : z;
                p5 = m > 5 ? FloatVector.fromArray(S8, x, i + 5 * L) : z;
                p6 = m > 6 ? FloatVector.fromArray(S8, x, i + 6 * L) : z;
                p7 = m > 7 ? FloatVector.fromArray(S8, x, i + 7 * L) : z;
                if (m > 8) p0 = p0.add(FloatVector.fromArray(S8, x, i + 8 * L));
                if (m > 9) p1 = p1.add(FloatVector.fromArray(S8, x, i + 9 * L));
                if (m > 10) p2 = p2.add(FloatVector.fromArray(S8, x, i + 10 * L));
                if (m > 11) p3 = p3.add(FloatVector.fromArray(S8, x, i + 11 * L));
                if (m > 12) p4 = p4.add(FloatVector.fromArray(S8, x, i + 12 * L));
                if (m > 13) p5 = p5.add(FloatVector.fromArray(S8, x, i + 13 * L));
                if (m > 14) p6 = p6.add(FloatVector.fromArray(S8, x, i + 14 * L));
            }
            FloatVector s = p0.add(p1).add(p2.add(p3)).add(p4.add(p5).add(p6.add(p7)));
            FloatVector y = s.sub(comp), t = total.add(y); // Kahan: comp keeps what total's rounding lost, negated
            comp = t.sub(total).sub(y);
            total = t;
        }
        // the lanes one by one (lane(j) compiles to an extract; storing the vectors to an array cost 10-15 ns a run)
        FloatVector tt = total, cc = comp;
        double d0 = (double) tt.lane(0) - cc.lane(0), d1 = (double) tt.lane(1) - cc.lane(1);
        double d2 = (double) tt.lane(2) - cc.lane(2), d3 = (double) tt.lane(3) - cc.lane(3);
        double d4 = (double) tt.lane(4) - cc.lane(4), d5 = (double) tt.lane(5) - cc.lane(5);
        double d6 = (double) tt.lane(6) - cc.lane(6), d7 = (double) tt.lane(7) - cc.lane(7);
        double s = ((d0 + d1) + (d2 + d3)) + ((d4 + d5) + (d6 + d7));
        for (int i = vec; i < len; i++) s += x[off + i];
        return Double.isFinite(s) ? s : FloatSums.plainSum(x, off, 1, len);
    }

    /**
     * {@link FloatSums#columnSums}: eight rows at a time, eight columns a vector, straight into the totals and their
     * compensations, which stay in scratch (in L1); eight sequential streams, which the prefetchers follow.
     */
    static void columnSums(float[] x, int src, int rows, int rowStride, int width, float[] out, int dst, float[] scratch) {
        int vec = width - width % L;
        int c0 = width, s = rowStride;
        for (int r0 = 0; r0 < rows; r0 += FloatSums.ROW_BLOCK) {
            int k = Math.min(FloatSums.ROW_BLOCK, rows - r0), row = src + r0 * rowStride;
            boolean first = r0 == 0;
            for (int j = 0; j < vec; j += L) {
                int a = row + j;
                FloatVector b;
                if (k == FloatSums.ROW_BLOCK) {
                    b = FloatVector.fromArray(S8, x, a).add(FloatVector.fromArray(S8, x, a + s))
                            .add(FloatVector.fromArray(S8, x, a + 2 * s).add(FloatVector.fromArray(S8, x, a + 3 * s)))
                            .add(FloatVector.fromArray(S8, x, a + 4 * s).add(FloatVector.fromArray(S8, x, a + 5 * s))
                                    .add(FloatVector.fromArray(S8, x, a + 6 * s).add(FloatVector.fromArray(S8, x, a + 7 * s))));
                } else { // the last block: rows past its end left out of the tree
                    b = k > 1 ? FloatVector.fromArray(S8, x, a).add(FloatVector.fromArray(S8, x, a + s)) : FloatVector.fromArray(S8, x, a);
                    if (k > 2) {
                        b = b.add(k > 3 ? FloatVector.fromArray(S8, x, a + 2 * s).add(FloatVector.fromArray(S8, x, a + 3 * s))
                                : FloatVector.fromArray(S8, x, a + 2 * s));
                    }
                    if (k > 4) {
                        FloatVector hi = k > 5 ? FloatVector.fromArray(S8, x, a + 4 * s).add(FloatVector.fromArray(S8, x, a + 5 * s))
                                : FloatVector.fromArray(S8, x, a + 4 * s);
                        if (k > 6) hi = hi.add(FloatVector.fromArray(S8, x, a + 6 * s)); // k is at most 7 here
                        b = b.add(hi);
                    }
                }
                if (first) {
                    b.intoArray(scratch, j);
                    FloatVector.zero(S8).intoArray(scratch, c0 + j);
                } else {
                    FloatVector total = FloatVector.fromArray(S8, scratch, j);
                    FloatVector y = b.sub(FloatVector.fromArray(S8, scratch, c0 + j)), t = total.add(y);
                    t.sub(total).sub(y).intoArray(scratch, c0 + j);
                    t.intoArray(scratch, j);
                }
            }
            for (int j = vec; j < width; j++) { // the last width % 8 columns as FloatSums does them
                float b = FloatSums.block(x, row + j, s, k);
                if (first) {
                    scratch[j] = b;
                    scratch[c0 + j] = 0f;
                } else {
                    float y = b - scratch[c0 + j], t = scratch[j] + y;
                    scratch[c0 + j] = (t - scratch[j]) - y;
                    scratch[j] = t;
                }
            }
        }
        for (int j = 0; j < vec; j += L) { // FloatSums.finishColumns, whose scalar loop costs ~1 ns a column
            FloatVector v = FloatVector.fromArray(S8, scratch, j).sub(FloatVector.fromArray(S8, scratch, c0 + j));
            v.intoArray(out, dst + j);
            if (v.sub(v).compare(VectorOperators.NE, 0f).anyTrue()) { // v - v is NaN where v is not finite
                for (int c = j; c < j + L; c++) {
                    if (!Float.isFinite(out[dst + c])) out[dst + c] = (float) FloatSums.plainSum(x, src + c, rowStride, rows);
                }
            }
        }
        for (int j = vec; j < width; j++) {
            float v = scratch[j] - scratch[c0 + j];
            out[dst + j] = Float.isFinite(v) ? v : (float) FloatSums.plainSum(x, src + j, rowStride, rows);
        }
    }
}
