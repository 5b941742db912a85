package io.jgrad;

import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import io.jgrad.spi.Backend;
import io.jgrad.spi.View;
import java.util.Arrays;

/**
 * Layer normalisation as one fused op ({@link Functional#layerNorm}): the forward kernel writes the output and each
 * row's mean and 1 / sqrt(var + eps), and the backward rule is one kernel call for the gradients of x, weight and bias,
 * where the composition of reductions and broadcast element-wise ops took ten kernels forward and twenty back.
 */
final class LayerNorms {
    private LayerNorms() {
    }

    static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        if (Autocast.active()) {
            return Autocast.call(AutocastOp.LAYER_NORM, in -> layerNorm(in[0], normalizedShape, weight, bias, eps), x);
        }
        x.view();
        int k = normalizedShape.length;
        int[] shape = x.shape.clone();
        if (k == 0 || shape.length < k || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)
                || !x.dtype().isFloating()) {
            throw new IllegalArgumentException("layerNorm: input must be a floating tensor ending in the normalized shape "
                    + Arrays.toString(normalizedShape) + ", got " + x.dtype() + x.shape() + " on " + x.device());
        }
        if (!(eps > 0)) throw new IllegalArgumentException("layerNorm: eps must be positive, got " + eps);
        for (Tensor t : new Tensor[]{weight, bias}) {
            if (t == null) continue;
            t.view();
            Elementwise.sameDevice("layerNorm", x, t);
            if (!Arrays.equals(t.shape, normalizedShape) || t.dtype() != x.dtype()) {
                throw new IllegalArgumentException("layerNorm: weight and bias must be " + x.dtype() + Arrays.toString(normalizedShape)
                        + " for input " + x.dtype() + x.shape() + ", got " + t.dtype() + t.shape());
            }
        }
        int size = 1;
        for (int d : normalizedShape) size *= d;
        int c = size, rows = (int) (x.numel() / c);
        if (rows == 0) return x.mul(1.0); // nothing to normalise: an empty result, still in the graph
        Tensor xc = x.contiguous();
        Tensor wc = weight == null ? null : weight.contiguous(), bc = bias == null ? null : bias.contiguous();
        Backend be = x.backend();
        Tensor out = Tensor.empty(be, x.dtype(), shape);
        Tensor mean = Tensor.empty(be, x.dtype(), new int[]{rows});
        Tensor rstd = Tensor.empty(be, x.dtype(), new int[]{rows});
        be.layerNormForward(matrix(out, rows, c), mean.view(), rstd.view(), matrix(xc, rows, c), vector(wc, c), vector(bc, c), eps);
        // the inputs that can take a gradient, in order x, weight, bias (either may be missing)
        Tensor[] inputs = weight == null && bias == null ? new Tensor[]{x} : weight == null ? new Tensor[]{x, bias}
                : bias == null ? new Tensor[]{x, weight} : new Tensor[]{x, weight, bias};
        if (Autograd.needed(inputs)) {
            int wAt = weight == null ? -1 : 1, bAt = bias == null ? -1 : inputs.length - 1;
            Saved sx = Saved.of(xc), sMean = Saved.of(mean), sRstd = Saved.of(rstd), sWeight = wc == null ? null : Saved.of(wc);
            Autograd.record("LayerNormBackward", out, inputs, (g, needs) -> {
                Tensor gc = g.contiguous();
                Backend gb = g.backend();
                Tensor gx = needs[0] ? Tensor.empty(gb, g.dtype(), g.shape.clone()) : null;
                Tensor gw = wAt > 0 && needs[wAt] ? Tensor.empty(gb, g.dtype(), normalizedShape.clone()) : null;
                Tensor gbias = bAt > 0 && needs[bAt] ? Tensor.empty(gb, g.dtype(), normalizedShape.clone()) : null;
                gb.layerNormBackward(gx == null ? null : matrix(gx, rows, c), vector(gw, c), vector(gbias, c), matrix(gc, rows, c),
                        matrix(sx.get(), rows, c), sMean.get().view(), sRstd.get().view(), sWeight == null ? null : vector(sWeight.get(), c));
                if (gc != g) gc.close();
                Tensor[] grads = new Tensor[inputs.length];
                grads[0] = gx;
                if (wAt > 0) grads[wAt] = gw;
                if (bAt > 0) grads[bAt] = gbias;
                return grads;
            }, sWeight == null ? new Saved[]{sx, sMean, sRstd} : new Saved[]{sx, sMean, sRstd, sWeight});
        }
        Tensor.closeAll(mean, rstd); // backward keeps its own references
        if (xc != x) xc.close();
        if (wc != weight && wc != null) wc.close();
        if (bc != bias && bc != null) bc.close();
        return out;
    }

    /** A contiguous tensor seen as [rows, c]. */
    private static View matrix(Tensor t, int rows, int c) {
        View v = t.view();
        return new View(v.buffer, v.offset, new int[]{rows, c}, new long[]{c, 1});
    }

    /** A contiguous tensor of the normalized shape seen as [c]; null stays null. */
    private static View vector(Tensor t, int c) {
        if (t == null) return null;
        View v = t.view();
        return new View(v.buffer, v.offset, new int[]{c}, new long[]{1});
    }
}
