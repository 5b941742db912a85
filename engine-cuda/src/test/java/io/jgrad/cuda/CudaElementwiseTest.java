package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.CounterRandom;
import io.jgrad.spi.Distribution;
import io.jgrad.spi.ScalarMath;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import io.jgrad.spi.Views;
import org.junit.jupiter.api.Test;

/** Element-wise kernels against ScalarMath, computed in float64 on the host. */
class CudaElementwiseTest extends GpuTestSupport {
    /** The dtypes these tests cover; int32 and bool have their own suite (CudaDTypeKernelTest). */
    private static final DType[] CORE_DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT64};

    private static final double[] SPECIAL = {-3.7, -1, -0.5, -0.0, 0.0, 0.3, 1, 2.5, 10, 1e-3, -20, 25, 700, -745,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-310, 3.3e38};
    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

    private static double[] inputs() {
        double[] r = randoms(200, 1, 6);
        double[] all = new double[SPECIAL.length + r.length];
        System.arraycopy(SPECIAL, 0, all, 0, SPECIAL.length);
        System.arraycopy(r, 0, all, SPECIAL.length, r.length);
        return all;
    }

    @Test
    void everyUnaryOpMatchesScalarMath() {
        double[] x = inputs();
        int n = x.length;
        for (DType t : FLOATS) {
            Buffer in = upload(t, x);
            Buffer out = garbage(t, n);
            for (UnaryOp op : UnaryOp.values()) {
                double a = op == UnaryOp.CLAMP ? -0.5 : op == UnaryOp.POW ? 2.5 : 0.7;
                double b = op == UnaryOp.CLAMP ? 2.0 : -1.25;
                gpu.unary(op, view(out, n), view(in, n), a, b);
                double[] got = download(out);
                for (int i = 0; i < n; i++) {
                    double xi = round(t, x[i]);
                    double want = round(t, ScalarMath.unary(op, xi, a, b));
                    assertClose(want, got[i], tolerance(t), absoluteTolerance(op, t), t + " " + op + "(" + xi + ")");
                }
            }
        }
    }

    /**
     * For x well below 0, GELU's 1 + erf(x / sqrt 2) cancels, so ScalarMath's own result (the reference) is only
     * accurate to a few 1e-16 times |x| there; the GPU's erf differs from it by about as much.
     */
    static double absoluteTolerance(UnaryOp op, DType t) {
        if (op == UnaryOp.GELU || op == UnaryOp.GELU_GRAD || op == UnaryOp.GELU_TANH || op == UnaryOp.GELU_TANH_GRAD) {
            return t == DType.FLOAT32 ? 1e-12 : 1e-14;
        }
        return t == DType.FLOAT32 ? 1e-37 : 1e-300;
    }

    @Test
    void unaryOnStridedBroadcastAndInPlaceViews() {
        DType t = DType.FLOAT64;
        double[] x = randoms(12, 2, 3);
        Buffer in = upload(t, x);
        Buffer out = garbage(t, 12);
        // out[i][j] = tanh(in[j][i]) : a transposed read
        gpu.unary(UnaryOp.TANH, view(out, 4, 3), new View(in, 0, new int[]{4, 3}, new long[]{1, 4}), 0, 0);
        double[] got = download(out);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) assertClose(Math.tanh(x[j * 4 + i]), got[i * 3 + j], 1e-15, 0, "transposed tanh");
        }
        // a row broadcast down the rows
        gpu.unary(UnaryOp.NEG, view(out, 4, 3), new View(in, 3, new int[]{4, 3}, new long[]{0, 1}), 0, 0);
        got = download(out);
        for (int i = 0; i < 12; i++) assertEquals(-x[3 + i % 3], got[i]);
        // in place, on every other element only
        View everyOther = new View(in, 0, new int[]{6}, new long[]{2});
        gpu.unary(UnaryOp.AFFINE, everyOther, everyOther, 2, 1);
        got = download(in);
        for (int i = 0; i < 12; i++) assertEquals(i % 2 == 0 ? 2 * x[i] + 1 : x[i], got[i]);
    }

    @Test
    void binaryArithmeticWithBroadcastMatchesScalarMath() {
        int rows = 7;
        int cols = 33;
        double[] x = randoms(rows * cols, 3, 4);
        double[] y = randoms(cols, 4, 3);
        y[0] = 0; // division by zero and 0^negative
        y[1] = -0.0;
        x[2] = Double.NaN;
        for (DType t : FLOATS) {
            Buffer bx = upload(t, x);
            Buffer by = upload(t, y);
            Buffer out = garbage(t, rows * cols);
            View vy = Views.broadcast(view(by, cols), new int[]{rows, cols});
            for (BinaryOp op : BinaryOp.values()) {
                if (op.isComparison()) continue;
                gpu.binary(op, view(out, rows, cols), view(bx, rows, cols), vy);
                double[] got = download(out);
                for (int i = 0; i < rows * cols; i++) {
                    double want = round(t, ScalarMath.binary(op, round(t, x[i]), round(t, y[i % cols])));
                    double tol = op == BinaryOp.POW || op == BinaryOp.ATAN2 ? tolerance(t) : 0; // + - * / max min fmod round exactly once
                    assertClose(want, got[i], tol, 0, t + " " + op + "(" + round(t, x[i]) + ", " + round(t, y[i % cols]) + ")");
                }
            }
        }
    }

    @Test
    void maxAndMinFollowJavaForNaNAndSignedZero() {
        Buffer x = upload(DType.FLOAT64, 0.0, -0.0, Double.NaN, 1);
        Buffer y = upload(DType.FLOAT64, -0.0, 0.0, 1, Double.NaN);
        Buffer out = garbage(DType.FLOAT64, 4);
        gpu.binary(BinaryOp.MAX, view(out, 4), view(x, 4), view(y, 4));
        double[] got = download(out);
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(got[0]));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(got[1]));
        assertTrue(Double.isNaN(got[2]) && Double.isNaN(got[3]));
        gpu.binary(BinaryOp.MIN, view(out, 4), view(x, 4), view(y, 4));
        got = download(out);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(got[0]));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(got[1]));
    }

    @Test
    void comparisonsWriteOneOrZeroInAnyOutputDtype() {
        double[] x = {1, 2, 3, Double.NaN, -0.0, 5};
        double[] y = {1, 3, 2, Double.NaN, 0.0, 7};
        for (DType in : CORE_DTYPES) {
            Buffer bx = upload(in, x);
            Buffer by = upload(in, y);
            for (DType outType : CORE_DTYPES) {
                Buffer out = garbage(outType, x.length);
                for (BinaryOp op : BinaryOp.values()) {
                    if (!op.isComparison()) continue;
                    gpu.binary(op, view(out, 6), view(bx, 6), view(by, 6));
                    double[] got = download(out);
                    for (int i = 0; i < 6; i++) {
                        double want = ScalarMath.binary(op, round(in, x[i]), round(in, y[i]));
                        if (in == DType.INT64 && i == 3) want = ScalarMath.binary(op, 0, 0); // NaN became 0
                        assertEquals(want, got[i], in + "->" + outType + " " + op + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void int64ArithmeticWrapsLikeJavaAndDivisionIsRefused() {
        long[] x = {Long.MAX_VALUE, -5, 7, 1L << 40};
        long[] y = {1, 3, -2, 1L << 30};
        Buffer bx = uploadLongs(x);
        Buffer by = uploadLongs(y);
        Buffer out = allocate(DType.INT64, 4);
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.MAX, BinaryOp.MIN};
        for (BinaryOp op : ops) {
            gpu.binary(op, view(out, 4), view(bx, 4), view(by, 4));
            long[] got = downloadLongs(out);
            for (int i = 0; i < 4; i++) {
                long want;
                switch (op) {
                    case ADD: want = x[i] + y[i]; break;
                    case SUB: want = x[i] - y[i]; break;
                    case MUL: want = x[i] * y[i]; break;
                    case MAX: want = Math.max(x[i], y[i]); break;
                    default: want = Math.min(x[i], y[i]);
                }
                assertEquals(want, got[i], op + " at " + i);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gpu.binary(BinaryOp.DIV, view(out, 4), view(bx, 4), view(by, 4)));
        assertTrue(e.getMessage().contains("binary DIV") && e.getMessage().contains("int64"), e.getMessage());
    }

    @Test
    void whereTakesAnyConditionDtype() {
        double[] c = {0, 1, -2, 0, Double.NaN};
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {-1, -2, -3, -4, -5};
        for (DType ct : CORE_DTYPES) {
            Buffer cond = upload(ct, c);
            for (DType t : CORE_DTYPES) {
                Buffer out = garbage(t, 5);
                gpu.where(view(out, 5), view(cond, 5), view(upload(t, x), 5), view(upload(t, y), 5));
                double[] got = download(out);
                for (int i = 0; i < 5; i++) {
                    boolean nonzero = round(ct, c[i]) != 0 || (ct != DType.INT64 && Double.isNaN(c[i]));
                    assertEquals(nonzero ? x[i] : y[i], got[i], ct + " condition, " + t + " values, at " + i);
                }
            }
        }
    }

    @Test
    void copyConvertsBetweenAllDtypesLikeJavaCasts() {
        double[] v = {1.5, -2.5, 1e20, -1e20, Double.NaN, 3, -0.0, 16777217};
        for (DType from : CORE_DTYPES) {
            Buffer in = upload(from, v);
            for (DType to : CORE_DTYPES) {
                Buffer out = garbage(to, v.length);
                gpu.copy(view(out, v.length), view(in, v.length));
                double[] got = download(out);
                for (int i = 0; i < v.length; i++) {
                    double stored = round(from, v[i]);
                    double want = to == DType.INT64 ? (double) (long) stored : round(to, stored);
                    assertEquals(want, got[i], from + " -> " + to + " of " + stored);
                }
            }
        }
        // int64 beyond 2^53 survives an int64 copy exactly
        Buffer big = uploadLongs(Long.MAX_VALUE, Long.MIN_VALUE + 1);
        Buffer dst = allocate(DType.INT64, 2);
        gpu.copy(new View(dst, 0, new int[]{2}, new long[]{1}), new View(big, 1, new int[]{2}, new long[]{-1}));
        assertArrayEquals(new long[]{Long.MIN_VALUE + 1, Long.MAX_VALUE}, downloadLongs(dst));
    }

    @Test
    void copyOfStridedAndOffsetViews() {
        double[] x = randoms(24, 5, 10);
        Buffer in = upload(DType.FLOAT32, x);
        Buffer out = garbage(DType.FLOAT32, 30);
        // the [2,3,4] input permuted to [4,2,3], written at offset 6 of out
        gpu.copy(new View(out, 6, new int[]{4, 2, 3}, new long[]{6, 3, 1}), new View(in, 0, new int[]{4, 2, 3}, new long[]{1, 12, 4}));
        double[] got = download(out);
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) assertEquals((float) x[i * 12 + j * 4 + k], got[6 + k * 6 + i * 3 + j]);
            }
        }
        for (int i = 0; i < 6; i++) assertTrue(Double.isNaN(got[i]), "untouched before the offset");
        // contiguous same-dtype copy between buffers with offsets (the memcpy path)
        Buffer dst = garbage(DType.FLOAT32, 10);
        gpu.copy(new View(dst, 2, new int[]{2, 3}, new long[]{3, 1}), new View(in, 5, new int[]{2, 3}, new long[]{3, 1}));
        double[] d = download(dst);
        for (int i = 0; i < 6; i++) assertEquals((float) x[5 + i], d[2 + i]);
        assertTrue(Double.isNaN(d[0]) && Double.isNaN(d[1]) && Double.isNaN(d[8]));
    }

    @Test
    void fillWritesOnlyTheView() {
        for (DType t : CORE_DTYPES) {
            Buffer b = garbage(t, 10);
            gpu.fill(new View(b, 1, new int[]{3}, new long[]{3}), 2.75);
            double[] got = download(b);
            for (int i = 0; i < 10; i++) {
                double untouched = t == DType.INT64 ? -777 : Double.NaN;
                assertEquals(i % 3 == 1 && i < 8 ? round(t, 2.75) : untouched, got[i], t + " at " + i);
            }
        }
    }

    @Test
    void randomIsExactlyTheCounterRandomStream() {
        long seed = 0x1234_5678_9abcL;
        int n = 1001;
        for (DType t : FLOATS) {
            Buffer b = garbage(t, n);
            gpu.random(view(b, n), Distribution.UNIFORM, seed, -2, 3);
            double[] got = download(b);
            for (int i = 0; i < n; i++) assertEquals(round(t, CounterRandom.sample(Distribution.UNIFORM, seed, i, -2, 3)), got[i], "uniform " + i);
            gpu.random(view(b, n), Distribution.NORMAL, seed, 1, 0.5);
            got = download(b);
            for (int i = 0; i < n; i++) {
                assertClose(round(t, CounterRandom.sample(Distribution.NORMAL, seed, i, 1, 0.5)), got[i], tolerance(t), 1e-15, t + " normal " + i);
            }
        }
        // a strided view gets the stream in its own row-major order
        Buffer b = garbage(DType.FLOAT64, 12);
        gpu.random(new View(b, 0, new int[]{3, 4}, new long[]{1, 3}), Distribution.UNIFORM, 9, 0, 1);
        double[] got = download(b);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) assertEquals(CounterRandom.uniform(9, i * 4L + j), got[i + 3 * j]);
        }
    }

    @Test
    void badInputIsRejectedBeforeAnythingRuns() {
        Buffer b = upload(DType.FLOAT32, 1, 2, 3);
        Buffer d = upload(DType.FLOAT64, 1, 2, 3);
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                () -> gpu.unary(UnaryOp.EXP, view(b, 3), new View(b, 1, new int[]{3}, new long[]{1}), 0, 0));
        assertTrue(oob.getMessage().startsWith("unary EXP:") && oob.getMessage().contains("3 float32"), oob.getMessage());
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> gpu.binary(BinaryOp.ADD, view(b, 3), view(b, 3), view(d, 3)));
        assertTrue(mixed.getMessage().contains("binary ADD") && mixed.getMessage().contains("float64"), mixed.getMessage());
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> gpu.unary(UnaryOp.EXP, view(b, 3), view(b, 1, 3), 0, 0));
        assertTrue(shapes.getMessage().contains("shapes differ"), shapes.getMessage());
        Buffer closed = gpu.allocate(DType.FLOAT32, 3);
        closed.close();
        assertTrue(closed.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> gpu.fill(view(closed, 3), 0));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        Buffer foreign = new ForeignBuffer();
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> gpu.fill(view(foreign, 3), 0));
        assertTrue(f.getMessage().contains("fill") && f.getMessage().contains("cpu"), f.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gpu.unary(UnaryOp.EXP, view(uploadLongs(1), 1), view(uploadLongs(1), 1), 0, 0));
    }

    /** A buffer from some other backend. */
    private static final class ForeignBuffer implements Buffer {
        @Override public DType dtype() { return DType.FLOAT32; }
        @Override public long length() { return 3; }
        @Override public io.jgrad.Device device() { return io.jgrad.Device.CPU; }
        @Override public boolean isClosed() { return false; }
        @Override public void close() { }
    }
}
