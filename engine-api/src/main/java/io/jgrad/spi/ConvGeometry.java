package io.jgrad.spi;

/**
 * The whole shape of one 2-D convolution, NCHW: input [batch, inChannels, inH, inW], weight [outChannels,
 * inChannels / groups, kernelH, kernelW], output [batch, outChannels, outH(), outW()]. Padding may differ on each side
 * (top, bottom, left, right), which is how "same" padding with an even kernel comes out. A transposed convolution
 * uses the geometry of the convolution it is the gradient of: its input is this geometry's output and the other way
 * round. 1-D convolutions are the 2-D ones with inH = kernelH = 1.
 * <p>
 * All the size arithmetic lives here: {@link #outH()}, {@link #outW()}, the rows of the column matrix and the
 * checks ({@link #check}) that every backend and the API share.
 */
public record ConvGeometry(int batch, int inChannels, int inH, int inW, int outChannels, int kernelH, int kernelW,
                           int strideH, int strideW, int padTop, int padBottom, int padLeft, int padRight,
                           int dilationH, int dilationW, int groups) {

    /** floor((in + pads - dilation * (kernel - 1) - 1) / stride) + 1, as PyTorch. May be below 1 for bad input. */
    public int outH() {
        return outSize(inH, padTop + padBottom, kernelH, strideH, dilationH);
    }

    public int outW() {
        return outSize(inW, padLeft + padRight, kernelW, strideW, dilationW);
    }

    private static int outSize(int in, int pads, int kernel, int stride, int dilation) {
        long span = in + (long) pads - (long) dilation * (kernel - 1) - 1;
        return span < 0 ? 0 : (int) (span / stride + 1);
    }

    public int paddedH() {
        return inH + padTop + padBottom;
    }

    public int paddedW() {
        return inW + padLeft + padRight;
    }

    public boolean padded() {
        return padTop != 0 || padBottom != 0 || padLeft != 0 || padRight != 0;
    }

    public int inPerGroup() {
        return inChannels / groups;
    }

    public int outPerGroup() {
        return outChannels / groups;
    }

    /** The depth of one group's product: inChannels / groups * kernelH * kernelW (rows of its column matrix). */
    public int colRows() {
        return inPerGroup() * kernelH * kernelW;
    }

    public int[] inputShape() {
        return new int[]{batch, inChannels, inH, inW};
    }

    public int[] weightShape() {
        return new int[]{outChannels, inPerGroup(), kernelH, kernelW};
    }

    public int[] outputShape() {
        return new int[]{batch, outChannels, outH(), outW()};
    }

    /**
     * The geometry's own consistency: positive sizes, strides and dilations, non-negative padding, groups that divide
     * both channel counts, and an output of at least 1 x 1. The message names {@code op}, which the API sets to the
     * user's op and shapes.
     */
    public void check(String op) {
        if (batch < 0 || inChannels < 1 || outChannels < 1 || inH < 1 || inW < 1 || kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException(op + ": sizes must be positive: " + this);
        }
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException(op + ": stride and dilation must be at least 1, got stride (" + strideH + ", "
                    + strideW + ") and dilation (" + dilationH + ", " + dilationW + ")");
        }
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException(op + ": padding must be non-negative, got (top " + padTop + ", bottom "
                    + padBottom + ", left " + padLeft + ", right " + padRight + ")");
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(op + ": groups = " + groups + " must divide both the input channels ("
                    + inChannels + ") and the output channels (" + outChannels + ")");
        }
        long effH = (long) dilationH * (kernelH - 1) + 1, effW = (long) dilationW * (kernelW - 1) + 1;
        if (effH > paddedH() || effW > paddedW()) {
            throw new IllegalArgumentException(op + ": the kernel (" + kernelH + " x " + kernelW + ", dilated to " + effH
                    + " x " + effW + ") is larger than the padded input (" + paddedH() + " x " + paddedW() + ")");
        }
        if (outH() < 1 || outW() < 1) {
            throw new IllegalArgumentException(op + ": the output size " + outH() + " x " + outW() + " is below 1");
        }
    }

    /**
     * "same" padding for a stride-1 convolution: dilation * (kernel - 1) in all, the odd one extra at the end (bottom,
     * right), as PyTorch pads.
     */
    public static int[] samePadding(int kernel, int dilation) {
        int total = dilation * (kernel - 1);
        return new int[]{total / 2, total - total / 2};
    }

    @Override
    public String toString() {
        return "conv input [" + batch + ", " + inChannels + ", " + inH + ", " + inW + "], weight [" + outChannels + ", "
                + (groups > 0 ? inChannels / groups : inChannels) + ", " + kernelH + ", " + kernelW + "], stride (" + strideH
                + ", " + strideW + "), padding (" + padTop + ", " + padBottom + ", " + padLeft + ", " + padRight
                + "), dilation (" + dilationH + ", " + dilationW + "), groups " + groups;
    }
}
