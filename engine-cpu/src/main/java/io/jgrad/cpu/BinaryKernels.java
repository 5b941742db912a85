package io.jgrad.cpu;

import io.jgrad.spi.BinaryOp;

/**
 * Element-wise binary loops over contiguous runs, plus the dtype-converting copy that comparisons with another
 * output dtype and {@code copy} share. float32 add, sub, mul and div are correctly rounded in float, which equals
 * rounding the float64 reference once.
 */
final class BinaryKernels {
    private BinaryKernels() {
    }

    static int cost(BinaryOp op) {
        return op == BinaryOp.POW ? 32 : op == BinaryOp.DIV ? 2 : 1;
    }

    // @template float32 (float64 twin below: engine-cpu/scripts/kernel-twins.sh)
    static void floats(BinaryOp op, float[] o, int oo, float[] x, int xo, float[] y, int yo, int n) {
        // @float32-only begin
        if (separate(o, oo, x, xo, n) && separate(o, oo, y, yo, n)
                && FloatSimd.INSTANCE.binary(op, o, oo, x, xo, y, yo, n) == n) {
            return;
        }
        // @float32-only end
        switch (op) {
            case ADD: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + y[yo + i]; break;
            case SUB: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] - y[yo + i]; break;
            case MUL: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * y[yo + i]; break;
            case DIV: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] / y[yo + i]; break;
            case POW: for (int i = 0; i < n; i++) o[oo + i] = (float) Math.pow(x[xo + i], y[yo + i]); break;
            case MAX: for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], y[yo + i]); break;
            case MIN: for (int i = 0; i < n; i++) o[oo + i] = Math.min(x[xo + i], y[yo + i]); break;
            case EQ: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] == y[yo + i] ? 1f : 0f; break;
            case NE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] != y[yo + i] ? 1f : 0f; break;
            case LT: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] < y[yo + i] ? 1f : 0f; break;
            case LE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] <= y[yo + i] ? 1f : 0f; break;
            case GT: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] > y[yo + i] ? 1f : 0f; break;
            case GE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] >= y[yo + i] ? 1f : 0f; break;
            default: throw new IllegalArgumentException("cpu binary: unknown op " + op);
        }
    }

    // @generated float64 from the template above by KernelTwins: do not edit
    static void doubles(BinaryOp op, double[] o, int oo, double[] x, int xo, double[] y, int yo, int n) {
        switch (op) {
            case ADD: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + y[yo + i]; break;
            case SUB: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] - y[yo + i]; break;
            case MUL: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * y[yo + i]; break;
            case DIV: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] / y[yo + i]; break;
            case POW: for (int i = 0; i < n; i++) o[oo + i] = Math.pow(x[xo + i], y[yo + i]); break;
            case MAX: for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], y[yo + i]); break;
            case MIN: for (int i = 0; i < n; i++) o[oo + i] = Math.min(x[xo + i], y[yo + i]); break;
            case EQ: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] == y[yo + i] ? 1.0 : 0.0; break;
            case NE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] != y[yo + i] ? 1.0 : 0.0; break;
            case LT: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] < y[yo + i] ? 1.0 : 0.0; break;
            case LE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] <= y[yo + i] ? 1.0 : 0.0; break;
            case GT: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] > y[yo + i] ? 1.0 : 0.0; break;
            case GE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] >= y[yo + i] ? 1.0 : 0.0; break;
            default: throw new IllegalArgumentException("cpu binary: unknown op " + op);
        }
    }

    // @end generated

    static void longs(BinaryOp op, long[] o, int oo, long[] x, int xo, long[] y, int yo, int n) {
        switch (op) {
            case ADD: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + y[yo + i]; break;
            case SUB: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] - y[yo + i]; break;
            case MUL: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * y[yo + i]; break;
            case MAX: for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], y[yo + i]); break;
            case MIN: for (int i = 0; i < n; i++) o[oo + i] = Math.min(x[xo + i], y[yo + i]); break;
            case EQ: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] == y[yo + i] ? 1 : 0; break;
            case NE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] != y[yo + i] ? 1 : 0; break;
            case LT: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] < y[yo + i] ? 1 : 0; break;
            case LE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] <= y[yo + i] ? 1 : 0; break;
            case GT: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] > y[yo + i] ? 1 : 0; break;
            case GE: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] >= y[yo + i] ? 1 : 0; break;
            default: throw new IllegalArgumentException("cpu binary: op " + op + " does not support int64");
        }
    }

    /** True when o's run and x's run are in different arrays, or start at the same element, or do not overlap. */
    static boolean separate(float[] o, int oo, float[] x, int xo, int n) {
        return o != x || oo == xo || oo + n <= xo || xo + n <= oo;
    }

    /** Runs op on operands of one array type, writing into an output array of that same type. */
    static void sameType(BinaryOp op, Object o, int oo, Object x, int xo, Object y, int yo, int n) {
        if (x instanceof float[] xf) {
            if (oo != xo || oo != yo || !aligned(op, (float[]) o, xf, (float[]) y, oo, n)) {
                floats(op, (float[]) o, oo, xf, xo, (float[]) y, yo, n);
            }
        } else if (x instanceof double[] xd) {
            if (oo != xo || oo != yo || !aligned(op, (double[]) o, xd, (double[]) y, oo, n)) {
                doubles(op, (double[]) o, oo, xd, xo, (double[]) y, yo, n);
            }
        } else {
            longs(op, (long[]) o, oo, (long[]) x, xo, (long[]) y, yo, n);
        }
    }

    /**
     * The cheapest ops again, for operands that all start at the same offset (fresh buffers do): with one index
     * expression for all three arrays, C2's SuperWord can prove them independent and emit SIMD code, which it
     * cannot with three different offsets. Returns false for ops it does not cover.
     */
    // @template float32 (float64 twin below)
    private static boolean aligned(BinaryOp op, float[] o, float[] x, float[] y, int off, int n) {
        int end = off + n;
        switch (op) {
            case ADD: for (int i = off; i < end; i++) o[i] = x[i] + y[i]; return true;
            case SUB: for (int i = off; i < end; i++) o[i] = x[i] - y[i]; return true;
            case MUL: for (int i = off; i < end; i++) o[i] = x[i] * y[i]; return true;
            case DIV: for (int i = off; i < end; i++) o[i] = x[i] / y[i]; return true;
            case MAX: for (int i = off; i < end; i++) o[i] = Math.max(x[i], y[i]); return true;
            case MIN: for (int i = off; i < end; i++) o[i] = Math.min(x[i], y[i]); return true;
            default: return false;
        }
    }

    // @generated float64 from the template above by KernelTwins: do not edit
    private static boolean aligned(BinaryOp op, double[] o, double[] x, double[] y, int off, int n) {
        int end = off + n;
        switch (op) {
            case ADD: for (int i = off; i < end; i++) o[i] = x[i] + y[i]; return true;
            case SUB: for (int i = off; i < end; i++) o[i] = x[i] - y[i]; return true;
            case MUL: for (int i = off; i < end; i++) o[i] = x[i] * y[i]; return true;
            case DIV: for (int i = off; i < end; i++) o[i] = x[i] / y[i]; return true;
            case MAX: for (int i = off; i < end; i++) o[i] = Math.max(x[i], y[i]); return true;
            case MIN: for (int i = off; i < end; i++) o[i] = Math.min(x[i], y[i]); return true;
            default: return false;
        }
    }

    // @end generated

    /** A comparison whose output dtype differs from the operands': compare into a scratch run, then convert. */
    static void compareConverting(BinaryOp op, Object o, int oo, Object x, int xo, Object y, int yo, int n) {
        Object scratch = Strided.newLike(x, Math.min(n, Strided.BLOCK));
        for (int done = 0; done < n; done += Strided.BLOCK) {
            int len = Math.min(Strided.BLOCK, n - done);
            sameType(op, scratch, 0, x, xo + done, y, yo + done, len);
            convert(o, oo + done, scratch, 0, len);
        }
    }

    /** dst = src element-wise with a cast between any two of float[], double[] and long[] (Java cast rules). */
    static void convert(Object dst, int d, Object src, int s, int n) {
        if (dst instanceof float[] df) {
            if (src instanceof float[] sf) System.arraycopy(sf, s, df, d, n);
            else if (src instanceof double[] sd) for (int i = 0; i < n; i++) df[d + i] = (float) sd[s + i];
            else { long[] sl = (long[]) src; for (int i = 0; i < n; i++) df[d + i] = (float) sl[s + i]; }
        } else if (dst instanceof double[] dd) {
            if (src instanceof float[] sf) for (int i = 0; i < n; i++) dd[d + i] = sf[s + i];
            else if (src instanceof double[] sd) System.arraycopy(sd, s, dd, d, n);
            else { long[] sl = (long[]) src; for (int i = 0; i < n; i++) dd[d + i] = (double) sl[s + i]; }
        } else {
            long[] dl = (long[]) dst;
            if (src instanceof float[] sf) for (int i = 0; i < n; i++) dl[d + i] = (long) sf[s + i];
            else if (src instanceof double[] sd) for (int i = 0; i < n; i++) dl[d + i] = (long) sd[s + i];
            else System.arraycopy((long[]) src, s, dl, d, n);
        }
    }

    /** out = cond != 0 ? x : y for a condition of any array type; NaN counts as true, as in C and NumPy. */
    static void where(Object o, int oo, Object c, int co, Object x, int xo, Object y, int yo, int n) {
        if (o instanceof float[] of) {
            float[] xf = (float[]) x, yf = (float[]) y;
            if (c instanceof float[] cf) for (int i = 0; i < n; i++) of[oo + i] = cf[co + i] != 0 ? xf[xo + i] : yf[yo + i];
            else if (c instanceof double[] cd) for (int i = 0; i < n; i++) of[oo + i] = cd[co + i] != 0 ? xf[xo + i] : yf[yo + i];
            else { long[] cl = (long[]) c; for (int i = 0; i < n; i++) of[oo + i] = cl[co + i] != 0 ? xf[xo + i] : yf[yo + i]; }
        } else if (o instanceof double[] od) {
            double[] xd = (double[]) x, yd = (double[]) y;
            if (c instanceof float[] cf) for (int i = 0; i < n; i++) od[oo + i] = cf[co + i] != 0 ? xd[xo + i] : yd[yo + i];
            else if (c instanceof double[] cd) for (int i = 0; i < n; i++) od[oo + i] = cd[co + i] != 0 ? xd[xo + i] : yd[yo + i];
            else { long[] cl = (long[]) c; for (int i = 0; i < n; i++) od[oo + i] = cl[co + i] != 0 ? xd[xo + i] : yd[yo + i]; }
        } else {
            long[] ol = (long[]) o, xl = (long[]) x, yl = (long[]) y;
            if (c instanceof float[] cf) for (int i = 0; i < n; i++) ol[oo + i] = cf[co + i] != 0 ? xl[xo + i] : yl[yo + i];
            else if (c instanceof double[] cd) for (int i = 0; i < n; i++) ol[oo + i] = cd[co + i] != 0 ? xl[xo + i] : yl[yo + i];
            else { long[] cl = (long[]) c; for (int i = 0; i < n; i++) ol[oo + i] = cl[co + i] != 0 ? xl[xo + i] : yl[yo + i]; }
        }
    }

    static void fill(Object o, int oo, int n, double value) {
        if (o instanceof float[] of) java.util.Arrays.fill(of, oo, oo + n, (float) value);
        else if (o instanceof double[] od) java.util.Arrays.fill(od, oo, oo + n, value);
        else java.util.Arrays.fill((long[]) o, oo, oo + n, (long) value);
    }
}
