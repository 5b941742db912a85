package io.jgrad.cpu;

import io.jgrad.spi.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static io.jgrad.cpu.VectorFloatSimd.GeluVectors.*;
import static io.jgrad.cpu.VectorFloatSimd.Species.I;
import static io.jgrad.cpu.VectorFloatSimd.Species.S;
import static io.jgrad.cpu.VectorFloatSimd.Species.SH;

/**
 * {@link FloatSimd} with the Vector API; like {@link VectorSgemm}, the only other class that touches
 * {@code jdk.incubator.vector}, and loaded by name only when the module is present.
 * <p>
 * Results must not depend on the JIT tier or on where a range is split between threads (the determinism suites
 * compare runs bit for bit). So the loops use only lane-wise operations that IEEE 754 rounds exactly (add, mul, fma,
 * div, sqrt, min, max, bit shifts), never the library's EXP or cross-lane sums, whose compiled code and Java
 * fallback differ in the last bit; and each method finishes its range with a scalar loop doing the very same
 * operations, so that a lane and a tail element get the same bits.
 */
final class VectorFloatSimd implements FloatSimd {
    /** Float lanes of the preferred shape: the length of {@link Species#S}, known without creating it. */
    static final int L = VectorShape.preferredShape().vectorBitSize() / Float.SIZE;

    /**
     * The species, in a holder that the first vector loop initialises. Creating them initialises some 70 classes of
     * the Vector API, about 0.1 s of a cold JVM's start, which a short run on the scalar twins never needs: so the
     * twins touch only {@link #L}, and nothing that is initialised here.
     */
    static final class Species {
        private Species() {
        }

        static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        /** Int lanes for the bfloat16 conversions, and the shorts they narrow to (half the vector width). */
        static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
        static final VectorSpecies<Short> SH = VectorSpecies.of(short.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
    }

    /** False for the scalar twin: every loop below then runs its scalar part over the whole range. */
    private final boolean lanes;

    /** The vector loops. */
    VectorFloatSimd() {
        this(true);
    }

    /**
     * With {@code lanes} false, the <em>scalar twin</em>: each method runs only its scalar loop, which repeats the
     * lanes' operations element by element, so the twin gives the very same bits as the vector code (the sums are
     * FloatSums'). {@link GatedFloatSimd} runs the twin while the vector code would still be interpreted.
     */
    VectorFloatSimd(boolean lanes) {
        if (L < 4) throw new UnsupportedOperationException("the preferred vector shape has only " + L + " float lanes");
        this.lanes = lanes;
    }

    /** The last start index of a whole vector in [0, n), or -1 (no vector iterations) for the twin. */
    private int vectorEnd(int n) {
        return lanes ? n - L : -1;
    }

    @Override
    public String name() {
        return lanes ? "Vector API, " + L + " float lanes" : "Vector API twins (scalar), " + L + " float lanes";
    }

