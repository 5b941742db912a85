package io.jgrad.cpu;

import io.jgrad.spi.BinaryOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's {@link FloatSimd} when the JVM has the Vector API: the scalar twins of {@link VectorFloatSimd} first,
 * its vector loops once the run has proved long.
 * <p>
 * Why: until C2 has compiled it, Vector API code runs in the interpreter or in C1 code, where every vector operation
 * allocates and goes through the library's Java fallback, many times slower than a scalar loop. A short run pays that
 * for each of a dozen kernels and never earns it back: with {@code --add-modules jdk.incubator.vector} the moons demo
 * took 0.3 s longer than without, the MNIST MLP's first epoch twice as long. So every call goes to the twin, which
 * computes the very same bits with scalar operations, until the twins have done {@link #START_WORK} elements; from
 * then on calls go to the vector loops, which the JIT then compiles while the run goes on. (Warming them up in small
 * doses on scratch, or in a thread of its own, was tried: the JIT compiles Vector API code only after thousands of
 * calls, each costing microseconds before, so small doses cost the same second, and on 2 cores a thread takes it
 * from the training threads.) Because twin and vector code agree bit for bit, results never depend on when the switch
 * happens, or on which thread saw it first; so the counter may be racy, and is.
 * <p>
 * The choice sits here, outside the kernels, so that the switch deoptimises only these small methods: a flag tested
 * inside a kernel loop would send the kernel's compiled code back to the interpreter. {@code -Djgrad.cpu.warmup=off}
 * uses the vector loops from the first call.
 */
final class GatedFloatSimd implements FloatSimd {
    private static final Logger LOG = LoggerFactory.getLogger(GatedFloatSimd.class);

    /**
     * Elements the twins do before the vector loops take over, chosen as a ski rental: keep renting (the twins) until
     * the rent paid matches the price of buying (the warm-up). Measured on 2 cores, the vector loops' warm-up cost the
     * MNIST MLP's first epoch about a second (2.0 s against 1.0 s without the flag) and saved about 0.1 s per later
     * epoch; 2^30 elements take the twins about a second. So a run too short to repay the warm-up never pays it
     * (the moons demo does 2.3 million elements, an MNIST MLP epoch 60 million), and a long run pays it once.
     */
    static final long START_WORK = 1L << 30;

    private final VectorFloatSimd twin = new VectorFloatSimd(false);
    private final VectorFloatSimd vector = new VectorFloatSimd(true);
    /** Work done by the twins so far; updated without synchronisation (an estimate is enough). */
    private long work;
    /** Set once work reaches the threshold; never cleared. Not volatile: a late reader just runs one more twin call. */
    private boolean warm;

    GatedFloatSimd() {
        this(!"off".equals(System.getProperty("jgrad.cpu.warmup")));
    }

    /** With {@code gated} false, the vector loops from the first call. */
    GatedFloatSimd(boolean gated) {
        this.warm = !gated;
    }

    /** The implementation for a call of {@code elements} elements. */
    private VectorFloatSimd pick(long elements) {
        if (warm) return vector;
        long w = work + elements;
        work = w;
        if (w >= START_WORK) {
            warm = true;
            LOG.debug("jgrad cpu: the Vector API element-wise loops take over from their scalar twins after {} elements", w);
        }
        return twin;
    }

    /** Whether calls go to the vector loops now. */
    boolean isWarm() {
        return warm;
    }

    @Override
    public String name() {
        return vector.name() + (warm ? "" : ", scalar twins for the first " + START_WORK + " elements");
    }

    @Override
    public int adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n, double beta1,
                    double beta2, double eps, double invBc2, double stepSize, double coupledWeightDecay,
                    double decoupledDecay) {
        return pick(n).adam(p, po, g, go, m, mo, v, vo, n, beta1, beta2, eps, invBc2, stepSize, coupledWeightDecay,
                decoupledDecay);
    }

    @Override
    public int relu(float[] o, int oo, float[] x, int xo, int n) {
        return pick(n).relu(o, oo, x, xo, n);
    }

    @Override
    public int exp(float[] o, int oo, float[] x, int xo, int n) {
        return pick(n).exp(o, oo, x, xo, n);
    }

    @Override
    public int sigmoid(float[] o, int oo, float[] x, int xo, int n) {
        return pick(n).sigmoid(o, oo, x, xo, n);
    }

    @Override
    public int gelu(float[] o, int oo, float[] x, int xo, int n) {
        return pick(n).gelu(o, oo, x, xo, n);
    }

    @Override
    public int geluGrad(float[] o, int oo, float[] x, int xo, int n) {
        return pick(n).geluGrad(o, oo, x, xo, n);
    }

    @Override
    public int geluBackward(float[] o, int oo, float[] g, int go, float[] x, int xo, int n) {
        return pick(n).geluBackward(o, oo, g, go, x, xo, n);
    }

    @Override
    public int binary(BinaryOp op, float[] o, int oo, float[] x, int xo, float[] y, int yo, int n) {
        return pick(n).binary(op, o, oo, x, xo, y, yo, n);
    }

    @Override
    public int reluGrad(float[] o, int oo, float[] g, int go, float[] y, int yo, int n) {
        return pick(n).reluGrad(o, oo, g, go, y, yo, n);
    }

    @Override
    public int step(float[] o, int oo, float[] x, int xo, int n) {
        return pick(n).step(o, oo, x, xo, n);
    }

    @Override
    public void columnSums(float[] x, int src, int rows, int rowStride, int width, float[] out, int dst, float[] scratch) {
        pick((long) rows * width).columnSums(x, src, rows, rowStride, width, out, dst, scratch);
    }

    @Override
    public double sum(float[] x, int off, int len) {
        return pick(len).sum(x, off, len);
    }

    @Override
    public float max(float[] x, int xo, int n) {
        return pick(n).max(x, xo, n);
    }

    @Override
    public int scale(float[] o, int oo, float s, int n) {
        return pick(n).scale(o, oo, s, n);
    }

    @Override
    public double expShiftedSum(float[] x, int xo, float shift, float[] o, int oo, int n) {
        return pick(n).expShiftedSum(x, xo, shift, o, oo, n);
    }

    @Override
    public float maxForShift(float[] x, int xo, int n) {
        return pick(n).maxForShift(x, xo, n);
    }

    @Override
    public int bfloat16ToFloat(float[] o, int oo, short[] x, int xo, int n) {
        return pick(n).bfloat16ToFloat(o, oo, x, xo, n);
    }

    @Override
    public int floatToBfloat16(short[] o, int oo, float[] x, int xo, int n) {
        return pick(n).floatToBfloat16(o, oo, x, xo, n);
    }
}
