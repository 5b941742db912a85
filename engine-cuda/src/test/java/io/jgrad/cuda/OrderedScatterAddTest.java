package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.View;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The deterministic scatter-add is built from SPI primitives only, so it runs here on the CPU backend, without a
 * GPU, and must agree with the CPU's own scatterAdd bit for bit (both add in src's row-major order).
 */
class OrderedScatterAddTest {
    private final Backend cpu = Backends.get(Device.CPU);

    @Test
    void matchesTheReferenceScatterAddWithRepeatedIndicesAndStridedViews() {
        Random r = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            int rows = 1 + r.nextInt(6), cols = 1 + r.nextInt(5), n = 1 + r.nextInt(9);
            int dim = r.nextInt(2);
            // out [rows, cols]; index/src [n, cols] when scattering along dim 0, else [rows, n]
            int[] srcShape = dim == 0 ? new int[]{n, cols} : new int[]{rows, n};
            int bound = dim == 0 ? rows : cols;
            long[] idx = new long[n * srcShape[1 - dim] ];
            for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt(bound);
            float[] src = new float[idx.length];
            for (int i = 0; i < src.length; i++) src[i] = (float) r.nextGaussian();
            float[] base = new float[rows * cols * 2];
            for (int i = 0; i < base.length; i++) base[i] = (float) r.nextGaussian();
            try (Buffer i1 = cpu.upload(idx); Buffer s1 = cpu.upload(src); Buffer o1 = cpu.upload(base); Buffer o2 = cpu.upload(base)) {
                // out is a strided view: every other element of a [rows, 2*cols] buffer
                View out1 = new View(o1, 1, new int[]{rows, cols}, new long[]{2L * cols, 2});
                View out2 = new View(o2, 1, new int[]{rows, cols}, new long[]{2L * cols, 2});
                View iv = View.contiguous(i1, srcShape);
                View sv = View.contiguous(s1, srcShape);
                cpu.scatterAdd(out1, dim, iv, sv);
                OrderedScatterAdd.run(cpu, out2, dim, iv, sv);
                float[] a = new float[base.length], b = new float[base.length];
                cpu.download(o1, 0, a, 0, a.length);
                cpu.download(o2, 0, b, 0, b.length);
                assertArrayEquals(a, b, 0f, "trial " + trial);
            }
        }
    }

    @Test
    void worksForFloat64AndInt64AndRejectsBadIndices() {
        try (Buffer idx = cpu.upload(new long[]{1, 1, 0}); Buffer d = cpu.upload(new double[]{0.5, 0.25, 2});
             Buffer l = cpu.upload(new long[]{3, 4, 5}); Buffer od = cpu.upload(new double[2]); Buffer ol = cpu.upload(new long[2])) {
            OrderedScatterAdd.run(cpu, View.contiguous(od, 2), 0, View.contiguous(idx, 3), View.contiguous(d, 3));
            OrderedScatterAdd.run(cpu, View.contiguous(ol, 2), 0, View.contiguous(idx, 3), View.contiguous(l, 3));
            double[] rd = new double[2];
            long[] rl = new long[2];
            cpu.download(od, 0, rd, 0, 2);
            cpu.download(ol, 0, rl, 0, 2);
            assertArrayEquals(new double[]{2, 0.75}, rd);
            assertArrayEquals(new long[]{5, 7}, rl);
        }
        try (Buffer idx = cpu.upload(new long[]{0, 2}); Buffer s = cpu.upload(new float[]{1, 1}); Buffer o = cpu.upload(new float[2])) {
            assertThrows(IndexOutOfBoundsException.class,
                    () -> OrderedScatterAdd.run(cpu, View.contiguous(o, 2), 0, View.contiguous(idx, 2), View.contiguous(s, 2)));
        }
    }
}
