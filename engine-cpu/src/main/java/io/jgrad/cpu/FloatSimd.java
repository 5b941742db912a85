package io.jgrad.cpu;

import io.jgrad.spi.BinaryOp;

/**
 * float32 loops that C2's auto-vectoriser cannot vectorise on JDK 17 (several arrays that may alias, square roots,
 * Math.max), written once with the Vector API in {@link VectorFloatSimd}. {@link #INSTANCE} is null when the JVM
 * runs without {@code jdk.incubator.vector}; callers then keep their scalar loops. The element-wise methods return how
 * many elements they did, which today is always the whole range (vectors, then a scalar tail doing the very same
 * operations), so results depend only on the inputs, never on how a range is split between threads.
 */
interface FloatSimd {

    /** The Vector API implementation, or null when the module is absent or its vectors are too narrow to pay. */
    FloatSimd INSTANCE = Loader.load();

    /**
     * One Adam step in float32 over elements [0, n) of the four runs: the same formula as the scalar loop in
     * {@link FusedKernels} (coupled weight decay adds wd*p to the gradient; decoupled multiplies p by decay first).
     * c1 and c2 are 1 - beta1 and 1 - beta2 rounded from double: 1 - (float) 0.999 would be off by 1e-5.
     */
    int adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n, float beta1, float beta2,
             float c1, float c2, float eps, float invBc2, float stepSize, float coupledWeightDecay, float decoupledDecay);

    /** o[oo + i] = x[xo + i] &lt; 0 ? 0 : x[xo + i]: NaN and -0 pass through, as PyTorch's relu. */
    int relu(float[] o, int oo, float[] x, int xo, int n);

    /** o = exp(x), within two ulps of the float64 function rounded to float32. */
    int exp(float[] o, int oo, float[] x, int xo, int n);

    /** o = 1 / (1 + exp(-x)), computed as e / (1 + e) with e = exp(x) for negative x so tiny results stay accurate. */
    int sigmoid(float[] o, int oo, float[] x, int xo, int n);

    /** o = x Phi(x), within 2e-6 relative of the float64 function (its erfc fit is good to 1.2e-7). */
    int gelu(float[] o, int oo, float[] x, int xo, int n);

    /**
     * o = x op y for ADD, SUB, MUL and DIV, which IEEE 754 rounds the same lane by lane as element by element; returns
     * 0, doing nothing, for any other op. o must not overlap x or y unless at the same offset.
     */
    int binary(BinaryOp op, float[] o, int oo, float[] x, int xo, float[] y, int yo, int n);

    /** o = y &lt;= 0 ? 0 : g (a NaN y passes g): the gradient through a ReLU from its output y. */
    int reluGrad(float[] o, int oo, float[] g, int go, float[] y, int yo, int n);

    /** o = x &gt; 0 ? 1 : 0 (NaN gives 0): ReLU's derivative. */
    int step(float[] o, int oo, float[] x, int xo, int n);

    /**
     * out[dst + j] = the float64 sum, rounded once, of x[src + r * rowStride + j] over rows r &lt; rows, added in row
     * order, for j &lt; width: column sums of a row-major block (bias gradients), exactly as the scalar double loop.
     */
    void columnSums(float[] x, int src, int rows, int rowStride, int width, float[] out, int dst);

    /**
     * The sum of x[off], ..., x[off + len - 1] accumulated in float64 (eight interleaved partial sums, combined in a
     * fixed order, so the result depends only on the input).
     */
    double sum(float[] x, int off, int len);

    /** The largest of x[xo], ..., x[xo + n - 1] (n &gt; 0) with Math.max's rules (NaN wins); covers the whole range. */
    float max(float[] x, int xo, int n);

    /**
     * Stores exp(x[xo + j] - shift) into o[oo + j] for the whole range and returns their sum, in double: softmax's
     * inner loop. o must not overlap x.
     */
    double expShiftedSum(float[] x, int xo, float shift, float[] o, int oo, int n);

    /** Loads the implementation by name, so that nothing links against the incubator API without the module. */
    final class Loader {
        private Loader() {
        }

        static FloatSimd load() {
            if ("plain".equals(System.getProperty("jgrad.cpu.simd"))) return null;
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
            try {
                return (FloatSimd) Class.forName("io.jgrad.cpu.VectorFloatSimd").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null; // the scalar loops are always correct
            }
        }
    }
}
