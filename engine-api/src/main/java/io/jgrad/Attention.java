package io.jgrad;

import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import io.jgrad.spi.Backend;
import java.util.Arrays;

/**
 * Scaled dot-product attention, as PyTorch's {@code F.scaled_dot_product_attention}: softmax(q k^T * scale + mask) v
 * over the last two dimensions, any leading (batch, head) dimensions alike in q, k and v.
 * <p>
 * Two implementations, one answer. {@link #reference} composes tensor ops (matmul, masked fill, softmax, dropout,
 * matmul) and differentiates through them: it stores the [l, s] probabilities, so its memory grows with l * s. The
 * fused path, taken when there is no dropout and the mask needs no gradient, calls the backend's {@code
 * attentionForward} once and saves only q, k, v, the output and one log-sum-exp per query row; its backward, {@code
 * attentionBackward}, recomputes the probabilities from those. The CPU backend runs both over key tiles with an
 * online softmax (the FlashAttention recurrence), so neither direction holds an [l, s] matrix. The conformance suites
 * check the fused path against the reference.
 * <p>
 * Masks: a bool mask marks with true the keys a query may attend to (PyTorch's convention); a float mask is added to
 * the scores (so -inf excludes a key). Either broadcasts to [..., l, s]. {@code causal} lets query i see keys j &lt;=
 * i (the top-left aligned lower triangle, as PyTorch's is_causal). Unlike PyTorch, which refuses the pair, a mask and
 * causal may be given together: both apply, as a key padding mask and a decoder need. A query row that may see no key
 * at all gives NaN, as the softmax of a row of -inf does.
 */
public final class Attention {
    private Attention() {
    }

