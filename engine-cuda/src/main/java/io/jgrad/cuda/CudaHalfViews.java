package io.jgrad.cuda;

import io.jgrad.DType;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.View;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How the CUDA backend runs kernels on float16 and bfloat16 operands: in float32, as the CPU backend does (its
 * {@code HalfViews}). An entry point that sees a half view {@link #run}s the kernel with a {@code CudaHalfViews}, passing each operand through
 * {@link #in} (read: widened into float32 device scratch by half.cu's copy kernels), {@link #out} (written: float32
 * scratch) or {@link #inOut} (both), runs the very same float32 kernel on those views and {@link #commit}s, which
 * rounds each written operand into its half view once, to nearest even. So reductions, softmax, attention and every
 * fused kernel accumulate in float32, and a half result is exactly the rounded float32 result on the same inputs.
 * Matrix products are the exception: {@link CudaBackend#gemm} hands them to cuBLAS's GemmEx (float32 accumulation,
 * tensor cores) and comes here only without cuBLAS ({@link #widen(CudaHalfViews, Gemm)}).
 * <p>
 * Everything is queued on the backend's one stream: the widening copies, the kernel, the narrowing copies. The scratch
 * goes back to the caching allocator on {@link #close}, at once, which is safe because whoever gets those blocks next
 * queues behind these kernels. A read operand is widened with its broadcast axes kept broadcast (a bias seen as
 * [n, c] is widened as [c]); the rest are dense float32 copies, twice the half operand's size.
 */
final class CudaHalfViews implements AutoCloseable {
    private final Backend backend; // the CUDA backend; any backend whose copy converts half types (tests use the CPU's)
    private final List<Buffer> scratch = new ArrayList<>(4);
    private final List<View[]> written = new ArrayList<>(2); // {half view, float32 scratch}

    CudaHalfViews(Backend backend) {
        this.backend = backend;
    }

    /** Runs {@code kernel} on {@code backend} with float32 stand-ins ({@link #in}, {@link #out}, {@link #inOut}), then {@link #commit}s. */
    static void run(Backend backend, Consumer<CudaHalfViews> kernel) {
        try (CudaHalfViews h = new CudaHalfViews(backend)) {
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
        int[] compact = v.shape.clone();
        for (int d = 0; d < compact.length; d++) if (v.strides[d] == 0) compact[d] = Math.min(1, compact[d]);
        View dense = allocate(compact);
        backend.copy(dense, new View(v.buffer, v.offset, compact, v.strides.clone()));
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
        backend.copy(dense, v);
        written.add(new View[]{v, dense});
        return dense;
    }

    /** Rounds every written float32 operand into its half view, once. */
    void commit() {
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
     * The same product on float32 operands, for when GemmEx cannot run it: A and B widened (a batch stride of 0 stays
     * 0), C float32 scratch (widened too when beta reads it) that {@link #commit} rounds back into C's matrices,
     * leaving the gaps between C's rows alone.
     */
    static Gemm widen(CudaHalfViews h, Gemm g) {
        int aRows = g.transA() ? g.k() : g.m(), aCols = g.transA() ? g.m() : g.k();
        int bRows = g.transB() ? g.n() : g.k(), bCols = g.transB() ? g.k() : g.n();
        View a = h.in(matrices(g.a(), g.offsetA(), g.batch(), aRows, aCols, g.lda(), g.strideA()));
        View b = h.in(matrices(g.b(), g.offsetB(), g.batch(), bRows, bCols, g.ldb(), g.strideB()));
        View cHalf = matrices(g.c(), g.offsetC(), g.batch(), g.m(), g.n(), g.ldc(), g.strideC());
        View c = g.beta() == 0 ? h.out(cHalf) : h.inOut(cHalf);
        return new Gemm(g.transA(), g.transB(), g.batch(), g.m(), g.n(), g.k(), g.alpha(),
                a.buffer, a.offset, aCols, a.strides[0], b.buffer, b.offset, bCols, b.strides[0],
                g.beta(), c.buffer, c.offset, g.n(), c.strides[0], g.allowTf32());
    }

    private static View matrices(Buffer buf, long offset, int batch, int rows, int cols, int ld, long stride) {
        return new View(buf, offset, new int[]{batch, rows, cols}, new long[]{stride, ld, 1});
    }
}