    @Override
    public int adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n, double beta1d,
                    double beta2d, double epsd, double invBc2d, double stepSized, double coupledWeightDecayd,
                    double decoupledDecayd) {
        float beta1 = (float) beta1d, beta2 = (float) beta2d, c1 = (float) (1 - beta1d), c2 = (float) (1 - beta2d);
        float eps = (float) epsd, invBc2 = (float) invBc2d, stepSize = (float) stepSized;
        float coupledWeightDecay = (float) coupledWeightDecayd, decoupledDecay = (float) decoupledDecayd;
        boolean coupled = coupledWeightDecay != 0, decoupled = decoupledDecay != 1;
        int i = 0;
        for (int end = vectorEnd(n); i <= end; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, po + i);
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            if (coupled) gv = gv.add(pv.mul(coupledWeightDecay));
            FloatVector mv = FloatVector.fromArray(S, m, mo + i).mul(beta1).add(gv.mul(c1));
            FloatVector vv = FloatVector.fromArray(S, v, vo + i).mul(beta2).add(gv.mul(gv).mul(c2));
            if (decoupled) pv = pv.mul(decoupledDecay);
            mv.intoArray(m, mo + i);
            vv.intoArray(v, vo + i);
            FloatVector den = vv.mul(invBc2).sqrt().add(eps);
            pv.sub(mv.mul(stepSize).div(den)).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            float pi = p[po + i], gi = g[go + i];
            if (coupled) gi = gi + pi * coupledWeightDecay;
            float mi = m[mo + i] * beta1 + gi * c1;
            float vi = v[vo + i] * beta2 + gi * gi * c2;
            if (decoupled) pi = pi * decoupledDecay;
            m[mo + i] = mi;
            v[vo + i] = vi;
            float den = (float) Math.sqrt(vi * invBc2) + eps; // sqrt of a float is exact in double, then rounded once
            p[po + i] = pi - mi * stepSize / den;
        }
        return n;
    }

    @Override
    public int binary(BinaryOp op, float[] o, int oo, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, end = vectorEnd(n);
        switch (op) {
            case ADD:
                for (; i <= end; i += L) FloatVector.fromArray(S, x, xo + i).add(FloatVector.fromArray(S, y, yo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = x[xo + i] + y[yo + i];
                return n;
            case SUB:
                for (; i <= end; i += L) FloatVector.fromArray(S, x, xo + i).sub(FloatVector.fromArray(S, y, yo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = x[xo + i] - y[yo + i];
                return n;
            case MUL:
                for (; i <= end; i += L) FloatVector.fromArray(S, x, xo + i).mul(FloatVector.fromArray(S, y, yo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = x[xo + i] * y[yo + i];
                return n;
            case DIV:
                for (; i <= end; i += L) FloatVector.fromArray(S, x, xo + i).div(FloatVector.fromArray(S, y, yo + i)).intoArray(o, oo + i);
                for (; i < n; i++) o[oo + i] = x[xo + i] / y[yo + i];
                return n;
            default:
                return 0;
        }
    }

    @Override
    public int reluGrad(float[] o, int oo, float[] g, int go, float[] y, int yo, int n) {
        int i = 0;
        for (int end = vectorEnd(n); i <= end; i += L) {
            FloatVector.fromArray(S, g, go + i).blend(FloatVector.zero(S), FloatVector.fromArray(S, y, yo + i).compare(VectorOperators.LE, 0f))
                    .intoArray(o, oo + i);
        }
        for (; i < n; i++) o[oo + i] = y[yo + i] <= 0 ? 0f : g[go + i];
        return n;
    }

    @Override
    public int step(float[] o, int oo, float[] x, int xo, int n) {
        int i = 0;
        for (int end = vectorEnd(n); i <= end; i += L) {
            FloatVector.zero(S).blend(1f, FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f)).intoArray(o, oo + i);
        }
        for (; i < n; i++) o[oo + i] = x[xo + i] > 0 ? 1f : 0f;
        return n;
    }

    /** {@link FloatSums#columnSums}: eight float lanes a vector where the vectors have them, else the definition. */
    @Override
    public void columnSums(float[] x, int src, int rows, int rowStride, int width, float[] out, int dst,
                           float[] scratch) {
        if (lanes && L >= FloatSums.LANES) VectorFloatSums.columnSums(x, src, rows, rowStride, width, out, dst, scratch);
        else FloatSums.columnSums(x, src, rows, rowStride, width, out, dst, scratch);
    }

    /** {@link FloatSums#sum}, likewise. */
    @Override
    public double sum(float[] x, int off, int len) {
        return lanes && L >= FloatSums.LANES ? VectorFloatSums.sum(x, off, len) : FloatSums.sum(x, off, len);
    }

    @Override
    public int relu(float[] o, int oo, float[] x, int xo, int n) {
        int i = 0;
        for (int end = vectorEnd(n); i <= end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.blend(0f, v.compare(VectorOperators.LT, 0f)).intoArray(o, oo + i);
        }
        for (; i < n; i++) o[oo + i] = x[xo + i] < 0 ? 0f : x[xo + i];
        return n;
    }

    // exp(x) = 2^k * e^r with k = round(x / ln 2) and r = x - k ln 2 in [-ln2/2, ln2/2]; e^r by its Taylor series to
    // r^7 (truncation below 6e-9 relative), 2^k by building exponent bits, in two factors so that results between
    // the smallest normal and the smallest subnormal are rounded once, like the float64 function rounded to float
    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693145752f; // ln 2 with its last 12 bits cleared: k * LN2_HI is exact
    private static final float LN2_LO = 1.42860677e-6f;
    private static final float ROUNDER = 12582912f;   // 1.5 * 2^23: adding it rounds to an integer
    private static final float MAX_IN = 89f, MIN_IN = -104f; // beyond them exp overflows or underflows anyway
    private static final float P2 = 1f / 2, P3 = 1f / 6, P4 = 1f / 24, P5 = 1f / 120, P6 = 1f / 720, P7 = 1f / 5040;

    private static FloatVector expVector(FloatVector x) {
        FloatVector xc = x.max(MIN_IN).min(MAX_IN); // NaN stays NaN
        FloatVector t = xc.fma(LOG2E, ROUNDER);
        FloatVector kf = t.sub(ROUNDER);
        IntVector k = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUNDER));
        FloatVector r = kf.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = kf.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector q = r.fma(P7, P6);
        q = q.fma(r, FloatVector.broadcast(S, P5));
        q = q.fma(r, FloatVector.broadcast(S, P4));
        q = q.fma(r, FloatVector.broadcast(S, P3));
        q = q.fma(r, FloatVector.broadcast(S, P2));
        q = q.fma(r, FloatVector.broadcast(S, 1f));
        q = q.fma(r, FloatVector.broadcast(S, 1f));
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1), k2 = k.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return q.mul(s1).mul(s2);
    }

    /** expVector for one element, operation for operation. */
    private static float expScalar(float x) {
        float xc = Math.min(Math.max(x, MIN_IN), MAX_IN);
        float t = Math.fma(xc, LOG2E, ROUNDER);
        float kf = t - ROUNDER;
        int k = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUNDER);
        float r = Math.fma(kf, -LN2_HI, xc);
        r = Math.fma(kf, -LN2_LO, r);
        float q = Math.fma(r, P7, P6);
        q = Math.fma(q, r, P5);
        q = Math.fma(q, r, P4);
        q = Math.fma(q, r, P3);
        q = Math.fma(q, r, P2);
        q = Math.fma(q, r, 1f);
        q = Math.fma(q, r, 1f);
        int k1 = k >> 1, k2 = k - k1;
        return q * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
    }

    @Override
    public int exp(float[] o, int oo, float[] x, int xo, int n) {
        int i = 0;
        for (int end = vectorEnd(n); i <= end; i += L) expVector(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        for (; i < n; i++) o[oo + i] = expScalar(x[xo + i]);
        return n;
    }

    @Override
    public int sigmoid(float[] o, int oo, float[] x, int xo, int n) {
        int i = 0;
        for (int end = vectorEnd(n); i <= end; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + i);
            FloatVector e = expVector(xv.abs().neg()); // exp(-|x|) in (0, 1]: no overflow, no cancellation below
            // x >= 0: 1 / (1 + e); x < 0: e / (1 + e); NaN fails both comparisons and stays NaN through e
            VectorMask<Float> negative = xv.lt(0f);
            e.blend(1f, negative.not()).div(e.add(1f)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            float xi = x[xo + i];
            float e = expScalar(-Math.abs(xi));
            o[oo + i] = (xi < 0f ? e : 1f) / (e + 1f);
        }
        return n;
    }

    @Override
    public float max(float[] x, int xo, int n) {
        int i = 0;
        float max = x[xo];
        if (lanes && n >= L) {
            FloatVector acc = FloatVector.fromArray(S, x, xo);
            i = L;
            if (n >= 4 * L) { // four running maxima: one alone waits on the max's latency every vector
                FloatVector acc1 = FloatVector.fromArray(S, x, xo + L), acc2 = FloatVector.fromArray(S, x, xo + 2 * L);
                FloatVector acc3 = FloatVector.fromArray(S, x, xo + 3 * L);
                for (i = 4 * L; i <= n - 4 * L; i += 4 * L) {
                    acc = acc.max(FloatVector.fromArray(S, x, xo + i));
                    acc1 = acc1.max(FloatVector.fromArray(S, x, xo + i + L));
                    acc2 = acc2.max(FloatVector.fromArray(S, x, xo + i + 2 * L));
                    acc3 = acc3.max(FloatVector.fromArray(S, x, xo + i + 3 * L));
                }
                acc = acc.max(acc1).max(acc2.max(acc3));
            }
            for (; i <= n - L; i += L) acc = acc.max(FloatVector.fromArray(S, x, xo + i));
            max = acc.reduceLanes(VectorOperators.MAX); // max is exact, so the lane order cannot matter
        }
        for (; i < n; i++) max = Math.max(max, x[xo + i]);
        return max;
    }

    @Override
    public int scale(float[] o, int oo, float s, int n) {
        int i = 0;
        for (int end = vectorEnd(n); i <= end; i += L) FloatVector.fromArray(S, o, oo + i).mul(s).intoArray(o, oo + i);
        for (; i < n; i++) o[oo + i] *= s;
        return n;
    }

    /*
     * Softmax's exponentials, exp(x - shift) with x - shift at most about 0 (shift is the row's maximum or a log-sum-exp):
     * cheaper than expVector, which must cover the whole float range. The argument is clamped to [-104, 64] (below
     * -104 exp is 0 in float32; callers never go above 0 by more than rounding), so k = round(a / ln 2) lies in
     * [-150, 93] and 2^k is one power of two built with its exponent raised by 32, undone by a last exact multiply:
     * a result below the smallest normal float is rounded once, as in the GELU kernels. e^r is the degree-6 minimax
     * polynomial Q (3e-9 relative on [-ln2/2, ln2/2]), one fma fewer than expVector's Taylor series.
     * The sum, in two levels of float32 lanes: each block of SOFTMAX_BLOCK elements is summed lane by lane from zero
     * (32 terms a lane), the blocks' sums are added lane by lane with Kahan's compensation, and the L lanes are added
     * in float64 in lane order: for positive terms within about 33 float32 ulps (relative) whatever the length, and
     * in practice one or two. The loop has no float-to-double conversion, which C2 may leave as a call into the
     * library's Java fallback (see the DESIGN note on softmax: a float64 vector sum swung between 0.64 and 2.2 ms),
     * and only four adds per block: a float64 total per block (L scalar adds) cost 20%.
     */
    /** Elements per float32 block of expShiftedSum's lane sums. */
    private static final int SOFTMAX_BLOCK = 256;
    private static final float SOFTMAX_MIN = -104f, SOFTMAX_MAX = 64f;
    /** Subtracted from the bits of round(a / ln 2) + ROUNDER: leaves the exponent field of 2^(k + 32). */
    private static final int SOFTMAX_SCALE_BIAS = Float.floatToRawIntBits(ROUNDER) - 127 - 32;
    /** e^r = 1 + r + r^2 (SQ2 + r (SQ3 + ...)): a minimax fit on [-ln2/2, ln2/2], 3e-9 relative before rounding. */
    private static final float SQ2 = 4.999999404e-01f, SQ3 = 1.666652113e-01f, SQ4 = 4.166838899e-02f,
            SQ5 = 8.368745446e-03f, SQ6 = 1.381453942e-03f;

    /** expShiftedSum's constants as vectors, in a holder like {@link Species}, so that the scalar twin never creates them. */
    static final class SoftmaxVectors {
        private SoftmaxVectors() {
        }

        private static FloatVector of(float v) {
            return FloatVector.broadcast(S, v);
        }

        static final FloatVector V_MIN = of(SOFTMAX_MIN), V_MAX = of(SOFTMAX_MAX), V_LOG2E = of(LOG2E),
                V_ROUNDER = of(ROUNDER), V_MINUS_LN2_HI = of(-LN2_HI), V_MINUS_LN2_LO = of(-LN2_LO), V_Q2 = of(SQ2),
                V_Q3 = of(SQ3), V_Q4 = of(SQ4), V_Q5 = of(SQ5), V_Q6 = of(SQ6), V_ONE = of(1f),
                V_TWO_TO_MINUS_32 = of(0x1p-32f);
    }

    /** Softmax's exp(a) for one element, as a lane of expShiftedSum's loop, operation for operation. */
    private static float softmaxExp(float a) {
        float lo = a < SOFTMAX_MIN ? SOFTMAX_MIN : a; // NaN passes both
        float xc = lo > SOFTMAX_MAX ? SOFTMAX_MAX : lo;
        float t = Math.fma(xc, LOG2E, ROUNDER);
        float kf = t - ROUNDER;
        float r = Math.fma(kf, -LN2_HI, xc);
        r = Math.fma(kf, -LN2_LO, r);
        float q = Math.fma(r, SQ6, SQ5);
        q = Math.fma(q, r, SQ4);
        q = Math.fma(q, r, SQ3);
        q = Math.fma(q, r, SQ2);
        q = Math.fma(q, r, 1f);
        q = Math.fma(q, r, 1f);
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(t) - SOFTMAX_SCALE_BIAS) << 23);
        return q * scale * 0x1p-32f;
    }

    @Override
    public double expShiftedSum(float[] x, int xo, float shift, float[] o, int oo, int n) {
        int vec = n - n % L; // the twin sums [0, vec) as the lanes do
        // lane j's sum of the blocks' sums in float32, and what its roundings lost (Kahan's compensation, negated)
        float[] lane = vec > 0 ? new float[L] : null, lost = vec > 0 ? new float[L] : null;
        if (lanes && vec > 0) {
            FloatVector sh = FloatVector.broadcast(S, shift), total = FloatVector.zero(S), comp = total;
            for (int b = 0; b < vec; b += SOFTMAX_BLOCK) {
                FloatVector acc = FloatVector.zero(S);
                for (int i = b, end = Math.min(b + SOFTMAX_BLOCK, vec); i < end; i += L) {
                    // clamped by a compare and a blend each: max and min with Math's rules (NaN, -0) take several
                    // instructions each, and the pass ran 12% slower with them
                    FloatVector a = FloatVector.fromArray(S, x, xo + i).sub(sh);
                    a = a.blend(SoftmaxVectors.V_MIN, a.lt(SoftmaxVectors.V_MIN));
                    FloatVector xc = a.blend(SoftmaxVectors.V_MAX, a.compare(VectorOperators.GT, SoftmaxVectors.V_MAX));
                    FloatVector t = xc.fma(SoftmaxVectors.V_LOG2E, SoftmaxVectors.V_ROUNDER);
                    FloatVector kf = t.sub(SoftmaxVectors.V_ROUNDER);
                    FloatVector r = kf.fma(SoftmaxVectors.V_MINUS_LN2_HI, xc);
                    r = kf.fma(SoftmaxVectors.V_MINUS_LN2_LO, r);
                    FloatVector q = r.fma(SoftmaxVectors.V_Q6, SoftmaxVectors.V_Q5);
                    q = q.fma(r, SoftmaxVectors.V_Q4);
                    q = q.fma(r, SoftmaxVectors.V_Q3);
                    q = q.fma(r, SoftmaxVectors.V_Q2);
                    q = q.fma(r, SoftmaxVectors.V_ONE);
                    q = q.fma(r, SoftmaxVectors.V_ONE);
                    FloatVector scale = t.reinterpretAsInts().sub(SOFTMAX_SCALE_BIAS).lanewise(VectorOperators.LSHL, 23)
                            .reinterpretAsFloats();
                    FloatVector e = q.mul(scale).mul(SoftmaxVectors.V_TWO_TO_MINUS_32);
                    e.intoArray(o, oo + i);
                    acc = acc.add(e);
                }
                FloatVector y = acc.sub(comp), t = total.add(y); // Kahan: comp keeps what total's rounding lost
                comp = t.sub(total).sub(y);
                total = t;
            }
            total.intoArray(lane, 0);
            comp.intoArray(lost, 0);
        } else if (vec > 0) {
            float[] block = new float[L];
            for (int b = 0; b < vec; b += SOFTMAX_BLOCK) {
                java.util.Arrays.fill(block, 0f);
                for (int i = b, end = Math.min(b + SOFTMAX_BLOCK, vec); i < end; i++) {
                    float e = softmaxExp(x[xo + i] - shift);
                    o[oo + i] = e;
                    block[i % L] += e;
                }
                for (int j = 0; j < L; j++) {
                    float y = block[j] - lost[j], t = lane[j] + y;
                    lost[j] = (t - lane[j]) - y;
                    lane[j] = t;
                }
            }
        }
        double sum = 0;
        for (int j = 0; j < L && vec > 0; j++) sum += (double) lane[j] - lost[j];
        for (int i = vec; i < n; i++) {
            float e = softmaxExp(x[xo + i] - shift);
            o[oo + i] = e;
            sum += e;
        }
        return sum;
    }

    /**
     * Four running maxima of whole vectors (one alone waits on the latency every vector), each kept by a compare and
     * a blend: a NaN that comes second is skipped, one that comes first sticks. The maxima are then combined in a
     * fixed order, their lanes in index order, and the tail after them, so {@link #maxForShiftTwin} repeats it.
     */
    @Override
    public float maxForShift(float[] x, int xo, int n) {
        if (!lanes || n < L) return maxForShiftTwin(x, xo, n);
        FloatVector acc = FloatVector.fromArray(S, x, xo);
        int i = L;
        if (n >= 4 * L) {
            FloatVector acc1 = FloatVector.fromArray(S, x, xo + L), acc2 = FloatVector.fromArray(S, x, xo + 2 * L);
            FloatVector acc3 = FloatVector.fromArray(S, x, xo + 3 * L);
            for (i = 4 * L; i <= n - 4 * L; i += 4 * L) {
                FloatVector v0 = FloatVector.fromArray(S, x, xo + i), v1 = FloatVector.fromArray(S, x, xo + i + L);
                FloatVector v2 = FloatVector.fromArray(S, x, xo + i + 2 * L), v3 = FloatVector.fromArray(S, x, xo + i + 3 * L);
                acc = acc.blend(v0, v0.compare(VectorOperators.GT, acc));
                acc1 = acc1.blend(v1, v1.compare(VectorOperators.GT, acc1));
                acc2 = acc2.blend(v2, v2.compare(VectorOperators.GT, acc2));
                acc3 = acc3.blend(v3, v3.compare(VectorOperators.GT, acc3));
            }
            for (; i <= n - L; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                acc = acc.blend(v, v.compare(VectorOperators.GT, acc));
            }
            acc = acc.blend(acc1, acc1.compare(VectorOperators.GT, acc));
            acc = acc.blend(acc2, acc2.compare(VectorOperators.GT, acc));
            acc = acc.blend(acc3, acc3.compare(VectorOperators.GT, acc));
        } else {
            for (; i <= n - L; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xo + i);
                acc = acc.blend(v, v.compare(VectorOperators.GT, acc));
            }
        }
        float[] lane = new float[L];
        acc.intoArray(lane, 0);
        float max = lane[0];
        for (int j = 1; j < L; j++) max = lane[j] > max ? lane[j] : max;
        for (; i < n; i++) max = x[xo + i] > max ? x[xo + i] : max;
        return max;
    }

    /** {@link #maxForShift} lane by lane: the running maxima as one array, combined in the same order. */
    private static float maxForShiftTwin(float[] x, int xo, int n) {
        int i = 1;
        float max = x[xo];
        if (n >= L) {
            int q = n >= 4 * L ? 4 : 1; // the running maxima: four, or one
            float[] acc = java.util.Arrays.copyOfRange(x, xo, xo + q * L);
            i = q * L;
            for (; q == 4 && i <= n - 4 * L; i += 4 * L) {
                for (int k = 0; k < 4 * L; k++) acc[k] = x[xo + i + k] > acc[k] ? x[xo + i + k] : acc[k];
            }
            for (; i <= n - L; i += L) {
                for (int j = 0; j < L; j++) acc[j] = x[xo + i + j] > acc[j] ? x[xo + i + j] : acc[j];
            }
            for (int k = 1; k < q; k++) {
                for (int j = 0; j < L; j++) acc[j] = acc[k * L + j] > acc[j] ? acc[k * L + j] : acc[j];
            }
            max = acc[0];
            for (int j = 1; j < L; j++) max = acc[j] > max ? acc[j] : max;
        }
        for (; i < n; i++) max = x[xo + i] > max ? x[xo + i] : max;
        return max;
    }

    /*
     * GELU and its derivative, one loop body each, in float32 throughout. With a = min(|x|, 14.5),
     *   Phi(-a) = exp(-a^2/2) N(a) / D(a),
     * N/D a rational fit of Phi(-a) exp(a^2/2) = erfcx(a / sqrt 2) / 2 (degrees 4 and 5, all coefficients positive,
     * so the sums never cancel). GELU(x) = x Phi(x) = x H(x) - a Phi(-a), H the step (0 for x < 0): the negative
     * tail, x times a tiny Phi, keeps its relative accuracy, and the positive side is x minus a small correction.
     * GELU'(x) = Phi(x) + x phi(x) with Phi(x) = Phi(-a) or 1 - Phi(-a) and phi(x) = exp(-a^2/2) / sqrt(2 pi).
     * One exponential and one rational per element, about 32 vector operations.
     *
     * exp(-a^2/2) = 2^k e^(-s/2): k = round(-a^2/2 / ln 2) from the rounded square, s = a^2 + 2k ln2hi + 2k ln2lo
     * with a^2 + 2k ln2hi in one fma (the exact square; 2k ln2hi is exact, ln2hi having 15 significant bits and k 8),
     * so the argument's rounding costs 3e-8 of the result even at a^2/2 = 105, where a rounded square would cost 100
     * ulps.
     * e^(-s/2) is the degree-6 minimax polynomial of e^r below with r = -s/2 folded into its coefficients (exact
     * powers of two), in Estrin's form, scaled by -2^-64. 2^k is added to the exponent field of the quotient, which
     * carries a factor 2^64 (folded into D's coefficients), so that every intermediate is a normal float down to
     * a = 14.5 (k = -152); the last fma multiplies the two and adds x H(x) with one rounding, even where the result is
     * below the smallest normal float.
     *
     * The fit (float64, with scipy's erfcx as the reference; engine-cpu/scripts/fit_gelu.py): Loeb's linearised least
     * squares with Lawson's minimax weights on 40,000 points of [0, 14.5] for N/D (5.9e-9 relative); D rounded to
     * float32, N refitted with D fixed (60,000 points): 1.5e-8 relative with the float32 coefficients below (a quarter
     * of a float32 ulp). Beyond a = 14.5 GELU is -0 or x in float32 and exp(-a^2/2) is below 2^-151.
     *
     * Both loops are single passes with only Vector API calls in their bodies (no helper returning a vector, whose
     * inlining C2 decides by compile order), and few constants: with 16 vector registers, every one more is a spill.
     * The scalar loop below each is its twin, operation for operation.
     */
    private static final float GELU_ABS_CLAMP = 14.5f;
    /** |x| clamped at 14.5 as ints (ordered as the floats they are; NaN, 0x7fc00000, clamps too). */
    private static final int GELU_CLAMP_BITS = Float.floatToRawIntBits(GELU_ABS_CLAMP);
    /** N(a) = GN0 + GN1 a + ... + GN4 a^4, D(a) = 1 + GD1 a + ... + GD5 a^5: Phi(-a) exp(a^2/2) to 1.5e-8 relative. */
    private static final float GN0 = 0.5f, GN1 = 0.4382939f, GN2 = 0.18323417f, GN3 = 0.04063285f, GN4 = 0.0041162367f;
    private static final float GD1 = 1.6744728f, GD2 = 1.2024995f, GD3 = 0.46946806f, GD4 = 0.10185789f,
            GD5 = 0.010317756f;
    /**
     * 2N = 1 + a (N1 + ... + N4 a^3): the forward's numerator is a 2N = a + a^2 (N1 + ...), the derivative's 2N.
     * D' = 2^-63 D: the 2^64 carried through the product (and the 2 of 2N). All are exact rescalings.
     */
    private static final float N1 = 2 * GN1, N2 = 2 * GN2, N3 = 2 * GN3, N4 = 2 * GN4;
    private static final float D0 = 0x1p-63f, D1 = 0x1p-63f * GD1, D2 = 0x1p-63f * GD2, D3 = 0x1p-63f * GD3,
            D4 = 0x1p-63f * GD4, D5 = 0x1p-63f * GD5;
    /**
     * e^r = 1 + r + r^2 (Q2 + r (Q3 + ...)), a minimax fit on [-ln2/2, ln2/2], 3e-9 relative before rounding, as
     * -2^-64 e^(-s/2) = -2^-64 + 2^-65 s + s^2 (GP2 + s (GP3 + ...)) with GPi = -2^-64 Qi (-1/2)^i: the last fma's
     * factor 2^-64, which undoes the product's 2^64, and its sign, folded into the coefficients.
     */
    private static final float GP2 = -0x1p-64f * 4.999999404e-01f / 4, GP3 = 0x1p-64f * 1.666652113e-01f / 8,
            GP4 = -0x1p-64f * 4.166838899e-02f / 16, GP5 = 0x1p-64f * 8.368745446e-03f / 32,
            GP6 = -0x1p-64f * 1.381453942e-03f / 64;
    private static final float MINUS_HALF_LOG2E = -0.5f * LOG2E;
    private static final float TWO_LN2_HI = 2 * LN2_HI, TWO_LN2_LO = 2 * LN2_LO;
    /** 2^64 / sqrt(2 pi), for the derivative's x phi(x) 2^64. */
    private static final float INV_SQRT_2PI_2_TO_64 = 0x1p64f * 0.39894228f;

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(S, v);
    }

    /** GELU's constants as vectors, in a holder like {@link Species}, so that the scalar twins never create them. */
    static final class GeluVectors {
        private GeluVectors() {
        }

        static final IntVector V_CLAMP_BITS = IntVector.broadcast(I, GELU_CLAMP_BITS), V_INT_ZERO = IntVector.zero(I);
        static final FloatVector V_ZERO = bc(0f), V_ONE = bc(1f),
                V_MINUS_HALF_LOG2E = bc(MINUS_HALF_LOG2E), V_ROUNDER = bc(ROUNDER), V_TWO_LN2_HI = bc(TWO_LN2_HI),
                V_TWO_LN2_LO = bc(TWO_LN2_LO), V_P2 = bc(GP2), V_P3 = bc(GP3), V_P4 = bc(GP4), V_P5 = bc(GP5),
                V_P6 = bc(GP6),
                V_N1 = bc(N1), V_N2 = bc(N2), V_N3 = bc(N3), V_N4 = bc(N4), V_D0 = bc(D0), V_D1 = bc(D1), V_D2 = bc(D2),
                V_D3 = bc(D3), V_D4 = bc(D4), V_D5 = bc(D5), V_MINUS_D0 = bc(-D0), V_MINUS_D1 = bc(-D1),
                V_MINUS_D2 = bc(-D2), V_MINUS_D3 = bc(-D3), V_MINUS_D4 = bc(-D4), V_MINUS_D5 = bc(-D5),
                V_INV_SQRT_2PI_2_TO_64 = bc(INV_SQRT_2PI_2_TO_64), V_TWO_TO_MINUS_65 = bc(0x1p-65f),
                V_MINUS_TWO_TO_MINUS_64 = bc(-0x1p-64f);
    }

    /**
     * o = x Phi(x) = x H(x) - a Phi(-a), a = min(|x|, 14.5). x H(x) = x - min(x, 0), the min taken on the bits as
     * ints (x for negative floats, +0 otherwise): 0 for x &lt; 0, x for x &gt;= 0, and NaN at -inf (inf - inf) and
     * NaN, as the declaration's x Phi(x) = -inf * 0.
     */
    @Override
    public int gelu(float[] o, int oo, float[] x, int xo, int n) {
        int vectorEnd = lanes ? n - n % L : 0;
        for (int i = 0; i < vectorEnd; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + i);
            FloatVector a = xv.abs().reinterpretAsInts().min(V_CLAMP_BITS).reinterpretAsFloats();
            FloatVector a2 = a.mul(a);
            FloatVector rounded = a2.fma(V_MINUS_HALF_LOG2E, V_ROUNDER);
            FloatVector kf = rounded.sub(V_ROUNDER);
            FloatVector s = a.fma(a, kf.mul(V_TWO_LN2_HI));
            s = kf.fma(V_TWO_LN2_LO, s);
            FloatVector s2 = s.mul(s);
            FloatVector q = s2.fma(V_P6, s.fma(V_P5, V_P4));
            q = s2.fma(q, s.fma(V_P3, V_P2));
            q = s2.fma(q, s.fma(V_TWO_TO_MINUS_65, V_MINUS_TWO_TO_MINUS_64));
            FloatVector num = a2.fma(a.fma(V_N4, V_N3), a.fma(V_N2, V_N1));
            num = a2.fma(num, a);
            FloatVector den = a2.fma(a.fma(V_D5, V_D4), a.fma(V_D3, V_D2));
            den = a2.fma(den, a.fma(V_D1, V_D0));
            IntVector k23 = rounded.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
            FloatVector y = num.div(den).reinterpretAsInts().add(k23).reinterpretAsFloats();
            FloatVector xh = xv.sub(xv.reinterpretAsInts().min(V_INT_ZERO).reinterpretAsFloats());
            y.fma(q, xh).intoArray(o, oo + i);
        }
        for (int i = vectorEnd; i < n; i++) {
            float xi = x[xo + i];
            int xb = Float.floatToRawIntBits(xi);
            float a = Float.intBitsToFloat(Math.min(xb & 0x7fffffff, GELU_CLAMP_BITS));
            float a2 = a * a;
            float rounded = Math.fma(a2, MINUS_HALF_LOG2E, ROUNDER);
            float kf = rounded - ROUNDER;
            float s = Math.fma(a, a, kf * TWO_LN2_HI);
            s = Math.fma(kf, TWO_LN2_LO, s);
            float s2 = s * s;
            float q = Math.fma(s2, GP6, Math.fma(s, GP5, GP4));
            q = Math.fma(s2, q, Math.fma(s, GP3, GP2));
            q = Math.fma(s2, q, Math.fma(s, 0x1p-65f, -0x1p-64f));
            float num = Math.fma(a2, Math.fma(a, N4, N3), Math.fma(a, N2, N1));
            num = Math.fma(a2, num, a);
            float den = Math.fma(a2, Math.fma(a, D5, D4), Math.fma(a, D3, D2));
            den = Math.fma(a2, den, Math.fma(a, D1, D0));
            int k23 = Float.floatToRawIntBits(rounded) << 23;
            float y = Float.intBitsToFloat(Float.floatToRawIntBits(num / den) + k23);
            float xh = xi - Float.intBitsToFloat(Math.min(xb, 0));
            o[oo + i] = Math.fma(y, q, xh);
        }
        return n;
    }

    @Override
    public int geluGrad(float[] o, int oo, float[] x, int xo, int n) {
        return geluDerivative(o, oo, null, 0, x, xo, n);
    }

    @Override
    public int geluBackward(float[] o, int oo, float[] g, int go, float[] x, int xo, int n) {
        return geluDerivative(o, oo, g, go, x, xo, n);
    }

    /**
     * GELU'(x) = Phi(x) + x phi(x), times g[go + i] unless g is null: exp(-a^2/2) and N/D as in {@link #gelu}, with
     * t = (a / sqrt(2 pi) - N/D) 2^(64 + k) (one fma, the quotient negated through D's coefficients) and
     * T = t 2^-64 e^(-s/2) = (a / sqrt(2 pi) - N/D) exp(-a^2/2), GELU'(x) = 1 + T for x &gt;= 0 and -T for x &lt; 0,
     * rounded once by the last fma even where the derivative is below the smallest normal float. t crosses 0 near
     * a = 0.75, where k = 0 and the exponent field is left as it is. The 1 or 0 added is x * 0 (+ 1): NaN at the
     * infinities, as the declaration's inf * 0.
     */
    private int geluDerivative(float[] o, int oo, float[] g, int go, float[] x, int xo, int n) {
        int vectorEnd = lanes ? n - n % L : 0;
        for (int i = 0; i < vectorEnd; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + i);
            FloatVector a = xv.abs().reinterpretAsInts().min(V_CLAMP_BITS).reinterpretAsFloats();
            FloatVector a2 = a.mul(a);
            FloatVector rounded = a2.fma(V_MINUS_HALF_LOG2E, V_ROUNDER);
            FloatVector kf = rounded.sub(V_ROUNDER);
            FloatVector s = a.fma(a, kf.mul(V_TWO_LN2_HI));
            s = kf.fma(V_TWO_LN2_LO, s);
            FloatVector s2 = s.mul(s);
            FloatVector q = s2.fma(V_P6, s.fma(V_P5, V_P4));
            q = s2.fma(q, s.fma(V_P3, V_P2));
            q = s2.fma(q, s.fma(V_TWO_TO_MINUS_65, V_MINUS_TWO_TO_MINUS_64));
            FloatVector num = a2.fma(a.fma(V_N4, V_N3), a.fma(V_N2, V_N1));
            num = a.fma(num, V_ONE);
            FloatVector minusDen = a2.fma(a.fma(V_MINUS_D5, V_MINUS_D4), a.fma(V_MINUS_D3, V_MINUS_D2));
            minusDen = a2.fma(minusDen, a.fma(V_MINUS_D1, V_MINUS_D0));
            IntVector k23 = rounded.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
            FloatVector t = a.fma(V_INV_SQRT_2PI_2_TO_64, num.div(minusDen)).reinterpretAsInts().add(k23)
                    .reinterpretAsFloats();
            VectorMask<Float> pos = xv.compare(VectorOperators.GE, V_ZERO);
            FloatVector z = xv.mul(V_ZERO);
            FloatVector d = t.blend(t.neg(), pos).fma(q, z.blend(z.add(V_ONE), pos));
            if (g != null) d = d.mul(FloatVector.fromArray(S, g, go + i));
            d.intoArray(o, oo + i);
        }
        for (int i = vectorEnd; i < n; i++) {
            float xi = x[xo + i];
            float a = Float.intBitsToFloat(Math.min(Float.floatToRawIntBits(xi) & 0x7fffffff, GELU_CLAMP_BITS));
            float a2 = a * a;
            float rounded = Math.fma(a2, MINUS_HALF_LOG2E, ROUNDER);
            float kf = rounded - ROUNDER;
            float s = Math.fma(a, a, kf * TWO_LN2_HI);
            s = Math.fma(kf, TWO_LN2_LO, s);
            float s2 = s * s;
            float q = Math.fma(s2, GP6, Math.fma(s, GP5, GP4));
            q = Math.fma(s2, q, Math.fma(s, GP3, GP2));
            q = Math.fma(s2, q, Math.fma(s, 0x1p-65f, -0x1p-64f));
            float num = Math.fma(a2, Math.fma(a, N4, N3), Math.fma(a, N2, N1));
            num = Math.fma(a, num, 1f);
            float minusDen = Math.fma(a2, Math.fma(a, -D5, -D4), Math.fma(a, -D3, -D2));
            minusDen = Math.fma(a2, minusDen, Math.fma(a, -D1, -D0));
            int k23 = Float.floatToRawIntBits(rounded) << 23;
            float t = Float.intBitsToFloat(
                    Float.floatToRawIntBits(Math.fma(a, INV_SQRT_2PI_2_TO_64, num / minusDen)) + k23);
            float z = xi * 0f;
            float d = xi >= 0f ? Math.fma(-t, q, z + 1f) : Math.fma(t, q, z);
            o[oo + i] = g != null ? d * g[go + i] : d;
        }
        return n;
    }

    // ---- bfloat16 conversions: shifts, an add and a blend on int lanes; shorts of half the vector width ----

    @Override
    public int bfloat16ToFloat(float[] o, int oo, short[] x, int xo, int n) {
        int i = 0;
        for (int end = vectorEnd(n); i <= end; i += L) {
            IntVector v = (IntVector) ShortVector.fromArray(SH, x, xo + i).convertShape(VectorOperators.S2I, I, 0);
            v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(o, oo + i);
        }
        for (; i < n; i++) o[oo + i] = Float.intBitsToFloat(x[xo + i] << 16);
        return n;
    }

    @Override
    public int floatToBfloat16(short[] o, int oo, float[] x, int xo, int n) {
        int i = 0;
        for (int end = vectorEnd(n); i <= end; i += L) {
            IntVector b = FloatVector.fromArray(S, x, xo + i).reinterpretAsInts();
            VectorMask<Integer> nan = b.and(0x7fffffff).compare(VectorOperators.GT, 0x7f800000);
            IntVector hi = b.lanewise(VectorOperators.LSHR, 16);
            IntVector rounded = b.add(0x7fff).add(hi.and(1)).lanewise(VectorOperators.LSHR, 16);
            ((ShortVector) rounded.blend(hi.or(0x40), nan).convertShape(VectorOperators.I2S, SH, 0)).intoArray(o, oo + i);
        }
        for (; i < n; i++) {
            int b = Float.floatToRawIntBits(x[xo + i]);
            int hi = b >>> 16;
            o[oo + i] = (short) ((b & 0x7fffffff) > 0x7f800000 ? hi | 0x40 : (b + 0x7fff + (hi & 1)) >>> 16);
        }
        return n;
    }
}
