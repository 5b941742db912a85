package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.jgrad.DType;
import io.jgrad.HalfFloat;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import io.jgrad.spi.Views;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The native float16/bfloat16 kernels (half_ops.cu) on the GPU: each op on half views gives, bit for bit, the float32
 * kernel's result on float32 views of the same values in the same layout, rounded once with io.jgrad.HalfFloat (what
 * the backend computed through HalfOperands before). Dense, transposed and broadcast views; the reductions in each of
 * their strategies; NaNs, infinities and subnormals among the inputs. scripts/check-half-host.sh runs the same kernels'
 * source on the host where there is no GPU.
 */
class CudaHalfNativeTest extends GpuTestSupport {
    private static final DType[] HALVES = {DType.FLOAT16, DType.BFLOAT16};
    private final List<Buffer> mine = new ArrayList<>();

    @AfterEach
    void closeMine() {
        gpu.synchronize();
        mine.forEach(Buffer::close);
        mine.clear();
    }

    /** The same values twice: as half bits and as their exact float32 values. */
    private record Operand(Buffer half, Buffer wide) {
        View h(int[] shape, long[] strides) {
            return new View(half, 0, shape, strides);
        }

        View w(int[] shape, long[] strides) {
            return new View(wide, 0, shape, strides);
        }
    }

    private Operand operand(DType dt, short[] bits) {
        float[] f = new float[bits.length];
        for (int i = 0; i < f.length; i++) f[i] = HalfFloat.toFloat(dt, bits[i]);
        Operand o = new Operand(gpu.upload(bits, dt), gpu.upload(f));
        mine.add(o.half());
        mine.add(o.wide());
        return o;
    }

    private Operand output(DType dt, int n) {
        return operand(dt, new short[n]);
    }

