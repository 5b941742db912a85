package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.CORE_DTYPES;
import static io.jgrad.conformance.KernelViews.OUTPUT_LAYOUTS;
import static io.jgrad.conformance.KernelViews.assertUntouched;
import static io.jgrad.conformance.KernelViews.input;
import static io.jgrad.conformance.KernelViews.output;
import static io.jgrad.conformance.KernelViews.randomShape;
import static io.jgrad.conformance.KernelViews.read;
import static io.jgrad.conformance.KernelViews.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.conformance.KernelViews.Operand;
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
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kernel-level contract of {@link Backend}: every primitive and every fused default, checked against float64
 * references computed here in plain Java with {@link ScalarMath} and {@link CounterRandom}. Inputs come in seeded
 * random shapes (rank 0 to 4) and layouts: contiguous, offset, transposed (permuted axes), sliced windows, every
 * other element, and stride-0 broadcasts; outputs in every layout but broadcast, with a check that nothing outside
 * the output view changed. Fused kernels must also agree with the default composition of primitives, which
 * {@link DefaultsOnly} runs on the same backend.
 * <p>
 * A backend runs the suite by subclassing and returning itself from {@link #backend()}. The suite touches the
 * backend only through the SPI (allocate, upload, download and the kernels).
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

    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};
    private static final Layout[] ALL_LAYOUTS = Layout.values();

    // ---------------------------------------------------------------- memory

    @Test
    public void uploadDownloadRoundTripsEveryDtype() {
        Backend be = backend();
        float[] f = {1.5f, -2f, Float.NaN, Float.POSITIVE_INFINITY, 3e-40f};
        double[] d = {1.5, -2, Double.NaN, Double.NEGATIVE_INFINITY, 4.9e-324};
        long[] l = {1, -2, Long.MAX_VALUE, Long.MIN_VALUE, 0};
        try (Buffer bf = be.upload(f); Buffer bd = be.upload(d); Buffer bl = be.upload(l)) {
            assertEquals(DType.FLOAT32, bf.dtype());
            assertEquals(DType.FLOAT64, bd.dtype());
            assertEquals(DType.INT64, bl.dtype());
            assertEquals(5, bf.length());
            assertEquals(be.device(), bf.device());
            float[] f2 = new float[5];
            be.download(bf, 0, f2, 0, 5);
            assertArrayEquals(f, f2);
            double[] d2 = new double[5];
            be.download(bd, 0, d2, 0, 5);
            assertArrayEquals(d, d2);
            long[] l2 = new long[7];
            be.download(bl, 1, l2, 2, 3); // partial: source and destination offsets
            assertArrayEquals(new long[]{0, 0, -2, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0}, l2);
        }
        f[0] = 99f; // upload copies: later host writes do not reach the buffer
        try (Buffer bf = be.upload(new float[]{7f})) {
            float[] back = new float[1];
            be.download(bf, 0, back, 0, 1);
            assertEquals(7f, back[0]);
        }
    }

    @Test
    public void allocateGivesBuffersOfTheRequestedSizeAndClosingIsFinal() {
        Backend be = backend();
        for (DType dt : CORE_DTYPES) {
            Buffer b = be.allocate(dt, 37);
            assertEquals(dt, b.dtype());
            assertEquals(37, b.length());
            assertFalse(b.isClosed());
            View v = View.contiguous(b, 37);
            be.fill(v, 3);
            assertEquals(3.0, read(be, v)[36]);
            b.close();
            assertTrue(b.isClosed());
            b.close(); // closing twice is harmless
            assertThrows(RuntimeException.class, () -> be.fill(v, 1), "a kernel on a closed " + dt + " buffer");
        }
        try (Buffer empty = be.allocate(DType.FLOAT32, 0)) {
            assertEquals(0, empty.length());
        }
    }

    // ---------------------------------------------------------------- unary

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    public void unaryMatchesScalarMath(UnaryOp op) {
        Backend be = backend();
        double a = unaryParamA(op), b = unaryParamB(op);
        for (DType dt : FLOATS) {
            for (int c = 0; c < 14; c++) {
                Random rnd = new Random(1000L * op.ordinal() + 10 * c + dt.ordinal());
                int[] shape = randomShape(rnd, c % 5, c % 5 <= 2 ? 9 : 4);
                Operand in = input(be, dt, shape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, unaryInputs(op, rnd));
                Operand out = output(be, dt, shape, OUTPUT_LAYOUTS[(c / 2) % OUTPUT_LAYOUTS.length], rnd);
                be.unary(op, out.view, in.view, a, b);
                checkUnary(op, dt, in.values, read(be, out.view), a, b, "unary " + op + " " + dt + " in " + in + " out " + out);
                assertUntouched(be, out.view, "unary " + op);
            }
            // in place, and a big one that splits across threads (transposed for float64: the strided path)
            Random rnd = new Random(77 + op.ordinal());
            Operand x = input(be, dt, new int[]{5, 6}, Layout.SLICED, rnd, unaryInputs(op, rnd));
            be.unary(op, x.view, x.view, a, b);
            checkUnary(op, dt, x.values, read(be, x.view), a, b, "unary " + op + " " + dt + " in place");
            int[] big = {400, 400};
            Layout bigLayout = dt == DType.FLOAT32 ? Layout.CONTIGUOUS : Layout.TRANSPOSED;
            Operand in = input(be, dt, big, bigLayout, rnd, unaryInputs(op, rnd));
            Operand out = output(be, dt, big, Layout.CONTIGUOUS, rnd);
            be.unary(op, out.view, in.view, a, b);
            checkUnary(op, dt, in.values, read(be, out.view), a, b, "unary " + op + " " + dt + " big " + bigLayout);
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    public void unarySpecialValuesFollowScalarMath(UnaryOp op) {
        Backend be = backend();
        double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1e-30, -1e-30,
                1e30, -1e30, 1, -1, 0.5, -0.5, 30, -30};
        double a = unaryParamA(op), b = unaryParamB(op);
        for (DType dt : FLOATS) {
            Operand in = input(be, dt, new int[]{special.length}, Layout.CONTIGUOUS, new Random(1), special);
            Operand out = output(be, dt, new int[]{special.length}, Layout.CONTIGUOUS, new Random(1));
            be.unary(op, out.view, in.view, a, b);
            checkUnary(op, dt, in.values, read(be, out.view), a, b, "unary " + op + " " + dt + " special values");
        }
    }

    private static void checkUnary(UnaryOp op, DType dt, double[] x, double[] got, double a, double b, String what) {
        double rel = unaryTolerance(op, dt), abs = unaryAbsTolerance(op, dt);
        for (int i = 0; i < x.length; i++) {
            double want = round(dt, ScalarMath.unary(op, x[i], a, b));
            double xi = x[i];
            assertClose(want, got[i], rel, abs, what, i, lazy(() -> "x = " + xi));
        }
    }

    private static double unaryParamA(UnaryOp op) {
        switch (op) {
            case POW: return 2.5;
            case CLAMP: return -0.5;
            case AFFINE: return 1.7;
            case RDIV: return -3.0;
            case LEAKY_RELU: return 0.01;
            default: return 0;
        }
    }

    private static double unaryParamB(UnaryOp op) {
        return op == UnaryOp.CLAMP ? 0.75 : op == UnaryOp.AFFINE ? -0.3 : 0;
    }

    /** Inputs inside each op's domain, away from poles, with both signs where the op allows them. */
    private static DoubleSupplier unaryInputs(UnaryOp op, Random rnd) {
        switch (op) {
            case LOG: case SQRT: case RSQRT: return uniform(rnd, 0.01, 20);
            case POW: return uniform(rnd, 0.05, 4);
            case RECIPROCAL: case RDIV: return () -> (rnd.nextBoolean() ? 1 : -1) * (0.1 + 10 * rnd.nextDouble());
            case EXP: return uniform(rnd, -30, 30);
            case SIN: case COS: return uniform(rnd, -10, 10);
            case TANH: case SIGMOID: case GELU: case GELU_GRAD:
                return () -> rnd.nextInt(8) == 0 ? 1e-4 * rnd.nextGaussian() : 9 * (2 * rnd.nextDouble() - 1);
            case STEP: case RELU: case SIGN: case LEAKY_RELU:
                return () -> rnd.nextInt(6) == 0 ? 0.0 : 6 * rnd.nextDouble() - 3;
            default: return uniform(rnd, -5, 5);
        }
    }

    private static double unaryTolerance(UnaryOp op, DType dt) {
        boolean f32 = dt == DType.FLOAT32;
        switch (op) {
            case NEG: case ABS: case SIGN: case RELU: case STEP: case CLAMP: case SQUARE: case RECIPROCAL:
            case AFFINE: case RDIV: case LEAKY_RELU: case SQRT:
                return f32 ? 0x1p-23 : 0x1p-52;
            case GELU: case GELU_GRAD:
                return f32 ? 2e-6 : 1e-14;
            default:
                return f32 ? 3 * 0x1p-23 : 4 * 0x1p-52;
        }
    }

    private static double unaryAbsTolerance(UnaryOp op, DType dt) {
        boolean f32 = dt == DType.FLOAT32;
        // ScalarMath computes Phi(x) as 0.5 * (1 + erf(x / sqrt 2)), which cancels for x << 0: its GELU and GELU_GRAD
        // are accurate only to ~1e-15 absolute there (1e-4 relative at x = -7), so a more accurate backend must pass.
        // GELU_GRAD is also a difference of O(1) terms near x = -0.75.
        if (op == UnaryOp.GELU) return 1e-14;
        if (op == UnaryOp.GELU_GRAD) return f32 ? 2e-7 : 1e-14;
        return f32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
    }

    // ---------------------------------------------------------------- binary

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    public void binaryMatchesScalarMath(BinaryOp op) {
        Backend be = backend();
        for (DType dt : FLOATS) {
            for (int c = 0; c < 14; c++) {
                Random rnd = new Random(2000L * op.ordinal() + 10 * c + dt.ordinal());
                int[] shape = randomShape(rnd, c % 5, c % 5 <= 2 ? 9 : 4);
                Operand x = input(be, dt, shape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, binaryInputs(op, rnd, true));
                Operand y = input(be, dt, shape, ALL_LAYOUTS[(c + 3) % ALL_LAYOUTS.length], rnd, binaryInputs(op, rnd, false));
                Operand out = output(be, dt, shape, OUTPUT_LAYOUTS[(c / 2) % OUTPUT_LAYOUTS.length], rnd);
                be.binary(op, out.view, x.view, y.view);
                String what = "binary " + op + " " + dt + " x " + x + " y " + y + " out " + out;
                checkBinary(op, dt, x.values, y.values, read(be, out.view), what);
                assertUntouched(be, out.view, what);
            }
            Random rnd = new Random(99 + op.ordinal());
            // in place (out is x), with y broadcast along rows: the bias-add pattern
            Operand x = input(be, dt, new int[]{6, 7}, Layout.CONTIGUOUS, rnd, binaryInputs(op, rnd, true));
            Operand row = input(be, dt, new int[]{1, 7}, Layout.CONTIGUOUS, rnd, binaryInputs(op, rnd, false));
            View y = new View(row.view.buffer, row.view.offset, new int[]{6, 7}, new long[]{0, 1});
            double[] yValues = new double[42];
            for (int i = 0; i < 42; i++) yValues[i] = row.values[i % 7];
            be.binary(op, x.view, x.view, y);
            checkBinary(op, dt, x.values, yValues, read(be, x.view), "binary " + op + " " + dt + " in place, row broadcast");
            // big: split across threads
            int[] big = {400, 420};
            Operand bx = input(be, dt, big, dt == DType.FLOAT32 ? Layout.CONTIGUOUS : Layout.TRANSPOSED, rnd, binaryInputs(op, rnd, true));
            Operand by = input(be, dt, big, Layout.BROADCAST, rnd, binaryInputs(op, rnd, false));
            Operand bo = output(be, dt, big, Layout.CONTIGUOUS, rnd);
            be.binary(op, bo.view, bx.view, by.view);
            checkBinary(op, dt, bx.values, by.values, read(be, bo.view), "binary " + op + " " + dt + " big");
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    public void binarySpecialValuesFollowScalarMath(BinaryOp op) {
        Backend be = backend();
        double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1.5, -2};
        int n = special.length;
        double[] xs = new double[n * n], ys = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                xs[i * n + j] = special[i];
                ys[i * n + j] = special[j];
            }
        }
        for (DType dt : FLOATS) {
            Random rnd = new Random(5);
            Operand x = input(be, dt, new int[]{n, n}, Layout.CONTIGUOUS, rnd, xs);
            Operand y = input(be, dt, new int[]{n, n}, Layout.CONTIGUOUS, rnd, ys);
            Operand out = output(be, dt, new int[]{n, n}, Layout.CONTIGUOUS, rnd);
            be.binary(op, out.view, x.view, y.view);
            checkBinary(op, dt, x.values, y.values, read(be, out.view), "binary " + op + " " + dt + " special values");
        }
    }

    @ParameterizedTest
    @EnumSource(value = BinaryOp.class, names = {"EQ", "NE", "LT", "LE", "GT", "GE"})
    public void comparisonsWriteAnyOutputDtype(BinaryOp op) {
        Backend be = backend();
        for (DType operands : CORE_DTYPES) {
            for (DType result : CORE_DTYPES) {
                for (int c = 0; c < 3; c++) {
                    Random rnd = new Random(3000L * op.ordinal() + 100 * operands.ordinal() + 10 * result.ordinal() + c);
                    int[] shape = randomShape(rnd, 1 + c, 6);
                    // a few distinct values, so that ties are common
                    DoubleSupplier gen = () -> rnd.nextInt(5) - 2 + (operands == DType.INT64 ? 0 : 0.5 * rnd.nextInt(2));
                    Operand x = input(be, operands, shape, ALL_LAYOUTS[(c + operands.ordinal()) % ALL_LAYOUTS.length], rnd, gen);
                    Operand y = input(be, operands, shape, ALL_LAYOUTS[(c + 2) % ALL_LAYOUTS.length], rnd, gen);
                    Operand out = output(be, result, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                    be.binary(op, out.view, x.view, y.view);
                    double[] got = read(be, out.view);
                    for (int i = 0; i < got.length; i++) {
                        double want = ScalarMath.binary(op, x.values[i], y.values[i]);
                        if (got[i] != want) {
                            throw new AssertionError("binary " + op + " of " + operands + " into " + result + " at " + i + ": "
                                    + x.values[i] + " vs " + y.values[i] + " gave " + got[i] + ", want " + want);
                        }
                    }
                    assertUntouched(be, out.view, "comparison " + op);
                }
            }
        }
    }

    private static void checkBinary(BinaryOp op, DType dt, double[] x, double[] y, double[] got, String what) {
        double rel = op == BinaryOp.POW ? (dt == DType.FLOAT32 ? 3 * 0x1p-23 : 4 * 0x1p-52) : (dt == DType.FLOAT32 ? 0x1p-23 : 0x1p-52);
        double abs = dt == DType.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        for (int i = 0; i < got.length; i++) {
            double want = round(dt, ScalarMath.binary(op, x[i], y[i]));
            double xi = x[i], yi = y[i];
            assertClose(want, got[i], rel, abs, what, i, lazy(() -> "x = " + xi + ", y = " + yi));
        }
    }

    private static DoubleSupplier binaryInputs(BinaryOp op, Random rnd, boolean first) {
        switch (op) {
            case DIV: return first ? uniform(rnd, -5, 5) : () -> (rnd.nextBoolean() ? 1 : -1) * (0.1 + 5 * rnd.nextDouble());
            case POW: return first ? uniform(rnd, 0.05, 3) : uniform(rnd, -2.5, 2.5);
            case EQ: case NE: case LT: case LE: case GT: case GE: case MAX: case MIN:
                return () -> rnd.nextInt(4) == 0 ? rnd.nextInt(3) - 1 : 4 * rnd.nextDouble() - 2;
            default: return uniform(rnd, -5, 5);
        }
    }

    @Test
    public void kernelsHandleRankEightViews() {
        Backend be = backend();
        for (int c = 0; c < 6; c++) {
            Random rnd = new Random(2500 + c);
            DType dt = FLOATS[c % 2];
            int[] shape = randomShape(rnd, 8, 3);
            Operand x = input(be, dt, shape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, uniform(rnd, -3, 3));
            Operand y = input(be, dt, shape, Layout.BROADCAST, rnd, uniform(rnd, -3, 3));
            Operand out = output(be, dt, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
            String what = "rank 8 " + dt + " x " + x + " y " + y + " out " + out;
            be.binary(BinaryOp.MUL, out.view, x.view, y.view);
            checkBinary(BinaryOp.MUL, dt, x.values, y.values, read(be, out.view), "binary MUL " + what);
            assertUntouched(be, out.view, what);
            be.unary(UnaryOp.EXP, out.view, x.view, 0, 0);
            checkUnary(UnaryOp.EXP, dt, x.values, read(be, out.view), 0, 0, "unary EXP " + what);
            be.copy(out.view, y.view);
            assertArrayEquals(y.values, read(be, out.view), "copy " + what);
            int axis = rnd.nextInt(8);
            int[] reduced = shape.clone();
            reduced[axis] = 1;
            Operand sum = output(be, dt, reduced, OUTPUT_LAYOUTS[(c + 2) % OUTPUT_LAYOUTS.length], rnd);
            be.reduce(ReduceOp.SUM, sum.view, x.view, axis);
            checkReduce(ReduceOp.SUM, dt, x.values, shape, axis, read(be, sum.view), "reduce SUM axis " + axis + " " + what);
        }
    }

    // ---------------------------------------------------------------- where

    @Test
    public void whereSelectsWithAConditionOfAnyDtype() {
        Backend be = backend();
        for (DType condType : CORE_DTYPES) {
            for (DType dt : CORE_DTYPES) {
                for (int c = 0; c < 4; c++) {
                    Random rnd = new Random(4000 + 100 * condType.ordinal() + 10 * dt.ordinal() + c);
                    int[] shape = randomShape(rnd, c + 1, 6);
                    DoubleSupplier condGen = () -> {
                        int k = rnd.nextInt(4);
                        if (k == 0 && condType != DType.INT64) return Double.NaN; // NaN != 0: selects x
                        return k <= 1 ? 0 : rnd.nextInt(5) - 2;
                    };
                    Operand cond = input(be, condType, shape, ALL_LAYOUTS[(c + 1) % ALL_LAYOUTS.length], rnd, condGen);
                    Operand x = input(be, dt, shape, ALL_LAYOUTS[(c + 2) % ALL_LAYOUTS.length], rnd, uniform(rnd, -100, 100));
                    Operand y = input(be, dt, shape, ALL_LAYOUTS[(c + 5) % ALL_LAYOUTS.length], rnd, uniform(rnd, -100, 100));
                    Operand out = output(be, dt, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                    be.where(out.view, cond.view, x.view, y.view);
                    double[] got = read(be, out.view);
                    for (int i = 0; i < got.length; i++) {
                        double want = cond.values[i] != 0 ? x.values[i] : y.values[i];
                        if (got[i] != want) {
                            throw new AssertionError("where with " + condType + " condition, " + dt + " data at " + i + ": cond "
                                    + cond.values[i] + " gave " + got[i] + ", want " + want);
                        }
                    }
                    assertUntouched(be, out.view, "where");
                }
            }
        }
    }

    // ---------------------------------------------------------------- reduce

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    public void reduceMatchesReference(ReduceOp op) {
        Backend be = backend();
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        DType[] types = op == ReduceOp.SUM ? FLOATS : CORE_DTYPES;
        for (DType dt : types) {
            for (int c = 0; c < 16; c++) {
                Random rnd = new Random(5000L * op.ordinal() + 10 * c + dt.ordinal());
                int rank = 1 + c % 4;
                int[] shape = randomShape(rnd, rank, rank <= 2 ? 12 : 5);
                int axis = rnd.nextInt(rank);
                // few distinct values, so that MAX/MIN and ARGMAX/ARGMIN ties are common
                DoubleSupplier gen = arg || dt == DType.INT64 ? () -> rnd.nextInt(7) - 3 : uniform(rnd, -10, 10);
                Operand in = input(be, dt, shape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, gen);
                int[] outShape = shape.clone();
                outShape[axis] = 1;
                Operand out = output(be, arg ? DType.INT64 : dt, outShape, OUTPUT_LAYOUTS[(c / 3) % OUTPUT_LAYOUTS.length], rnd);
                be.reduce(op, out.view, in.view, axis);
                String what = "reduce " + op + " " + dt + " axis " + axis + " in " + in + " out " + out;
                checkReduce(op, dt, in.values, shape, axis, read(be, out.view), what);
                assertUntouched(be, out.view, what);
            }
        }
        // big ones along each axis of a matrix, split across threads
        for (DType dt : FLOATS) {
            Random rnd = new Random(6000 + op.ordinal());
            int[] big = {500, 300};
            DoubleSupplier gen = arg ? () -> rnd.nextInt(50) : uniform(rnd, -1, 1);
            Operand in = input(be, dt, big, dt == DType.FLOAT32 ? Layout.CONTIGUOUS : Layout.TRANSPOSED, rnd, gen);
            for (int axis = 0; axis < 2; axis++) {
                int[] outShape = big.clone();
                outShape[axis] = 1;
                Operand out = output(be, arg ? DType.INT64 : dt, outShape, Layout.CONTIGUOUS, rnd);
                be.reduce(op, out.view, in.view, axis);
                checkReduce(op, dt, in.values, big, axis, read(be, out.view), "reduce " + op + " " + dt + " big axis " + axis);
            }
        }
    }

    @Test
    public void reductionsPropagateNaN() {
        Backend be = backend();
        for (DType dt : FLOATS) {
            double[] values = {1, 2, Double.NaN, 4, 5, 6, 7, 8};
            Operand in = input(be, dt, new int[]{2, 4}, Layout.CONTIGUOUS, new Random(1), values);
            for (ReduceOp op : new ReduceOp[]{ReduceOp.SUM, ReduceOp.MAX, ReduceOp.MIN}) {
                Operand out = output(be, dt, new int[]{2, 1}, Layout.CONTIGUOUS, new Random(1));
                be.reduce(op, out.view, in.view, 1);
                double[] got = read(be, out.view);
                assertTrue(Double.isNaN(got[0]), op + " " + dt + " of a row with NaN gave " + got[0]);
                assertFalse(Double.isNaN(got[1]), op + " " + dt + " of a row without NaN gave NaN");
            }
        }
    }

    @Test
    public void float32SumOfAMillionElementsStaysWithinFloat32Rounding() {
        Backend be = backend();
        int n = 1_000_000;
        Random rnd = new Random(11);
        double[] values = new double[n];
        double want = 0;
        for (int i = 0; i < n; i++) {
            values[i] = (float) (rnd.nextDouble() + 0.5); // all positive: nothing cancels, any drift shows
            want += values[i];
        }
        Operand in = input(be, DType.FLOAT32, new int[]{n}, Layout.CONTIGUOUS, rnd, values);
        Operand out = output(be, DType.FLOAT32, new int[]{1}, Layout.CONTIGUOUS, rnd);
        be.reduce(ReduceOp.SUM, out.view, in.view, 0);
        double got = read(be, out.view)[0];
        // a plain float accumulator is off by ~1e-4 relative here; pairwise or wider accumulation by ~1e-7
        assertClose(want, got, 4 * 0x1p-24, 0, "float32 sum of 1e6 values", 0, "");
    }

    private static void checkReduce(ReduceOp op, DType dt, double[] x, int[] shape, int axis, double[] got, String what) {
        int outer = 1, inner = 1, len = shape[axis];
        for (int d = 0; d < axis; d++) outer *= shape[d];
        for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double sum = 0, sumAbs = 0, best = x[o * len * inner + i];
                int at = 0;
                for (int k = 0; k < len; k++) {
                    double v = x[(o * len + k) * inner + i];
                    sum += v;
                    sumAbs += Math.abs(v);
                    boolean better = op == ReduceOp.ARGMIN || op == ReduceOp.MIN ? v < best : v > best;
                    if (better) {
                        best = v;
                        at = k;
                    }
                }
                int j = o * inner + i;
                switch (op) {
                    case SUM:
                        assertClose(round(dt, sum), got[j], 0, (dt == DType.FLOAT32 ? 0x1p-22 : 0x1p-50) * sumAbs, what, j, "");
                        break;
                    case MAX: case MIN:
                        assertClose(best, got[j], 0, 0, what, j, "");
                        break;
                    default:
                        assertClose(at, got[j], 0, 0, what, j, "the first extreme");
                }
            }
        }
    }

    // ---------------------------------------------------------------- gemm

    @Test
    public void gemmMatchesReferenceForAllTransposesAndOddSizes() {
        Backend be = backend();
        int[][] sizes = {{1, 1, 1}, {7, 33, 129}, {129, 7, 33}, {33, 129, 7}, {1, 129, 33}, {129, 1, 7}, {64, 64, 64},
                {7, 1, 129}, {33, 33, 1}};
        double[][] alphaBeta = {{1, 0}, {-0.5, 1}, {2, 0.25}};
        int c = 0;
        for (DType dt : FLOATS) {
            for (int t = 0; t < 4; t++) {
                for (int[] s : sizes) {
                    double[] ab = alphaBeta[c % alphaBeta.length];
                    runGemm(be, dt, t >= 2, t % 2 == 1, 1, s[0], s[1], s[2], ab[0], ab[1], false, false, new Random(7000 + c));
                    c++;
                }
            }
        }
    }

    @Test
    public void gemmBatchesWithSharedAndSeparateOperands() {
        Backend be = backend();
        int c = 0;
        for (DType dt : FLOATS) {
            for (int t = 0; t < 4; t++) {
                for (int shared = 0; shared < 3; shared++) { // 0: none, 1: A shared (stride 0), 2: B shared
                    runGemm(be, dt, t >= 2, t % 2 == 1, 3 + c % 3, 5 + c % 7, 9 + c % 5, 17 + c % 11, 1.5, c % 2 == 0 ? 0 : 0.5,
                            shared == 1, shared == 2, new Random(8000 + c));
                    c++;
                }
            }
        }
        // many small products: a batch big enough to be split across threads
        runGemm(be, DType.FLOAT32, false, true, 64, 16, 16, 24, 1, 0, false, false, new Random(8100));
    }

    @Test
    public void gemmLargeFloat32ProductsMatchReference() {
        Backend be = backend();
        runGemm(be, DType.FLOAT32, false, false, 1, 515, 509, 520, 1, 0, false, false, new Random(9000));
        runGemm(be, DType.FLOAT32, true, true, 1, 260, 300, 270, 0.5, 1, false, false, new Random(9001));
        runGemm(be, DType.FLOAT64, true, false, 1, 200, 210, 190, 1, 0, false, false, new Random(9002));
    }

    @Test
    public void gemmWithBetaZeroIgnoresWhatCHeldAndKZeroScalesC() {
        Backend be = backend();
        for (DType dt : FLOATS) {
            // beta = 0: C starts as NaN, as in freshly allocated memory, and must not leak into the result
            double[] a = {1, 2, 3, 4, 5, 6};
            double[] b = {1, 0, -1, 2, 0.5, 1};
            Buffer ab = KernelViews.upload(be, dt, a), bb = KernelViews.upload(be, dt, b);
            Buffer cb = KernelViews.upload(be, dt, new double[]{Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            be.gemm(new Gemm(false, false, 1, 2, 2, 3, 1, ab, 0, 3, 0, bb, 0, 2, 0, 0, cb, 0, 2, 0, false));
            // [1 2 3; 4 5 6] x [1 0; -1 2; 0.5 1] = [0.5 7; 2 16]
            assertArrayEquals(new double[]{0.5, 7, 2, 16}, KernelViews.readBuffer(be, cb), 1e-6, dt + " beta 0");
            // k = 0: C = beta * C
            Buffer c2 = KernelViews.upload(be, dt, new double[]{1, 2, 3, 4});
            be.gemm(new Gemm(false, false, 1, 2, 2, 0, 1, ab, 0, 1, 0, bb, 0, 2, 0, 0.5, c2, 0, 2, 0, false));
            assertArrayEquals(new double[]{0.5, 1, 1.5, 2}, KernelViews.readBuffer(be, c2), 0, dt + " k 0");
        }
    }

    /**
     * One gemm call on operands with random padding (ld &gt; cols), offsets and batch strides, checked against a
     * float64 reference with the classic bound |error| &lt;= (k + 2) eps sum |alpha a b| + |beta c|.
     */
    private static void runGemm(Backend be, DType dt, boolean ta, boolean tb, int batch, int m, int n, int k,
                                double alpha, double beta, boolean shareA, boolean shareB, Random rnd) {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + rnd.nextInt(3), ldb = bCols + rnd.nextInt(3), ldc = n + rnd.nextInt(3);
        long offA = rnd.nextInt(4), offB = rnd.nextInt(4), offC = rnd.nextInt(4);
        long strideA = shareA ? 0 : (long) aRows * lda + rnd.nextInt(3);
        long strideB = shareB ? 0 : (long) bRows * ldb + rnd.nextInt(3);
        long strideC = (long) m * ldc + rnd.nextInt(3);
        double[] a = gemmOperand(dt, offA + (batch - 1) * strideA + (long) aRows * lda, rnd);
        double[] b = gemmOperand(dt, offB + (batch - 1) * strideB + (long) bRows * ldb, rnd);
        double[] c = gemmOperand(dt, offC + (batch - 1) * strideC + (long) m * ldc, rnd);
        if (beta == 0) Arrays.fill(c, Double.NaN); // beta 0 must not read C
        Buffer ab = KernelViews.upload(be, dt, a), bb = KernelViews.upload(be, dt, b), cb = KernelViews.upload(be, dt, c);
        be.gemm(new Gemm(ta, tb, batch, m, n, k, alpha, ab, offA, lda, strideA, bb, offB, ldb, strideB, beta, cb, offC,
                ldc, strideC, false));
        double[] got = KernelViews.readBuffer(be, cb);
        String what = "gemm " + dt + " transA " + ta + " transB " + tb + " batch " + batch + " m " + m + " n " + n + " k " + k
                + " alpha " + alpha + " beta " + beta + " lda " + lda + " ldb " + ldb + " ldc " + ldc
                + " strideA " + strideA + " strideB " + strideB;
        double eps = dt == DType.FLOAT32 ? 0x1p-24 : 0x1p-53;
        boolean[] covered = new boolean[c.length];
        double[] opA = new double[m * k], opBt = new double[n * k]; // op(A) row-major, op(B) transposed
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int l = 0; l < k; l++) {
                    opA[i * k + l] = a[(int) (offA + p * strideA + (ta ? (long) l * lda + i : (long) i * lda + l))];
                }
            }
            for (int j = 0; j < n; j++) {
                for (int l = 0; l < k; l++) {
                    opBt[j * k + l] = b[(int) (offB + p * strideB + (tb ? (long) j * ldb + l : (long) l * ldb + j))];
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0, sumAbs = 0;
                    for (int l = 0; l < k; l++) {
                        double prod = opA[i * k + l] * opBt[j * k + l];
                        sum += prod;
                        sumAbs += Math.abs(prod);
                    }
                    int at = (int) (offC + p * strideC + (long) i * ldc + j);
                    double want = alpha * sum + (beta == 0 ? 0 : beta * c[at]);
                    double bound = (k + 2) * eps * (Math.abs(alpha) * sumAbs + (beta == 0 ? 0 : Math.abs(beta * c[at])));
                    int pp = p, ii = i, jj = j;
                    assertClose(want, got[at], 0, bound + Double.MIN_NORMAL, what, at, lazy(() -> "batch " + pp + ", C(" + ii + ", " + jj + ")"));
                    covered[at] = true;
                }
            }
        }
        for (int i = 0; i < c.length; i++) {
            if (!covered[i] && !(Double.compare(got[i], c[i]) == 0)) {
                throw new AssertionError(what + ": C slot " + i + " outside the matrices changed from " + c[i] + " to " + got[i]);
            }
        }
    }

    private static double[] gemmOperand(DType dt, long size, Random rnd) {
        double[] v = new double[(int) size];
        for (int i = 0; i < v.length; i++) v[i] = KernelViews.representable(dt, 2 * rnd.nextDouble() - 1);
        return v;
    }

    // ---------------------------------------------------------------- gather / scatterAdd

    @Test
    public void gatherMatchesTorchSemantics() {
        Backend be = backend();
        for (DType dt : CORE_DTYPES) {
            for (int c = 0; c < 10; c++) {
                Random rnd = new Random(10_000 + 10 * dt.ordinal() + c);
                int rank = 1 + c % 3;
                int[] inShape = randomShape(rnd, rank, 6);
                int dim = rnd.nextInt(rank);
                int[] idxShape = new int[rank];
                for (int d = 0; d < rank; d++) idxShape[d] = d == dim ? 1 + rnd.nextInt(8) : 1 + rnd.nextInt(inShape[d]);
                int bound = inShape[dim];
                Operand in = input(be, dt, inShape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, uniform(rnd, -50, 50));
                Operand index = input(be, DType.INT64, idxShape, ALL_LAYOUTS[(c + 2) % ALL_LAYOUTS.length], rnd,
                        () -> rnd.nextInt(bound));
                Operand out = output(be, dt, idxShape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                be.gather(out.view, in.view, dim, index.view);
                double[] got = read(be, out.view);
                int[] pos = new int[rank];
                for (int i = 0; i < got.length; i++) {
                    KernelViews.unravel(i, idxShape, pos);
                    pos[dim] = (int) index.values[i];
                    double want = in.values[KernelViews.ravel(pos, inShape)];
                    assertEquals(want, got[i], "gather " + dt + " dim " + dim + " at " + i + " (in " + in + ", index " + index + ")");
                }
                assertUntouched(be, out.view, "gather");
            }
        }
    }

    @Test
    public void scatterAddAccumulatesRepeatedIndices() {
        Backend be = backend();
        for (DType dt : CORE_DTYPES) {
            for (int c = 0; c < 10; c++) {
                Random rnd = new Random(11_000 + 10 * dt.ordinal() + c);
                int rank = 1 + c % 3;
                int[] outShape = randomShape(rnd, rank, 5);
                int dim = rnd.nextInt(rank);
                int[] idxShape = new int[rank];
                for (int d = 0; d < rank; d++) idxShape[d] = d == dim ? 2 + rnd.nextInt(10) : 1 + rnd.nextInt(outShape[d]);
                int bound = outShape[dim];
                Operand out = input(be, dt, outShape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd, uniform(rnd, -5, 5));
                // more index entries along dim than out has: indices repeat
                Operand index = input(be, DType.INT64, idxShape, ALL_LAYOUTS[(c + 1) % ALL_LAYOUTS.length], rnd,
                        () -> rnd.nextInt(bound));
                Operand src = input(be, dt, idxShape, ALL_LAYOUTS[(c + 4) % ALL_LAYOUTS.length], rnd, uniform(rnd, -5, 5));
                be.scatterAdd(out.view, dim, index.view, src.view);
                double[] want = out.values.clone();
                double[] mag = new double[want.length];
                int[] pos = new int[rank];
                for (int i = 0; i < src.values.length; i++) {
                    KernelViews.unravel(i, idxShape, pos);
                    pos[dim] = (int) index.values[i];
                    int at = KernelViews.ravel(pos, outShape);
                    want[at] += src.values[i];
                    mag[at] += Math.abs(src.values[i]) + Math.abs(out.values[at]);
                }
                double[] got = read(be, out.view);
                String what = "scatterAdd " + dt + " dim " + dim + " (out " + out + ")";
                for (int i = 0; i < got.length; i++) {
                    double tol = dt == DType.FLOAT32 ? 1e-6 * mag[i] : dt == DType.FLOAT64 ? 1e-14 * mag[i] : 0;
                    assertClose(want[i], got[i], 0, tol, what, i, "");
                }
            }
        }
    }

    @Test
    public void gatherAndScatterAddRejectIndicesOutOfBounds() {
        Backend be = backend();
        for (long bad : new long[]{3, -1, 1000}) {
            Operand in = input(be, DType.FLOAT32, new int[]{2, 3}, Layout.CONTIGUOUS, new Random(1), uniform(new Random(1), 0, 1));
            Operand index = input(be, DType.INT64, new int[]{2, 2}, Layout.CONTIGUOUS, new Random(1), new double[]{0, 1, 2, bad});
            Operand out = output(be, DType.FLOAT32, new int[]{2, 2}, Layout.CONTIGUOUS, new Random(1));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> be.gather(out.view, in.view, 1, index.view));
            assertTrue(e.getMessage().contains(Long.toString(bad)), "the message names the index: " + e.getMessage());
            Operand src = input(be, DType.FLOAT32, new int[]{2, 2}, Layout.CONTIGUOUS, new Random(1), uniform(new Random(1), 0, 1));
            e = assertThrows(IndexOutOfBoundsException.class, () -> be.scatterAdd(in.view, 1, index.view, src.view));
            assertTrue(e.getMessage().contains(Long.toString(bad)), "the message names the index: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- copy / fill / random

    @Test
    public void copyConvertsBetweenAllDtypesInAnyLayout() {
        Backend be = backend();
        for (DType from : CORE_DTYPES) {
            for (DType to : CORE_DTYPES) {
                for (int c = 0; c < 6; c++) {
                    Random rnd = new Random(12_000 + 100 * from.ordinal() + 10 * to.ordinal() + c);
                    int[] shape = randomShape(rnd, c % 5, 6);
                    // integers, halves and a few big values: every conversion is exact or a defined truncation
                    DoubleSupplier gen = () -> rnd.nextInt(4) == 0 ? 1e6 * (rnd.nextInt(2000) - 1000) : 0.5 * (rnd.nextInt(41) - 20);
                    Operand in = input(be, from, shape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, gen);
                    Operand out = output(be, to, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                    be.copy(out.view, in.view);
                    double[] got = read(be, out.view);
                    for (int i = 0; i < got.length; i++) {
                        double v = in.values[i];
                        double want = to == DType.INT64 ? (double) (long) v : to == DType.FLOAT32 ? (float) v : v;
                        assertEquals(want, got[i], "copy " + from + " -> " + to + " at " + i + " (in " + in + ", out " + out + ")");
                    }
                    assertUntouched(be, out.view, "copy");
                }
            }
        }
        // a big transposed copy (the strided path across threads)
        Random rnd = new Random(12_999);
        Operand in = input(be, DType.FLOAT32, new int[]{420, 400}, Layout.TRANSPOSED, rnd, uniform(rnd, -1, 1));
        Operand out = output(be, DType.FLOAT32, new int[]{420, 400}, Layout.CONTIGUOUS, rnd);
        be.copy(out.view, in.view);
        assertArrayEquals(in.values, read(be, out.view), "big transposed copy");
    }

    @Test
    public void fillWritesEveryElementOfTheViewAndNothingElse() {
        Backend be = backend();
        for (DType dt : CORE_DTYPES) {
            for (int c = 0; c < 6; c++) {
                Random rnd = new Random(13_000 + 10 * dt.ordinal() + c);
                int[] shape = randomShape(rnd, c % 5, 7);
                Operand out = output(be, dt, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                be.fill(out.view, 42);
                for (double v : read(be, out.view)) assertEquals(42.0, v, "fill " + dt + " " + out);
                assertUntouched(be, out.view, "fill");
            }
        }
    }

    @Test
    public void randomWritesTheCounterRandomStreamInRowMajorOrder() {
        Backend be = backend();
        for (Distribution dist : Distribution.values()) {
            for (DType dt : FLOATS) {
                for (int c = 0; c < 5; c++) {
                    Random rnd = new Random(14_000 + 100 * dist.ordinal() + 10 * dt.ordinal() + c);
                    int[] shape = c == 4 ? new int[]{300, 250} : randomShape(rnd, c % 4, 9);
                    Operand out = output(be, dt, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                    long seed = rnd.nextLong();
                    double a = dist == Distribution.UNIFORM ? -2 : 0.5, b = dist == Distribution.UNIFORM ? 3 : 2;
                    be.random(out.view, dist, seed, a, b);
                    double[] got = read(be, out.view);
                    String what = "random " + dist + " " + dt + " " + out + " seed " + seed;
                    for (int i = 0; i < got.length; i++) {
                        double want = round(dt, CounterRandom.sample(dist, seed, i, a, b));
                        // uniform is exact arithmetic; normal goes through log and cos, which device libraries may
                        // round differently in the last bit
                        double rel = dist == Distribution.UNIFORM ? 0 : dt == DType.FLOAT32 ? 0x1p-23 : 1e-14;
                        assertClose(want, got[i], rel, dist == Distribution.UNIFORM ? 0 : 1e-14, what, i, "");
                    }
                    assertUntouched(be, out.view, "random");
                }
            }
        }
    }

    // ---------------------------------------------------------------- fused kernels

    @Test
    public void softmaxIsStableAndAgreesWithTheDefault() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        for (DType dt : FLOATS) {
            for (int c = 0; c < 12; c++) {
                Random rnd = new Random(15_000 + 10 * dt.ordinal() + c);
                int rank = 1 + c % 3;
                int[] shape = randomShape(rnd, rank, 9);
                int axis = c % 4 == 3 ? rnd.nextInt(rank) : rank - 1;
                boolean log = c % 2 == 1;
                double scale = c % 3 == 2 ? 1e4 : 5; // large logits: exp would overflow without the max shift
                Layout layout = c % 5 == 4 ? Layout.TRANSPOSED : Layout.CONTIGUOUS;
                Operand in = input(be, dt, shape, layout, rnd, uniform(rnd, -scale, scale));
                Operand out = output(be, dt, shape, Layout.CONTIGUOUS, rnd);
                Operand ref = output(be, dt, shape, Layout.CONTIGUOUS, rnd);
                be.softmax(out.view, in.view, axis, log);
                defaults.softmax(ref.view, in.view, axis, log);
                double[] got = read(be, out.view);
                String what = "softmax " + dt + " axis " + axis + " log " + log + " scale " + scale + " " + in;
                assertAgree(read(be, ref.view), got, dt, what + " vs default");
                // against float64 math
                int outer = 1, inner = 1, len = shape[axis];
                for (int d = 0; d < axis; d++) outer *= shape[d];
                for (int d = axis + 1; d < rank; d++) inner *= shape[d];
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        double max = Double.NEGATIVE_INFINITY, sum = 0;
                        for (int l = 0; l < len; l++) max = Math.max(max, in.values[(o * len + l) * inner + i]);
                        for (int l = 0; l < len; l++) sum += Math.exp(in.values[(o * len + l) * inner + i] - max);
                        for (int l = 0; l < len; l++) {
                            int at = (o * len + l) * inner + i;
                            double shifted = in.values[at] - max;
                            double want = log ? shifted - Math.log(sum) : Math.exp(shifted) / sum;
                            double tol = dt == DType.FLOAT32 ? 2e-6 : 1e-13;
                            assertClose(want, got[at], tol, tol * (log ? Math.abs(shifted) + 1 : 0) + 1e-30, what, at, "");
                        }
                    }
                }
            }
        }
    }

    @Test
    public void crossEntropyForwardAndBackwardAgreeWithTheDefaultAndTheMath() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        for (DType dt : FLOATS) {
            for (int c = 0; c < 6; c++) {
                Random rnd = new Random(16_000 + 10 * dt.ordinal() + c);
                int n = 1 + rnd.nextInt(12), classes = 1 + rnd.nextInt(9);
                double scale = c == 5 ? 300 : 4;
                Operand logits = input(be, dt, new int[]{n, classes}, Layout.CONTIGUOUS, rnd, uniform(rnd, -scale, scale));
                Operand targets = input(be, DType.INT64, new int[]{n}, c % 2 == 0 ? Layout.CONTIGUOUS : Layout.STEPPED, rnd,
                        () -> rnd.nextInt(classes));
                Operand losses = output(be, dt, new int[]{n}, c % 3 == 0 ? Layout.CONTIGUOUS : Layout.STEPPED, rnd);
                Operand logProbs = output(be, dt, new int[]{n, classes}, Layout.CONTIGUOUS, rnd);
                Operand losses2 = output(be, dt, new int[]{n}, Layout.CONTIGUOUS, rnd);
                Operand logProbs2 = output(be, dt, new int[]{n, classes}, Layout.CONTIGUOUS, rnd);
                be.crossEntropyForward(losses.view, logProbs.view, logits.view, targets.view);
                defaults.crossEntropyForward(losses2.view, logProbs2.view, logits.view, targets.view);
                String what = "crossEntropyForward " + dt + " n " + n + " classes " + classes;
                double[] gotLosses = read(be, losses.view);
                assertAgree(read(be, losses2.view), gotLosses, dt, what + " losses vs default");
                assertAgree(read(be, logProbs2.view), read(be, logProbs.view), dt, what + " logProbs vs default");
                assertUntouched(be, losses.view, what);
                for (int i = 0; i < n; i++) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < classes; j++) max = Math.max(max, logits.values[i * classes + j]);
                    for (int j = 0; j < classes; j++) sum += Math.exp(logits.values[i * classes + j] - max);
                    int t = (int) targets.values[i];
                    double want = -(logits.values[i * classes + t] - max - Math.log(sum));
                    double tol = dt == DType.FLOAT32 ? 2e-6 : 1e-13;
                    assertClose(want, gotLosses[i], tol, tol * (Math.abs(want) + 1), what, i, "");
                }
                // backward from the logProbs just computed
                Operand gradLosses = input(be, dt, new int[]{n}, c % 2 == 0 ? Layout.CONTIGUOUS : Layout.OFFSET, rnd,
                        uniform(rnd, -2, 2));
                Operand grad = output(be, dt, new int[]{n, classes}, Layout.CONTIGUOUS, rnd);
                Operand grad2 = output(be, dt, new int[]{n, classes}, Layout.CONTIGUOUS, rnd);
                be.crossEntropyBackward(grad.view, logProbs.view, targets.view, gradLosses.view);
                defaults.crossEntropyBackward(grad2.view, logProbs.view, targets.view, gradLosses.view);
                double[] g = read(be, grad.view);
                String backWhat = "crossEntropyBackward " + dt + " n " + n + " classes " + classes;
                assertAgree(read(be, grad2.view), g, dt, backWhat + " vs default");
                double[] lp = read(be, logProbs.view);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < classes; j++) {
                        double want = gradLosses.values[i] * (Math.exp(lp[i * classes + j]) - (j == (int) targets.values[i] ? 1 : 0));
                        double tol = dt == DType.FLOAT32 ? 2e-6 : 1e-14;
                        assertClose(want, g[i * classes + j], tol, tol, backWhat, i * classes + j, "");
                    }
                }
            }
        }
    }

    @Test
    public void biasActivationAgreesWithTheDefault() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        UnaryOp[] acts = {null, UnaryOp.RELU, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.GELU};
        for (DType dt : FLOATS) {
            for (int c = 0; c < 10; c++) {
                Random rnd = new Random(17_000 + 10 * dt.ordinal() + c);
                UnaryOp act = acts[c % acts.length];
                int[] shape = c == 9 ? new int[]{400, 200} : randomShape(rnd, 1 + c % 3, 9);
                int channels = shape[shape.length - 1];
                Operand x = input(be, dt, shape, c % 4 == 3 ? Layout.TRANSPOSED : Layout.CONTIGUOUS, rnd, uniform(rnd, -4, 4));
                Operand bias = input(be, dt, new int[]{channels}, c % 3 == 2 ? Layout.STEPPED : Layout.CONTIGUOUS, rnd,
                        uniform(rnd, -1, 1));
                Operand out = output(be, dt, shape, Layout.CONTIGUOUS, rnd);
                Operand ref = output(be, dt, shape, Layout.CONTIGUOUS, rnd);
                be.biasActivation(out.view, x.view, bias.view, act);
                defaults.biasActivation(ref.view, x.view, bias.view, act);
                assertAgree(read(be, ref.view), read(be, out.view), dt, "biasActivation " + act + " " + dt + " " + x);
            }
        }
    }

    @Test
    public void biasActivationBackwardAgreesWithTheDefaultAndTheMath() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        UnaryOp[] acts = {UnaryOp.RELU, UnaryOp.TANH, UnaryOp.SIGMOID};
        for (DType dt : FLOATS) {
            for (int c = 0; c < 9; c++) {
                Random rnd = new Random(17_200 + 10 * dt.ordinal() + c);
                UnaryOp act = acts[c % acts.length];
                int[] shape = c == 8 ? new int[]{300, 257} : randomShape(rnd, 1 + c % 3, 9);
                int channels = shape[shape.length - 1];
                double lo = act == UnaryOp.RELU ? -2 : act == UnaryOp.TANH ? -0.99 : 0.01, hi = act == UnaryOp.TANH ? 0.99 : act == UnaryOp.SIGMOID ? 0.99 : 2;
                Operand y = input(be, dt, shape, Layout.CONTIGUOUS, rnd, uniform(rnd, lo, hi));
                Operand g = input(be, dt, shape, c % 4 == 3 ? Layout.TRANSPOSED : Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
                Operand gx = output(be, dt, shape, Layout.CONTIGUOUS, rnd), gxRef = output(be, dt, shape, Layout.CONTIGUOUS, rnd);
                Operand gb = output(be, dt, new int[]{channels}, Layout.CONTIGUOUS, rnd);
                Operand gbRef = output(be, dt, new int[]{channels}, Layout.CONTIGUOUS, rnd);
                boolean wantBias = c != 4;
                be.biasActivationBackward(gx.view, wantBias ? gb.view : null, g.view, y.view, act);
                defaults.biasActivationBackward(gxRef.view, wantBias ? gbRef.view : null, g.view, y.view, act);
                String what = "biasActivationBackward " + act + " " + dt + " " + g;
                double[] got = read(be, gx.view);
                assertAgree(read(be, gxRef.view), got, dt, what + " gradX");
                for (int i = 0; i < got.length; i++) { // and the derivative itself
                    double yi = round(dt, y.values[i]), gi = round(dt, g.values[i]);
                    double d = act == UnaryOp.RELU ? (yi > 0 ? 1 : 0) : act == UnaryOp.TANH ? 1 - yi * yi : yi * (1 - yi);
                    assertClose(gi * d, got[i], dt == DType.FLOAT32 ? 1e-6 : 1e-14, 1e-7, what + " gradX vs math", i, "");
                }
                if (wantBias) assertAgree(read(be, gbRef.view), read(be, gb.view), dt, what + " gradBias");
            }
        }
    }

    @Test
    public void batchNormForwardAndBackwardAgreeWithTheDefault() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        for (DType dt : FLOATS) {
            for (int c = 0; c < 8; c++) {
                Random rnd = new Random(17_500 + 10 * dt.ordinal() + c);
                int rows = c == 7 ? 400 : 2 + rnd.nextInt(30), cols = c == 7 ? 200 : 1 + rnd.nextInt(40);
                int[] shape = {rows, cols};
                int[] vec = {cols};
                double offset = 3 * rnd.nextGaussian(); // a mean far from 0: the variance must not cancel
                Operand x = input(be, dt, shape, c % 4 == 3 ? Layout.TRANSPOSED : Layout.CONTIGUOUS, rnd, uniform(rnd, offset - 2, offset + 2));
                Operand w = input(be, dt, vec, c % 3 == 2 ? Layout.STEPPED : Layout.CONTIGUOUS, rnd, uniform(rnd, 0.5, 2));
                Operand b = input(be, dt, vec, Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
                Operand[] mine = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, vec, Layout.CONTIGUOUS, rnd),
                        output(be, dt, vec, c % 2 == 1 ? Layout.STEPPED : Layout.CONTIGUOUS, rnd)};
                Operand[] ref = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, vec, Layout.CONTIGUOUS, rnd),
                        output(be, dt, vec, Layout.CONTIGUOUS, rnd)};
                double eps = c % 2 == 0 ? 1e-5 : 1e-3;
                be.batchNormForward(mine[0].view, mine[1].view, mine[2].view, x.view, w.view, b.view, eps);
                defaults.batchNormForward(ref[0].view, ref[1].view, ref[2].view, x.view, w.view, b.view, eps);
                String what = "batchNormForward " + dt + " " + x;
                for (int i = 0; i < 3; i++) {
                    assertAgree(read(be, ref[i].view), read(be, mine[i].view), dt, what + " " + new String[]{"out", "mean", "var"}[i]);
                }
                // and the mean against the math, so that both cannot be wrong together
                double[] means = read(be, mine[1].view);
                for (int j = 0; j < cols; j++) {
                    double sum = 0;
                    for (int r = 0; r < rows; r++) sum += round(dt, x.values[r * cols + j]);
                    assertClose(sum / rows, means[j], dt == DType.FLOAT32 ? 1e-6 : 1e-13, 1e-6, what + " mean", j, "");
                }

                Operand g = input(be, dt, shape, c % 4 == 1 ? Layout.SLICED : Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
                boolean wantX = c != 5;
                Operand[] gm = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, vec, Layout.CONTIGUOUS, rnd),
                        output(be, dt, vec, Layout.CONTIGUOUS, rnd)};
                Operand[] gr = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, vec, Layout.CONTIGUOUS, rnd),
                        output(be, dt, vec, Layout.CONTIGUOUS, rnd)};
                be.batchNormBackward(wantX ? gm[0].view : null, gm[1].view, c == 6 ? null : gm[2].view, g.view, x.view,
                        mine[1].view, mine[2].view, w.view, eps);
                defaults.batchNormBackward(wantX ? gr[0].view : null, gr[1].view, c == 6 ? null : gr[2].view, g.view, x.view,
                        mine[1].view, mine[2].view, w.view, eps);
                for (int i = wantX ? 0 : 1; i < (c == 6 ? 2 : 3); i++) {
                    double[] want = read(be, gr[i].view), got = read(be, gm[i].view);
                    // gradX subtracts nearly equal terms: compare relative to the gradient's scale, not each element
                    double scale = 0;
                    for (double v : want) scale = Math.max(scale, Math.abs(v));
                    double tol = (dt == DType.FLOAT32 ? 2e-5 : 1e-12) * Math.max(1, scale);
                    for (int k = 0; k < want.length; k++) {
                        assertClose(want[k], got[k], 0, tol, "batchNormBackward " + dt + " " + new String[]{"gradX", "gradWeight", "gradBias"}[i], k, x);
                    }
                }
            }
        }
    }

    @Test
    public void adamUpdateAgreesWithTheDefault() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        double[][] configs = { // lr, beta1, beta2, eps, weightDecay, decoupled (0/1), step
                {1e-3, 0.9, 0.999, 1e-8, 0, 0, 1},
                {1e-2, 0.9, 0.999, 1e-8, 0.1, 0, 3},
                {1e-2, 0.8, 0.99, 1e-6, 0.05, 1, 10},
                {3e-4, 0.0, 0.5, 1e-8, 0, 1, 1000}};
        for (DType dt : FLOATS) {
            for (int c = 0; c < configs.length; c++) {
                double[] k = configs[c];
                Random rnd = new Random(18_000 + 10 * dt.ordinal() + c);
                int[] shape = c == 3 ? new int[]{300, 300} : randomShape(rnd, 1 + c % 2, 8);
                double[] p = values(rnd, shape, -1, 1), g = values(rnd, shape, -1, 1);
                double[] m = values(rnd, shape, -0.1, 0.1), v = values(rnd, shape, 0, 0.01);
                Operand[] mine = adamState(be, dt, shape, rnd, p, g, m, v);
                Operand[] ref = adamState(be, dt, shape, rnd, p, g, m, v);
                be.adamUpdate(mine[0].view, mine[1].view, mine[2].view, mine[3].view, k[0], k[1], k[2], k[3], k[4], k[5] == 1, (long) k[6]);
                defaults.adamUpdate(ref[0].view, ref[1].view, ref[2].view, ref[3].view, k[0], k[1], k[2], k[3], k[4], k[5] == 1, (long) k[6]);
                String what = "adamUpdate " + dt + " config " + c;
                for (int i = 0; i < 4; i++) {
                    if (i == 1) continue;
                    assertAgree(read(be, ref[i].view), read(be, mine[i].view), dt, what + " " + new String[]{"param", "grad", "m", "v"}[i]);
                }
            }
        }
    }

    @Test
    public void sgdUpdateAgreesWithTheDefault() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        double[][] configs = { // lr, momentum, dampening, weightDecay, nesterov (0/1), firstStep (0/1)
                {0.1, 0, 0, 0, 0, 0},
                {0.05, 0, 0, 0.01, 0, 1},
                {0.1, 0.9, 0, 0, 0, 1},
                {0.1, 0.9, 0.1, 0.001, 0, 0},
                {0.01, 0.9, 0, 0.01, 1, 0}};
        for (DType dt : FLOATS) {
            for (int c = 0; c < configs.length; c++) {
                double[] k = configs[c];
                Random rnd = new Random(19_000 + 10 * dt.ordinal() + c);
                int[] shape = c == 4 ? new int[]{300, 300} : randomShape(rnd, 1 + c % 2, 8);
                double[] p = values(rnd, shape, -1, 1), g = values(rnd, shape, -1, 1), buf = values(rnd, shape, -0.5, 0.5);
                boolean momentum = k[1] != 0;
                Operand[] mine = adamState(be, dt, shape, rnd, p, g, buf, buf);
                Operand[] ref = adamState(be, dt, shape, rnd, p, g, buf, buf);
                be.sgdUpdate(mine[0].view, mine[1].view, momentum ? mine[2].view : null, k[0], k[1], k[2], k[3], k[4] == 1, k[5] == 1);
                defaults.sgdUpdate(ref[0].view, ref[1].view, momentum ? ref[2].view : null, k[0], k[1], k[2], k[3], k[4] == 1, k[5] == 1);
                String what = "sgdUpdate " + dt + " config " + c;
                assertAgree(read(be, ref[0].view), read(be, mine[0].view), dt, what + " param");
                if (momentum) assertAgree(read(be, ref[2].view), read(be, mine[2].view), dt, what + " momentum buffer");
            }
        }
    }

    private static Operand[] adamState(Backend be, DType dt, int[] shape, Random rnd, double[]... arrays) {
        Operand[] ops = new Operand[arrays.length];
        for (int i = 0; i < arrays.length; i++) ops[i] = input(be, dt, shape, Layout.CONTIGUOUS, rnd, arrays[i]);
        return ops;
    }

    private static double[] values(Random rnd, int[] shape, double lo, double hi) {
        double[] v = new double[(int) View.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rnd.nextDouble();
        return v;
    }

    /** A fused result agrees with the default composition: a few ulps of its dtype, relative to the magnitude. */
    private static void assertAgree(double[] want, double[] got, DType dt, String what) {
        double tol = dt == DType.FLOAT32 ? 1e-5 : 1e-12;
        for (int i = 0; i < want.length; i++) assertClose(want[i], got[i], tol, tol, what, i, "");
    }

    // ---------------------------------------------------------------- helpers

    private static double round(DType dt, double v) {
        return dt == DType.FLOAT32 ? (float) v : v;
    }

    private static boolean close(double want, double got, double rel, double abs) {
        if (Double.isNaN(want)) return Double.isNaN(got);
        if (Double.isInfinite(want)) return got == want;
        return Math.abs(got - want) <= abs + rel * Math.abs(want);
    }

    /** Checks one element; the message (with its detail) is only built on failure. */
    private static void assertClose(double want, double got, double rel, double abs, Object what, int index, Object detail) {
        if (!close(want, got, rel, abs)) {
            String d = String.valueOf(detail);
            throw new AssertionError(what + ": element " + index + (d.isEmpty() ? "" : " (" + d + ")") + " is " + got
                    + ", want " + want + " (tolerance " + (abs + rel * Math.abs(want)) + ")");
        }
    }

    /** A message built only when printed. */
    private static Object lazy(java.util.function.Supplier<String> text) {
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
        public void synchronize() {
            inner.synchronize();
        }
    }
}
