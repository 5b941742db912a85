package io.jgrad.nn;

import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.Tensor;

/**
 * A 2-D convolution layer on [n, in, h, w] inputs (or [in, h, w], as PyTorch takes unbatched input): weight
 * [out, in / groups, kh, kw] and bias [out], as torch.nn.Conv2d, with the same state-dict names. Padding is zeros
 * (PyTorch's padding_mode "zeros"; the other modes are not supported), given as numbers or as "same" / "valid".
 * <p>
 * Initialised as PyTorch does: weight by Kaiming-uniform with a = sqrt(5), which is U(-1/sqrt(fan_in), 1/sqrt(fan_in))
 * with fan_in = in / groups * kh * kw, and bias from the same range.
 */
public class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final String namedPadding;
    private final int[] dilation;
    private final int groups;
    private final boolean hasBias;

    /** A square kernel, stride 1, no padding, with bias, drawn from the global generator (see Tensor.manualSeed). */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[]{kernelSize, kernelSize}, new int[]{1, 1}, new int[]{0, 0}, new int[]{1, 1}, 1, true,
                Generator.global());
    }

    /** A square kernel with one stride and padding for both axes. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, new int[]{kernelSize, kernelSize}, new int[]{stride, stride}, new int[]{padding, padding},
                new int[]{1, 1}, 1, true, Generator.global());
    }

    /** As {@link #Conv2d(int, int, int, int, int)}, with or without bias, groups, drawn from {@code gen}. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int groups, boolean bias, Generator gen) {
        this(inChannels, outChannels, new int[]{kernelSize, kernelSize}, new int[]{stride, stride}, new int[]{padding, padding},
                new int[]{1, 1}, groups, bias, gen);
    }

    /** Padding "same" (stride 1) or "valid". */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, String padding, int[] dilation, int groups, boolean bias, Generator gen) {
        this(inChannels, outChannels, kernelSize, new int[]{1, 1}, null, padding, dilation, groups, bias, gen);
    }

    /** Every option: kernel, stride, padding (h, w) and dilation as (h, w) pairs. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias, Generator gen) {
        this(inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias, gen);
    }

    private Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, String namedPadding, int[] dilation,
                   int groups, boolean bias, Generator gen) {
        String who = "Conv2d";
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException(who + ": in_channels and out_channels must be positive, got " + inChannels + " and " + outChannels);
        }
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(who + ": groups = " + groups + " must divide in_channels (" + inChannels + ") and out_channels ("
                    + outChannels + ")");
        }
        this.kernel = ConvArgs.pair(who, "kernel_size", kernelSize, 1);
        this.stride = ConvArgs.pair(who, "stride", stride, 1);
        this.dilation = ConvArgs.pair(who, "dilation", dilation, 1);
        if (namedPadding != null) {
            if (!namedPadding.equals("same") && !namedPadding.equals("valid")) {
                throw new IllegalArgumentException(who + ": padding must be \"same\", \"valid\" or numbers, got \"" + namedPadding + "\"");
            }
            if (namedPadding.equals("same") && (this.stride[0] != 1 || this.stride[1] != 1)) {
                throw new IllegalArgumentException(who + ": padding=\"same\" needs stride 1, got stride (" + this.stride[0] + ", " + this.stride[1] + ")");
            }
            this.padding = null;
        } else {
            this.padding = ConvArgs.pair(who, "padding", padding, 0);
        }
        this.namedPadding = namedPadding;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.hasBias = bias;
        Tensor w = Init.kaimingUniform(Tensor.zeros(outChannels, inChannels / groups, kernel[0], kernel[1]), Math.sqrt(5),
                Init.Mode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, gen);
        registerParameter("weight", w);
        if (bias) {
            double bound = 1 / Math.sqrt(Init.fanIn("Conv2d", w));
            registerParameter("bias", Init.uniform(Tensor.zeros(outChannels), -bound, bound, gen));
        }
    }

    /** The weight [out_channels, in_channels / groups, kh, kw]. */
    public Tensor weight() {
        return param("weight");
    }

    /** The bias [out_channels], or null for a layer built without one. */
    public Tensor bias() {
        return hasBias ? param("bias") : null;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor w = weight();
        boolean unbatched = input.dim() == 3;
        if ((input.dim() != 4 && !unbatched) || input.size(-3) != inChannels) {
            throw new IllegalArgumentException(this + ": expects input [n, " + inChannels + ", h, w] or [" + inChannels
                    + ", h, w], got " + input.shape());
        }
        Checks.matches(this, input, w, "weight");
        Tensor x = unbatched ? input.reshape(1, input.size(0), input.size(1), input.size(2)) : input;
        Tensor y = namedPadding != null
                ? Functional.conv2d(x, w, bias(), stride, namedPadding, dilation, groups)
                : Functional.conv2d(x, w, bias(), stride, padding, dilation, groups);
        return unbatched ? y.reshape(y.size(1), y.size(2), y.size(3)) : y;
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(ConvArgs.tuple(kernel)).append(", stride=").append(ConvArgs.tuple(stride));
        if (namedPadding != null) s.append(", padding=").append(namedPadding);
        else if (padding[0] != 0 || padding[1] != 0) s.append(", padding=").append(ConvArgs.tuple(padding));
        if (dilation[0] != 1 || dilation[1] != 1) s.append(", dilation=").append(ConvArgs.tuple(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (!hasBias) s.append(", bias=False");
        return s.toString();
    }
}
