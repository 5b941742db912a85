package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.DType;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.View;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Element-wise kernels whose other operands are dense and one is a single element broadcast to the whole shape (all
 * strides 0: the gradient of a sum, a scalar operand), which {@code Strided} runs in blocks without offsets: against
 * plain loops, on either side of the op, at offsets, over several blocks and sizes that split across threads.
 */
class StridedScalarBroadcastTest {
    private final CpuBackend cpu = new CpuBackend();

    @Test
    void binaryOpsWithABroadcastScalarMatchPlainLoops() {
        Random rnd = new Random(3);
        for (int n : new int[]{1, 7, 4095, 4097, 10001, 300_000}) {
            for (int[] shape : new int[][]{{n}, {1, n}}) {
                float[] x = new float[n + 5];
                for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
                float[] s = {0f, 0f, -1.75f};
                double[] xd = new double[n + 5];
                for (int i = 0; i < xd.length; i++) xd[i] = rnd.nextGaussian();
                double[] sd = {0.0, 2.5};
                for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV}) {
                    for (boolean scalarFirst : new boolean[]{false, true}) {
                        View dense = new View(cpu.upload(x), 5, shape, View.contiguousStrides(shape));
                        View scalar = new View(cpu.upload(s), 2, shape, new long[shape.length]);
                        Buffer out = cpu.allocate(DType.FLOAT32, n);
                        cpu.binary(op, View.contiguous(out, shape), scalarFirst ? scalar : dense, scalarFirst ? dense : scalar);
                        float[] got = new float[n];
                        cpu.download(out, 0, got, 0, n);
                        for (int i = 0; i < n; i++) {
                            float a = scalarFirst ? s[2] : x[5 + i], b = scalarFirst ? x[5 + i] : s[2];
                            float want = switch (op) {
                                case ADD -> a + b;
                                case SUB -> a - b;
                                case MUL -> a * b;
                                default -> a / b;
                            };
                            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got[i]), op + " float32 n " + n + " at " + i);
                        }
                        View denseD = new View(cpu.upload(xd), 5, shape, View.contiguousStrides(shape));
                        View scalarD = new View(cpu.upload(sd), 1, shape, new long[shape.length]);
                        Buffer outD = cpu.allocate(DType.FLOAT64, n);
                        cpu.binary(op, View.contiguous(outD, shape), scalarFirst ? scalarD : denseD, scalarFirst ? denseD : scalarD);
                        double[] gotD = new double[n];
                        cpu.download(outD, 0, gotD, 0, n);
                        for (int i = 0; i < n; i++) {
                            double a = scalarFirst ? sd[1] : xd[5 + i], b = scalarFirst ? xd[5 + i] : sd[1];
                            double want = switch (op) {
                                case ADD -> a + b;
                                case SUB -> a - b;
                                case MUL -> a * b;
                                default -> a / b;
                            };
                            assertEquals(want, gotD[i], 0.0, op + " float64 n " + n + " at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void whereWithBroadcastScalarsMatchesAPlainLoop() {
        Random rnd = new Random(4);
        int n = 9000;
        boolean[] cond = new boolean[n];
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            cond[i] = rnd.nextBoolean();
            x[i] = rnd.nextFloat();
        }
        int[] shape = {n};
        View c = View.contiguous(cpu.upload(cond), shape);
        View dense = View.contiguous(cpu.upload(x), shape);
        View zero = new View(cpu.upload(new float[]{-3f}), 0, shape, new long[]{0});
        Buffer out = cpu.allocate(DType.FLOAT32, n);
        cpu.where(View.contiguous(out, shape), c, zero, dense);
        float[] got = new float[n];
        cpu.download(out, 0, got, 0, n);
        for (int i = 0; i < n; i++) assertEquals(cond[i] ? -3f : x[i], got[i], "where at " + i);
    }
}
