package io.jgrad;

import io.jgrad.spi.Backend;
import io.jgrad.spi.View;

/**
 * The head split of multi-head attention as one op: the fused projections x [N, T, parts * E] (self-attention's q, k
 * and v side by side) become {@code parts} contiguous tensors [N, H, T, E / H]. It gives what
 * {@code x.narrow(2, p * E, E).reshape(N, T, H, E / H).transpose(1, 2).contiguous()} gives for each part, bit for
 * bit, in one node: the backward writes each part's gradient into its place in one [N, T, parts * E] gradient. The
 * composition took, per part, a copy to make the transposed gradient reshapeable, a zero-filled [N, T, parts * E]
 * tensor to hold it (the slice's backward) and an add to sum the parts (in the gpt example's step, a third of its
 * copies and adds).
 */
public final class AttentionHeads {
    private AttentionHeads() {
    }

    /**
     * Splits x [N, T, parts * E] into {@code parts} contiguous tensors [N, heads, T, E / heads]: part p holds the
     * columns [p * E, (p + 1) * E) of x, its head h the columns [h * E / heads, (h + 1) * E / heads) of those.
     */
    public static Tensor[] split(Tensor x, int parts, int heads) {
        if (x.dim() != 3) {
            throw new IllegalArgumentException("AttentionHeads.split: x must be [N, T, parts * E], got shape " + x.shape()
                    + " (" + x.dtype() + " on " + x.device() + ")");
        }
        if (parts < 1 || heads < 1) {
            throw new IllegalArgumentException("AttentionHeads.split: parts and heads must be positive, got parts " + parts
                    + " and heads " + heads + " for x of shape " + x.shape());
        }
        int n = x.size(0), t = x.size(1), c = x.size(2);
        if (c % parts != 0 || (c / parts) % heads != 0) {
            throw new IllegalArgumentException("AttentionHeads.split: the last dimension of x (shape " + x.shape()
                    + ") must be parts * heads * headDim, with parts " + parts + " and heads " + heads);
        }
        int e = c / parts, d = e / heads;
        Backend be = x.backend();
        DType dt = x.dtype();
        View xv = x.view();
        int[] headShape = {n, heads, t, d};
        Tensor[] outs = new Tensor[parts];
        for (int p = 0; p < parts; p++) {
            outs[p] = Tensor.empty(be, dt, headShape.clone());
            be.copy(outs[p].view(), part(xv, p, e, heads, d));
        }
        if (Autograd.needed(x)) {
            int[] inShape = {n, t, c};
            Autograd.recordOp("SplitHeadsBackward", outs.clone(), new Tensor[]{x}, (grads, needs) -> {
                Tensor gx = Tensor.empty(be, dt, inShape.clone());
                View gv = gx.view();
                for (int p = 0; p < parts; p++) {
                    View place = part(gv, p, e, heads, d);
                    if (grads[p] == null) be.fill(place, 0);
                    else be.copy(place, grads[p].view());
                }
                return new Tensor[]{gx};
            });
        }
        return outs;
    }

    /** Part p of a [N, T, parts * E] view as [N, H, T, D]. */
    private static View part(View v, int p, int e, int heads, int d) {
        long[] s = v.strides;
        return new View(v.buffer, v.offset + (long) p * e * s[2], new int[]{v.shape[0], heads, v.shape[1], d},
                new long[]{s[0], d * s[2], s[1], s[2]});
    }
}
