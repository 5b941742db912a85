package io.jgrad.cpu;

import io.jgrad.spi.BinaryOp;

/**
 * float32 loops that C2's auto-vectoriser cannot vectorise on JDK 17 (several arrays that may alias, square roots,
 * Math.max), in two implementations chosen once, as Lucene's {@code VectorizationProvider} chooses: {@link
 * VectorFloatSimd} with the Vector API when the JVM has {@code jdk.incubator.vector} and its vectors are wide enough
 * to pay, else {@link ScalarFloatSimd}, plain loops. {@link #INSTANCE} is never null, so callers need no second,
 * scalar copy of these loops.
 * <p>
 * Each method below says what it guarantees. Where it says <em>exact</em>, both implementations give the same bits
 * for every input (the operations are correctly rounded lane by lane). Otherwise both meet the stated accuracy but
 * may differ in the last bits: the Vector API loops use only operations whose compiled and interpreted forms agree
 * (see VectorFloatSimd), the scalar loops use Math.exp and double arithmetic. Either way results depend only on the
 * inputs, never on how a range is split between threads. The element-wise methods return how many elements they
 * did, which is always the whole range (binary: except for the ops it does not cover).
 */
interface FloatSimd {

    /** The Vector API implementation where available and worthwhile, else the scalar one; never null. */
    FloatSimd INSTANCE = Loader.load();

    /** A short description for logs and benchmark reports. */
    String name();

