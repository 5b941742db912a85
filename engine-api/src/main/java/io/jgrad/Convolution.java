package io.jgrad;

import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import io.jgrad.spi.Backend;
import io.jgrad.spi.ConvGeometry;
import java.util.Arrays;

/**
 * Convolutions, NCHW, with torch.nn.functional's shape rules: conv2d, conv1d (conv2d on [n, c, 1, l]) and
 * convTranspose2d. Each is one backend kernel per direction ({@link Backend#conv2dForward},
 * {@link Backend#conv2dBackwardInput}, {@link Backend#conv2dBackwardWeight}) over a {@link ConvGeometry}.
 * <p>
 * Shape rule: input [n, c, h, w], weight [out, c / groups, kh, kw], bias [out]; output [n, out, oh, ow] with
 * oh = floor((h + padTop + padBottom - dilation * (kh - 1) - 1) / stride) + 1 (likewise ow).
 * <p>
 * Backward of y = conv2d(x, w) + b: dx = convTranspose2d(dy, w) (the input-gradient kernel), dw = the correlation of
 * dy with the unfolded x (the weight-gradient kernel), db = dy summed over batch and pixels.
 * <p>
 * convTranspose2d(x, w) is exactly that input gradient: it runs the geometry of the convolution that maps its output
 * back to its input (weight [c_in, out / groups, kh, kw] is that convolution's weight), so its forward is
 * {@code conv2dBackwardInput}, its input gradient {@code conv2dForward} and its weight gradient
 * {@code conv2dBackwardWeight} with the roles of x and dy swapped.
 */
final class Convolution {
    private Convolution() {
    }

