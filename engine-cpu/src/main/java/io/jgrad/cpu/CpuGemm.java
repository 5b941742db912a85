package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Contract;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.HalfOperands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batched strided GEMM on heap arrays: checks the call, picks the float32 kernel once (Vector API when the JVM has
 * the module, plain Java otherwise), and spreads work over threads, either across batch items (many small products)
 * or across blocks of one product's C (rows, or columns when C is wide and short).
 */
final class CpuGemm {
    private CpuGemm() {
    }

    private static final Logger LOG = LoggerFactory.getLogger(CpuGemm.class);
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** The float32 kernel for products big enough to fill its micro-tiles. */
    private static final FloatGemmKernel FAST = chooseFloatKernel();
    /**
     * What runs in FAST's place while a run is young: the Vector API kernel's scalar twin (the same bits; see {@link
     * GatedFloatSimd} for why), else FAST itself.
     */
    private static final FloatGemmKernel FAST_TWIN = FAST.twin();
    /**
     * Multiply-adds the twin does before the vector kernel takes over: the moons demo does about 2^24 in all; an MNIST
     * MLP step about 2^25.
     */
    static final long START_WORK = 1L << 26;
    /** Multiply-adds done by the twin so far; racy on purpose (an estimate is enough, and the bits never change). */
    private static long fastWork;
    private static boolean fastWarm = FAST_TWIN == FAST || "off".equals(System.getProperty("jgrad.cpu.warmup"));

    /** FAST, or its twin while the run is young, for a product of {@code macs} multiply-adds. */
    private static FloatGemmKernel fast(long macs) {
        if (fastWarm) return FAST;
        long w = fastWork + macs;
        fastWork = w;
        if (w >= START_WORK) {
            fastWarm = true;
            LOG.debug("jgrad cpu: the Vector API GEMM kernel takes over from its scalar twin after {} multiply-adds", w);
        }
        return FAST_TWIN;
    }

    /** The plain kernel also serves skinny products, where a 5-row micro-tile would mostly multiply padding. */
    private static final FloatGemmKernel PLAIN = FAST instanceof PlainSgemm ? FAST : new PlainSgemm();

    /**
     * Multiply-adds below which one thread does a whole product: handing half to a spinning worker costs ~2 us, and
     * 2^18 MACs take ~4 us on one core.
     */
    private static final long MIN_PARALLEL_MACS = 1L << 18;

