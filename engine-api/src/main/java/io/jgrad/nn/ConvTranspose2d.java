package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.Tensor;

/**
 * A transposed 2-D convolution layer on [n, in, h, w] inputs (or [in, h, w]): weight [in, out / groups, kh, kw] and
 * bias [out], as torch.nn.ConvTranspose2d, with its state-dict names and initialisation (Kaiming-uniform with
 * a = sqrt(5) on the weight, whose fan_in PyTorch takes as out / groups * kh * kw; bias U(-1/sqrt(fan_in),
 * 1/sqrt(fan_in))). Zero padding only; output_padding must be below the stride.
 */
public class ConvTranspose2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] outputPadding;
    private final int[] dilation;
    private final int groups;
    private final boolean hasBias;

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[]{kernelSize}, new int[]{1}, new int[]{0}, new int[]{0}, 1, true, new int[]{1}, Generator.global());
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding, int groups,
                           boolean bias, Generator gen) {
        this(inChannels, outChannels, new int[]{kernelSize}, new int[]{stride}, new int[]{padding}, new int[]{outputPadding}, groups, bias,
                new int[]{1}, gen);
    }

    /** Every option, in torch.nn.ConvTranspose2d's order; each pair takes 1 value (both axes) or 2 (h, w). */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] outputPadding,
                           int groups, boolean bias, int[] dilation, Generator gen) {
        String who = "ConvTranspose2d";
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException(who + ": in_channels and out_channels must be positive, got " + inChannels + " and " + outChannels);
        }
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(who + ": groups = " + groups + " must divide in_channels (" + inChannels + ") and out_channels ("
                    + outChannels + ")");
        }
        this.kernel = ConvArgs.pair(who, "kernel_size", kernelSize, 1);
        this.stride = ConvArgs.pair(who, "stride", stride, 1);
        this.padding = ConvArgs.pair(who, "padding", padding, 0);
        this.outputPadding = ConvArgs.pair(who, "output_padding", outputPadding, 0);
        this.dilation = ConvArgs.pair(who, "dilation", dilation, 1);
        if (this.outputPadding[0] >= this.stride[0] || this.outputPadding[1] >= this.stride[1]) {
            throw new IllegalArgumentException(who + ": output_padding " + ConvArgs.tuple(this.outputPadding) + " must be below the stride "
                    + ConvArgs.tuple(this.stride));
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.hasBias = bias;
        Tensor w = Init.kaimingUniform(Tensor.zeros(inChannels, outChannels / groups, kernel[0], kernel[1]), Math.sqrt(5),
                Init.Mode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, gen);
        registerParameter("weight", w);
        if (bias) {
            double bound = 1 / Math.sqrt(Init.fanIn(who, w));
            registerParameter("bias", Init.uniform(Tensor.zeros(outChannels), -bound, bound, gen));
        }
    }

    /** The weight [in_channels, out_channels / groups, kh, kw]. */
    public Tensor weight() {
        return param("weight");
    }

    /** The bias [out_channels], or null. */
    public Tensor bias() {
        return hasBias ? param("bias") : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        boolean unbatched = input.dim() == 3;
        if ((input.dim() != 4 && !unbatched) || input.size(-3) != inChannels) {
            throw new IllegalArgumentException(this + ": expects input [n, " + inChannels + ", h, w] or [" + inChannels + ", h, w], got "
                    + input.shape());
        }
        Tensor w = weight();
        Checks.matches(this, input, w, "weight");
        Tensor x = unbatched ? input.reshape(1, input.size(0), input.size(1), input.size(2)) : input;
        Tensor y = Functional.convTranspose2d(x, w, bias(), stride, padding, outputPadding, groups, dilation);
        return unbatched ? y.reshape(y.size(1), y.size(2), y.size(3)) : y;
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(ConvArgs.tuple(kernel)).append(", stride=").append(ConvArgs.tuple(stride));
        if (padding[0] != 0 || padding[1] != 0) s.append(", padding=").append(ConvArgs.tuple(padding));
        if (dilation[0] != 1 || dilation[1] != 1) s.append(", dilation=").append(ConvArgs.tuple(dilation));
        if (outputPadding[0] != 0 || outputPadding[1] != 0) s.append(", output_padding=").append(ConvArgs.tuple(outputPadding));
        if (groups != 1) s.append(", groups=").append(groups);
        if (!hasBias) s.append(", bias=False");
        return s.toString();
    }
}
