package io.jgrad.cpu;

import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.ScalarMath;

/**
 * Element-wise binary loops over contiguous runs, plus the dtype-converting copy that comparisons with another
 * output dtype and {@code copy} share. float32 add, sub, mul and div are correctly rounded in float, which equals
 * rounding the float64 reference once; float32 floor division and remainder run the float64 reference and round.
 * Integer ops wrap on overflow (two's complement, as in PyTorch); integer floor division or remainder by zero throws
 * ArithmeticException. Comparisons and logical ops write boolean[] (or, through a scratch run, any other type).
 */
final class BinaryKernels {
    private BinaryKernels() {
    }

    static int cost(BinaryOp op) {
        return switch (op) {
            case POW, ATAN2 -> 32;
            case DIV -> 2;
            case FLOOR_DIVIDE, REMAINDER, FMOD -> 8;
            default -> 1;
        };
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
            case FLOOR_DIVIDE: for (int i = 0; i < n; i++) o[oo + i] = (float) ScalarMath.floorDivide(x[xo + i], y[yo + i]); break;
            case REMAINDER: for (int i = 0; i < n; i++) o[oo + i] = (float) ScalarMath.remainder(x[xo + i], y[yo + i]); break;
            case ATAN2: for (int i = 0; i < n; i++) o[oo + i] = (float) Math.atan2(x[xo + i], y[yo + i]); break;
            case FMOD: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] % y[yo + i]; break; // exact, as fmod always is
            default: throw new IllegalArgumentException("cpu binary: op " + op + " does not take float32");
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
            case FLOOR_DIVIDE: for (int i = 0; i < n; i++) o[oo + i] = ScalarMath.floorDivide(x[xo + i], y[yo + i]); break;
            case REMAINDER: for (int i = 0; i < n; i++) o[oo + i] = ScalarMath.remainder(x[xo + i], y[yo + i]); break;
            case ATAN2: for (int i = 0; i < n; i++) o[oo + i] = Math.atan2(x[xo + i], y[yo + i]); break;
            case FMOD: for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] % y[yo + i]; break; // exact, as fmod always is
            default: throw new IllegalArgumentException("cpu binary: op " + op + " does not take float64");
        }
    }

    // @end generated

    static void longs(BinaryOp op, long[] o, int oo, long[] x, int xo, long[] y, int yo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + y[yo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] - y[yo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * y[yo + i]; }
            case MAX -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], y[yo + i]); }
            case MIN -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(x[xo + i], y[yo + i]); }
            case FLOOR_DIVIDE, REMAINDER, FMOD -> {
                for (int i = 0; i < n; i++) o[oo + i] = ScalarMath.binaryLong(op, x[xo + i], y[yo + i]);
            }
            default -> throw new IllegalArgumentException("cpu binary: op " + op + " does not take int64");
        }
    }

    static void ints(BinaryOp op, int[] o, int oo, int[] x, int xo, int[] y, int yo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] + y[yo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] - y[yo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] * y[yo + i]; }
            case MAX -> { for (int i = 0; i < n; i++) o[oo + i] = Math.max(x[xo + i], y[yo + i]); }
            case MIN -> { for (int i = 0; i < n; i++) o[oo + i] = Math.min(x[xo + i], y[yo + i]); }
            case FLOOR_DIVIDE, REMAINDER, FMOD -> {
                // the int64 result of two int32 operands, wrapped to 32 bits: MIN_VALUE / -1 gives MIN_VALUE, as in C
                for (int i = 0; i < n; i++) o[oo + i] = (int) ScalarMath.binaryLong(op, x[xo + i], y[yo + i]);
            }
            default -> throw new IllegalArgumentException("cpu binary: op " + op + " does not take int32");
        }
    }

    /** Ops on two bool runs that write bool: add and max are or, mul and min are and. */
    static void bools(BinaryOp op, boolean[] o, int oo, boolean[] x, int xo, boolean[] y, int yo, int n) {
        switch (op) {
            case ADD, MAX, LOGICAL_OR -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] | y[yo + i]; }
            case MUL, MIN, LOGICAL_AND -> { for (int i = 0; i < n; i++) o[oo + i] = x[xo + i] & y[yo + i]; }
            default -> compare(op, o, oo, x, xo, y, yo, n);
        }
    }

    /**
     * A comparison or logical op on two runs of one array type into booleans (false &lt; true for bool operands;
     * non-zero, NaN included, is true for logical ops).
     */
    static void compare(BinaryOp op, boolean[] o, int oo, Object x, int xo, Object y, int yo, int n) {
        if (x instanceof float[] xf) {
            float[] yf = (float[]) y;
            switch (op) {
                case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = xf[xo + i] == yf[yo + i]; }
                case NE -> { for (int i = 0; i < n; i++) o[oo + i] = xf[xo + i] != yf[yo + i]; }
                case LT -> { for (int i = 0; i < n; i++) o[oo + i] = xf[xo + i] < yf[yo + i]; }
                case LE -> { for (int i = 0; i < n; i++) o[oo + i] = xf[xo + i] <= yf[yo + i]; }
                case GT -> { for (int i = 0; i < n; i++) o[oo + i] = xf[xo + i] > yf[yo + i]; }
                case GE -> { for (int i = 0; i < n; i++) o[oo + i] = xf[xo + i] >= yf[yo + i]; }
                case LOGICAL_AND -> { for (int i = 0; i < n; i++) o[oo + i] = xf[xo + i] != 0 & yf[yo + i] != 0; }
                case LOGICAL_OR -> { for (int i = 0; i < n; i++) o[oo + i] = xf[xo + i] != 0 | yf[yo + i] != 0; }
                default -> throw notComparison(op);
            }
        } else if (x instanceof double[] xd) {
            double[] yd = (double[]) y;
            switch (op) {
                case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = xd[xo + i] == yd[yo + i]; }
                case NE -> { for (int i = 0; i < n; i++) o[oo + i] = xd[xo + i] != yd[yo + i]; }
                case LT -> { for (int i = 0; i < n; i++) o[oo + i] = xd[xo + i] < yd[yo + i]; }
                case LE -> { for (int i = 0; i < n; i++) o[oo + i] = xd[xo + i] <= yd[yo + i]; }
                case GT -> { for (int i = 0; i < n; i++) o[oo + i] = xd[xo + i] > yd[yo + i]; }
                case GE -> { for (int i = 0; i < n; i++) o[oo + i] = xd[xo + i] >= yd[yo + i]; }
                case LOGICAL_AND -> { for (int i = 0; i < n; i++) o[oo + i] = xd[xo + i] != 0 & yd[yo + i] != 0; }
                case LOGICAL_OR -> { for (int i = 0; i < n; i++) o[oo + i] = xd[xo + i] != 0 | yd[yo + i] != 0; }
                default -> throw notComparison(op);
            }
        } else if (x instanceof long[] xl) {
            long[] yl = (long[]) y;
            switch (op) {
                case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = xl[xo + i] == yl[yo + i]; }
                case NE -> { for (int i = 0; i < n; i++) o[oo + i] = xl[xo + i] != yl[yo + i]; }
                case LT -> { for (int i = 0; i < n; i++) o[oo + i] = xl[xo + i] < yl[yo + i]; }
                case LE -> { for (int i = 0; i < n; i++) o[oo + i] = xl[xo + i] <= yl[yo + i]; }
                case GT -> { for (int i = 0; i < n; i++) o[oo + i] = xl[xo + i] > yl[yo + i]; }
                case GE -> { for (int i = 0; i < n; i++) o[oo + i] = xl[xo + i] >= yl[yo + i]; }
                case LOGICAL_AND -> { for (int i = 0; i < n; i++) o[oo + i] = xl[xo + i] != 0 & yl[yo + i] != 0; }
                case LOGICAL_OR -> { for (int i = 0; i < n; i++) o[oo + i] = xl[xo + i] != 0 | yl[yo + i] != 0; }
                default -> throw notComparison(op);
            }
        } else if (x instanceof int[] xi) {
            int[] yi = (int[]) y;
            switch (op) {
                case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = xi[xo + i] == yi[yo + i]; }
                case NE -> { for (int i = 0; i < n; i++) o[oo + i] = xi[xo + i] != yi[yo + i]; }
                case LT -> { for (int i = 0; i < n; i++) o[oo + i] = xi[xo + i] < yi[yo + i]; }
                case LE -> { for (int i = 0; i < n; i++) o[oo + i] = xi[xo + i] <= yi[yo + i]; }
                case GT -> { for (int i = 0; i < n; i++) o[oo + i] = xi[xo + i] > yi[yo + i]; }
                case GE -> { for (int i = 0; i < n; i++) o[oo + i] = xi[xo + i] >= yi[yo + i]; }
                case LOGICAL_AND -> { for (int i = 0; i < n; i++) o[oo + i] = xi[xo + i] != 0 & yi[yo + i] != 0; }
                case LOGICAL_OR -> { for (int i = 0; i < n; i++) o[oo + i] = xi[xo + i] != 0 | yi[yo + i] != 0; }
                default -> throw notComparison(op);
            }
        } else {
            boolean[] xb = (boolean[]) x, yb = (boolean[]) y;
            switch (op) {
                case EQ -> { for (int i = 0; i < n; i++) o[oo + i] = xb[xo + i] == yb[yo + i]; }
                case NE -> { for (int i = 0; i < n; i++) o[oo + i] = xb[xo + i] != yb[yo + i]; }
                case LT -> { for (int i = 0; i < n; i++) o[oo + i] = !xb[xo + i] & yb[yo + i]; }
                case LE -> { for (int i = 0; i < n; i++) o[oo + i] = !xb[xo + i] | yb[yo + i]; }
                case GT -> { for (int i = 0; i < n; i++) o[oo + i] = xb[xo + i] & !yb[yo + i]; }
                case GE -> { for (int i = 0; i < n; i++) o[oo + i] = xb[xo + i] | !yb[yo + i]; }
                default -> throw notComparison(op);
            }
        }
    }

    private static IllegalArgumentException notComparison(BinaryOp op) {
        return new IllegalArgumentException("cpu binary: op " + op + " does not take these operands");
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
        } else if (x instanceof long[] xl) {
            longs(op, (long[]) o, oo, xl, xo, (long[]) y, yo, n);
        } else if (x instanceof int[] xi) {
            ints(op, (int[]) o, oo, xi, xo, (int[]) y, yo, n);
        } else {
            bools(op, (boolean[]) o, oo, (boolean[]) x, xo, (boolean[]) y, yo, n);
        }
    }

    /** A comparison or logical op into a run of any type: straight into booleans, else through a scratch run. */
    static void writeBool(BinaryOp op, Object o, int oo, Object x, int xo, Object y, int yo, int n) {
        if (o instanceof boolean[] ob) {
            if (x instanceof boolean[] xb) bools(op, ob, oo, xb, xo, (boolean[]) y, yo, n);
            else compare(op, ob, oo, x, xo, y, yo, n);
            return;
        }
        boolean[] scratch = new boolean[Math.min(n, Strided.BLOCK)];
        for (int done = 0; done < n; done += Strided.BLOCK) {
            int len = Math.min(Strided.BLOCK, n - done);
            writeBool(op, scratch, 0, x, xo + done, y, yo + done, len);
            convert(o, oo + done, scratch, 0, len);
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

    /**
     * dst = src element-wise with a cast between any two of float[], double[], long[], int[] and boolean[]: Java's
     * casts (floating to integer truncates toward zero and saturates, NaN gives 0; long to int keeps the low bits),
     * x != 0 to boolean (NaN is true), 1 or 0 from boolean.
     */
    static void convert(Object dst, int d, Object src, int s, int n) {
        if (dst.getClass() == src.getClass()) {
            System.arraycopy(src, s, dst, d, n);
        } else if (dst instanceof float[] df) {
            if (src instanceof double[] sd) for (int i = 0; i < n; i++) df[d + i] = (float) sd[s + i];
            else if (src instanceof long[] sl) for (int i = 0; i < n; i++) df[d + i] = (float) sl[s + i];
            else if (src instanceof int[] si) for (int i = 0; i < n; i++) df[d + i] = (float) si[s + i];
            else { boolean[] sb = (boolean[]) src; for (int i = 0; i < n; i++) df[d + i] = sb[s + i] ? 1f : 0f; }
        } else if (dst instanceof double[] dd) {
            if (src instanceof float[] sf) for (int i = 0; i < n; i++) dd[d + i] = sf[s + i];
            else if (src instanceof long[] sl) for (int i = 0; i < n; i++) dd[d + i] = (double) sl[s + i];
            else if (src instanceof int[] si) for (int i = 0; i < n; i++) dd[d + i] = si[s + i];
            else { boolean[] sb = (boolean[]) src; for (int i = 0; i < n; i++) dd[d + i] = sb[s + i] ? 1.0 : 0.0; }
        } else if (dst instanceof long[] dl) {
            if (src instanceof float[] sf) for (int i = 0; i < n; i++) dl[d + i] = (long) sf[s + i];
            else if (src instanceof double[] sd) for (int i = 0; i < n; i++) dl[d + i] = (long) sd[s + i];
            else if (src instanceof int[] si) for (int i = 0; i < n; i++) dl[d + i] = si[s + i];
            else { boolean[] sb = (boolean[]) src; for (int i = 0; i < n; i++) dl[d + i] = sb[s + i] ? 1 : 0; }
        } else if (dst instanceof int[] di) {
            if (src instanceof float[] sf) for (int i = 0; i < n; i++) di[d + i] = (int) sf[s + i];
            else if (src instanceof double[] sd) for (int i = 0; i < n; i++) di[d + i] = (int) sd[s + i];
            else if (src instanceof long[] sl) for (int i = 0; i < n; i++) di[d + i] = (int) sl[s + i];
            else { boolean[] sb = (boolean[]) src; for (int i = 0; i < n; i++) di[d + i] = sb[s + i] ? 1 : 0; }
        } else {
            boolean[] db = (boolean[]) dst;
            if (src instanceof float[] sf) for (int i = 0; i < n; i++) db[d + i] = sf[s + i] != 0;
            else if (src instanceof double[] sd) for (int i = 0; i < n; i++) db[d + i] = sd[s + i] != 0;
            else if (src instanceof long[] sl) for (int i = 0; i < n; i++) db[d + i] = sl[s + i] != 0;
            else { int[] si = (int[]) src; for (int i = 0; i < n; i++) db[d + i] = si[s + i] != 0; }
        }
    }

    /**
     * out = cond ? x : y. The API passes a bool condition; one of another type counts as cond != 0 (NaN is true,
     * as in C and NumPy) and is converted a block at a time.
     */
    static void where(Object o, int oo, Object c, int co, Object x, int xo, Object y, int yo, int n) {
        if (!(c instanceof boolean[] cb)) {
            boolean[] scratch = new boolean[Math.min(n, Strided.BLOCK)];
            for (int done = 0; done < n; done += Strided.BLOCK) {
                int len = Math.min(Strided.BLOCK, n - done);
                convert(scratch, 0, c, co + done, len);
                where(o, oo + done, scratch, 0, x, xo + done, y, yo + done, len);
            }
            return;
        }
        if (o instanceof float[] of) {
            float[] xf = (float[]) x, yf = (float[]) y;
            for (int i = 0; i < n; i++) of[oo + i] = cb[co + i] ? xf[xo + i] : yf[yo + i];
        } else if (o instanceof double[] od) {
            double[] xd = (double[]) x, yd = (double[]) y;
            for (int i = 0; i < n; i++) od[oo + i] = cb[co + i] ? xd[xo + i] : yd[yo + i];
        } else if (o instanceof long[] ol) {
            long[] xl = (long[]) x, yl = (long[]) y;
            for (int i = 0; i < n; i++) ol[oo + i] = cb[co + i] ? xl[xo + i] : yl[yo + i];
        } else if (o instanceof int[] oi) {
            int[] xi = (int[]) x, yi = (int[]) y;
            for (int i = 0; i < n; i++) oi[oo + i] = cb[co + i] ? xi[xo + i] : yi[yo + i];
        } else {
            boolean[] ob = (boolean[]) o, xb = (boolean[]) x, yb = (boolean[]) y;
            for (int i = 0; i < n; i++) ob[oo + i] = cb[co + i] ? xb[xo + i] : yb[yo + i];
        }
    }

    /** Sets a run to value cast as {@link #convert} casts a double. */
    static void fill(Object o, int oo, int n, double value) {
        if (o instanceof float[] of) java.util.Arrays.fill(of, oo, oo + n, (float) value);
        else if (o instanceof double[] od) java.util.Arrays.fill(od, oo, oo + n, value);
        else if (o instanceof long[] ol) java.util.Arrays.fill(ol, oo, oo + n, (long) value);
        else if (o instanceof int[] oi) java.util.Arrays.fill(oi, oo, oo + n, (int) value);
        else java.util.Arrays.fill((boolean[]) o, oo, oo + n, value != 0);
    }
}
