package io.jgrad.spi;

import java.util.Arrays;

/**
 * The windows of a 2-d pooling over planes of inH x inW, as the pooling kernels of {@link Backend} see them: already
 * clipped to the input, so a kernel never meets padding. Output row {@code oh} reads input rows
 * {@code rowStart[oh] + k * dilationH} for {@code k < rowCount[oh]}, output column {@code ow} likewise, and the
 * window is the product of the two. The same description serves max and average pooling with any kernel, stride,
 * padding, dilation and ceil mode, and the adaptive poolings (whose windows vary in length, with dilation 1).
 * <p>
 * {@code divisor} is null for max pooling; for average pooling it holds outH * outW divisors (row-major), so count
 * include pad and a divisor override are the caller's choice, not the kernel's.
 */
public record Pool2d(boolean max, int inH, int inW, int outH, int outW, int[] rowStart, int[] rowCount, int[] colStart,
                     int[] colCount, int dilationH, int dilationW, double[] divisor) {

    public Pool2d {
        if (rowStart.length != outH || rowCount.length != outH || colStart.length != outW || colCount.length != outW) {
            throw new IllegalArgumentException("Pool2d: window tables do not match the output " + outH + "x" + outW);
        }
        if (max == (divisor != null) || (divisor != null && divisor.length != outH * outW)) {
            throw new IllegalArgumentException("Pool2d: max pooling takes no divisors, average pooling one per output element");
        }
        checkAxis(rowStart, rowCount, dilationH, inH);
        checkAxis(colStart, colCount, dilationW, inW);
    }

    private static void checkAxis(int[] start, int[] count, int dilation, int size) {
        for (int i = 0; i < start.length; i++) {
            if (count[i] < 1 || start[i] < 0 || start[i] + (count[i] - 1) * dilation >= size) {
                throw new IllegalArgumentException("Pool2d: window " + i + " (start " + start[i] + ", " + count[i]
                        + " positions, dilation " + dilation + ") leaves the input of size " + size + " or is empty");
            }
        }
    }

    /** The most positions any window holds. */
    public int maxWindow() {
        return Arrays.stream(rowCount).max().orElse(0) * Arrays.stream(colCount).max().orElse(0);
    }

    /**
     * For every output position (row-major) the flat input positions h * inW + w its window reads, in row-major
     * window order, padded with {@code inH * inW} (one past the plane) up to {@link #maxWindow()} entries.
     */
    public long[] windowTable() {
        int kk = maxWindow();
        long sentinel = (long) inH * inW;
        long[] table = new long[outH * outW * kk];
        Arrays.fill(table, sentinel);
        for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++) {
                int at = (oh * outW + ow) * kk;
                for (int i = 0; i < rowCount[oh]; i++) {
                    int h = rowStart[oh] + i * dilationH;
                    for (int j = 0; j < colCount[ow]; j++) table[at++] = (long) h * inW + colStart[ow] + j * dilationW;
                }
            }
        }
        return table;
    }

    /** The divisors rounded to float32, for float32 kernels. */
    public float[] divisorFloats() {
        float[] f = new float[divisor.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) divisor[i];
        return f;
    }
}
