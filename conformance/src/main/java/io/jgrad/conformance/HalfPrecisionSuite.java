package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.HalfFloat;
import io.jgrad.Tensor;
import io.jgrad.nn.LayerNorm;
import io.jgrad.nn.Linear;
import io.jgrad.optim.SGD;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Distribution;
import io.jgrad.spi.UnaryOp;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * float16 and bfloat16 through every op family, each against float32 run on the same (rounded) inputs. Where the op
 * is one kernel (element-wise ops, a reduction along one axis, a matrix product, softmax, attention), the half result
 * must be the float32 result rounded once, bit for bit: the CPU computes half types in float32 and rounds when it
 * stores. Composite ops (cross-entropy's mean, layer norm, a training step) round between kernels and must stay within
 * a few units of the half type's precision of the float32 result.
 */
public abstract class HalfPrecisionSuite extends DeviceSuite {

    private static final DType[] HALVES = {DType.FLOAT16, DType.BFLOAT16};

    @BeforeEach
    void halfKernelsExist() {
        try {
            Tensor.zeros(DType.FLOAT16, 2).add(Tensor.ones(DType.FLOAT16, 2)).sum().item();
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("float16 kernels are not implemented on " + device() + " yet: " + e.getMessage());
        }
    }

    /** Unit roundoff of the type: 2^-11 for float16, 2^-8 for bfloat16. */
    private static double eps(DType dt) {
        return dt == DType.FLOAT16 ? 0x1p-11 : 0x1p-8;
    }

    /** Random float32 values, normal with this scale, rounded to dt (so the float32 reference sees the same inputs). */
    private static Tensor input(DType dt, long seed, double scale, int... shape) {
        return Tensor.random(Distribution.NORMAL, 0, scale, DType.FLOAT32, io.jgrad.Backends.defaultDevice(),
                new Generator(seed), shape).to(dt);
    }

    /** Bits of the half result equal those of the float32 result on the same inputs, rounded once. */
    private static void assertRoundedOnce(Tensor half, Tensor float32, String what) {
        assertEquals(float32.shape(), half.shape(), what + ": shape");
        DType dt = half.dtype();
        short[] got = half.toHalfBits();
        short[] want = float32.to(dt).toHalfBits();
        for (int i = 0; i < got.length; i++) {
            if (got[i] != want[i]) {
                throw new AssertionError(what + " (" + dt + ") at " + i + ": got " + HalfFloat.toFloat(dt, got[i]) + ", want "
                        + HalfFloat.toFloat(dt, want[i]) + " (float32 " + float32.toFloatArray()[i] + ")");
            }
        }
    }

    /** Within {@code units} roundoffs of the type, relative to the largest magnitude of the reference. */
    private static void assertClose(Tensor half, Tensor float32, double units, String what) {
        assertEquals(float32.shape(), half.shape(), what + ": shape");
        float[] got = half.toFloatArray(), want = float32.toFloatArray();
        double scale = 0;
        for (float w : want) scale = Math.max(scale, Math.abs(w));
        double tol = units * eps(half.dtype()) * Math.max(scale, 1e-30);
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                throw new AssertionError(what + " (" + half.dtype() + ") at " + i + ": got " + got[i] + ", want " + want[i]
                        + " within " + tol);
            }
        }
    }

    // ------------------------------------------------------------------ dtypes, creation, conversion, printing

    @Test
    void creationConversionAndDownloads() {
        for (DType dt : HALVES) {
            Tensor z = Tensor.zeros(dt, 2, 3);
            assertEquals(dt, z.dtype());
            assertArrayEquals(new float[6], z.toFloatArray());
            Tensor f = Tensor.full(0.1, dt, io.jgrad.Backends.defaultDevice(), 2);
            assertEquals(HalfFloat.round(dt, 0.1), f.toDoubleArray()[0], 0.0, "full rounds the value once");
            assertEquals(1.0, Tensor.ones(dt, 1).item());
            Tensor a = Tensor.arange(0, 3, 0.5, dt, io.jgrad.Backends.defaultDevice());
            assertArrayEquals(new double[]{0, 0.5, 1, 1.5, 2, 2.5}, a.toDoubleArray());
            Tensor r = Tensor.random(Distribution.UNIFORM, 0, 1, dt, io.jgrad.Backends.defaultDevice(), new Generator(1), 100);
            assertEquals(dt, r.dtype());
            for (float v : r.toFloatArray()) assertTrue(v >= 0 && v <= 1, "uniform sample " + v);
            assertRoundedOnce(r, Tensor.random(Distribution.UNIFORM, 0, 1, DType.FLOAT32, io.jgrad.Backends.defaultDevice(),
                    new Generator(1), 100), "random");
        }
        Tensor x = Tensor.of(new float[]{1f, 0.1f, 65519f, 65520f, -1e-8f, Float.NaN}).half();
        assertArrayEquals(new short[]{0x3c00, 0x2e66, 0x7bff, 0x7c00, (short) 0x8000, 0x7e00}, x.toHalfBits());
        assertArrayEquals(new short[]{0x3f80, 0x3dcd}, Tensor.of(new float[]{1f, 0.1f}).bfloat16().toHalfBits());
        assertEquals(DType.FLOAT32, x.to(DType.FLOAT32).dtype());
        assertArrayEquals(new long[]{1, 0, 65504, 0}, Tensor.of(new float[]{1.5f, 0.1f, 65504f, -0.5f}).half().toLongArray());
        assertArrayEquals(new short[]{0x3c00, 0x3c00}, Tensor.of(new long[]{1, 1}).to(DType.FLOAT16).toHalfBits());
        // float16 -> bfloat16 goes through float32 (exact): 0.1 as float16 is 0.0999755859375 = 0x3dccc000 as float32,
        // which bfloat16 rounds up to 0x3dcd (torch.tensor([0.1]).half().bfloat16() gives the same bits)
        assertArrayEquals(new short[]{0x3dcd}, Tensor.ofHalfBits(new short[]{0x2e66}, DType.FLOAT16).to(DType.BFLOAT16).toHalfBits());
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofHalfBits(new short[1], DType.FLOAT32));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).toHalfBits());
    }

    @Test
    void printsAsPyTorchDoes() {
        // torch.tensor([1.0, 2.5, -0.1], dtype=torch.float16) prints tensor([ 1.0000,  2.5000, -0.1000], dtype=torch.float16)
        assertEquals("tensor([ 1.0000,  2.5000, -0.1000], dtype=float16)", Tensor.of(new float[]{1f, 2.5f, -0.1f}).half().toString());
        assertEquals("tensor([1., 2.], dtype=bfloat16)", Tensor.of(new float[]{1f, 2f}).bfloat16().toString());
        // torch.tensor(3.14159, dtype=torch.bfloat16): tensor(3.1406, dtype=torch.bfloat16)
        assertEquals("tensor(3.1406, dtype=bfloat16)", Tensor.scalar(3.14159f).bfloat16().toString());
    }

    @Test
    void promotionFollowsResultType() {
        Tensor h = Tensor.ones(DType.FLOAT16, 3), b = Tensor.ones(DType.BFLOAT16, 3), f = Tensor.ones(3);
        assertEquals(DType.FLOAT32, h.add(b).dtype(), "float16 + bfloat16");
        assertEquals(DType.FLOAT32, h.add(f).dtype(), "float16 + float32");
        assertEquals(DType.FLOAT64, b.add(Tensor.ones(DType.FLOAT64, 3)).dtype());
        assertEquals(DType.FLOAT16, h.add(2.5).dtype(), "a Java scalar keeps the half type");
        assertEquals(DType.BFLOAT16, b.mul(3L).dtype());
        assertEquals(DType.FLOAT16, Tensor.of(new long[]{1, 2, 3}).add(h).dtype(), "int64 + float16");
        assertEquals(DType.FLOAT16, h.add(Tensor.scalar(2.0)).dtype(), "a zero-dim float64 does not lift a tensor");
        assertEquals(DType.BFLOAT16, Tensor.of(new long[]{1, 2}).add(Tensor.scalar(2f).bfloat16()).dtype(),
                "a zero-dim bfloat16 lifts an integer tensor");
        assertEquals(DType.BOOL, h.lt(b).dtype());
        assertEquals(DType.FLOAT16, Tensor.of(new long[]{1, 2}).add(Tensor.zeros(DType.FLOAT16, 2)).dtype());
        assertArrayEquals(new float[]{2, 2, 2}, h.add(b).toFloatArray());
    }

    // ------------------------------------------------------------------ element-wise ops

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void everyUnaryOpRoundsTheFloat32ResultOnce(UnaryOp op) {
        for (DType dt : HALVES) {
            Tensor x = input(dt, 100 + op.ordinal(), 2, 257);
            double a = switch (op) {
                case POW -> 3;
                case CLAMP, HARDTANH -> -0.5;
                case SOFTPLUS, ELU -> 1;
                case LEAKY_RELU -> 0.01;
                default -> 1.5;
            };
            double b = switch (op) {
                case CLAMP, HARDTANH -> 0.75;
                case SOFTPLUS -> 20;
                default -> -0.25;
            };
            Tensor got = x.apply(op, a, b);
            assertEquals(dt, got.dtype());
            assertRoundedOnce(got, x.to(DType.FLOAT32).apply(op, a, b), op.toString());
        }
    }

    private static Tensor binary(BinaryOp op, Tensor x, Tensor y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case POW -> x.pow(y);
            case MAX -> x.maximum(y);
            case MIN -> x.minimum(y);
            case EQ -> x.eq(y);
            case NE -> x.ne(y);
            case LT -> x.lt(y);
            case LE -> x.le(y);
            case GT -> x.gt(y);
            case GE -> x.ge(y);
            case FLOOR_DIVIDE -> x.floorDivide(y);
            case REMAINDER -> x.remainder(y);
            case LOGICAL_AND -> x.logicalAnd(y);
            case LOGICAL_OR -> x.logicalOr(y);
            case ATAN2 -> x.atan2(y);
            case FMOD -> x.fmod(y);
        };
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void everyBinaryOpRoundsTheFloat32ResultOnce(BinaryOp op) {
        for (DType dt : HALVES) {
            Tensor x = input(dt, 200 + op.ordinal(), 2, 9, 31);
            Tensor y = input(dt, 300 + op.ordinal(), 2, 31); // broadcast along the rows
            if (op == BinaryOp.EQ || op == BinaryOp.NE) y = x.slice(0, 2, 3).reshape(31).mul(y.gt(0.0).to(dt));
            Tensor got = binary(op, x, y);
            Tensor want = binary(op, x.to(DType.FLOAT32), y.to(DType.FLOAT32));
            if (op.writesBool()) {
                assertEquals(DType.BOOL, got.dtype());
                assertArrayEquals(want.toBooleanArray(), got.toBooleanArray(), op + " " + dt);
            } else {
                assertEquals(dt, got.dtype());
                assertRoundedOnce(got, want, op.toString());
            }
        }
    }

    @Test
    void whereAndStridedViews() {
        for (DType dt : HALVES) {
            Tensor x = input(dt, 7, 3, 6, 5);
            Tensor y = input(dt, 8, 3, 5, 6).transpose(0, 1);
            Tensor cond = x.gt(0.0);
            assertRoundedOnce(Tensor.where(cond, x, y), Tensor.where(cond, x.to(DType.FLOAT32), y.to(DType.FLOAT32)), "where");
            assertRoundedOnce(x.add(y).slice(1, 1, 4), x.to(DType.FLOAT32).add(y.to(DType.FLOAT32)).slice(1, 1, 4), "strided add");
        }
    }

    // ------------------------------------------------------------------ reductions, matmul, softmax

    @Test
    void reductionsAccumulateInFloat32() {
        for (DType dt : HALVES) {
            Tensor x = input(dt, 11, 1, 7, 300);
            Tensor f = x.to(DType.FLOAT32);
            assertRoundedOnce(x.sum(1, false), f.sum(1, false), "sum");
            assertRoundedOnce(x.amax(new int[]{1}, true), f.amax(new int[]{1}, true), "amax");
            assertArrayEquals(f.argmax(1, false).toLongArray(), x.argmax(1, false).toLongArray(), "argmax " + dt);
            assertRoundedOnce(x.cumsum(1), f.cumsum(1), "cumsum");
            assertClose(x.mean(), f.mean(), 2, "mean");
            assertClose(x.var(1, false, true), f.var(1, false, true), 8, "var");
            // 4096 ones: a half accumulator would stop at 256 (bfloat16) or 2048 (float16)
            assertEquals(4096.0, Tensor.ones(dt, 4096).sum().item(), 0.0, "sum of 4096 ones in " + dt);
            Tensor s = Tensor.of(new float[]{3, 1, 2}).to(dt).sort(0, false, true).values();
            assertArrayEquals(new float[]{1, 2, 3}, s.toFloatArray());
        }
    }

    @Test
    void matmulAccumulatesInFloat32AndRoundsOnce() {
        for (DType dt : HALVES) {
            Tensor a = input(dt, 21, 1, 33, 70), b = input(dt, 22, 1, 70, 17);
            assertRoundedOnce(a.matmul(b), a.to(DType.FLOAT32).matmul(b.to(DType.FLOAT32)), "matmul");
            Tensor p = input(dt, 23, 1, 3, 5, 40), q = input(dt, 24, 1, 40, 6);
            assertRoundedOnce(p.matmul(q), p.to(DType.FLOAT32).matmul(q.to(DType.FLOAT32)), "batched matmul");
            Tensor t = input(dt, 25, 1, 70, 33).transpose(0, 1);
            assertRoundedOnce(t.matmul(b), t.to(DType.FLOAT32).matmul(b.to(DType.FLOAT32)), "matmul of a transposed operand");
            Tensor ones = Tensor.ones(dt, 1, 4096);
            assertEquals(4096.0, ones.matmul(Tensor.ones(dt, 4096, 1)).item(), 0.0, "a dot product of 4096 ones in " + dt);
        }
    }

    @Test
    void softmaxAndCrossEntropy() {
        for (DType dt : HALVES) {
            Tensor x = input(dt, 31, 3, 12, 10);
            Tensor f = x.to(DType.FLOAT32);
            assertRoundedOnce(x.softmax(1), f.softmax(1), "softmax");
            assertRoundedOnce(x.logSoftmax(1), f.logSoftmax(1), "logSoftmax");
            Tensor targets = Tensor.of(new long[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1});
            Tensor xl = x.detach().requiresGrad(true), fl = f.detach().requiresGrad(true);
            Tensor loss = Functional.crossEntropy(xl, targets).mean(), lossF = Functional.crossEntropy(fl, targets).mean();
            assertEquals(dt, loss.dtype());
            assertClose(loss, lossF, 4, "crossEntropy");
            loss.backward();
            lossF.backward();
            assertEquals(dt, xl.grad().dtype(), "the gradient of a half leaf is half");
            assertClose(xl.grad(), fl.grad(), 4, "crossEntropy gradient");
        }
    }

    @Test
    void layerNormConvAndAttention() {
        for (DType dt : HALVES) {
            LayerNorm ln = new LayerNorm(16);
            Tensor x = input(dt, 41, 2, 5, 16);
            LayerNorm lnHalf = (LayerNorm) new LayerNorm(16).to(dt);
            assertClose(lnHalf.forward(x), ln.forward(x.to(DType.FLOAT32)), 8, "layerNorm");

            Tensor img = input(dt, 42, 1, 2, 3, 9, 9), w = input(dt, 43, 0.3, 4, 3, 3, 3), bias = input(dt, 44, 0.1, 4);
            assertRoundedOnce(Functional.conv2d(img, w, bias, 1, 1), Functional.conv2d(img.to(DType.FLOAT32), w.to(DType.FLOAT32),
                    bias.to(DType.FLOAT32), 1, 1), "conv2d");
            assertRoundedOnce(Functional.maxPool2d(img, 2), Functional.maxPool2d(img.to(DType.FLOAT32), 2), "maxPool2d");
            assertRoundedOnce(Functional.avgPool2d(img, 3), Functional.avgPool2d(img.to(DType.FLOAT32), 3), "avgPool2d");

            Tensor q = input(dt, 45, 1, 2, 7, 8), k = input(dt, 46, 1, 2, 9, 8), v = input(dt, 47, 1, 2, 9, 8);
            assertRoundedOnce(Functional.scaledDotProductAttention(q, k, v),
                    Functional.scaledDotProductAttention(q.to(DType.FLOAT32), k.to(DType.FLOAT32), v.to(DType.FLOAT32)), "attention");
            Tensor ql = q.detach().requiresGrad(true), kl = k.detach().requiresGrad(true), vl = v.detach().requiresGrad(true);
            Tensor qf = q.to(DType.FLOAT32).requiresGrad(true), kf = k.to(DType.FLOAT32).requiresGrad(true);
            Tensor vf = v.to(DType.FLOAT32).requiresGrad(true);
            Functional.scaledDotProductAttention(ql, kl, vl, null, 0, true).sum().backward();
            Functional.scaledDotProductAttention(qf, kf, vf, null, 0, true).sum().backward();
            assertClose(ql.grad(), qf.grad(), 8, "attention dq");
            assertClose(vl.grad(), vf.grad(), 8, "attention dv");
        }
    }

    // ------------------------------------------------------------------ autograd and training

    @Test
    void aCastsGradientComesBackInTheSourceDtype() {
        for (DType dt : HALVES) {
            Tensor p = Tensor.of(new float[]{1, 2, 3}).requiresGrad(true);
            p.to(dt).mul(p.to(dt)).sum().backward();
            assertEquals(DType.FLOAT32, p.grad().dtype(), "a float32 parameter cast to " + dt + " gets a float32 gradient");
            assertArrayEquals(new float[]{2, 4, 6}, p.grad().toFloatArray());
            Tensor h = Tensor.of(new float[]{1, 2, 3}).to(dt).requiresGrad(true);
            h.mul(h).sum().backward();
            assertEquals(dt, h.grad().dtype());
            assertArrayEquals(new float[]{2, 4, 6}, h.grad().toFloatArray());
            assertNull(Tensor.ones(dt, 1).grad());
        }
    }

    @Test
    void linearReluTrainingStep() {
        for (DType dt : HALVES) {
            Linear ref = new Linear(12, 8, true, new Generator(3));
            Linear half = new Linear(12, 8, true, new Generator(3));
            half.to(dt);
            // the float32 model starts from the half model's (rounded) weights
            try (io.jgrad.Grad.Mode ignored = io.jgrad.Grad.disabled()) {
                ref.weight().copyFrom(half.weight().detach().to(DType.FLOAT32));
                ref.bias().copyFrom(half.bias().detach().to(DType.FLOAT32));
            }
            Tensor x = input(dt, 51, 1, 16, 12);
            SGD optH = new SGD(half.parameters(), 0.1), optF = new SGD(ref.parameters(), 0.1);
            Tensor lossH = half.forward(x).relu().square().mean();
            Tensor lossF = ref.forward(x.to(DType.FLOAT32)).relu().square().mean();
            assertClose(lossH, lossF, 8, "loss");
            lossH.backward();
            lossF.backward();
            assertEquals(dt, half.weight().grad().dtype());
            assertClose(half.weight().grad(), ref.weight().grad(), 16, "weight gradient");
            optH.step();
            optF.step();
            assertEquals(dt, half.weight().dtype());
            assertClose(half.weight(), ref.weight(), 4, "weight after a step");
            assertClose(half.bias(), ref.bias(), 4, "bias after a step");
            List<Tensor> ps = half.parameters();
            assertEquals(2, ps.size());
        }
    }
}