    private static FloatGemmKernel chooseFloatKernel() {
        if ("plain".equals(System.getProperty("jgrad.cpu.gemm"))) return new PlainSgemm();
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) {
            try {
                // by name, so that nothing links against the incubator API unless the module is there
                return (FloatGemmKernel) Class.forName("io.jgrad.cpu.VectorSgemm").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                LOG.warn("The Vector API GEMM kernel failed to load ({}); using the plain-Java kernel", e.toString());
                return new PlainSgemm();
            }
        }
        LOG.info("jgrad cpu: the Vector API is not enabled, so float32 matrix products use the plain-Java kernel; "
                + "start the JVM with --add-modules jdk.incubator.vector for about twice the GEMM speed");
        return new PlainSgemm();
    }

    static String kernelName() {
        return fastWarm ? FAST.name() : FAST.name() + " (on its scalar twin for the first " + START_WORK + " multiply-adds)";
    }

    static void gemm(Backend backend, Gemm g) {
        check(g);
        if (g.batch() == 0 || g.m() == 0 || g.n() == 0) return;
        if (g.c().dtype().isHalf()) { // float16, bfloat16: the float32 product (accumulating in float32), rounded once
            HalfOperands.run(backend, h -> gemm(backend, h.widen(g)));
            return;
        }
        if (g.c().dtype() == DType.FLOAT32) {
            runBatch(g, ((CpuBuffer) g.a()).floats(), ((CpuBuffer) g.b()).floats(), ((CpuBuffer) g.c()).floats(), null, null, null);
        } else {
            runBatch(g, null, null, null, ((CpuBuffer) g.a()).doubles(), ((CpuBuffer) g.b()).doubles(), ((CpuBuffer) g.c()).doubles());
        }
    }

    private static void runBatch(Gemm g, float[] af, float[] bf, float[] cf, double[] ad, double[] bd, double[] cd) {
        if (foldsIntoRows(g)) {
            int rows = g.batch() * g.m();
            long macs = (long) rows * g.n() * Math.max(1, g.k());
            product(g, 0, rows, macs < MIN_PARALLEL_MACS ? 1 : Parallel.chunks(Long.MAX_VALUE), af, bf, cf, ad, bd, cd);
            return;
        }
        long macs = (long) g.m() * g.n() * Math.max(1, g.k());
        int threadsPerProduct = macs < MIN_PARALLEL_MACS ? 1 : Parallel.chunks(Long.MAX_VALUE);
        // batch items that share C (stride 0) must run in order, each folding into what the previous one wrote
        boolean independent = g.batch() > 1 && g.strideC() != 0;
        int batchChunks = independent && threadsPerProduct == 1 ? Parallel.chunks(macs * g.batch() / 4) : 1;
        if (batchChunks <= 1) {
            for (int p = 0; p < g.batch(); p++) product(g, p, g.m(), threadsPerProduct, af, bf, cf, ad, bd, cd);
        } else {
            Parallel.forRange(g.batch(), batchChunks, (from, to) -> {
                for (int p = from; p < to; p++) product(g, p, g.m(), 1, af, bf, cf, ad, bd, cd);
            });
        }
    }

    /**
     * Whether the batch is one product of batch * m rows: items that are consecutive row blocks of A (not transposed)
     * and of C, against one shared B. A linear layer on [batch, t, features] input is such a batch; folded, B is packed
     * once rather than once per item, and the micro-tiles run whole (the gpt example's 16-row items left a third of
     * their rows to ragged 6-row tiles). A property of the call, not of the threads, like every choice here.
     */
    private static boolean foldsIntoRows(Gemm g) {
        return g.batch() > 1 && g.strideB() == 0 && !g.transA() && g.strideA() == (long) g.m() * g.lda()
                && g.strideC() == (long) g.m() * g.ldc() && (long) g.batch() * g.m() <= Integer.MAX_VALUE / 2;
    }

    /** Batch item p, of m rows (all the batch's when folded), on up to {@code threads} threads. */
    private static void product(Gemm g, int p, int m, int threads, float[] af, float[] bf, float[] cf,
                                double[] ad, double[] bd, double[] cd) {
        int n = g.n(), k = g.k();
        int ao = (int) (g.offsetA() + p * g.strideA());
        int bo = (int) (g.offsetB() + p * g.strideB());
        int co = (int) (g.offsetC() + p * g.strideC());
        // op(A)[i, l] = a[ao + i*ars + l*acs]; a transpose swaps the strides
        int ars = g.transA() ? 1 : g.lda(), acs = g.transA() ? g.lda() : 1;
        int brs = g.transB() ? 1 : g.ldb(), bcs = g.transB() ? g.ldb() : 1;
        int ldc = g.ldc();
        if (cf != null) {
            multiply(threads, m, n, k, (float) g.alpha(), af, ao, ars, acs, bf, bo, brs, bcs, (float) g.beta(), cf, co, ldc);
        } else {
            double alpha = g.alpha(), beta = g.beta();
            if (threads <= 1) {
                PlainDgemm.gemm(m, n, k, alpha, ad, ao, ars, acs, bd, bo, brs, bcs, beta, cd, co, ldc);
                return;
            }
            split(m, n, 2, 8, PlainDgemm.splitColumns(n), threads, (i0, i1, j0, j1) ->
                    PlainDgemm.gemm(i1 - i0, j1 - j0, k, alpha, ad, ao + i0 * ars, ars, acs, bd, bo + j0 * bcs, brs, bcs,
                            beta, cd, co + i0 * ldc + j0, ldc));
        }
    }

    /**
     * One float32 product C = alpha op(A) op(B) + beta C on up to {@code threads} threads, with the kernel this class
     * picks for its shape; for fused kernels that split their own work over threads (attention, convolutions).
     */
    static void multiply(int threads, int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs, float[] b,
                         int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        if (m == 0 || n == 0) return;
        if (n < NARROW / 2 && m > n) {
            narrowProduct(threads, m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
            return;
        }
        FloatGemmKernel kernel = m >= MIN_FAST_ROWS && n >= NARROW / 2 ? fast((long) m * n * k) : PLAIN;
        if (threads <= 1) {
            kernel.multiply(m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
        } else {
            kernel.multiplyParallel(threads, m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
        }
    }

    /**
     * The packed kernel, for fused kernels that pack an operand once (attention), when {@link #multiply} would run it:
     * warm (counting {@code macs} toward the warm-up) and with in-place tiles; else null, and they call multiply.
     * Products of at least 6 rows and 8 columns run on it in multiply, so either way gives the same bits.
     */
    static PackedSgemm packedKernel(long macs) {
        return fast(macs) == FAST && FAST instanceof PackedSgemm p && p.hasKernelInPlace() ? p : null;
    }

    private interface Block {
        void run(int i0, int i1, int j0, int j1);
    }

    /** Cuts C into up to {@code threads} bands of whole micro-tiles or blocks, of rows or of columns. */
    private static void split(int m, int n, int rowGrain, int colGrain, boolean byColumns, int threads, Block block) {
        boolean byRows = !byColumns;
        int grain = byRows ? rowGrain : colGrain;
        int extent = byRows ? m : n;
        int units = (extent + grain - 1) / grain;
        Parallel.forRange(units, threads, (from, to) -> {
            int lo = from * grain, hi = Math.min(extent, to * grain);
            if (byRows) block.run(lo, hi, 0, n); else block.run(0, m, lo, hi);
        });
    }

    /**
     * The fast kernel's tile width. C under half as wide is computed transposed: a row of a few floats gives the kernels
     * almost nothing to vectorise, while C^T has rows of m floats. From half as wide (a 10-class classifier's logits),
     * padding C's rows to one tile wastes less than transposing: C^T = W · xᵀ packs all of x transposed, which took a
     * 256 x 256 x 10 product from ~20 us to ~70 us on a 2-core Zen 3.
     */
    private static final int NARROW = 16;

    /**
     * Rows of C from which the fast kernel beats the plain one: measured with 6-row micro-tiles, where 10 rows wasted 2
     * of 12 and still ran ~3x faster than the plain kernel (a classifier's 10 x 256 weight gradient: 40 us plain).
     */
    private static final int MIN_FAST_ROWS = 6;

    /**
     * C has fewer than half {@link #NARROW} columns: computed as C^T = op(B)^T op(A)^T into a scratch n x m block (long
     * rows for the kernel to vectorise), then written into C with beta.
     */
    private static void narrowProduct(int threads, int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                                      float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        float[] t = new float[n * m];
        // op(B)^T[j, l] = b[bo + l*brs + j*bcs] and op(A)^T[l, i] = a[ao + i*ars + l*acs]: the strides swap roles
        FloatGemmKernel kernel = n >= MIN_FAST_ROWS && m >= 16 ? fast((long) m * n * k) : PLAIN;
        if (threads <= 1) {
            kernel.multiply(n, m, k, alpha, b, bo, bcs, brs, a, ao, acs, ars, 0f, t, 0, m);
        } else {
            kernel.multiplyParallel(threads, n, m, k, alpha, b, bo, bcs, brs, a, ao, acs, ars, 0f, t, 0, m);
        }
        for (int i = 0; i < m; i++) {
            int o = co + i * ldc;
            for (int j = 0; j < n; j++) {
                float v = t[j * m + i];
                c[o + j] = beta == 0f ? v : v + beta * c[o + j];
            }
        }
    }

    /** C = beta * C, for products with k = 0; beta 0 clears C without reading it. */
    static void scaleC(int m, int n, float beta, float[] c, int co, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0, o = co + i * ldc; j < n; j++, o++) c[o] = beta == 0f ? 0f : beta * c[o];
        }
    }

    static void scaleC(int m, int n, double beta, double[] c, int co, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0, o = co + i * ldc; j < n; j++, o++) c[o] = beta == 0 ? 0 : beta * c[o];
        }
    }

    private static void check(Gemm g) {
        Contract.gemm(g);
        int aRows = g.transA() ? g.k() : g.m(), aCols = g.transA() ? g.m() : g.k();
        int bRows = g.transB() ? g.n() : g.k(), bCols = g.transB() ? g.k() : g.n();
        checkOperand(g, "A", g.a(), g.offsetA(), g.lda(), g.strideA(), aRows, aCols);
        checkOperand(g, "B", g.b(), g.offsetB(), g.ldb(), g.strideB(), bRows, bCols);
        checkOperand(g, "C", g.c(), g.offsetC(), g.ldc(), g.strideC(), g.m(), g.n());
    }

    private static void checkOperand(Gemm g, String name, Buffer buf, long offset, int ld, long stride, int rows, int cols) {
        if (!(buf instanceof CpuBuffer cb)) {
            throw new IllegalArgumentException("cpu gemm: " + name + " lives on " + buf.device() + ", not on the cpu");
        }
        cb.array(); // throws if closed
        if (g.batch() == 0 || rows == 0 || cols == 0) return;
        if ((rows > 1 && ld < cols) || offset < 0 || stride < 0) {
            throw new IllegalArgumentException("cpu gemm: " + name + " is " + rows + " x " + cols + " but has leading dimension "
                    + ld + ", offset " + offset + ", batch stride " + stride + " (" + describe(g) + ")");
        }
        long last = offset + (g.batch() - 1) * stride + (long) (rows - 1) * ld + cols - 1;
        if (last >= buf.length()) {
            throw new IllegalArgumentException("cpu gemm: " + name + " reaches element " + last + " but its buffer holds "
                    + buf.length() + " (" + describe(g) + ")");
        }
    }

    private static String describe(Gemm g) {
        return "batch " + g.batch() + ", m " + g.m() + ", n " + g.n() + ", k " + g.k() + ", transA " + g.transA()
                + ", transB " + g.transB() + ", lda " + g.lda() + ", ldb " + g.ldb() + ", ldc " + g.ldc();
    }
}
