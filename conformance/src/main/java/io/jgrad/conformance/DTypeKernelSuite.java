package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.OUTPUT_LAYOUTS;
import static io.jgrad.conformance.KernelViews.assertUntouched;
import static io.jgrad.conformance.KernelViews.input;
import static io.jgrad.conformance.KernelViews.output;
import static io.jgrad.conformance.KernelViews.randomShape;
import static io.jgrad.conformance.KernelViews.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgrad.DType;
import io.jgrad.HalfFloat;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.conformance.KernelViews.Operand;
import io.jgrad.spi.Backend;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.ScalarMath;
import io.jgrad.spi.View;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kernel contract for every dtype, int32 and bool included: transfers, copy with conversion between every pair,
 * fill, where with a bool condition, comparisons and logical ops into bool, integer arithmetic (checked against
 * {@link ScalarMath#binaryLong}, int32 keeping the low 32 bits), bool arithmetic, and gather/scatter-add of every
 * dtype. Inputs come in the same seeded random shapes and layouts as {@link KernelConformance}; outputs in every
 * output layout, with a check that nothing outside the view changed. A backend runs it through a one-line subclass.
 */
public abstract class DTypeKernelSuite {

    /** The backend under test. Called often; return the same instance. */
    protected abstract Backend backend();

    @AfterEach
    public void closeTestBuffers() {
        KernelViews.closeAll();
    }

    private static final Layout[] ALL_LAYOUTS = Layout.values();
    private static final DType[] INTEGERS = {DType.INT32, DType.INT64};

    /** Small values with ties and zeros, exact in every dtype (bool: non-zero is true). */
    private static DoubleSupplier small(Random rnd, DType dt) {
        return () -> rnd.nextInt(7) - 3 + (dt.isFloating() && rnd.nextInt(3) == 0 ? 0.5 : 0);
    }

    @Test
    public void uploadDownloadRoundTripsInt32AndBool() {
        Backend be = backend();
        int[] i = {1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, 0};
        boolean[] b = {true, false, false, true, true};
        try (Buffer bi = be.upload(i); Buffer bb = be.upload(b)) {
            assertEquals(DType.INT32, bi.dtype());
            assertEquals(DType.BOOL, bb.dtype());
            assertEquals(5, bi.length());
            int[] gi = new int[7];
            be.download(bi, 1, gi, 2, 4);
            assertArrayEquals(new int[]{0, 0, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 0}, gi);
            boolean[] gb = new boolean[5];
            be.download(bb, 0, gb, 0, 5);
            assertArrayEquals(b, gb);
            assertThrows(IllegalArgumentException.class, () -> be.download(bi, 0, new long[5], 0, 5), "dtype mismatch");
            assertThrows(IllegalArgumentException.class, () -> be.download(bb, 0, new int[5], 0, 5), "dtype mismatch");
        }
    }

    @Test
    public void copyConvertsBetweenEveryPairOfDtypes() {
        Backend be = backend();
        for (DType from : KernelViews.dtypesOf(be)) {
            for (DType to : KernelViews.dtypesOf(be)) {
                for (int c = 0; c < 5; c++) {
                    Random rnd = new Random(21_000 + 100 * from.ordinal() + 10 * to.ordinal() + c);
                    int[] shape = randomShape(rnd, c % 5, 6);
                    // halves truncate toward zero; NaN (floating only) becomes true, 0 for integers
                    DoubleSupplier gen = () -> rnd.nextInt(6) == 0 && from.isFloating() ? Double.NaN
                            : rnd.nextInt(4) == 0 ? 1e5 * (rnd.nextInt(200) - 100) : 0.5 * (rnd.nextInt(21) - 10);
                    Operand in = input(be, from, shape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, gen);
                    Operand out = output(be, to, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                    be.copy(out.view, in.view);
                    double[] got = read(be, out.view);
                    for (int i = 0; i < got.length; i++) {
                        double want = converted(in.values[i], to);
                        if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got[i])) {
                            throw new AssertionError("copy " + from + " -> " + to + " at " + i + ": " + in.values[i]
                                    + " gave " + got[i] + ", want " + want + " (in " + in + ", out " + out + ")");
                        }
                    }
                    assertUntouched(be, out.view, "copy " + from + " -> " + to);
                }
            }
        }
    }

    /** PyTorch's casts: != 0 to bool (NaN true); toward zero to integers (NaN to 0, as Java casts; C leaves it undefined). */
    private static double converted(double v, DType to) {
        return switch (to) {
            case BOOL -> v != 0 ? 1 : 0;
            case INT32 -> (int) v;
            case INT64 -> (long) v;
            case FLOAT32 -> (float) v;
            case FLOAT64 -> v;
            case FLOAT16, BFLOAT16 -> HalfFloat.round(to, v); // through float32, as PyTorch converts
        };
    }

    @Test
    public void fillCastsTheValueToEveryDtype() {
        Backend be = backend();
        for (DType dt : KernelViews.dtypesOf(be)) {
            for (int c = 0; c < 4; c++) {
                Random rnd = new Random(22_000 + 10 * dt.ordinal() + c);
                Operand out = output(be, dt, randomShape(rnd, c, 6), OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                double value = c == 3 ? 0 : -2.75;
                be.fill(out.view, value);
                for (double v : read(be, out.view)) assertEquals(converted(value, dt), v, "fill " + dt + " " + out);
                assertUntouched(be, out.view, "fill " + dt);
            }
        }
    }

    @Test
    public void whereSelectsWithABoolConditionForEveryDtype() {
        Backend be = backend();
        for (DType dt : KernelViews.dtypesOf(be)) {
            for (int c = 0; c < 5; c++) {
                Random rnd = new Random(23_000 + 10 * dt.ordinal() + c);
                int[] shape = randomShape(rnd, c, 6);
                Operand cond = input(be, DType.BOOL, shape, ALL_LAYOUTS[(c + 1) % ALL_LAYOUTS.length], rnd, () -> rnd.nextInt(2));
                Operand x = input(be, dt, shape, ALL_LAYOUTS[(c + 2) % ALL_LAYOUTS.length], rnd, small(rnd, dt));
                Operand y = input(be, dt, shape, ALL_LAYOUTS[(c + 4) % ALL_LAYOUTS.length], rnd, small(rnd, dt));
                Operand out = output(be, dt, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                be.where(out.view, cond.view, x.view, y.view);
                double[] got = read(be, out.view);
                for (int i = 0; i < got.length; i++) {
                    assertEquals(cond.values[i] != 0 ? x.values[i] : y.values[i], got[i], "where " + dt + " at " + i);
                }
                assertUntouched(be, out.view, "where " + dt);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = BinaryOp.class, names = {"EQ", "NE", "LT", "LE", "GT", "GE", "LOGICAL_AND", "LOGICAL_OR"})
    public void comparisonsAndLogicalOpsWriteBoolForEveryDtype(BinaryOp op) {
        Backend be = backend();
        for (DType dt : KernelViews.dtypesOf(be)) {
            for (int c = 0; c < 5; c++) {
                Random rnd = new Random(24_000 + 100 * op.ordinal() + 10 * dt.ordinal() + c);
                int[] shape = randomShape(rnd, c, 6);
                DoubleSupplier gen = () -> dt.isFloating() && rnd.nextInt(8) == 0 ? Double.NaN : small(rnd, dt).getAsDouble();
                Operand x = input(be, dt, shape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, gen);
                Operand y = input(be, dt, shape, ALL_LAYOUTS[(c + 3) % ALL_LAYOUTS.length], rnd, gen);
                Operand out = output(be, DType.BOOL, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                be.binary(op, out.view, x.view, y.view);
                double[] got = read(be, out.view);
                for (int i = 0; i < got.length; i++) {
                    double want = ScalarMath.binary(op, x.values[i], y.values[i]);
                    if (got[i] != want) {
                        throw new AssertionError(op + " of " + dt + " at " + i + ": " + x.values[i] + ", " + y.values[i]
                                + " gave " + got[i] + ", want " + want);
                    }
                }
                assertUntouched(be, out.view, op + " " + dt);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = BinaryOp.class, names = {"ADD", "SUB", "MUL", "MAX", "MIN", "FLOOR_DIVIDE", "REMAINDER"})
    public void integerArithmeticMatchesScalarMath(BinaryOp op) {
        Backend be = backend();
        boolean divides = op == BinaryOp.FLOOR_DIVIDE || op == BinaryOp.REMAINDER;
        for (DType dt : INTEGERS) {
            for (int c = 0; c < 6; c++) {
                Random rnd = new Random(25_000 + 100 * op.ordinal() + 10 * dt.ordinal() + c);
                int[] shape = randomShape(rnd, c % 5, 6);
                long bound = dt == DType.INT32 ? 1L << 31 : 1L << 53; // values exact in a double
                DoubleSupplier gen = () -> switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt(21) - 10;
                    case 1 -> (double) (rnd.nextLong() % bound);
                    case 2 -> dt == DType.INT32 ? (rnd.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE) : rnd.nextInt(1000) - 500;
                    default -> rnd.nextInt(2001) - 1000;
                };
                DoubleSupplier divisor = () -> {
                    double v = gen.getAsDouble();
                    return v == 0 ? (rnd.nextBoolean() ? 3 : -7) : v;
                };
                Operand x = input(be, dt, shape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, gen);
                Operand y = input(be, dt, shape, ALL_LAYOUTS[(c + 2) % ALL_LAYOUTS.length], rnd, divides ? divisor : gen);
                Operand out = output(be, dt, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                be.binary(op, out.view, x.view, y.view);
                double[] got = read(be, out.view);
                for (int i = 0; i < got.length; i++) {
                    long a = (long) x.values[i], b = (long) y.values[i];
                    long r = ScalarMath.binaryLong(op, a, b);
                    // int64 results beyond 2^53 are compared after the same rounding to double that read() applies
                    double want = dt == DType.INT32 ? (int) r : (double) r;
                    if (got[i] != want) {
                        throw new AssertionError(op + " of " + dt + " at " + i + ": " + a + ", " + b + " gave " + got[i]
                                + ", want " + want + " (x " + x + ", y " + y + ", out " + out + ")");
                    }
                }
                assertUntouched(be, out.view, op + " " + dt);
            }
        }
    }

    @Test
    public void integerWrapAndPythonStyleDivisionAtTheEdges() {
        Backend be = backend();
        long[] xs = {Long.MAX_VALUE, Long.MIN_VALUE, -7, 7, -7, 7, Long.MIN_VALUE};
        long[] ys = {1, -1, 2, -2, -2, 2, -1};
        try (Buffer bx = be.upload(xs); Buffer by = be.upload(ys); Buffer bo = be.allocate(DType.INT64, xs.length)) {
            View x = View.contiguous(bx, xs.length), y = View.contiguous(by, ys.length), o = View.contiguous(bo, xs.length);
            long[] got = new long[xs.length];
            be.binary(BinaryOp.ADD, o, x, y);
            be.download(bo, 0, got, 0, got.length);
            assertArrayEquals(new long[]{Long.MIN_VALUE, Long.MAX_VALUE, -5, 5, -9, 9, Long.MAX_VALUE}, got, "add wraps");
            be.binary(BinaryOp.FLOOR_DIVIDE, o, x, y);
            be.download(bo, 0, got, 0, got.length);
            assertArrayEquals(new long[]{Long.MAX_VALUE, Long.MIN_VALUE, -4, -4, 3, 3, Long.MIN_VALUE}, got, "floor division");
            be.binary(BinaryOp.REMAINDER, o, x, y);
            be.download(bo, 0, got, 0, got.length);
            assertArrayEquals(new long[]{0, 0, 1, -1, -1, 1, 0}, got, "remainder takes the divisor's sign");
        }
        int[] xi = {Integer.MAX_VALUE, Integer.MIN_VALUE, -7};
        int[] yi = {1, -1, 2};
        try (Buffer bx = be.upload(xi); Buffer by = be.upload(yi); Buffer bo = be.allocate(DType.INT32, 3)) {
            View x = View.contiguous(bx, 3), y = View.contiguous(by, 3), o = View.contiguous(bo, 3);
            int[] got = new int[3];
            be.binary(BinaryOp.ADD, o, x, y);
            be.download(bo, 0, got, 0, 3);
            assertArrayEquals(new int[]{Integer.MIN_VALUE, Integer.MAX_VALUE, -5}, got, "int32 add wraps at 32 bits");
            be.binary(BinaryOp.MUL, o, x, x);
            be.download(bo, 0, got, 0, 3);
            assertArrayEquals(new int[]{1, 0, 49}, got, "int32 mul keeps the low 32 bits");
            be.binary(BinaryOp.FLOOR_DIVIDE, o, x, y);
            be.download(bo, 0, got, 0, 3);
            assertArrayEquals(new int[]{Integer.MAX_VALUE, Integer.MIN_VALUE, -4}, got, "int32 MIN / -1 wraps to MIN");
        }
    }

    @Test
    public void boolArithmeticIsOrAndAnd() {
        Backend be = backend();
        boolean[] xs = {false, false, true, true};
        boolean[] ys = {false, true, false, true};
        try (Buffer bx = be.upload(xs); Buffer by = be.upload(ys); Buffer bo = be.allocate(DType.BOOL, 4)) {
            View x = View.contiguous(bx, 4), y = View.contiguous(by, 4), o = View.contiguous(bo, 4);
            boolean[] got = new boolean[4];
            for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.MAX, BinaryOp.LOGICAL_OR}) {
                be.binary(op, o, x, y);
                be.download(bo, 0, got, 0, 4);
                assertArrayEquals(new boolean[]{false, true, true, true}, got, op + " of bools is or");
            }
            for (BinaryOp op : new BinaryOp[]{BinaryOp.MUL, BinaryOp.MIN, BinaryOp.LOGICAL_AND}) {
                be.binary(op, o, x, y);
                be.download(bo, 0, got, 0, 4);
                assertArrayEquals(new boolean[]{false, false, false, true}, got, op + " of bools is and");
            }
            be.binary(BinaryOp.LT, o, x, y);
            be.download(bo, 0, got, 0, 4);
            assertArrayEquals(new boolean[]{false, true, false, false}, got, "false < true");
        }
    }

    @Test
    public void gatherOfEveryDtypeAndScatterAddOfInt32() {
        Backend be = backend();
        for (DType dt : KernelViews.dtypesOf(be)) {
            Random rnd = new Random(26_000 + dt.ordinal());
            Operand in = input(be, dt, new int[]{3, 4}, Layout.TRANSPOSED, rnd, small(rnd, dt));
            double[] idx = {3, 0, 0, 2, 1, 1};
            Operand index = input(be, DType.INT64, new int[]{3, 2}, Layout.CONTIGUOUS, rnd, idx);
            Operand out = output(be, dt, new int[]{3, 2}, Layout.SLICED, rnd);
            be.gather(out.view, in.view, 1, index.view);
            double[] got = read(be, out.view);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 2; j++) {
                    assertEquals(in.values[i * 4 + (int) idx[i * 2 + j]], got[i * 2 + j], "gather " + dt + " at " + i + "," + j);
                }
            }
            assertUntouched(be, out.view, "gather " + dt);
        }
        Random rnd = new Random(26_100);
        Operand target = input(be, DType.INT32, new int[]{2, 3}, Layout.CONTIGUOUS, rnd, new double[]{1, 2, 3, 4, 5, 6});
        Operand index = input(be, DType.INT64, new int[]{2, 2}, Layout.CONTIGUOUS, rnd, new double[]{2, 2, 0, 1});
        Operand src = input(be, DType.INT32, new int[]{2, 2}, Layout.CONTIGUOUS, rnd, new double[]{10, 20, 30, 40});
        be.scatterAdd(target.view, 1, index.view, src.view);
        assertArrayEquals(new double[]{1, 2, 33, 34, 45, 6}, read(be, target.view), "scatterAdd int32, repeated index adds up");
    }
}
