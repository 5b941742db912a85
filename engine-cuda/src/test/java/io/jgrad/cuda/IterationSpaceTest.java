package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.spi.View;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IterationSpaceTest {
    @Test
    void denseOperandsBecomeOneAxis() {
        int[] shape = {4, 5, 6};
        long[] dense = View.contiguousStrides(shape);
        IterationSpace s = IterationSpace.of("t", shape, dense, dense);
        assertEquals(120, s.n);
        assertEquals(1, s.rank);
        assertEquals(120, s.shape[0]);
        assertEquals(1, s.strides[0][0]);
        assertEquals(1, s.strides[1][0]);
    }

    @Test
    void broadcastScalarMergesAndSizeOneAxesDisappear() {
        int[] shape = {3, 1, 7};
        IterationSpace s = IterationSpace.of("t", shape, new long[]{7, 99, 1}, new long[]{0, 0, 0});
        assertEquals(1, s.rank);
        assertEquals(21, s.shape[0]);
        assertEquals(0, s.strides[1][0]);
    }

    @Test
    void transposeKeepsTwoAxesInnermostFirst() {
        IterationSpace s = IterationSpace.of("t", new int[]{3, 4}, new long[]{4, 1}, new long[]{1, 3});
        assertEquals(2, s.rank);
        assertArrayEquals(new int[]{4, 3}, Arrays.copyOf(s.shape, 2));
        assertArrayEquals(new long[]{1, 4}, Arrays.copyOf(s.strides[0], 2));
        assertArrayEquals(new long[]{3, 1}, Arrays.copyOf(s.strides[1], 2));
    }

    @Test
    void emptyAndScalarSpaces() {
        assertEquals(0, IterationSpace.of("t", new int[]{3, 0, 2}, new long[]{0, 2, 1}).n);
        IterationSpace scalar = IterationSpace.of("t", new int[0], new long[0]);
        assertEquals(1, scalar.n);
        assertEquals(0, scalar.rank);
    }

    @Test
    void moreThanEightUnmergeableAxesIsAClearError() {
        int[] shape = new int[9];
        long[] strides = new long[9];
        Arrays.fill(shape, 2);
        for (int i = 0; i < 9; i++) strides[i] = 1L << (2 * (8 - i)); // gaps everywhere: nothing merges
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IterationSpace.of("unary EXP", shape, strides));
        assertTrue(e.getMessage().startsWith("unary EXP:") && e.getMessage().contains("8"), e.getMessage());
    }

    /** The offsets a kernel computes (a replica of layout_offsets in common.cuh) are the view's own, for random views. */
    @Test
    void kernelIndexingReproducesEveryViewOffset() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            int rank = rnd.nextInt(6);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) shape[d] = 1 + rnd.nextInt(4);
            long[][] operands = new long[1 + rnd.nextInt(4)][];
            for (int k = 0; k < operands.length; k++) operands[k] = randomStrides(shape, rnd);
            IterationSpace s = IterationSpace.of("t", shape, operands);
            assertEquals(View.numel(shape), s.n);
            int[] index = new int[rank];
            for (long i = 0; i < s.n; i++) {
                long[] got = kernelOffsets(s, i, operands.length);
                for (int k = 0; k < operands.length; k++) {
                    long want = 0;
                    for (int d = 0; d < rank; d++) want += index[d] * operands[k][d];
                    assertEquals(want, got[k], "trial " + trial + " element " + i + " operand " + k + " shape " + Arrays.toString(shape));
                }
                for (int d = rank - 1; d >= 0 && ++index[d] == shape[d]; d--) index[d] = 0;
            }
        }
    }

    // dense, transposed, broadcast or sliced strides
    private static long[] randomStrides(int[] shape, Random rnd) {
        int rank = shape.length;
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) order[i] = i;
        if (rnd.nextBoolean()) {
            for (int i = rank - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        long[] strides = new long[rank];
        long acc = 1;
        for (int i = rank - 1; i >= 0; i--) {
            int d = order[i];
            strides[d] = rnd.nextInt(5) == 0 ? 0 : acc;
            acc *= shape[d] + (rnd.nextInt(4) == 0 ? 1 : 0);
        }
        return strides;
    }

    private static long[] kernelOffsets(IterationSpace s, long i, int operands) {
        long[] off = new long[operands];
        long r = i;
        for (int d = 0; d < s.rank; d++) {
            long idx;
            if (d == s.rank - 1) {
                idx = r;
            } else {
                idx = r % s.shape[d];
                r /= s.shape[d];
            }
            for (int k = 0; k < operands; k++) off[k] += idx * s.strides[k][d];
        }
        return off;
    }
}
