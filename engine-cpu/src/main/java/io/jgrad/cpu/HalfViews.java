package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.HalfFloat;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import java.util.ArrayList;
import java.util.List;

/**
 * How the CPU backend runs float16 and bfloat16: as storage formats, computed in float32. One adapter serves every
 * kernel: the backend's entry point, on seeing a half view, {@link #run}s the kernel with a {@code HalfViews}, passing
 * each operand through
 * {@link #in} (a read operand: widened into float32 scratch), {@link #out} (a written one: float32 scratch) or
 * {@link #inOut} (both), runs the very same kernel on the float32 views, and {@link #commit}s, which rounds each
 * written operand to its half type once, to nearest even. So every kernel, fused or primitive, accumulates in float32
 * (reductions and GEMMs included), and a half result is exactly the rounded float32 result from the same inputs.
 * Nothing is written back when the kernel throws: a bad index corrupts nothing.
 * <p>
 * Scratch: element-wise ops (unary, binary) go tile by tile ({@link #unary}, {@link #binary}), with no scratch the
 * size of an operand. Other kernels get whole float32 operands: a read operand is widened with its broadcast axes
 * kept broadcast (a bias seen as [n, c] is widened as [c]); the rest are dense float32 copies, twice the half size,
 * freed (to {@link ArrayPool}) on close.
 */
final class HalfViews implements AutoCloseable {
    private final List<Buffer> scratch = new ArrayList<>(4);
    private final List<View[]> written = new ArrayList<>(2); // {half view, float32 scratch}

    /** Runs {@code kernel} with float32 stand-ins ({@link #in}, {@link #out}, {@link #inOut}), then {@link #commit}s. */
    static void run(java.util.function.Consumer<HalfViews> kernel) {
        try (HalfViews h = new HalfViews()) {
            kernel.accept(h);
            h.commit();
        }
    }

    /** True when any of the (non-null) views holds float16 or bfloat16. */
    static boolean any(View... views) {
        for (View v : views) if (v != null && v.dtype().isHalf()) return true;
        return false;
    }

    /** A float32 view with the values of {@code v} (v itself unless it is half; null stays null). */
    View in(View v) {
        if (v == null || !v.dtype().isHalf()) return v;
        // keep broadcast axes broadcast: widen only the elements the view can reach along its other axes
        int[] compact = v.shape.clone();
        for (int d = 0; d < compact.length; d++) if (v.strides[d] == 0) compact[d] = Math.min(1, compact[d]);
        View src = new View(v.buffer, v.offset, compact, v.strides.clone());
        View dense = allocate(compact);
        widen(dense, src);
        long[] strides = dense.strides.clone();
        for (int d = 0; d < strides.length; d++) if (v.strides[d] == 0) strides[d] = 0;
        return new View(dense.buffer, 0, v.shape.clone(), strides);
    }

    /** A float32 view to write in place of {@code v}; {@link #commit} rounds it into v. */
    View out(View v) {
        if (v == null || !v.dtype().isHalf()) return v;
        View dense = allocate(v.shape);
        written.add(new View[]{v, dense});
        return dense;
    }

    /** A float32 view holding v's values, to be read and written; {@link #commit} rounds it back into v. */
    View inOut(View v) {
        if (v == null || !v.dtype().isHalf()) return v;
        View dense = allocate(v.shape);
        widen(dense, v);
        written.add(new View[]{v, dense});
        return dense;
    }

    /** Rounds every written float32 operand into its half view, once. */
    void commit() {
        for (View[] pair : written) narrow(pair[0], pair[1]);
    }

    @Override
    public void close() {
        for (Buffer b : scratch) b.close();
        scratch.clear();
    }

    private View allocate(int[] shape) {
        Buffer b = CpuBuffer.allocate(DType.FLOAT32, View.numel(shape));
        scratch.add(b);
        return View.contiguous(b, shape.clone());
    }

    /**
     * The same product on float32 operands: A and B widened (a batch stride of 0 stays 0), C float32 scratch (widened
     * too when beta reads it) that {@link #commit} rounds back into C's matrices, leaving the gaps between rows alone.
     */
    static Gemm widen(HalfViews h, Gemm g) {
        int aRows = g.transA() ? g.k() : g.m(), aCols = g.transA() ? g.m() : g.k();
        int bRows = g.transB() ? g.n() : g.k(), bCols = g.transB() ? g.k() : g.n();
        View a = h.in(matrices(g.a(), g.offsetA(), g.batch(), aRows, aCols, g.lda(), g.strideA()));
        View b = h.in(matrices(g.b(), g.offsetB(), g.batch(), bRows, bCols, g.ldb(), g.strideB()));
        // a C shared by the batch (stride 0) is one matrix that every product folds into
        int cBatch = g.strideC() == 0 ? 1 : g.batch();
        View cHalf = matrices(g.c(), g.offsetC(), cBatch, g.m(), g.n(), g.ldc(), g.strideC());
        View c = g.beta() == 0 ? h.out(cHalf) : h.inOut(cHalf);
        return new Gemm(g.transA(), g.transB(), g.batch(), g.m(), g.n(), g.k(), g.alpha(),
                a.buffer, a.offset, aCols, a.strides[0], b.buffer, b.offset, bCols, b.strides[0],
                g.beta(), c.buffer, c.offset, g.n(), g.strideC() == 0 ? 0 : c.strides[0], g.allowTf32());
    }

    private static View matrices(Buffer buf, long offset, int batch, int rows, int cols, int ld, long stride) {
        return new View(buf, offset, new int[]{batch, rows, cols}, new long[]{stride, ld, 1});
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
