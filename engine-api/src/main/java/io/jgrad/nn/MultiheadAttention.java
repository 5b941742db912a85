package io.jgrad.nn;

import io.jgrad.Attention;
import io.jgrad.AttentionHeads;
import io.jgrad.DType;
import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.Tensor;

/**
 * Multi-head attention, as PyTorch's {@code nn.MultiheadAttention(embed_dim, num_heads, dropout, bias,
 * batch_first=True)}: query [N, L, E], key [N, S, E] and value [N, S, E] are projected by the three row blocks of
 * {@code in_proj_weight} [3E, E] (plus {@code in_proj_bias}), split into {@code numHeads} heads of E / numHeads,
 * attended by the fused {@link Attention#scaledDotProductAttention}, joined and projected by {@code out_proj}.
 * <p>
 * The parameter names, shapes and initialisation are PyTorch's ({@code in_proj_weight} Xavier-uniform, biases zero,
 * {@code out_proj.weight} as a Linear's), so a PyTorch state dict of the same module loads.
 * <p>
 * Masks follow {@code nn.MultiheadAttention}, not {@code F.scaled_dot_product_attention}: a bool key padding mask
 * [N, S] and a bool attention mask [L, S] or [N * numHeads, L, S] mark with <b>true</b> what must <b>not</b> be
 * attended; float masks are added to the scores. {@code causal} adds the causal constraint (query i sees keys
 * j &lt;= i) on top of any masks. Dropout applies to the attention weights in training mode.
 */
public class MultiheadAttention extends Module {
    private final int embedDim;
    private final int numHeads;
    private final int headDim;
    private final double dropout;
    private final boolean hasBias;
    private final Generator gen;

