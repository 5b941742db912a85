package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgrad.DType;
import io.jgrad.Promotion;
import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Type promotion and bool results against PyTorch, for every pair of dtypes (bool, int32, int64, float32, float64)
 * and operand kinds: x a tensor [3] (T) or zero-dim (Z); y a tensor [3] (T), zero-dim (Z) or a Java scalar (S: the
 * double 2.5, the long 2 or the boolean true). Each row of {@link #TABLE} is what PyTorch 2.13 gave for
 * {@code op(x, y)}: the result dtype and values, or "error" where PyTorch refuses the combination (jgrad must refuse
 * it too, with an IllegalArgumentException). The table was printed by {@code conformance/scripts/promotion_table.py}.
 * x holds [3, 0, -5] and y [2, -4, 1] (bools: non-zero is true), zero-dim tensors hold 2 (true).
 */
public abstract class DTypePromotionSuite extends DeviceSuite {

    private static final double[] X = {3, 0, -5};
    private static final double[] Y = {2, -4, 1};

    @Test
    public void everyPairOfDtypesPromotesAndComputesAsPyTorch() {
        List<String> failures = new ArrayList<>();
        int rows = 0;
        for (String line : TABLE.strip().split("\n")) {
            rows++;
            String[] f = line.split("\\|", -1);
            String op = f[0];
            String[] xs = f[1].split(":"), ys = f[2].split(":");
            String want = f[3];
            try {
                Tensor x = operand(DType.valueOf(xs[0].toUpperCase(Locale.ROOT)), xs[1], X);
                DType yType = DType.valueOf(ys[0].toUpperCase(Locale.ROOT));
                Tensor r;
                try {
                    r = ys[1].equals("S") ? withScalar(op, x, yType) : op(op).apply(x, operand(yType, ys[1], Y));
                } catch (IllegalArgumentException e) {
                    if (!want.equals("error")) failures.add(line + ": jgrad refused: " + e.getMessage());
                    continue;
                }
                if (want.equals("error")) {
                    failures.add(line + ": jgrad gave " + r.dtype() + " where PyTorch refuses");
                    continue;
                }
                if (!r.dtype().toString().equals(want)) {
                    failures.add(line + ": jgrad gave dtype " + r.dtype());
                    continue;
                }
                String[] vs = f[4].split(",");
                double[] got = r.toDoubleArray();
                for (int i = 0; i < vs.length; i++) {
                    double w = Double.parseDouble(vs[i]);
                    if (Double.doubleToLongBits(w) != Double.doubleToLongBits(got[i])) { // exact; -0.0 is not 0.0
                        failures.add(line + ": jgrad gave values " + java.util.Arrays.toString(got));
                        break;
                    }
                }
            } catch (RuntimeException e) {
                failures.add(line + ": " + e);
            }
        }
        assertEquals(1260, rows, "table rows");
        assertEquals(List.of(), failures, failures.size() + " of " + rows + " rows differ from PyTorch");
    }

    /** Spot checks of the rules themselves, independent of the table. */
    @Test
    public void resultTypeFollowsCategoriesAndKinds() {
        Tensor i64 = Tensor.of(new long[]{1, 2});
        Tensor f32 = Tensor.of(new float[]{1, 2});
        assertEquals(DType.FLOAT32, Promotion.resultType(i64, DType.FLOAT64), "int64 tensor + double gives float32");
        assertEquals(DType.FLOAT32, Promotion.resultType(f32, DType.FLOAT64), "a double does not promote a float32 tensor");
        assertEquals(DType.FLOAT32, Promotion.resultType(f32, Tensor.scalar(2.0)), "a zero-dim float64 does not promote float32 [2]");
        assertEquals(DType.FLOAT64, Promotion.resultType(Tensor.of(new int[]{1}), Tensor.scalar(2.0)),
                "a zero-dim float64 joins with its own dtype when of a higher category");
        assertEquals(DType.INT64, Promotion.resultType(Tensor.of(new boolean[]{true}), DType.INT64), "bool + long gives int64");
        assertEquals(DType.FLOAT64, Promotion.promoteTypes(DType.FLOAT32, DType.FLOAT64));
        assertEquals(DType.INT64, Promotion.promoteTypes(DType.INT32, DType.INT64));
        assertEquals(DType.FLOAT32, Promotion.promoteTypes(DType.INT64, DType.FLOAT32));
    }

    @Test
    public void gradientsFlowBackThroughPromotionInTheInputsDtype() {
        Tensor a = Tensor.of(new float[]{1, 2, 3}).requiresGrad(true);
        Tensor b = Tensor.of(new double[]{4, 5, 6}).requiresGrad(true);
        Tensor y = a.mul(b);
        assertEquals(DType.FLOAT64, y.dtype());
        y.sum().backward();
        assertEquals(DType.FLOAT32, a.grad().dtype());
        assertEquals(DType.FLOAT64, b.grad().dtype());
        assertArrayEquals(new double[]{4, 5, 6}, a.grad().toDoubleArray(), "d(a*b)/da");
        assertArrayEquals(new double[]{1, 2, 3}, b.grad().toDoubleArray(), "d(a*b)/db");
    }

    @Test
    public void integerDivisionByZeroIsRefused() {
        Tensor x = Tensor.of(new long[]{1, 2});
        Tensor zero = Tensor.of(new long[]{1, 0});
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> x.floorDivide(zero).toLongArray());
        assertEquals(true, e.getMessage().contains("floor_divide"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> x.remainder(zero).toLongArray());
        // true division promotes to float32 first: no error, inf as in PyTorch
        assertEquals(Float.POSITIVE_INFINITY, x.div(zero).toFloatArray()[1]);
    }

    static Tensor operand(DType t, String kind, double[] values) {
        Tensor v = kind.equals("Z") ? Tensor.scalar(2.0) : Tensor.of(values);
        return v.to(t);
    }

    static BiFunction<Tensor, Tensor, Tensor> op(String op) {
        return switch (op) {
            case "add" -> Tensor::add;
            case "sub" -> Tensor::sub;
            case "mul" -> Tensor::mul;
            case "div" -> Tensor::div;
            case "floor_divide" -> Tensor::floorDivide;
            case "remainder" -> Tensor::remainder;
            case "maximum" -> Tensor::maximum;
            case "minimum" -> Tensor::minimum;
            case "eq" -> Tensor::eq;
            case "ne" -> Tensor::ne;
            case "lt" -> Tensor::lt;
            case "le" -> Tensor::le;
            case "gt" -> Tensor::gt;
            case "ge" -> Tensor::ge;
            case "where" -> (x, y) -> Tensor.where(Tensor.of(new boolean[]{true, false, true}), x, y);
            default -> throw new IllegalArgumentException("unknown op " + op);
        };
    }

    /** op(x, s) with the Java scalar the row's dtype stands for: 2.5 (double), 2L (long) or true (boolean). */
    static Tensor withScalar(String op, Tensor x, DType t) {
        if (t == DType.BOOL) {
            return switch (op) {
                case "eq" -> x.eq(true);
                case "ne" -> x.ne(true);
                default -> throw new IllegalStateException("no boolean-scalar form of " + op);
            };
        }
        if (t == DType.INT64) {
            long s = 2;
            return switch (op) {
                case "add" -> x.add(s);
                case "sub" -> x.sub(s);
                case "mul" -> x.mul(s);
                case "div" -> x.div(s);
                case "floor_divide" -> x.floorDivide(s);
                case "remainder" -> x.remainder(s);
                case "eq" -> x.eq(s);
                case "ne" -> x.ne(s);
                case "lt" -> x.lt(s);
                case "le" -> x.le(s);
                case "gt" -> x.gt(s);
                case "ge" -> x.ge(s);
                default -> throw new IllegalStateException("no long-scalar form of " + op);
            };
        }
        double s = 2.5;
        return switch (op) {
            case "add" -> x.add(s);
            case "sub" -> x.sub(s);
            case "mul" -> x.mul(s);
            case "div" -> x.div(s);
            case "floor_divide" -> x.floorDivide(s);
            case "remainder" -> x.remainder(s);
            case "eq" -> x.eq(s);
            case "ne" -> x.ne(s);
            case "lt" -> x.lt(s);
            case "le" -> x.le(s);
            case "gt" -> x.gt(s);
            case "ge" -> x.ge(s);
            case "where" -> Tensor.where(Tensor.of(new boolean[]{true, false, true}), x, s);
            default -> throw new IllegalStateException("no double-scalar form of " + op);
        };
    }

    /** op|x dtype:kind|y dtype:kind|result dtype or error|values (row-major; bool as 1/0), from PyTorch 2.13. */
    static final String TABLE = """
add|bool:T|bool:T|bool|1,1,1
add|bool:T|bool:Z|bool|1,1,1
add|bool:T|int32:T|int32|3,-4,2
add|bool:T|int32:Z|int32|3,2,3
add|bool:T|int64:T|int64|3,-4,2
add|bool:T|int64:Z|int64|3,2,3
add|bool:T|int64:S|int64|3,2,3
add|bool:T|float32:T|float32|3.0,-4.0,2.0
add|bool:T|float32:Z|float32|3.0,2.0,3.0
add|bool:T|float64:T|float64|3.0,-4.0,2.0
add|bool:T|float64:Z|float64|3.0,2.0,3.0
add|bool:T|float64:S|float32|3.5,2.5,3.5
add|bool:Z|bool:T|bool|1,1,1
add|bool:Z|int32:T|int32|3,-3,2
add|bool:Z|int64:T|int64|3,-3,2
add|bool:Z|float32:T|float32|3.0,-3.0,2.0
add|bool:Z|float64:T|float64|3.0,-3.0,2.0
add|int32:T|bool:T|int32|4,1,-4
add|int32:T|bool:Z|int32|4,1,-4
add|int32:T|int32:T|int32|5,-4,-4
add|int32:T|int32:Z|int32|5,2,-3
add|int32:T|int64:T|int64|5,-4,-4
add|int32:T|int64:Z|int32|5,2,-3
add|int32:T|int64:S|int32|5,2,-3
add|int32:T|float32:T|float32|5.0,-4.0,-4.0
add|int32:T|float32:Z|float32|5.0,2.0,-3.0
add|int32:T|float64:T|float64|5.0,-4.0,-4.0
add|int32:T|float64:Z|float64|5.0,2.0,-3.0
add|int32:T|float64:S|float32|5.5,2.5,-2.5
add|int32:Z|bool:T|int32|3,3,3
add|int32:Z|int32:T|int32|4,-2,3
add|int32:Z|int64:T|int64|4,-2,3
add|int32:Z|float32:T|float32|4.0,-2.0,3.0
add|int32:Z|float64:T|float64|4.0,-2.0,3.0
add|int64:T|bool:T|int64|4,1,-4
add|int64:T|bool:Z|int64|4,1,-4
add|int64:T|int32:T|int64|5,-4,-4
add|int64:T|int32:Z|int64|5,2,-3
add|int64:T|int64:T|int64|5,-4,-4
add|int64:T|int64:Z|int64|5,2,-3
add|int64:T|int64:S|int64|5,2,-3
add|int64:T|float32:T|float32|5.0,-4.0,-4.0
add|int64:T|float32:Z|float32|5.0,2.0,-3.0
add|int64:T|float64:T|float64|5.0,-4.0,-4.0
add|int64:T|float64:Z|float64|5.0,2.0,-3.0
add|int64:T|float64:S|float32|5.5,2.5,-2.5
add|int64:Z|bool:T|int64|3,3,3
add|int64:Z|int32:T|int32|4,-2,3
add|int64:Z|int64:T|int64|4,-2,3
add|int64:Z|float32:T|float32|4.0,-2.0,3.0
add|int64:Z|float64:T|float64|4.0,-2.0,3.0
add|float32:T|bool:T|float32|4.0,1.0,-4.0
add|float32:T|bool:Z|float32|4.0,1.0,-4.0
add|float32:T|int32:T|float32|5.0,-4.0,-4.0
add|float32:T|int32:Z|float32|5.0,2.0,-3.0
add|float32:T|int64:T|float32|5.0,-4.0,-4.0
add|float32:T|int64:Z|float32|5.0,2.0,-3.0
add|float32:T|int64:S|float32|5.0,2.0,-3.0
add|float32:T|float32:T|float32|5.0,-4.0,-4.0
add|float32:T|float32:Z|float32|5.0,2.0,-3.0
add|float32:T|float64:T|float64|5.0,-4.0,-4.0
add|float32:T|float64:Z|float32|5.0,2.0,-3.0
add|float32:T|float64:S|float32|5.5,2.5,-2.5
add|float32:Z|bool:T|float32|3.0,3.0,3.0
add|float32:Z|int32:T|float32|4.0,-2.0,3.0
add|float32:Z|int64:T|float32|4.0,-2.0,3.0
add|float32:Z|float32:T|float32|4.0,-2.0,3.0
add|float32:Z|float64:T|float64|4.0,-2.0,3.0
add|float64:T|bool:T|float64|4.0,1.0,-4.0
add|float64:T|bool:Z|float64|4.0,1.0,-4.0
add|float64:T|int32:T|float64|5.0,-4.0,-4.0
add|float64:T|int32:Z|float64|5.0,2.0,-3.0
add|float64:T|int64:T|float64|5.0,-4.0,-4.0
add|float64:T|int64:Z|float64|5.0,2.0,-3.0
add|float64:T|int64:S|float64|5.0,2.0,-3.0
add|float64:T|float32:T|float64|5.0,-4.0,-4.0
add|float64:T|float32:Z|float64|5.0,2.0,-3.0
add|float64:T|float64:T|float64|5.0,-4.0,-4.0
add|float64:T|float64:Z|float64|5.0,2.0,-3.0
add|float64:T|float64:S|float64|5.5,2.5,-2.5
add|float64:Z|bool:T|float64|3.0,3.0,3.0
add|float64:Z|int32:T|float64|4.0,-2.0,3.0
add|float64:Z|int64:T|float64|4.0,-2.0,3.0
add|float64:Z|float32:T|float32|4.0,-2.0,3.0
add|float64:Z|float64:T|float64|4.0,-2.0,3.0
sub|bool:T|bool:T|error|
sub|bool:T|bool:Z|error|
sub|bool:T|int32:T|error|
sub|bool:T|int32:Z|error|
sub|bool:T|int64:T|error|
sub|bool:T|int64:Z|error|
sub|bool:T|int64:S|error|
sub|bool:T|float32:T|error|
sub|bool:T|float32:Z|error|
sub|bool:T|float64:T|error|
sub|bool:T|float64:Z|error|
sub|bool:T|float64:S|error|
sub|bool:Z|bool:T|error|
sub|bool:Z|int32:T|error|
sub|bool:Z|int64:T|error|
sub|bool:Z|float32:T|error|
sub|bool:Z|float64:T|error|
sub|int32:T|bool:T|error|
sub|int32:T|bool:Z|error|
sub|int32:T|int32:T|int32|1,4,-6
sub|int32:T|int32:Z|int32|1,-2,-7
sub|int32:T|int64:T|int64|1,4,-6
sub|int32:T|int64:Z|int32|1,-2,-7
sub|int32:T|int64:S|int32|1,-2,-7
sub|int32:T|float32:T|float32|1.0,4.0,-6.0
sub|int32:T|float32:Z|float32|1.0,-2.0,-7.0
sub|int32:T|float64:T|float64|1.0,4.0,-6.0
sub|int32:T|float64:Z|float64|1.0,-2.0,-7.0
sub|int32:T|float64:S|float32|0.5,-2.5,-7.5
sub|int32:Z|bool:T|error|
sub|int32:Z|int32:T|int32|0,6,1
sub|int32:Z|int64:T|int64|0,6,1
sub|int32:Z|float32:T|float32|0.0,6.0,1.0
sub|int32:Z|float64:T|float64|0.0,6.0,1.0
sub|int64:T|bool:T|error|
sub|int64:T|bool:Z|error|
sub|int64:T|int32:T|int64|1,4,-6
sub|int64:T|int32:Z|int64|1,-2,-7
sub|int64:T|int64:T|int64|1,4,-6
sub|int64:T|int64:Z|int64|1,-2,-7
sub|int64:T|int64:S|int64|1,-2,-7
sub|int64:T|float32:T|float32|1.0,4.0,-6.0
sub|int64:T|float32:Z|float32|1.0,-2.0,-7.0
sub|int64:T|float64:T|float64|1.0,4.0,-6.0
sub|int64:T|float64:Z|float64|1.0,-2.0,-7.0
sub|int64:T|float64:S|float32|0.5,-2.5,-7.5
sub|int64:Z|bool:T|error|
sub|int64:Z|int32:T|int32|0,6,1
sub|int64:Z|int64:T|int64|0,6,1
sub|int64:Z|float32:T|float32|0.0,6.0,1.0
sub|int64:Z|float64:T|float64|0.0,6.0,1.0
sub|float32:T|bool:T|error|
sub|float32:T|bool:Z|error|
sub|float32:T|int32:T|float32|1.0,4.0,-6.0
sub|float32:T|int32:Z|float32|1.0,-2.0,-7.0
sub|float32:T|int64:T|float32|1.0,4.0,-6.0
sub|float32:T|int64:Z|float32|1.0,-2.0,-7.0
sub|float32:T|int64:S|float32|1.0,-2.0,-7.0
sub|float32:T|float32:T|float32|1.0,4.0,-6.0
sub|float32:T|float32:Z|float32|1.0,-2.0,-7.0
sub|float32:T|float64:T|float64|1.0,4.0,-6.0
sub|float32:T|float64:Z|float32|1.0,-2.0,-7.0
sub|float32:T|float64:S|float32|0.5,-2.5,-7.5
sub|float32:Z|bool:T|error|
sub|float32:Z|int32:T|float32|0.0,6.0,1.0
sub|float32:Z|int64:T|float32|0.0,6.0,1.0
sub|float32:Z|float32:T|float32|0.0,6.0,1.0
sub|float32:Z|float64:T|float64|0.0,6.0,1.0
sub|float64:T|bool:T|error|
sub|float64:T|bool:Z|error|
sub|float64:T|int32:T|float64|1.0,4.0,-6.0
sub|float64:T|int32:Z|float64|1.0,-2.0,-7.0
sub|float64:T|int64:T|float64|1.0,4.0,-6.0
sub|float64:T|int64:Z|float64|1.0,-2.0,-7.0
sub|float64:T|int64:S|float64|1.0,-2.0,-7.0
sub|float64:T|float32:T|float64|1.0,4.0,-6.0
sub|float64:T|float32:Z|float64|1.0,-2.0,-7.0
sub|float64:T|float64:T|float64|1.0,4.0,-6.0
sub|float64:T|float64:Z|float64|1.0,-2.0,-7.0
sub|float64:T|float64:S|float64|0.5,-2.5,-7.5
sub|float64:Z|bool:T|error|
sub|float64:Z|int32:T|float64|0.0,6.0,1.0
sub|float64:Z|int64:T|float64|0.0,6.0,1.0
sub|float64:Z|float32:T|float32|0.0,6.0,1.0
sub|float64:Z|float64:T|float64|0.0,6.0,1.0
mul|bool:T|bool:T|bool|1,0,1
mul|bool:T|bool:Z|bool|1,0,1
mul|bool:T|int32:T|int32|2,0,1
mul|bool:T|int32:Z|int32|2,0,2
mul|bool:T|int64:T|int64|2,0,1
mul|bool:T|int64:Z|int64|2,0,2
mul|bool:T|int64:S|int64|2,0,2
mul|bool:T|float32:T|float32|2.0,-0.0,1.0
mul|bool:T|float32:Z|float32|2.0,0.0,2.0
mul|bool:T|float64:T|float64|2.0,-0.0,1.0
mul|bool:T|float64:Z|float64|2.0,0.0,2.0
mul|bool:T|float64:S|float32|2.5,0.0,2.5
mul|bool:Z|bool:T|bool|1,1,1
mul|bool:Z|int32:T|int32|2,-4,1
mul|bool:Z|int64:T|int64|2,-4,1
mul|bool:Z|float32:T|float32|2.0,-4.0,1.0
mul|bool:Z|float64:T|float64|2.0,-4.0,1.0
mul|int32:T|bool:T|int32|3,0,-5
mul|int32:T|bool:Z|int32|3,0,-5
mul|int32:T|int32:T|int32|6,0,-5
mul|int32:T|int32:Z|int32|6,0,-10
mul|int32:T|int64:T|int64|6,0,-5
mul|int32:T|int64:Z|int32|6,0,-10
mul|int32:T|int64:S|int32|6,0,-10
mul|int32:T|float32:T|float32|6.0,-0.0,-5.0
mul|int32:T|float32:Z|float32|6.0,0.0,-10.0
mul|int32:T|float64:T|float64|6.0,-0.0,-5.0
mul|int32:T|float64:Z|float64|6.0,0.0,-10.0
mul|int32:T|float64:S|float32|7.5,0.0,-12.5
mul|int32:Z|bool:T|int32|2,2,2
mul|int32:Z|int32:T|int32|4,-8,2
mul|int32:Z|int64:T|int64|4,-8,2
mul|int32:Z|float32:T|float32|4.0,-8.0,2.0
mul|int32:Z|float64:T|float64|4.0,-8.0,2.0
mul|int64:T|bool:T|int64|3,0,-5
mul|int64:T|bool:Z|int64|3,0,-5
mul|int64:T|int32:T|int64|6,0,-5
mul|int64:T|int32:Z|int64|6,0,-10
mul|int64:T|int64:T|int64|6,0,-5
mul|int64:T|int64:Z|int64|6,0,-10
mul|int64:T|int64:S|int64|6,0,-10
mul|int64:T|float32:T|float32|6.0,-0.0,-5.0
mul|int64:T|float32:Z|float32|6.0,0.0,-10.0
mul|int64:T|float64:T|float64|6.0,-0.0,-5.0
mul|int64:T|float64:Z|float64|6.0,0.0,-10.0
mul|int64:T|float64:S|float32|7.5,0.0,-12.5
mul|int64:Z|bool:T|int64|2,2,2
mul|int64:Z|int32:T|int32|4,-8,2
mul|int64:Z|int64:T|int64|4,-8,2
mul|int64:Z|float32:T|float32|4.0,-8.0,2.0
mul|int64:Z|float64:T|float64|4.0,-8.0,2.0
mul|float32:T|bool:T|float32|3.0,0.0,-5.0
mul|float32:T|bool:Z|float32|3.0,0.0,-5.0
mul|float32:T|int32:T|float32|6.0,-0.0,-5.0
mul|float32:T|int32:Z|float32|6.0,0.0,-10.0
mul|float32:T|int64:T|float32|6.0,-0.0,-5.0
mul|float32:T|int64:Z|float32|6.0,0.0,-10.0
mul|float32:T|int64:S|float32|6.0,0.0,-10.0
mul|float32:T|float32:T|float32|6.0,-0.0,-5.0
mul|float32:T|float32:Z|float32|6.0,0.0,-10.0
mul|float32:T|float64:T|float64|6.0,-0.0,-5.0
mul|float32:T|float64:Z|float32|6.0,0.0,-10.0
mul|float32:T|float64:S|float32|7.5,0.0,-12.5
mul|float32:Z|bool:T|float32|2.0,2.0,2.0
mul|float32:Z|int32:T|float32|4.0,-8.0,2.0
mul|float32:Z|int64:T|float32|4.0,-8.0,2.0
mul|float32:Z|float32:T|float32|4.0,-8.0,2.0
mul|float32:Z|float64:T|float64|4.0,-8.0,2.0
mul|float64:T|bool:T|float64|3.0,0.0,-5.0
mul|float64:T|bool:Z|float64|3.0,0.0,-5.0
mul|float64:T|int32:T|float64|6.0,-0.0,-5.0
mul|float64:T|int32:Z|float64|6.0,0.0,-10.0
mul|float64:T|int64:T|float64|6.0,-0.0,-5.0
mul|float64:T|int64:Z|float64|6.0,0.0,-10.0
mul|float64:T|int64:S|float64|6.0,0.0,-10.0
mul|float64:T|float32:T|float64|6.0,-0.0,-5.0
mul|float64:T|float32:Z|float64|6.0,0.0,-10.0
mul|float64:T|float64:T|float64|6.0,-0.0,-5.0
mul|float64:T|float64:Z|float64|6.0,0.0,-10.0
mul|float64:T|float64:S|float64|7.5,0.0,-12.5
mul|float64:Z|bool:T|float64|2.0,2.0,2.0
mul|float64:Z|int32:T|float64|4.0,-8.0,2.0
mul|float64:Z|int64:T|float64|4.0,-8.0,2.0
mul|float64:Z|float32:T|float32|4.0,-8.0,2.0
mul|float64:Z|float64:T|float64|4.0,-8.0,2.0
div|bool:T|bool:T|float32|1.0,0.0,1.0
div|bool:T|bool:Z|float32|1.0,0.0,1.0
div|bool:T|int32:T|float32|0.5,-0.0,1.0
div|bool:T|int32:Z|float32|0.5,0.0,0.5
div|bool:T|int64:T|float32|0.5,-0.0,1.0
div|bool:T|int64:Z|float32|0.5,0.0,0.5
div|bool:T|int64:S|float32|0.5,0.0,0.5
div|bool:T|float32:T|float32|0.5,-0.0,1.0
div|bool:T|float32:Z|float32|0.5,0.0,0.5
div|bool:T|float64:T|float64|0.5,-0.0,1.0
div|bool:T|float64:Z|float64|0.5,0.0,0.5
div|bool:T|float64:S|float32|0.4000000059604645,0.0,0.4000000059604645
div|bool:Z|bool:T|float32|1.0,1.0,1.0
div|bool:Z|int32:T|float32|0.5,-0.25,1.0
div|bool:Z|int64:T|float32|0.5,-0.25,1.0
div|bool:Z|float32:T|float32|0.5,-0.25,1.0
div|bool:Z|float64:T|float64|0.5,-0.25,1.0
div|int32:T|bool:T|float32|3.0,0.0,-5.0
div|int32:T|bool:Z|float32|3.0,0.0,-5.0
div|int32:T|int32:T|float32|1.5,-0.0,-5.0
div|int32:T|int32:Z|float32|1.5,0.0,-2.5
div|int32:T|int64:T|float32|1.5,-0.0,-5.0
div|int32:T|int64:Z|float32|1.5,0.0,-2.5
div|int32:T|int64:S|float32|1.5,0.0,-2.5
div|int32:T|float32:T|float32|1.5,-0.0,-5.0
div|int32:T|float32:Z|float32|1.5,0.0,-2.5
div|int32:T|float64:T|float64|1.5,-0.0,-5.0
div|int32:T|float64:Z|float64|1.5,0.0,-2.5
div|int32:T|float64:S|float32|1.2000000476837158,0.0,-2.0
div|int32:Z|bool:T|float32|2.0,2.0,2.0
div|int32:Z|int32:T|float32|1.0,-0.5,2.0
div|int32:Z|int64:T|float32|1.0,-0.5,2.0
div|int32:Z|float32:T|float32|1.0,-0.5,2.0
div|int32:Z|float64:T|float64|1.0,-0.5,2.0
div|int64:T|bool:T|float32|3.0,0.0,-5.0
div|int64:T|bool:Z|float32|3.0,0.0,-5.0
div|int64:T|int32:T|float32|1.5,-0.0,-5.0
div|int64:T|int32:Z|float32|1.5,0.0,-2.5
div|int64:T|int64:T|float32|1.5,-0.0,-5.0
div|int64:T|int64:Z|float32|1.5,0.0,-2.5
div|int64:T|int64:S|float32|1.5,0.0,-2.5
div|int64:T|float32:T|float32|1.5,-0.0,-5.0
div|int64:T|float32:Z|float32|1.5,0.0,-2.5
div|int64:T|float64:T|float64|1.5,-0.0,-5.0
div|int64:T|float64:Z|float64|1.5,0.0,-2.5
div|int64:T|float64:S|float32|1.2000000476837158,0.0,-2.0
div|int64:Z|bool:T|float32|2.0,2.0,2.0
div|int64:Z|int32:T|float32|1.0,-0.5,2.0
div|int64:Z|int64:T|float32|1.0,-0.5,2.0
div|int64:Z|float32:T|float32|1.0,-0.5,2.0
div|int64:Z|float64:T|float64|1.0,-0.5,2.0
div|float32:T|bool:T|float32|3.0,0.0,-5.0
div|float32:T|bool:Z|float32|3.0,0.0,-5.0
div|float32:T|int32:T|float32|1.5,-0.0,-5.0
div|float32:T|int32:Z|float32|1.5,0.0,-2.5
div|float32:T|int64:T|float32|1.5,-0.0,-5.0
div|float32:T|int64:Z|float32|1.5,0.0,-2.5
div|float32:T|int64:S|float32|1.5,0.0,-2.5
div|float32:T|float32:T|float32|1.5,-0.0,-5.0
div|float32:T|float32:Z|float32|1.5,0.0,-2.5
div|float32:T|float64:T|float64|1.5,-0.0,-5.0
div|float32:T|float64:Z|float32|1.5,0.0,-2.5
div|float32:T|float64:S|float32|1.2000000476837158,0.0,-2.0
div|float32:Z|bool:T|float32|2.0,2.0,2.0
div|float32:Z|int32:T|float32|1.0,-0.5,2.0
div|float32:Z|int64:T|float32|1.0,-0.5,2.0
div|float32:Z|float32:T|float32|1.0,-0.5,2.0
div|float32:Z|float64:T|float64|1.0,-0.5,2.0
div|float64:T|bool:T|float64|3.0,0.0,-5.0
div|float64:T|bool:Z|float64|3.0,0.0,-5.0
div|float64:T|int32:T|float64|1.5,-0.0,-5.0
div|float64:T|int32:Z|float64|1.5,0.0,-2.5
div|float64:T|int64:T|float64|1.5,-0.0,-5.0
div|float64:T|int64:Z|float64|1.5,0.0,-2.5
div|float64:T|int64:S|float64|1.5,0.0,-2.5
div|float64:T|float32:T|float64|1.5,-0.0,-5.0
div|float64:T|float32:Z|float64|1.5,0.0,-2.5
div|float64:T|float64:T|float64|1.5,-0.0,-5.0
div|float64:T|float64:Z|float64|1.5,0.0,-2.5
div|float64:T|float64:S|float64|1.2,0.0,-2.0
div|float64:Z|bool:T|float64|2.0,2.0,2.0
div|float64:Z|int32:T|float64|1.0,-0.5,2.0
div|float64:Z|int64:T|float64|1.0,-0.5,2.0
div|float64:Z|float32:T|float32|1.0,-0.5,2.0
div|float64:Z|float64:T|float64|1.0,-0.5,2.0
floor_divide|bool:T|bool:T|error|
floor_divide|bool:T|bool:Z|error|
floor_divide|bool:T|int32:T|int32|0,0,1
floor_divide|bool:T|int32:Z|int32|0,0,0
floor_divide|bool:T|int64:T|int64|0,0,1
floor_divide|bool:T|int64:Z|int64|0,0,0
floor_divide|bool:T|int64:S|int64|0,0,0
floor_divide|bool:T|float32:T|float32|0.0,-0.0,1.0
floor_divide|bool:T|float32:Z|float32|0.0,0.0,0.0
floor_divide|bool:T|float64:T|float64|0.0,-0.0,1.0
floor_divide|bool:T|float64:Z|float64|0.0,0.0,0.0
floor_divide|bool:T|float64:S|float32|0.0,0.0,0.0
floor_divide|bool:Z|bool:T|error|
floor_divide|bool:Z|int32:T|int32|0,-1,1
floor_divide|bool:Z|int64:T|int64|0,-1,1
floor_divide|bool:Z|float32:T|float32|0.0,-1.0,1.0
floor_divide|bool:Z|float64:T|float64|0.0,-1.0,1.0
floor_divide|int32:T|bool:T|int32|3,0,-5
floor_divide|int32:T|bool:Z|int32|3,0,-5
floor_divide|int32:T|int32:T|int32|1,0,-5
floor_divide|int32:T|int32:Z|int32|1,0,-3
floor_divide|int32:T|int64:T|int64|1,0,-5
floor_divide|int32:T|int64:Z|int32|1,0,-3
floor_divide|int32:T|int64:S|int32|1,0,-3
floor_divide|int32:T|float32:T|float32|1.0,-0.0,-5.0
floor_divide|int32:T|float32:Z|float32|1.0,0.0,-3.0
floor_divide|int32:T|float64:T|float64|1.0,-0.0,-5.0
floor_divide|int32:T|float64:Z|float64|1.0,0.0,-3.0
floor_divide|int32:T|float64:S|float32|1.0,0.0,-2.0
floor_divide|int32:Z|bool:T|int32|2,2,2
floor_divide|int32:Z|int32:T|int32|1,-1,2
floor_divide|int32:Z|int64:T|int64|1,-1,2
floor_divide|int32:Z|float32:T|float32|1.0,-1.0,2.0
floor_divide|int32:Z|float64:T|float64|1.0,-1.0,2.0
floor_divide|int64:T|bool:T|int64|3,0,-5
floor_divide|int64:T|bool:Z|int64|3,0,-5
floor_divide|int64:T|int32:T|int64|1,0,-5
floor_divide|int64:T|int32:Z|int64|1,0,-3
floor_divide|int64:T|int64:T|int64|1,0,-5
floor_divide|int64:T|int64:Z|int64|1,0,-3
floor_divide|int64:T|int64:S|int64|1,0,-3
floor_divide|int64:T|float32:T|float32|1.0,-0.0,-5.0
floor_divide|int64:T|float32:Z|float32|1.0,0.0,-3.0
floor_divide|int64:T|float64:T|float64|1.0,-0.0,-5.0
floor_divide|int64:T|float64:Z|float64|1.0,0.0,-3.0
floor_divide|int64:T|float64:S|float32|1.0,0.0,-2.0
floor_divide|int64:Z|bool:T|int64|2,2,2
floor_divide|int64:Z|int32:T|int32|1,-1,2
floor_divide|int64:Z|int64:T|int64|1,-1,2
floor_divide|int64:Z|float32:T|float32|1.0,-1.0,2.0
floor_divide|int64:Z|float64:T|float64|1.0,-1.0,2.0
floor_divide|float32:T|bool:T|float32|3.0,0.0,-5.0
floor_divide|float32:T|bool:Z|float32|3.0,0.0,-5.0
floor_divide|float32:T|int32:T|float32|1.0,-0.0,-5.0
floor_divide|float32:T|int32:Z|float32|1.0,0.0,-3.0
floor_divide|float32:T|int64:T|float32|1.0,-0.0,-5.0
floor_divide|float32:T|int64:Z|float32|1.0,0.0,-3.0
floor_divide|float32:T|int64:S|float32|1.0,0.0,-3.0
floor_divide|float32:T|float32:T|float32|1.0,-0.0,-5.0
floor_divide|float32:T|float32:Z|float32|1.0,0.0,-3.0
floor_divide|float32:T|float64:T|float64|1.0,-0.0,-5.0
floor_divide|float32:T|float64:Z|float32|1.0,0.0,-3.0
floor_divide|float32:T|float64:S|float32|1.0,0.0,-2.0
floor_divide|float32:Z|bool:T|float32|2.0,2.0,2.0
floor_divide|float32:Z|int32:T|float32|1.0,-1.0,2.0
floor_divide|float32:Z|int64:T|float32|1.0,-1.0,2.0
floor_divide|float32:Z|float32:T|float32|1.0,-1.0,2.0
floor_divide|float32:Z|float64:T|float64|1.0,-1.0,2.0
floor_divide|float64:T|bool:T|float64|3.0,0.0,-5.0
floor_divide|float64:T|bool:Z|float64|3.0,0.0,-5.0
floor_divide|float64:T|int32:T|float64|1.0,-0.0,-5.0
floor_divide|float64:T|int32:Z|float64|1.0,0.0,-3.0
floor_divide|float64:T|int64:T|float64|1.0,-0.0,-5.0
floor_divide|float64:T|int64:Z|float64|1.0,0.0,-3.0
floor_divide|float64:T|int64:S|float64|1.0,0.0,-3.0
floor_divide|float64:T|float32:T|float64|1.0,-0.0,-5.0
floor_divide|float64:T|float32:Z|float64|1.0,0.0,-3.0
floor_divide|float64:T|float64:T|float64|1.0,-0.0,-5.0
floor_divide|float64:T|float64:Z|float64|1.0,0.0,-3.0
floor_divide|float64:T|float64:S|float64|1.0,0.0,-2.0
floor_divide|float64:Z|bool:T|float64|2.0,2.0,2.0
floor_divide|float64:Z|int32:T|float64|1.0,-1.0,2.0
floor_divide|float64:Z|int64:T|float64|1.0,-1.0,2.0
floor_divide|float64:Z|float32:T|float32|1.0,-1.0,2.0
floor_divide|float64:Z|float64:T|float64|1.0,-1.0,2.0
remainder|bool:T|bool:T|error|
remainder|bool:T|bool:Z|error|
remainder|bool:T|int32:T|int32|1,0,0
remainder|bool:T|int32:Z|int32|1,0,1
remainder|bool:T|int64:T|int64|1,0,0
remainder|bool:T|int64:Z|int64|1,0,1
remainder|bool:T|int64:S|int64|1,0,1
remainder|bool:T|float32:T|float32|1.0,0.0,0.0
remainder|bool:T|float32:Z|float32|1.0,0.0,1.0
remainder|bool:T|float64:T|float64|1.0,0.0,0.0
remainder|bool:T|float64:Z|float64|1.0,0.0,1.0
remainder|bool:T|float64:S|float32|1.0,0.0,1.0
remainder|bool:Z|bool:T|error|
remainder|bool:Z|int32:T|int32|1,-3,0
remainder|bool:Z|int64:T|int64|1,-3,0
remainder|bool:Z|float32:T|float32|1.0,-3.0,0.0
remainder|bool:Z|float64:T|float64|1.0,-3.0,0.0
remainder|int32:T|bool:T|int32|0,0,0
remainder|int32:T|bool:Z|int32|0,0,0
remainder|int32:T|int32:T|int32|1,0,0
remainder|int32:T|int32:Z|int32|1,0,1
remainder|int32:T|int64:T|int64|1,0,0
remainder|int32:T|int64:Z|int32|1,0,1
remainder|int32:T|int64:S|int32|1,0,1
remainder|int32:T|float32:T|float32|1.0,0.0,-0.0
remainder|int32:T|float32:Z|float32|1.0,0.0,1.0
remainder|int32:T|float64:T|float64|1.0,0.0,-0.0
remainder|int32:T|float64:Z|float64|1.0,0.0,1.0
remainder|int32:T|float64:S|float32|0.5,0.0,-0.0
remainder|int32:Z|bool:T|int32|0,0,0
remainder|int32:Z|int32:T|int32|0,-2,0
remainder|int32:Z|int64:T|int64|0,-2,0
remainder|int32:Z|float32:T|float32|0.0,-2.0,0.0
remainder|int32:Z|float64:T|float64|0.0,-2.0,0.0
remainder|int64:T|bool:T|int64|0,0,0
remainder|int64:T|bool:Z|int64|0,0,0
remainder|int64:T|int32:T|int64|1,0,0
remainder|int64:T|int32:Z|int64|1,0,1
remainder|int64:T|int64:T|int64|1,0,0
remainder|int64:T|int64:Z|int64|1,0,1
remainder|int64:T|int64:S|int64|1,0,1
remainder|int64:T|float32:T|float32|1.0,0.0,-0.0
remainder|int64:T|float32:Z|float32|1.0,0.0,1.0
remainder|int64:T|float64:T|float64|1.0,0.0,-0.0
remainder|int64:T|float64:Z|float64|1.0,0.0,1.0
remainder|int64:T|float64:S|float32|0.5,0.0,-0.0
remainder|int64:Z|bool:T|int64|0,0,0
remainder|int64:Z|int32:T|int32|0,-2,0
remainder|int64:Z|int64:T|int64|0,-2,0
remainder|int64:Z|float32:T|float32|0.0,-2.0,0.0
remainder|int64:Z|float64:T|float64|0.0,-2.0,0.0
remainder|float32:T|bool:T|float32|0.0,0.0,-0.0
remainder|float32:T|bool:Z|float32|0.0,0.0,-0.0
remainder|float32:T|int32:T|float32|1.0,0.0,-0.0
remainder|float32:T|int32:Z|float32|1.0,0.0,1.0
remainder|float32:T|int64:T|float32|1.0,0.0,-0.0
remainder|float32:T|int64:Z|float32|1.0,0.0,1.0
remainder|float32:T|int64:S|float32|1.0,0.0,1.0
remainder|float32:T|float32:T|float32|1.0,0.0,-0.0
remainder|float32:T|float32:Z|float32|1.0,0.0,1.0
remainder|float32:T|float64:T|float64|1.0,0.0,-0.0
remainder|float32:T|float64:Z|float32|1.0,0.0,1.0
remainder|float32:T|float64:S|float32|0.5,0.0,-0.0
remainder|float32:Z|bool:T|float32|0.0,0.0,0.0
remainder|float32:Z|int32:T|float32|0.0,-2.0,0.0
remainder|float32:Z|int64:T|float32|0.0,-2.0,0.0
remainder|float32:Z|float32:T|float32|0.0,-2.0,0.0
remainder|float32:Z|float64:T|float64|0.0,-2.0,0.0
remainder|float64:T|bool:T|float64|0.0,0.0,-0.0
remainder|float64:T|bool:Z|float64|0.0,0.0,-0.0
remainder|float64:T|int32:T|float64|1.0,0.0,-0.0
remainder|float64:T|int32:Z|float64|1.0,0.0,1.0
remainder|float64:T|int64:T|float64|1.0,0.0,-0.0
remainder|float64:T|int64:Z|float64|1.0,0.0,1.0
remainder|float64:T|int64:S|float64|1.0,0.0,1.0
remainder|float64:T|float32:T|float64|1.0,0.0,-0.0
remainder|float64:T|float32:Z|float64|1.0,0.0,1.0
remainder|float64:T|float64:T|float64|1.0,0.0,-0.0
remainder|float64:T|float64:Z|float64|1.0,0.0,1.0
remainder|float64:T|float64:S|float64|0.5,0.0,-0.0
remainder|float64:Z|bool:T|float64|0.0,0.0,0.0
remainder|float64:Z|int32:T|float64|0.0,-2.0,0.0
remainder|float64:Z|int64:T|float64|0.0,-2.0,0.0
remainder|float64:Z|float32:T|float32|0.0,-2.0,0.0
remainder|float64:Z|float64:T|float64|0.0,-2.0,0.0
maximum|bool:T|bool:T|bool|1,1,1
maximum|bool:T|bool:Z|bool|1,1,1
maximum|bool:T|int32:T|int32|2,0,1
maximum|bool:T|int32:Z|int32|2,2,2
maximum|bool:T|int64:T|int64|2,0,1
maximum|bool:T|int64:Z|int64|2,2,2
maximum|bool:T|float32:T|float32|2.0,0.0,1.0
maximum|bool:T|float32:Z|float32|2.0,2.0,2.0
maximum|bool:T|float64:T|float64|2.0,0.0,1.0
maximum|bool:T|float64:Z|float64|2.0,2.0,2.0
maximum|bool:Z|bool:T|bool|1,1,1
maximum|bool:Z|int32:T|int32|2,1,1
maximum|bool:Z|int64:T|int64|2,1,1
maximum|bool:Z|float32:T|float32|2.0,1.0,1.0
maximum|bool:Z|float64:T|float64|2.0,1.0,1.0
maximum|int32:T|bool:T|int32|3,1,1
maximum|int32:T|bool:Z|int32|3,1,1
maximum|int32:T|int32:T|int32|3,0,1
maximum|int32:T|int32:Z|int32|3,2,2
maximum|int32:T|int64:T|int64|3,0,1
maximum|int32:T|int64:Z|int32|3,2,2
maximum|int32:T|float32:T|float32|3.0,0.0,1.0
maximum|int32:T|float32:Z|float32|3.0,2.0,2.0
maximum|int32:T|float64:T|float64|3.0,0.0,1.0
maximum|int32:T|float64:Z|float64|3.0,2.0,2.0
maximum|int32:Z|bool:T|int32|2,2,2
maximum|int32:Z|int32:T|int32|2,2,2
maximum|int32:Z|int64:T|int64|2,2,2
maximum|int32:Z|float32:T|float32|2.0,2.0,2.0
maximum|int32:Z|float64:T|float64|2.0,2.0,2.0
maximum|int64:T|bool:T|int64|3,1,1
maximum|int64:T|bool:Z|int64|3,1,1
maximum|int64:T|int32:T|int64|3,0,1
maximum|int64:T|int32:Z|int64|3,2,2
maximum|int64:T|int64:T|int64|3,0,1
maximum|int64:T|int64:Z|int64|3,2,2
maximum|int64:T|float32:T|float32|3.0,0.0,1.0
maximum|int64:T|float32:Z|float32|3.0,2.0,2.0
maximum|int64:T|float64:T|float64|3.0,0.0,1.0
maximum|int64:T|float64:Z|float64|3.0,2.0,2.0
maximum|int64:Z|bool:T|int64|2,2,2
maximum|int64:Z|int32:T|int32|2,2,2
maximum|int64:Z|int64:T|int64|2,2,2
maximum|int64:Z|float32:T|float32|2.0,2.0,2.0
maximum|int64:Z|float64:T|float64|2.0,2.0,2.0
maximum|float32:T|bool:T|float32|3.0,1.0,1.0
maximum|float32:T|bool:Z|float32|3.0,1.0,1.0
maximum|float32:T|int32:T|float32|3.0,0.0,1.0
maximum|float32:T|int32:Z|float32|3.0,2.0,2.0
maximum|float32:T|int64:T|float32|3.0,0.0,1.0
maximum|float32:T|int64:Z|float32|3.0,2.0,2.0
maximum|float32:T|float32:T|float32|3.0,0.0,1.0
maximum|float32:T|float32:Z|float32|3.0,2.0,2.0
maximum|float32:T|float64:T|float64|3.0,0.0,1.0
maximum|float32:T|float64:Z|float32|3.0,2.0,2.0
maximum|float32:Z|bool:T|float32|2.0,2.0,2.0
maximum|float32:Z|int32:T|float32|2.0,2.0,2.0
maximum|float32:Z|int64:T|float32|2.0,2.0,2.0
maximum|float32:Z|float32:T|float32|2.0,2.0,2.0
maximum|float32:Z|float64:T|float64|2.0,2.0,2.0
maximum|float64:T|bool:T|float64|3.0,1.0,1.0
maximum|float64:T|bool:Z|float64|3.0,1.0,1.0
maximum|float64:T|int32:T|float64|3.0,0.0,1.0
maximum|float64:T|int32:Z|float64|3.0,2.0,2.0
maximum|float64:T|int64:T|float64|3.0,0.0,1.0
maximum|float64:T|int64:Z|float64|3.0,2.0,2.0
maximum|float64:T|float32:T|float64|3.0,0.0,1.0
maximum|float64:T|float32:Z|float64|3.0,2.0,2.0
maximum|float64:T|float64:T|float64|3.0,0.0,1.0
maximum|float64:T|float64:Z|float64|3.0,2.0,2.0
maximum|float64:Z|bool:T|float64|2.0,2.0,2.0
maximum|float64:Z|int32:T|float64|2.0,2.0,2.0
maximum|float64:Z|int64:T|float64|2.0,2.0,2.0
maximum|float64:Z|float32:T|float32|2.0,2.0,2.0
maximum|float64:Z|float64:T|float64|2.0,2.0,2.0
minimum|bool:T|bool:T|bool|1,0,1
minimum|bool:T|bool:Z|bool|1,0,1
minimum|bool:T|int32:T|int32|1,-4,1
minimum|bool:T|int32:Z|int32|1,0,1
minimum|bool:T|int64:T|int64|1,-4,1
minimum|bool:T|int64:Z|int64|1,0,1
minimum|bool:T|float32:T|float32|1.0,-4.0,1.0
minimum|bool:T|float32:Z|float32|1.0,0.0,1.0
minimum|bool:T|float64:T|float64|1.0,-4.0,1.0
minimum|bool:T|float64:Z|float64|1.0,0.0,1.0
minimum|bool:Z|bool:T|bool|1,1,1
minimum|bool:Z|int32:T|int32|1,-4,1
minimum|bool:Z|int64:T|int64|1,-4,1
minimum|bool:Z|float32:T|float32|1.0,-4.0,1.0
minimum|bool:Z|float64:T|float64|1.0,-4.0,1.0
minimum|int32:T|bool:T|int32|1,0,-5
minimum|int32:T|bool:Z|int32|1,0,-5
minimum|int32:T|int32:T|int32|2,-4,-5
minimum|int32:T|int32:Z|int32|2,0,-5
minimum|int32:T|int64:T|int64|2,-4,-5
minimum|int32:T|int64:Z|int32|2,0,-5
minimum|int32:T|float32:T|float32|2.0,-4.0,-5.0
minimum|int32:T|float32:Z|float32|2.0,0.0,-5.0
minimum|int32:T|float64:T|float64|2.0,-4.0,-5.0
minimum|int32:T|float64:Z|float64|2.0,0.0,-5.0
minimum|int32:Z|bool:T|int32|1,1,1
minimum|int32:Z|int32:T|int32|2,-4,1
minimum|int32:Z|int64:T|int64|2,-4,1
minimum|int32:Z|float32:T|float32|2.0,-4.0,1.0
minimum|int32:Z|float64:T|float64|2.0,-4.0,1.0
minimum|int64:T|bool:T|int64|1,0,-5
minimum|int64:T|bool:Z|int64|1,0,-5
minimum|int64:T|int32:T|int64|2,-4,-5
minimum|int64:T|int32:Z|int64|2,0,-5
minimum|int64:T|int64:T|int64|2,-4,-5
minimum|int64:T|int64:Z|int64|2,0,-5
minimum|int64:T|float32:T|float32|2.0,-4.0,-5.0
minimum|int64:T|float32:Z|float32|2.0,0.0,-5.0
minimum|int64:T|float64:T|float64|2.0,-4.0,-5.0
minimum|int64:T|float64:Z|float64|2.0,0.0,-5.0
minimum|int64:Z|bool:T|int64|1,1,1
minimum|int64:Z|int32:T|int32|2,-4,1
minimum|int64:Z|int64:T|int64|2,-4,1
minimum|int64:Z|float32:T|float32|2.0,-4.0,1.0
minimum|int64:Z|float64:T|float64|2.0,-4.0,1.0
minimum|float32:T|bool:T|float32|1.0,0.0,-5.0
minimum|float32:T|bool:Z|float32|1.0,0.0,-5.0
minimum|float32:T|int32:T|float32|2.0,-4.0,-5.0
minimum|float32:T|int32:Z|float32|2.0,0.0,-5.0
minimum|float32:T|int64:T|float32|2.0,-4.0,-5.0
minimum|float32:T|int64:Z|float32|2.0,0.0,-5.0
minimum|float32:T|float32:T|float32|2.0,-4.0,-5.0
minimum|float32:T|float32:Z|float32|2.0,0.0,-5.0
minimum|float32:T|float64:T|float64|2.0,-4.0,-5.0
minimum|float32:T|float64:Z|float32|2.0,0.0,-5.0
minimum|float32:Z|bool:T|float32|1.0,1.0,1.0
minimum|float32:Z|int32:T|float32|2.0,-4.0,1.0
minimum|float32:Z|int64:T|float32|2.0,-4.0,1.0
minimum|float32:Z|float32:T|float32|2.0,-4.0,1.0
minimum|float32:Z|float64:T|float64|2.0,-4.0,1.0
minimum|float64:T|bool:T|float64|1.0,0.0,-5.0
minimum|float64:T|bool:Z|float64|1.0,0.0,-5.0
minimum|float64:T|int32:T|float64|2.0,-4.0,-5.0
minimum|float64:T|int32:Z|float64|2.0,0.0,-5.0
minimum|float64:T|int64:T|float64|2.0,-4.0,-5.0
minimum|float64:T|int64:Z|float64|2.0,0.0,-5.0
minimum|float64:T|float32:T|float64|2.0,-4.0,-5.0
minimum|float64:T|float32:Z|float64|2.0,0.0,-5.0
minimum|float64:T|float64:T|float64|2.0,-4.0,-5.0
minimum|float64:T|float64:Z|float64|2.0,0.0,-5.0
minimum|float64:Z|bool:T|float64|1.0,1.0,1.0
minimum|float64:Z|int32:T|float64|2.0,-4.0,1.0
minimum|float64:Z|int64:T|float64|2.0,-4.0,1.0
minimum|float64:Z|float32:T|float32|2.0,-4.0,1.0
minimum|float64:Z|float64:T|float64|2.0,-4.0,1.0
eq|bool:T|bool:T|bool|1,0,1
eq|bool:T|bool:Z|bool|1,0,1
eq|bool:T|bool:S|bool|1,0,1
eq|bool:T|int32:T|bool|0,0,1
eq|bool:T|int32:Z|bool|0,0,0
eq|bool:T|int64:T|bool|0,0,1
eq|bool:T|int64:Z|bool|0,0,0
eq|bool:T|int64:S|bool|0,0,0
eq|bool:T|float32:T|bool|0,0,1
eq|bool:T|float32:Z|bool|0,0,0
eq|bool:T|float64:T|bool|0,0,1
eq|bool:T|float64:Z|bool|0,0,0
eq|bool:T|float64:S|bool|0,0,0
eq|bool:Z|bool:T|bool|1,1,1
eq|bool:Z|int32:T|bool|0,0,1
eq|bool:Z|int64:T|bool|0,0,1
eq|bool:Z|float32:T|bool|0,0,1
eq|bool:Z|float64:T|bool|0,0,1
eq|int32:T|bool:T|bool|0,0,0
eq|int32:T|bool:Z|bool|0,0,0
eq|int32:T|bool:S|bool|0,0,0
eq|int32:T|int32:T|bool|0,0,0
eq|int32:T|int32:Z|bool|0,0,0
eq|int32:T|int64:T|bool|0,0,0
eq|int32:T|int64:Z|bool|0,0,0
eq|int32:T|int64:S|bool|0,0,0
eq|int32:T|float32:T|bool|0,0,0
eq|int32:T|float32:Z|bool|0,0,0
eq|int32:T|float64:T|bool|0,0,0
eq|int32:T|float64:Z|bool|0,0,0
eq|int32:T|float64:S|bool|0,0,0
eq|int32:Z|bool:T|bool|0,0,0
eq|int32:Z|int32:T|bool|1,0,0
eq|int32:Z|int64:T|bool|1,0,0
eq|int32:Z|float32:T|bool|1,0,0
eq|int32:Z|float64:T|bool|1,0,0
eq|int64:T|bool:T|bool|0,0,0
eq|int64:T|bool:Z|bool|0,0,0
eq|int64:T|bool:S|bool|0,0,0
eq|int64:T|int32:T|bool|0,0,0
eq|int64:T|int32:Z|bool|0,0,0
eq|int64:T|int64:T|bool|0,0,0
eq|int64:T|int64:Z|bool|0,0,0
eq|int64:T|int64:S|bool|0,0,0
eq|int64:T|float32:T|bool|0,0,0
eq|int64:T|float32:Z|bool|0,0,0
eq|int64:T|float64:T|bool|0,0,0
eq|int64:T|float64:Z|bool|0,0,0
eq|int64:T|float64:S|bool|0,0,0
eq|int64:Z|bool:T|bool|0,0,0
eq|int64:Z|int32:T|bool|1,0,0
eq|int64:Z|int64:T|bool|1,0,0
eq|int64:Z|float32:T|bool|1,0,0
eq|int64:Z|float64:T|bool|1,0,0
eq|float32:T|bool:T|bool|0,0,0
eq|float32:T|bool:Z|bool|0,0,0
eq|float32:T|bool:S|bool|0,0,0
eq|float32:T|int32:T|bool|0,0,0
eq|float32:T|int32:Z|bool|0,0,0
eq|float32:T|int64:T|bool|0,0,0
eq|float32:T|int64:Z|bool|0,0,0
eq|float32:T|int64:S|bool|0,0,0
eq|float32:T|float32:T|bool|0,0,0
eq|float32:T|float32:Z|bool|0,0,0
eq|float32:T|float64:T|bool|0,0,0
eq|float32:T|float64:Z|bool|0,0,0
eq|float32:T|float64:S|bool|0,0,0
eq|float32:Z|bool:T|bool|0,0,0
eq|float32:Z|int32:T|bool|1,0,0
eq|float32:Z|int64:T|bool|1,0,0
eq|float32:Z|float32:T|bool|1,0,0
eq|float32:Z|float64:T|bool|1,0,0
eq|float64:T|bool:T|bool|0,0,0
eq|float64:T|bool:Z|bool|0,0,0
eq|float64:T|bool:S|bool|0,0,0
eq|float64:T|int32:T|bool|0,0,0
eq|float64:T|int32:Z|bool|0,0,0
eq|float64:T|int64:T|bool|0,0,0
eq|float64:T|int64:Z|bool|0,0,0
eq|float64:T|int64:S|bool|0,0,0
eq|float64:T|float32:T|bool|0,0,0
eq|float64:T|float32:Z|bool|0,0,0
eq|float64:T|float64:T|bool|0,0,0
eq|float64:T|float64:Z|bool|0,0,0
eq|float64:T|float64:S|bool|0,0,0
eq|float64:Z|bool:T|bool|0,0,0
eq|float64:Z|int32:T|bool|1,0,0
eq|float64:Z|int64:T|bool|1,0,0
eq|float64:Z|float32:T|bool|1,0,0
eq|float64:Z|float64:T|bool|1,0,0
ne|bool:T|bool:T|bool|0,1,0
ne|bool:T|bool:Z|bool|0,1,0
ne|bool:T|bool:S|bool|0,1,0
ne|bool:T|int32:T|bool|1,1,0
ne|bool:T|int32:Z|bool|1,1,1
ne|bool:T|int64:T|bool|1,1,0
ne|bool:T|int64:Z|bool|1,1,1
ne|bool:T|int64:S|bool|1,1,1
ne|bool:T|float32:T|bool|1,1,0
ne|bool:T|float32:Z|bool|1,1,1
ne|bool:T|float64:T|bool|1,1,0
ne|bool:T|float64:Z|bool|1,1,1
ne|bool:T|float64:S|bool|1,1,1
ne|bool:Z|bool:T|bool|0,0,0
ne|bool:Z|int32:T|bool|1,1,0
ne|bool:Z|int64:T|bool|1,1,0
ne|bool:Z|float32:T|bool|1,1,0
ne|bool:Z|float64:T|bool|1,1,0
ne|int32:T|bool:T|bool|1,1,1
ne|int32:T|bool:Z|bool|1,1,1
ne|int32:T|bool:S|bool|1,1,1
ne|int32:T|int32:T|bool|1,1,1
ne|int32:T|int32:Z|bool|1,1,1
ne|int32:T|int64:T|bool|1,1,1
ne|int32:T|int64:Z|bool|1,1,1
ne|int32:T|int64:S|bool|1,1,1
ne|int32:T|float32:T|bool|1,1,1
ne|int32:T|float32:Z|bool|1,1,1
ne|int32:T|float64:T|bool|1,1,1
ne|int32:T|float64:Z|bool|1,1,1
ne|int32:T|float64:S|bool|1,1,1
ne|int32:Z|bool:T|bool|1,1,1
ne|int32:Z|int32:T|bool|0,1,1
ne|int32:Z|int64:T|bool|0,1,1
ne|int32:Z|float32:T|bool|0,1,1
ne|int32:Z|float64:T|bool|0,1,1
ne|int64:T|bool:T|bool|1,1,1
ne|int64:T|bool:Z|bool|1,1,1
ne|int64:T|bool:S|bool|1,1,1
ne|int64:T|int32:T|bool|1,1,1
ne|int64:T|int32:Z|bool|1,1,1
ne|int64:T|int64:T|bool|1,1,1
ne|int64:T|int64:Z|bool|1,1,1
ne|int64:T|int64:S|bool|1,1,1
ne|int64:T|float32:T|bool|1,1,1
ne|int64:T|float32:Z|bool|1,1,1
ne|int64:T|float64:T|bool|1,1,1
ne|int64:T|float64:Z|bool|1,1,1
ne|int64:T|float64:S|bool|1,1,1
ne|int64:Z|bool:T|bool|1,1,1
ne|int64:Z|int32:T|bool|0,1,1
ne|int64:Z|int64:T|bool|0,1,1
ne|int64:Z|float32:T|bool|0,1,1
ne|int64:Z|float64:T|bool|0,1,1
ne|float32:T|bool:T|bool|1,1,1
ne|float32:T|bool:Z|bool|1,1,1
ne|float32:T|bool:S|bool|1,1,1
ne|float32:T|int32:T|bool|1,1,1
ne|float32:T|int32:Z|bool|1,1,1
ne|float32:T|int64:T|bool|1,1,1
ne|float32:T|int64:Z|bool|1,1,1
ne|float32:T|int64:S|bool|1,1,1
ne|float32:T|float32:T|bool|1,1,1
ne|float32:T|float32:Z|bool|1,1,1
ne|float32:T|float64:T|bool|1,1,1
ne|float32:T|float64:Z|bool|1,1,1
ne|float32:T|float64:S|bool|1,1,1
ne|float32:Z|bool:T|bool|1,1,1
ne|float32:Z|int32:T|bool|0,1,1
ne|float32:Z|int64:T|bool|0,1,1
ne|float32:Z|float32:T|bool|0,1,1
ne|float32:Z|float64:T|bool|0,1,1
ne|float64:T|bool:T|bool|1,1,1
ne|float64:T|bool:Z|bool|1,1,1
ne|float64:T|bool:S|bool|1,1,1
ne|float64:T|int32:T|bool|1,1,1
ne|float64:T|int32:Z|bool|1,1,1
ne|float64:T|int64:T|bool|1,1,1
ne|float64:T|int64:Z|bool|1,1,1
ne|float64:T|int64:S|bool|1,1,1
ne|float64:T|float32:T|bool|1,1,1
ne|float64:T|float32:Z|bool|1,1,1
ne|float64:T|float64:T|bool|1,1,1
ne|float64:T|float64:Z|bool|1,1,1
ne|float64:T|float64:S|bool|1,1,1
ne|float64:Z|bool:T|bool|1,1,1
ne|float64:Z|int32:T|bool|0,1,1
ne|float64:Z|int64:T|bool|0,1,1
ne|float64:Z|float32:T|bool|0,1,1
ne|float64:Z|float64:T|bool|0,1,1
lt|bool:T|bool:T|bool|0,1,0
lt|bool:T|bool:Z|bool|0,1,0
lt|bool:T|int32:T|bool|1,0,0
lt|bool:T|int32:Z|bool|1,1,1
lt|bool:T|int64:T|bool|1,0,0
lt|bool:T|int64:Z|bool|1,1,1
lt|bool:T|int64:S|bool|1,1,1
lt|bool:T|float32:T|bool|1,0,0
lt|bool:T|float32:Z|bool|1,1,1
lt|bool:T|float64:T|bool|1,0,0
lt|bool:T|float64:Z|bool|1,1,1
lt|bool:T|float64:S|bool|1,1,1
lt|bool:Z|bool:T|bool|0,0,0
lt|bool:Z|int32:T|bool|1,0,0
lt|bool:Z|int64:T|bool|1,0,0
lt|bool:Z|float32:T|bool|1,0,0
lt|bool:Z|float64:T|bool|1,0,0
lt|int32:T|bool:T|bool|0,1,1
lt|int32:T|bool:Z|bool|0,1,1
lt|int32:T|int32:T|bool|0,0,1
lt|int32:T|int32:Z|bool|0,1,1
lt|int32:T|int64:T|bool|0,0,1
lt|int32:T|int64:Z|bool|0,1,1
lt|int32:T|int64:S|bool|0,1,1
lt|int32:T|float32:T|bool|0,0,1
lt|int32:T|float32:Z|bool|0,1,1
lt|int32:T|float64:T|bool|0,0,1
lt|int32:T|float64:Z|bool|0,1,1
lt|int32:T|float64:S|bool|0,1,1
lt|int32:Z|bool:T|bool|0,0,0
lt|int32:Z|int32:T|bool|0,0,0
lt|int32:Z|int64:T|bool|0,0,0
lt|int32:Z|float32:T|bool|0,0,0
lt|int32:Z|float64:T|bool|0,0,0
lt|int64:T|bool:T|bool|0,1,1
lt|int64:T|bool:Z|bool|0,1,1
lt|int64:T|int32:T|bool|0,0,1
lt|int64:T|int32:Z|bool|0,1,1
lt|int64:T|int64:T|bool|0,0,1
lt|int64:T|int64:Z|bool|0,1,1
lt|int64:T|int64:S|bool|0,1,1
lt|int64:T|float32:T|bool|0,0,1
lt|int64:T|float32:Z|bool|0,1,1
lt|int64:T|float64:T|bool|0,0,1
lt|int64:T|float64:Z|bool|0,1,1
lt|int64:T|float64:S|bool|0,1,1
lt|int64:Z|bool:T|bool|0,0,0
lt|int64:Z|int32:T|bool|0,0,0
lt|int64:Z|int64:T|bool|0,0,0
lt|int64:Z|float32:T|bool|0,0,0
lt|int64:Z|float64:T|bool|0,0,0
lt|float32:T|bool:T|bool|0,1,1
lt|float32:T|bool:Z|bool|0,1,1
lt|float32:T|int32:T|bool|0,0,1
lt|float32:T|int32:Z|bool|0,1,1
lt|float32:T|int64:T|bool|0,0,1
lt|float32:T|int64:Z|bool|0,1,1
lt|float32:T|int64:S|bool|0,1,1
lt|float32:T|float32:T|bool|0,0,1
lt|float32:T|float32:Z|bool|0,1,1
lt|float32:T|float64:T|bool|0,0,1
lt|float32:T|float64:Z|bool|0,1,1
lt|float32:T|float64:S|bool|0,1,1
lt|float32:Z|bool:T|bool|0,0,0
lt|float32:Z|int32:T|bool|0,0,0
lt|float32:Z|int64:T|bool|0,0,0
lt|float32:Z|float32:T|bool|0,0,0
lt|float32:Z|float64:T|bool|0,0,0
lt|float64:T|bool:T|bool|0,1,1
lt|float64:T|bool:Z|bool|0,1,1
lt|float64:T|int32:T|bool|0,0,1
lt|float64:T|int32:Z|bool|0,1,1
lt|float64:T|int64:T|bool|0,0,1
lt|float64:T|int64:Z|bool|0,1,1
lt|float64:T|int64:S|bool|0,1,1
lt|float64:T|float32:T|bool|0,0,1
lt|float64:T|float32:Z|bool|0,1,1
lt|float64:T|float64:T|bool|0,0,1
lt|float64:T|float64:Z|bool|0,1,1
lt|float64:T|float64:S|bool|0,1,1
lt|float64:Z|bool:T|bool|0,0,0
lt|float64:Z|int32:T|bool|0,0,0
lt|float64:Z|int64:T|bool|0,0,0
lt|float64:Z|float32:T|bool|0,0,0
lt|float64:Z|float64:T|bool|0,0,0
le|bool:T|bool:T|bool|1,1,1
le|bool:T|bool:Z|bool|1,1,1
le|bool:T|int32:T|bool|1,0,1
le|bool:T|int32:Z|bool|1,1,1
le|bool:T|int64:T|bool|1,0,1
le|bool:T|int64:Z|bool|1,1,1
le|bool:T|int64:S|bool|1,1,1
le|bool:T|float32:T|bool|1,0,1
le|bool:T|float32:Z|bool|1,1,1
le|bool:T|float64:T|bool|1,0,1
le|bool:T|float64:Z|bool|1,1,1
le|bool:T|float64:S|bool|1,1,1
le|bool:Z|bool:T|bool|1,1,1
le|bool:Z|int32:T|bool|1,0,1
le|bool:Z|int64:T|bool|1,0,1
le|bool:Z|float32:T|bool|1,0,1
le|bool:Z|float64:T|bool|1,0,1
le|int32:T|bool:T|bool|0,1,1
le|int32:T|bool:Z|bool|0,1,1
le|int32:T|int32:T|bool|0,0,1
le|int32:T|int32:Z|bool|0,1,1
le|int32:T|int64:T|bool|0,0,1
le|int32:T|int64:Z|bool|0,1,1
le|int32:T|int64:S|bool|0,1,1
le|int32:T|float32:T|bool|0,0,1
le|int32:T|float32:Z|bool|0,1,1
le|int32:T|float64:T|bool|0,0,1
le|int32:T|float64:Z|bool|0,1,1
le|int32:T|float64:S|bool|0,1,1
le|int32:Z|bool:T|bool|0,0,0
le|int32:Z|int32:T|bool|1,0,0
le|int32:Z|int64:T|bool|1,0,0
le|int32:Z|float32:T|bool|1,0,0
le|int32:Z|float64:T|bool|1,0,0
le|int64:T|bool:T|bool|0,1,1
le|int64:T|bool:Z|bool|0,1,1
le|int64:T|int32:T|bool|0,0,1
le|int64:T|int32:Z|bool|0,1,1
le|int64:T|int64:T|bool|0,0,1
le|int64:T|int64:Z|bool|0,1,1
le|int64:T|int64:S|bool|0,1,1
le|int64:T|float32:T|bool|0,0,1
le|int64:T|float32:Z|bool|0,1,1
le|int64:T|float64:T|bool|0,0,1
le|int64:T|float64:Z|bool|0,1,1
le|int64:T|float64:S|bool|0,1,1
le|int64:Z|bool:T|bool|0,0,0
le|int64:Z|int32:T|bool|1,0,0
le|int64:Z|int64:T|bool|1,0,0
le|int64:Z|float32:T|bool|1,0,0
le|int64:Z|float64:T|bool|1,0,0
le|float32:T|bool:T|bool|0,1,1
le|float32:T|bool:Z|bool|0,1,1
le|float32:T|int32:T|bool|0,0,1
le|float32:T|int32:Z|bool|0,1,1
le|float32:T|int64:T|bool|0,0,1
le|float32:T|int64:Z|bool|0,1,1
le|float32:T|int64:S|bool|0,1,1
le|float32:T|float32:T|bool|0,0,1
le|float32:T|float32:Z|bool|0,1,1
le|float32:T|float64:T|bool|0,0,1
le|float32:T|float64:Z|bool|0,1,1
le|float32:T|float64:S|bool|0,1,1
le|float32:Z|bool:T|bool|0,0,0
le|float32:Z|int32:T|bool|1,0,0
le|float32:Z|int64:T|bool|1,0,0
le|float32:Z|float32:T|bool|1,0,0
le|float32:Z|float64:T|bool|1,0,0
le|float64:T|bool:T|bool|0,1,1
le|float64:T|bool:Z|bool|0,1,1
le|float64:T|int32:T|bool|0,0,1
le|float64:T|int32:Z|bool|0,1,1
le|float64:T|int64:T|bool|0,0,1
le|float64:T|int64:Z|bool|0,1,1
le|float64:T|int64:S|bool|0,1,1
le|float64:T|float32:T|bool|0,0,1
le|float64:T|float32:Z|bool|0,1,1
le|float64:T|float64:T|bool|0,0,1
le|float64:T|float64:Z|bool|0,1,1
le|float64:T|float64:S|bool|0,1,1
le|float64:Z|bool:T|bool|0,0,0
le|float64:Z|int32:T|bool|1,0,0
le|float64:Z|int64:T|bool|1,0,0
le|float64:Z|float32:T|bool|1,0,0
le|float64:Z|float64:T|bool|1,0,0
gt|bool:T|bool:T|bool|0,0,0
gt|bool:T|bool:Z|bool|0,0,0
gt|bool:T|int32:T|bool|0,1,0
gt|bool:T|int32:Z|bool|0,0,0
gt|bool:T|int64:T|bool|0,1,0
gt|bool:T|int64:Z|bool|0,0,0
gt|bool:T|int64:S|bool|0,0,0
gt|bool:T|float32:T|bool|0,1,0
gt|bool:T|float32:Z|bool|0,0,0
gt|bool:T|float64:T|bool|0,1,0
gt|bool:T|float64:Z|bool|0,0,0
gt|bool:T|float64:S|bool|0,0,0
gt|bool:Z|bool:T|bool|0,0,0
gt|bool:Z|int32:T|bool|0,1,0
gt|bool:Z|int64:T|bool|0,1,0
gt|bool:Z|float32:T|bool|0,1,0
gt|bool:Z|float64:T|bool|0,1,0
gt|int32:T|bool:T|bool|1,0,0
gt|int32:T|bool:Z|bool|1,0,0
gt|int32:T|int32:T|bool|1,1,0
gt|int32:T|int32:Z|bool|1,0,0
gt|int32:T|int64:T|bool|1,1,0
gt|int32:T|int64:Z|bool|1,0,0
gt|int32:T|int64:S|bool|1,0,0
gt|int32:T|float32:T|bool|1,1,0
gt|int32:T|float32:Z|bool|1,0,0
gt|int32:T|float64:T|bool|1,1,0
gt|int32:T|float64:Z|bool|1,0,0
gt|int32:T|float64:S|bool|1,0,0
gt|int32:Z|bool:T|bool|1,1,1
gt|int32:Z|int32:T|bool|0,1,1
gt|int32:Z|int64:T|bool|0,1,1
gt|int32:Z|float32:T|bool|0,1,1
gt|int32:Z|float64:T|bool|0,1,1
gt|int64:T|bool:T|bool|1,0,0
gt|int64:T|bool:Z|bool|1,0,0
gt|int64:T|int32:T|bool|1,1,0
gt|int64:T|int32:Z|bool|1,0,0
gt|int64:T|int64:T|bool|1,1,0
gt|int64:T|int64:Z|bool|1,0,0
gt|int64:T|int64:S|bool|1,0,0
gt|int64:T|float32:T|bool|1,1,0
gt|int64:T|float32:Z|bool|1,0,0
gt|int64:T|float64:T|bool|1,1,0
gt|int64:T|float64:Z|bool|1,0,0
gt|int64:T|float64:S|bool|1,0,0
gt|int64:Z|bool:T|bool|1,1,1
gt|int64:Z|int32:T|bool|0,1,1
gt|int64:Z|int64:T|bool|0,1,1
gt|int64:Z|float32:T|bool|0,1,1
gt|int64:Z|float64:T|bool|0,1,1
gt|float32:T|bool:T|bool|1,0,0
gt|float32:T|bool:Z|bool|1,0,0
gt|float32:T|int32:T|bool|1,1,0
gt|float32:T|int32:Z|bool|1,0,0
gt|float32:T|int64:T|bool|1,1,0
gt|float32:T|int64:Z|bool|1,0,0
gt|float32:T|int64:S|bool|1,0,0
gt|float32:T|float32:T|bool|1,1,0
gt|float32:T|float32:Z|bool|1,0,0
gt|float32:T|float64:T|bool|1,1,0
gt|float32:T|float64:Z|bool|1,0,0
gt|float32:T|float64:S|bool|1,0,0
gt|float32:Z|bool:T|bool|1,1,1
gt|float32:Z|int32:T|bool|0,1,1
gt|float32:Z|int64:T|bool|0,1,1
gt|float32:Z|float32:T|bool|0,1,1
gt|float32:Z|float64:T|bool|0,1,1
gt|float64:T|bool:T|bool|1,0,0
gt|float64:T|bool:Z|bool|1,0,0
gt|float64:T|int32:T|bool|1,1,0
gt|float64:T|int32:Z|bool|1,0,0
gt|float64:T|int64:T|bool|1,1,0
gt|float64:T|int64:Z|bool|1,0,0
gt|float64:T|int64:S|bool|1,0,0
gt|float64:T|float32:T|bool|1,1,0
gt|float64:T|float32:Z|bool|1,0,0
gt|float64:T|float64:T|bool|1,1,0
gt|float64:T|float64:Z|bool|1,0,0
gt|float64:T|float64:S|bool|1,0,0
gt|float64:Z|bool:T|bool|1,1,1
gt|float64:Z|int32:T|bool|0,1,1
gt|float64:Z|int64:T|bool|0,1,1
gt|float64:Z|float32:T|bool|0,1,1
gt|float64:Z|float64:T|bool|0,1,1
ge|bool:T|bool:T|bool|1,0,1
ge|bool:T|bool:Z|bool|1,0,1
ge|bool:T|int32:T|bool|0,1,1
ge|bool:T|int32:Z|bool|0,0,0
ge|bool:T|int64:T|bool|0,1,1
ge|bool:T|int64:Z|bool|0,0,0
ge|bool:T|int64:S|bool|0,0,0
ge|bool:T|float32:T|bool|0,1,1
ge|bool:T|float32:Z|bool|0,0,0
ge|bool:T|float64:T|bool|0,1,1
ge|bool:T|float64:Z|bool|0,0,0
ge|bool:T|float64:S|bool|0,0,0
ge|bool:Z|bool:T|bool|1,1,1
ge|bool:Z|int32:T|bool|0,1,1
ge|bool:Z|int64:T|bool|0,1,1
ge|bool:Z|float32:T|bool|0,1,1
ge|bool:Z|float64:T|bool|0,1,1
ge|int32:T|bool:T|bool|1,0,0
ge|int32:T|bool:Z|bool|1,0,0
ge|int32:T|int32:T|bool|1,1,0
ge|int32:T|int32:Z|bool|1,0,0
ge|int32:T|int64:T|bool|1,1,0
ge|int32:T|int64:Z|bool|1,0,0
ge|int32:T|int64:S|bool|1,0,0
ge|int32:T|float32:T|bool|1,1,0
ge|int32:T|float32:Z|bool|1,0,0
ge|int32:T|float64:T|bool|1,1,0
ge|int32:T|float64:Z|bool|1,0,0
ge|int32:T|float64:S|bool|1,0,0
ge|int32:Z|bool:T|bool|1,1,1
ge|int32:Z|int32:T|bool|1,1,1
ge|int32:Z|int64:T|bool|1,1,1
ge|int32:Z|float32:T|bool|1,1,1
ge|int32:Z|float64:T|bool|1,1,1
ge|int64:T|bool:T|bool|1,0,0
ge|int64:T|bool:Z|bool|1,0,0
ge|int64:T|int32:T|bool|1,1,0
ge|int64:T|int32:Z|bool|1,0,0
ge|int64:T|int64:T|bool|1,1,0
ge|int64:T|int64:Z|bool|1,0,0
ge|int64:T|int64:S|bool|1,0,0
ge|int64:T|float32:T|bool|1,1,0
ge|int64:T|float32:Z|bool|1,0,0
ge|int64:T|float64:T|bool|1,1,0
ge|int64:T|float64:Z|bool|1,0,0
ge|int64:T|float64:S|bool|1,0,0
ge|int64:Z|bool:T|bool|1,1,1
ge|int64:Z|int32:T|bool|1,1,1
ge|int64:Z|int64:T|bool|1,1,1
ge|int64:Z|float32:T|bool|1,1,1
ge|int64:Z|float64:T|bool|1,1,1
ge|float32:T|bool:T|bool|1,0,0
ge|float32:T|bool:Z|bool|1,0,0
ge|float32:T|int32:T|bool|1,1,0
ge|float32:T|int32:Z|bool|1,0,0
ge|float32:T|int64:T|bool|1,1,0
ge|float32:T|int64:Z|bool|1,0,0
ge|float32:T|int64:S|bool|1,0,0
ge|float32:T|float32:T|bool|1,1,0
ge|float32:T|float32:Z|bool|1,0,0
ge|float32:T|float64:T|bool|1,1,0
ge|float32:T|float64:Z|bool|1,0,0
ge|float32:T|float64:S|bool|1,0,0
ge|float32:Z|bool:T|bool|1,1,1
ge|float32:Z|int32:T|bool|1,1,1
ge|float32:Z|int64:T|bool|1,1,1
ge|float32:Z|float32:T|bool|1,1,1
ge|float32:Z|float64:T|bool|1,1,1
ge|float64:T|bool:T|bool|1,0,0
ge|float64:T|bool:Z|bool|1,0,0
ge|float64:T|int32:T|bool|1,1,0
ge|float64:T|int32:Z|bool|1,0,0
ge|float64:T|int64:T|bool|1,1,0
ge|float64:T|int64:Z|bool|1,0,0
ge|float64:T|int64:S|bool|1,0,0
ge|float64:T|float32:T|bool|1,1,0
ge|float64:T|float32:Z|bool|1,0,0
ge|float64:T|float64:T|bool|1,1,0
ge|float64:T|float64:Z|bool|1,0,0
ge|float64:T|float64:S|bool|1,0,0
ge|float64:Z|bool:T|bool|1,1,1
ge|float64:Z|int32:T|bool|1,1,1
ge|float64:Z|int64:T|bool|1,1,1
ge|float64:Z|float32:T|bool|1,1,1
ge|float64:Z|float64:T|bool|1,1,1
where|bool:T|bool:T|bool|1,1,1
where|bool:T|bool:Z|bool|1,1,1
where|bool:T|int32:T|int32|1,-4,1
where|bool:T|int32:Z|int32|1,2,1
where|bool:T|int64:T|int64|1,-4,1
where|bool:T|int64:Z|int64|1,2,1
where|bool:T|float32:T|float32|1.0,-4.0,1.0
where|bool:T|float32:Z|float32|1.0,2.0,1.0
where|bool:T|float64:T|float64|1.0,-4.0,1.0
where|bool:T|float64:Z|float64|1.0,2.0,1.0
where|bool:T|float64:S|float32|1.0,2.5,1.0
where|bool:Z|bool:T|bool|1,1,1
where|bool:Z|int32:T|int32|1,-4,1
where|bool:Z|int64:T|int64|1,-4,1
where|bool:Z|float32:T|float32|1.0,-4.0,1.0
where|bool:Z|float64:T|float64|1.0,-4.0,1.0
where|int32:T|bool:T|int32|3,1,-5
where|int32:T|bool:Z|int32|3,1,-5
where|int32:T|int32:T|int32|3,-4,-5
where|int32:T|int32:Z|int32|3,2,-5
where|int32:T|int64:T|int64|3,-4,-5
where|int32:T|int64:Z|int32|3,2,-5
where|int32:T|float32:T|float32|3.0,-4.0,-5.0
where|int32:T|float32:Z|float32|3.0,2.0,-5.0
where|int32:T|float64:T|float64|3.0,-4.0,-5.0
where|int32:T|float64:Z|float64|3.0,2.0,-5.0
where|int32:T|float64:S|float32|3.0,2.5,-5.0
where|int32:Z|bool:T|int32|2,1,2
where|int32:Z|int32:T|int32|2,-4,2
where|int32:Z|int64:T|int64|2,-4,2
where|int32:Z|float32:T|float32|2.0,-4.0,2.0
where|int32:Z|float64:T|float64|2.0,-4.0,2.0
where|int64:T|bool:T|int64|3,1,-5
where|int64:T|bool:Z|int64|3,1,-5
where|int64:T|int32:T|int64|3,-4,-5
where|int64:T|int32:Z|int64|3,2,-5
where|int64:T|int64:T|int64|3,-4,-5
where|int64:T|int64:Z|int64|3,2,-5
where|int64:T|float32:T|float32|3.0,-4.0,-5.0
where|int64:T|float32:Z|float32|3.0,2.0,-5.0
where|int64:T|float64:T|float64|3.0,-4.0,-5.0
where|int64:T|float64:Z|float64|3.0,2.0,-5.0
where|int64:T|float64:S|float32|3.0,2.5,-5.0
where|int64:Z|bool:T|int64|2,1,2
where|int64:Z|int32:T|int32|2,-4,2
where|int64:Z|int64:T|int64|2,-4,2
where|int64:Z|float32:T|float32|2.0,-4.0,2.0
where|int64:Z|float64:T|float64|2.0,-4.0,2.0
where|float32:T|bool:T|float32|3.0,1.0,-5.0
where|float32:T|bool:Z|float32|3.0,1.0,-5.0
where|float32:T|int32:T|float32|3.0,-4.0,-5.0
where|float32:T|int32:Z|float32|3.0,2.0,-5.0
where|float32:T|int64:T|float32|3.0,-4.0,-5.0
where|float32:T|int64:Z|float32|3.0,2.0,-5.0
where|float32:T|float32:T|float32|3.0,-4.0,-5.0
where|float32:T|float32:Z|float32|3.0,2.0,-5.0
where|float32:T|float64:T|float64|3.0,-4.0,-5.0
where|float32:T|float64:Z|float32|3.0,2.0,-5.0
where|float32:T|float64:S|float32|3.0,2.5,-5.0
where|float32:Z|bool:T|float32|2.0,1.0,2.0
where|float32:Z|int32:T|float32|2.0,-4.0,2.0
where|float32:Z|int64:T|float32|2.0,-4.0,2.0
where|float32:Z|float32:T|float32|2.0,-4.0,2.0
where|float32:Z|float64:T|float64|2.0,-4.0,2.0
where|float64:T|bool:T|float64|3.0,1.0,-5.0
where|float64:T|bool:Z|float64|3.0,1.0,-5.0
where|float64:T|int32:T|float64|3.0,-4.0,-5.0
where|float64:T|int32:Z|float64|3.0,2.0,-5.0
where|float64:T|int64:T|float64|3.0,-4.0,-5.0
where|float64:T|int64:Z|float64|3.0,2.0,-5.0
where|float64:T|float32:T|float64|3.0,-4.0,-5.0
where|float64:T|float32:Z|float64|3.0,2.0,-5.0
where|float64:T|float64:T|float64|3.0,-4.0,-5.0
where|float64:T|float64:Z|float64|3.0,2.0,-5.0
where|float64:T|float64:S|float64|3.0,2.5,-5.0
where|float64:Z|bool:T|float64|2.0,1.0,2.0
where|float64:Z|int32:T|float64|2.0,-4.0,2.0
where|float64:Z|int64:T|float64|2.0,-4.0,2.0
where|float64:Z|float32:T|float32|2.0,-4.0,2.0
where|float64:Z|float64:T|float64|2.0,-4.0,2.0
            """;
}
