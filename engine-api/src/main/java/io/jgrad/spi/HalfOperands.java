package io.jgrad.spi;

import io.jgrad.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a backend runs a kernel on float16 and bfloat16 operands: in float32. One adapter serves every kernel of every
 * backend: the backend's entry point, on seeing a half view, {@link #run}s the kernel with a {@code HalfOperands},
 * passing each operand through {@link #in} (a read operand: widened into float32 scratch), {@link #out} (a written
 * one: float32 scratch) or {@link #inOut} (both), runs the very same float32 kernel on those views, and {@link #commit}s,
 * which rounds each written operand to its half type once, to nearest even. So every kernel, fused or primitive,
 * accumulates in float32 (reductions and GEMMs included), and a half result is exactly the rounded float32 result on
 * the same inputs. Nothing is written back when the kernel throws: a bad index corrupts nothing.
 * <p>
 * It needs only two things of the backend: {@link Backend#allocate} for float32 scratch and a {@link Backend#copy}
 * that converts between half types and float32 (the CPU's vectorised loops, CUDA's half.cu kernels). A read operand is
 * widened with its broadcast axes kept broadcast (a bias seen as [n, c] is widened as [c]); the rest are dense float32
 * copies, twice the half operand's size, returned to the backend on {@link #close}. A backend may serve some kernels
 * more frugally on its own (the CPU runs element-wise ops tile by tile; CUDA hands half GEMMs to cuBLAS's GemmEx).
 */
public final class HalfOperands implements AutoCloseable {
    private final Backend backend;
    private final List<Buffer> scratch = new ArrayList<>(4);
    private final List<View[]> written = new ArrayList<>(2); // {half view, float32 scratch}

    public HalfOperands(Backend backend) {
        this.backend = backend;
    }

    /** Runs {@code kernel} on {@code backend} with float32 stand-ins ({@link #in}, {@link #out}, {@link #inOut}), then {@link #commit}s. */
    public static void run(Backend backend, Consumer<HalfOperands> kernel) {
        try (HalfOperands h = new HalfOperands(backend)) {
            kernel.accept(h);
            h.commit();
        }
    }

    /** True when any of the (non-null) views holds float16 or bfloat16. */
    public static boolean any(View... views) {
        for (View v : views) if (v != null && v.dtype().isHalf()) return true;
        return false;
    }

    /** A float32 view with the values of {@code v} (v itself unless it is half; null stays null). */
    public View in(View v) {
        if (v == null || !v.dtype().isHalf()) return v;
        // keep broadcast axes broadcast: widen only the elements the view can reach along its other axes
        int[] compact = v.shape.clone();
        for (int d = 0; d < compact.length; d++) if (v.strides[d] == 0) compact[d] = Math.min(1, compact[d]);
        View dense = allocate(compact);
        backend.copy(dense, new View(v.buffer, v.offset, compact, v.strides.clone()));
        long[] strides = dense.strides.clone();
        for (int d = 0; d < strides.length; d++) if (v.strides[d] == 0) strides[d] = 0;
        return new View(dense.buffer, 0, v.shape.clone(), strides);
    }

    /** A float32 view to write in place of {@code v}; {@link #commit} rounds it into v. */
    public View out(View v) {
        if (v == null || !v.dtype().isHalf()) return v;
        View dense = allocate(v.shape);
        written.add(new View[]{v, dense});
        return dense;
    }

    /** A float32 view holding v's values, to be read and written; {@link #commit} rounds it back into v. */
    public View inOut(View v) {
        if (v == null || !v.dtype().isHalf()) return v;
        View dense = allocate(v.shape);
        backend.copy(dense, v);
        written.add(new View[]{v, dense});
        return dense;
    }

    /** Rounds every written float32 operand into its half view, once. */
    public void commit() {
        for (View[] pair : written) backend.copy(pair[0], pair[1]);
    }

    @Override
    public void close() {
        for (Buffer b : scratch) b.close();
        scratch.clear();
    }

    private View allocate(int[] shape) {
        Buffer b = backend.allocate(DType.FLOAT32, View.numel(shape));
        scratch.add(b);
        return View.contiguous(b, shape.clone());
    }

    /**
     * The same product on float32 operands: A and B widened (a batch stride of 0 stays 0), C float32 scratch (widened
     * too when beta reads it) that {@link #commit} rounds back into C's matrices, leaving the gaps between rows alone.
     */
    public Gemm widen(Gemm g) {
        int aRows = g.transA() ? g.k() : g.m(), aCols = g.transA() ? g.m() : g.k();
        int bRows = g.transB() ? g.n() : g.k(), bCols = g.transB() ? g.k() : g.n();
        View a = in(matrices(g.a(), g.offsetA(), g.batch(), aRows, aCols, g.lda(), g.strideA()));
        View b = in(matrices(g.b(), g.offsetB(), g.batch(), bRows, bCols, g.ldb(), g.strideB()));
        // a C shared by the batch (stride 0) is one matrix that every product folds into
        int cBatch = g.strideC() == 0 ? 1 : g.batch();
        View cHalf = matrices(g.c(), g.offsetC(), cBatch, g.m(), g.n(), g.ldc(), g.strideC());
        View c = g.beta() == 0 ? out(cHalf) : inOut(cHalf);
        return new Gemm(g.transA(), g.transB(), g.batch(), g.m(), g.n(), g.k(), g.alpha(),
                a.buffer, a.offset, aCols, a.strides[0], b.buffer, b.offset, bCols, b.strides[0],
                g.beta(), c.buffer, c.offset, g.n(), g.strideC() == 0 ? 0 : c.strides[0], g.allowTf32());
    }

    private static View matrices(Buffer buf, long offset, int batch, int rows, int cols, int ld, long stride) {
        return new View(buf, offset, new int[]{batch, rows, cols}, new long[]{stride, ld, 1});
    }
}