    /** No dropout, with biases, drawn from the global generator. */
    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0, true, Generator.global());
    }

    public MultiheadAttention(int embedDim, int numHeads, double dropout) {
        this(embedDim, numHeads, dropout, true, Generator.global());
    }

    /**
     * @param dropout probability of dropping an attention weight in training mode, in [0, 1)
     * @param bias    whether the input and output projections have biases
     * @param gen     draws the initial weights (out_proj first, then in_proj_weight) and the dropout masks
     */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, Generator gen) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim must be a positive multiple of num_heads, got embed_dim "
                    + embedDim + " and num_heads " + numHeads);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1), got " + dropout);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.dropout = dropout;
        this.hasBias = bias;
        this.gen = gen;
        Linear outProj = new Linear(embedDim, embedDim, bias, gen);
        registerParameter("in_proj_weight", Init.xavierUniform(Tensor.zeros(3 * embedDim, embedDim), gen));
        if (bias) registerParameter("in_proj_bias", Tensor.zeros(3 * embedDim));
        register("out_proj", outProj);
        if (bias) Init.zeros(outProj.bias());
    }

    public int embedDim() {
        return embedDim;
    }

    public int numHeads() {
        return numHeads;
    }

    /** The stacked query, key and value projections [3E, E]. */
    public Tensor inProjWeight() {
        return param("in_proj_weight");
    }

    /** [3E], or null without bias. */
    public Tensor inProjBias() {
        return hasBias ? param("in_proj_bias") : null;
    }

    /** The output projection (out_proj). */
    public Linear outProj() {
        return (Linear) child("out_proj");
    }

    /** Self-attention of x [N, L, E] without masks: forward(x, x, x, null, null, false). */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, null, null, false);
    }

    /** Self-attention of x [N, L, E], causal or not, without masks. */
    public Tensor forward(Tensor x, boolean causal) {
        return forward(x, x, x, null, null, causal);
    }

    /**
     * Attention of query [N, L, E] over key [N, S, E] and value [N, S, E]; returns [N, L, E].
     *
     * @param keyPaddingMask null, or [N, S]: bool (true = ignore that key) or float (added to its scores)
     * @param attnMask       null, or [L, S] or [N * numHeads, L, S]: bool (true = not allowed) or float (added)
     * @param causal         query i attends only to keys j &lt;= i (in addition to any masks)
     */
    public Tensor forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask, boolean causal) {
        Tensor w = inProjWeight();
        checkInputs(query, key, value, w);
        int n = query.size(0), l = query.size(1), s = key.size(1);
        Tensor b = inProjBias();
        Tensor qh, kh, vh;
        if (query == key && key == value) {
            // self-attention: one matmul for the three projections, split into heads by one op
            Tensor qkv = Functional.linear(query, w, b, Functional.Activation.NONE);
            Tensor[] parts = AttentionHeads.split(qkv, 3, numHeads);
            qkv.close(); // the split's node keeps what it needs
            qh = parts[0];
            kh = parts[1];
            vh = parts[2];
        } else {
            Tensor q = project(query, w, b, 0), k = project(key, w, b, 1), v = project(value, w, b, 2);
            qh = split(q, n, l);
            kh = split(k, n, s);
            vh = split(v, n, s);
            for (Tensor t : new Tensor[]{q, k, v}) t.close();
        }
        Tensor mask = combinedMask(n, l, s, keyPaddingMask, attnMask, query);
        double p = isTraining() ? dropout : 0;
        Tensor heads = Attention.scaledDotProductAttention(qh, kh, vh, mask, p, causal, 1 / Math.sqrt(headDim), gen);
        // Temporaries are closed once read; what backward needs lives on in the graph's own references.
        for (Tensor t : new Tensor[]{qh, kh, vh}) t.close();
        if (mask != keyPaddingMask && mask != attnMask) Temporaries.close(mask);
        Tensor merged = heads.transpose(1, 2), rows = merged.reshape(n, l, embedDim);
        heads.close();
        merged.close();
        Tensor out = outProj().forward(rows);
        rows.close();
        return out;
    }

    private Tensor project(Tensor x, Tensor w, Tensor b, int block) {
        return Functional.linear(x, w.narrow(0, block * embedDim, embedDim), b == null ? null : b.narrow(0, block * embedDim, embedDim),
                Functional.Activation.NONE);
    }

    /** [N, T, E] to [N, H, T, D]. */
    private Tensor split(Tensor x, int n, int t) {
        Tensor r = x.reshape(n, t, numHeads, headDim), out = r.transpose(1, 2);
        r.close(); // out views it, with its own reference
        return out;
    }

    /**
     * The two masks as one for scaledDotProductAttention (whose bool masks mark what may be attended): bool if both
     * are bool, else an additive float mask with -inf where a bool mask excluded a key. Broadcasts to [N, H, L, S].
     */
    private Tensor combinedMask(int n, int l, int s, Tensor keyPadding, Tensor attn, Tensor query) {
        Tensor a = null;
        if (keyPadding != null) {
            checkMask("key_padding_mask", keyPadding, query);
            if (!keyPadding.shape().equals(io.jgrad.Shape.of(n, s))) {
                throw new IllegalArgumentException(this + ": key_padding_mask must have shape [" + n + ", " + s + "] (batch, keys), got "
                        + keyPadding.shape());
            }
            a = keyPadding.reshape(n, 1, 1, s);
        }
        Tensor m = null;
        if (attn != null) {
            checkMask("attn_mask", attn, query);
            if (attn.dim() == 2 && attn.size(0) == l && attn.size(1) == s) {
                m = attn;
            } else if (attn.dim() == 3 && attn.size(0) == n * numHeads && attn.size(1) == l && attn.size(2) == s) {
                m = attn.reshape(n, numHeads, l, s);
            } else {
                throw new IllegalArgumentException(this + ": attn_mask must have shape [" + l + ", " + s + "] or [" + n * numHeads + ", "
                        + l + ", " + s + "] (batch * heads, queries, keys), got " + attn.shape());
            }
        }
        if (a == null && m == null) return null;
        boolean allBool = (a == null || a.dtype() == DType.BOOL) && (m == null || m.dtype() == DType.BOOL);
        if (allBool) {
            // true = attend for scaledDotProductAttention
            Tensor keepA = a == null ? null : a.logicalNot();
            Tensor keepM = m == null ? null : m.logicalNot();
            return keepA == null ? keepM : keepM == null ? keepA : keepA.logicalAnd(keepM);
        }
        Tensor addA = a == null ? null : additive(a, query.dtype());
        Tensor addM = m == null ? null : additive(m, query.dtype());
        return addA == null ? addM : addM == null ? addA : addA.add(addM);
    }

    /** A float mask as it is; a bool mask (true = exclude) as 0 and -inf. */
    private static Tensor additive(Tensor mask, DType dtype) {
        if (mask.dtype() != DType.BOOL) return mask.to(dtype);
        return Tensor.zeros(dtype, mask.device(), mask.shape().toArray()).maskedFill(mask, Double.NEGATIVE_INFINITY);
    }

    private void checkMask(String what, Tensor mask, Tensor query) {
        Checks.sameDevice(this, mask, what, query, "query");
        if (mask.dtype() != DType.BOOL && !mask.dtype().isFloating()) {
            throw new IllegalArgumentException(this + ": " + what + " must be bool (true = ignore) or floating (added to the scores), got "
                    + mask.dtype());
        }
    }

    private void checkInputs(Tensor query, Tensor key, Tensor value, Tensor w) {
        if (query == null || key == null || value == null) {
            throw new IllegalArgumentException(this + ": query, key and value are required");
        }
        String shapes = "query " + query.shape() + ", key " + key.shape() + ", value " + value.shape();
        if (query.dim() != 3 || key.dim() != 3 || value.dim() != 3) {
            throw new IllegalArgumentException(this + ": expects batch-first inputs query [N, L, E], key [N, S, E], value [N, S, E], got " + shapes);
        }
        if (query.size(2) != embedDim || key.size(2) != embedDim || value.size(2) != embedDim) {
            throw new IllegalArgumentException(this + ": query, key and value must end in embed_dim " + embedDim + ", got " + shapes);
        }
        if (key.size(0) != query.size(0) || value.size(0) != query.size(0) || key.size(1) != value.size(1)) {
            throw new IllegalArgumentException(this + ": query, key and value must share the batch size, and key and value the length, got "
                    + shapes);
        }
        Checks.matches(this, query, w, "in_proj_weight");
        Checks.matches(this, key, w, "in_proj_weight");
        Checks.matches(this, value, w, "in_proj_weight");
    }

    @Override
    protected String extraRepr() {
        return "embed_dim=" + embedDim + ", num_heads=" + numHeads + ", dropout=" + dropout + ", bias=" + hasBias + ", batch_first=True";
    }
}
