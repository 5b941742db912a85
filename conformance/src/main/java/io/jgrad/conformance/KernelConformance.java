package io.jgrad.conformance;

import io.jgrad.DType;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.spi.Backend;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.CounterRandom;
import io.jgrad.spi.Distribution;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.ScalarMath;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import org.junit.jupiter.api.AfterEach;

/**
 * The kernel-level contract of {@link Backend}: every primitive and every fused default, checked against float64
 * references computed here in plain Java with {@link ScalarMath} and {@link CounterRandom}. Inputs come in seeded
 * random shapes (rank 0 to 4) and layouts: contiguous, offset, transposed (permuted axes), sliced windows, every
 * other element, and stride-0 broadcasts; outputs in every layout but broadcast, with a check that nothing outside
 * the output view changed. Fused kernels must also agree with the default composition of primitives, which
 * {@link DefaultsOnly} runs on the same backend.
 * <p>
 * The checks come in one suite per SPI family: {@link ElementwiseKernelConformance}, {@link
 * ReduceKernelConformance}, {@link GemmKernelConformance}, {@link IndexingKernelConformance}, {@link
 * BufferKernelConformance} and {@link FusedKernelConformance}; this class holds what they share. A backend runs each
 * by a one-line subclass that returns the backend from {@link #backend()}. The suites touch the backend only through
 * the SPI (allocate, upload, download and the kernels).
 * <p>
 * Tolerances: float32 results must be within a few float32 ulps of the float64 reference rounded to float32 (one
 * ulp for correctly rounded ops, three for transcendental ones, 2e-6 relative for GELU); float64 results within one
 * ulp for arithmetic and a few ulps for library functions.
 */
public abstract class KernelConformance {

    /** The backend under test. Called often; return the same instance. */
    protected abstract Backend backend();

    @AfterEach
    public void closeTestBuffers() {
        KernelViews.closeAll();
    }

    static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};
    static final Layout[] ALL_LAYOUTS = Layout.values();

    // ---------------------------------------------------------------- helpers

    static double round(DType dt, double v) {
        return dt == DType.FLOAT32 ? (float) v : v;
    }

    static boolean close(double want, double got, double rel, double abs) {
        if (Double.isNaN(want)) return Double.isNaN(got);
        if (Double.isInfinite(want)) return got == want;
        return Math.abs(got - want) <= abs + rel * Math.abs(want);
    }

    /** Checks one element; the message (with its detail) is only built on failure. */
    static void assertClose(double want, double got, double rel, double abs, Object what, int index, Object detail) {
        if (!close(want, got, rel, abs)) {
            String d = String.valueOf(detail);
            throw new AssertionError(what + ": element " + index + (d.isEmpty() ? "" : " (" + d + ")") + " is " + got
                    + ", want " + want + " (tolerance " + (abs + rel * Math.abs(want)) + ")");
        }
    }

    /** A message built only when printed. */
    static Object lazy(java.util.function.Supplier<String> text) {
        return new Object() {
            @Override
            public String toString() {
                return text.get();
            }
        };
    }

    /**
     * A backend that passes the primitives through to another and keeps the interface's default fused kernels, so
     * that a backend's fused overrides can be compared with the composition they replace.
     */
    protected static final class DefaultsOnly implements Backend {
        private final Backend inner;

        public DefaultsOnly(Backend inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public io.jgrad.Device device() {
            return inner.device();
        }

        @Override
        public Buffer allocate(DType dtype, long length) {
            return inner.allocate(dtype, length);
        }

        @Override
        public Buffer upload(float[] data) {
            return inner.upload(data);
        }

        @Override
        public Buffer upload(double[] data) {
            return inner.upload(data);
        }

        @Override
        public Buffer upload(long[] data) {
            return inner.upload(data);
        }

        @Override
        public void download(Buffer src, long srcOffset, float[] dst, int dstOffset, int length) {
            inner.download(src, srcOffset, dst, dstOffset, length);
        }

        @Override
        public void download(Buffer src, long srcOffset, double[] dst, int dstOffset, int length) {
            inner.download(src, srcOffset, dst, dstOffset, length);
        }

        @Override
        public void download(Buffer src, long srcOffset, long[] dst, int dstOffset, int length) {
            inner.download(src, srcOffset, dst, dstOffset, length);
        }

        @Override
        public void unary(UnaryOp op, View out, View in, double a, double b) {
            inner.unary(op, out, in, a, b);
        }

        @Override
        public void binary(BinaryOp op, View out, View x, View y) {
            inner.binary(op, out, x, y);
        }

        @Override
        public void where(View out, View condition, View x, View y) {
            inner.where(out, condition, x, y);
        }

        @Override
        public void reduce(ReduceOp op, View out, View in, int axis) {
            inner.reduce(op, out, in, axis);
        }

        @Override
        public void gemm(Gemm gemm) {
            inner.gemm(gemm);
        }

        @Override
        public void gather(View out, View in, int dim, View index) {
            inner.gather(out, in, dim, index);
        }

        @Override
        public void scatterAdd(View out, int dim, View index, View src) {
            inner.scatterAdd(out, dim, index, src);
        }

        @Override
        public void copy(View out, View in) {
            inner.copy(out, in);
        }

        @Override
        public void fill(View out, double value) {
            inner.fill(out, value);
        }

        @Override
        public void random(View out, Distribution distribution, long seed, double a, double b) {
            inner.random(out, distribution, seed, a, b);
        }

        @Override
        public void scan(io.jgrad.spi.ScanOp op, View out, View in, int axis) {
            inner.scan(op, out, in, axis);
        }

        @Override
        public void sort(View values, View indices, View in, int axis, boolean descending) {
            inner.sort(values, indices, in, axis, descending);
        }

        @Override
        public void synchronize() {
            inner.synchronize();
        }
    }
}