    /** A quarter random bit patterns (NaNs, infinities, subnormals), the rest normal values of this scale. */
    private static short[] values(DType dt, int n, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.nextInt(4) == 0 ? (short) r.nextInt() : HalfFloat.fromFloat(dt, (float) (scale * gaussian(r)));
        }
        return s;
    }

    /** Zeros of both signs, infinities, NaNs (a signalling one too), small integers and halves. */
    private static short[] specials(DType dt, int n, long seed) {
        float[] set = {0f, -0f, 1f, -1f, 2f, -2f, 0.5f, -0.5f, 3f, -3f, 1.5f, 7f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN};
        SplittableRandom r = new SplittableRandom(seed);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(set.length + 1);
            s[i] = k == set.length ? (short) (dt == DType.FLOAT16 ? 0x7c01 : 0x7f81) : HalfFloat.fromFloat(dt, set[k]);
        }
        return s;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble(1e-12, 1), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** The half output equals the float32 output rounded once. */
    private static void assertRoundedOnce(DType dt, Operand out, String what) {
        int n = (int) out.half().length();
        short[] got = new short[n];
        gpu.download(out.half(), 0, got, 0, n);
        float[] wide = new float[n];
        gpu.download(out.wide(), 0, wide, 0, n);
        short[] want = new short[n];
        for (int i = 0; i < n; i++) want[i] = HalfFloat.fromFloat(dt, wide[i]);
        assertArrayEquals(want, got, what + " " + dt);
    }

    private static long[] dense(int... shape) {
        return View.contiguousStrides(shape);
    }

    @Test
    void unaryOpsOnEveryBitPattern() {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) all[i] = (short) i;
        for (DType dt : HALVES) {
            Operand in = operand(dt, all);
            for (UnaryOp op : UnaryOp.values()) {
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
                int[] flat = {65536}, square = {256, 256};
                long[] transposed = {1, 256};
                Operand out = output(dt, 65536), outT = output(dt, 65536);
                gpu.unary(op, out.h(flat, dense(flat)), in.h(flat, dense(flat)), a, b);
                gpu.unary(op, out.w(flat, dense(flat)), in.w(flat, dense(flat)), a, b);
                gpu.unary(op, outT.h(square, dense(square)), in.h(square, transposed), a, b);
                gpu.unary(op, outT.w(square, dense(square)), in.w(square, transposed), a, b);
                assertRoundedOnce(dt, out, op.toString());
                assertRoundedOnce(dt, outT, op + " of a transposed view");
            }
        }
    }

    @Test
    void binaryOpsOnTransposedAndBroadcastViews() {
        int r = 257, c = 389;
        int[] shape = {r, c};
        long[] xStrides = {1, r}, yStrides = {0, 1};
        for (DType dt : HALVES) {
            for (int mix = 0; mix < 2; mix++) {
                Operand x = operand(dt, mix == 0 ? values(dt, r * c, 2, 1) : specials(dt, r * c, 2));
                Operand y = operand(dt, mix == 0 ? values(dt, c, 2, 3) : specials(dt, c, 4));
                for (BinaryOp op : BinaryOp.values()) {
                    if (!op.supports(dt)) continue;
                    Operand out = output(dt, r * c);
                    gpu.binary(op, out.h(shape, dense(shape)), x.h(shape, xStrides), y.h(shape, yStrides));
                    gpu.binary(op, out.w(shape, dense(shape)), x.w(shape, xStrides), y.w(shape, yStrides));
                    assertRoundedOnce(dt, out, op.toString());
                    if (!op.writesBool()) continue;
                    try (Buffer got = gpu.allocate(DType.BOOL, r * c); Buffer want = gpu.allocate(DType.BOOL, r * c)) {
                        gpu.binary(op, View.contiguous(got, shape.clone()), x.h(shape, xStrides), y.h(shape, yStrides));
                        gpu.binary(op, View.contiguous(want, shape.clone()), x.w(shape, xStrides), y.w(shape, yStrides));
                        boolean[] g = new boolean[r * c], w = new boolean[r * c];
                        gpu.download(got, 0, g, 0, g.length);
                        gpu.download(want, 0, w, 0, w.length);
                        assertArrayEquals(w, g, op + " to bool " + dt);
                    }
                }
            }
        }
    }

    @Test
    void reluBackwardWhereAndBiasActivation() {
        int r = 300, c = 211;
        int[] shape = {r, c};
        long[] d = dense(shape), transposed = {1, r}, row = {0, 1};
        for (DType dt : HALVES) {
            Operand g = operand(dt, values(dt, r * c, 1, 5)), o = operand(dt, specials(dt, r * c, 6));
            Operand out = output(dt, r * c);
            gpu.reluBackward(out.h(shape, d), g.h(shape, d), o.h(shape, transposed));
            gpu.reluBackward(out.w(shape, d), g.w(shape, d), o.w(shape, transposed));
            assertRoundedOnce(dt, out, "reluBackward");

            Operand cond = operand(dt, specials(dt, r * c, 7)); // +-0 false, NaN true
            Operand w = output(dt, r * c);
            gpu.where(w.h(shape, d), cond.h(shape, d), g.h(shape, d), o.h(shape, row));
            gpu.where(w.w(shape, d), cond.w(shape, d), g.w(shape, d), o.w(shape, row));
            assertRoundedOnce(dt, w, "where with a half condition");

            Operand bias = operand(dt, values(dt, c, 1, 8));
            for (UnaryOp act : new UnaryOp[]{null, UnaryOp.RELU, UnaryOp.GELU, UnaryOp.TANH, UnaryOp.SIGMOID}) {
                Operand ba = output(dt, r * c);
                gpu.biasActivation(ba.h(shape, d), g.h(shape, d), bias.h(new int[]{c}, new long[]{1}), act);
                gpu.biasActivation(ba.w(shape, d), g.w(shape, d), bias.w(new int[]{c}, new long[]{1}), act);
                assertRoundedOnce(dt, ba, "biasActivation " + act);
            }
        }
    }

    @Test
    void geluBackwardFused() {
        int r = 150, c = 333;
        int[] shape = {r, c}, vec = {c};
        long[] d = dense(shape), one = {1};
        for (DType dt : HALVES) {
            Operand g = operand(dt, values(dt, r * c, 1, 9)), x = operand(dt, values(dt, r * c, 3, 10));
            Operand bias = operand(dt, values(dt, c, 1, 11));
            for (UnaryOp act : new UnaryOp[]{UnaryOp.GELU, UnaryOp.GELU_TANH}) {
                for (int withBias = 0; withBias < 2; withBias++) {
                    for (int withGradBias = 0; withGradBias < 2; withGradBias++) {
                        Operand gx = output(dt, r * c), gb = output(dt, c);
                        boolean b = withBias == 1, gbias = withGradBias == 1;
                        gpu.geluBackward(gx.h(shape, d), gbias ? gb.h(vec, one) : null, g.h(shape, d), x.h(shape, d),
                                b ? bias.h(vec, one) : null, act);
                        gpu.geluBackward(gx.w(shape, d), gbias ? gb.w(vec, one) : null, g.w(shape, d), x.w(shape, d),
                                b ? bias.w(vec, one) : null, act);
                        String what = "geluBackward " + act + (b ? " + bias" : "") + (gbias ? " with gradBias" : "");
                        assertRoundedOnce(dt, gx, what);
                        if (gbias) assertRoundedOnce(dt, gb, what + ": gradBias");
                    }
                }
            }
        }
    }

    /** Reductions over one axis, in each strategy CudaBackend.reduce picks: a thread or a block per output, split axes. */
    @Test
    void reductionsInEveryStrategy() {
        record Case(int[] shape, long[] strides, int axis, String what) {
        }
        List<Case> cases = List.of(
                new Case(new int[]{5, 7, 3}, dense(5, 7, 3), 1, "a short axis: a thread per output"),
                new Case(new int[]{4, 300}, dense(4, 300), 1, "a block per output"),
                new Case(new int[]{1, 20000}, dense(1, 20000), 1, "a long axis split over blocks"),
                new Case(new int[]{1000, 50}, dense(1000, 50), 0, "a strided axis, a block per output"),
                new Case(new int[]{2, 600, 2048}, dense(2, 600, 2048), 1, "a strided axis over many outputs, split over threads"),
                new Case(new int[]{600, 300}, new long[]{1, 600}, 1, "a transposed view"));
        for (DType dt : HALVES) {
            for (Case k : cases) {
                int n = (int) View.numel(k.shape());
                short[] bits = values(dt, n, 1, 12 + k.axis());
                for (int i = 0; i < n; i++) if (Float.isInfinite(HalfFloat.toFloat(dt, bits[i]))) bits[i] = 0;
                Operand in = operand(dt, bits);
                int[] outShape = k.shape().clone();
                outShape[k.axis()] = 1;
                int outputs = (int) View.numel(outShape);
                for (ReduceOp op : ReduceOp.values()) {
                    String what = "reduce " + op + ", " + k.what();
                    if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
                        try (Buffer got = gpu.allocate(DType.INT64, outputs); Buffer want = gpu.allocate(DType.INT64, outputs)) {
                            gpu.reduce(op, View.contiguous(got, outShape.clone()), in.h(k.shape(), k.strides()), k.axis());
                            gpu.reduce(op, View.contiguous(want, outShape.clone()), in.w(k.shape(), k.strides()), k.axis());
                            long[] g = new long[outputs], w = new long[outputs];
                            gpu.download(got, 0, g, 0, outputs);
                            gpu.download(want, 0, w, 0, outputs);
                            assertArrayEquals(w, g, what + " " + dt);
                        }
                    } else {
                        Operand out = output(dt, outputs);
                        gpu.reduce(op, out.h(outShape, dense(outShape)), in.h(k.shape(), k.strides()), k.axis());
                        gpu.reduce(op, out.w(outShape, dense(outShape)), in.w(k.shape(), k.strides()), k.axis());
                        assertRoundedOnce(dt, out, what);
                    }
                }
            }
            // 4096 ones: a half accumulator would stop at 256 (bfloat16) or 2048 (float16)
            short[] ones = new short[4096];
            java.util.Arrays.fill(ones, HalfFloat.fromFloat(dt, 1f));
            Operand in = operand(dt, ones), out = output(dt, 1);
            gpu.reduce(ReduceOp.SUM, out.h(new int[]{1}, new long[]{1}), in.h(new int[]{4096}, new long[]{1}), 0);
            short[] got = new short[1];
            gpu.download(out.half(), 0, got, 0, 1);
            assertArrayEquals(new short[]{HalfFloat.fromFloat(dt, 4096f)}, got, "sum of 4096 ones in " + dt);
        }
    }

    @Test
    void softmaxAndLogSoftmax() {
        for (DType dt : HALVES) {
            for (int[] shape : new int[][]{{37, 50}, {300, 5}}) {
                int n = (int) View.numel(shape);
                Operand in = operand(dt, values(dt, n, 3, 13));
                int axis = shape[1] == 5 ? 0 : 1; // a strided axis in the second case
                for (boolean log : new boolean[]{false, true}) {
                    Operand out = output(dt, n);
                    BiConsumer<View, View> run = (o, i) -> gpu.softmax(o, i, axis, log);
                    run.accept(out.h(shape, dense(shape)), in.h(shape, dense(shape)));
                    run.accept(out.w(shape, dense(shape)), in.w(shape, dense(shape)));
                    assertRoundedOnce(dt, out, (log ? "logSoftmax" : "softmax") + " over axis " + axis);
                }
            }
        }
    }

    @Test
    void aBroadcastRowAsABiasAdd() {
        // x + b with b a broadcast row: the add a linear layer's bias takes outside biasActivation
        for (DType dt : HALVES) {
            Operand x = operand(dt, values(dt, 64 * 96, 1, 14)), b = operand(dt, values(dt, 96, 1, 15));
            Operand out = output(dt, 64 * 96);
            int[] shape = {64, 96};
            View bh = Views.broadcast(b.h(new int[]{96}, new long[]{1}), shape);
            View bw = Views.broadcast(b.w(new int[]{96}, new long[]{1}), shape);
            gpu.binary(BinaryOp.ADD, out.h(shape, dense(shape)), x.h(shape, dense(shape)), bh);
            gpu.binary(BinaryOp.ADD, out.w(shape, dense(shape)), x.w(shape, dense(shape)), bw);
            assertRoundedOnce(dt, out, "bias add");
        }
    }
}
