package io.jgrad.cpu;

import jdk.incubator.vector.FloatVector;
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
            FloatVector p0 = FloatVector.zero(S8), p1 = p0, p2 = p0, p3 = p0;
            int i = b, end = Math.min(b + FloatSums.RUN_BLOCK, vec);
            for (; i + 4 * L <= end; i += 4 * L) {
                p0 = p0.add(FloatVector.fromArray(S8, x, off + i));
                p1 = p1.add(FloatVector.fromArray(S8, x, off + i + L));
                p2 = p2.add(FloatVector.fromArray(S8, x, off + i + 2 * L));
                p3 = p3.add(FloatVector.fromArray(S8, x, off + i + 3 * L));
            }
            if (i < end) { // one to three vectors left in the last block: partial sums 0, 1, 2 in turn
                p0 = p0.add(FloatVector.fromArray(S8, x, off + i));
                if (i + L < end) p1 = p1.add(FloatVector.fromArray(S8, x, off + i + L));
                if (i + 2 * L < end) p2 = p2.add(FloatVector.fromArray(S8, x, off + i + 2 * L));
            }
            FloatVector s = p0.add(p1).add(p2.add(p3));
            FloatVector y = s.sub(comp), t = total.add(y); // Kahan: comp keeps what total's rounding lost, negated
            comp = t.sub(total).sub(y);
            total = t;
        }
        float[] lanes = new float[2 * L];
        total.intoArray(lanes, 0);
        comp.intoArray(lanes, L);
        double s = 0;
        for (int j = 0; j < L; j++) s += (double) lanes[j] - lanes[L + j];
        for (int i = vec; i < len; i++) s += x[off + i];
        return Double.isFinite(s) ? s : FloatSums.plainSum(x, off, 1, len);
    }

    /** {@link FloatSums#columnSums}: a group of four rows a trip through the block sums, which stay in scratch (L1). */
    static void columnSums(float[] x, int src, int rows, int rowStride, int width, float[] out, int dst, float[] scratch) {
        int vec = width - width % L;
        int t0 = width, c0 = 2 * width, s = rowStride;
        for (int r0 = 0; r0 < rows; r0 += FloatSums.ROW_BLOCK) {
            int end = Math.min(r0 + FloatSums.ROW_BLOCK, rows);
            for (int r = r0; r < end; r += 4) {
                int row = src + r * rowStride, k = Math.min(4, end - r);
                boolean first = r == r0;
                if (k == 4) {
                    for (int j = 0; j < vec; j += L) {
                        int a = row + j;
                        FloatVector g = FloatVector.fromArray(S8, x, a).add(FloatVector.fromArray(S8, x, a + s))
                                .add(FloatVector.fromArray(S8, x, a + 2 * s).add(FloatVector.fromArray(S8, x, a + 3 * s)));
                        (first ? g : FloatVector.fromArray(S8, scratch, j).add(g)).intoArray(scratch, j);
                    }
                } else {
                    for (int j = 0; j < vec; j += L) {
                        int a = row + j;
                        FloatVector g = FloatVector.fromArray(S8, x, a);
                        if (k > 1) g = g.add(FloatVector.fromArray(S8, x, a + s));
                        if (k > 2) g = g.add(FloatVector.fromArray(S8, x, a + 2 * s));
                        (first ? g : FloatVector.fromArray(S8, scratch, j).add(g)).intoArray(scratch, j);
                    }
                }
                for (int j = vec; j < width; j++) { // the last width % 8 columns as FloatSums does them
                    int a = row + j;
                    float g = switch (k) {
                        case 4 -> (x[a] + x[a + s]) + (x[a + 2 * s] + x[a + 3 * s]);
                        case 3 -> (x[a] + x[a + s]) + x[a + 2 * s];
                        case 2 -> x[a] + x[a + s];
                        default -> x[a];
                    };
                    scratch[j] = first ? g : scratch[j] + g;
                }
            }
            if (r0 == 0) {
                System.arraycopy(scratch, 0, scratch, t0, width);
                java.util.Arrays.fill(scratch, c0, c0 + width, 0f);
            } else {
                for (int j = 0; j < vec; j += L) {
                    FloatVector total = FloatVector.fromArray(S8, scratch, t0 + j);
                    FloatVector y = FloatVector.fromArray(S8, scratch, j).sub(FloatVector.fromArray(S8, scratch, c0 + j));
                    FloatVector t = total.add(y);
                    t.sub(total).sub(y).intoArray(scratch, c0 + j);
                    t.intoArray(scratch, t0 + j);
                }
                for (int j = vec; j < width; j++) {
                    float y = scratch[j] - scratch[c0 + j], t = scratch[t0 + j] + y;
                    scratch[c0 + j] = (t - scratch[t0 + j]) - y;
                    scratch[t0 + j] = t;
                }
            }
        }
        FloatSums.finishColumns(x, src, rows, rowStride, width, out, dst, scratch);
    }
}