    /** padding: {pad} (both axes), {padH, padW} or {top, bottom, left, right}; stride and dilation: 1 or 2 values. */
    static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        if (Autocast.active()) return Autocast.call(AutocastOp.CONV2D, in -> conv2d(in[0], in[1], in[2], stride, padding, dilation, groups), x, w, bias);
        String op = "conv2d";
        checkOperands(op, x, w, bias, 4, "[n, c, h, w]", "[out, c / groups, kh, kw]");
        int[] s = pair(op, "stride", stride), d = pair(op, "dilation", dilation), p = pads(op, padding);
        if (groups < 1 || x.shape[1] != w.shape[1] * groups || w.shape[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " and weight " + w.shape() + " with groups = " + groups
                    + ": expected the input to have weight.size(1) * groups = " + (long) w.shape[1] * Math.max(groups, 1)
                    + " channels and groups to divide the " + w.shape[0] + " output channels");
        }
        ConvGeometry g = new ConvGeometry(x.shape[0], x.shape[1], x.shape[2], x.shape[3], w.shape[0], w.shape[2], w.shape[3],
                s[0], s[1], p[0], p[1], p[2], p[3], d[0], d[1], groups);
        g.check(op + " of input " + x.shape() + " with weight " + w.shape());
        return forward(x, w, bias, g);
    }

    /** padding: {total along h, total along w} computed as PyTorch's "same" (stride 1 only) or "valid" (none). */
    static int[] namedPadding(String op, String padding, int[] kernel, int[] dilation, int[] stride) {
        switch (padding) {
            case "valid" -> {
                return new int[kernel.length * 2];
            }
            case "same" -> {
                for (int st : stride) {
                    if (st != 1) throw new IllegalArgumentException(op + ": padding=\"same\" needs stride 1, got stride " + Arrays.toString(stride));
                }
                int[] out = new int[kernel.length * 2];
                for (int i = 0; i < kernel.length; i++) {
                    int[] lr = ConvGeometry.samePadding(kernel[i], dilation[Math.min(i, dilation.length - 1)]);
                    out[2 * i] = lr[0];
                    out[2 * i + 1] = lr[1];
                }
                return out;
            }
            default -> throw new IllegalArgumentException(op + ": padding must be \"same\", \"valid\" or numbers, got \"" + padding + "\"");
        }
    }

    /** conv1d on [n, c, l] with weight [out, c / groups, k], as conv2d with a height of 1. */
    static Tensor conv1d(Tensor x, Tensor w, Tensor bias, int stride, int[] padding, int dilation, int groups) {
        if (Autocast.active()) return Autocast.call(AutocastOp.CONV1D, in -> conv1d(in[0], in[1], in[2], stride, padding, dilation, groups), x, w, bias);
        String op = "conv1d";
        checkOperands(op, x, w, bias, 3, "[n, c, l]", "[out, c / groups, k]");
        if (padding.length != 1 && padding.length != 2) {
            throw new IllegalArgumentException(op + ": padding takes 1 value (both sides) or 2 (left, right), got " + Arrays.toString(padding));
        }
        int left = padding[0], right = padding[padding.length - 1];
        try {
            Tensor x4 = x.reshape(x.shape[0], x.shape[1], 1, x.shape[2]), w4 = w.reshape(w.shape[0], w.shape[1], 1, w.shape[2]);
            Tensor y = conv2d(x4, w4, bias, new int[]{1, stride}, new int[]{0, 0, left, right}, new int[]{1, dilation}, groups);
            Tensor out = y.reshape(y.shape[0], y.shape[1], y.shape[3]);
            Tensor.closeAll(x4, w4, y); // 4-d views of the caller's 3-d tensors: only the result stays open
            return out;
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException(op + " of input " + x.shape() + " with weight " + w.shape() + " (as conv2d on [n, c, 1, l]): "
                    + m.substring(m.indexOf(": ") + 2), e);
        }
    }

    /**
     * The transposed convolution: input [n, c_in, h, w], weight [c_in, out / groups, kh, kw], output [n, out, oh, ow]
     * with oh = (h - 1) * stride - padTop - padBottom + dilation * (kh - 1) + outputPadding + 1. outputPadding must be
     * below the stride (PyTorch also allows it below the dilation; jgrad does not).
     */
    static Tensor convTranspose2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] outputPadding, int groups,
                                  int[] dilation) {
        if (Autocast.active()) {
            return Autocast.call(AutocastOp.CONV_TRANSPOSE2D, in -> convTranspose2d(in[0], in[1], in[2], stride, padding, outputPadding,
                    groups, dilation), x, w, bias);
        }
        String op = "convTranspose2d";
        checkOperands(op, x, w, bias, 4, "[n, c_in, h, w]", "[c_in, out / groups, kh, kw]");
        int[] s = pair(op, "stride", stride), d = pair(op, "dilation", dilation), p = pads(op, padding);
        int[] op2 = pair(op, "output_padding", outputPadding);
        if (groups < 1 || x.shape[1] != w.shape[0] || w.shape[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " and weight " + w.shape() + " with groups = " + groups
                    + ": expected the input's channels to equal weight.size(0) and groups to divide them");
        }
        if (bias != null && bias.shape[0] != w.shape[1] * groups) {
            throw new IllegalArgumentException(op + ": bias " + bias.shape() + " does not match the " + (long) w.shape[1] * groups
                    + " output channels of weight " + w.shape() + " with groups = " + groups);
        }
        for (int i = 0; i < 2; i++) {
            if (op2[i] < 0 || op2[i] >= s[i]) {
                throw new IllegalArgumentException(op + ": output_padding " + Arrays.toString(op2) + " must be non-negative and below the stride "
                        + Arrays.toString(s));
            }
        }
        int outH = (x.shape[2] - 1) * s[0] - p[0] - p[1] + d[0] * (w.shape[2] - 1) + op2[0] + 1;
        int outW = (x.shape[3] - 1) * s[1] - p[2] - p[3] + d[1] * (w.shape[3] - 1) + op2[1] + 1;
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " with weight " + w.shape() + ", stride " + Arrays.toString(s)
                    + " and padding " + Arrays.toString(p) + " gives an output size " + outH + " x " + outW + ", below 1");
        }
        // the convolution this is the gradient of: its input is our output, its output our input
        ConvGeometry g = new ConvGeometry(x.shape[0], w.shape[1] * groups, outH, outW, x.shape[1], w.shape[2], w.shape[3],
                s[0], s[1], p[0], p[1], p[2], p[3], d[0], d[1], groups);
        g.check(op + " of input " + x.shape() + " with weight " + w.shape());
        if (g.outH() != x.shape[2] || g.outW() != x.shape[3]) {
            throw new IllegalStateException(op + ": geometry " + g + " does not map back to input " + x.shape());
        }
        return transposedForward(x, w, bias, g);
    }

    // ------------------------------------------------------------------ the ops and their backward rules

    private static Tensor forward(Tensor x, Tensor w, Tensor bias, ConvGeometry g) {
        Backend be = x.backend();
        Tensor xd = x.detach(), wd = w.detach(), bd = bias == null ? null : bias.detach();
        Tensor xc = xd.contiguous(), wc = wd.contiguous(), bc = bd == null ? null : bd.contiguous();
        Tensor out = Tensor.empty(be, x.dtype(), g.outputShape());
        be.conv2dForward(out.view(), xc.view(), wc.view(), bc == null ? null : bc.view(), g);
        Tensor[] inputs = bias == null ? new Tensor[]{x, w} : new Tensor[]{x, w, bias};
        if (Autograd.needed(inputs)) {
            Saved sx = Saved.of(xc), sw = Saved.of(wc);
            Autograd.record("ConvolutionBackward", out, inputs, (grad, needs) -> {
                Tensor gy = grad.contiguous();
                Tensor[] grads = new Tensor[inputs.length];
                boolean wantBias = inputs.length == 3 && needs[2];
                // the weight gradient first: its kernel's scratch is then not in use beside the input gradient
                if (needs[1] || wantBias) {
                    Tensor[] wb = weightGradient(gy, sx.get(), g, needs[1], wantBias);
                    grads[1] = wb[0];
                    if (inputs.length == 3) grads[2] = wb[1];
                }
                grads[0] = needs[0] ? inputGradient(gy, sw.get(), g) : null;
                if (gy != grad) gy.close();
                return grads;
            }, sx, sw);
        }
        // the operands' views and copies: the node keeps its own references, so closing x frees its memory
        Tensor.closeAll(xd, wd, bd, xc, wc, bc);
        return out;
    }

    private static Tensor transposedForward(Tensor x, Tensor w, Tensor bias, ConvGeometry g) {
        Tensor xd = x.detach(), wd = w.detach();
        Tensor xc = xd.contiguous(), wc = wd.contiguous();
        Tensor out = inputGradient(xc, wc, g);
        if (bias != null) {
            Tensor unbiased = out, bd = bias.detach(), column = bd.reshape(1, -1, 1, 1);
            out = out.add(column); // detached: the rule below returns the bias gradient
            Tensor.closeAll(unbiased, bd, column);
        }
        Tensor[] inputs = bias == null ? new Tensor[]{x, w} : new Tensor[]{x, w, bias};
        if (Autograd.needed(inputs)) {
            Saved sx = Saved.of(xc), sw = Saved.of(wc);
            Autograd.record("ConvolutionBackward", out, inputs, (grad, needs) -> {
                Tensor gy = grad.contiguous(); // the gradient of our output: the convolution's input
                Tensor[] grads = new Tensor[inputs.length];
                if (needs[0]) {
                    grads[0] = Tensor.empty(gy.backend(), gy.dtype(), g.outputShape());
                    gy.backend().conv2dForward(grads[0].view(), gy.view(), sw.get().view(), null, g);
                }
                if (needs[1]) grads[1] = weightGradient(sx.get(), gy, g, true, false)[0];
                if (inputs.length == 3 && needs[2]) grads[2] = gy.sum(0, false).sum(1, false).sum(1, false);
                if (gy != grad) gy.close();
                return grads;
            }, sx, sw);
        }
        Tensor.closeAll(xd, wd, xc, wc);
        return out;
    }

    /** The gradient of the convolution's input from the gradient of its output, gy [n, out, oh, ow] (contiguous). */
    private static Tensor inputGradient(Tensor gy, Tensor w, ConvGeometry g) {
        Tensor gx = Tensor.empty(gy.backend(), gy.dtype(), g.inputShape());
        gy.backend().conv2dBackwardInput(gx.view(), gy.view(), w.view(), g);
        return gx;
    }

    /** {weight gradient or null, bias gradient or null} from the output gradient gy and the forward input x. */
    private static Tensor[] weightGradient(Tensor gy, Tensor x, ConvGeometry g, boolean weight, boolean bias) {
        Backend be = gy.backend();
        Tensor gw = Tensor.empty(be, gy.dtype(), g.weightShape());
        Tensor gb = bias ? Tensor.empty(be, gy.dtype(), new int[]{g.outChannels()}) : null;
        be.conv2dBackwardWeight(gw.view(), gb == null ? null : gb.view(), gy.view(), x.view(), g);
        if (!weight) {
            gw.close();
            gw = null;
        }
        return new Tensor[]{gw, gb};
    }

    // ------------------------------------------------------------------ argument checks

    private static void checkOperands(String op, Tensor x, Tensor w, Tensor bias, int rank, String xForm, String wForm) {
        x.view();
        w.view();
        Elementwise.sameDevice(op, x, w);
        if (x.dim() != rank || w.dim() != rank) {
            throw new IllegalArgumentException(op + ": expects input " + xForm + " and weight " + wForm + " (rank " + rank + "), got input "
                    + x.shape() + " and weight " + w.shape());
        }
        if (!x.dtype().isFloating() || x.dtype() != w.dtype()) {
            throw new IllegalArgumentException(op + ": input and weight must share one floating dtype, got input " + x.dtype() + x.shape()
                    + " and weight " + w.dtype() + w.shape());
        }
        for (int i = 0; i < rank; i++) {
            if (x.shape[i] == 0 && i > 0 || w.shape[i] == 0) {
                throw new IllegalArgumentException(op + ": empty input " + x.shape() + " or weight " + w.shape() + " (only the batch may be 0)");
            }
        }
        if (bias != null) {
            bias.view();
            Elementwise.sameDevice(op, x, bias);
            boolean transposed = op.startsWith("convTranspose");
            if (bias.dim() != 1 || bias.dtype() != x.dtype() || (!transposed && bias.shape[0] != w.shape[0])) {
                throw new IllegalArgumentException(op + ": bias must be " + x.dtype() + "[" + (transposed ? "out" : w.shape[0]) + "] for weight "
                        + w.shape() + ", got " + bias.dtype() + bias.shape());
            }
        }
    }

    private static int[] pair(String op, String what, int[] v) {
        if (v.length == 1) return new int[]{v[0], v[0]};
        if (v.length == 2) return v.clone();
        throw new IllegalArgumentException(op + ": " + what + " takes 1 or 2 values, got " + Arrays.toString(v));
    }

    private static int[] pads(String op, int[] p) {
        return switch (p.length) {
            case 1 -> new int[]{p[0], p[0], p[0], p[0]};
            case 2 -> new int[]{p[0], p[0], p[1], p[1]};
            case 4 -> p.clone();
            default -> throw new IllegalArgumentException(op + ": padding takes 1, 2 (h, w) or 4 (top, bottom, left, right) values, got "
                    + Arrays.toString(p));
        };
    }
}
