package io.jgrad.cpu;

import io.jgrad.spi.BinaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static io.jgrad.cpu.VectorFloatSimd.GeluVectors.*;
import static io.jgrad.cpu.VectorFloatSimd.Species.D;
import static io.jgrad.cpu.VectorFloatSimd.Species.H;
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
    /** Float64 lanes of the same shape: the length of {@link Species#D}. */
    private static final int DL = L / 2;

    /**
     * The species, in a holder that the first vector loop initialises. Creating them initialises some 70 classes of
     * the Vector API, about 0.1 s of a cold JVM's start, which a short run on the scalar twins never needs: so the
     * twins touch only {@link #L}, and nothing that is initialised here.
     */
    static final class Species {
        private Species() {
        }

        static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        /** Float64 lanes: a float vector of L lanes widens into two of these. */
        static final VectorSpecies<Double> D = VectorSpecies.of(double.class, S.vectorShape());
        /**
         * Floats of half the vector width, one per double lane: loading these and widening them is one instruction
         * (vcvtps2pd from memory), where widening the two halves of a full float vector also needs a lane extract: a
         * float64 row sum runs ~1.3x faster this way.
         */
        static final VectorSpecies<Float> H = VectorSpecies.of(float.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
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
     * lanes' operations element by element, so the twin gives the very same bits as the vector code (sum emulates the
     * lanes' partial sums). {@link GatedFloatSimd} runs the twin while the vector code would still be interpreted.
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

    private static DoubleVector widen(float[] x, int i) {
        return (DoubleVector) FloatVector.fromArray(H, x, i).convertShape(VectorOperators.F2D, D, 0);
    }

    /**
     * Row by row into float64 accumulators: each row's floats widened (two half-width loads, vcvtps2pd from memory)
     * and added to acc[j], which stays in L1, so every load of x is sequential. (Strips of 32 columns down all the
     * rows kept the sums in registers but read x with a page-sized stride, which the prefetchers do not follow:
     * 5x PyTorch's time on a 1000 x 1000 column sum.) Each column still adds its rows in order, from row 0 itself
     * (0.0 + -0.0 would turn a column of -0.0 into +0.0), so the bits are the scalar loop's.
     */
    @Override
    public void columnSums(float[] x, int src, int rows, int rowStride, int width, float[] out, int dst,
                           double[] acc) {
        int vec = lanes ? width - width % L : 0;
        if (vec > 0) {
            for (int j = 0; j < vec; j += DL) widen(x, src + j).intoArray(acc, j);
            int r = 1;
            // four rows per trip through the accumulators: a quarter of their loads and stores, the same adds in order
            for (; r + 3 < rows; r += 4) {
                int row = src + r * rowStride, s = rowStride;
                for (int j = 0; j < vec; j += DL) {
                    DoubleVector.fromArray(D, acc, j).add(widen(x, row + j)).add(widen(x, row + s + j))
                            .add(widen(x, row + 2 * s + j)).add(widen(x, row + 3 * s + j)).intoArray(acc, j);
                }
            }
            for (; r < rows; r++) {
                int row = src + r * rowStride;
                for (int j = 0; j < vec; j += DL) DoubleVector.fromArray(D, acc, j).add(widen(x, row + j)).intoArray(acc, j);
            }
            for (int j = 0; j < vec; j++) out[dst + j] = (float) acc[j];
        }
        for (int j = vec; j < width; j++) {
            double sum = x[src + j];
            for (int r = 1, at = src + j + rowStride; r < rows; r++, at += rowStride) sum += x[at];
            out[dst + j] = (float) sum;
        }
    }

    @Override
    public double sum(float[] x, int off, int len) {
        int i = 0;
        double total = 0;
        if (!lanes) return sumTwin(x, off, len);
        if (len >= 2 * L) {
            DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
            for (; i + 2 * L <= len; i += 2 * L) {
                a0 = a0.add(widen(x, off + i));
                a1 = a1.add(widen(x, off + i + DL));
                a2 = a2.add(widen(x, off + i + 2 * DL));
                a3 = a3.add(widen(x, off + i + 3 * DL));
            }
            double[] t = new double[2 * DL];
            a0.add(a1).intoArray(t, 0);
            a2.add(a3).intoArray(t, DL);
            for (double d : t) total += d; // in index order: a fixed order, unlike reduceLanes
        }
        for (; i < len; i++) total += x[off + i];
        return total;
    }

    /** {@link #sum} lane by lane: the four accumulators' DL lanes as one array, combined in the same order. */
    private static double sumTwin(float[] x, int off, int len) {
        int i = 0;
        double total = 0;
        if (len >= 2 * L) {
            double[] a = new double[4 * DL]; // a[q * DL + j]: lane j of accumulator q
            for (; i + 2 * L <= len; i += 2 * L) {
                for (int q = 0; q < 4 * DL; q++) a[q] += x[off + i + q];
            }
            for (int j = 0; j < DL; j++) total += a[j] + a[DL + j];          // a0.add(a1), lanes in index order
            for (int j = 0; j < DL; j++) total += a[2 * DL + j] + a[3 * DL + j]; // then a2.add(a3)
        }
        for (; i < len; i++) total += x[off + i];
        return total;
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

    // erfc(z) = t exp(-z^2 + P(t)), t = 1/(1 + z/2), with FloatMath's coefficients (Numerical Recipes' erfcc)
    private static final float E0 = -1.26551223f, E1 = 1.00002368f, E2 = 0.37409196f, E3 = 0.09678418f,
            E4 = -0.18628806f, E5 = 0.27886807f, E6 = -1.13520398f, E7 = 1.48851587f, E8 = -0.82215223f,
            E9 = 0.17087277f;
    private static final float INV_SQRT_2 = 0.70710678f;
    private static final float INV_SQRT_2PI = 0.39894228f;
    /** Beyond it GELU is x or 0 in float32; clamping keeps x*x finite, so its exact split below has no NaN. */
    private static final float GELU_CLAMP = 20f;

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(S, v);
    }

    /*
     * GELU runs in two passes over blocks of GELU_BLOCK elements, through scratch arrays that stay in L1: the erfc
     * polynomial (geluPolyPass), then Phi(-|x|) with one exponential of a two-part argument and the result
     * (geluResultPass); its derivative, which needs exp(-x^2/2) on its own too, in four: the polynomial, exp(-hi/2),
     * exp(P - lo/2), the result.
     * With more than one expVector, or an
     * expVector and a dozen other operations, in one loop body, C2 stops inlining the Vector API's methods
     * (NodeCountInliningCutoff), boxes the vectors and runs the loop many times slower (JFR showed broadcastBits and
     * the lanewise templates, the library's Java fallback, at the top). The passes do the very same float operations
     * as one loop would, in the same order, so the scalar loop below each method is their twin.
     */

    /**
     * The erfc fit's coefficients and GELU's constants as vectors: fewer broadcasts for C2 to inline per pass. In a
     * holder, like {@link Species}, so that the scalar twins never create them.
     */
    static final class GeluVectors {
        private GeluVectors() {
        }

        static final FloatVector V_E0 = bc(E0), V_E1 = bc(E1), V_E2 = bc(E2), V_E3 = bc(E3), V_E4 = bc(E4),
                V_E5 = bc(E5), V_E6 = bc(E6), V_E7 = bc(E7), V_E8 = bc(E8), V_E9 = bc(E9), V_ONE = bc(1f), V_HALF = bc(0.5f),
                V_MINUS_HALF = bc(-0.5f), V_INV_SQRT_2 = bc(INV_SQRT_2), V_CLAMP = bc(GELU_CLAMP), V_MINUS_CLAMP = bc(-GELU_CLAMP),
                V_INV_SQRT_2PI = bc(INV_SQRT_2PI);
        static final FloatVector V_C = bc(GELU_ABS_CLAMP), V_HALF_INV_SQRT_2 = bc(HALF_INV_SQRT_2), V_LOG2E = bc(LOG2E),
                V_ROUNDER = bc(ROUNDER), V_MINUS_LN2_HI = bc(-LN2_HI), V_MINUS_LN2_LO = bc(-LN2_LO), V_Q2 = bc(Q2),
                V_Q3 = bc(Q3), V_Q4 = bc(Q4), V_Q5 = bc(Q5), V_Q6 = bc(Q6), V_TWO_TO_MINUS_64 = bc(0x1p-64f);
    }

    /*
     * GELU's forward, x Phi(x) with Phi(-|x|) = erfc(z) / 2, z = |x| / sqrt 2, in float32 throughout:
     * erfc(z) / 2 = t exp(-z^2 + P(t)) / 2, t = 1 / (1 + z/2), P the erfc fit above. z^2 = (hi + lo) / 2 exactly (an
     * fma gives lo), and the exponential reduces the big part -hi/2 exactly: k = round((-hi/2 + b) / ln 2) and
     * r = (-hi/2 - k ln 2) + b with b = P(t) - lo/2, so the far tail keeps its relative accuracy. e^r is a degree-6
     * minimax polynomial (3e-9 relative on [-ln2/2, ln2/2]); 2^k is one power of two built with the exponent raised
     * by 64 (and lowered by one, for the halving), undone by a last exact multiply, so that a Phi(-|x|) below the
     * smallest normal float is rounded once, and no clamp of the argument is needed: |x| is clamped at 14.5, where
     * GELU is -0 or x in float32. Phi(x) is then Phi(-|x|) for x < 0 and 1 - Phi(-|x|) otherwise.
     */
    private static final float GELU_ABS_CLAMP = 14.5f;
    private static final float HALF_INV_SQRT_2 = 0.35355339f;
    /** e^r = 1 + r + r^2 (Q2 + r (Q3 + ...)): a minimax fit on [-ln2/2, ln2/2], 3e-9 relative before rounding. */
    private static final float Q2 = 4.999999404e-01f, Q3 = 1.666652113e-01f, Q4 = 4.166838899e-02f, Q5 = 8.368745446e-03f,
            Q6 = 1.381453942e-03f;
    /** Subtracted from the bits of round((a + b) / ln 2) + ROUNDER: leaves the exponent field of 2^(k + 64 - 1). */
    private static final int GELU_SCALE_BIAS = Float.floatToRawIntBits(ROUNDER) - 127 - 64 + 1;

    /** t = 1 / (1 + |x| / sqrt 8), rest = P(t) - lo / 2, half = -hi / 2 (hi + lo = x^2 exactly), |x| clamped at 14.5. */
    private static void geluForwardPolyPass(float[] x, int xo, int len, float[] t, float[] rest, float[] half) {
        for (int i = 0; i < len; i += L) {
            FloatVector a = FloatVector.fromArray(S, x, xo + i).abs().min(V_C);
            FloatVector tv = V_ONE.div(a.fma(V_HALF_INV_SQRT_2, V_ONE));
            FloatVector p = tv.fma(V_E9, V_E8);
            p = p.fma(tv, V_E7);
            p = p.fma(tv, V_E6);
            p = p.fma(tv, V_E5);
            p = p.fma(tv, V_E4);
            p = p.fma(tv, V_E3);
            p = p.fma(tv, V_E2);
            p = p.fma(tv, V_E1);
            p = p.fma(tv, V_E0);
            FloatVector hi = a.mul(a);
            FloatVector lo = a.fma(a, hi.neg());
            tv.intoArray(t, i);
            lo.fma(V_MINUS_HALF, p).intoArray(rest, i);
            hi.mul(V_MINUS_HALF).intoArray(half, i);
        }
    }

    /** o = x Phi(x), with Phi(-|x|) = t exp(half + rest) / 2. */
    private static void geluResultPass(float[] x, int xo, int len, float[] t, float[] rest, float[] half, float[] o, int oo) {
        for (int i = 0; i < len; i += L) {
            FloatVector a = FloatVector.fromArray(S, half, i), b = FloatVector.fromArray(S, rest, i);
            FloatVector rounded = a.add(b).fma(V_LOG2E, V_ROUNDER);
            FloatVector kf = rounded.sub(V_ROUNDER);
            IntVector scaleBits = rounded.reinterpretAsInts().sub(GELU_SCALE_BIAS).lanewise(VectorOperators.LSHL, 23);
            FloatVector r = kf.fma(V_MINUS_LN2_HI, a);
            r = kf.fma(V_MINUS_LN2_LO, r).add(b);
            FloatVector q = r.fma(V_Q6, V_Q5);
            q = q.fma(r, V_Q4);
            q = q.fma(r, V_Q3);
            q = q.fma(r, V_Q2);
            q = q.fma(r, V_ONE);
            q = q.fma(r, V_ONE);
            FloatVector e = q.mul(scaleBits.reinterpretAsFloats()).mul(FloatVector.fromArray(S, t, i)).mul(V_TWO_TO_MINUS_64);
            FloatVector xv = FloatVector.fromArray(S, x, xo + i);
            xv.mul(e.blend(V_ONE.sub(e), xv.compare(VectorOperators.GE, 0f))).intoArray(o, oo + i);
        }
    }

    /** t = 1 / (1 + |x| / sqrt(8)), rest = P(t) - lo / 2, half = -hi / 2 (hi + lo = x^2 exactly). */
    private static void geluPolyPass(float[] x, int xo, int len, float[] t, float[] rest, float[] half) {
        for (int i = 0; i < len; i += L) {
            FloatVector xs = FloatVector.fromArray(S, x, xo + i).max(V_MINUS_CLAMP).min(V_CLAMP);
            FloatVector tv = V_ONE.div(xs.abs().mul(V_INV_SQRT_2).fma(V_HALF, V_ONE));
            FloatVector p = tv.fma(V_E9, V_E8);
            p = p.fma(tv, V_E7);
            p = p.fma(tv, V_E6);
            p = p.fma(tv, V_E5);
            p = p.fma(tv, V_E4);
            p = p.fma(tv, V_E3);
            p = p.fma(tv, V_E2);
            p = p.fma(tv, V_E1);
            p = p.fma(tv, V_E0);
            // z^2 = x^2 / 2 = (hi + lo) / 2 exactly: exp(-hi/2) takes the big part unrounded, exp(P - lo/2) the rest
            FloatVector hi = xs.mul(xs);
            FloatVector lo = xs.fma(xs, hi.neg());
            tv.intoArray(t, i);
            lo.fma(V_MINUS_HALF, p).intoArray(rest, i);
            hi.mul(V_MINUS_HALF).intoArray(half, i);
        }
    }

    /** e = erfc(|x| / sqrt 2) = first * exp(rest), in place of rest (the derivative's path). */
    private static void geluErfcPass(int len, float[] first, float[] rest) {
        for (int i = 0; i < len; i += L) {
            FloatVector.fromArray(S, first, i).mul(expVector(FloatVector.fromArray(S, rest, i))).intoArray(rest, i);
        }
    }

    /** gauss = exp(half) in place of half, and first = t * gauss in place of t (the derivative's path). */
    private static void geluGaussPass(int len, float[] t, float[] half) {
        for (int i = 0; i < len; i += L) {
            FloatVector a = expVector(FloatVector.fromArray(S, half, i));
            a.intoArray(half, i);
            FloatVector.fromArray(S, t, i).mul(a).intoArray(t, i);
        }
    }

    /** Elements per block of the GELU passes: their three scratch arrays stay in L1. */
    private static final int GELU_BLOCK = 512;

    /**
     * Each thread's three scratch blocks for the GELU passes: kernels called row by row (bias + GELU on rows of 256)
     * would otherwise allocate and zero 3 KB per call, about a tenth of the work.
     */
    private static final ThreadLocal<float[][]> GELU_SCRATCH =
            ThreadLocal.withInitial(() -> new float[][]{new float[GELU_BLOCK], new float[GELU_BLOCK], new float[GELU_BLOCK]});

    @Override
    public int gelu(float[] o, int oo, float[] x, int xo, int n) {
        int vectorEnd = lanes ? n - n % L : 0;
        float[][] scratch = vectorEnd > 0 ? GELU_SCRATCH.get() : null;
        float[] t = vectorEnd > 0 ? scratch[0] : null, rest = vectorEnd > 0 ? scratch[1] : null;
        float[] half = vectorEnd > 0 ? scratch[2] : null;
        for (int b = 0; b < vectorEnd; b += GELU_BLOCK) {
            int len = Math.min(GELU_BLOCK, vectorEnd - b);
            geluForwardPolyPass(x, xo + b, len, t, rest, half);
            geluResultPass(x, xo + b, len, t, rest, half, o, oo + b);
        }
        for (int i = vectorEnd; i < n; i++) {
            float xi = x[xo + i];
            float a = Math.min(Math.abs(xi), GELU_ABS_CLAMP);
            float ti = 1f / Math.fma(a, HALF_INV_SQRT_2, 1f);
            float p = erfcPolynomial(ti);
            float hi = a * a;
            float lo = Math.fma(a, a, -hi);
            float bi = Math.fma(lo, -0.5f, p), ai = hi * -0.5f;
            float rounded = Math.fma(ai + bi, LOG2E, ROUNDER);
            float kf = rounded - ROUNDER;
            float scale = Float.intBitsToFloat((Float.floatToRawIntBits(rounded) - GELU_SCALE_BIAS) << 23);
            float r = Math.fma(kf, -LN2_HI, ai);
            r = Math.fma(kf, -LN2_LO, r) + bi;
            float q = Math.fma(r, Q6, Q5);
            q = Math.fma(q, r, Q4);
            q = Math.fma(q, r, Q3);
            q = Math.fma(q, r, Q2);
            q = Math.fma(q, r, 1f);
            q = Math.fma(q, r, 1f);
            float e = q * scale * ti * 0x1p-64f;
            o[oo + i] = xi * (xi >= 0f ? 1f - e : e);
        }
        return n;
    }

    /** P(t) of the erfc fit, Horner's scheme with fma, as the vector passes. */
    private static float erfcPolynomial(float t) {
        float p = Math.fma(t, E9, E8);
        p = Math.fma(p, t, E7);
        p = Math.fma(p, t, E6);
        p = Math.fma(p, t, E5);
        p = Math.fma(p, t, E4);
        p = Math.fma(p, t, E3);
        p = Math.fma(p, t, E2);
        p = Math.fma(p, t, E1);
        return Math.fma(p, t, E0);
    }


    /**
     * o = (g *) GELU'(x) = Phi(x) + x phi(x): Phi from erfc as in {@link #geluResultPass}, and sqrt(2 pi) phi(x) =
     * exp(-hi/2) exp(-lo/2) = gauss (1 - lo/2), |lo/2| being below half a float ulp of hi/2. x itself, not clamped,
     * multiplies the density: inf * 0 is NaN at the infinities, as in the declaration.
     */
    private static void geluGradLastPass(float[] x, int xo, int len, float[] erfc, float[] gauss,
                                         float[] g, int go, float[] o, int oo) {
        for (int i = 0; i < len; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + i);
            FloatVector xs = xv.max(V_MINUS_CLAMP).min(V_CLAMP);
            FloatVector lo = xs.fma(xs, xs.mul(xs).neg());
            FloatVector e = FloatVector.fromArray(S, erfc, i);
            FloatVector cdf = e.mul(V_HALF).blend(e.fma(V_MINUS_HALF, V_ONE), xv.lt(0f).not());
            FloatVector density = lo.fma(V_MINUS_HALF, V_ONE).mul(FloatVector.fromArray(S, gauss, i)).mul(V_INV_SQRT_2PI);
            FloatVector d = xv.fma(density, cdf);
            if (g != null) d = d.mul(FloatVector.fromArray(S, g, go + i));
            d.intoArray(o, oo + i);
        }
    }

    @Override
    public int geluGrad(float[] o, int oo, float[] x, int xo, int n) {
        return geluDerivative(o, oo, null, 0, x, xo, n);
    }

    @Override
    public int geluBackward(float[] o, int oo, float[] g, int go, float[] x, int xo, int n) {
        return geluDerivative(o, oo, g, go, x, xo, n);
    }

    /** GELU'(x), times g[go + i] unless g is null, in the three passes of {@link #gelu}. */
    private int geluDerivative(float[] o, int oo, float[] g, int go, float[] x, int xo, int n) {
        int vectorEnd = lanes ? n - n % L : 0;
        float[][] scratch = vectorEnd > 0 ? GELU_SCRATCH.get() : null;
        float[] t = vectorEnd > 0 ? scratch[0] : null, rest = vectorEnd > 0 ? scratch[1] : null;
        float[] half = vectorEnd > 0 ? scratch[2] : null;
        for (int b = 0; b < vectorEnd; b += GELU_BLOCK) {
            int len = Math.min(GELU_BLOCK, vectorEnd - b);
            geluPolyPass(x, xo + b, len, t, rest, half);
            geluGaussPass(len, t, half);
            geluErfcPass(len, t, rest);
            geluGradLastPass(x, xo + b, len, rest, half, g, go + b, o, oo + b);
        }
        for (int i = vectorEnd; i < n; i++) {
            float xi = x[xo + i];
            float xs = Math.min(Math.max(xi, -GELU_CLAMP), GELU_CLAMP);
            float ti = 1f / Math.fma(Math.abs(xs) * INV_SQRT_2, 0.5f, 1f);
            float p = erfcPolynomial(ti);
            float hi = xs * xs;
            float lo = Math.fma(xs, xs, -hi);
            float a = expScalar(hi * -0.5f);
            float e = ti * a * expScalar(Math.fma(lo, -0.5f, p));
            float cdf = xi < 0f ? e * 0.5f : Math.fma(e, -0.5f, 1f);
            float density = Math.fma(lo, -0.5f, 1f) * a * INV_SQRT_2PI;
            float d = Math.fma(xi, density, cdf);
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