    /** softmax(q k^T / sqrt(e)) v: no mask, no dropout. */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v) {
        return scaledDotProductAttention(q, k, v, null, 0, false);
    }

    /** With a mask (null for none), dropout on the attention weights (0 for none) and the causal constraint. */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor mask, double dropoutP, boolean causal) {
        return scaledDotProductAttention(q, k, v, mask, dropoutP, causal, defaultScale(q), Generator.global());
    }

    /**
     * The whole signature: {@code scale} multiplies q k^T (PyTorch's default is 1 / sqrt(e), see {@link
     * #defaultScale}); dropout masks come from {@code gen}.
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor mask, double dropoutP, boolean causal,
                                                   double scale, Generator gen) {
        if (Autocast.active()) {
            return Autocast.call(AutocastOp.SCALED_DOT_PRODUCT_ATTENTION,
                    in -> scaledDotProductAttention(in[0], in[1], in[2], in[3], dropoutP, causal, scale, gen), q, k, v, mask);
        }
        Shapes sh = check("scaledDotProductAttention", q, k, v, mask, dropoutP, scale);
        boolean fused = dropoutP == 0 && (mask == null || !mask.requiresGrad());
        if (!fused) return reference(q, k, v, mask, dropoutP, causal, scale, gen);
        return fused(sh, q, k, v, mask, causal, scale);
    }

    /** 1 / sqrt(e), e being q's last dimension. */
    public static double defaultScale(Tensor q) {
        if (q.dim() < 1) throw new IllegalArgumentException("scaledDotProductAttention: q must have at least 2 dimensions, got " + q.shape());
        return 1 / Math.sqrt(q.shape[q.dim() - 1]);
    }

    /**
     * The composition of tensor ops that defines the result, differentiated op by op; the fused path is tested
     * against it. Its memory grows with l * s.
     */
    public static Tensor reference(Tensor q, Tensor k, Tensor v, Tensor mask, double dropoutP, boolean causal, double scale,
                                   Generator gen) {
        Shapes sh = check("scaledDotProductAttention", q, k, v, mask, dropoutP, scale);
        // Each temporary is closed once read, as PyTorch frees them: what backward needs lives on in the graph.
        Tensor kt = k.transpose(-2, -1), raw = q.matmul(kt);
        Tensor scores = raw.mul(scale);
        Tensor.closeAll(kt, raw);
        if (causal) {
            Tensor keep = causalKeep(sh.l, sh.s, q.device()), hidden = keep.logicalNot();
            Tensor masked = scores.maskedFill(hidden, Double.NEGATIVE_INFINITY);
            Tensor.closeAll(keep, hidden, scores);
            scores = masked;
        }
        if (mask != null) {
            Tensor extra = mask.dtype() == DType.BOOL ? mask.logicalNot() : mask.to(q.dtype());
            Tensor masked = mask.dtype() == DType.BOOL ? scores.maskedFill(extra, Double.NEGATIVE_INFINITY) : scores.add(extra);
            if (extra != mask) extra.close();
            scores.close();
            scores = masked;
        }
        Tensor p = scores.softmax(-1);
        scores.close();
        if (dropoutP > 0) {
            Tensor keepMask = Functional.dropoutMask(dropoutP, p.dtype(), p.device(), gen, p.shape().toArray());
            Tensor dropped = p.mul(keepMask);
            Tensor.closeAll(keepMask, p);
            p = dropped;
        }
        Tensor out = p.matmul(v);
        p.close();
        return out;
    }

    /** true where key j may be seen by query i (j &lt;= i), [l, s]. */
    private static Tensor causalKeep(int l, int s, Device device) {
        boolean[] keep = new boolean[l * s];
        for (int i = 0; i < l; i++) for (int j = 0; j <= i && j < s; j++) keep[i * s + j] = true;
        return Tensor.of(keep, device, l, s);
    }

    /** The sizes of one call: batch dimensions, their product b, and l, e, s, ev. */
    private record Shapes(int[] batch, int b, int l, int e, int s, int ev) {
    }

    private static Shapes check(String op, Tensor q, Tensor k, Tensor v, Tensor mask, double dropoutP, double scale) {
        if (q == null || k == null || v == null) throw new IllegalArgumentException(op + ": q, k and v are required");
        q.view();
        k.view();
        v.view();
        Elementwise.sameDevice(op, q, k);
        Elementwise.sameDevice(op, q, v);
        if (!q.dtype().isFloating() || k.dtype() != q.dtype() || v.dtype() != q.dtype()) {
            throw new IllegalArgumentException(op + ": q, k and v must share one floating dtype, got q " + q.dtype() + ", k "
                    + k.dtype() + ", v " + v.dtype());
        }
        int r = q.dim();
        String shapes = "q " + q.shape() + ", k " + k.shape() + ", v " + v.shape();
        if (r < 2 || k.dim() != r || v.dim() != r) {
            throw new IllegalArgumentException(op + ": q, k and v must have one rank of at least 2 ([..., l, e], [..., s, e], [..., s, ev]), got " + shapes);
        }
        int[] batch = Arrays.copyOf(q.shape, r - 2);
        if (!Arrays.equals(batch, Arrays.copyOf(k.shape, r - 2)) || !Arrays.equals(batch, Arrays.copyOf(v.shape, r - 2))) {
            throw new IllegalArgumentException(op + ": q, k and v must have the same leading (batch, head) dimensions, got " + shapes);
        }
        int l = q.shape[r - 2], e = q.shape[r - 1], s = k.shape[r - 2], ev = v.shape[r - 1];
        if (k.shape[r - 1] != e) {
            throw new IllegalArgumentException(op + ": q and k must have the same last dimension (the embedding), got " + shapes);
        }
        if (v.shape[r - 2] != s) {
            throw new IllegalArgumentException(op + ": k and v must have the same number of keys (dimension -2), got " + shapes);
        }
        if (mask != null) {
            mask.view();
            Elementwise.sameDevice(op, q, mask);
            if (mask.dtype() != DType.BOOL && !mask.dtype().isFloating()) {
                throw new IllegalArgumentException(op + ": the mask must be bool (true = attend) or floating (added to the scores), got " + mask.dtype());
            }
            if (!broadcastsTo(mask.shape, q.shape, l, s)) {
                throw new IllegalArgumentException(op + ": mask of shape " + mask.shape() + " does not broadcast to the scores' shape "
                        + Arrays.toString(scoresShape(batch, l, s)) + " (" + shapes + ")");
            }
        }
        if (!(dropoutP >= 0 && dropoutP < 1)) throw new IllegalArgumentException(op + ": dropoutP must be in [0, 1), got " + dropoutP);
        if (!Double.isFinite(scale)) throw new IllegalArgumentException(op + ": scale must be finite, got " + scale);
        long b = 1;
        for (int d : batch) b = Math.multiplyExact(b, d);
        if (b > Integer.MAX_VALUE) throw new IllegalArgumentException(op + ": too many (batch, head) slices: " + b);
        return new Shapes(batch, (int) b, l, e, s, ev);
    }

    private static int[] scoresShape(int[] batch, int l, int s) {
        int[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = l;
        shape[batch.length + 1] = s;
        return shape;
    }

    private static boolean broadcastsTo(int[] mask, int[] q, int l, int s) {
        int[] target = scoresShape(Arrays.copyOf(q, q.length - 2), l, s);
        if (mask.length > target.length) return false;
        for (int i = 1; i <= mask.length; i++) {
            int m = mask[mask.length - i], t = target[target.length - i];
            if (m != t && m != 1) return false;
        }
        return true;
    }

    /** x as a contiguous [b, t, d] tensor (a view of x where its layout allows, else a copy). */
    private static Tensor dense(Tensor x, int b, int t, int d) {
        Tensor r = x.reshape(b, t, d), c = r.contiguous();
        if (c != r) r.close();
        return c;
    }

    private static Tensor fused(Shapes sh, Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double scale) {
        int b = sh.b, l = sh.l, e = sh.e, s = sh.s, ev = sh.ev;
        Tensor q3 = dense(q, b, l, e), k3 = dense(k, b, s, e), v3 = dense(v, b, s, ev);
        Tensor bias = mask == null ? null : additiveMask(mask, sh, q.dtype());
        Backend be = q.backend();
        Tensor out = Tensor.empty(be, q.dtype(), new int[]{b, l, ev});
        Tensor lse = Tensor.empty(be, q.dtype(), new int[]{b, l});
        be.attentionForward(out.view(), lse.view(), q3.view(), k3.view(), v3.view(), bias == null ? null : bias.view(), causal, scale);
        Tensor[] inputs = {q3, k3, v3};
        if (Autograd.needed(inputs)) {
            Saved sq = Saved.of(q3), sk = Saved.of(k3), sv = Saved.of(v3), sOut = Saved.of(out), sLse = Saved.of(lse);
            Saved sBias = bias == null ? null : Saved.of(bias);
            Saved[] saved = bias == null ? new Saved[]{sq, sk, sv, sOut, sLse} : new Saved[]{sq, sk, sv, sOut, sLse, sBias};
            Autograd.record("ScaledDotProductAttentionBackward", out, inputs, (g, needs) -> {
                Backend gb = g.backend();
                Tensor gq = needs[0] ? Tensor.empty(gb, g.dtype(), new int[]{b, l, e}) : null;
                Tensor gk = needs[1] ? Tensor.empty(gb, g.dtype(), new int[]{b, s, e}) : null;
                Tensor gv = needs[2] ? Tensor.empty(gb, g.dtype(), new int[]{b, s, ev}) : null;
                Tensor gc = g.contiguous();
                gb.attentionBackward(gq == null ? null : gq.view(), gk == null ? null : gk.view(), gv == null ? null : gv.view(),
                        gc.view(), sq.get().view(), sk.get().view(), sv.get().view(), sOut.get().view(), sLse.get().view(),
                        sBias == null ? null : sBias.get().view(), causal, scale);
                return new Tensor[]{gq, gk, gv};
            }, saved);
        }
        int[] outShape = Arrays.copyOf(sh.batch, sh.batch.length + 2);
        outShape[sh.batch.length] = l;
        outShape[sh.batch.length + 1] = ev;
        Tensor result = Arrays.equals(outShape, out.shape) ? out : out.reshape(outShape);
        // the operands' [b, l, e] views or copies, the log-sum-exp, the mask: the node keeps its own references
        for (Tensor t : new Tensor[]{q3, k3, v3}) if (t != q && t != k && t != v) t.close();
        if (bias != mask) Tensor.closeAll(bias);
        Tensor.closeAll(lse);
        if (result != out) out.close();
        return result;
    }

    /**
     * The mask as an additive [b, l, s] tensor of the scores' dtype (0 or -inf for a bool mask). Only the mask's own
     * extent is materialised: a mask without batch dimensions stays one [l or 1, s or 1] block that every slice
     * shares through a zero stride, and a key padding mask [batch, 1, 1, s] stays linear in s.
     */
    private static Tensor additiveMask(Tensor mask, Shapes sh, DType dtype) {
        Tensor m;
        try (Grad.Mode ignored = Grad.disabled()) {
            m = mask.dtype() == DType.BOOL
                    ? Tensor.zeros(dtype, mask.device(), mask.shape.clone()).maskedFill(mask.logicalNot(), Double.NEGATIVE_INFINITY)
                    : mask.to(dtype);
        }
        int r = sh.batch.length + 2;
        int[] padded = new int[r];
        Arrays.fill(padded, 1);
        System.arraycopy(m.shape, 0, padded, r - m.dim(), m.dim());
        m = m.reshape(padded);
        int lm = padded[r - 2], sm = padded[r - 1];
        boolean sharedAcrossBatch = true;
        for (int i = 0; i < r - 2; i++) sharedAcrossBatch &= padded[i] == 1;
        Tensor block;
        if (sharedAcrossBatch) {
            block = m.reshape(1, lm, sm);
        } else {
            int[] perSlice = Arrays.copyOf(sh.batch, r);
            perSlice[r - 2] = lm;
            perSlice[r - 1] = sm;
            block = m.expand(perSlice).contiguous().reshape(sh.b, lm, sm);
        }
        return block.expand(sh.b, sh.l, sh.s);
    }
}
