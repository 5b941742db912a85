package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.GeluApproximation;
import io.jgrad.Device;
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

    /**
     * a.matmul(b) in a half type is the float32 product rounded once. On the CPU, where the half GEMM is the float32
     * kernel on widened operands, that holds bit for bit. Elsewhere (cuBLAS's half GEMM on tensor cores) the float32
     * sums run in another order, so a sum may land across a rounding boundary of the half type: there the product must
     * be within float32 accumulation error of the float64 product (k 2^-24 sum |a||b|) plus one rounding to the half
     * type.
     */
    private void assertProductRoundedOnce(Tensor a, Tensor b, String what) {
        if (device().equals(Device.CPU)) {
            assertRoundedOnce(a.matmul(b), a.to(DType.FLOAT32).matmul(b.to(DType.FLOAT32)), what);
            return;
        }
        DType dt = a.dtype();
        Tensor got = a.matmul(b);
        assertEquals(dt, got.dtype(), what + ": dtype");
        double[] exact = a.to(DType.FLOAT64).matmul(b.to(DType.FLOAT64)).toDoubleArray();
        double[] mag = a.to(DType.FLOAT64).abs().matmul(b.to(DType.FLOAT64).abs()).toDoubleArray();
        float[] g = got.toFloatArray();
        int k = a.shape().get(a.dim() - 1);
        for (int i = 0; i < g.length; i++) {
            double tol = (k + 1) * 0x1p-24 * mag[i] + eps(dt) * Math.abs(exact[i]) + 1e-30;
            if (!(Math.abs(g[i] - exact[i]) <= tol)) {
                throw new AssertionError(what + " (" + dt + ") at " + i + ": got " + g[i] + ", want " + exact[i] + " within " + tol);
            }
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
            assertProductRoundedOnce(a, b, "matmul");
            Tensor p = input(dt, 23, 1, 3, 5, 40), q = input(dt, 24, 1, 40, 6);
            assertProductRoundedOnce(p, q, "batched matmul");
            Tensor t = input(dt, 25, 1, 70, 33).transpose(0, 1);
            assertProductRoundedOnce(t, b, "matmul of a transposed operand");
            Tensor ones = Tensor.ones(dt, 1, 4096);
            assertEquals(4096.0, ones.matmul(Tensor.ones(dt, 4096, 1)).item(), 0.0, "a dot product of 4096 ones in " + dt);
        }
    }

    /** GELU's fused backward (both forms, alone and after a bias) takes half operands and stays near float32. */
    @Test
    void geluBackward() {
        for (DType dt : HALVES) {
            for (GeluApproximation form : GeluApproximation.values()) {
                Tensor x = input(dt, 51, 3, 6, 16).detach().requiresGrad(true);
                Tensor f = x.detach().to(DType.FLOAT32).requiresGrad(true);
                Tensor g = input(dt, 52, 1, 6, 16);
                x.gelu(form).mul(g).sum().backward();
                f.gelu(form).mul(g.to(DType.FLOAT32)).sum().backward();
                assertEquals(dt, x.grad().dtype(), "the gradient of a half leaf is half");
                assertClose(x.grad(), f.grad(), 4, "gelu(" + form + ") gradient");
            }
            Tensor w = input(dt, 53, 0.3, 8, 16).detach().requiresGrad(true), b = input(dt, 54, 0.1, 8).detach().requiresGrad(true);
            Tensor wf = w.detach().to(DType.FLOAT32).requiresGrad(true), bf = b.detach().to(DType.FLOAT32).requiresGrad(true);
            Tensor in = input(dt, 55, 1, 6, 16);
            Functional.linear(in, w, b, Functional.Activation.GELU).sum().backward();
            Functional.linear(in.to(DType.FLOAT32), wf, bf, Functional.Activation.GELU).sum().backward();
            assertClose(w.grad(), wf.grad(), 8, "linear + GELU: weight gradient");
            assertClose(b.grad(), bf.grad(), 8, "linear + GELU: bias gradient");
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

    // ------------------------------------------------------------------ Java scalars against PyTorch

    /**
     * x + 0.3, x - 0.3, 0.3 - x, x * 0.3, x / 0.3 and |x| ^ 1.7 on 96 float16 and bfloat16 values (zeros, 65504, a
     * subnormal, magnitudes 1e-3 to 1e3) against PyTorch's bits ({@link #SCALAR_OPS}): add, sub, rsub and pow round the
     * scalar to the half type first, mul and div keep it a float32, and every result is rounded once.
     */
    @Test
    void scalarOperandsRoundAsPyTorchDoes() {
        java.util.Map<String, short[]> ref = new java.util.HashMap<>();
        for (String line : SCALAR_OPS.strip().split("\n")) {
            String[] f = line.split(" ");
            short[] bits = new short[f.length - 2];
            for (int i = 0; i < bits.length; i++) bits[i] = (short) Integer.parseInt(f[i + 2], 16);
            ref.put(f[0] + " " + f[1], bits);
        }
        for (DType dt : HALVES) {
            Tensor x = Tensor.ofHalfBits(ref.get(dt.name() + " x"), dt);
            assertArrayEquals(ref.get(dt.name() + " add"), x.add(0.3).toHalfBits(), "add " + dt);
            assertArrayEquals(ref.get(dt.name() + " sub"), x.sub(0.3).toHalfBits(), "sub " + dt);
            assertArrayEquals(ref.get(dt.name() + " rsub"), x.rsub(0.3).toHalfBits(), "rsub " + dt);
            assertArrayEquals(ref.get(dt.name() + " mul"), x.mul(0.3).toHalfBits(), "mul " + dt);
            assertArrayEquals(ref.get(dt.name() + " div"), x.div(0.3).toHalfBits(), "div " + dt);
            assertArrayEquals(ref.get(dt.name() + " pow"), x.abs().pow(1.7).toHalfBits(), "pow " + dt);
            Tensor leaf = x.detach().requiresGrad(true);
            leaf.div(0.3).sum().backward();
            assertEquals(dt, leaf.grad().dtype(), "div's gradient is in " + dt);
        }
    }

    /** From PyTorch 2.13: dtype, op, then the result bits (hex) for the 96 inputs of the "x" rows. */
    static final String SCALAR_OPS = """
FLOAT16 x 0000 8000 7bff 0002 c000 34cd 95de 11b4 118b 100a 146c 17c3 1580 2001 1e1b 2196 0352 15b1 a411 20f8 1e9b 1c0b 2601 1933 0f59 a539 a7db 2b62 2421 a726 20a7 a501 2415 a549 a052 ae8a b402 3468 3349 2930 33f5 3709 bc9f 39f6 3970 b99c b7ac 3a0a 338a 3baa 3d7f 3eac 401b 3892 396f 3dc1 bead 443c c7a1 4a84 c5b7 4567 c401 4936 ad4a 450d c1b0 48bb 4d36 c6ca cc84 5162 507f 4613 4c35 4e39 d0a7 d150 5743 4c9b 527d 4f71 d5e7 dc51 d041 dab3 d713 e013 46fa e2cb 5e09 d983 666f db75 6580 6200
FLOAT16 add 34cd 34cd 7bff 34cd becd 38cd 34c7 34d0 34d0 34cf 34d1 34d5 34d2 34ed 34e5 34fa 34cd 34d3 348c 34f5 34e7 34dd 352d 34d7 34cf 3479 344f 35b9 350f 345b 34f2 347d 350e 3478 34aa 3255 2a58 389a 3839 3573 3864 39eb bad8 3c2e 3bd6 b66b b1be 3c38 3849 3d08 3eb2 3fdf 40b5 3af8 3bd6 3ef4 bd7a 4489 c754 4aaa c56a 45b4 c368 495c 32f5 455a c116 48e1 4d49 c67d cc71 516c 5089 4660 4c48 4e4c d09d d146 5748 4cae 5287 4f84 d5e2 dc50 d037 dab1 d70e e012 4747 e2ca 5e0a d981 666f db73 6580 6201
FLOAT16 sub b4cd b4cd 7bff b4cd c09a 0000 b4d3 b4ca b4ca b4cb b4c9 b4c5 b4c8 b4ad b4b5 b4a0 b4cd b4c7 b50e b4a5 b4b3 b4bd b46d b4c3 b4cb b521 b54b b3c2 b48b b53f b4a8 b51d b48c b522 b4f0 b670 b868 a650 aca2 b427 aa94 3078 bdd2 371f 3613 bc01 ba3c 3747 ac20 3944 3c4c 3d79 3f03 3457 3611 3c8e bfe0 43de c7ee 4a5e c604 451a c44e 4910 b620 44c0 c24a 4895 4d23 c717 cc97 5158 5075 45c6 4c22 4e26 d0b1 d15a 573e 4c88 5273 4f5e d5ec dc52 d04b dab5 d718 e014 46ad e2cc 5e08 d985 666f db77 6580 61ff
FLOAT16 rsub 34cd 34cd fbff 34cd 409a 0000 34d3 34ca 34ca 34cb 34c9 34c5 34c8 34ad 34b5 34a0 34cd 34c7 350e 34a5 34b3 34bd 346d 34c3 34cb 3521 354b 33c2 348b 353f 34a8 351d 348c 3522 34f0 3670 3868 2650 2ca2 3427 2a94 b078 3dd2 b71f b613 3c01 3a3c b747 2c20 b944 bc4c bd79 bf03 b457 b611 bc8e 3fe0 c3de 47ee ca5e 4604 c51a 444e c910 3620 c4c0 424a c895 cd23 4717 4c97 d158 d075 c5c6 cc22 ce26 50b1 515a d73e cc88 d273 cf5e 55ec 5c52 504b 5ab5 5718 6014 c6ad 62cc de08 5985 e66f 5b77 e580 e1ff
FLOAT16 mul 0000 8000 74cc 0001 b8cd 2dc3 8f0a 0ad8 0aa7 08d9 0d4e 10a8 0e9a 18ce 1754 1ab4 00ff 0ed4 9ce1 19f6 17ed 14da 1f34 123d 0869 9e44 a0b7 246e 1cf4 a04a 1995 9e01 1ce6 9e58 992f a7d9 accf 2d4a 2c5f 223a 2cc6 3039 b58c 3327 3286 b2bb b09a 333f 2c86 3499 3698 3801 38ed 317c 3285 36e8 b801 3d15 c094 43d2 bedc 3e7c bcce 4241 a659 3e10 bad3 41ad 4641 c013 c56b 4a76 4965 3f4a 450c 4778 c995 ca60 505b 4587 4bc9 4877 cf15 d52e c91b d405 d03f d8e4 4030 dc13 573e d29d 5fb8 d479 5e9a 5b33
FLOAT16 div 0000 8000 7c00 0007 c6ab 3c00 9ce4 18c1 189e 16bb 1b5f 1e78 1c95 26ac 2516 28a8 0989 1cbe aac7 2824 2581 22bd 2d01 2055 161f ac5a ae8c 3227 2ae2 adf5 27c1 ac2c 2ace ac68 a733 b573 baae 3b58 3a12 3053 3aa1 3ddd c3b4 40f8 4088 c0ad be65 4108 3a48 4263 4494 458f 46d8 3f9e 4087 44cc c590 4b0f ce5b 516e ccc3 4c80 caac 5058 b468 4c36 c8bd 4fe2 5458 cda8 d387 587c 577e 4d10 5303 5530 d7c1 d86d 5e0d 53ad 5968 5633 dceb e332 d717 e195 dde5 e6ca 4dd0 e9a9 6508 e098 6d5c e237 6c95 6900
FLOAT16 pow 0000 0000 7c00 0000 4280 3022 00f5 0048 0045 0028 0098 018b 00dc 0c4a 0969 0f8f 0001 00e9 1328 0e31 0a2f 055e 16f1 0289 0022 157a 197b 2002 1358 18ab 0d8a 1517 1334 1596 0ce2 254c 2e15 2f25 2d2b 1c66 2e02 33ea 3d1d 38da 3826 3860 3496 38f6 2d7b 3b70 3ede 40c6 42cb 362d 3825 3f6c 40c7 49d1 4fea 54ea 4cd7 4c66 494a 52b9 2362 4bd9 45e9 51b4 5976 4e7d 5848 60b0 5ee8 4d5f 5798 5b63 5f52 6096 6a56 586d 6271 5d01 6875 72e8 5e49 707d 6a10 7916 4ecc 7c00 761b 6e71 7c00 7163 7c00 7c00
BFLOAT16 x 0000 8000 4780 33d7 c000 3e9a babc 3a36 3a31 3a01 3a8e 3af8 3ab0 3c00 3bc3 3c33 3855 3ab6 bc82 3c1f 3bd3 3b81 3cc0 3b26 39eb bca7 bcfb 3d6c 3c84 bce5 3c15 bca0 3c83 bca9 bc0a bdd1 be80 3e8d 3e69 3d26 3e7f 3ee1 bf94 3f3f 3f2e bf33 bef6 3f41 3e71 3f75 3fb0 3fd5 4003 3f12 3f2e 3fb8 bfd6 4087 c0f4 4150 c0b7 40ad c080 4127 bda9 40a2 c036 4117 41a7 c0d9 c191 422c 4210 40c2 4187 41c7 c215 c22a 42e8 4193 4250 41ee c2bd c38a c208 c356 c2e2 c402 40df c459 43c1 c330 44ce c36f 44b0 4440
BFLOAT16 add 3e9a 3e9a 4780 3e9a bfda 3f1a 3e99 3e9a 3e9a 3e9a 3e9b 3e9b 3e9b 3e9e 3e9d 3ea0 3e9a 3e9b 3e92 3e9f 3e9d 3e9c 3ea6 3e9b 3e9a 3e90 3e8a 3eb8 3ea2 3e8c 3e9f 3e90 3ea2 3e8f 3e96 3e4c 3d50 3f14 3f07 3eaf 3f0d 3f3e bf5b 3f86 3f7b becc be38 3f87 3f09 3fa1 3fd6 3ffc 4016 3f5f 3f7b 3fde bfb0 4091 c0ea 4155 c0ad 40b7 c06d 412c 3e60 40ac c023 411c 41a9 c0cf c18f 422d 4211 40cc 4189 41c9 c214 c229 42e9 4195 4251 41f0 c2bc c38a c207 c356 c2e1 c402 40e9 c459 43c1 c330 44ce c36f 44b0 4440
BFLOAT16 sub be9a be9a 4780 be9a c013 0000 be9b be9a be9a be9a be99 be99 be99 be96 be97 be94 be9a be99 bea2 be95 be97 be98 be8e be99 be9a bea4 beaa be79 be92 bea8 be95 bea4 be92 bea5 be9e bece bf0d bcd0 bd96 be85 bd54 3e0e bfba 3ee4 3ec2 bf80 bf48 3ee8 bd86 3f28 3f8a 3fae 3fe0 3e8a 3ec2 3f92 bffc 407b c0fe 414b c0c1 40a3 c08a 4122 bec4 4098 c049 4112 41a5 c0e3 c193 422b 420f 40b8 4185 41c5 c216 c22b 42e7 4191 424f 41ec c2be c38a c209 c356 c2e3 c402 40d5 c459 43c1 c330 44ce c36f 44b0 4440
BFLOAT16 rsub 3e9a 3e9a c780 3e9a 4013 0000 3e9b 3e9a 3e9a 3e9a 3e99 3e99 3e99 3e96 3e97 3e94 3e9a 3e99 3ea2 3e95 3e97 3e98 3e8e 3e99 3e9a 3ea4 3eaa 3e79 3e92 3ea8 3e95 3ea4 3e92 3ea5 3e9e 3ece 3f0d 3cd0 3d96 3e85 3d54 be0e 3fba bee4 bec2 3f80 3f48 bee8 3d86 bf28 bf8a bfae bfe0 be8a bec2 bf92 3ffc c07b 40fe c14b 40c1 c0a3 408a c122 3ec4 c098 4049 c112 c1a5 40e3 4193 c22b c20f c0b8 c185 c1c5 4216 422b c2e7 c191 c24f c1ec 42be 438a 4209 4356 42e3 4402 c0d5 4459 c3c1 4330 c4ce 436f c4b0 c440
BFLOAT16 mul 0000 8000 469a 3301 bf1a 3db9 b9e2 395a 3954 391b 39aa 3a15 39d3 3b1a 3aea 3b57 3780 39da bb9c 3b3f 3afd 3a9b 3be6 3a47 390d bbc8 bc17 3c8e 3b9e bc09 3b33 bbc0 3b9d bbcb bb26 bcfb bd9a 3da9 3d8c 3c47 3d99 3e07 beb2 3e65 3e51 be57 be14 3e68 3d91 3e93 3ed3 3f00 3f1d 3e2f 3e51 3edd bf00 3fa2 c012 407a bfdc 3fd0 bf9a 4048 bccb 3fc2 bf5a 4035 40c8 c002 c0ae 414e 412d 3fe9 40a2 40ef c133 c14c 420b 40b0 417a 410f c1e3 c2a6 c123 c280 c208 c31c 4006 c382 42e8 c253 43f7 c28f 43d3 4366
BFLOAT16 div 0000 8000 4855 34b3 c0d5 3f80 bb9d 3b18 3b14 3ad7 3b6d 3bcf 3b93 3cd5 3ca2 3d15 3932 3b98 bd59 3d04 3cb0 3c57 3da0 3c0a 3ac4 bd8b bdd1 3e45 3d5c bdbf 3cf8 bd85 3d5a bd8d bce6 beae bf55 3f6b 3f42 3e0a 3f54 3fbc c077 401f 4011 c015 bfcd 4021 3f49 404c 4093 40b2 40da 3ff3 4011 4099 c0b2 4161 c1cb 422d c198 4190 c155 420b be8d 4187 c118 41fc 428b c1b5 c272 430f 42f0 41a2 4261 42a6 c2f8 c30e 43c1 4275 432d 42c6 c39e c466 c2e3 c432 c3bc c4d9 41ba c535 44a1 c413 45ac c447 4593 4520
BFLOAT16 pow 0000 0000 4d18 2ba9 4050 3e04 3771 368c 3686 361c 3715 37c1 3757 3987 392a 39ef 3351 3764 3a62 39c3 3942 38a8 3adb 381f 3605 3aad 3b2d 3bfe 3a68 3b14 39af 3aa1 3a65 3ab1 399a 3ca8 3dc1 3de4 3da5 3b8b 3dc0 3e7c 3fa4 3f1b 3f05 3f0b 3e93 3f1e 3dae 3f6e 3fdc 4018 4059 3ec5 3f05 3fed 401a 413a 41fe 429e 419c 418e 412a 4259 3c6a 417d 40be 4237 4331 41d0 430b 4417 43e0 41ac 42f6 436e 43ed 4414 454d 430e 4451 43a2 4511 4660 43cb 4611 4544 4725 41da 47c5 46c7 45d1 4893 4630 4861 47a0
""";

    // ------------------------------------------------------------------ promotion against PyTorch

    /**
     * DTypePromotionSuite's table for the pairs of dtypes with float16 or bfloat16 in them ({@link #HALF_TABLE}): the
     * result dtype and values of PyTorch 2.13 for each op and operand kinds, or "error" where PyTorch refuses.
     */
    @Test
    void everyPairWithAHalfDtypePromotesAndComputesAsPyTorch() {
        double[] xs0 = {3, 0, -5}, ys0 = {2, -4, 1};
        List<String> failures = new java.util.ArrayList<>();
        int rows = 0;
        for (String line : HALF_TABLE.strip().split("\n")) {
            rows++;
            String[] f = line.split("\\|", -1);
            String[] xs = f[1].split(":"), ys = f[2].split(":");
            String want = f[3];
            try {
                Tensor x = DTypePromotionSuite.operand(DType.valueOf(xs[0].toUpperCase(java.util.Locale.ROOT)), xs[1], xs0);
                DType yType = DType.valueOf(ys[0].toUpperCase(java.util.Locale.ROOT));
                Tensor r;
                try {
                    r = ys[1].equals("S") ? DTypePromotionSuite.withScalar(f[0], x, yType)
                            : DTypePromotionSuite.op(f[0]).apply(x, DTypePromotionSuite.operand(yType, ys[1], ys0));
                } catch (IllegalArgumentException e) {
                    if (!want.equals("error")) failures.add(line + ": jgrad refused: " + e.getMessage());
                    continue;
                }
                if (want.equals("error")) {
                    failures.add(line + ": jgrad gave " + r.dtype() + " where PyTorch refuses");
                } else if (!r.dtype().toString().equals(want)) {
                    failures.add(line + ": jgrad gave dtype " + r.dtype());
                } else {
                    String[] vs = f[4].split(",");
                    double[] got = r.toDoubleArray();
                    for (int i = 0; i < vs.length; i++) {
                        if (Double.doubleToLongBits(Double.parseDouble(vs[i])) != Double.doubleToLongBits(got[i])) {
                            failures.add(line + ": jgrad gave values " + java.util.Arrays.toString(got));
                            break;
                        }
                    }
                }
            } catch (RuntimeException e) {
                failures.add(line + ": " + e);
            }
        }
        assertEquals(1134, rows, "table rows");
        assertEquals(List.of(), failures, failures.size() + " of " + rows + " rows differ from PyTorch");
    }

    /** Printed by conformance/scripts/promotion_table.py --half with PyTorch 2.13: op|x|y|result dtype or error|values. */
    static final String HALF_TABLE = """
add|bool:T|float16:T|float16|3.0,-4.0,2.0
add|bool:T|float16:Z|float16|3.0,2.0,3.0
add|bool:T|bfloat16:T|bfloat16|3.0,-4.0,2.0
add|bool:T|bfloat16:Z|bfloat16|3.0,2.0,3.0
add|bool:Z|float16:T|float16|3.0,-3.0,2.0
add|bool:Z|bfloat16:T|bfloat16|3.0,-3.0,2.0
add|int32:T|float16:T|float16|5.0,-4.0,-4.0
add|int32:T|float16:Z|float16|5.0,2.0,-3.0
add|int32:T|bfloat16:T|bfloat16|5.0,-4.0,-4.0
add|int32:T|bfloat16:Z|bfloat16|5.0,2.0,-3.0
add|int32:Z|float16:T|float16|4.0,-2.0,3.0
add|int32:Z|bfloat16:T|bfloat16|4.0,-2.0,3.0
add|int64:T|float16:T|float16|5.0,-4.0,-4.0
add|int64:T|float16:Z|float16|5.0,2.0,-3.0
add|int64:T|bfloat16:T|bfloat16|5.0,-4.0,-4.0
add|int64:T|bfloat16:Z|bfloat16|5.0,2.0,-3.0
add|int64:Z|float16:T|float16|4.0,-2.0,3.0
add|int64:Z|bfloat16:T|bfloat16|4.0,-2.0,3.0
add|float32:T|float16:T|float32|5.0,-4.0,-4.0
add|float32:T|float16:Z|float32|5.0,2.0,-3.0
add|float32:T|bfloat16:T|float32|5.0,-4.0,-4.0
add|float32:T|bfloat16:Z|float32|5.0,2.0,-3.0
add|float32:Z|float16:T|float16|4.0,-2.0,3.0
add|float32:Z|bfloat16:T|bfloat16|4.0,-2.0,3.0
add|float64:T|float16:T|float64|5.0,-4.0,-4.0
add|float64:T|float16:Z|float64|5.0,2.0,-3.0
add|float64:T|bfloat16:T|float64|5.0,-4.0,-4.0
add|float64:T|bfloat16:Z|float64|5.0,2.0,-3.0
add|float64:Z|float16:T|float16|4.0,-2.0,3.0
add|float64:Z|bfloat16:T|bfloat16|4.0,-2.0,3.0
add|float16:T|bool:T|float16|4.0,1.0,-4.0
add|float16:T|bool:Z|float16|4.0,1.0,-4.0
add|float16:T|int32:T|float16|5.0,-4.0,-4.0
add|float16:T|int32:Z|float16|5.0,2.0,-3.0
add|float16:T|int64:T|float16|5.0,-4.0,-4.0
add|float16:T|int64:Z|float16|5.0,2.0,-3.0
add|float16:T|int64:S|float16|5.0,2.0,-3.0
add|float16:T|float32:T|float32|5.0,-4.0,-4.0
add|float16:T|float32:Z|float16|5.0,2.0,-3.0
add|float16:T|float64:T|float64|5.0,-4.0,-4.0
add|float16:T|float64:Z|float16|5.0,2.0,-3.0
add|float16:T|float64:S|float16|5.5,2.5,-2.5
add|float16:T|float16:T|float16|5.0,-4.0,-4.0
add|float16:T|float16:Z|float16|5.0,2.0,-3.0
add|float16:T|bfloat16:T|float32|5.0,-4.0,-4.0
add|float16:T|bfloat16:Z|float16|5.0,2.0,-3.0
add|float16:Z|bool:T|float16|3.0,3.0,3.0
add|float16:Z|int32:T|float16|4.0,-2.0,3.0
add|float16:Z|int64:T|float16|4.0,-2.0,3.0
add|float16:Z|float32:T|float32|4.0,-2.0,3.0
add|float16:Z|float64:T|float64|4.0,-2.0,3.0
add|float16:Z|float16:T|float16|4.0,-2.0,3.0
add|float16:Z|bfloat16:T|bfloat16|4.0,-2.0,3.0
add|bfloat16:T|bool:T|bfloat16|4.0,1.0,-4.0
add|bfloat16:T|bool:Z|bfloat16|4.0,1.0,-4.0
add|bfloat16:T|int32:T|bfloat16|5.0,-4.0,-4.0
add|bfloat16:T|int32:Z|bfloat16|5.0,2.0,-3.0
add|bfloat16:T|int64:T|bfloat16|5.0,-4.0,-4.0
add|bfloat16:T|int64:Z|bfloat16|5.0,2.0,-3.0
add|bfloat16:T|int64:S|bfloat16|5.0,2.0,-3.0
add|bfloat16:T|float32:T|float32|5.0,-4.0,-4.0
add|bfloat16:T|float32:Z|bfloat16|5.0,2.0,-3.0
add|bfloat16:T|float64:T|float64|5.0,-4.0,-4.0
add|bfloat16:T|float64:Z|bfloat16|5.0,2.0,-3.0
add|bfloat16:T|float64:S|bfloat16|5.5,2.5,-2.5
add|bfloat16:T|float16:T|float32|5.0,-4.0,-4.0
add|bfloat16:T|float16:Z|bfloat16|5.0,2.0,-3.0
add|bfloat16:T|bfloat16:T|bfloat16|5.0,-4.0,-4.0
add|bfloat16:T|bfloat16:Z|bfloat16|5.0,2.0,-3.0
add|bfloat16:Z|bool:T|bfloat16|3.0,3.0,3.0
add|bfloat16:Z|int32:T|bfloat16|4.0,-2.0,3.0
add|bfloat16:Z|int64:T|bfloat16|4.0,-2.0,3.0
add|bfloat16:Z|float32:T|float32|4.0,-2.0,3.0
add|bfloat16:Z|float64:T|float64|4.0,-2.0,3.0
add|bfloat16:Z|float16:T|float16|4.0,-2.0,3.0
add|bfloat16:Z|bfloat16:T|bfloat16|4.0,-2.0,3.0
sub|bool:T|float16:T|error|
sub|bool:T|float16:Z|error|
sub|bool:T|bfloat16:T|error|
sub|bool:T|bfloat16:Z|error|
sub|bool:Z|float16:T|error|
sub|bool:Z|bfloat16:T|error|
sub|int32:T|float16:T|float16|1.0,4.0,-6.0
sub|int32:T|float16:Z|float16|1.0,-2.0,-7.0
sub|int32:T|bfloat16:T|bfloat16|1.0,4.0,-6.0
sub|int32:T|bfloat16:Z|bfloat16|1.0,-2.0,-7.0
sub|int32:Z|float16:T|float16|0.0,6.0,1.0
sub|int32:Z|bfloat16:T|bfloat16|0.0,6.0,1.0
sub|int64:T|float16:T|float16|1.0,4.0,-6.0
sub|int64:T|float16:Z|float16|1.0,-2.0,-7.0
sub|int64:T|bfloat16:T|bfloat16|1.0,4.0,-6.0
sub|int64:T|bfloat16:Z|bfloat16|1.0,-2.0,-7.0
sub|int64:Z|float16:T|float16|0.0,6.0,1.0
sub|int64:Z|bfloat16:T|bfloat16|0.0,6.0,1.0
sub|float32:T|float16:T|float32|1.0,4.0,-6.0
sub|float32:T|float16:Z|float32|1.0,-2.0,-7.0
sub|float32:T|bfloat16:T|float32|1.0,4.0,-6.0
sub|float32:T|bfloat16:Z|float32|1.0,-2.0,-7.0
sub|float32:Z|float16:T|float16|0.0,6.0,1.0
sub|float32:Z|bfloat16:T|bfloat16|0.0,6.0,1.0
sub|float64:T|float16:T|float64|1.0,4.0,-6.0
sub|float64:T|float16:Z|float64|1.0,-2.0,-7.0
sub|float64:T|bfloat16:T|float64|1.0,4.0,-6.0
sub|float64:T|bfloat16:Z|float64|1.0,-2.0,-7.0
sub|float64:Z|float16:T|float16|0.0,6.0,1.0
sub|float64:Z|bfloat16:T|bfloat16|0.0,6.0,1.0
sub|float16:T|bool:T|error|
sub|float16:T|bool:Z|error|
sub|float16:T|int32:T|float16|1.0,4.0,-6.0
sub|float16:T|int32:Z|float16|1.0,-2.0,-7.0
sub|float16:T|int64:T|float16|1.0,4.0,-6.0
sub|float16:T|int64:Z|float16|1.0,-2.0,-7.0
sub|float16:T|int64:S|float16|1.0,-2.0,-7.0
sub|float16:T|float32:T|float32|1.0,4.0,-6.0
sub|float16:T|float32:Z|float16|1.0,-2.0,-7.0
sub|float16:T|float64:T|float64|1.0,4.0,-6.0
sub|float16:T|float64:Z|float16|1.0,-2.0,-7.0
sub|float16:T|float64:S|float16|0.5,-2.5,-7.5
sub|float16:T|float16:T|float16|1.0,4.0,-6.0
sub|float16:T|float16:Z|float16|1.0,-2.0,-7.0
sub|float16:T|bfloat16:T|float32|1.0,4.0,-6.0
sub|float16:T|bfloat16:Z|float16|1.0,-2.0,-7.0
sub|float16:Z|bool:T|error|
sub|float16:Z|int32:T|float16|0.0,6.0,1.0
sub|float16:Z|int64:T|float16|0.0,6.0,1.0
sub|float16:Z|float32:T|float32|0.0,6.0,1.0
sub|float16:Z|float64:T|float64|0.0,6.0,1.0
sub|float16:Z|float16:T|float16|0.0,6.0,1.0
sub|float16:Z|bfloat16:T|bfloat16|0.0,6.0,1.0
sub|bfloat16:T|bool:T|error|
sub|bfloat16:T|bool:Z|error|
sub|bfloat16:T|int32:T|bfloat16|1.0,4.0,-6.0
sub|bfloat16:T|int32:Z|bfloat16|1.0,-2.0,-7.0
sub|bfloat16:T|int64:T|bfloat16|1.0,4.0,-6.0
sub|bfloat16:T|int64:Z|bfloat16|1.0,-2.0,-7.0
sub|bfloat16:T|int64:S|bfloat16|1.0,-2.0,-7.0
sub|bfloat16:T|float32:T|float32|1.0,4.0,-6.0
sub|bfloat16:T|float32:Z|bfloat16|1.0,-2.0,-7.0
sub|bfloat16:T|float64:T|float64|1.0,4.0,-6.0
sub|bfloat16:T|float64:Z|bfloat16|1.0,-2.0,-7.0
sub|bfloat16:T|float64:S|bfloat16|0.5,-2.5,-7.5
sub|bfloat16:T|float16:T|float32|1.0,4.0,-6.0
sub|bfloat16:T|float16:Z|bfloat16|1.0,-2.0,-7.0
sub|bfloat16:T|bfloat16:T|bfloat16|1.0,4.0,-6.0
sub|bfloat16:T|bfloat16:Z|bfloat16|1.0,-2.0,-7.0
sub|bfloat16:Z|bool:T|error|
sub|bfloat16:Z|int32:T|bfloat16|0.0,6.0,1.0
sub|bfloat16:Z|int64:T|bfloat16|0.0,6.0,1.0
sub|bfloat16:Z|float32:T|float32|0.0,6.0,1.0
sub|bfloat16:Z|float64:T|float64|0.0,6.0,1.0
sub|bfloat16:Z|float16:T|float16|0.0,6.0,1.0
sub|bfloat16:Z|bfloat16:T|bfloat16|0.0,6.0,1.0
mul|bool:T|float16:T|float16|2.0,-0.0,1.0
mul|bool:T|float16:Z|float16|2.0,0.0,2.0
mul|bool:T|bfloat16:T|bfloat16|2.0,-0.0,1.0
mul|bool:T|bfloat16:Z|bfloat16|2.0,0.0,2.0
mul|bool:Z|float16:T|float16|2.0,-4.0,1.0
mul|bool:Z|bfloat16:T|bfloat16|2.0,-4.0,1.0
mul|int32:T|float16:T|float16|6.0,-0.0,-5.0
mul|int32:T|float16:Z|float16|6.0,0.0,-10.0
mul|int32:T|bfloat16:T|bfloat16|6.0,-0.0,-5.0
mul|int32:T|bfloat16:Z|bfloat16|6.0,0.0,-10.0
mul|int32:Z|float16:T|float16|4.0,-8.0,2.0
mul|int32:Z|bfloat16:T|bfloat16|4.0,-8.0,2.0
mul|int64:T|float16:T|float16|6.0,-0.0,-5.0
mul|int64:T|float16:Z|float16|6.0,0.0,-10.0
mul|int64:T|bfloat16:T|bfloat16|6.0,-0.0,-5.0
mul|int64:T|bfloat16:Z|bfloat16|6.0,0.0,-10.0
mul|int64:Z|float16:T|float16|4.0,-8.0,2.0
mul|int64:Z|bfloat16:T|bfloat16|4.0,-8.0,2.0
mul|float32:T|float16:T|float32|6.0,-0.0,-5.0
mul|float32:T|float16:Z|float32|6.0,0.0,-10.0
mul|float32:T|bfloat16:T|float32|6.0,-0.0,-5.0
mul|float32:T|bfloat16:Z|float32|6.0,0.0,-10.0
mul|float32:Z|float16:T|float16|4.0,-8.0,2.0
mul|float32:Z|bfloat16:T|bfloat16|4.0,-8.0,2.0
mul|float64:T|float16:T|float64|6.0,-0.0,-5.0
mul|float64:T|float16:Z|float64|6.0,0.0,-10.0
mul|float64:T|bfloat16:T|float64|6.0,-0.0,-5.0
mul|float64:T|bfloat16:Z|float64|6.0,0.0,-10.0
mul|float64:Z|float16:T|float16|4.0,-8.0,2.0
mul|float64:Z|bfloat16:T|bfloat16|4.0,-8.0,2.0
mul|float16:T|bool:T|float16|3.0,0.0,-5.0
mul|float16:T|bool:Z|float16|3.0,0.0,-5.0
mul|float16:T|int32:T|float16|6.0,-0.0,-5.0
mul|float16:T|int32:Z|float16|6.0,0.0,-10.0
mul|float16:T|int64:T|float16|6.0,-0.0,-5.0
mul|float16:T|int64:Z|float16|6.0,0.0,-10.0
mul|float16:T|int64:S|float16|6.0,0.0,-10.0
mul|float16:T|float32:T|float32|6.0,-0.0,-5.0
mul|float16:T|float32:Z|float16|6.0,0.0,-10.0
mul|float16:T|float64:T|float64|6.0,-0.0,-5.0
mul|float16:T|float64:Z|float16|6.0,0.0,-10.0
mul|float16:T|float64:S|float16|7.5,0.0,-12.5
mul|float16:T|float16:T|float16|6.0,-0.0,-5.0
mul|float16:T|float16:Z|float16|6.0,0.0,-10.0
mul|float16:T|bfloat16:T|float32|6.0,-0.0,-5.0
mul|float16:T|bfloat16:Z|float16|6.0,0.0,-10.0
mul|float16:Z|bool:T|float16|2.0,2.0,2.0
mul|float16:Z|int32:T|float16|4.0,-8.0,2.0
mul|float16:Z|int64:T|float16|4.0,-8.0,2.0
mul|float16:Z|float32:T|float32|4.0,-8.0,2.0
mul|float16:Z|float64:T|float64|4.0,-8.0,2.0
mul|float16:Z|float16:T|float16|4.0,-8.0,2.0
mul|float16:Z|bfloat16:T|bfloat16|4.0,-8.0,2.0
mul|bfloat16:T|bool:T|bfloat16|3.0,0.0,-5.0
mul|bfloat16:T|bool:Z|bfloat16|3.0,0.0,-5.0
mul|bfloat16:T|int32:T|bfloat16|6.0,-0.0,-5.0
mul|bfloat16:T|int32:Z|bfloat16|6.0,0.0,-10.0
mul|bfloat16:T|int64:T|bfloat16|6.0,-0.0,-5.0
mul|bfloat16:T|int64:Z|bfloat16|6.0,0.0,-10.0
mul|bfloat16:T|int64:S|bfloat16|6.0,0.0,-10.0
mul|bfloat16:T|float32:T|float32|6.0,-0.0,-5.0
mul|bfloat16:T|float32:Z|bfloat16|6.0,0.0,-10.0
mul|bfloat16:T|float64:T|float64|6.0,-0.0,-5.0
mul|bfloat16:T|float64:Z|bfloat16|6.0,0.0,-10.0
mul|bfloat16:T|float64:S|bfloat16|7.5,0.0,-12.5
mul|bfloat16:T|float16:T|float32|6.0,-0.0,-5.0
mul|bfloat16:T|float16:Z|bfloat16|6.0,0.0,-10.0
mul|bfloat16:T|bfloat16:T|bfloat16|6.0,-0.0,-5.0
mul|bfloat16:T|bfloat16:Z|bfloat16|6.0,0.0,-10.0
mul|bfloat16:Z|bool:T|bfloat16|2.0,2.0,2.0
mul|bfloat16:Z|int32:T|bfloat16|4.0,-8.0,2.0
mul|bfloat16:Z|int64:T|bfloat16|4.0,-8.0,2.0
mul|bfloat16:Z|float32:T|float32|4.0,-8.0,2.0
mul|bfloat16:Z|float64:T|float64|4.0,-8.0,2.0
mul|bfloat16:Z|float16:T|float16|4.0,-8.0,2.0
mul|bfloat16:Z|bfloat16:T|bfloat16|4.0,-8.0,2.0
div|bool:T|float16:T|float16|0.5,-0.0,1.0
div|bool:T|float16:Z|float16|0.5,0.0,0.5
div|bool:T|bfloat16:T|bfloat16|0.5,-0.0,1.0
div|bool:T|bfloat16:Z|bfloat16|0.5,0.0,0.5
div|bool:Z|float16:T|float16|0.5,-0.25,1.0
div|bool:Z|bfloat16:T|bfloat16|0.5,-0.25,1.0
div|int32:T|float16:T|float16|1.5,-0.0,-5.0
div|int32:T|float16:Z|float16|1.5,0.0,-2.5
div|int32:T|bfloat16:T|bfloat16|1.5,-0.0,-5.0
div|int32:T|bfloat16:Z|bfloat16|1.5,0.0,-2.5
div|int32:Z|float16:T|float16|1.0,-0.5,2.0
div|int32:Z|bfloat16:T|bfloat16|1.0,-0.5,2.0
div|int64:T|float16:T|float16|1.5,-0.0,-5.0
div|int64:T|float16:Z|float16|1.5,0.0,-2.5
div|int64:T|bfloat16:T|bfloat16|1.5,-0.0,-5.0
div|int64:T|bfloat16:Z|bfloat16|1.5,0.0,-2.5
div|int64:Z|float16:T|float16|1.0,-0.5,2.0
div|int64:Z|bfloat16:T|bfloat16|1.0,-0.5,2.0
div|float32:T|float16:T|float32|1.5,-0.0,-5.0
div|float32:T|float16:Z|float32|1.5,0.0,-2.5
div|float32:T|bfloat16:T|float32|1.5,-0.0,-5.0
div|float32:T|bfloat16:Z|float32|1.5,0.0,-2.5
div|float32:Z|float16:T|float16|1.0,-0.5,2.0
div|float32:Z|bfloat16:T|bfloat16|1.0,-0.5,2.0
div|float64:T|float16:T|float64|1.5,-0.0,-5.0
div|float64:T|float16:Z|float64|1.5,0.0,-2.5
div|float64:T|bfloat16:T|float64|1.5,-0.0,-5.0
div|float64:T|bfloat16:Z|float64|1.5,0.0,-2.5
div|float64:Z|float16:T|float16|1.0,-0.5,2.0
div|float64:Z|bfloat16:T|bfloat16|1.0,-0.5,2.0
div|float16:T|bool:T|float16|3.0,0.0,-5.0
div|float16:T|bool:Z|float16|3.0,0.0,-5.0
div|float16:T|int32:T|float16|1.5,-0.0,-5.0
div|float16:T|int32:Z|float16|1.5,0.0,-2.5
div|float16:T|int64:T|float16|1.5,-0.0,-5.0
div|float16:T|int64:Z|float16|1.5,0.0,-2.5
div|float16:T|int64:S|float16|1.5,0.0,-2.5
div|float16:T|float32:T|float32|1.5,-0.0,-5.0
div|float16:T|float32:Z|float16|1.5,0.0,-2.5
div|float16:T|float64:T|float64|1.5,-0.0,-5.0
div|float16:T|float64:Z|float16|1.5,0.0,-2.5
div|float16:T|float64:S|float16|1.2001953125,0.0,-2.0
div|float16:T|float16:T|float16|1.5,-0.0,-5.0
div|float16:T|float16:Z|float16|1.5,0.0,-2.5
div|float16:T|bfloat16:T|float32|1.5,-0.0,-5.0
div|float16:T|bfloat16:Z|float16|1.5,0.0,-2.5
div|float16:Z|bool:T|float16|2.0,2.0,2.0
div|float16:Z|int32:T|float16|1.0,-0.5,2.0
div|float16:Z|int64:T|float16|1.0,-0.5,2.0
div|float16:Z|float32:T|float32|1.0,-0.5,2.0
div|float16:Z|float64:T|float64|1.0,-0.5,2.0
div|float16:Z|float16:T|float16|1.0,-0.5,2.0
div|float16:Z|bfloat16:T|bfloat16|1.0,-0.5,2.0
div|bfloat16:T|bool:T|bfloat16|3.0,0.0,-5.0
div|bfloat16:T|bool:Z|bfloat16|3.0,0.0,-5.0
div|bfloat16:T|int32:T|bfloat16|1.5,-0.0,-5.0
div|bfloat16:T|int32:Z|bfloat16|1.5,0.0,-2.5
div|bfloat16:T|int64:T|bfloat16|1.5,-0.0,-5.0
div|bfloat16:T|int64:Z|bfloat16|1.5,0.0,-2.5
div|bfloat16:T|int64:S|bfloat16|1.5,0.0,-2.5
div|bfloat16:T|float32:T|float32|1.5,-0.0,-5.0
div|bfloat16:T|float32:Z|bfloat16|1.5,0.0,-2.5
div|bfloat16:T|float64:T|float64|1.5,-0.0,-5.0
div|bfloat16:T|float64:Z|bfloat16|1.5,0.0,-2.5
div|bfloat16:T|float64:S|bfloat16|1.203125,0.0,-2.0
div|bfloat16:T|float16:T|float32|1.5,-0.0,-5.0
div|bfloat16:T|float16:Z|bfloat16|1.5,0.0,-2.5
div|bfloat16:T|bfloat16:T|bfloat16|1.5,-0.0,-5.0
div|bfloat16:T|bfloat16:Z|bfloat16|1.5,0.0,-2.5
div|bfloat16:Z|bool:T|bfloat16|2.0,2.0,2.0
div|bfloat16:Z|int32:T|bfloat16|1.0,-0.5,2.0
div|bfloat16:Z|int64:T|bfloat16|1.0,-0.5,2.0
div|bfloat16:Z|float32:T|float32|1.0,-0.5,2.0
div|bfloat16:Z|float64:T|float64|1.0,-0.5,2.0
div|bfloat16:Z|float16:T|float16|1.0,-0.5,2.0
div|bfloat16:Z|bfloat16:T|bfloat16|1.0,-0.5,2.0
floor_divide|bool:T|float16:T|float16|0.0,-0.0,1.0
floor_divide|bool:T|float16:Z|float16|0.0,0.0,0.0
floor_divide|bool:T|bfloat16:T|bfloat16|0.0,-0.0,1.0
floor_divide|bool:T|bfloat16:Z|bfloat16|0.0,0.0,0.0
floor_divide|bool:Z|float16:T|float16|0.0,-1.0,1.0
floor_divide|bool:Z|bfloat16:T|bfloat16|0.0,-1.0,1.0
floor_divide|int32:T|float16:T|float16|1.0,-0.0,-5.0
floor_divide|int32:T|float16:Z|float16|1.0,0.0,-3.0
floor_divide|int32:T|bfloat16:T|bfloat16|1.0,-0.0,-5.0
floor_divide|int32:T|bfloat16:Z|bfloat16|1.0,0.0,-3.0
floor_divide|int32:Z|float16:T|float16|1.0,-1.0,2.0
floor_divide|int32:Z|bfloat16:T|bfloat16|1.0,-1.0,2.0
floor_divide|int64:T|float16:T|float16|1.0,-0.0,-5.0
floor_divide|int64:T|float16:Z|float16|1.0,0.0,-3.0
floor_divide|int64:T|bfloat16:T|bfloat16|1.0,-0.0,-5.0
floor_divide|int64:T|bfloat16:Z|bfloat16|1.0,0.0,-3.0
floor_divide|int64:Z|float16:T|float16|1.0,-1.0,2.0
floor_divide|int64:Z|bfloat16:T|bfloat16|1.0,-1.0,2.0
floor_divide|float32:T|float16:T|float32|1.0,-0.0,-5.0
floor_divide|float32:T|float16:Z|float32|1.0,0.0,-3.0
floor_divide|float32:T|bfloat16:T|float32|1.0,-0.0,-5.0
floor_divide|float32:T|bfloat16:Z|float32|1.0,0.0,-3.0
floor_divide|float32:Z|float16:T|float16|1.0,-1.0,2.0
floor_divide|float32:Z|bfloat16:T|bfloat16|1.0,-1.0,2.0
floor_divide|float64:T|float16:T|float64|1.0,-0.0,-5.0
floor_divide|float64:T|float16:Z|float64|1.0,0.0,-3.0
floor_divide|float64:T|bfloat16:T|float64|1.0,-0.0,-5.0
floor_divide|float64:T|bfloat16:Z|float64|1.0,0.0,-3.0
floor_divide|float64:Z|float16:T|float16|1.0,-1.0,2.0
floor_divide|float64:Z|bfloat16:T|bfloat16|1.0,-1.0,2.0
floor_divide|float16:T|bool:T|float16|3.0,0.0,-5.0
floor_divide|float16:T|bool:Z|float16|3.0,0.0,-5.0
floor_divide|float16:T|int32:T|float16|1.0,-0.0,-5.0
floor_divide|float16:T|int32:Z|float16|1.0,0.0,-3.0
floor_divide|float16:T|int64:T|float16|1.0,-0.0,-5.0
floor_divide|float16:T|int64:Z|float16|1.0,0.0,-3.0
floor_divide|float16:T|int64:S|float16|1.0,0.0,-3.0
floor_divide|float16:T|float32:T|float32|1.0,-0.0,-5.0
floor_divide|float16:T|float32:Z|float16|1.0,0.0,-3.0
floor_divide|float16:T|float64:T|float64|1.0,-0.0,-5.0
floor_divide|float16:T|float64:Z|float16|1.0,0.0,-3.0
floor_divide|float16:T|float64:S|float16|1.0,0.0,-2.0
floor_divide|float16:T|float16:T|float16|1.0,-0.0,-5.0
floor_divide|float16:T|float16:Z|float16|1.0,0.0,-3.0
floor_divide|float16:T|bfloat16:T|float32|1.0,-0.0,-5.0
floor_divide|float16:T|bfloat16:Z|float16|1.0,0.0,-3.0
floor_divide|float16:Z|bool:T|float16|2.0,2.0,2.0
floor_divide|float16:Z|int32:T|float16|1.0,-1.0,2.0
floor_divide|float16:Z|int64:T|float16|1.0,-1.0,2.0
floor_divide|float16:Z|float32:T|float32|1.0,-1.0,2.0
floor_divide|float16:Z|float64:T|float64|1.0,-1.0,2.0
floor_divide|float16:Z|float16:T|float16|1.0,-1.0,2.0
floor_divide|float16:Z|bfloat16:T|bfloat16|1.0,-1.0,2.0
floor_divide|bfloat16:T|bool:T|bfloat16|3.0,0.0,-5.0
floor_divide|bfloat16:T|bool:Z|bfloat16|3.0,0.0,-5.0
floor_divide|bfloat16:T|int32:T|bfloat16|1.0,-0.0,-5.0
floor_divide|bfloat16:T|int32:Z|bfloat16|1.0,0.0,-3.0
floor_divide|bfloat16:T|int64:T|bfloat16|1.0,-0.0,-5.0
floor_divide|bfloat16:T|int64:Z|bfloat16|1.0,0.0,-3.0
floor_divide|bfloat16:T|int64:S|bfloat16|1.0,0.0,-3.0
floor_divide|bfloat16:T|float32:T|float32|1.0,-0.0,-5.0
floor_divide|bfloat16:T|float32:Z|bfloat16|1.0,0.0,-3.0
floor_divide|bfloat16:T|float64:T|float64|1.0,-0.0,-5.0
floor_divide|bfloat16:T|float64:Z|bfloat16|1.0,0.0,-3.0
floor_divide|bfloat16:T|float64:S|bfloat16|1.0,0.0,-2.0
floor_divide|bfloat16:T|float16:T|float32|1.0,-0.0,-5.0
floor_divide|bfloat16:T|float16:Z|bfloat16|1.0,0.0,-3.0
floor_divide|bfloat16:T|bfloat16:T|bfloat16|1.0,-0.0,-5.0
floor_divide|bfloat16:T|bfloat16:Z|bfloat16|1.0,0.0,-3.0
floor_divide|bfloat16:Z|bool:T|bfloat16|2.0,2.0,2.0
floor_divide|bfloat16:Z|int32:T|bfloat16|1.0,-1.0,2.0
floor_divide|bfloat16:Z|int64:T|bfloat16|1.0,-1.0,2.0
floor_divide|bfloat16:Z|float32:T|float32|1.0,-1.0,2.0
floor_divide|bfloat16:Z|float64:T|float64|1.0,-1.0,2.0
floor_divide|bfloat16:Z|float16:T|float16|1.0,-1.0,2.0
floor_divide|bfloat16:Z|bfloat16:T|bfloat16|1.0,-1.0,2.0
remainder|bool:T|float16:T|float16|1.0,0.0,0.0
remainder|bool:T|float16:Z|float16|1.0,0.0,1.0
remainder|bool:T|bfloat16:T|bfloat16|1.0,0.0,0.0
remainder|bool:T|bfloat16:Z|bfloat16|1.0,0.0,1.0
remainder|bool:Z|float16:T|float16|1.0,-3.0,0.0
remainder|bool:Z|bfloat16:T|bfloat16|1.0,-3.0,0.0
remainder|int32:T|float16:T|float16|1.0,0.0,-0.0
remainder|int32:T|float16:Z|float16|1.0,0.0,1.0
remainder|int32:T|bfloat16:T|bfloat16|1.0,0.0,-0.0
remainder|int32:T|bfloat16:Z|bfloat16|1.0,0.0,1.0
remainder|int32:Z|float16:T|float16|0.0,-2.0,0.0
remainder|int32:Z|bfloat16:T|bfloat16|0.0,-2.0,0.0
remainder|int64:T|float16:T|float16|1.0,0.0,-0.0
remainder|int64:T|float16:Z|float16|1.0,0.0,1.0
remainder|int64:T|bfloat16:T|bfloat16|1.0,0.0,-0.0
remainder|int64:T|bfloat16:Z|bfloat16|1.0,0.0,1.0
remainder|int64:Z|float16:T|float16|0.0,-2.0,0.0
remainder|int64:Z|bfloat16:T|bfloat16|0.0,-2.0,0.0
remainder|float32:T|float16:T|float32|1.0,0.0,-0.0
remainder|float32:T|float16:Z|float32|1.0,0.0,1.0
remainder|float32:T|bfloat16:T|float32|1.0,0.0,-0.0
remainder|float32:T|bfloat16:Z|float32|1.0,0.0,1.0
remainder|float32:Z|float16:T|float16|0.0,-2.0,0.0
remainder|float32:Z|bfloat16:T|bfloat16|0.0,-2.0,0.0
remainder|float64:T|float16:T|float64|1.0,0.0,-0.0
remainder|float64:T|float16:Z|float64|1.0,0.0,1.0
remainder|float64:T|bfloat16:T|float64|1.0,0.0,-0.0
remainder|float64:T|bfloat16:Z|float64|1.0,0.0,1.0
remainder|float64:Z|float16:T|float16|0.0,-2.0,0.0
remainder|float64:Z|bfloat16:T|bfloat16|0.0,-2.0,0.0
remainder|float16:T|bool:T|float16|0.0,0.0,-0.0
remainder|float16:T|bool:Z|float16|0.0,0.0,-0.0
remainder|float16:T|int32:T|float16|1.0,0.0,-0.0
remainder|float16:T|int32:Z|float16|1.0,0.0,1.0
remainder|float16:T|int64:T|float16|1.0,0.0,-0.0
remainder|float16:T|int64:Z|float16|1.0,0.0,1.0
remainder|float16:T|int64:S|float16|1.0,0.0,1.0
remainder|float16:T|float32:T|float32|1.0,0.0,-0.0
remainder|float16:T|float32:Z|float16|1.0,0.0,1.0
remainder|float16:T|float64:T|float64|1.0,0.0,-0.0
remainder|float16:T|float64:Z|float16|1.0,0.0,1.0
remainder|float16:T|float64:S|float16|0.5,0.0,-0.0
remainder|float16:T|float16:T|float16|1.0,0.0,-0.0
remainder|float16:T|float16:Z|float16|1.0,0.0,1.0
remainder|float16:T|bfloat16:T|float32|1.0,0.0,-0.0
remainder|float16:T|bfloat16:Z|float16|1.0,0.0,1.0
remainder|float16:Z|bool:T|float16|0.0,0.0,0.0
remainder|float16:Z|int32:T|float16|0.0,-2.0,0.0
remainder|float16:Z|int64:T|float16|0.0,-2.0,0.0
remainder|float16:Z|float32:T|float32|0.0,-2.0,0.0
remainder|float16:Z|float64:T|float64|0.0,-2.0,0.0
remainder|float16:Z|float16:T|float16|0.0,-2.0,0.0
remainder|float16:Z|bfloat16:T|bfloat16|0.0,-2.0,0.0
remainder|bfloat16:T|bool:T|bfloat16|0.0,0.0,-0.0
remainder|bfloat16:T|bool:Z|bfloat16|0.0,0.0,-0.0
remainder|bfloat16:T|int32:T|bfloat16|1.0,0.0,-0.0
remainder|bfloat16:T|int32:Z|bfloat16|1.0,0.0,1.0
remainder|bfloat16:T|int64:T|bfloat16|1.0,0.0,-0.0
remainder|bfloat16:T|int64:Z|bfloat16|1.0,0.0,1.0
remainder|bfloat16:T|int64:S|bfloat16|1.0,0.0,1.0
remainder|bfloat16:T|float32:T|float32|1.0,0.0,-0.0
remainder|bfloat16:T|float32:Z|bfloat16|1.0,0.0,1.0
remainder|bfloat16:T|float64:T|float64|1.0,0.0,-0.0
remainder|bfloat16:T|float64:Z|bfloat16|1.0,0.0,1.0
remainder|bfloat16:T|float64:S|bfloat16|0.5,0.0,-0.0
remainder|bfloat16:T|float16:T|float32|1.0,0.0,-0.0
remainder|bfloat16:T|float16:Z|bfloat16|1.0,0.0,1.0
remainder|bfloat16:T|bfloat16:T|bfloat16|1.0,0.0,-0.0
remainder|bfloat16:T|bfloat16:Z|bfloat16|1.0,0.0,1.0
remainder|bfloat16:Z|bool:T|bfloat16|0.0,0.0,0.0
remainder|bfloat16:Z|int32:T|bfloat16|0.0,-2.0,0.0
remainder|bfloat16:Z|int64:T|bfloat16|0.0,-2.0,0.0
remainder|bfloat16:Z|float32:T|float32|0.0,-2.0,0.0
remainder|bfloat16:Z|float64:T|float64|0.0,-2.0,0.0
remainder|bfloat16:Z|float16:T|float16|0.0,-2.0,0.0
remainder|bfloat16:Z|bfloat16:T|bfloat16|0.0,-2.0,0.0
maximum|bool:T|float16:T|float16|2.0,0.0,1.0
maximum|bool:T|float16:Z|float16|2.0,2.0,2.0
maximum|bool:T|bfloat16:T|bfloat16|2.0,0.0,1.0
maximum|bool:T|bfloat16:Z|bfloat16|2.0,2.0,2.0
maximum|bool:Z|float16:T|float16|2.0,1.0,1.0
maximum|bool:Z|bfloat16:T|bfloat16|2.0,1.0,1.0
maximum|int32:T|float16:T|float16|3.0,0.0,1.0
maximum|int32:T|float16:Z|float16|3.0,2.0,2.0
maximum|int32:T|bfloat16:T|bfloat16|3.0,0.0,1.0
maximum|int32:T|bfloat16:Z|bfloat16|3.0,2.0,2.0
maximum|int32:Z|float16:T|float16|2.0,2.0,2.0
maximum|int32:Z|bfloat16:T|bfloat16|2.0,2.0,2.0
maximum|int64:T|float16:T|float16|3.0,0.0,1.0
maximum|int64:T|float16:Z|float16|3.0,2.0,2.0
maximum|int64:T|bfloat16:T|bfloat16|3.0,0.0,1.0
maximum|int64:T|bfloat16:Z|bfloat16|3.0,2.0,2.0
maximum|int64:Z|float16:T|float16|2.0,2.0,2.0
maximum|int64:Z|bfloat16:T|bfloat16|2.0,2.0,2.0
maximum|float32:T|float16:T|float32|3.0,0.0,1.0
maximum|float32:T|float16:Z|float32|3.0,2.0,2.0
maximum|float32:T|bfloat16:T|float32|3.0,0.0,1.0
maximum|float32:T|bfloat16:Z|float32|3.0,2.0,2.0
maximum|float32:Z|float16:T|float16|2.0,2.0,2.0
maximum|float32:Z|bfloat16:T|bfloat16|2.0,2.0,2.0
maximum|float64:T|float16:T|float64|3.0,0.0,1.0
maximum|float64:T|float16:Z|float64|3.0,2.0,2.0
maximum|float64:T|bfloat16:T|float64|3.0,0.0,1.0
maximum|float64:T|bfloat16:Z|float64|3.0,2.0,2.0
maximum|float64:Z|float16:T|float16|2.0,2.0,2.0
maximum|float64:Z|bfloat16:T|bfloat16|2.0,2.0,2.0
maximum|float16:T|bool:T|float16|3.0,1.0,1.0
maximum|float16:T|bool:Z|float16|3.0,1.0,1.0
maximum|float16:T|int32:T|float16|3.0,0.0,1.0
maximum|float16:T|int32:Z|float16|3.0,2.0,2.0
maximum|float16:T|int64:T|float16|3.0,0.0,1.0
maximum|float16:T|int64:Z|float16|3.0,2.0,2.0
maximum|float16:T|float32:T|float32|3.0,0.0,1.0
maximum|float16:T|float32:Z|float16|3.0,2.0,2.0
maximum|float16:T|float64:T|float64|3.0,0.0,1.0
maximum|float16:T|float64:Z|float16|3.0,2.0,2.0
maximum|float16:T|float16:T|float16|3.0,0.0,1.0
maximum|float16:T|float16:Z|float16|3.0,2.0,2.0
maximum|float16:T|bfloat16:T|float32|3.0,0.0,1.0
maximum|float16:T|bfloat16:Z|float16|3.0,2.0,2.0
maximum|float16:Z|bool:T|float16|2.0,2.0,2.0
maximum|float16:Z|int32:T|float16|2.0,2.0,2.0
maximum|float16:Z|int64:T|float16|2.0,2.0,2.0
maximum|float16:Z|float32:T|float32|2.0,2.0,2.0
maximum|float16:Z|float64:T|float64|2.0,2.0,2.0
maximum|float16:Z|float16:T|float16|2.0,2.0,2.0
maximum|float16:Z|bfloat16:T|bfloat16|2.0,2.0,2.0
maximum|bfloat16:T|bool:T|bfloat16|3.0,1.0,1.0
maximum|bfloat16:T|bool:Z|bfloat16|3.0,1.0,1.0
maximum|bfloat16:T|int32:T|bfloat16|3.0,0.0,1.0
maximum|bfloat16:T|int32:Z|bfloat16|3.0,2.0,2.0
maximum|bfloat16:T|int64:T|bfloat16|3.0,0.0,1.0
maximum|bfloat16:T|int64:Z|bfloat16|3.0,2.0,2.0
maximum|bfloat16:T|float32:T|float32|3.0,0.0,1.0
maximum|bfloat16:T|float32:Z|bfloat16|3.0,2.0,2.0
maximum|bfloat16:T|float64:T|float64|3.0,0.0,1.0
maximum|bfloat16:T|float64:Z|bfloat16|3.0,2.0,2.0
maximum|bfloat16:T|float16:T|float32|3.0,0.0,1.0
maximum|bfloat16:T|float16:Z|bfloat16|3.0,2.0,2.0
maximum|bfloat16:T|bfloat16:T|bfloat16|3.0,0.0,1.0
maximum|bfloat16:T|bfloat16:Z|bfloat16|3.0,2.0,2.0
maximum|bfloat16:Z|bool:T|bfloat16|2.0,2.0,2.0
maximum|bfloat16:Z|int32:T|bfloat16|2.0,2.0,2.0
maximum|bfloat16:Z|int64:T|bfloat16|2.0,2.0,2.0
maximum|bfloat16:Z|float32:T|float32|2.0,2.0,2.0
maximum|bfloat16:Z|float64:T|float64|2.0,2.0,2.0
maximum|bfloat16:Z|float16:T|float16|2.0,2.0,2.0
maximum|bfloat16:Z|bfloat16:T|bfloat16|2.0,2.0,2.0
minimum|bool:T|float16:T|float16|1.0,-4.0,1.0
minimum|bool:T|float16:Z|float16|1.0,0.0,1.0
minimum|bool:T|bfloat16:T|bfloat16|1.0,-4.0,1.0
minimum|bool:T|bfloat16:Z|bfloat16|1.0,0.0,1.0
minimum|bool:Z|float16:T|float16|1.0,-4.0,1.0
minimum|bool:Z|bfloat16:T|bfloat16|1.0,-4.0,1.0
minimum|int32:T|float16:T|float16|2.0,-4.0,-5.0
minimum|int32:T|float16:Z|float16|2.0,0.0,-5.0
minimum|int32:T|bfloat16:T|bfloat16|2.0,-4.0,-5.0
minimum|int32:T|bfloat16:Z|bfloat16|2.0,0.0,-5.0
minimum|int32:Z|float16:T|float16|2.0,-4.0,1.0
minimum|int32:Z|bfloat16:T|bfloat16|2.0,-4.0,1.0
minimum|int64:T|float16:T|float16|2.0,-4.0,-5.0
minimum|int64:T|float16:Z|float16|2.0,0.0,-5.0
minimum|int64:T|bfloat16:T|bfloat16|2.0,-4.0,-5.0
minimum|int64:T|bfloat16:Z|bfloat16|2.0,0.0,-5.0
minimum|int64:Z|float16:T|float16|2.0,-4.0,1.0
minimum|int64:Z|bfloat16:T|bfloat16|2.0,-4.0,1.0
minimum|float32:T|float16:T|float32|2.0,-4.0,-5.0
minimum|float32:T|float16:Z|float32|2.0,0.0,-5.0
minimum|float32:T|bfloat16:T|float32|2.0,-4.0,-5.0
minimum|float32:T|bfloat16:Z|float32|2.0,0.0,-5.0
minimum|float32:Z|float16:T|float16|2.0,-4.0,1.0
minimum|float32:Z|bfloat16:T|bfloat16|2.0,-4.0,1.0
minimum|float64:T|float16:T|float64|2.0,-4.0,-5.0
minimum|float64:T|float16:Z|float64|2.0,0.0,-5.0
minimum|float64:T|bfloat16:T|float64|2.0,-4.0,-5.0
minimum|float64:T|bfloat16:Z|float64|2.0,0.0,-5.0
minimum|float64:Z|float16:T|float16|2.0,-4.0,1.0
minimum|float64:Z|bfloat16:T|bfloat16|2.0,-4.0,1.0
minimum|float16:T|bool:T|float16|1.0,0.0,-5.0
minimum|float16:T|bool:Z|float16|1.0,0.0,-5.0
minimum|float16:T|int32:T|float16|2.0,-4.0,-5.0
minimum|float16:T|int32:Z|float16|2.0,0.0,-5.0
minimum|float16:T|int64:T|float16|2.0,-4.0,-5.0
minimum|float16:T|int64:Z|float16|2.0,0.0,-5.0
minimum|float16:T|float32:T|float32|2.0,-4.0,-5.0
minimum|float16:T|float32:Z|float16|2.0,0.0,-5.0
minimum|float16:T|float64:T|float64|2.0,-4.0,-5.0
minimum|float16:T|float64:Z|float16|2.0,0.0,-5.0
minimum|float16:T|float16:T|float16|2.0,-4.0,-5.0
minimum|float16:T|float16:Z|float16|2.0,0.0,-5.0
minimum|float16:T|bfloat16:T|float32|2.0,-4.0,-5.0
minimum|float16:T|bfloat16:Z|float16|2.0,0.0,-5.0
minimum|float16:Z|bool:T|float16|1.0,1.0,1.0
minimum|float16:Z|int32:T|float16|2.0,-4.0,1.0
minimum|float16:Z|int64:T|float16|2.0,-4.0,1.0
minimum|float16:Z|float32:T|float32|2.0,-4.0,1.0
minimum|float16:Z|float64:T|float64|2.0,-4.0,1.0
minimum|float16:Z|float16:T|float16|2.0,-4.0,1.0
minimum|float16:Z|bfloat16:T|bfloat16|2.0,-4.0,1.0
minimum|bfloat16:T|bool:T|bfloat16|1.0,0.0,-5.0
minimum|bfloat16:T|bool:Z|bfloat16|1.0,0.0,-5.0
minimum|bfloat16:T|int32:T|bfloat16|2.0,-4.0,-5.0
minimum|bfloat16:T|int32:Z|bfloat16|2.0,0.0,-5.0
minimum|bfloat16:T|int64:T|bfloat16|2.0,-4.0,-5.0
minimum|bfloat16:T|int64:Z|bfloat16|2.0,0.0,-5.0
minimum|bfloat16:T|float32:T|float32|2.0,-4.0,-5.0
minimum|bfloat16:T|float32:Z|bfloat16|2.0,0.0,-5.0
minimum|bfloat16:T|float64:T|float64|2.0,-4.0,-5.0
minimum|bfloat16:T|float64:Z|bfloat16|2.0,0.0,-5.0
minimum|bfloat16:T|float16:T|float32|2.0,-4.0,-5.0
minimum|bfloat16:T|float16:Z|bfloat16|2.0,0.0,-5.0
minimum|bfloat16:T|bfloat16:T|bfloat16|2.0,-4.0,-5.0
minimum|bfloat16:T|bfloat16:Z|bfloat16|2.0,0.0,-5.0
minimum|bfloat16:Z|bool:T|bfloat16|1.0,1.0,1.0
minimum|bfloat16:Z|int32:T|bfloat16|2.0,-4.0,1.0
minimum|bfloat16:Z|int64:T|bfloat16|2.0,-4.0,1.0
minimum|bfloat16:Z|float32:T|float32|2.0,-4.0,1.0
minimum|bfloat16:Z|float64:T|float64|2.0,-4.0,1.0
minimum|bfloat16:Z|float16:T|float16|2.0,-4.0,1.0
minimum|bfloat16:Z|bfloat16:T|bfloat16|2.0,-4.0,1.0
eq|bool:T|float16:T|bool|0,0,1
eq|bool:T|float16:Z|bool|0,0,0
eq|bool:T|bfloat16:T|bool|0,0,1
eq|bool:T|bfloat16:Z|bool|0,0,0
eq|bool:Z|float16:T|bool|0,0,1
eq|bool:Z|bfloat16:T|bool|0,0,1
eq|int32:T|float16:T|bool|0,0,0
eq|int32:T|float16:Z|bool|0,0,0
eq|int32:T|bfloat16:T|bool|0,0,0
eq|int32:T|bfloat16:Z|bool|0,0,0
eq|int32:Z|float16:T|bool|1,0,0
eq|int32:Z|bfloat16:T|bool|1,0,0
eq|int64:T|float16:T|bool|0,0,0
eq|int64:T|float16:Z|bool|0,0,0
eq|int64:T|bfloat16:T|bool|0,0,0
eq|int64:T|bfloat16:Z|bool|0,0,0
eq|int64:Z|float16:T|bool|1,0,0
eq|int64:Z|bfloat16:T|bool|1,0,0
eq|float32:T|float16:T|bool|0,0,0
eq|float32:T|float16:Z|bool|0,0,0
eq|float32:T|bfloat16:T|bool|0,0,0
eq|float32:T|bfloat16:Z|bool|0,0,0
eq|float32:Z|float16:T|bool|1,0,0
eq|float32:Z|bfloat16:T|bool|1,0,0
eq|float64:T|float16:T|bool|0,0,0
eq|float64:T|float16:Z|bool|0,0,0
eq|float64:T|bfloat16:T|bool|0,0,0
eq|float64:T|bfloat16:Z|bool|0,0,0
eq|float64:Z|float16:T|bool|1,0,0
eq|float64:Z|bfloat16:T|bool|1,0,0
eq|float16:T|bool:T|bool|0,0,0
eq|float16:T|bool:Z|bool|0,0,0
eq|float16:T|bool:S|bool|0,0,0
eq|float16:T|int32:T|bool|0,0,0
eq|float16:T|int32:Z|bool|0,0,0
eq|float16:T|int64:T|bool|0,0,0
eq|float16:T|int64:Z|bool|0,0,0
eq|float16:T|int64:S|bool|0,0,0
eq|float16:T|float32:T|bool|0,0,0
eq|float16:T|float32:Z|bool|0,0,0
eq|float16:T|float64:T|bool|0,0,0
eq|float16:T|float64:Z|bool|0,0,0
eq|float16:T|float64:S|bool|0,0,0
eq|float16:T|float16:T|bool|0,0,0
eq|float16:T|float16:Z|bool|0,0,0
eq|float16:T|bfloat16:T|bool|0,0,0
eq|float16:T|bfloat16:Z|bool|0,0,0
eq|float16:Z|bool:T|bool|0,0,0
eq|float16:Z|int32:T|bool|1,0,0
eq|float16:Z|int64:T|bool|1,0,0
eq|float16:Z|float32:T|bool|1,0,0
eq|float16:Z|float64:T|bool|1,0,0
eq|float16:Z|float16:T|bool|1,0,0
eq|float16:Z|bfloat16:T|bool|1,0,0
eq|bfloat16:T|bool:T|bool|0,0,0
eq|bfloat16:T|bool:Z|bool|0,0,0
eq|bfloat16:T|bool:S|bool|0,0,0
eq|bfloat16:T|int32:T|bool|0,0,0
eq|bfloat16:T|int32:Z|bool|0,0,0
eq|bfloat16:T|int64:T|bool|0,0,0
eq|bfloat16:T|int64:Z|bool|0,0,0
eq|bfloat16:T|int64:S|bool|0,0,0
eq|bfloat16:T|float32:T|bool|0,0,0
eq|bfloat16:T|float32:Z|bool|0,0,0
eq|bfloat16:T|float64:T|bool|0,0,0
eq|bfloat16:T|float64:Z|bool|0,0,0
eq|bfloat16:T|float64:S|bool|0,0,0
eq|bfloat16:T|float16:T|bool|0,0,0
eq|bfloat16:T|float16:Z|bool|0,0,0
eq|bfloat16:T|bfloat16:T|bool|0,0,0
eq|bfloat16:T|bfloat16:Z|bool|0,0,0
eq|bfloat16:Z|bool:T|bool|0,0,0
eq|bfloat16:Z|int32:T|bool|1,0,0
eq|bfloat16:Z|int64:T|bool|1,0,0
eq|bfloat16:Z|float32:T|bool|1,0,0
eq|bfloat16:Z|float64:T|bool|1,0,0
eq|bfloat16:Z|float16:T|bool|1,0,0
eq|bfloat16:Z|bfloat16:T|bool|1,0,0
ne|bool:T|float16:T|bool|1,1,0
ne|bool:T|float16:Z|bool|1,1,1
ne|bool:T|bfloat16:T|bool|1,1,0
ne|bool:T|bfloat16:Z|bool|1,1,1
ne|bool:Z|float16:T|bool|1,1,0
ne|bool:Z|bfloat16:T|bool|1,1,0
ne|int32:T|float16:T|bool|1,1,1
ne|int32:T|float16:Z|bool|1,1,1
ne|int32:T|bfloat16:T|bool|1,1,1
ne|int32:T|bfloat16:Z|bool|1,1,1
ne|int32:Z|float16:T|bool|0,1,1
ne|int32:Z|bfloat16:T|bool|0,1,1
ne|int64:T|float16:T|bool|1,1,1
ne|int64:T|float16:Z|bool|1,1,1
ne|int64:T|bfloat16:T|bool|1,1,1
ne|int64:T|bfloat16:Z|bool|1,1,1
ne|int64:Z|float16:T|bool|0,1,1
ne|int64:Z|bfloat16:T|bool|0,1,1
ne|float32:T|float16:T|bool|1,1,1
ne|float32:T|float16:Z|bool|1,1,1
ne|float32:T|bfloat16:T|bool|1,1,1
ne|float32:T|bfloat16:Z|bool|1,1,1
ne|float32:Z|float16:T|bool|0,1,1
ne|float32:Z|bfloat16:T|bool|0,1,1
ne|float64:T|float16:T|bool|1,1,1
ne|float64:T|float16:Z|bool|1,1,1
ne|float64:T|bfloat16:T|bool|1,1,1
ne|float64:T|bfloat16:Z|bool|1,1,1
ne|float64:Z|float16:T|bool|0,1,1
ne|float64:Z|bfloat16:T|bool|0,1,1
ne|float16:T|bool:T|bool|1,1,1
ne|float16:T|bool:Z|bool|1,1,1
ne|float16:T|bool:S|bool|1,1,1
ne|float16:T|int32:T|bool|1,1,1
ne|float16:T|int32:Z|bool|1,1,1
ne|float16:T|int64:T|bool|1,1,1
ne|float16:T|int64:Z|bool|1,1,1
ne|float16:T|int64:S|bool|1,1,1
ne|float16:T|float32:T|bool|1,1,1
ne|float16:T|float32:Z|bool|1,1,1
ne|float16:T|float64:T|bool|1,1,1
ne|float16:T|float64:Z|bool|1,1,1
ne|float16:T|float64:S|bool|1,1,1
ne|float16:T|float16:T|bool|1,1,1
ne|float16:T|float16:Z|bool|1,1,1
ne|float16:T|bfloat16:T|bool|1,1,1
ne|float16:T|bfloat16:Z|bool|1,1,1
ne|float16:Z|bool:T|bool|1,1,1
ne|float16:Z|int32:T|bool|0,1,1
ne|float16:Z|int64:T|bool|0,1,1
ne|float16:Z|float32:T|bool|0,1,1
ne|float16:Z|float64:T|bool|0,1,1
ne|float16:Z|float16:T|bool|0,1,1
ne|float16:Z|bfloat16:T|bool|0,1,1
ne|bfloat16:T|bool:T|bool|1,1,1
ne|bfloat16:T|bool:Z|bool|1,1,1
ne|bfloat16:T|bool:S|bool|1,1,1
ne|bfloat16:T|int32:T|bool|1,1,1
ne|bfloat16:T|int32:Z|bool|1,1,1
ne|bfloat16:T|int64:T|bool|1,1,1
ne|bfloat16:T|int64:Z|bool|1,1,1
ne|bfloat16:T|int64:S|bool|1,1,1
ne|bfloat16:T|float32:T|bool|1,1,1
ne|bfloat16:T|float32:Z|bool|1,1,1
ne|bfloat16:T|float64:T|bool|1,1,1
ne|bfloat16:T|float64:Z|bool|1,1,1
ne|bfloat16:T|float64:S|bool|1,1,1
ne|bfloat16:T|float16:T|bool|1,1,1
ne|bfloat16:T|float16:Z|bool|1,1,1
ne|bfloat16:T|bfloat16:T|bool|1,1,1
ne|bfloat16:T|bfloat16:Z|bool|1,1,1
ne|bfloat16:Z|bool:T|bool|1,1,1
ne|bfloat16:Z|int32:T|bool|0,1,1
ne|bfloat16:Z|int64:T|bool|0,1,1
ne|bfloat16:Z|float32:T|bool|0,1,1
ne|bfloat16:Z|float64:T|bool|0,1,1
ne|bfloat16:Z|float16:T|bool|0,1,1
ne|bfloat16:Z|bfloat16:T|bool|0,1,1
lt|bool:T|float16:T|bool|1,0,0
lt|bool:T|float16:Z|bool|1,1,1
lt|bool:T|bfloat16:T|bool|1,0,0
lt|bool:T|bfloat16:Z|bool|1,1,1
lt|bool:Z|float16:T|bool|1,0,0
lt|bool:Z|bfloat16:T|bool|1,0,0
lt|int32:T|float16:T|bool|0,0,1
lt|int32:T|float16:Z|bool|0,1,1
lt|int32:T|bfloat16:T|bool|0,0,1
lt|int32:T|bfloat16:Z|bool|0,1,1
lt|int32:Z|float16:T|bool|0,0,0
lt|int32:Z|bfloat16:T|bool|0,0,0
lt|int64:T|float16:T|bool|0,0,1
lt|int64:T|float16:Z|bool|0,1,1
lt|int64:T|bfloat16:T|bool|0,0,1
lt|int64:T|bfloat16:Z|bool|0,1,1
lt|int64:Z|float16:T|bool|0,0,0
lt|int64:Z|bfloat16:T|bool|0,0,0
lt|float32:T|float16:T|bool|0,0,1
lt|float32:T|float16:Z|bool|0,1,1
lt|float32:T|bfloat16:T|bool|0,0,1
lt|float32:T|bfloat16:Z|bool|0,1,1
lt|float32:Z|float16:T|bool|0,0,0
lt|float32:Z|bfloat16:T|bool|0,0,0
lt|float64:T|float16:T|bool|0,0,1
lt|float64:T|float16:Z|bool|0,1,1
lt|float64:T|bfloat16:T|bool|0,0,1
lt|float64:T|bfloat16:Z|bool|0,1,1
lt|float64:Z|float16:T|bool|0,0,0
lt|float64:Z|bfloat16:T|bool|0,0,0
lt|float16:T|bool:T|bool|0,1,1
lt|float16:T|bool:Z|bool|0,1,1
lt|float16:T|int32:T|bool|0,0,1
lt|float16:T|int32:Z|bool|0,1,1
lt|float16:T|int64:T|bool|0,0,1
lt|float16:T|int64:Z|bool|0,1,1
lt|float16:T|int64:S|bool|0,1,1
lt|float16:T|float32:T|bool|0,0,1
lt|float16:T|float32:Z|bool|0,1,1
lt|float16:T|float64:T|bool|0,0,1
lt|float16:T|float64:Z|bool|0,1,1
lt|float16:T|float64:S|bool|0,1,1
lt|float16:T|float16:T|bool|0,0,1
lt|float16:T|float16:Z|bool|0,1,1
lt|float16:T|bfloat16:T|bool|0,0,1
lt|float16:T|bfloat16:Z|bool|0,1,1
lt|float16:Z|bool:T|bool|0,0,0
lt|float16:Z|int32:T|bool|0,0,0
lt|float16:Z|int64:T|bool|0,0,0
lt|float16:Z|float32:T|bool|0,0,0
lt|float16:Z|float64:T|bool|0,0,0
lt|float16:Z|float16:T|bool|0,0,0
lt|float16:Z|bfloat16:T|bool|0,0,0
lt|bfloat16:T|bool:T|bool|0,1,1
lt|bfloat16:T|bool:Z|bool|0,1,1
lt|bfloat16:T|int32:T|bool|0,0,1
lt|bfloat16:T|int32:Z|bool|0,1,1
lt|bfloat16:T|int64:T|bool|0,0,1
lt|bfloat16:T|int64:Z|bool|0,1,1
lt|bfloat16:T|int64:S|bool|0,1,1
lt|bfloat16:T|float32:T|bool|0,0,1
lt|bfloat16:T|float32:Z|bool|0,1,1
lt|bfloat16:T|float64:T|bool|0,0,1
lt|bfloat16:T|float64:Z|bool|0,1,1
lt|bfloat16:T|float64:S|bool|0,1,1
lt|bfloat16:T|float16:T|bool|0,0,1
lt|bfloat16:T|float16:Z|bool|0,1,1
lt|bfloat16:T|bfloat16:T|bool|0,0,1
lt|bfloat16:T|bfloat16:Z|bool|0,1,1
lt|bfloat16:Z|bool:T|bool|0,0,0
lt|bfloat16:Z|int32:T|bool|0,0,0
lt|bfloat16:Z|int64:T|bool|0,0,0
lt|bfloat16:Z|float32:T|bool|0,0,0
lt|bfloat16:Z|float64:T|bool|0,0,0
lt|bfloat16:Z|float16:T|bool|0,0,0
lt|bfloat16:Z|bfloat16:T|bool|0,0,0
le|bool:T|float16:T|bool|1,0,1
le|bool:T|float16:Z|bool|1,1,1
le|bool:T|bfloat16:T|bool|1,0,1
le|bool:T|bfloat16:Z|bool|1,1,1
le|bool:Z|float16:T|bool|1,0,1
le|bool:Z|bfloat16:T|bool|1,0,1
le|int32:T|float16:T|bool|0,0,1
le|int32:T|float16:Z|bool|0,1,1
le|int32:T|bfloat16:T|bool|0,0,1
le|int32:T|bfloat16:Z|bool|0,1,1
le|int32:Z|float16:T|bool|1,0,0
le|int32:Z|bfloat16:T|bool|1,0,0
le|int64:T|float16:T|bool|0,0,1
le|int64:T|float16:Z|bool|0,1,1
le|int64:T|bfloat16:T|bool|0,0,1
le|int64:T|bfloat16:Z|bool|0,1,1
le|int64:Z|float16:T|bool|1,0,0
le|int64:Z|bfloat16:T|bool|1,0,0
le|float32:T|float16:T|bool|0,0,1
le|float32:T|float16:Z|bool|0,1,1
le|float32:T|bfloat16:T|bool|0,0,1
le|float32:T|bfloat16:Z|bool|0,1,1
le|float32:Z|float16:T|bool|1,0,0
le|float32:Z|bfloat16:T|bool|1,0,0
le|float64:T|float16:T|bool|0,0,1
le|float64:T|float16:Z|bool|0,1,1
le|float64:T|bfloat16:T|bool|0,0,1
le|float64:T|bfloat16:Z|bool|0,1,1
le|float64:Z|float16:T|bool|1,0,0
le|float64:Z|bfloat16:T|bool|1,0,0
le|float16:T|bool:T|bool|0,1,1
le|float16:T|bool:Z|bool|0,1,1
le|float16:T|int32:T|bool|0,0,1
le|float16:T|int32:Z|bool|0,1,1
le|float16:T|int64:T|bool|0,0,1
le|float16:T|int64:Z|bool|0,1,1
le|float16:T|int64:S|bool|0,1,1
le|float16:T|float32:T|bool|0,0,1
le|float16:T|float32:Z|bool|0,1,1
le|float16:T|float64:T|bool|0,0,1
le|float16:T|float64:Z|bool|0,1,1
le|float16:T|float64:S|bool|0,1,1
le|float16:T|float16:T|bool|0,0,1
le|float16:T|float16:Z|bool|0,1,1
le|float16:T|bfloat16:T|bool|0,0,1
le|float16:T|bfloat16:Z|bool|0,1,1
le|float16:Z|bool:T|bool|0,0,0
le|float16:Z|int32:T|bool|1,0,0
le|float16:Z|int64:T|bool|1,0,0
le|float16:Z|float32:T|bool|1,0,0
le|float16:Z|float64:T|bool|1,0,0
le|float16:Z|float16:T|bool|1,0,0
le|float16:Z|bfloat16:T|bool|1,0,0
le|bfloat16:T|bool:T|bool|0,1,1
le|bfloat16:T|bool:Z|bool|0,1,1
le|bfloat16:T|int32:T|bool|0,0,1
le|bfloat16:T|int32:Z|bool|0,1,1
le|bfloat16:T|int64:T|bool|0,0,1
le|bfloat16:T|int64:Z|bool|0,1,1
le|bfloat16:T|int64:S|bool|0,1,1
le|bfloat16:T|float32:T|bool|0,0,1
le|bfloat16:T|float32:Z|bool|0,1,1
le|bfloat16:T|float64:T|bool|0,0,1
le|bfloat16:T|float64:Z|bool|0,1,1
le|bfloat16:T|float64:S|bool|0,1,1
le|bfloat16:T|float16:T|bool|0,0,1
le|bfloat16:T|float16:Z|bool|0,1,1
le|bfloat16:T|bfloat16:T|bool|0,0,1
le|bfloat16:T|bfloat16:Z|bool|0,1,1
le|bfloat16:Z|bool:T|bool|0,0,0
le|bfloat16:Z|int32:T|bool|1,0,0
le|bfloat16:Z|int64:T|bool|1,0,0
le|bfloat16:Z|float32:T|bool|1,0,0
le|bfloat16:Z|float64:T|bool|1,0,0
le|bfloat16:Z|float16:T|bool|1,0,0
le|bfloat16:Z|bfloat16:T|bool|1,0,0
gt|bool:T|float16:T|bool|0,1,0
gt|bool:T|float16:Z|bool|0,0,0
gt|bool:T|bfloat16:T|bool|0,1,0
gt|bool:T|bfloat16:Z|bool|0,0,0
gt|bool:Z|float16:T|bool|0,1,0
gt|bool:Z|bfloat16:T|bool|0,1,0
gt|int32:T|float16:T|bool|1,1,0
gt|int32:T|float16:Z|bool|1,0,0
gt|int32:T|bfloat16:T|bool|1,1,0
gt|int32:T|bfloat16:Z|bool|1,0,0
gt|int32:Z|float16:T|bool|0,1,1
gt|int32:Z|bfloat16:T|bool|0,1,1
gt|int64:T|float16:T|bool|1,1,0
gt|int64:T|float16:Z|bool|1,0,0
gt|int64:T|bfloat16:T|bool|1,1,0
gt|int64:T|bfloat16:Z|bool|1,0,0
gt|int64:Z|float16:T|bool|0,1,1
gt|int64:Z|bfloat16:T|bool|0,1,1
gt|float32:T|float16:T|bool|1,1,0
gt|float32:T|float16:Z|bool|1,0,0
gt|float32:T|bfloat16:T|bool|1,1,0
gt|float32:T|bfloat16:Z|bool|1,0,0
gt|float32:Z|float16:T|bool|0,1,1
gt|float32:Z|bfloat16:T|bool|0,1,1
gt|float64:T|float16:T|bool|1,1,0
gt|float64:T|float16:Z|bool|1,0,0
gt|float64:T|bfloat16:T|bool|1,1,0
gt|float64:T|bfloat16:Z|bool|1,0,0
gt|float64:Z|float16:T|bool|0,1,1
gt|float64:Z|bfloat16:T|bool|0,1,1
gt|float16:T|bool:T|bool|1,0,0
gt|float16:T|bool:Z|bool|1,0,0
gt|float16:T|int32:T|bool|1,1,0
gt|float16:T|int32:Z|bool|1,0,0
gt|float16:T|int64:T|bool|1,1,0
gt|float16:T|int64:Z|bool|1,0,0
gt|float16:T|int64:S|bool|1,0,0
gt|float16:T|float32:T|bool|1,1,0
gt|float16:T|float32:Z|bool|1,0,0
gt|float16:T|float64:T|bool|1,1,0
gt|float16:T|float64:Z|bool|1,0,0
gt|float16:T|float64:S|bool|1,0,0
gt|float16:T|float16:T|bool|1,1,0
gt|float16:T|float16:Z|bool|1,0,0
gt|float16:T|bfloat16:T|bool|1,1,0
gt|float16:T|bfloat16:Z|bool|1,0,0
gt|float16:Z|bool:T|bool|1,1,1
gt|float16:Z|int32:T|bool|0,1,1
gt|float16:Z|int64:T|bool|0,1,1
gt|float16:Z|float32:T|bool|0,1,1
gt|float16:Z|float64:T|bool|0,1,1
gt|float16:Z|float16:T|bool|0,1,1
gt|float16:Z|bfloat16:T|bool|0,1,1
gt|bfloat16:T|bool:T|bool|1,0,0
gt|bfloat16:T|bool:Z|bool|1,0,0
gt|bfloat16:T|int32:T|bool|1,1,0
gt|bfloat16:T|int32:Z|bool|1,0,0
gt|bfloat16:T|int64:T|bool|1,1,0
gt|bfloat16:T|int64:Z|bool|1,0,0
gt|bfloat16:T|int64:S|bool|1,0,0
gt|bfloat16:T|float32:T|bool|1,1,0
gt|bfloat16:T|float32:Z|bool|1,0,0
gt|bfloat16:T|float64:T|bool|1,1,0
gt|bfloat16:T|float64:Z|bool|1,0,0
gt|bfloat16:T|float64:S|bool|1,0,0
gt|bfloat16:T|float16:T|bool|1,1,0
gt|bfloat16:T|float16:Z|bool|1,0,0
gt|bfloat16:T|bfloat16:T|bool|1,1,0
gt|bfloat16:T|bfloat16:Z|bool|1,0,0
gt|bfloat16:Z|bool:T|bool|1,1,1
gt|bfloat16:Z|int32:T|bool|0,1,1
gt|bfloat16:Z|int64:T|bool|0,1,1
gt|bfloat16:Z|float32:T|bool|0,1,1
gt|bfloat16:Z|float64:T|bool|0,1,1
gt|bfloat16:Z|float16:T|bool|0,1,1
gt|bfloat16:Z|bfloat16:T|bool|0,1,1
ge|bool:T|float16:T|bool|0,1,1
ge|bool:T|float16:Z|bool|0,0,0
ge|bool:T|bfloat16:T|bool|0,1,1
ge|bool:T|bfloat16:Z|bool|0,0,0
ge|bool:Z|float16:T|bool|0,1,1
ge|bool:Z|bfloat16:T|bool|0,1,1
ge|int32:T|float16:T|bool|1,1,0
ge|int32:T|float16:Z|bool|1,0,0
ge|int32:T|bfloat16:T|bool|1,1,0
ge|int32:T|bfloat16:Z|bool|1,0,0
ge|int32:Z|float16:T|bool|1,1,1
ge|int32:Z|bfloat16:T|bool|1,1,1
ge|int64:T|float16:T|bool|1,1,0
ge|int64:T|float16:Z|bool|1,0,0
ge|int64:T|bfloat16:T|bool|1,1,0
ge|int64:T|bfloat16:Z|bool|1,0,0
ge|int64:Z|float16:T|bool|1,1,1
ge|int64:Z|bfloat16:T|bool|1,1,1
ge|float32:T|float16:T|bool|1,1,0
ge|float32:T|float16:Z|bool|1,0,0
ge|float32:T|bfloat16:T|bool|1,1,0
ge|float32:T|bfloat16:Z|bool|1,0,0
ge|float32:Z|float16:T|bool|1,1,1
ge|float32:Z|bfloat16:T|bool|1,1,1
ge|float64:T|float16:T|bool|1,1,0
ge|float64:T|float16:Z|bool|1,0,0
ge|float64:T|bfloat16:T|bool|1,1,0
ge|float64:T|bfloat16:Z|bool|1,0,0
ge|float64:Z|float16:T|bool|1,1,1
ge|float64:Z|bfloat16:T|bool|1,1,1
ge|float16:T|bool:T|bool|1,0,0
ge|float16:T|bool:Z|bool|1,0,0
ge|float16:T|int32:T|bool|1,1,0
ge|float16:T|int32:Z|bool|1,0,0
ge|float16:T|int64:T|bool|1,1,0
ge|float16:T|int64:Z|bool|1,0,0
ge|float16:T|int64:S|bool|1,0,0
ge|float16:T|float32:T|bool|1,1,0
ge|float16:T|float32:Z|bool|1,0,0
ge|float16:T|float64:T|bool|1,1,0
ge|float16:T|float64:Z|bool|1,0,0
ge|float16:T|float64:S|bool|1,0,0
ge|float16:T|float16:T|bool|1,1,0
ge|float16:T|float16:Z|bool|1,0,0
ge|float16:T|bfloat16:T|bool|1,1,0
ge|float16:T|bfloat16:Z|bool|1,0,0
ge|float16:Z|bool:T|bool|1,1,1
ge|float16:Z|int32:T|bool|1,1,1
ge|float16:Z|int64:T|bool|1,1,1
ge|float16:Z|float32:T|bool|1,1,1
ge|float16:Z|float64:T|bool|1,1,1
ge|float16:Z|float16:T|bool|1,1,1
ge|float16:Z|bfloat16:T|bool|1,1,1
ge|bfloat16:T|bool:T|bool|1,0,0
ge|bfloat16:T|bool:Z|bool|1,0,0
ge|bfloat16:T|int32:T|bool|1,1,0
ge|bfloat16:T|int32:Z|bool|1,0,0
ge|bfloat16:T|int64:T|bool|1,1,0
ge|bfloat16:T|int64:Z|bool|1,0,0
ge|bfloat16:T|int64:S|bool|1,0,0
ge|bfloat16:T|float32:T|bool|1,1,0
ge|bfloat16:T|float32:Z|bool|1,0,0
ge|bfloat16:T|float64:T|bool|1,1,0
ge|bfloat16:T|float64:Z|bool|1,0,0
ge|bfloat16:T|float64:S|bool|1,0,0
ge|bfloat16:T|float16:T|bool|1,1,0
ge|bfloat16:T|float16:Z|bool|1,0,0
ge|bfloat16:T|bfloat16:T|bool|1,1,0
ge|bfloat16:T|bfloat16:Z|bool|1,0,0
ge|bfloat16:Z|bool:T|bool|1,1,1
ge|bfloat16:Z|int32:T|bool|1,1,1
ge|bfloat16:Z|int64:T|bool|1,1,1
ge|bfloat16:Z|float32:T|bool|1,1,1
ge|bfloat16:Z|float64:T|bool|1,1,1
ge|bfloat16:Z|float16:T|bool|1,1,1
ge|bfloat16:Z|bfloat16:T|bool|1,1,1
where|bool:T|float16:T|float16|1.0,-4.0,1.0
where|bool:T|float16:Z|float16|1.0,2.0,1.0
where|bool:T|bfloat16:T|bfloat16|1.0,-4.0,1.0
where|bool:T|bfloat16:Z|bfloat16|1.0,2.0,1.0
where|bool:Z|float16:T|float16|1.0,-4.0,1.0
where|bool:Z|bfloat16:T|bfloat16|1.0,-4.0,1.0
where|int32:T|float16:T|float16|3.0,-4.0,-5.0
where|int32:T|float16:Z|float16|3.0,2.0,-5.0
where|int32:T|bfloat16:T|bfloat16|3.0,-4.0,-5.0
where|int32:T|bfloat16:Z|bfloat16|3.0,2.0,-5.0
where|int32:Z|float16:T|float16|2.0,-4.0,2.0
where|int32:Z|bfloat16:T|bfloat16|2.0,-4.0,2.0
where|int64:T|float16:T|float16|3.0,-4.0,-5.0
where|int64:T|float16:Z|float16|3.0,2.0,-5.0
where|int64:T|bfloat16:T|bfloat16|3.0,-4.0,-5.0
where|int64:T|bfloat16:Z|bfloat16|3.0,2.0,-5.0
where|int64:Z|float16:T|float16|2.0,-4.0,2.0
where|int64:Z|bfloat16:T|bfloat16|2.0,-4.0,2.0
where|float32:T|float16:T|float32|3.0,-4.0,-5.0
where|float32:T|float16:Z|float32|3.0,2.0,-5.0
where|float32:T|bfloat16:T|float32|3.0,-4.0,-5.0
where|float32:T|bfloat16:Z|float32|3.0,2.0,-5.0
where|float32:Z|float16:T|float16|2.0,-4.0,2.0
where|float32:Z|bfloat16:T|bfloat16|2.0,-4.0,2.0
where|float64:T|float16:T|float64|3.0,-4.0,-5.0
where|float64:T|float16:Z|float64|3.0,2.0,-5.0
where|float64:T|bfloat16:T|float64|3.0,-4.0,-5.0
where|float64:T|bfloat16:Z|float64|3.0,2.0,-5.0
where|float64:Z|float16:T|float16|2.0,-4.0,2.0
where|float64:Z|bfloat16:T|bfloat16|2.0,-4.0,2.0
where|float16:T|bool:T|float16|3.0,1.0,-5.0
where|float16:T|bool:Z|float16|3.0,1.0,-5.0
where|float16:T|int32:T|float16|3.0,-4.0,-5.0
where|float16:T|int32:Z|float16|3.0,2.0,-5.0
where|float16:T|int64:T|float16|3.0,-4.0,-5.0
where|float16:T|int64:Z|float16|3.0,2.0,-5.0
where|float16:T|float32:T|float32|3.0,-4.0,-5.0
where|float16:T|float32:Z|float16|3.0,2.0,-5.0
where|float16:T|float64:T|float64|3.0,-4.0,-5.0
where|float16:T|float64:Z|float16|3.0,2.0,-5.0
where|float16:T|float64:S|float16|3.0,2.5,-5.0
where|float16:T|float16:T|float16|3.0,-4.0,-5.0
where|float16:T|float16:Z|float16|3.0,2.0,-5.0
where|float16:T|bfloat16:T|float32|3.0,-4.0,-5.0
where|float16:T|bfloat16:Z|float16|3.0,2.0,-5.0
where|float16:Z|bool:T|float16|2.0,1.0,2.0
where|float16:Z|int32:T|float16|2.0,-4.0,2.0
where|float16:Z|int64:T|float16|2.0,-4.0,2.0
where|float16:Z|float32:T|float32|2.0,-4.0,2.0
where|float16:Z|float64:T|float64|2.0,-4.0,2.0
where|float16:Z|float16:T|float16|2.0,-4.0,2.0
where|float16:Z|bfloat16:T|bfloat16|2.0,-4.0,2.0
where|bfloat16:T|bool:T|bfloat16|3.0,1.0,-5.0
where|bfloat16:T|bool:Z|bfloat16|3.0,1.0,-5.0
where|bfloat16:T|int32:T|bfloat16|3.0,-4.0,-5.0
where|bfloat16:T|int32:Z|bfloat16|3.0,2.0,-5.0
where|bfloat16:T|int64:T|bfloat16|3.0,-4.0,-5.0
where|bfloat16:T|int64:Z|bfloat16|3.0,2.0,-5.0
where|bfloat16:T|float32:T|float32|3.0,-4.0,-5.0
where|bfloat16:T|float32:Z|bfloat16|3.0,2.0,-5.0
where|bfloat16:T|float64:T|float64|3.0,-4.0,-5.0
where|bfloat16:T|float64:Z|bfloat16|3.0,2.0,-5.0
where|bfloat16:T|float64:S|bfloat16|3.0,2.5,-5.0
where|bfloat16:T|float16:T|float32|3.0,-4.0,-5.0
where|bfloat16:T|float16:Z|bfloat16|3.0,2.0,-5.0
where|bfloat16:T|bfloat16:T|bfloat16|3.0,-4.0,-5.0
where|bfloat16:T|bfloat16:Z|bfloat16|3.0,2.0,-5.0
where|bfloat16:Z|bool:T|bfloat16|2.0,1.0,2.0
where|bfloat16:Z|int32:T|bfloat16|2.0,-4.0,2.0
where|bfloat16:Z|int64:T|bfloat16|2.0,-4.0,2.0
where|bfloat16:Z|float32:T|float32|2.0,-4.0,2.0
where|bfloat16:Z|float64:T|float64|2.0,-4.0,2.0
where|bfloat16:Z|float16:T|float16|2.0,-4.0,2.0
where|bfloat16:Z|bfloat16:T|bfloat16|2.0,-4.0,2.0
""";
}
