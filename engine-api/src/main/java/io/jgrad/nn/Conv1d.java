package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.Tensor;

/**
 * A 1-D convolution layer on [n, in, l] inputs (or [in, l]): weight [out, in / groups, k] and bias [out], as
 * torch.nn.Conv1d, with the same state-dict names, zero padding only (numbers, or "same" / "valid"), and PyTorch's
 * initialisation (Kaiming-uniform with a = sqrt(5); bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in / groups * k).
 */
public class Conv1d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final String namedPadding;
    private final int dilation;
    private final int groups;
    private final boolean hasBias;

    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, null, 1, 1, true, Generator.global());
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int groups, boolean bias, Generator gen) {
        this(inChannels, outChannels, kernelSize, stride, padding, null, 1, groups, bias, gen);
    }

    /** Every option; padding "same" (stride 1) or "valid". */
    public Conv1d(int inChannels, int outChannels, int kernelSize, String padding, int dilation, int groups, boolean bias, Generator gen) {
        this(inChannels, outChannels, kernelSize, 1, 0, padding, dilation, groups, bias, gen);
    }

    /** Every option with numeric padding. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias,
                  Generator gen) {
        this(inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias, gen);
    }

    private Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, String namedPadding, int dilation,
                   int groups, boolean bias, Generator gen) {
        String who = "Conv1d";
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || dilation <= 0 || padding < 0) {
            throw new IllegalArgumentException(who + ": channels, kernel_size, stride and dilation must be positive and padding non-negative, got "
                    + inChannels + ", " + outChannels + ", " + kernelSize + ", " + stride + ", " + dilation + ", " + padding);
        }
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(who + ": groups = " + groups + " must divide in_channels (" + inChannels + ") and out_channels ("
                    + outChannels + ")");
        }
        if (namedPadding != null && !namedPadding.equals("same") && !namedPadding.equals("valid")) {
            throw new IllegalArgumentException(who + ": padding must be \"same\", \"valid\" or a number, got \"" + namedPadding + "\"");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.namedPadding = namedPadding;
        this.dilation = dilation;
        this.groups = groups;
        this.hasBias = bias;
        Tensor w = Init.kaimingUniform(Tensor.zeros(outChannels, inChannels / groups, kernelSize), Math.sqrt(5),
                Init.Mode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, gen);
        registerParameter("weight", w);
        if (bias) {
            double bound = 1 / Math.sqrt(Init.fanIn(who, w));
            registerParameter("bias", Init.uniform(Tensor.zeros(outChannels), -bound, bound, gen));
        }
    }

    /** The weight [out_channels, in_channels / groups, k]. */
    public Tensor weight() {
        return param("weight");
    }

    /** The bias [out_channels], or null. */
    public Tensor bias() {
        return hasBias ? param("bias") : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        boolean unbatched = input.dim() == 2;
        if ((input.dim() != 3 && !unbatched) || input.size(-2) != inChannels) {
            throw new IllegalArgumentException(this + ": expects input [n, " + inChannels + ", l] or [" + inChannels + ", l], got " + input.shape());
        }
        Tensor w = weight();
        Checks.matches(this, input, w, "weight");
        Tensor x = unbatched ? input.reshape(1, input.size(0), input.size(1)) : input;
        Tensor y = namedPadding != null
                ? Functional.conv1d(x, w, bias(), stride, namedPadding, dilation, groups)
                : Functional.conv1d(x, w, bias(), stride, padding, dilation, groups);
        return unbatched ? y.reshape(y.size(1), y.size(2)) : y;
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(ConvArgs.tuple(kernel)).append(", stride=").append(ConvArgs.tuple(stride));
        if (namedPadding != null) s.append(", padding=").append(namedPadding);
        else if (padding != 0) s.append(", padding=").append(ConvArgs.tuple(padding));
        if (dilation != 1) s.append(", dilation=").append(ConvArgs.tuple(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (!hasBias) s.append(", bias=False");
        return s.toString();
    }
}