    /**
     * One Adam step over elements [0, n) of the four runs, with the formula of {@link FusedKernels}'s float64 loop
     * (coupled weight decay adds coupledWeightDecay * p to the gradient, 0 for none; decoupled decay multiplies p by
     * decoupledDecay first, 1 for none). Scalar: in double, rounded once per stored value. Vector: in float32 with
     * the constants rounded to float (1 - beta1 and 1 - beta2 rounded from double: 1 - (float) 0.999 would be off
     * by 1e-5), a few float32 ulps from the double result.
     */
    int adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n, double beta1,
             double beta2, double eps, double invBc2, double stepSize, double coupledWeightDecay, double decoupledDecay);

    /** o[oo + i] = x[xo + i] &lt; 0 ? 0 : x[xo + i]: NaN and -0 pass through, as PyTorch's relu. Exact. */
    int relu(float[] o, int oo, float[] x, int xo, int n);

    /** o = exp(x), within two ulps of the float64 function rounded to float32 (scalar: that rounding itself). */
    int exp(float[] o, int oo, float[] x, int xo, int n);

    /**
     * o = 1 / (1 + exp(-x)), computed as e / (1 + e) with e = exp(x) for negative x so tiny results stay accurate;
     * within two ulps of the float64 function rounded to float32.
     */
    int sigmoid(float[] o, int oo, float[] x, int xo, int n);

    /**
     * o = x Phi(x), within 6 float32 ulps of the float64 function over the whole float range, results below the
     * smallest normal float within 6 of its ulps ({@code GeluUlpTest}).
     */
    int gelu(float[] o, int oo, float[] x, int xo, int n);

    /**
     * o = GELU'(x) = Phi(x) + x phi(x), within 5.5 float32 ulps of |Phi(x)| + |x phi(x)| (it is 0 near x = -0.75, where
     * no float32 sum of the two keeps relative accuracy).
     */
    int geluGrad(float[] o, int oo, float[] x, int xo, int n);

    /**
     * o = g * GELU'(x): the gradient through GELU in one pass, to {@link #geluGrad}'s accuracy before the product. o may
     * be x or g at the same offset.
     */
    int geluBackward(float[] o, int oo, float[] g, int go, float[] x, int xo, int n);

    /**
     * o = x op y for ADD, SUB, MUL and DIV, which IEEE 754 rounds the same lane by lane as element by element
     * (exact); returns 0, doing nothing, for any other op. o must not overlap x or y unless at the same offset.
     */
    int binary(BinaryOp op, float[] o, int oo, float[] x, int xo, float[] y, int yo, int n);

    /** o = y &lt;= 0 ? 0 : g (a NaN y passes g): the gradient through a ReLU from its output y. Exact. */
    int reluGrad(float[] o, int oo, float[] g, int go, float[] y, int yo, int n);

    /** o = x &gt; 0 ? 1 : 0 (NaN gives 0): ReLU's derivative. Exact. */
    int step(float[] o, int oo, float[] x, int xo, int n);

    /**
     * out[dst + j] = the sum over rows r &lt; rows of x[src + r * rowStride + j], for j &lt; width: column sums of a
     * row-major block (bias gradients), as {@link FloatSums#columnSums} defines them (float32 trees of 8 rows,
     * Kahan-compensated totals). Exact: every implementation gives those bits. scratch holds at least 2 * width floats.
     */
    void columnSums(float[] x, int src, int rows, int rowStride, int width, float[] out, int dst, float[] scratch);

    /**
     * The sum of x[off], ..., x[off + len - 1] as {@link FloatSums#sum} defines it (eight float32 lanes, blocks of 128
     * summed as trees, Kahan-compensated totals), in float64 for the caller to round once. Exact: every implementation gives those
     * bits.
     */
    double sum(float[] x, int off, int len);

    /** The largest of x[xo], ..., x[xo + n - 1] (n &gt; 0) with Math.max's rules (NaN wins). Exact. */
    float max(float[] x, int xo, int n);

    /** o[oo + i] *= s, in place: softmax's normalisation. Exact. */
    int scale(float[] o, int oo, float s, int n);

    /**
     * Stores exp(x[xo + j] - shift) into o[oo + j] for the whole range and returns their sum: softmax's inner loop.
     * Callers shift by the row's maximum or log-sum-exp, so the arguments are at most about 0; for arguments up to 64
     * (larger ones may be taken as 64) each exp is within two ulps of the float64 function rounded to float32. The
     * sum (scalar: in float64; vector: in float32 partial sums of at most 32 terms, combined in a fixed order) is
     * within 2e-6 relative of the exact sum of the stored values for rows up to a few thousand. o may be x at the
     * same offset; otherwise it must not overlap x.
     */
    double expShiftedSum(float[] x, int xo, float shift, float[] o, int oo, int n);

    /**
     * Softmax's shift: the largest of x[xo], ..., x[xo + n - 1] (n &gt; 0) when none is NaN (either zero when the
     * largest are zeros); with a NaN in the range, one of its values, NaN or not (softmax's row is NaN then anyway,
     * through the NaN's exponential in the sum). Cheaper than {@link #max}, whose NaN and signed-zero rules cost
     * several instructions per vector. The same bits from every implementation where the range has no NaN.
     */
    float maxForShift(float[] x, int xo, int n);

    /** o[oo + i] = the float32 value of the bfloat16 bit pattern x[xo + i] (its bits shifted up 16). Exact. */
    int bfloat16ToFloat(float[] o, int oo, short[] x, int xo, int n);

    /**
     * o[oo + i] = x[xo + i] rounded to bfloat16, to nearest even, a NaN made quiet with its sign and the top of its
     * payload kept: {@link io.jgrad.HalfFloat#floatToBfloat16}, element by element. Exact.
     */
    int floatToBfloat16(short[] o, int oo, float[] x, int xo, int n);

    /** Chooses the implementation, loading the Vector API one by name so that nothing links against it needlessly. */
    final class Loader {
        private Loader() {
        }

        static FloatSimd load() {
            FloatSimd vector = "plain".equals(System.getProperty("jgrad.cpu.simd")) ? null : vector();
            return vector != null ? vector : new ScalarFloatSimd();
        }

        /**
         * The Vector API implementation (behind {@link GatedFloatSimd}, which starts on its scalar twins), or null when
         * the module is absent or its vectors are too narrow to pay.
         */
        static FloatSimd vector() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
            try {
                return (FloatSimd) Class.forName("io.jgrad.cpu.GatedFloatSimd").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null; // the scalar loops are always correct
            }
        }
    }
}
