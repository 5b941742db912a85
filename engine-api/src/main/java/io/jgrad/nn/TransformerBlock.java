package io.jgrad.nn;

import io.jgrad.Generator;
import io.jgrad.Tensor;

/**
 * A pre-LayerNorm transformer block (GPT-2's arrangement): {@code x = x + dropout(attn(ln1(x)))}, then
 * {@code x = x + mlp(ln2(x))} with {@code mlp} = Linear(E, 4E), GELU, Linear(4E, E), Dropout. Inputs are
 * batch-first [N, T, E]. With {@code causal}, position t attends to positions &lt;= t only, as a decoder needs.
 * <p>
 * Parameter names: {@code ln1.*}, {@code attn.in_proj_weight}, {@code attn.in_proj_bias}, {@code attn.out_proj.*},
 * {@code ln2.*}, {@code mlp.0.*} (the expansion) and {@code mlp.2.*} (the projection back).
 */
public class TransformerBlock extends Module {
    private final boolean causal;

    /** Causal, no dropout, drawn from the global generator. */
    public TransformerBlock(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0, true, Generator.global());
    }

    /**
     * @param dropout on the attention weights, after the attention's output projection and after the MLP
     * @param causal  whether each position sees only itself and earlier positions
     * @param gen     draws the initial weights and the dropout masks
     */
    public TransformerBlock(int embedDim, int numHeads, double dropout, boolean causal, Generator gen) {
        this.causal = causal;
        register("ln1", new LayerNorm(embedDim));
        register("attn", new MultiheadAttention(embedDim, numHeads, dropout, true, gen));
        register("attn_drop", new Dropout(dropout, gen));
        register("ln2", new LayerNorm(embedDim));
        register("mlp", new Sequential(new Linear(embedDim, 4 * embedDim, gen), new GELU(), new Linear(4 * embedDim, embedDim, gen),
                new Dropout(dropout, gen)));
    }

    public boolean isCausal() {
        return causal;
    }

    public MultiheadAttention attention() {
        return (MultiheadAttention) child("attn");
    }

    /** The MLP: Linear(E, 4E), GELU, Linear(4E, E), Dropout. */
    public Sequential mlp() {
        return (Sequential) child("mlp");
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /** With a key padding mask [N, T] (true = a padding position that no query may attend to), or null. */
    public Tensor forward(Tensor x, Tensor keyPaddingMask) {
        if (x == null || x.dim() != 3) {
            throw new IllegalArgumentException(this.getClass().getSimpleName() + ": expects a batch-first input [N, T, E], got "
                    + (x == null ? "null" : x.shape()));
        }
        // Each intermediate is closed once read (what backward needs lives on in the graph), as PyTorch frees them.
        Tensor h = child("ln1").forward(x);
        Tensor a = attention().forward(h, h, h, keyPaddingMask, null, causal);
        Temporaries.close(h, x);
        Tensor dropped = child("attn_drop").forward(a);
        Temporaries.close(a, dropped);
        Tensor mid = x.add(dropped);
        Temporaries.close(dropped, x);
        Tensor normed = child("ln2").forward(mid);
        Tensor m = mlp().forward(normed);
        Temporaries.close(normed, mid, m);
        Tensor out = mid.add(m);
        Temporaries.close(m, mid, out);
        mid.close();
        return out;
    }

    @Override
    protected String extraRepr() {
        return "causal=" + causal;
    }
}
