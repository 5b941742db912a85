package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.spi.BinaryOp;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorFloatSimd} runs short runs on its scalar loop and long ones on vectors ({@code MIN_VECTOR_RUN}); the two
 * must give the same bits, or results would depend on how a tensor is cut into runs. Each element-wise method computes
 * a long run in one call (vector loop plus tail) and again in short pieces (scalar loop only), and the outputs must be
 * bit-identical.
 */
class VectorRunLengthTest {
    private interface Kernel {
        void run(FloatSimd s, float[] o, int oo, float[] x, int xo, float[] y, int yo, int n);
    }

    private static FloatSimd vector() {
        Assumptions.assumeTrue(FloatSimd.INSTANCE instanceof VectorFloatSimd, "the JVM runs without jdk.incubator.vector");
        return FloatSimd.INSTANCE;
    }

    private static void check(String name, Kernel k) {
        FloatSimd s = vector();
        int n = 3 * VectorFloatSimd.MIN_VECTOR_RUN + 13;
        Random rnd = new Random(name.hashCode());
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * 4);
            y[i] = i % 7 == 0 ? 0f : (float) (rnd.nextGaussian() * 2);
        }
        x[5] = Float.NaN;
        x[6] = -0f;
        float[] whole = new float[n], pieces = new float[n];
        k.run(s, whole, 0, x, 0, y, 0, n);
        int piece = VectorFloatSimd.MIN_VECTOR_RUN / 3;
        for (int from = 0; from < n; from += piece) k.run(s, pieces, from, x, from, y, from, Math.min(piece, n - from));
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(whole[i]), Float.floatToIntBits(pieces[i]),
                    name + ": vector lane vs scalar loop at " + i + " (x = " + x[i] + ")");
        }
    }

    @Test
    void shortAndLongRunsGiveTheSameBits() {
        check("relu", (s, o, oo, x, xo, y, yo, n) -> s.relu(o, oo, x, xo, n));
        check("exp", (s, o, oo, x, xo, y, yo, n) -> s.exp(o, oo, x, xo, n));
        check("sigmoid", (s, o, oo, x, xo, y, yo, n) -> s.sigmoid(o, oo, x, xo, n));
        check("gelu", (s, o, oo, x, xo, y, yo, n) -> s.gelu(o, oo, x, xo, n));
        check("step", (s, o, oo, x, xo, y, yo, n) -> s.step(o, oo, x, xo, n));
        check("reluGrad", (s, o, oo, x, xo, y, yo, n) -> s.reluGrad(o, oo, x, xo, y, yo, n));
        for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV}) {
            check(op.name(), (s, o, oo, x, xo, y, yo, n) -> s.binary(op, o, oo, x, xo, y, yo, n));
        }
        check("expShiftedSum", (s, o, oo, x, xo, y, yo, n) -> s.expShiftedSum(x, xo, 0.75f, o, oo, n));
        check("adam", (s, o, oo, x, xo, y, yo, n) -> {
            // p = o (a copy of x), g = y; m and v start at fixed values
            float[] m = new float[o.length], v = new float[o.length];
            System.arraycopy(x, xo, o, oo, n);
            for (int i = 0; i < n; i++) {
                m[oo + i] = 0.01f * (oo + i);
                v[oo + i] = 0.02f;
            }
            s.adam(o, oo, y, yo, m, oo, v, oo, n, 0.9, 0.999, 1e-8, 1.0, 1e-3, 0.01, 1.0);
        });
    }

    @Test
    void maxOfShortAndLongRunsAgree() {
        FloatSimd s = vector();
        int n = 2 * VectorFloatSimd.MIN_VECTOR_RUN + 5;
        float[] x = new float[n];
        Random rnd = new Random(3);
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        float want = x[0];
        for (float v : x) want = Math.max(want, v);
        assertEquals(want, s.max(x, 0, n));
        assertEquals(Math.max(x[0], x[1]), s.max(x, 0, 2));
    }
}
