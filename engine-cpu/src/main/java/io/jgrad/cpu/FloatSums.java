package io.jgrad.cpu;

/**
 * float32 sums in float32 arithmetic, the scalar definition: {@link ScalarFloatSimd} (JVMs without the Vector API) and
 * the Vector API twins run these loops, and {@link VectorFloatSums} does the very same float operations eight lanes at
 * a time, so all three give the same bits for every input.
 * <p>
 * <b>A run</b> (row sums, {@link #sum}): the elements up to the last multiple of {@link #LANES} go to eight lanes,
 * element i to lane i % 8, in blocks of {@link #RUN_BLOCK} elements, 16 vectors v0 .. v15 of eight. A block's sum, lane
 * by lane, is ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)) with p_q = v_q + v_(q+8) (a vector past the block's end
 * is left out of p_q, which is +0 when both are); the block sums are added into the lane's total with Kahan's
 * compensation; at the end d_j = (double) total_j - compensation_j, the sum ((d0 + d1) + (d2 + d3)) + ((d4 + d5) +
 * (d6 + d7)) in float64, then the last len % 8 elements in index order.
 * <p>
 * <b>Columns</b> ({@link #columnSums}): each column's rows go in blocks of {@link #ROW_BLOCK}, a block summed as a
 * tree, ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), rows past the end left out (so a block of one row is that
 * row: a column of -0 sums to -0); the block sums are added with Kahan's compensation into the column's total, which
 * starts as the first block's sum; the result is the total less its compensation (in float32: that rounds the exact
 * difference once).
 * <p>
 * Accuracy, either way: a term meets at most 4 float32 roundings inside its block (columns: 3), the compensated totals
 * lose about 2 ulps of the sum and the result's rounding half an ulp, so |error| &lt;= 7 u sum(|x|) (u = 2^-24) to first
 * order whatever the length, and on data of one sign an ulp or so of the result. PyTorch's cascade sum reaches 10
 * (rows) and 23 u sum(|x|) (columns) on the same data ({@code FloatSumAccuracyTest}). The old float64 accumulation was
 * within about 1 u sum(|x|) but took twice the time.
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
    /** Elements of a run summed as a tree before joining the lanes' compensated totals: 16 vectors of 8. */
    static final int RUN_BLOCK = 128;
    /** Rows of a column summed as a tree before joining its compensated total. */
    static final int ROW_BLOCK = 8;

    /** The sum of x[off], ..., x[off + len - 1] as defined above, in float64 (round it to float32 once). */
    static double sum(float[] x, int off, int len) {
        int vec = len - len % LANES;
        float[] total = new float[LANES], comp = new float[LANES];
        float[] p = new float[LANES];
        int b = 0;
        for (; b + RUN_BLOCK <= vec; b += RUN_BLOCK) { // whole blocks: the partial sums in locals
            for (int j = 0, a = off + b; j < LANES; j++, a++) {
                float p0 = x[a] + x[a + 64], p1 = x[a + 8] + x[a + 72], p2 = x[a + 16] + x[a + 80];
                float p3 = x[a + 24] + x[a + 88], p4 = x[a + 32] + x[a + 96], p5 = x[a + 40] + x[a + 104];
                float p6 = x[a + 48] + x[a + 112], p7 = x[a + 56] + x[a + 120];
                float s = ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7));
                float y = s - comp[j], t = total[j] + y;
                comp[j] = (t - total[j]) - y;
                total[j] = t;
            }
        }
        if (b < vec) { // the last, partial block of m vectors
            int m = (vec - b) / LANES, at = off + b;
            for (int j = 0; j < LANES; j++) {
                for (int q = 0; q < 8; q++) {
                    float v = q < m ? x[at + q * LANES + j] : 0f;
                    p[q] = q + 8 < m ? v + x[at + (q + 8) * LANES + j] : v;
                }
                float s = ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
                float y = s - comp[j], t = total[j] + y;
                comp[j] = (t - total[j]) - y;
                total[j] = t;
            }
        }
        return finish(total, comp, x, off, vec, len);
    }

    /** The lanes' totals less their compensations, then elements [vec, len), in float64; the plain sum if not finite. */
    static double finish(float[] total, float[] comp, float[] x, int off, int vec, int len) {
        double d0 = (double) total[0] - comp[0], d1 = (double) total[1] - comp[1];
        double d2 = (double) total[2] - comp[2], d3 = (double) total[3] - comp[3];
        double d4 = (double) total[4] - comp[4], d5 = (double) total[5] - comp[5];
        double d6 = (double) total[6] - comp[6], d7 = (double) total[7] - comp[7];
        double s = ((d0 + d1) + (d2 + d3)) + ((d4 + d5) + (d6 + d7));
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
     * holds at least 2 * width floats.
     */
    static void columnSums(float[] x, int src, int rows, int rowStride, int width, float[] out, int dst, float[] scratch) {
        int t0 = 0, c0 = width; // scratch: the totals, then their compensations
        for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
            int k = Math.min(ROW_BLOCK, rows - r0), a = src + r0 * rowStride;
            for (int j = 0; j < width; j++) {
                float b = block(x, a + j, rowStride, k);
                if (r0 == 0) {
                    scratch[t0 + j] = b;
                    scratch[c0 + j] = 0f;
                } else {
                    float y = b - scratch[c0 + j], t = scratch[t0 + j] + y;
                    scratch[c0 + j] = (t - scratch[t0 + j]) - y;
                    scratch[t0 + j] = t;
                }
            }
        }
        finishColumns(x, src, rows, rowStride, width, out, dst, scratch);
    }

    /** The tree sum of k (1 to 8) rows x[a], x[a + s], ...: ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), rows past k left out. */
    static float block(float[] x, int a, int s, int k) {
        float sum = k > 1 ? x[a] + x[a + s] : x[a];
        if (k > 2) sum += k > 3 ? x[a + 2 * s] + x[a + 3 * s] : x[a + 2 * s];
        if (k > 4) {
            float hi = k > 5 ? x[a + 4 * s] + x[a + 5 * s] : x[a + 4 * s];
            if (k > 6) hi += k > 7 ? x[a + 6 * s] + x[a + 7 * s] : x[a + 6 * s];
            sum += hi;
        }
        return sum;
    }

    /**
     * out = totals less compensations in float32 (the exact difference rounded once: the same as the float64 difference
     * rounded to float32, which is exact whenever the compensation is not negligible); a column whose result is not
     * finite summed again plainly.
     */
    static void finishColumns(float[] x, int src, int rows, int rowStride, int width, float[] out, int dst, float[] scratch) {
        for (int j = 0; j < width; j++) {
            float v = scratch[j] - scratch[width + j];
            out[dst + j] = Float.isFinite(v) ? v : (float) plainSum(x, src + j, rowStride, rows);
        }
    }
}
