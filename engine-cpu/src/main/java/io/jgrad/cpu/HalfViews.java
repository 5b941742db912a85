package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.HalfFloat;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;

/**
 * The CPU backend's own half-precision loops: float16 and bfloat16 are storage formats here, computed in float32.
 * Most kernels take half operands through the SPI's one adapter, {@link io.jgrad.spi.HalfOperands} (whole operands
 * widened into float32 scratch, the float32 kernel, one rounding on the way back), which needs of this backend only
 * its converting {@link #copy}. What is here: that conversion ({@link #widen}, {@link #narrow}, with bfloat16 through
 * {@link FloatSimd}'s vector loops and their scalar twins), {@link #fill}, and element-wise ops in tiles
 * ({@link #unary}, {@link #binary}), which need no scratch the size of an operand and give the same bits as the
 * adapter, since an element-wise result depends only on its element.
 */
final class HalfViews {
    private HalfViews() {
    }

    // ---- element-wise ops in tiles: no operand-sized scratch ----

    /**
     * out = op(in) on half views (one half dtype, as the contract has it), a tile of {@link Strided#BLOCK} elements at
     * a time: widened, run through the float32 loop, rounded back. The same bits as widening whole operands, since an
     * element-wise loop's result depends only on its element.
     */
    static void unary(UnaryOp op, View out, View in, double a, double b) {
        DType dt = in.dtype();
        Strided.forEach(new View[]{out, in}, UnaryKernels.cost(op), (pos, n, o, oo, x, xo, u2, o2, u3, o3) -> {
            float[] tx = new float[Math.min(n, Strided.BLOCK)], to = new float[tx.length];
            for (int s = 0; s < n; s += tx.length) {
                int m = Math.min(tx.length, n - s);
                toFloat(dt, (short[]) x, xo + s, tx, m);
                UnaryKernels.floats(op, to, 0, tx, 0, m, a, b);
                fromFloat(dt, to, (short[]) o, oo + s, m);
            }
        });
    }

    /** Whether {@link #binary} serves these operands: half x and y, and out of their dtype or (comparisons) not half. */
    static boolean tiles(BinaryOp op, View out, View x) {
        return x.dtype().isHalf() && (op.writesBool() ? !out.dtype().isHalf() : out.dtype() == x.dtype());
    }

    /** out = x op y on half x and y, in tiles as {@link #unary}; comparisons write out's own type directly. */
    static void binary(BinaryOp op, View out, View x, View y) {
        DType dt = x.dtype();
        boolean toBool = op.writesBool();
        Strided.forEach(new View[]{out, x, y}, BinaryKernels.cost(op), (pos, n, o, oo, xa, xo, ya, yo, u3, o3) -> {
            int tile = Math.min(n, Strided.BLOCK);
            float[] tx = new float[tile], ty = new float[tile], to = toBool ? null : new float[tile];
            for (int s = 0; s < n; s += tile) {
                int m = Math.min(tile, n - s);
                toFloat(dt, (short[]) xa, xo + s, tx, m);
                toFloat(dt, (short[]) ya, yo + s, ty, m);
                if (toBool) {
                    BinaryKernels.writeBool(op, o, oo + s, tx, 0, ty, 0, m);
                } else {
                    BinaryKernels.sameType(op, to, 0, tx, 0, ty, 0, m);
                    fromFloat(dt, to, (short[]) o, oo + s, m);
                }
            }
        });
    }

    private static void toFloat(DType dt, short[] x, int xo, float[] o, int n) {
        if (dt == DType.BFLOAT16) FloatSimd.INSTANCE.bfloat16ToFloat(o, 0, x, xo, n);
        else HalfFloat.toFloat(dt, x, xo, o, 0, n);
    }

    private static void fromFloat(DType dt, float[] x, short[] o, int oo, int n) {
        if (dt == DType.BFLOAT16) FloatSimd.INSTANCE.floatToBfloat16(o, oo, x, 0, n);
        else HalfFloat.fromFloat(dt, x, 0, o, oo, n);
    }

    // ---- conversions on strided views ----

    /** out (float32) = in (half), exactly; bfloat16 through {@link FloatSimd} (vector loops with scalar twins). */
    static void widen(View out, View in) {
        DType dt = in.dtype();
        Strided.forEach(new View[]{out, in}, 1, (pos, n, o, oo, x, xo, u2, o2, u3, o3) -> {
            if (dt == DType.BFLOAT16) FloatSimd.INSTANCE.bfloat16ToFloat((float[]) o, oo, (short[]) x, xo, n);
            else HalfFloat.toFloat(dt, (short[]) x, xo, (float[]) o, oo, n);
        });
    }

    /** out (half) = in (float32), rounded to nearest even. */
    static void narrow(View out, View in) {
        DType dt = out.dtype();
        Strided.forEach(new View[]{out, in}, 2, (pos, n, o, oo, x, xo, u2, o2, u3, o3) -> {
            if (dt == DType.BFLOAT16) FloatSimd.INSTANCE.floatToBfloat16((short[]) o, oo, (float[]) x, xo, n);
            else HalfFloat.fromFloat(dt, (float[]) x, xo, (short[]) o, oo, n);
        });
    }

    /**
     * {@code out = in} where either is half: bits move unchanged between views of one half dtype; float32 widens or
     * narrows directly; any other pair goes through float32, as PyTorch converts (a float64 or int64 becomes float32
     * first, then half; a half becomes float32, then the target type).
     */
    static void copy(CpuBackend backend, View out, View in) {
        DType o = out.dtype(), i = in.dtype();
        if (o == i) {
            Strided.forEach(new View[]{out, in}, 1, (pos, n, a, ao, x, xo, u2, o2, u3, o3) ->
                    System.arraycopy(x, xo, a, ao, n));
        } else if (o == DType.FLOAT32) {
            widen(out, in);
        } else if (i == DType.FLOAT32) {
            narrow(out, in);
        } else {
            try (Buffer tmp = CpuBuffer.allocate(DType.FLOAT32, in.numel())) {
                View mid = View.contiguous(tmp, in.shape.clone());
                backend.copy(mid, in);
                backend.copy(out, mid);
            }
        }
    }

    /** Every element of the half view {@code out} = value, rounded as float32 then to the half type. */
    static void fill(View out, double value) {
        short bits = HalfFloat.fromFloat(out.dtype(), (float) value);
        Strided.forEach(new View[]{out}, 1, (pos, n, o, oo, u1, o1, u2, o2, u3, o3) ->
                java.util.Arrays.fill((short[]) o, oo, oo + n, bits));
    }
}
