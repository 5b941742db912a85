package io.jgrad.cpu;

/**
 * float32 sums in float32 arithmetic, the scalar definition: {@link ScalarFloatSimd} (JVMs without the Vector API) and
 * the Vector API twins run these loops, and {@link VectorFloatSums} does the very same float operations eight lanes at
 * a time, so all three give the same bits for every input.
 * <p>
 * <b>A run</b> (row sums, {@link #sum}): the elements up to the last multiple of {@link #LANES} go to eight lanes,
 * element i to lane i % 8, in blocks of {@link #RUN_BLOCK}. Within a block each lane keeps four partial sums from zero
 * (vector q of the block's vectors goes to partial sum q % 4, so each adds at most 4 terms), combined as
 * (p0 + p1) + (p2 + p3); the block sums are added into the lane's total with Kahan's compensation; at the end the
 * eight totals less their compensations, then the last len % 8 elements, are added in float64 in index order.
 * <p>
 * <b>Columns</b> ({@link #columnSums}): each column's rows go in blocks of {@link #ROW_BLOCK} rows, a block in groups
 * of four consecutive rows (the last may have fewer) summed pairwise, (a + b) + (c + d), and the groups added in
 * order, ((g0 + g1) + g2) + g3; the block sums are added with Kahan's compensation into the column's total, which
 * starts as the first block's sum; the result is the total less its compensation, in float64, rounded once.
 * <p>
 * Accuracy, either way: a term meets at most 5 float32 roundings inside its block, and the compensated totals lose
 * about 2 ulps of the sum, so |error| &lt;= 8 u sum(|x|) (u = 2^-24) to first order whatever the length, and on data
 * of one sign an ulp or so of the result. PyTorch's cascade sum reaches 10 (rows) and 23 u sum(|x|) (columns) on the
 * same data ({@code FloatSumAccuracyTest}). The old float64 accumulation was within 1 u sum(|x|) but cost 2x the time.
 * <p>
 * Kahan's compensation turns an infinity into NaN (inf - inf), so a result that is not finite is computed again as the
 * float64 sum in index order, which has IEEE's answer: NaN with any NaN or with infinities of both signs, else the
 * infinity, or an infinity for a float64 sum beyond float32's range.
 */
final class FloatSums {
    private FloatSums() {
    }

    /** Lanes of the definition (an AVX2 float vector); fixed, so results do not depend on the machine's vectors. */
    static final int LANES = 8;
    /** Elements of a run summed from zero before joining the lanes' compensated totals: 16 vectors of 8. */
    static final int RUN_BLOCK = 128;
    /** Rows of a column summed (in groups of four) before joining its compensated total. */
    static final int ROW_BLOCK = 16;

    /** The sum of x[off], ..., x[off + len - 1] as defined above, in float64 (round it to float32 once). */
    static double sum(float[] x, int off, int len) {
        int vec = len - len % LANES;
        float[] p = new float[4 * LANES]; // p[q * 8 + j]: lane j's partial sum q
        float[] total = new float[LANES], comp = new float[LANES];
        for (int b = 0; b < vec; b += RUN_BLOCK) {
            java.util.Arrays.fill(p, 0f);
            for (int i = b, end = Math.min(b + RUN_BLOCK, vec); i < end; i++) p[(i - b) % (4 * LANES)] += x[off + i];
            for (int j = 0; j < LANES; j++) {
                float s = (p[j] + p[LANES + j]) + (p[2 * LANES + j] + p[3 * LANES + j]);
                float y = s - comp[j], t = total[j] + y;
                comp[j] = (t - total[j]) - y;
                total[j] = t;
            }
        }
        return finish(total, comp, x, off, vec, len);
    }

    /** The lanes' totals less their compensations, then elements [vec, len), in float64; the plain sum if not finite. */
    static double finish(float[] total, float[] comp, float[] x, int off, int vec, int len) {
        double s = 0;
        for (int j = 0; j < LANES; j++) s += (double) total[j] - comp[j];
        for (int i = vec; i < len; i++) s += x[off + i];
        return Double.isFinite(s) ? s : plainSum(x, off, 1, len);
    }

    /** x[off], x[off + step], ... (len of them) added in float64 in order: the non-finite cases' answer. */
    static double plainSum(float[] x, int off, int step, int len) {
        double s = 0;
        for (int i = 0, j = off; i < len; i++, j += step) s += x[j];
        return s;
    }

    /**
     * out[dst + j] = the sum over rows r &lt; rows of x[src + r * rowStride + j], j &lt; width, as defined above. scratch
     * holds at least 3 * width floats.
     */
    static void columnSums(float[] x, int src, int rows, int rowStride, int width, float[] out, int dst, float[] scratch) {
        // scratch: [0, w) the block's sum, [w, 2w) the totals, [2w, 3w) their compensations
        int t0 = width, c0 = 2 * width, s = rowStride;
        for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
            int end = Math.min(r0 + ROW_BLOCK, rows);
            for (int r = r0; r < end; r += 4) {
                int a = src + r * rowStride, k = Math.min(4, end - r);
                for (int j = 0; j < width; j++) {
                    float g = switch (k) {
                        case 4 -> (x[a + j] + x[a + s + j]) + (x[a + 2 * s + j] + x[a + 3 * s + j]);
                        case 3 -> (x[a + j] + x[a + s + j]) + x[a + 2 * s + j];
                        case 2 -> x[a + j] + x[a + s + j];
                        default -> x[a + j];
                    };
                    scratch[j] = r == r0 ? g : scratch[j] + g;
                }
            }
            if (r0 == 0) {
                System.arraycopy(scratch, 0, scratch, t0, width);
                java.util.Arrays.fill(scratch, c0, c0 + width, 0f);
            } else {
                for (int j = 0; j < width; j++) {
                    float y = scratch[j] - scratch[c0 + j], t = scratch[t0 + j] + y;
                    scratch[c0 + j] = (t - scratch[t0 + j]) - y;
                    scratch[t0 + j] = t;
                }
            }
        }
        finishColumns(x, src, rows, rowStride, width, out, dst, scratch);
    }

    /** out = totals less compensations, rounded once; a column whose result is not finite summed again plainly. */
    static void finishColumns(float[] x, int src, int rows, int rowStride, int width, float[] out, int dst, float[] scratch) {
        for (int j = 0; j < width; j++) {
            float v = (float) ((double) scratch[width + j] - scratch[2 * width + j]);
            out[dst + j] = Float.isFinite(v) ? v : (float) plainSum(x, src + j, rowStride, rows);
        }
    }
}
